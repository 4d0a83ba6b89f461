package indicators

// occupationDataset is NAV's jobseekers and advertised vacancies by
// occupation group (the nav-yrkespraksis mapping of sources/nav: Yrke ×
// ContentsCode Sokere, Stillinger, monthly).
const occupationDataset = "nav_yrkespraksis"

// stillingerPerLedig is stillinger_per_ledig, advertised vacancies per
// jobseeker by occupation group (NAV, dataset nav_yrkespraksis):
//
//	sum{utlyste stillinger_o} / sum{arbeidssøkere_o}
//
// Above 1: more vacancies than jobseekers in the occupation.
func stillingerPerLedig() *Indicator {
	ind := &Indicator{
		ID:            "stillinger_per_ledig",
		Title:         "Utlyste stillinger per arbeidssøker, etter yrke",
		TitleEN:       "Vacancies per jobseeker, by occupation",
		Description:   "Utlyste stillinger delt på arbeidssøkere i samme yrkesgruppe (NAVs 15 yrkesgrupper).",
		DescriptionEN: "Advertised vacancies divided by jobseekers in the same occupation group (NAV's 15 groups).",
		Unit:          "forhold",
		Theme:         ThemeDemand,
		Decimals:      2,
		Formula:       "sum{utlyste stillinger i yrket} / sum{arbeidssøkere i yrket}",
		FormulaEN:     "sum{advertised vacancies in the occupation} / sum{jobseekers in the occupation}",
		Inputs: []Input{
			{Dataset: occupationDataset, Filter: Filter{"ContentsCode": "Stillinger"}, Vary: map[string]string{"Yrke": "hver yrkesgruppe"},
				VaryEN: map[string]string{"Yrke": "each occupation group"}, Role: "teller"},
			{Dataset: occupationDataset, Filter: Filter{"ContentsCode": "Sokere"}, Vary: map[string]string{"Yrke": "hver yrkesgruppe"},
				VaryEN: map[string]string{"Yrke": "each occupation group"}, Role: "nevner"},
		},
		Numerator:     "utlyste stillinger",
		NumeratorEN:   "advertised vacancies",
		Denominator:   "arbeidssøkere",
		DenominatorEN: "jobseekers",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     Neutral,
		Basis:         Register,
		Disclosure: Disclosure{MinDenominator: 5, Rule: "vises ikke der færre enn 5 er arbeidssøkere",
			RuleEN: "not shown where there are fewer than 5 jobseekers"},
		Sources:    []string{"NAV, arbeidssøkere og stillinger etter yrke"},
		SourcesEN:  []string{"NAV, jobseekers and vacancies by occupation"},
		Citation:   "NAV, NLOD",
		CitationEN: "Norwegian Labour and Welfare Administration (NAV), NLOD",
		Scale:      1,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		num, den := ind.Inputs[0], ind.Inputs[1]
		return categoryRatio(ind, in, num.Dataset, "Yrke",
			func(c string) Filter { return num.Filter.With("Yrke", c) },
			func(c string) Filter { return den.Filter.With("Yrke", c) }), nil
	}
	return ind
}

// categoryRatio computes num/den*scale per category of dim, both from
// dataset ds.
func categoryRatio(ind *Indicator, in *Inputs, ds, dim string, num, den func(cat string) Filter) []Value {
	return eachCategory(in, ds, dim, num, den, func(r Region, p string, n, d Cell, nok, dok bool) Value {
		return ratioValue(ind, r, p, n, d, nok, dok)
	})
}

// eachCategory calls value for every period, region and code of dimension
// dim of dataset ds that has a cell under first(code) or second(code), and
// returns the values with the category and its label set. The filters
// depend on the code only, so they are resolved once per code.
func eachCategory(in *Inputs, ds, dim string, first, second func(cat string) Filter,
	value func(r Region, period string, a, b Cell, aok, bok bool) Value) []Value {
	s := in.Series[ds]
	if s == nil {
		return nil
	}
	periods, cats := s.Periods(), s.Codes(dim)
	aq, bq := make([]*Query, len(cats)), make([]*Query, len(cats))
	for i, c := range cats {
		aq[i], bq[i] = s.Query(first(c)), s.Query(second(c))
	}
	out := make([]Value, 0, len(periods)*len(in.Regions)*len(cats))
	for _, p := range periods {
		for _, r := range in.Regions {
			for i, c := range cats {
				a, aok := aq[i].Get(r.Code, p)
				b, bok := bq[i].Get(r.Code, p)
				if !aok && !bok {
					continue
				}
				v := value(r, p, a, b, aok, bok)
				v.Category, v.CategoryLabel = c, s.Label(dim, c)
				out = append(out, v)
			}
		}
	}
	return out
}
