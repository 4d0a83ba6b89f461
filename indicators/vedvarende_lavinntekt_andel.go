package indicators

// vedvarendeLavinntektAndel is vedvarende_lavinntekt_andel, persons in
// households with persistent low income (after-tax income per consumption
// unit, EU scale, below 60 per cent of the median on average over a
// three-year period; students' households excluded) in per cent of persons
// in private households, SSB 12944 (dataset vedvarende_lavinntekt: Alder
// 999A, all ages). SSB publishes the count and the share; the build drops
// the share and derives the denominator from it (VedvarendeLav_nevner =
// VedvarendeLav * 100 / VedvarendeLavProsent), so a published row gives
// back SSB's share within its rounding and regions are summed from counts:
//
//	sum{VedvarendeLav} / sum{VedvarendeLav_nevner} * 100
//
// The period is the three-year span ("2022-2024"). The table ID, the Alder
// codes and the period format are from third-party code; the ContentsCode
// codes are not verified (the description says so).
func vedvarendeLavinntektAndel() *Indicator {
	ind := &Indicator{
		ID:      "vedvarende_lavinntekt_andel",
		Title:   "Vedvarende lavinntekt (EU-60, treårsperiode)",
		TitleEN: "Persistent low income (EU-60, three-year period)",
		Description: "Personer i husholdninger med inntekt under 60 prosent av medianen (EU-skala) i gjennomsnitt over en treårsperiode, " +
			"i prosent av personer i privathusholdninger (studenthusholdninger ikke med). Forbehold: tabellnummeret 12944 og kodene er ikke verifisert mot SSB.",
		DescriptionEN: "Persons in households with income below 60 per cent of the median (EU scale) on average over a three-year period, " +
			"in per cent of persons in private households (students' households excluded). Caveat: the table ID 12944 and its codes are not verified against SSB.",
		Unit:      "prosent",
		Theme:     ThemeEmployment, // no welfare theme yet: with uføre and 15-29/30-61 outside work
		Decimals:  1,
		Formula:   "sum{personer med vedvarende lavinntekt} / sum{personer i privathusholdninger} * 100 (nevner utledet av SSBs andel)",
		FormulaEN: "sum{persons with persistent low income} / sum{persons in private households} * 100 (denominator derived from SSB's share)",
		Inputs: []Input{
			{Dataset: "vedvarende_lavinntekt", Filter: Filter{"Alder": "999A", "ContentsCode": "VedvarendeLav"}, Role: "teller"},
			{Dataset: "vedvarende_lavinntekt", Filter: Filter{"Alder": "999A", "ContentsCode": "VedvarendeLav_nevner"},
				Note: "utledet: VedvarendeLav * 100 / VedvarendeLavProsent", NoteEN: "derived: VedvarendeLav * 100 / VedvarendeLavProsent", Role: "nevner"},
		},
		Numerator:     "personer i husholdninger med vedvarende lavinntekt",
		NumeratorEN:   "persons in households with persistent low income",
		Denominator:   "personer i privathusholdninger (utenom studenthusholdninger)",
		DenominatorEN: "persons in private households (excluding student households)",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     LowerIsBetter,
		Basis:         Register,
		Disclosure:    registerDisclosure,
		Sources:       []string{"SSB tabell 12944 Personer i husholdninger med vedvarende lavinntekt (EU-60), treårsperiode (tabellnummer og koder ikke verifisert)"},
		SourcesEN:     []string{"SSB table 12944 Persons in households with persistent low income (EU-60), three-year period (table ID and codes not verified)"},
		Citation:      "Statistisk sentralbyrå (SSB), tabell 12944, CC BY 4.0",
		CitationEN:    "Statistics Norway (SSB), table 12944, CC BY 4.0",
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareOf(ind, in, ind.Inputs[0], ind.Inputs[1]), nil
	}
	return ind
}
