package indicators

// evuDeltakelseAndel is evu_deltakelse_andel, participation in continuing
// education measured from registers: residents aged 25-64 registered as
// pupils or students in formal education (upper secondary, fagskole,
// university or university college) on 1 October, in per cent of all
// residents aged 25-64 (dataset evu_deltakelse: Alder 25-64, ContentsCode
// IUtdanning and Befolkning):
//
//	sum{IUtdanning 25-64} / sum{Befolkning 25-64} * 100
//
// Formal education only: non-formal training (courses at work) is measured
// by SSB's Lærevilkårsmonitoren, a sample survey supplementing the LFS with
// no municipal figures, and is not in this indicator. The 25-29 year olds
// include people still in their first education. No StatBank table is
// verified for the register counts (the demo reads the synthetic demo-evu);
// the description says so.
func evuDeltakelseAndel() *Indicator {
	ind := &Indicator{
		ID:      "evu_deltakelse_andel",
		Title:   "Voksne i formell utdanning (25-64 år)",
		TitleEN: "Adults in formal education (25-64)",
		Description: "Bosatte 25-64 år registrert i formell utdanning (videregående, fagskole, universitet og høyskole) per 1. oktober, i prosent av alle bosatte 25-64 år. " +
			"Forbehold: bare formell utdanning (kurs og opplæring på jobben er ikke med); tabellen er ikke verifisert.",
		DescriptionEN: "Residents aged 25-64 registered in formal education (upper secondary, fagskole, higher education) on 1 October, in per cent of all residents aged 25-64. " +
			"Caveat: formal education only (courses and training at work are not included); the table is not verified.",
		Unit:      "prosent",
		Theme:     ThemeEducation,
		Decimals:  1,
		Formula:   "sum{bosatte 25-64 i formell utdanning} / sum{bosatte 25-64} * 100",
		FormulaEN: "sum{residents 25-64 in formal education} / sum{residents 25-64} * 100",
		Inputs: []Input{
			{Dataset: "evu_deltakelse", Filter: Filter{"Alder": "25-64", "ContentsCode": "IUtdanning"}, Role: "teller"},
			{Dataset: "evu_deltakelse", Filter: Filter{"Alder": "25-64", "ContentsCode": "Befolkning"}, Role: "nevner"},
		},
		Numerator:     "bosatte 25-64 år i formell utdanning",
		NumeratorEN:   "residents aged 25-64 in formal education",
		Denominator:   "bosatte 25-64 år",
		DenominatorEN: "residents aged 25-64",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     HigherIsBetter,
		Basis:         Register,
		Disclosure:    registerDisclosure,
		Sources:       []string{"SSB, personer i utdanning (utdanningsregistrene), bosatte 25-64 år (tabell ikke verifisert; demoen bruker den syntetiske tabellen demo-evu)"},
		SourcesEN:     []string{"SSB, persons in education (the education registers), residents aged 25-64 (table not verified; the demo uses the synthetic table demo-evu)"},
		Citation:      "Statistisk sentralbyrå (SSB), CC BY 4.0",
		CitationEN:    "Statistics Norway (SSB), CC BY 4.0",
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareOf(ind, in, ind.Inputs[0], ind.Inputs[1]), nil
	}
	return ind
}
