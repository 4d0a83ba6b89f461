package indicators

// ledigeStillingerPer1000 is ledige_stillinger_per_1000, vacancies
// announced to NAV per 1000 employed (by place of work), yearly:
//
//	sum{stillinger} / sum{sysselsatte 00-99} * 1000
//
// A vacancy period "2024" or "2024M03" is divided by employment of the
// year "2024" (4th quarter).
func ledigeStillingerPer1000() *Indicator {
	ind := &Indicator{
		ID:            "ledige_stillinger_per_1000",
		Title:         "Ledige stillinger per 1000 sysselsatte",
		TitleEN:       "Vacancies per 1000 employed",
		Description:   "Stillinger meldt til eller utlyst via NAV per 1000 sysselsatte med arbeidssted i regionen.",
		DescriptionEN: "Vacancies announced to NAV per 1000 persons employed in the region.",
		Unit:          "per 1000 sysselsatte",
		Formula:       "sum{ledige stillinger} / sum{sysselsatte 00-99} * 1000",
		Inputs: []Input{
			{Dataset: "ledige_stillinger", Filter: "ContentsCode=Stillinger", Role: "teller"},
			{Dataset: industryDataset, Filter: "NACE2007=00-99, ContentsCode=SysselsatteArb (årets tall)", Role: "nevner"},
		},
		Numerator:   "ledige stillinger (antall)",
		Denominator: "sysselsatte etter arbeidssted",
		Levels:      AllLevels,
		Comparators: []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:   Neutral,
		Basis:       Register,
		Disclosure:  Disclosure{MinDenominator: 100, Rule: "vises ikke der færre enn 100 er sysselsatt"},
		Sources:     []string{"NAV, ledige stillinger (data.nav.no)", "SSB tabell 13470"},
		Citation:    "NAV (NLOD) og Statistisk sentralbyrå (SSB), tabell 13470, CC BY 4.0",
		Scale:       1000,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		ns, ds := in.Series["ledige_stillinger"], in.Series[industryDataset]
		if ns == nil || ds == nil {
			return nil, nil
		}
		var out []Value
		for _, p := range ns.Periods() {
			for _, r := range in.Regions {
				num, nok := ns.Get(r.Code, p, Filter{"ContentsCode": "Stillinger"})
				den, dok := industryCell(ds, r.Code, yearOf(p), industryTotal)
				if !nok && !dok {
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
