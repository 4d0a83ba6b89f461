package indicators

import (
	"fmt"
	"strings"
)

// Shared parts of the education indicators: four for persons 16+ (SSB
// 09429) and four for persons 25-64 (dataset utdanningsniva_alder).

// educationLevels is the denominator: every level of 09429 including
// "09a" (uoppgitt eller ingen fullført utdanning), as SSB's own
// percentages from 2025 and the Telemark county's published 31.04 %.
const educationLevels = "01+02a+11+03a+04a+09a"

var educationSources = []string{"SSB tabell 09429 Utdanningsnivå, etter kommune og kjønn (personer 16 år og over, 1. oktober)"}

var educationSourcesEN = []string{"SSB table 09429 Educational attainment, by municipality and sex (persons aged 16 and over, 1 October)"}

const (
	educationCitation   = "Statistisk sentralbyrå (SSB), tabell 09429, CC BY 4.0"
	educationCitationEN = "Statistics Norway (SSB), table 09429, CC BY 4.0"
)

// registerDisclosure is the disclosure rule of a register count that SSB
// has already suppressed where it must: no suppression of grunnlag's own.
var registerDisclosure = Disclosure{Rule: "registertall: ingen prikking utover SSBs egen",
	RuleEN: "register data: no suppression beyond Statistics Norway's own"}

func educationIndicator(id, levels, title, titleEN, level, levelEN string, dir Direction) *Indicator {
	ind := &Indicator{
		ID:            id,
		Title:         title,
		TitleEN:       titleEN,
		Description:   "Andel av befolkningen 16 år og over med " + level + " som høyeste fullførte utdanning.",
		DescriptionEN: "Share of the population aged 16 and over whose highest completed education is " + levelEN + ".",
		Unit:          "prosent",
		Theme:         ThemeEducation,
		Decimals:      1,
		Formula:       "sum{personer 16+ med nivå " + levels + "} / sum{personer 16+, alle nivåer " + educationLevels + "} * 100",
		FormulaEN:     "sum{persons 16+ at level " + levels + "} / sum{persons 16+, all levels " + educationLevels + "} * 100",
		Inputs: []Input{
			{Dataset: "utdanningsniva", Filter: Filter{"Nivaa": levels, "Kjonn": "0", "ContentsCode": "Personer"}, Role: "teller"},
			{Dataset: "utdanningsniva", Filter: Filter{"Nivaa": educationLevels, "Kjonn": "0", "ContentsCode": "Personer"}, Role: "nevner"},
		},
		Numerator:     "personer 16 år og over med " + level,
		NumeratorEN:   "persons aged 16 and over whose highest completed education is " + levelEN,
		Denominator:   "personer 16 år og over (alle nivåer, også uoppgitt)",
		DenominatorEN: "persons aged 16 and over (all levels, including not stated)",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     dir,
		Basis:         Register,
		Disclosure:    registerDisclosure,
		Sources:       educationSources,
		SourcesEN:     educationSourcesEN,
		Citation:      educationCitation,
		CitationEN:    educationCitationEN,
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareOf(ind, in, ind.Inputs[0], ind.Inputs[1]), nil
	}
	return ind
}

// Education level by age (ages 25-64): the same levels and denominator as
// the 16+ indicators, from a dataset with an Alder dimension.
const (
	educationAgeDataset = "utdanningsniva_alder"
	educationAgeLo      = 25
	educationAgeHi      = 64
)

var educationAgeSources = []string{"SSB, utdanningsnivå etter kommune, kjønn og alder (personer per 1. oktober); " +
	"tabellnummeret er det konfigurasjonen oppgir for datasettet utdanningsniva_alder"}

var educationAgeSourcesEN = []string{"SSB, educational attainment by municipality, sex and age (persons as of 1 October); " +
	"the table ID is the one the configuration gives for the dataset utdanningsniva_alder"}

const (
	educationAgeCitation   = "Statistisk sentralbyrå (SSB), tabellen oppgitt for datasettet utdanningsniva_alder, CC BY 4.0"
	educationAgeCitationEN = "Statistics Norway (SSB), the table given for the dataset utdanningsniva_alder, CC BY 4.0"
)

// educationAgeIndicator is educationIndicator for persons 25-64: the
// Alder codes of utdanningsniva_alder that lie inside 25..64 are summed, and
// they must cover every year 25..64 once ([ageTiling]). When they cannot
// (groups such as "60-66", a gap, an overlap), Compute computes nothing and
// returns an error wrapping [ErrAgeGroups] that names the dataset and the
// codes.
func educationAgeIndicator(id, levels, title, titleEN, level, levelEN string, dir Direction) *Indicator {
	ages := fmt.Sprintf("%d-%d", educationAgeLo, educationAgeHi)
	// The 16+ indicator's declaration, with the age range in the texts,
	// inputs and sources.
	ind := educationIndicator(id, levels, title, titleEN, level, levelEN, dir)
	ind.Title = title + ", " + ages + " år"
	ind.TitleEN = titleEN + ", aged " + ages
	ind.Description = "Andel av befolkningen " + ages + " år med " + level + " som høyeste fullførte utdanning."
	ind.DescriptionEN = "Share of the population aged " + ages + " whose highest completed education is " + levelEN + "."
	ind.Formula = "sum{personer " + ages + " med nivå " + levels + "} / sum{personer " + ages + ", alle nivåer " + educationLevels + "} * 100" +
		" (aldersgruppene som til sammen dekker " + ages + " år nøyaktig)"
	ind.FormulaEN = "sum{persons " + ages + " at level " + levels + "} / sum{persons " + ages + ", all levels " + educationLevels + "} * 100" +
		" (the age groups that together cover ages " + ages + " exactly)"
	// The 16+ inputs on the dataset by age; Compute fixes Alder.
	alderText := map[string]string{"Alder": "gruppene som dekker " + ages}
	alderTextEN := map[string]string{"Alder": "the groups covering " + ages}
	ind.Inputs = []Input{
		{Dataset: educationAgeDataset, Filter: ind.Inputs[0].Filter, Vary: alderText, VaryEN: alderTextEN, Role: "teller"},
		{Dataset: educationAgeDataset, Filter: ind.Inputs[1].Filter, Vary: alderText, VaryEN: alderTextEN, Role: "nevner"},
	}
	ind.Numerator = "personer " + ages + " år med " + level
	ind.NumeratorEN = "persons aged " + ages + " whose highest completed education is " + levelEN
	ind.Denominator = "personer " + ages + " år (alle nivåer, også uoppgitt)"
	ind.DenominatorEN = "persons aged " + ages + " (all levels, including not stated)"
	ind.Sources, ind.SourcesEN = educationAgeSources, educationAgeSourcesEN
	ind.Citation, ind.CitationEN = educationAgeCitation, educationAgeCitationEN
	ind.Compute = func(in *Inputs) ([]Value, error) {
		num, den := ind.Inputs[0], ind.Inputs[1]
		s := in.Series[num.Dataset]
		if s == nil {
			return nil, nil
		}
		codes, err := ageTiling(s.Codes("Alder"), educationAgeLo, educationAgeHi)
		if err != nil {
			return nil, fmt.Errorf("indicators: %s: dataset %s: %w", id, num.Dataset, err)
		}
		alder := strings.Join(codes, "+")
		num.Filter, den.Filter = num.Filter.With("Alder", alder), den.Filter.With("Alder", alder)
		return shareOf(ind, in, num, den), nil
	}
	return ind
}
