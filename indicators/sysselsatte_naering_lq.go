package indicators

// sysselsatteNaeringLQ is sysselsatte_naering_lq, the location quotient
// of each industry group against the nation:
//
//	LQ_ri = (e_ri / e_r) / (N_i / N)
//
// e: employed by place of work in the region, N: in the nation. The
// nation's own LQ is 1, so the national gap is LQ - 1.
func sysselsatteNaeringLQ() *Indicator {
	ind := industryIndicator("sysselsatte_naering_lq")
	ind.Title = "Lokaliseringskvotient for sysselsatte etter næring (mot landet)"
	ind.TitleEN = "Location quotient of employment by industry (against the nation)"
	ind.Description = "Næringens andel av sysselsatte i regionen delt på næringens andel i hele landet; over 1 betyr at næringen er større i regionen enn i landet."
	ind.DescriptionEN = "The industry's share of employment in the region divided by its share in the nation; above 1 means the industry is over-represented."
	ind.Formula = "(e_ri / e_r) / (N_i / N)"
	ind.FormulaEN = ind.Formula // symbols only
	ind.Numerator = "sysselsatte i næringen i regionen (e_ri)"
	ind.NumeratorEN = "employed persons in the industry in the region (e_ri)"
	ind.Denominator = "sysselsatte i alle næringer i regionen (e_r)"
	ind.DenominatorEN = "employed persons in all industries in the region (e_r)"
	ind.Compute = func(in *Inputs) ([]Value, error) { return lqValues(in, ind.Inputs[0], false) }
	return ind
}
