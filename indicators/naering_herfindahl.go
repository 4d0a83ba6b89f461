package indicators

// naeringHerfindahl is naering_herfindahl, the Herfindahl-Hirschman index
// of employment across the 16 industry groups:
//
//	H_r = sum_i {(e_ri / e_r)^2}
//
// from 1/16 (even) to 1 (one industry).
func naeringHerfindahl() *Indicator {
	ind := industryIndicator("naering_herfindahl")
	ind.Title = "Næringskonsentrasjon (Herfindahl-indeks)"
	ind.TitleEN = "Industry concentration (Herfindahl index)"
	ind.Description = "Summen av kvadrerte næringsandeler av sysselsettingen; høyere tall betyr at arbeidsplassene er samlet i få næringer."
	ind.DescriptionEN = "Sum of squared industry shares of employment; higher means jobs are concentrated in few industries."
	ind.Formula = "sum_i {(e_ri / e_r)^2}"
	ind.FormulaEN = ind.Formula // symbols only
	// Three decimals: the index lies in [1/16, 1], and 90 % of the demo's
	// municipal values between 0.090 and 0.124, which two decimals would
	// show as four numbers.
	ind.Decimals = 3
	ind.Numerator = "sysselsatte per næring i regionen"
	ind.NumeratorEN = "employed persons by industry in the region"
	ind.Denominator = "sysselsatte i alle næringsgrupper i regionen"
	ind.DenominatorEN = "employed persons in all industry groups in the region"
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return specialisation(in, ind.Inputs[0], func(e, _ []float64) (float64, error) { return Herfindahl(e) })
	}
	return ind
}

// specialisation computes an index of a region's industry vector (and the
// nation's) for every region and period, from input emp (industryInputs).
func specialisation(in *Inputs, emp Input, index func(e, nation []float64) (float64, error)) ([]Value, error) {
	s := in.Series[emp.Dataset]
	if s == nil {
		return nil, nil
	}
	groups := industries(s)
	periods := s.Periods()
	out := make([]Value, 0, len(periods)*len(in.Regions))
	qs := make([]*Query, len(groups))
	for i, g := range groups {
		qs[i] = industryQuery(s, emp.Filter, g)
	}
	qtot := industryQuery(s, emp.Filter, industryTotal)
	for _, p := range periods {
		nat, natOK, _ := industryVector(qs, "0", p)
		for _, r := range in.Regions {
			if _, has := qtot.Get(r.Code, p); !has {
				continue
			}
			e, ok, flags := industryVector(qs, r.Code, p)
			v := newValue(r, p)
			v.Flags = flags
			sum := 0.0
			for _, x := range e {
				sum += x
			}
			if !ok || !natOK || sum <= 0 {
				v.Flags = append(v.Flags, FlagMissingInput)
				out = append(out, v)
				continue
			}
			x, err := index(e, nat)
			if err != nil {
				return nil, err
			}
			v.Value, v.Valid = x, true
			out = append(out, v)
		}
	}
	return out, nil
}
