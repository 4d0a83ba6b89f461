package indicators

// vacancyDataset is NAV's vacancies (the nav-stillinger mapping of
// sources/nav: positions by workplace municipality × STYRK-08 × month).
const vacancyDataset = "nav_stillinger"

// ledigeStillingerPer1000 is ledige_stillinger_per_1000, vacancies
// announced to NAV per 1000 employed (by place of work):
//
//	sum_o{stillinger_o} / sum{sysselsatte 00-99} * 1000
//
// The numerator sums the occupations (dimension Yrke) of nav_stillinger.
// NAV's vacancy file lists vacancies, so its cube is sparse: an occupation
// without a vacancy in a month is an empty cell, not an unknown count, and
// the sum runs over the valid cells (missing only when no occupation has
// one). A vacancy period "2024" or "2024M03" is divided by employment of
// the year "2024" (4th quarter).
func ledigeStillingerPer1000() *Indicator {
	ind := &Indicator{
		ID:            "ledige_stillinger_per_1000",
		Title:         "Ledige stillinger per 1000 sysselsatte",
		TitleEN:       "Vacancies per 1000 employed",
		Description:   "Stillinger meldt til eller utlyst via NAV per 1000 sysselsatte med arbeidssted i regionen.",
		DescriptionEN: "Vacancies announced to NAV per 1000 persons employed in the region.",
		Unit:          "per 1000 sysselsatte",
		Theme:         ThemeDemand,
		Decimals:      1,
		Formula:       "sum{ledige stillinger, alle yrker} / sum{sysselsatte 00-99} * 1000",
		FormulaEN:     "sum{vacancies, all occupations} / sum{employed 00-99} * 1000",
		Inputs: []Input{
			{Dataset: vacancyDataset, Filter: Filter{}, Vary: map[string]string{"Yrke": "sum av alle yrker (STYRK-08)"},
				VaryEN: map[string]string{"Yrke": "sum of all occupations (STYRK-08)"}, Role: "teller"},
			{Dataset: industryDataset, Filter: Filter{industryDim: industryTotal, "ContentsCode": "SysselsatteArb"},
				Note: "årets tall", NoteEN: "the same year's figures", Role: "nevner"},
		},
		Numerator:     "ledige stillinger (antall)",
		NumeratorEN:   "vacancies (number)",
		Denominator:   "sysselsatte etter arbeidssted",
		DenominatorEN: "employed persons by place of work",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     Neutral,
		Basis:         Register,
		Disclosure: Disclosure{MinDenominator: 100, Rule: "vises ikke der færre enn 100 er sysselsatt",
			RuleEN: "not shown where fewer than 100 persons are employed"},
		Sources:    []string{"NAV, ledige stillinger (data.nav.no)", "SSB tabell 13470"},
		SourcesEN:  []string{"NAV, vacancies (data.nav.no)", "SSB table 13470"},
		Citation:   "NAV (NLOD) og Statistisk sentralbyrå (SSB), tabell 13470, CC BY 4.0",
		CitationEN: "NAV (NLOD) and Statistics Norway (SSB), table 13470, CC BY 4.0",
		Scale:      1000,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		vac, emp := ind.Inputs[0], ind.Inputs[1]
		ns, ds := in.Series[vac.Dataset], in.Series[emp.Dataset]
		if ns == nil || ds == nil {
			return nil, nil
		}
		occ := ns.Codes("Yrke")
		var out []Value
		for _, p := range ns.Periods() {
			for _, r := range in.Regions {
				num := Cell{}
				nok := false
				for _, o := range occ {
					c, ok := ns.Get(r.Code, p, vac.Filter.With("Yrke", o))
					if !ok || !c.Valid {
						continue
					}
					nok = true
					num.Valid = true
					num.Value += c.Value
					num.Apportioned = num.Apportioned || c.Apportioned
					num.Provisional = num.Provisional || c.Provisional
				}
				den, dok := ds.Get(r.Code, yearOf(p), emp.Filter)
				if !nok {
					continue
				}
				out = append(out, ratioValue(ind, r, p, num, den, nok, dok))
			}
		}
		return out, nil
	}
	return ind
}

func yearOf(p string) string {
	if len(p) >= 4 {
		return p[:4]
	}
	return p
}
