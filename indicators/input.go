package indicators

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Input is one dataset an indicator reads: the cells it takes, as the
// indicator's Compute reads them, and its role. The declaration is the only
// place an indicator names its datasets and codes: Compute takes the
// dataset ID and the Filter from it (ind.Inputs[0] ...), and the
// human-readable filter of `grunnlag indicators show` is derived from it
// ([Input.FilterText]).
type Input struct {
	Dataset string // dataset ID as in the config (e.g. "utdanningsniva")
	// Filter fixes codes of the dataset's dimensions, as Compute passes
	// them to [Series.Get] or [Series.Query]; "03a+04a" is a sum.
	Filter Filter
	// Vary names the dimensions whose codes Compute chooses itself, from
	// the data, and says how in bokmål: one value per code of a breakdown
	// ("hver gruppe"), the codes that make up a range ("gruppene som
	// dekker 25-64"), a sum over the codes present. A dimension is in
	// Filter or in Vary, not both.
	Vary map[string]string
	// VaryEN is Vary in English: the same dimensions, how each is chosen
	// in English words.
	VaryEN map[string]string
	// Note is an optional remark in bokmål on the cells read, such as how
	// the build derives a column that is not the source's ("utledet:
	// HeltLedige * 100 / HeltLedigeProsent"). NoteEN is the same in
	// English, present exactly when Note is.
	Note   string
	NoteEN string
	// Role is "teller", "nevner", "teller og nevner", "intervall" (the
	// bounds of an interval), or "prikkegrunnlag" (read only for the
	// disclosure rule, as the 15-74 total of a count).
	Role string
	// Optional marks inputs that may be absent without skipping the
	// indicator.
	Optional bool
}

// Population and measure dimensions, listed after the dimensions that
// pick the subject in [Input.FilterText].
var filterTail = []string{"Kjonn", "Alder", "ContentsCode"}

// FilterText returns the filter in words: "dim=code" for every dimension
// of Filter and "dim=how" for every dimension of Vary, joined by ", ", with
// the note in parentheses (the note alone when no dimension is named).
// The dimensions that pick the subject (Nivaa, NACE2007, Yrke, maal, ...)
// come first, sorted, then the population (Kjonn, Alder) and the measure
// (ContentsCode):
//
//	Input{Filter: Filter{"Nivaa": "03a+04a", "Kjonn": "0", "ContentsCode": "Personer"}}
//	    → "Nivaa=03a+04a, Kjonn=0, ContentsCode=Personer"
//	Input{Filter: Filter{"ContentsCode": "HeltLedige_nevner"}, Note: "utledet: HeltLedige * 100 / HeltLedigeProsent"}
//	    → "ContentsCode=HeltLedige_nevner (utledet: HeltLedige * 100 / HeltLedigeProsent)"
func (in Input) FilterText() string { return in.filterText(in.Vary, in.Note) }

// FilterTextIn is [Input.FilterText] in English (VaryEN and NoteEN) when
// english is true, in bokmål otherwise. A varied dimension without an
// English description shows its bokmål one, and so does a missing English
// note (declarations outside the catalog; the catalog has them all).
func (in Input) FilterTextIn(english bool) string {
	if !english {
		return in.FilterText()
	}
	vary := make(map[string]string, len(in.Vary))
	for d, how := range in.Vary {
		vary[d] = how
		if en := in.VaryEN[d]; en != "" {
			vary[d] = en
		}
	}
	return in.filterText(vary, in.NoteIn(true))
}

// NoteIn is the input's note in English when english is true (the bokmål
// note when it has no English one), in bokmål otherwise.
func (in Input) NoteIn(english bool) string {
	if english && in.NoteEN != "" {
		return in.NoteEN
	}
	return in.Note
}

// filterText is FilterText with the varied dimensions' descriptions and
// the note given.
func (in Input) filterText(vary map[string]string, note string) string {
	text := map[string]string{}
	for d, c := range in.Filter {
		text[d] = c
	}
	for d, how := range vary {
		text[d] = how
	}
	var dims []string
	for _, d := range slices.Sorted(maps.Keys(text)) {
		if !slices.Contains(filterTail, d) {
			dims = append(dims, d)
		}
	}
	for _, d := range filterTail {
		if _, ok := text[d]; ok {
			dims = append(dims, d)
		}
	}
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = d + "=" + text[d]
	}
	s := strings.Join(parts, ", ")
	switch {
	case note == "":
		return s
	case s == "":
		return note
	}
	return s + " (" + note + ")"
}

// validate checks one input declaration.
func (in Input) validate() error {
	var errs []string
	if in.Dataset == "" {
		errs = append(errs, "no dataset")
	}
	if in.Role == "" {
		errs = append(errs, "no role")
	}
	for _, d := range slices.Sorted(maps.Keys(in.Filter)) {
		if d == "" || in.Filter[d] == "" {
			errs = append(errs, fmt.Sprintf("empty dimension or code %q=%q", d, in.Filter[d]))
		}
		if _, both := in.Vary[d]; both {
			errs = append(errs, fmt.Sprintf("dimension %s both fixed and varied", d))
		}
	}
	for _, d := range slices.Sorted(maps.Keys(in.Vary)) {
		if d == "" || in.Vary[d] == "" {
			errs = append(errs, fmt.Sprintf("varied dimension %q without a description", d))
		}
	}
	if in.FilterText() == "" {
		errs = append(errs, "no filter, varied dimension or note")
	}
	if len(errs) > 0 {
		return fmt.Errorf("input %s: %s", in.Dataset, strings.Join(errs, "; "))
	}
	return nil
}

// With returns a copy of f with dimension dim fixed to code (f itself is
// not changed).
func (f Filter) With(dim, code string) Filter {
	g := make(Filter, len(f)+1)
	for d, c := range f {
		g[d] = c
	}
	g[dim] = code
	return g
}

// shareOf is shareByRegion of the numerator and denominator inputs as
// declared.
func shareOf(ind *Indicator, in *Inputs, num, den Input) []Value {
	return shareByRegion(ind, in, num.Dataset, num.Filter, den.Dataset, den.Filter)
}
