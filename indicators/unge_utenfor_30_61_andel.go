package indicators

// utenfor3061Andel is unge_utenfor_30_61_andel, residents aged 30-61
// neither in employment nor in education in per cent of all residents
// aged 30-61, beside the 15-29 share of unge_utenfor_andel (SSB 13563,
// dataset utenfor_alder: HovArbStyrkStatus NEET2 and TOT3, Alder 30-61,
// ContentsCode Bosatte; SSB's BosatteProsent is dropped by the build, the
// share is recomputed from counts):
//
//	sum{HovArbStyrkStatus=NEET2, 30-61} / sum{HovArbStyrkStatus=TOT3, 30-61} * 100
//
// The status and age codes of 13563 are verified (DOMAIN.md §1.1); its
// ContentsCode "Bosatte" is not (it is 13556's), which the caveat says.
func utenfor3061Andel() *Indicator {
	ind := &Indicator{
		ID:            "unge_utenfor_30_61_andel",
		Title:         "Utenfor arbeid og utdanning (30-61 år)",
		TitleEN:       "Not in employment, education or training (30-61)",
		Description:   "Bosatte 30-61 år som verken er i arbeid eller utdanning, i prosent av alle bosatte 30-61 år. Registerbasert (SSB 13563); statistikkvariabelens kode er ikke verifisert mot SSB.",
		DescriptionEN: "Residents aged 30-61 neither employed nor in education, in per cent of all residents aged 30-61. Register based (SSB 13563); the code of the measure is not verified against SSB.",
		Unit:          "prosent",
		Theme:         ThemeEmployment,
		Decimals:      1,
		Formula:       "sum{NEET2 30-61} / sum{bosatte 30-61} * 100",
		FormulaEN:     "sum{NEET2 30-61} / sum{residents 30-61} * 100",
		Inputs: []Input{
			{Dataset: "utenfor_alder", Filter: Filter{"HovArbStyrkStatus": "NEET2", "Alder": "30-61", "ContentsCode": "Bosatte"}, Role: "teller"},
			{Dataset: "utenfor_alder", Filter: Filter{"HovArbStyrkStatus": "TOT3", "Alder": "30-61", "ContentsCode": "Bosatte"}, Role: "nevner"},
		},
		Numerator:     "bosatte 30-61 år utenfor arbeid og utdanning",
		NumeratorEN:   "residents aged 30-61 not in employment, education or training",
		Denominator:   "bosatte 30-61 år",
		DenominatorEN: "residents aged 30-61",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     LowerIsBetter,
		Basis:         Register,
		Disclosure:    registerDisclosure,
		Sources:       []string{"SSB tabell 13563 Personer 15-61 år etter arbeidsstyrkestatus og alder (registerbasert)"},
		SourcesEN:     []string{"SSB table 13563 Persons aged 15-61 by labour force status and age (register-based)"},
		Citation:      "Statistisk sentralbyrå (SSB), tabell 13563, CC BY 4.0",
		CitationEN:    "Statistics Norway (SSB), table 13563, CC BY 4.0",
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareOf(ind, in, ind.Inputs[0], ind.Inputs[1]), nil
	}
	return ind
}
