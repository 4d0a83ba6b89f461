package indicators

// erstatningsbehov10aar is erstatningsbehov_10aar, the implied replacement
// need over about ten years as a count: the employed aged 55 and over, by
// industry (SSB 07984, by residence), the people who reach the usual
// retirement age within about a decade:
//
//	R_i = sum{Alder=55-66,67-74}_i
//
// for each NACE2007 group i (and the 00-99 total). It is an upper bound:
// it assumes that every one of them leaves within ten years and that none
// is replaced internally (by younger colleagues moving up, or by working
// longer). R_i is the numerator of erstatning_55pluss_andel, which gives
// the same people as a share of the industry's employed 15-74.
//
// Disclosure: R_i is suppressed exactly where erstatning_55pluss_andel is,
// where fewer than 10 aged 15-74 are employed in the industry
// (sum{Alder=15-19,...,67-74}_i < 10). A stricter rule on the count alone
// would protect nothing, since the share's row publishes the same count as
// its numerator. So the 15-74 cells are an input too: the value is missing
// when a cell of the count or of the 15-74 total has a missing status.
//
// The value is a count (Scale 0), not a ratio: it has no numerator or
// denominator (NaN), and no comparators, since a gap between the counts of
// a municipality and of its county or the nation says nothing.
func erstatningsbehov10aar() *Indicator {
	// The count and the disclosure basis are erstatning_55pluss_andel's
	// numerator and denominator, with its disclosure threshold.
	share := erstatning55plussAndel()
	ind := &Indicator{
		ID:      "erstatningsbehov_10aar",
		Title:   "Erstatningsbehov de neste ti årene (sysselsatte 55 år og over), etter næring",
		TitleEN: "Implied 10-year replacement need (employed aged 55 and over), by industry",
		Description: "Antall sysselsatte 55 år og over (etter bosted) i næringen: de som når vanlig pensjonsalder innen om lag ti år. " +
			"Tallet er en øvre grense for erstatningsbehovet: det forutsetter at alle går av i perioden og at ingen av dem erstattes internt.",
		DescriptionEN: "Number of employed aged 55 and over (by residence) in the industry: those who reach the usual retirement age within about ten years. " +
			"It is an upper bound on the replacement need: it assumes that all of them leave in the period and that none is replaced internally.",
		Unit:      "personer",
		Theme:     ThemeEmployment,
		Decimals:  0,
		Formula:   "sum{sysselsatte 55-66, 67-74}_i (antall, ikke en andel)",
		FormulaEN: "sum{employed 55-66, 67-74}_i (a count, not a share)",
		Inputs: []Input{
			share.Inputs[0],
			{Dataset: share.Inputs[1].Dataset, Filter: share.Inputs[1].Filter, Vary: share.Inputs[1].Vary, VaryEN: share.Inputs[1].VaryEN, Role: "prikkegrunnlag"},
		},
		Numerator:     "sysselsatte 55-74 år i næringen (telleren i erstatning_55pluss_andel)",
		NumeratorEN:   "employed persons aged 55-74 in the industry (the numerator of erstatning_55pluss_andel)",
		Denominator:   "ingen (antall personer, ikke en andel)",
		DenominatorEN: "none (a count of persons, not a share)",
		Levels:        AllLevels,
		Direction:     Neutral,
		Basis:         Register,
		Disclosure: Disclosure{MinDenominator: share.Disclosure.MinDenominator,
			Rule:   "vises ikke der færre enn 10 (15-74 år) er sysselsatt i næringen, som erstatning_55pluss_andel",
			RuleEN: "not shown where fewer than 10 persons (aged 15-74) are employed in the industry, as for erstatning_55pluss_andel"},
		Sources:    share.Sources,
		SourcesEN:  share.SourcesEN,
		Citation:   share.Citation,
		CitationEN: share.CitationEN,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		count, basis := ind.Inputs[0], ind.Inputs[1]
		return categoryCount(ind, in, count.Dataset, "NACE2007",
			func(c string) Filter { return count.Filter.With("NACE2007", c) },
			func(c string) Filter { return basis.Filter.With("NACE2007", c) }), nil
	}
	return ind
}

// categoryCount computes, for every region, period and code of dimension
// dim of dataset ds, the count of the cell under count(code). basis(code)
// is the cell the disclosure rule reads: the value is suppressed when it is
// below ind.Disclosure.MinDenominator. The value is missing when either
// cell is absent or has a missing status; Num and Den are NaN (a count is
// not a ratio).
func categoryCount(ind *Indicator, in *Inputs, ds, dim string, count, basis func(cat string) Filter) []Value {
	return eachCategory(in, ds, dim, count, basis, func(r Region, p string, n, b Cell, nok, bok bool) Value {
		v := newValue(r, p)
		v.Flags = cellFlags(n.Apportioned || b.Apportioned, n.Provisional || b.Provisional)
		switch {
		case !nok || !bok || !n.Valid || !b.Valid:
			v.Flags = append(v.Flags, FlagMissingInput)
		case b.Value < ind.Disclosure.MinDenominator:
			v.Flags = append(v.Flags, FlagSuppressed)
		default:
			v.Value, v.Valid = n.Value, true
		}
		return v
	})
}
