package indicators

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// symbolRe is a word of a formula that is a symbol, not a word of a
// language: one or two letters with digits and subscripts (e_ri, N_i, E0,
// NS, g_i) or sum with a subscript (sum_i).
var symbolRe = regexp.MustCompile(`^(sum|[A-Za-z]{1,2}[0-9]*)(_[A-Za-z0-9]{1,3})*$`)

// tokenRe finds the words of a text with their subscripts: runs of
// letters, digits and underscores ("e_ri", "}_i" gives "_i").
var tokenRe = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// letterRe matches a token with a letter in it (a word or a symbol, not a
// number).
var letterRe = regexp.MustCompile(`\p{L}`)

// symbolsOnly reports whether every word of s is a symbol (symbolRe, or a
// bare subscript "_i"): a formula such as "(e_ri / e_r) / (N_i / N)",
// which reads the same in both languages.
func symbolsOnly(s string) bool {
	for _, w := range tokenRe.FindAllString(s, -1) {
		if letterRe.MatchString(w) && !symbolRe.MatchString(w) && !subscriptRe.MatchString(w) {
			return false
		}
	}
	return true
}

// subscriptRe is a subscript written after a brace: "sum{...}_i".
var subscriptRe = regexp.MustCompile(`^(_[A-Za-z0-9]{1,3})+$`)

// codeRe is a code or a sum of codes, the same in both languages
// ("kompetanseomrade", "03a+04a").
var codeRe = regexp.MustCompile(`^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*$`)

// bokmalOnly are bokmål words that no English text of the catalog may
// hold (proper names such as Bedriftsundersøkelsen or Brønnøysund, and
// codes such as kompetanseomrade, may stay).
var bokmalOnly = []string{"og", "av", "med", "ikke", "etter", "utledet", "personer", "sysselsatte", "bosatte", "tabell",
	"tabellen", "år", "alle", "ingen", "prikking", "prikkes", "vises", "der", "færre", "enn", "som", "i", "på", "til",
	"hver", "samme", "nivå", "nevner", "teller", "andel", "antall", "befolkning", "kullet", "næringer", "grupper", "finnes"}

// TestCatalogEnglish: every catalog indicator has its prose in English,
// field for field, so that `--lang en` shows no bokmål on the book's
// definition pages or the workbook's definitions sheet. The rule:
//
//   - Title, Description, Formula, Numerator, Denominator, the disclosure
//     rule and Citation have an English text, never empty; Sources has an
//     English entry for every bokmål one.
//   - The optional texts (Caveats, an input's Note, a varied dimension's
//     description) have an English text exactly when they have a bokmål
//     one.
//   - No English text is byte-equal to its bokmål one, except a formula
//     whose every word is a symbol (symbolsOnly: "(e_ri / e_r) / (N_i /
//     N)") and a varied dimension described by a code alone (codeRe:
//     inndeling "kompetanseomrade"): a formula with any word in it
//     (sum{sysselsatte ...}) must be worded in English, and so must a
//     citation of proper names ("NAV, NLOD" names the agency in English).
//   - No English text holds a word of bokmalOnly (compared exactly, so
//     that codes such as ContentsCode "Sysselsatte" may stay).
func TestCatalogEnglish(t *testing.T) {
	cat := Catalog()
	if len(cat) < 30 {
		t.Fatalf("Catalog() has %d indicators, want the whole catalog", len(cat))
	}
	for _, ind := range cat {
		t.Run(ind.ID, func(t *testing.T) {
			type pair struct {
				field, nb, en string
				required      bool // required: the English must be there even if the bokmål is not
			}
			pairs := []pair{
				{"Title", ind.Title, ind.TitleEN, true},
				{"Description", ind.Description, ind.DescriptionEN, true},
				{"Formula", ind.Formula, ind.FormulaEN, true},
				{"Numerator", ind.Numerator, ind.NumeratorEN, true},
				{"Denominator", ind.Denominator, ind.DenominatorEN, true},
				{"Disclosure.Rule", ind.Disclosure.Rule, ind.Disclosure.RuleEN, true},
				{"Citation", ind.Citation, ind.CitationEN, true},
				{"Caveats", ind.Caveats, ind.CaveatsEN, false},
			}
			if len(ind.SourcesEN) != len(ind.Sources) {
				t.Errorf("SourcesEN has %d entries, Sources %d", len(ind.SourcesEN), len(ind.Sources))
			}
			for i := range min(len(ind.Sources), len(ind.SourcesEN)) {
				pairs = append(pairs, pair{fmt.Sprintf("Sources[%d]", i), ind.Sources[i], ind.SourcesEN[i], true})
			}
			for i, in := range ind.Inputs {
				name := fmt.Sprintf("Inputs[%d]", i)
				pairs = append(pairs, pair{name + ".Note", in.Note, in.NoteEN, false})
				if got, want := slices.Sorted(maps.Keys(in.VaryEN)), slices.Sorted(maps.Keys(in.Vary)); !slices.Equal(got, want) {
					t.Errorf("%s.VaryEN has dimensions %q, want Vary's %q", name, got, want)
				}
				for _, d := range slices.Sorted(maps.Keys(in.Vary)) {
					pairs = append(pairs, pair{name + ".Vary[" + d + "]", in.Vary[d], in.VaryEN[d], false})
				}
			}
			for _, p := range pairs {
				switch {
				case p.en == "" && (p.required || p.nb != ""):
					t.Errorf("%s: no English (bokmål %q)", p.field, p.nb)
				case p.en != "" && p.nb == "":
					t.Errorf("%s: English %q without a bokmål text", p.field, p.en)
				case p.en != "" && p.en == p.nb && !(p.field == "Formula" && symbolsOnly(p.en)) &&
					!(strings.Contains(p.field, ".Vary[") && codeRe.MatchString(p.en)):
					t.Errorf("%s: English = bokmål %q, and it is neither a formula of symbols only nor a code", p.field, p.en)
				}
				for _, w := range tokenRe.FindAllString(p.en, -1) {
					if slices.Contains(bokmalOnly, w) {
						t.Errorf("%s: English %q has the bokmål word %q", p.field, p.en, w)
					}
				}
			}
		})
	}
}

// TestSymbolsOnly checks the rule TestCatalogEnglish lets a formula pass
// by: symbols read the same in both languages, words do not.
func TestSymbolsOnly(t *testing.T) {
	for s, want := range map[string]bool{
		"(e_ri / e_r) / (N_i / N)":              true,
		"sum_i {(e_ri / e_r)^2}":                true,
		"NS = E0*g; IM = sum_i E0_i*(g_i - g)":  true,
		"mangel_ri / sysselsatte_ri * 100":      false,
		"sum{sysselsatte 15-74} / sum{N} * 100": false,
		"NAV, NLOD":                             false,
		"sum{N_i}_i * 100":                      true,
	} {
		if got := symbolsOnly(s); got != want {
			t.Errorf("symbolsOnly(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestProseIn: ProseIn gives the bokmål fields by default and the English
// ones for English; an English field left empty (an indicator declared
// outside the catalog) falls back to bokmål, and so do Sources when
// SourcesEN does not have an entry for each source.
func TestProseIn(t *testing.T) {
	ind := sysselsatteGronnAndel()
	nb, en := ind.ProseIn(false), ind.ProseIn(true)
	if nb.Caveats != ind.Caveats || nb.Formula != ind.Formula || nb.Citation != ind.Citation || !slices.Equal(nb.Sources, ind.Sources) {
		t.Errorf("ProseIn(false) = %+v, want the bokmål fields", nb)
	}
	if en.Caveats != ind.CaveatsEN || en.Formula != ind.FormulaEN || en.Disclosure != ind.Disclosure.RuleEN ||
		en.Numerator != ind.NumeratorEN || en.Denominator != ind.DenominatorEN || en.Citation != ind.CitationEN ||
		en.Title != ind.TitleEN || en.Description != ind.DescriptionEN || !slices.Equal(en.Sources, ind.SourcesEN) {
		t.Errorf("ProseIn(true) = %+v, want the English fields", en)
	}
	ind.FormulaEN, ind.SourcesEN = "", ind.SourcesEN[:1]
	if p := ind.ProseIn(true); p.Formula != ind.Formula || !slices.Equal(p.Sources, ind.Sources) || p.Numerator != ind.NumeratorEN {
		t.Errorf("ProseIn(true) with FormulaEN empty and one SourcesEN short = formula %q, sources %q, numerator %q; "+
			"want the bokmål formula and sources, the English numerator", p.Formula, p.Sources, p.Numerator)
	}
}

// TestFilterTextIn: the English filter text has the same codes in the
// same order as the bokmål one, with the varied dimensions' descriptions
// and the note in English (the shapes of FilterText's doc).
func TestFilterTextIn(t *testing.T) {
	for _, c := range []struct {
		in     Input
		nb, en string
	}{
		{Input{Filter: Filter{"ContentsCode": "HeltLedige_nevner"}, Note: "utledet: HeltLedige * 100 / HeltLedigeProsent",
			NoteEN: "derived: HeltLedige * 100 / HeltLedigeProsent"},
			"ContentsCode=HeltLedige_nevner (utledet: HeltLedige * 100 / HeltLedigeProsent)",
			"ContentsCode=HeltLedige_nevner (derived: HeltLedige * 100 / HeltLedigeProsent)"},
		{Input{Filter: Filter{"Kjonn": "0"}, Vary: map[string]string{"Alder": "gruppene som dekker 25-64"},
			VaryEN: map[string]string{"Alder": "the groups covering 25-64"}},
			"Kjonn=0, Alder=gruppene som dekker 25-64", "Kjonn=0, Alder=the groups covering 25-64"},
		// No English words declared: the bokmål ones.
		{Input{Vary: map[string]string{"Yrke": "hver yrkesgruppe"}, Note: "årets tall"},
			"Yrke=hver yrkesgruppe (årets tall)", "Yrke=hver yrkesgruppe (årets tall)"},
		{Input{Filter: Filter{}, Note: "førsteønske Vg1", NoteEN: "first choice Vg1"}, "førsteønske Vg1", "first choice Vg1"},
	} {
		if got := c.in.FilterTextIn(false); got != c.nb {
			t.Errorf("FilterTextIn(false) = %q, want %q", got, c.nb)
		}
		if got := c.in.FilterText(); got != c.nb {
			t.Errorf("FilterText() = %q, want %q", got, c.nb)
		}
		if got := c.in.FilterTextIn(true); got != c.en {
			t.Errorf("FilterTextIn(true) = %q, want %q", got, c.en)
		}
	}
}
