package indicators

// programTypeDataset is SSB's completion of upper secondary by today's
// counties (table 14863, in the shape of 12971): Region (county, today's
// boundaries), FullforingVGO (outcome five years after the start, six for
// apprentices), UtdProgram (00 all, 01 studieforberedende, 02 yrkesfag),
// Kjonn, ContentsCode Personer (count) and Prosent, Tid the cohort span
// ("2018-2024").
const programTypeDataset = "vgs_fullforing_program"

// Codes of programTypeDataset. FullforingVGO 1a, 2a and 4b (completed) are
// verified for 12971 (DOMAIN.md §1.1), as is UtdProgram 00; the other
// outcome codes, the programme-type codes and ContentsCode Personer are
// NOT verified (the caveat in each indicator's description says so).
const (
	completedOutcomes = "1a+2a+4b"
	allOutcomes       = "1a+2a+4b+3a+4a+5a"
	progStudie        = "01"
	progYrkesfag      = "02"
)

// vgsFullfortStudieforberedende is vgs_fullfort_andel_studieforberedende,
// the share of a cohort starting a general (studieforberedende) programme
// that completed within five years, recomputed from SSB's counts:
//
//	sum{FullforingVGO=1a+2a+4b, UtdProgram=01} / sum{all outcomes, UtdProgram=01} * 100
func vgsFullfortStudieforberedende() *Indicator {
	return vgsFullfortProgramType("vgs_fullfort_andel_studieforberedende", progStudie,
		"studieforberedende", "general")
}

// vgsFullfortYrkesfag is vgs_fullfort_andel_yrkesfag, the same for the
// vocational (yrkesfaglige) programmes, UtdProgram 02 (five years; six for
// apprentices):
//
//	sum{FullforingVGO=1a+2a+4b, UtdProgram=02} / sum{all outcomes, UtdProgram=02} * 100
func vgsFullfortYrkesfag() *Indicator {
	return vgsFullfortProgramType("vgs_fullfort_andel_yrkesfag", progYrkesfag,
		"yrkesfaglige", "vocational")
}

// vgsFullfortProgramType builds the completion share of one programme type.
func vgsFullfortProgramType(id, prog, nb, en string) *Indicator {
	base := Filter{"UtdProgram": prog, "Kjonn": "0", "ContentsCode": "Personer"}
	ind := &Indicator{
		ID:      id,
		Title:   "Fullført videregående innen 5/6 år, " + nb + " utdanningsprogram",
		TitleEN: "Upper secondary completed within 5/6 years, " + en + " programmes",
		Description: "Andel av elever og lærlinger som startet på " + nb + " utdanningsprogram som har fullført innen fem år (seks for lærlinger), " +
			"etter dagens fylker (SSB 14863). Forbehold: tabellnummeret og kodene for programtype og de ikke-fullførte kategoriene er ikke verifisert mot SSB.",
		DescriptionEN: "Share of pupils and apprentices starting " + en + " programmes who completed within five years (six for apprentices), " +
			"by today's counties (SSB 14863). Caveat: the table ID and the codes of the programme type and of the outcomes other than completed are not verified against SSB.",
		Unit:      "prosent",
		Theme:     ThemeEducation,
		Decimals:  1,
		Formula:   "sum{fullført 1a+2a+4b, program " + prog + "} / sum{alle i kullet, program " + prog + "} * 100",
		FormulaEN: "sum{completed 1a+2a+4b, programme " + prog + "} / sum{all in the cohort, programme " + prog + "} * 100",
		Inputs: []Input{
			{Dataset: programTypeDataset, Filter: base.With("FullforingVGO", completedOutcomes), Role: "teller"},
			{Dataset: programTypeDataset, Filter: base.With("FullforingVGO", allOutcomes), Role: "nevner"},
		},
		Numerator:     "elever og lærlinger i kullet (" + nb + ") som fullførte",
		NumeratorEN:   "pupils and apprentices in the cohort (" + en + " programmes) who completed",
		Denominator:   "alle elever og lærlinger i kullet (" + nb + ")",
		DenominatorEN: "all pupils and apprentices in the cohort (" + en + " programmes)",
		Levels:        []string{LevelNation, LevelCounty},
		Comparators:   []Comparator{National, RestOfCountry},
		Direction:     HigherIsBetter,
		Basis:         Register,
		Disclosure:    registerDisclosure,
		Sources:       []string{"SSB tabell 14863 Gjennomføring i videregående opplæring etter fylke, utdanningsprogram og fullføringsgrad (tabellnummer ikke verifisert)"},
		SourcesEN:     []string{"SSB table 14863 Completion of upper secondary education by county, education programme and completion status (table ID not verified)"},
		Citation:      "Statistisk sentralbyrå (SSB), tabell 14863, CC BY 4.0",
		CitationEN:    "Statistics Norway (SSB), table 14863, CC BY 4.0",
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareOf(ind, in, ind.Inputs[0], ind.Inputs[1]), nil
	}
	return ind
}
