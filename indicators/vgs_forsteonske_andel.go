package indicators

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// applicantDataset is Udir's VGO_Soeker_FylkUtdprogAar (applicants to
// upper secondary by first choice, Vg1), by county and programme
// (dimension Utdprogram, the report's columns; "-10" = all programmes).
// The offline demo serves a synthetic answer in the documented shape
// (testdata/demo/udir, dataset udir_vgo_soker); whether Udir also writes
// a column for the vocational programmes together ("YF") is not known.
const applicantDataset = "udir_vgo_soker"

// applicantYF is the Utdprogram code for the vocational programmes
// together, used when the series has it. PROJECT GUESS: no Udir answer
// with such a column has been seen.
const applicantYF = "YF"

// vocationalProgrammes are the Utdprogram codes of the vocational
// programmes (yrkesfag), summed for the numerator when the series has no
// "YF": the ten LK20 programmes (BA, EL, FBIE, HDP, HO, IM, NA, RM, SR,
// TIF), the LK06-style codes Udir still writes for two of them, HS for
// HO and TP for TIF (lk06Programmes), and the two LK06 vocational
// programmes LK20 split, SS (service og samferdsel) and DH (design og
// håndverk), so that older rounds are not undercounted.
// PROJECT-DEFINED, NOT OFFICIAL. Any other code (the study-preparation
// programmes ST, ID, MD, KDA, MK, ...) is not vocational and counts in
// the total "-10" only.
var vocationalProgrammes = []string{"BA", "EL", "FBIE", "HDP", "HO", "IM", "NA", "RM", "SR", "TIF", "HS", "TP", "SS", "DH"}

// vocationalNumerator returns the Utdprogram filter of the vocational
// applicants in s: "YF" when s has it, else the vocational codes s has,
// joined with "+" (a sum: missing when any term of a region is absent or
// carries a status, never a partial sum). An error wrapping
// [ErrUnsuitable] when s has a programme under both its LK20 and its
// LK06-style code, or no vocational code at all.
func vocationalNumerator(s *Series) (string, error) {
	codes := s.Codes("Utdprogram")
	if slices.Contains(codes, applicantYF) {
		return applicantYF, nil
	}
	var terms []string
	for _, c := range vocationalProgrammes {
		if slices.Contains(codes, c) {
			terms = append(terms, c)
		}
	}
	// A programme under both its LK20 and its LK06 code would count twice.
	for _, lk06 := range slices.Sorted(maps.Keys(lk06Programmes)) {
		if lk20 := lk06Programmes[lk06]; slices.Contains(terms, lk20) && slices.Contains(terms, lk06) {
			return "", fmt.Errorf("%s: Utdprogram has both %q and %q, the same programme under its LK20 and LK06 code: %w",
				s.Dataset, lk20, lk06, ErrUnsuitable)
		}
	}
	if len(terms) == 0 {
		return "", fmt.Errorf("%s: Utdprogram has no vocational programme (%q or any of %s) among %s: %w",
			s.Dataset, applicantYF, strings.Join(vocationalProgrammes, ", "), quoteAll(codes), ErrUnsuitable)
	}
	return strings.Join(terms, "+"), nil
}

// vgsForsteonskeAndel is vgs_forsteonske_andel, the share of applicants
// to Vg1 whose first choice is a vocational programme, by county:
//
//	sum{førsteønske Vg1 yrkesfag} / sum{førsteønske Vg1 alle programmer} * 100
//
// The vocational applicants are the column "YF" when the series has it,
// else the sum of the vocational programme columns it has
// (vocationalProgrammes); a programme cell with Udir's "*" makes the
// value missing.
func vgsForsteonskeAndel() *Indicator {
	ind := &Indicator{
		ID:            "vgs_forsteonske_andel",
		Title:         "Søkere til yrkesfag (førsteønske Vg1)",
		TitleEN:       "Applicants with a vocational programme as first choice (Vg1)",
		Description:   "Andel av søkerne til Vg1 som har et yrkesfaglig program som førsteønske.",
		DescriptionEN: "Share of applicants to Vg1 whose first choice is a vocational programme.",
		Unit:          "prosent",
		Theme:         ThemeEducation,
		Decimals:      1,
		Formula:       "sum{førsteønske Vg1 yrkesfag} / sum{førsteønske Vg1 alle programmer} * 100",
		FormulaEN:     "sum{first choice Vg1 vocational} / sum{first choice Vg1 all programmes} * 100",
		Inputs: []Input{
			{Dataset: applicantDataset, Filter: Filter{}, Vary: map[string]string{"Utdprogram": applicantYF + " (yrkesfag) når kolonnen finnes, " +
				"ellers summen av de yrkesfaglige programmene som finnes av " + strings.Join(vocationalProgrammes, "+")},
				VaryEN: map[string]string{"Utdprogram": applicantYF + " (vocational) where the column exists, " +
					"otherwise the sum of the vocational programmes present among " + strings.Join(vocationalProgrammes, "+")},
				Note: "førsteønske Vg1", NoteEN: "first choice Vg1", Role: "teller"},
			{Dataset: applicantDataset, Filter: Filter{"Utdprogram": completionTotal}, Note: "alle programmer, førsteønske Vg1",
				NoteEN: "all programmes, first choice Vg1", Role: "nevner"},
		},
		Numerator:     "søkere med yrkesfag som førsteønske",
		NumeratorEN:   "applicants with a vocational programme as first choice",
		Denominator:   "alle søkere til Vg1",
		DenominatorEN: "all applicants to Vg1",
		Levels:        []string{LevelNation, LevelCounty},
		Comparators:   []Comparator{National, RestOfCountry},
		Direction:     Neutral,
		Basis:         Register,
		Disclosure: Disclosure{Rule: "Udirs prikking (*) følges; prikkede tall mangler, og et prikket program gjør summen av yrkesfag manglende",
			RuleEN: "Udir's suppression (*) is kept; suppressed figures are missing, and one suppressed programme makes the vocational sum missing"},
		Sources:    []string{"Udir VGO_Soeker_FylkUtdprogAar (søkere til videregående opplæring etter utdanningsprogram, førsteønske)"},
		SourcesEN:  []string{"Udir VGO_Soeker_FylkUtdprogAar (applicants to upper secondary education by education programme, first choice)"},
		Citation:   "Inneholder data under NLOD, tilgjengeliggjort på data.udir.no",
		CitationEN: udirCitationEN,
		Scale:      100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		num, den := ind.Inputs[0], ind.Inputs[1]
		s := in.Series[num.Dataset]
		if s == nil {
			return nil, nil
		}
		programmes, err := vocationalNumerator(s)
		if err != nil {
			return nil, err
		}
		num.Filter = num.Filter.With("Utdprogram", programmes)
		return shareOf(ind, in, num, den), nil
	}
	return ind
}
