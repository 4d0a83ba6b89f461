package indicators

// erstatning55plussAndel is erstatning_55pluss_andel, the share of the
// employed aged 55 or over, by industry (SSB 07984, by residence):
//
//	sum{Alder=55-66,67-74}_i / sum{alle aldre}_i * 100
//
// The numerator is the implied replacement need over about ten years: the
// employed who will reach retirement age within a decade; erstatningsbehov_10aar
// publishes it as a count.
func erstatning55plussAndel() *Indicator {
	ind := &Indicator{
		ID:            "erstatning_55pluss_andel",
		Title:         "Sysselsatte 55 år og over (erstatningsbehov), etter næring",
		TitleEN:       "Employed aged 55 and over (replacement demand), by industry",
		Description:   "Andel av de sysselsatte i næringen som er 55 år eller eldre; telleren er erstatningsbehovet de neste om lag ti årene.",
		DescriptionEN: "Share of the industry's employed aged 55 or over; the numerator is the replacement need over roughly ten years.",
		Unit:          "prosent",
		Theme:         ThemeEmployment,
		Decimals:      1,
		Formula:       "sum{sysselsatte 55-74}_i / sum{sysselsatte 15-74}_i * 100",
		FormulaEN:     "sum{employed 55-74}_i / sum{employed 15-74}_i * 100",
		Inputs: []Input{
			{Dataset: "sysselsatte_alder_naering", Filter: Filter{"Alder": "55-66+67-74", "ContentsCode": "Sysselsatte"},
				Vary: map[string]string{"NACE2007": "hver gruppe"}, VaryEN: map[string]string{"NACE2007": "each group"}, Role: "teller"},
			{Dataset: "sysselsatte_alder_naering", Filter: Filter{"Alder": "15-19+20-24+25-39+40-54+55-66+67-74", "ContentsCode": "Sysselsatte"},
				Vary: map[string]string{"NACE2007": "hver gruppe"}, VaryEN: map[string]string{"NACE2007": "each group"}, Role: "nevner"},
		},
		Numerator:     "sysselsatte 55-74 år i næringen (erstatningsbehov om lag ti år)",
		NumeratorEN:   "employed persons aged 55-74 in the industry (replacement need over roughly ten years)",
		Denominator:   "sysselsatte 15-74 år i næringen",
		DenominatorEN: "employed persons aged 15-74 in the industry",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     LowerIsBetter,
		Basis:         Register,
		Disclosure: Disclosure{MinDenominator: 10, Rule: "vises ikke der færre enn 10 er sysselsatt i næringen",
			RuleEN: "not shown where fewer than 10 persons are employed in the industry"},
		Sources:    []string{"SSB tabell 07984 Sysselsatte per 4. kvartal, etter bosted, alder og næring"},
		SourcesEN:  []string{"SSB table 07984 Employed persons in the 4th quarter, by place of residence, age and industry"},
		Citation:   "Statistisk sentralbyrå (SSB), tabell 07984, CC BY 4.0",
		CitationEN: "Statistics Norway (SSB), table 07984, CC BY 4.0",
		Scale:      100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		num, den := ind.Inputs[0], ind.Inputs[1]
		return categoryRatio(ind, in, num.Dataset, "NACE2007",
			func(c string) Filter { return num.Filter.With("NACE2007", c) },
			func(c string) Filter { return den.Filter.With("NACE2007", c) }), nil
	}
	return ind
}
