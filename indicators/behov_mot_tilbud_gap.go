package indicators

import "math"

// supplyDataset is pipelines/needs' join of mapped needs and supply by
// competence area (dataset "needs_vs_supply"; dimensions region_level,
// kompetanseomrade, maal, kilde, kilde_periode).
const supplyDataset = "needs_vs_supply"

// supplyCell is the needs_vs_supply cell under filter f (an input's, which
// fixes region_level and maal) for region r and area, whichever kilde and
// kilde_periode it carries.
func supplyCell(s *Series, r Region, period, area string, f Filter) (Cell, bool) {
	f = f.With("kompetanseomrade", area)
	for _, k := range s.Codes("kilde") {
		for _, kp := range s.Codes("kilde_periode") {
			c, ok := s.Get(r.Code, period, f.With("kilde", k).With("kilde_periode", kp))
			if ok {
				return c, true
			}
		}
	}
	return Cell{}, false
}

// behovMotTilbudGap is behov_mot_tilbud_gap, by county and competence
// area: the persons the surveyed firms need (weighted) minus the fagskole
// students in the matching fields (DBH, mapped to areas by
// pipelines/needs), in persons; positive means the mapped need exceeds
// this supply:
//
//	G_a = behov_personer_vektet_a - fagskolestudenter_a
//	[low, high] = [personer_ci_lav_a - S_a, personer_ci_hoy_a - S_a]
//
// The supply is a register count (no uncertainty), so the interval is the
// need's (kompetansebehov) shifted; a gap is flagged significant only
// where that interval excludes zero ([Significant]). Areas without a
// matching fagskole field get no value; a suppressed need stays missing.
func behovMotTilbudGap() *Indicator {
	supplyVary := map[string]string{"kompetanseomrade": "hvert kompetanseområde", "kilde": "den som finnes", "kilde_periode": "den som finnes"}
	eachArea := map[string]string{"inndeling": "kompetanseomrade", "kategori": "hvert område"}
	supplyVaryEN := map[string]string{"kompetanseomrade": "each competence area", "kilde": "the one present", "kilde_periode": "the one present"}
	eachAreaEN := map[string]string{"inndeling": "kompetanseomrade", "kategori": "each area"}
	ind := &Indicator{
		ID:            "behov_mot_tilbud_gap",
		Title:         "Kartlagt behov mot tilbud (fagskolestudenter i matchende fagfelt)",
		TitleEN:       "Mapped need against supply (vocational college students in matching fields)",
		Description:   "Personer bedriftene trenger (vektet) minus fagskolestudenter i fagområder som svarer til kompetanseområdet, med usikkerhetsintervall.",
		DescriptionEN: "Persons the firms need (weighted) minus vocational college students in the matching fields, with an interval.",
		Unit:          "personer",
		Theme:         ThemeDemand,
		Decimals:      0,
		Formula:       "behov_personer_vektet - fagskolestudenter; intervall [personer_ci_lav, personer_ci_hoy] - fagskolestudenter",
		FormulaEN:     "behov_personer_vektet - fagskolestudenter; interval [personer_ci_lav, personer_ci_hoy] - fagskolestudenter",
		Inputs: []Input{
			{Dataset: supplyDataset, Filter: Filter{"region_level": LevelCounty, "maal": "behov_personer_vektet"}, Vary: supplyVary, VaryEN: supplyVaryEN, Role: "teller"},
			{Dataset: supplyDataset, Filter: Filter{"region_level": LevelCounty, "maal": "fagskolestudenter"}, Vary: supplyVary, VaryEN: supplyVaryEN, Role: "teller"},
			{Dataset: needsDataset, Filter: Filter{"maal": "personer_ci_lav"}, Vary: eachArea, VaryEN: eachAreaEN, Role: "intervall", Optional: true},
			{Dataset: needsDataset, Filter: Filter{"maal": "personer_ci_hoy"}, Vary: eachArea, VaryEN: eachAreaEN, Role: "intervall", Optional: true},
			{Dataset: needsDataset, Filter: Filter{"maal": "respondenter"}, Vary: eachArea, VaryEN: eachAreaEN, Role: "prikkegrunnlag", Optional: true},
		},
		Numerator:     "kartlagt behov minus fagskolestudenter (personer)",
		NumeratorEN:   "mapped need minus vocational college students (persons)",
		Denominator:   "ingen (personer, ikke en andel)",
		DenominatorEN: "none (persons, not a share)",
		Levels:        []string{LevelCounty},
		Direction:     Neutral,
		Basis:         Survey,
		Disclosure: Disclosure{MinUnits: 3, Rule: "prikkes når færre enn 3 bedrifter står bak behovet",
			RuleEN: "suppressed when fewer than 3 firms are behind the need"},
		Sources:    []string{needsSources[0], "DBH fagskolestudenter etter fagområde"},
		SourcesEN:  []string{needsSourcesEN[0], "DBH, vocational college students by field of study"},
		Citation:   "Kartlegging av kompetansebehov; DBH (HK-dir), NLOD",
		CitationEN: "Survey of competence needs; DBH (HK-dir), NLOD",
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		needIn, supIn, low, high, resp := ind.Inputs[0], ind.Inputs[1], ind.Inputs[2], ind.Inputs[3], ind.Inputs[4]
		s := in.Series[needIn.Dataset]
		if s == nil {
			return nil, nil
		}
		ns := in.Series[low.Dataset]
		var out []Value
		for _, p := range s.Periods() {
			for _, r := range in.Regions {
				if r.Level != LevelCounty {
					continue
				}
				for _, a := range s.Codes("kompetanseomrade") {
					sup, sok := supplyCell(s, r, p, a, supIn.Filter)
					need, bok := supplyCell(s, r, p, a, needIn.Filter)
					if !sok || !bok {
						continue
					}
					v := newValue(r, p)
					v.Category, v.CategoryLabel = a, s.Label("kompetanseomrade", a)
					v.Flags = cellFlags(sup.Apportioned || need.Apportioned, sup.Provisional || need.Provisional)
					if !sup.Valid || !need.Valid {
						v.Flags = append(v.Flags, FlagMissingInput)
						out = append(out, v)
						continue
					}
					v.Value, v.Valid = need.Value-sup.Value, true
					if ns == nil {
						v.Flags = append(v.Flags, "ci_unavailable")
						out = append(out, v)
						continue
					}
					n, _ := needsCell(ns, r, p, a, resp.Filter)
					v.NUnits = int(n.Value)
					if !n.Valid || n.Value < float64(ind.Disclosure.MinUnits) {
						v.Valid, v.Value = false, 0
						v.Flags = append(v.Flags, FlagSuppressed)
						out = append(out, v)
						continue
					}
					lo, lok := needsCell(ns, r, p, a, low.Filter)
					hi, hok := needsCell(ns, r, p, a, high.Filter)
					if lok && hok && lo.Valid && hi.Valid {
						v.CILow, v.CIHigh = lo.Value-sup.Value, hi.Value-sup.Value
						if Significant(v.CILow, v.CIHigh) {
							v.Flags = append(v.Flags, FlagSignificant)
						} else {
							v.Flags = append(v.Flags, FlagNotSignif)
						}
					} else {
						v.CILow, v.CIHigh = math.NaN(), math.NaN()
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
