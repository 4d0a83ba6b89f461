package indicators

// Shared parts of the four education indicators (SSB 09429, persons 16+).

// educationLevels is the denominator: every level of 09429 including
// "09a" (uoppgitt eller ingen fullført utdanning), as SSB's own
// percentages from 2025 and the Telemark county's published 31.04 %.
const educationLevels = "01+02a+11+03a+04a+09a"

var educationSources = []string{"SSB tabell 09429 Utdanningsnivå, etter kommune og kjønn (personer 16 år og over, 1. oktober)"}

const educationCitation = "Statistisk sentralbyrå (SSB), tabell 09429, CC BY 4.0"

func educationIndicator(id, levels, title, titleEN, level, levelEN string, dir Direction) *Indicator {
	ind := &Indicator{
		ID:            id,
		Title:         title,
		TitleEN:       titleEN,
		Description:   "Andel av befolkningen 16 år og over med " + level + " som høyeste fullførte utdanning.",
		DescriptionEN: "Share of the population aged 16 and over whose highest completed education is " + levelEN + ".",
		Unit:          "prosent",
		Formula:       "sum{personer 16+ med nivå " + levels + "} / sum{personer 16+, alle nivåer " + educationLevels + "} * 100",
		Inputs: []Input{
			{Dataset: "utdanningsniva", Filter: "Nivaa=" + levels + ", Kjonn=0, ContentsCode=Personer", Role: "teller"},
			{Dataset: "utdanningsniva", Filter: "Nivaa=" + educationLevels + ", Kjonn=0, ContentsCode=Personer", Role: "nevner"},
		},
		Numerator:   "personer 16 år og over med " + level,
		Denominator: "personer 16 år og over (alle nivåer, også uoppgitt)",
		Levels:      AllLevels,
		Comparators: []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:   dir,
		Basis:       Register,
		Disclosure:  Disclosure{Rule: "registertall: ingen prikking utover SSBs egen"},
		Sources:     educationSources,
		Citation:    educationCitation,
		Scale:       100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareByRegion(ind, in,
			"utdanningsniva", Filter{"Nivaa": levels, "Kjonn": "0", "ContentsCode": "Personer"},
			"utdanningsniva", Filter{"Nivaa": educationLevels, "Kjonn": "0", "ContentsCode": "Personer"}), nil
	}
	return ind
}
