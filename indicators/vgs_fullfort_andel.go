package indicators

import "strconv"

// completionDataset is Udir's VGO_Gjennomfoering_Fylk: the share of a
// cohort that completed and passed upper secondary within five years (six
// for apprentices), by county at the start of the cohort (region), cohort
// span (period "2019-2025") and programme (Utdprogram; "-10" = all).
const completionDataset = "vgs_gjennomforing"

// completionTotal is Udir's code for all programmes.
const completionTotal = "-10"

// udirCitationEN is the English of Udir's NLOD attribution ("Inneholder
// data under NLOD, tilgjengeliggjort på data.udir.no").
const udirCitationEN = "Contains data under the Norwegian Licence for Open Government Data (NLOD), made available at data.udir.no"

// vgsFullfortAndel is vgs_fullfort_andel, the share of a cohort starting
// upper secondary that completed and passed within five years (six for
// apprentices), by county at the start of the cohort, as Udir publishes it
// (per cent, one decimal; Udir publishes no counts, so the value is not a
// ratio of sums and has no rest-of-country comparator):
//
//	fullført og bestått_k / startet_k * 100   (Udir's own share)
//
// Category "" is all programmes (Udir "-10"); the others are programmes.
// The county is the one of the cohort's start year, on that year's
// boundaries (Telemark 08 for the 2019 cohort): a cohort spanning a
// regional reform carries its series_break flag.
func vgsFullfortAndel() *Indicator {
	ind := &Indicator{
		ID:            "vgs_fullfort_andel",
		Title:         "Fullført videregående opplæring innen 5/6 år",
		TitleEN:       "Upper secondary completed within 5/6 years",
		Description:   "Andel av et kull som startet i videregående som har fullført og bestått innen fem år (seks for lærlinger), etter fylke ved start.",
		DescriptionEN: "Share of a cohort starting upper secondary who completed and passed within five years (six for apprentices), by county at the start.",
		Unit:          "prosent",
		Theme:         ThemeEducation,
		Decimals:      1,
		Formula:       "fullført og bestått / startet i kullet * 100 (Udirs andel)",
		FormulaEN:     "completed and passed / started in the cohort * 100 (Udir's share)",
		Inputs: []Input{
			{Dataset: completionDataset, Filter: Filter{}, Vary: map[string]string{"Utdprogram": completionTotal + " (alle) og hvert program"},
				VaryEN: map[string]string{"Utdprogram": completionTotal + " (all) and each programme"},
				Note:   "kull 2019: periode 2019-2025", NoteEN: "cohort 2019: period 2019-2025", Role: "teller og nevner"},
		},
		Numerator:     "elever i kullet som fullførte og bestod",
		NumeratorEN:   "pupils in the cohort who completed and passed",
		Denominator:   "alle elever i kullet",
		DenominatorEN: "all pupils in the cohort",
		Levels:        []string{LevelNation, LevelCounty},
		Comparators:   []Comparator{National},
		Direction:     HigherIsBetter,
		Basis:         Register,
		Disclosure: Disclosure{Rule: "Udirs prikking (*) følges; prikkede andeler mangler",
			RuleEN: "Udir's suppression (*) is kept; suppressed shares are missing"},
		Sources:    []string{"Udir VGO_Gjennomfoering_Fylk (Statistikkbanken, gjennomføring i videregående opplæring)"},
		SourcesEN:  []string{"Udir VGO_Gjennomfoering_Fylk (Statistikkbanken, completion of upper secondary education)"},
		Citation:   "Inneholder data under NLOD, tilgjengeliggjort på data.udir.no",
		CitationEN: udirCitationEN,
		// Per cent; Udir publishes the share only, so Num and Den are NaN
		// and the build computes no rest-of-country comparator.
		Scale: 100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		share := ind.Inputs[0]
		s := in.Series[share.Dataset]
		if s == nil {
			return nil, nil
		}
		progs := s.Codes("Utdprogram")
		var out []Value
		for _, p := range s.Periods() {
			spanFlags := spanBreakFlags(Breaks(), p)
			for _, r := range in.Regions {
				for _, prog := range progs {
					c, ok := s.Get(r.Code, p, share.Filter.With("Utdprogram", prog))
					if !ok {
						continue
					}
					v := newValue(r, p)
					if prog != completionTotal {
						v.Category, v.CategoryLabel = prog, s.Label("Utdprogram", prog)
					}
					v.Flags = append(cellFlags(c.Apportioned, c.Provisional), spanFlags...)
					if c.Valid {
						v.Value, v.Valid = c.Value, true
					} else {
						v.Flags = append(v.Flags, FlagMissingInput)
					}
					out = append(out, v)
				}
			}
		}
		return out, nil
	}
	return ind
}

// spanBreakFlags returns the flags of the regional breaks (Datasets nil)
// that fall after the first year of a period span "YYYY-ZZZZ" and no later
// than its last: a value by region at the span's start crosses them. Nil
// for a period that is not a span.
func spanBreakFlags(breaks []Break, period string) []string {
	if len(period) != 9 || period[4] != '-' {
		return nil
	}
	from, err1 := strconv.Atoi(period[:4])
	to, err2 := strconv.Atoi(period[5:])
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []string
	for _, b := range breaks {
		if b.Datasets == nil && b.Year > from && b.Year <= to {
			out = append(out, FlagSeriesBreak+":"+b.ID)
		}
	}
	return out
}
