package indicators

// vgsFullfortAndel is vgs_fullfort_andel, the share of a cohort starting
// upper secondary that completed within five years (six for
// apprentices), by county at the start of the cohort (SSB 14863):
//
//	sum{FullforingVGO=1a,2a,4b} / sum{FullforingVGO=alle} * 100
func vgsFullfortAndel() *Indicator {
	ind := &Indicator{
		ID:            "vgs_fullfort_andel",
		Title:         "Fullført videregående opplæring innen 5/6 år",
		TitleEN:       "Upper secondary completed within 5/6 years",
		Description:   "Andel av et kull som startet i videregående som har fullført og bestått innen fem år (seks for lærlinger).",
		DescriptionEN: "Share of a cohort starting upper secondary who completed and passed within five years (six for apprentices).",
		Unit:          "prosent",
		Formula:       "sum{fullført: 1a, 2a, 4b} / sum{alle i kullet} * 100",
		Inputs: []Input{
			{Dataset: "vgs_gjennomforing", Filter: "FullforingVGO=1a+2a+4b, UtdProgram=00, Kjonn=0, ContentsCode=Personer", Role: "teller"},
			{Dataset: "vgs_gjennomforing", Filter: "FullforingVGO=TOT, UtdProgram=00, Kjonn=0, ContentsCode=Personer", Role: "nevner"},
		},
		Numerator:   "elever i kullet som fullførte og bestod",
		Denominator: "alle elever i kullet",
		Levels:      []string{LevelNation, LevelCounty},
		Comparators: []Comparator{National, RestOfCountry},
		Direction:   HigherIsBetter,
		Basis:       Register,
		Disclosure:  Disclosure{MinDenominator: 10, Rule: "vises ikke for kull med færre enn 10 elever"},
		Sources:     []string{"SSB tabell 14863 Gjennomføring i videregående opplæring", "Udir VGO_Gjennomfoering_Fylk"},
		Citation:    "Statistisk sentralbyrå (SSB), tabell 14863, CC BY 4.0; Inneholder data under NLOD, tilgjengeliggjort på data.udir.no",
		Scale:       100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareByRegion(ind, in,
			"vgs_gjennomforing", Filter{"FullforingVGO": "1a+2a+4b", "UtdProgram": "00", "Kjonn": "0", "ContentsCode": "Personer"},
			"vgs_gjennomforing", Filter{"FullforingVGO": "TOT", "UtdProgram": "00", "Kjonn": "0", "ContentsCode": "Personer"}), nil
	}
	return ind
}
