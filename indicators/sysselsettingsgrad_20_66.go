package indicators

// sysselsettingsgrad2066 is sysselsettingsgrad_20_66, employed persons
// aged 20-66 (resident, 4th quarter) in per cent of the population aged
// 20-66 of the same year:
//
//	sum{06445 Sysselsatte, 20-66} / sum{06445 Sysselsatte_nevner, 20-66} * 100
//
// Unlike sysselsettingsgrad_15_74, the denominator cannot be taken from
// 07459: its five-year groups end at 64 and 69, not 66. It is the
// population SSB divided by, recovered per published cell by the build
// step (Sysselsatte_nevner = Sysselsatte * 100 / SysselsatteProsent, as
// ledighet_helt_andel does for NAV's labour force), harmonised and summed
// like any count. SSB rounds the percentage to one decimal, so the
// recovered denominator of a municipality is exact only to about ±0.1 %
// of itself; the rate of a sum is not an average of SSB's rates.
func sysselsettingsgrad2066() *Indicator {
	ind := &Indicator{
		ID:            "sysselsettingsgrad_20_66",
		Title:         "Sysselsettingsgrad 20-66 år",
		TitleEN:       "Employment rate, ages 20-66",
		Description:   "Sysselsatte 20-66 år (bosted, 4. kvartal) i prosent av befolkningen 20-66 år.",
		DescriptionEN: "Employed persons aged 20-66 (by residence, 4th quarter) in per cent of the population aged 20-66.",
		Unit:          "prosent",
		Theme:         ThemeEmployment,
		Decimals:      1,
		Formula:       "sum{sysselsatte 20-66} / sum{befolkning 20-66 (utledet av SSBs prosent)} * 100",
		FormulaEN:     "sum{employed 20-66} / sum{population 20-66 (derived from SSB's percentage)} * 100",
		Inputs: []Input{
			{Dataset: "sysselsettingsgrad", Filter: Filter{"Kjonn": "0", "Alder": "20-66", "ContentsCode": "Sysselsatte"}, Role: "teller"},
			{Dataset: "sysselsettingsgrad", Filter: Filter{"Kjonn": "0", "Alder": "20-66", "ContentsCode": "Sysselsatte_nevner"},
				Note: "utledet: Sysselsatte * 100 / SysselsatteProsent", NoteEN: "derived: Sysselsatte * 100 / SysselsatteProsent", Role: "nevner"},
		},
		Numerator:     "sysselsatte 20-66 år etter bosted",
		NumeratorEN:   "employed persons aged 20-66 by place of residence",
		Denominator:   "befolkning 20-66 år (SSBs nevner)",
		DenominatorEN: "population aged 20-66 (SSB's denominator)",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     HigherIsBetter,
		Basis:         Register,
		Disclosure:    registerDisclosure,
		Sources:       []string{"SSB tabell 06445 Sysselsatte i prosent av befolkningen"},
		SourcesEN:     []string{"SSB table 06445 Employed persons in per cent of the population"},
		Citation:      "Statistisk sentralbyrå (SSB), tabell 06445, CC BY 4.0",
		CitationEN:    "Statistics Norway (SSB), table 06445, CC BY 4.0",
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareOf(ind, in, ind.Inputs[0], ind.Inputs[1]), nil
	}
	return ind
}
