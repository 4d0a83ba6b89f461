package indicators

// ledighetHeltAndel is ledighet_helt_andel, registered wholly unemployed
// (NAV) in per cent of the labour force, monthly:
//
//	sum{HeltLedige} / sum{HeltLedige_nevner} * 100
//
// HeltLedige_nevner is the labour force NAV divided by, recovered per
// published cell before harmonisation as HeltLedige * 100 /
// HeltLedigeProsent (the build step derives it for every ContentsCode X
// published with a rate XProsent). A municipality reproduces NAV's rate up
// to NAV's rounding; counties, groupings and the nation are sums of counts.
func ledighetHeltAndel() *Indicator {
	ind := &Indicator{
		ID:            "ledighet_helt_andel",
		Title:         "Helt ledige i prosent av arbeidsstyrken",
		TitleEN:       "Wholly unemployed, per cent of the labour force",
		Description:   "Registrerte helt ledige hos NAV i prosent av arbeidsstyrken, per måned.",
		DescriptionEN: "Registered wholly unemployed (NAV) in per cent of the labour force, monthly.",
		Unit:          "prosent",
		Theme:         ThemeEmployment,
		Decimals:      1,
		Formula:       "sum{helt ledige} / sum{arbeidsstyrke} * 100, arbeidsstyrke = helt ledige * 100 / NAVs prosent",
		FormulaEN:     "sum{wholly unemployed} / sum{labour force} * 100, labour force = wholly unemployed * 100 / NAV's percentage",
		Inputs: []Input{
			{Dataset: "arbeidsledige", Filter: Filter{"ContentsCode": "HeltLedige"}, Role: "teller"},
			{Dataset: "arbeidsledige", Filter: Filter{"ContentsCode": "HeltLedige_nevner"},
				Note: "utledet: HeltLedige * 100 / HeltLedigeProsent", NoteEN: "derived: HeltLedige * 100 / HeltLedigeProsent", Role: "nevner"},
		},
		Numerator:     "registrerte helt ledige",
		NumeratorEN:   "registered wholly unemployed",
		Denominator:   "arbeidsstyrken NAV bruker (utledet av NAVs prosent)",
		DenominatorEN: "the labour force NAV uses (derived from NAV's percentage)",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     LowerIsBetter,
		Basis:         Register,
		Disclosure:    Disclosure{Rule: "registertall: ingen prikking utover NAVs egen", RuleEN: "register data: no suppression beyond NAV's own"},
		Sources:       []string{"NAV, registrerte helt ledige, publisert av SSB i tabell 10540"},
		SourcesEN:     []string{"NAV, registered wholly unemployed, published by Statistics Norway in table 10540"},
		Citation:      "NAV og Statistisk sentralbyrå (SSB), tabell 10540, CC BY 4.0",
		CitationEN:    "NAV and Statistics Norway (SSB), table 10540, CC BY 4.0",
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareOf(ind, in, ind.Inputs[0], ind.Inputs[1]), nil
	}
	return ind
}
