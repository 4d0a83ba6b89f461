package indicators

// uforeAndel is ufore_andel, recipients of disability benefit (uføretrygd)
// per 100 residents aged 18-66, recomputed from counts (dataset ufore:
// Alder 18-66, ContentsCode UforeMottakere and Befolkning, both at the end
// of the year):
//
//	sum{UforeMottakere 18-66} / sum{Befolkning 18-66} * 100
//
// The figures are NAV's; no StatBank table for them is verified (the demo
// reads the synthetic demo-ufore), which the description says. NAV's own
// published share uses NAV's population and, in some tables, is
// age-standardised: it is not this crude rate.
func uforeAndel() *Indicator {
	ind := &Indicator{
		ID:      "ufore_andel",
		Title:   "Mottakere av uføretrygd (18-66 år)",
		TitleEN: "Disability benefit recipients (18-66)",
		Description: "Mottakere av uføretrygd per 100 innbyggere 18-66 år, ved utgangen av året (ikke aldersstandardisert). " +
			"Forbehold: NAVs tall; tabellen og kodene er ikke verifisert, og NAVs egne publiserte andeler bruker NAVs befolkningsgrunnlag.",
		DescriptionEN: "Disability benefit recipients per 100 residents aged 18-66 at the end of the year (not age-standardised). " +
			"Caveat: NAV's figures; the table and its codes are not verified, and NAV's own published shares use NAV's population base.",
		Unit:      "prosent",
		Theme:     ThemeEmployment,
		Decimals:  1,
		Formula:   "sum{mottakere av uføretrygd 18-66} / sum{befolkning 18-66} * 100",
		FormulaEN: "sum{disability benefit recipients 18-66} / sum{population 18-66} * 100",
		Inputs: []Input{
			{Dataset: "ufore", Filter: Filter{"Alder": "18-66", "ContentsCode": "UforeMottakere"}, Role: "teller"},
			{Dataset: "ufore", Filter: Filter{"Alder": "18-66", "ContentsCode": "Befolkning"}, Role: "nevner"},
		},
		Numerator:     "mottakere av uføretrygd 18-66 år",
		NumeratorEN:   "disability benefit recipients aged 18-66",
		Denominator:   "bosatte 18-66 år",
		DenominatorEN: "residents aged 18-66",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     LowerIsBetter,
		Basis:         Register,
		Disclosure:    Disclosure{Rule: "registertall: ingen prikking utover kildens egen", RuleEN: "register data: no suppression beyond the source's own"},
		Sources:       []string{"NAV, mottakere av uføretrygd etter kommune (tabell ikke verifisert; demoen bruker den syntetiske tabellen demo-ufore)"},
		SourcesEN:     []string{"NAV, disability benefit recipients by municipality (table not verified; the demo uses the synthetic table demo-ufore)"},
		Citation:      "Arbeids- og velferdsetaten (NAV), statistikk om uføretrygd; befolkning: Statistisk sentralbyrå (SSB), CC BY 4.0",
		CitationEN:    "Norwegian Labour and Welfare Administration (NAV), disability benefit statistics; population: Statistics Norway (SSB), CC BY 4.0",
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareOf(ind, in, ind.Inputs[0], ind.Inputs[1]), nil
	}
	return ind
}
