package indicators

// sysselsatteNaeringLQResten is sysselsatte_naering_lq_resten, the
// location quotient of each industry group against the rest of the
// country (the nation minus the region):
//
//	LQ_ri = (e_ri / e_r) / ((N_i - e_ri) / (N - e_r))
func sysselsatteNaeringLQResten() *Indicator {
	ind := industryIndicator("sysselsatte_naering_lq_resten")
	ind.Title = "Lokaliseringskvotient for sysselsatte etter næring (mot resten av landet)"
	ind.TitleEN = "Location quotient of employment by industry (against the rest of the country)"
	ind.Description = "Næringens andel av sysselsatte i regionen delt på næringens andel i resten av landet."
	ind.DescriptionEN = "The industry's share of employment in the region divided by its share in the rest of the country."
	ind.Formula = "(e_ri / e_r) / ((N_i - e_ri) / (N - e_r))"
	ind.FormulaEN = ind.Formula // symbols only
	ind.Numerator = "sysselsatte i næringen i regionen (e_ri)"
	ind.NumeratorEN = "employed persons in the industry in the region (e_ri)"
	ind.Denominator = "sysselsatte i alle næringer i regionen (e_r)"
	ind.DenominatorEN = "employed persons in all industries in the region (e_r)"
	ind.Levels = []string{LevelCounty, LevelGrouping, LevelMunicipality}
	ind.Comparators = []Comparator{County, RegionGroup}
	ind.Compute = func(in *Inputs) ([]Value, error) { return lqValues(in, ind.Inputs[0], true) }
	return ind
}
