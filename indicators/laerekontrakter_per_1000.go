package indicators

// apprenticeDataset is Udir's FOY_LK_FylkUtdprogAar, current
// apprenticeship contracts (October count) by county, all programmes
// (UtdprogramID -10): a series with no dimension besides region and
// period.
const apprenticeDataset = "udir_laerekontrakter"

// population1524 is the 07459 age groups 15-24: the five-year groups do
// not allow 16-24.
const population1524 = "015-019+020-024"

// laerekontrakterPer1000 is laerekontrakter_per_1000, current
// apprenticeship contracts (Udir, October, all programmes) per 1000
// inhabitants aged 15-24 (07459, 1 January of the same year) in the
// county:
//
//	sum{udir_laerekontrakter} / sum{07459 Personer1, menn og kvinner, 15-24} * 1000
//
// 15-24, not 16-24: 07459 comes in five-year groups. Udir publishes by
// county only, so the indicator has no municipal values; the rest of the
// country is computed from the sums.
func laerekontrakterPer1000() *Indicator {
	ind := &Indicator{
		ID:            "laerekontrakter_per_1000",
		Title:         "Lærekontrakter per 1000 innbyggere 15-24 år",
		TitleEN:       "Apprenticeship contracts per 1000 inhabitants aged 15-24",
		Description:   "Gjeldende lærekontrakter i fylket (Udir, oktober) per 1000 innbyggere 15-24 år.",
		DescriptionEN: "Current apprenticeship contracts in the county (Udir, October) per 1000 inhabitants aged 15-24.",
		Unit:          "per 1000 innbyggere 15-24 år",
		Theme:         ThemeEducation,
		Decimals:      1,
		Formula:       "sum{lærekontrakter} / sum{befolkning 15-24} * 1000",
		FormulaEN:     "sum{apprenticeship contracts} / sum{population 15-24} * 1000",
		Inputs: []Input{
			// The dataset has no dimension besides region and period: the
			// source is asked for all programmes in October.
			{Dataset: apprenticeDataset, Filter: Filter{}, Note: "UtdprogramID=-10 (alle programmer), oktober",
				NoteEN: "UtdprogramID=-10 (all programmes), October", Role: "teller"},
			{Dataset: "befolkning", Filter: Filter{"Kjonn": "1+2", "Alder": population1524, "ContentsCode": "Personer1"}, Role: "nevner"},
		},
		Numerator:     "gjeldende lærekontrakter",
		NumeratorEN:   "current apprenticeship contracts",
		Denominator:   "befolkning 15-24 år",
		DenominatorEN: "population aged 15-24",
		Levels:        []string{LevelNation, LevelCounty},
		Comparators:   []Comparator{National, RestOfCountry},
		Direction:     HigherIsBetter,
		Basis:         Register,
		Disclosure: Disclosure{Rule: "Udirs prikking (*) følges; prikkede tall mangler",
			RuleEN: "Udir's suppression (*) is kept; suppressed figures are missing"},
		Sources:    []string{"Udir FOY_LK_FylkUtdprogAar (lærekontrakter etter fylke)", "SSB tabell 07459 Befolkning"},
		SourcesEN:  []string{"Udir FOY_LK_FylkUtdprogAar (apprenticeship contracts by county)", "SSB table 07459 Population"},
		Citation:   "Inneholder data under NLOD, tilgjengeliggjort på data.udir.no; Statistisk sentralbyrå (SSB), tabell 07459, CC BY 4.0",
		CitationEN: udirCitationEN + "; Statistics Norway (SSB), table 07459, CC BY 4.0",
		Scale:      1000,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareOf(ind, in, ind.Inputs[0], ind.Inputs[1]), nil
	}
	return ind
}
