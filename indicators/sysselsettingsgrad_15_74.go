package indicators

// population1574 is the 07459 age groups 15-74 (five-year groups).
const population1574 = "015-019+020-024+025-029+030-034+035-039+040-044+045-049+050-054+055-059+060-064+065-069+070-074"

// sysselsettingsgrad1574 is sysselsettingsgrad_15_74, employed persons
// aged 15-74 (resident, 4th quarter) in per cent of the population aged
// 15-74 of the same year:
//
//	sum{06445 Sysselsatte, 15-74} / sum{07459 Personer1, menn og kvinner, 15-74} * 100
//
// Both are counts harmonised and summed before the division; SSB's own
// percentage in 06445 is not averaged.
func sysselsettingsgrad1574() *Indicator {
	ind := &Indicator{
		ID:            "sysselsettingsgrad_15_74",
		Title:         "Sysselsettingsgrad 15-74 år",
		TitleEN:       "Employment rate, ages 15-74",
		Description:   "Sysselsatte 15-74 år (bosted, 4. kvartal) i prosent av befolkningen 15-74 år.",
		DescriptionEN: "Employed persons aged 15-74 (by residence, 4th quarter) in per cent of the population aged 15-74.",
		Unit:          "prosent",
		Theme:         ThemeEmployment,
		Decimals:      1,
		Formula:       "sum{sysselsatte 15-74} / sum{befolkning 15-74} * 100",
		FormulaEN:     "sum{employed 15-74} / sum{population 15-74} * 100",
		Inputs: []Input{
			{Dataset: "sysselsettingsgrad", Filter: Filter{"Kjonn": "0", "Alder": "15-74", "ContentsCode": "Sysselsatte"}, Role: "teller"},
			{Dataset: "befolkning", Filter: Filter{"Kjonn": "1+2", "Alder": population1574, "ContentsCode": "Personer1"}, Role: "nevner"},
		},
		Numerator:     "sysselsatte 15-74 år etter bosted",
		NumeratorEN:   "employed persons aged 15-74 by place of residence",
		Denominator:   "befolkning 15-74 år",
		DenominatorEN: "population aged 15-74",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     HigherIsBetter,
		Basis:         Register,
		Disclosure:    registerDisclosure,
		Sources:       []string{"SSB tabell 06445 Sysselsatte i prosent av befolkningen", "SSB tabell 07459 Befolkning"},
		SourcesEN:     []string{"SSB table 06445 Employed persons in per cent of the population", "SSB table 07459 Population"},
		Citation:      "Statistisk sentralbyrå (SSB), tabell 06445 og 07459, CC BY 4.0",
		CitationEN:    "Statistics Norway (SSB), tables 06445 and 07459, CC BY 4.0",
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareOf(ind, in, ind.Inputs[0], ind.Inputs[1]), nil
	}
	return ind
}
