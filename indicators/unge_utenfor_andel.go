package indicators

// ungeUtenforAndel is unge_utenfor_andel, young people aged 15-29 neither
// in employment nor in education (NEET) in per cent of all residents aged
// 15-29 (SSB 13556, dataset unge_utenfor: HovArbStyrkStatus NEET and TOT,
// ContentsCode Bosatte; SSB's BosatteProsent is dropped by the build, the
// share is recomputed from counts):
//
//	sum{HovArbStyrkStatus=NEET, 15-29} / sum{HovArbStyrkStatus=TOT, 15-29} * 100
func ungeUtenforAndel() *Indicator {
	ind := &Indicator{
		ID:            "unge_utenfor_andel",
		Title:         "Unge utenfor arbeid og utdanning (15-29 år)",
		TitleEN:       "Young people not in employment, education or training (15-29)",
		Description:   "Bosatte 15-29 år som verken er i arbeid eller utdanning, i prosent av alle bosatte 15-29 år.",
		DescriptionEN: "Residents aged 15-29 neither employed nor in education, in per cent of all residents aged 15-29.",
		Unit:          "prosent",
		Theme:         ThemeEmployment,
		Decimals:      1,
		Formula:       "sum{NEET 15-29} / sum{bosatte 15-29} * 100",
		FormulaEN:     "sum{NEET 15-29} / sum{residents 15-29} * 100",
		Inputs: []Input{
			{Dataset: "unge_utenfor", Filter: Filter{"HovArbStyrkStatus": "NEET", "Alder": "15-29", "ContentsCode": "Bosatte"}, Role: "teller"},
			{Dataset: "unge_utenfor", Filter: Filter{"HovArbStyrkStatus": "TOT", "Alder": "15-29", "ContentsCode": "Bosatte"}, Role: "nevner"},
		},
		Numerator:     "bosatte 15-29 år utenfor arbeid og utdanning",
		NumeratorEN:   "residents aged 15-29 not in employment, education or training",
		Denominator:   "bosatte 15-29 år",
		DenominatorEN: "residents aged 15-29",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     LowerIsBetter,
		Basis:         Register,
		Disclosure:    registerDisclosure,
		Sources:       []string{"SSB tabell 13556 Personer 15-29 år etter hovedaktivitet (registerbasert)"},
		SourcesEN:     []string{"SSB table 13556 Persons aged 15-29 by main activity (register-based)"},
		Citation:      "Statistisk sentralbyrå (SSB), tabell 13556, CC BY 4.0",
		CitationEN:    "Statistics Norway (SSB), table 13556, CC BY 4.0",
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareOf(ind, in, ind.Inputs[0], ind.Inputs[1]), nil
	}
	return ind
}
