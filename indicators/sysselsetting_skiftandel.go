package indicators

// Shift-share components (the category of sysselsetting_skiftandel).
const (
	ShiftNational    = "nasjonal"
	ShiftIndustryMix = "naeringsmiks"
	ShiftRegional    = "regional"
)

// sysselsettingSkiftandel is sysselsetting_skiftandel, the change in
// employment by place of work (SSB 13470) of a region between the first
// year t0 and the last year t1 of the series, decomposed by shift-share
// into three components (category nasjonal, naeringsmiks, regional), in
// persons:
//
//	NS = E0 * g                      national share
//	IM = sum_i E0_i * (g_i - g)      industry mix
//	RS = sum_i E0_i * (r_i - g_i)    regional share
//
// where E0_i, E1_i are the region's employed in industry group i in t0 and
// t1, E0 = sum_i E0_i, g = N1/N0 - 1 the nation's total growth, g_i =
// N1_i/N0_i - 1 the nation's growth in group i and r_i = E1_i/E0_i - 1 the
// region's. E0_i * r_i is computed as E1_i - E0_i (no division, so a group
// the region did not have in t0 is fine), hence NS + IM + RS = E1 - E0
// exactly, E being the sum of the 16 SN2007 groups (the 00-99 total is not
// used). The period is the span "t0-t1". Every component is missing when
// any group of the region or the nation is missing in t0 or t1, or a
// national group is 0 in t0.
func sysselsettingSkiftandel() *Indicator {
	ind := &Indicator{
		ID:            "sysselsetting_skiftandel",
		Title:         "Endring i sysselsetting dekomponert (skiftandel)",
		TitleEN:       "Employment change decomposed by shift-share",
		Description:   "Endringen i sysselsatte etter arbeidssted fra første til siste år, delt i nasjonal vekst, næringsmiks og regional effekt (personer).",
		DescriptionEN: "Change in employment by place of work from the first to the last year, split into national growth, industry mix and regional effect (persons).",
		Unit:          "personer",
		Theme:         ThemeIndustry,
		Decimals:      0,
		Formula:       "NS = E0*g; IM = sum_i E0_i*(g_i - g); RS = sum_i E0_i*(r_i - g_i); NS+IM+RS = E1 - E0",
		FormulaEN:     "NS = E0*g; IM = sum_i E0_i*(g_i - g); RS = sum_i E0_i*(r_i - g_i); NS+IM+RS = E1 - E0", // symbols only
		Inputs: []Input{
			{Dataset: industryDataset, Filter: Filter{"ContentsCode": "SysselsatteArb"},
				Vary: map[string]string{industryDim: "16 næringsgrupper"}, VaryEN: map[string]string{industryDim: "16 industry groups"},
				Note: "første og siste år", NoteEN: "first and last year", Role: "teller"},
		},
		Numerator:     "sysselsatte etter arbeidssted og næring, første og siste år",
		NumeratorEN:   "employed persons by place of work and industry, first and last year",
		Denominator:   "ingen (personer, ikke en andel)",
		DenominatorEN: "none (persons, not a share)",
		Levels:        AllLevels,
		Direction:     Neutral,
		Basis:         Register,
		Disclosure:    registerDisclosure,
		Sources:       industrySources,
		SourcesEN:     industrySourcesEN,
		Citation:      industryCitation,
		CitationEN:    industryCitationEN,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		emp := ind.Inputs[0]
		s := in.Series[emp.Dataset]
		if s == nil {
			return nil, nil
		}
		periods := s.Periods()
		if len(periods) < 2 {
			return nil, nil
		}
		t0, t1 := periods[0], periods[len(periods)-1]
		span := t0 + "-" + t1
		groups := industries(s)
		qs := make([]*Query, len(groups))
		for i, g := range groups {
			qs[i] = industryQuery(s, emp.Filter, g)
		}
		n0, okN0, _ := industryVector(qs, "0", t0)
		n1, okN1, _ := industryVector(qs, "0", t1)
		natOK := okN0 && okN1
		var g float64
		gi := make([]float64, len(groups))
		if natOK {
			var sum0, sum1 float64
			for i := range groups {
				if n0[i] == 0 {
					natOK = false
				} else {
					gi[i] = n1[i]/n0[i] - 1
				}
				sum0, sum1 = sum0+n0[i], sum1+n1[i]
			}
			natOK = natOK && sum0 > 0
			g = sum1/sum0 - 1
		}
		labels := map[string]string{ShiftNational: "Nasjonal vekst", ShiftIndustryMix: "Næringsmiks", ShiftRegional: "Regional effekt"}
		out := make([]Value, 0, 3*len(in.Regions))
		for _, r := range in.Regions {
			e0, ok0, f0 := industryVector(qs, r.Code, t0)
			e1, ok1, f1 := industryVector(qs, r.Code, t1)
			if !covers(qs, r.Code, t0, t1) {
				continue
			}
			comp := map[string]float64{}
			ok := ok0 && ok1 && natOK
			if ok {
				var sumE0, im, rs float64
				for i := range groups {
					sumE0 += e0[i]
					im += e0[i] * (gi[i] - g)
					rs += (e1[i] - e0[i]) - e0[i]*gi[i]
				}
				comp[ShiftNational], comp[ShiftIndustryMix], comp[ShiftRegional] = sumE0*g, im, rs
			}
			flags := mergeFlags(f0, f1)
			for _, c := range []string{ShiftNational, ShiftIndustryMix, ShiftRegional} {
				v := newValue(r, span)
				v.Category, v.CategoryLabel = c, labels[c]
				v.Flags = append([]string(nil), flags...)
				if ok {
					v.Value, v.Valid = comp[c], true
				} else {
					v.Flags = append(v.Flags, FlagMissingInput)
				}
				out = append(out, v)
			}
		}
		return out, nil
	}
	return ind
}

// covers reports whether any query has a cell of region in t0 or t1.
func covers(qs []*Query, region, t0, t1 string) bool {
	for _, q := range qs {
		if _, has := q.Get(region, t0); has {
			return true
		}
		if _, has := q.Get(region, t1); has {
			return true
		}
	}
	return false
}

// mergeFlags is the union of two flag lists from cellFlags, in cellFlags
// order.
func mergeFlags(a, b []string) []string {
	has := map[string]bool{}
	for _, f := range append(append([]string(nil), a...), b...) {
		has[f] = true
	}
	return cellFlags(has[FlagApportioned], has[FlagProvisional])
}
