package indicators

// naeringKrugman is naering_krugman, Krugman's specialisation index of a
// region's industry structure against the nation's:
//
//	K_r = sum_i {|e_ri / e_r - N_i / N|}
//
// from 0 (the nation's structure) to 2 (nothing in common).
func naeringKrugman() *Indicator {
	ind := industryIndicator("naering_krugman")
	ind.Title = "Spesialisering (Krugman-indeks mot landet)"
	ind.TitleEN = "Specialisation (Krugman index against the nation)"
	ind.Description = "Summen av avvikene mellom regionens og landets næringsandeler av sysselsettingen; 0 betyr samme næringsstruktur som landet."
	ind.DescriptionEN = "Sum of absolute differences between the region's and the nation's industry shares of employment; 0 means the nation's structure."
	ind.Formula = "sum_i {|e_ri / e_r - N_i / N|}"
	ind.FormulaEN = ind.Formula // symbols only
	ind.Numerator = "sysselsatte per næring i regionen"
	ind.NumeratorEN = "employed persons by industry in the region"
	ind.Denominator = "sysselsatte per næring i landet"
	ind.DenominatorEN = "employed persons by industry in the nation"
	ind.Comparators = []Comparator{County, RegionGroup}
	ind.Compute = func(in *Inputs) ([]Value, error) { return specialisation(in, ind.Inputs[0], Krugman) }
	return ind
}
