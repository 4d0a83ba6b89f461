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
		Formula:       "sum{utlyste stillinger i yrket} / sum{arbeidssøkere i yrket}",
		Inputs: []Input{
			{Dataset: occupationDataset, Filter: "Yrke=hver yrkesgruppe, ContentsCode=Stillinger", Role: "teller"},
			{Dataset: occupationDataset, Filter: "Yrke=hver yrkesgruppe, ContentsCode=Sokere", Role: "nevner"},
		},
		Numerator:   "utlyste stillinger",
		Denominator: "arbeidssøkere",
		Levels:      AllLevels,
		Comparators: []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:   Neutral,
		Basis:       Register,
		Disclosure:  Disclosure{MinDenominator: 5, Rule: "vises ikke der færre enn 5 er arbeidssøkere"},
		Sources:     []string{"NAV, arbeidssøkere og stillinger etter yrke"},
		Citation:    "NAV, NLOD",
		Scale:       1,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return categoryRatio(ind, in, occupationDataset, "Yrke",
			func(c string) Filter { return Filter{"Yrke": c, "ContentsCode": "Stillinger"} },
			func(c string) Filter { return Filter{"Yrke": c, "ContentsCode": "Sokere"} }), nil
	}
	return ind
}

// categoryRatio computes num/den*scale per category of dim, both from
// dataset ds.
func categoryRatio(ind *Indicator, in *Inputs, ds, dim string, num, den func(cat string) Filter) []Value {
	s := in.Series[ds]
	if s == nil {
		return nil
	}
	periods, cats := s.Periods(), s.Codes(dim)
	// The filters depend on the category only: resolve them once.
	nq, dq := make([]*Query, len(cats)), make([]*Query, len(cats))
	for i, c := range cats {
		nq[i], dq[i] = s.Query(num(c)), s.Query(den(c))
	}
	out := make([]Value, 0, len(periods)*len(in.Regions)*len(cats))
	for _, p := range periods {
		for _, r := range in.Regions {
			for i, c := range cats {
				n, nok := nq[i].Get(r.Code, p)
				d, dok := dq[i].Get(r.Code, p)
				if !nok && !dok {
					continue
				}
				v := ratioValue(ind, r, p, n, d, nok, dok)
				v.Category, v.CategoryLabel = c, s.Label(dim, c)
				out = append(out, v)
			}
		}
	}
	return out
}
