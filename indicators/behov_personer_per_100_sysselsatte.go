package indicators

// needsDataset is the company-needs survey after disclosure control
// (pipelines/needs, dataset "kompetansebehov"): long, one row per region,
// view (inndeling: "_T" or kompetanseomrade, …), category (kategori) and
// measure (maal); suppressed cells have status ":".
const needsDataset = "kompetansebehov"

// needsCell is the kompetansebehov cell under filter f (an input's, which
// fixes the measure maal) for a competence area (area "" is the total:
// inndeling and kategori "_T").
func needsCell(s *Series, r Region, period, area string, f Filter) (Cell, bool) {
	if area == "" {
		return s.Get(r.Code, period, f.With("inndeling", surveyTotal).With("kategori", surveyTotal))
	}
	return s.Get(r.Code, period, f.With("inndeling", "kompetanseomrade").With("kategori", area))
}

// needsVary says how needsCell picks the cells of kompetansebehov.
func needsVary() map[string]string {
	return map[string]string{"inndeling": surveyTotal + " og kompetanseomrade", "kategori": surveyTotal + " og hvert område"}
}

// needsVaryEN is needsVary in English.
func needsVaryEN() map[string]string {
	return map[string]string{"inndeling": surveyTotal + " and kompetanseomrade", "kategori": surveyTotal + " and each area"}
}

// behovPersonerPer100 is behov_personer_per_100_sysselsatte, the persons
// the surveyed firms need (weighted to all firms), per 100 employed by
// place of work in the region in the survey year, in total (category "")
// and by competence area, with the survey's interval:
//
//	B = personer_vektet / sum{13470 SysselsatteArb, 00-99} * 100
//	[low, high] = [personer_ci_lav, personer_ci_hoy] / sysselsatte * 100
//
// A value is suppressed when fewer than 3 firms responded; a suppressed
// survey cell (":") stays missing, never 0. Where the build sums
// municipal cells to a county, the summed bounds are conservative (as if
// the municipal estimates were perfectly correlated).
func behovPersonerPer100() *Indicator {
	ind := &Indicator{
		ID:            "behov_personer_per_100_sysselsatte",
		Title:         "Kompetansebehov: personer per 100 sysselsatte",
		TitleEN:       "Company needs: persons needed per 100 employed",
		Description:   "Antall personer bedriftene i kartleggingen oppgir å trenge (vektet), per 100 sysselsatte i regionen, med usikkerhetsintervall.",
		DescriptionEN: "Persons the surveyed firms report needing (weighted), per 100 employed in the region, with an interval.",
		Unit:          "per 100 sysselsatte",
		Theme:         ThemeDemand,
		Decimals:      1,
		Formula:       "personer_vektet / sysselsatte * 100; intervall [personer_ci_lav, personer_ci_hoy] / sysselsatte * 100",
		FormulaEN:     "personer_vektet / employed * 100; interval [personer_ci_lav, personer_ci_hoy] / employed * 100",
		Inputs: []Input{
			{Dataset: needsDataset, Filter: Filter{"maal": "personer_vektet"}, Vary: needsVary(), VaryEN: needsVaryEN(), Role: "teller"},
			{Dataset: industryDataset, Filter: Filter{industryDim: industryTotal, "ContentsCode": "SysselsatteArb"},
				Note: "samme år", NoteEN: "the same year", Role: "nevner"},
			{Dataset: needsDataset, Filter: Filter{"maal": "personer_ci_lav"}, Vary: needsVary(), VaryEN: needsVaryEN(), Role: "intervall"},
			{Dataset: needsDataset, Filter: Filter{"maal": "personer_ci_hoy"}, Vary: needsVary(), VaryEN: needsVaryEN(), Role: "intervall"},
			{Dataset: needsDataset, Filter: Filter{"maal": "respondenter"}, Vary: needsVary(), VaryEN: needsVaryEN(), Role: "prikkegrunnlag"},
		},
		Numerator:     "personer bedriftene trenger (vektet)",
		NumeratorEN:   "persons the firms need (weighted)",
		Denominator:   "sysselsatte etter arbeidssted",
		DenominatorEN: "employed persons by place of work",
		Levels:        []string{LevelNation, LevelCounty, LevelGrouping, LevelMunicipality},
		Comparators:   []Comparator{National, County},
		Direction:     Neutral,
		Basis:         Survey,
		Disclosure:    Disclosure{MinUnits: 3, Rule: "prikkes når færre enn 3 bedrifter står bak tallet", RuleEN: surveyRuleEN},
		Sources:       []string{needsSources[0], "SSB tabell 13470"},
		SourcesEN:     []string{needsSourcesEN[0], "SSB table 13470"},
		Citation:      "Kartlegging av kompetansebehov; Statistisk sentralbyrå (SSB), tabell 13470, CC BY 4.0",
		CitationEN:    "Survey of competence needs; Statistics Norway (SSB), table 13470, CC BY 4.0",
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		need, emp, low, high, resp := ind.Inputs[0], ind.Inputs[1], ind.Inputs[2], ind.Inputs[3], ind.Inputs[4]
		s, es := in.Series[need.Dataset], in.Series[emp.Dataset]
		if s == nil || es == nil {
			return nil, nil
		}
		areas := append([]string{""}, s.Codes("kategori")...)
		var out []Value
		for _, p := range s.Periods() {
			for _, r := range in.Regions {
				e, eok := es.GetUnit(r, p, emp.Filter)
				for _, a := range areas {
					if a == surveyTotal {
						continue
					}
					num, nok := needsCell(s, r, p, a, need.Filter)
					if !nok {
						continue
					}
					n, _ := needsCell(s, r, p, a, resp.Filter)
					v := ratioValue(ind, r, p, num, e, nok, eok)
					if a != "" {
						v.Category, v.CategoryLabel = a, s.Label("kategori", a)
					}
					v.NUnits = int(n.Value)
					if v.Valid && (!n.Valid || n.Value < float64(ind.Disclosure.MinUnits)) {
						v.Valid, v.Value = false, 0
						v.Flags = append(v.Flags, FlagSuppressed)
					}
					lo, lok := needsCell(s, r, p, a, low.Filter)
					hi, hok := needsCell(s, r, p, a, high.Filter)
					if v.Valid && lok && hok && lo.Valid && hi.Valid {
						v.CILow, v.CIHigh = lo.Value/e.Value*100, hi.Value/e.Value*100
					} else if v.Valid {
						v.Flags = append(v.Flags, "ci_unavailable")
					}
					out = append(out, v)
				}
			}
		}
		return out, nil
	}
	return ind
}
