package publish

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// TestDefinition checks that the book's definition of an indicator is
// the catalog's (sysselsettingsgrad_15_74 in indicators) joined with the
// current dataset versions of a SYNTHETIC catalog, and that the series
// breaks are those the registry says affect its datasets.
func TestDefinition(t *testing.T) {
	var ind *indicators.Indicator
	for _, x := range indicators.Catalog() {
		if x.ID == "sysselsettingsgrad_15_74" {
			ind = x
		}
	}
	if ind == nil {
		t.Fatal("sysselsettingsgrad_15_74 not in the catalog")
	}
	cat := &store.Catalog{Datasets: map[string]*store.DatasetEntry{
		"befolkning": {Current: "v2", Versions: []store.Version{
			{Stamp: "v1", Table: "old"},
			{Stamp: "v2", Table: "07459", Title: "Befolkning", Attribution: "Statistisk sentralbyrå (SSB)", Licence: "CC BY 4.0",
				SourceUpdated: "2025-02-21T08:00:00Z", FetchedAt: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}}},
	}}
	def := Definition(ind, cat, charts.Bokmal)
	if def.Formula != ind.Formula || def.Numerator != ind.Numerator || def.Disclosure != ind.Disclosure.Rule {
		t.Errorf("Definition: formula %q numerator %q disclosure %q, want the catalog's", def.Formula, def.Numerator, def.Disclosure)
	}
	if len(def.Inputs) != 2 {
		t.Fatalf("Definition: %d inputs, want 2", len(def.Inputs))
	}
	// sysselsettingsgrad has no version in the catalog: only what the
	// indicator says.
	if in := def.Inputs[0]; in.Dataset != "sysselsettingsgrad" || in.Role != "teller" || in.Table != "" {
		t.Errorf("input 0 = %+v", in)
	}
	in := def.Inputs[1]
	want := [...]string{"befolkning", "nevner", "07459", "2025-02-21", "2025-03-01", "CC BY 4.0", "Statistisk sentralbyrå (SSB)"}
	got := [...]string{in.Dataset, in.Role, in.Table, in.Updated, in.Fetched, in.Licence, in.Source}
	if got != want {
		t.Errorf("input 1 = %v, want %v", got, want)
	}
	if def.Licence != "CC BY 4.0" {
		t.Errorf("Licence = %q", def.Licence)
	}
	// breaks.go: sysselsettingsgrad is in statistikkloven_2021; the
	// region breaks without datasets (region_2018, region_2020,
	// region_2024) affect every series; styrk08, nav and aku do not.
	wantBreaks := []string{"Regionreform", "Kommune- og regionreformen", "Ny statistikklov", "Fylkesdelingen"}
	if len(def.Breaks) != len(wantBreaks) {
		t.Fatalf("Breaks = %q, want %d starting %q", def.Breaks, len(wantBreaks), wantBreaks)
	}
	for i, w := range wantBreaks {
		if len(def.Breaks[i]) < len(w) || def.Breaks[i][:len(w)] != w {
			t.Errorf("Breaks[%d] = %q, want it to start %q", i, def.Breaks[i], w)
		}
	}
	en := Definition(ind, cat, charts.English)
	if !slices.Contains(en.Breaks, "New Statistics Act: Statistics Norway's new rules for suppressing small numbers") {
		t.Errorf("English breaks = %q", en.Breaks)
	}
	// The filter of befolkning is codes only, the same in both
	// languages, in FilterText's order (population, then measure).
	if f, w := en.Inputs[1].Filter, "Kjonn=1+2, Alder=015-019+020-024+025-029+030-034+035-039+040-044+045-049+050-054+055-059+060-064+065-069+070-074, ContentsCode=Personer1"; f != w {
		t.Errorf("English filter = %q, want %q", f, w)
	}
	// The English definition is the catalog's English prose, and the
	// derived denominator's note is English.
	if en.Formula != ind.FormulaEN || en.Numerator != ind.NumeratorEN || en.Denominator != ind.DenominatorEN ||
		en.Disclosure != ind.Disclosure.RuleEN || en.Citation != ind.CitationEN || !slices.Equal(en.Sources, ind.SourcesEN) {
		t.Errorf("English Definition = %+v, want the catalog's English fields", en)
	}
	if def.Formula == en.Formula || def.Citation == en.Citation {
		t.Errorf("bokmål and English definitions share formula %q or citation %q", def.Formula, def.Citation)
	}
}

// TestDefinitionEnglishNotes: an input's note is a caveat of the
// definition, in the book's language (sysselsettingsgrad_20_66's derived
// denominator: Note "utledet: ...", NoteEN "derived: ..."), and so is the
// indicator's own caveat (sysselsatte_gronn_andel), first.
func TestDefinitionEnglishNotes(t *testing.T) {
	for _, c := range []struct{ id, nb, en string }{
		{"sysselsettingsgrad_20_66", "utledet: Sysselsatte * 100 / SysselsatteProsent", "derived: Sysselsatte * 100 / SysselsatteProsent"},
		{"sysselsatte_gronn_andel", "13470 har bare 16 næringsgrupper", "13470 has only 16 industry groups"},
	} {
		ind := catalogIndicator(t, c.id)
		nb, en := Definition(ind, nil, charts.Bokmal), Definition(ind, nil, charts.English)
		if len(nb.Caveats) == 0 || !strings.HasPrefix(nb.Caveats[0], c.nb) {
			t.Errorf("%s: bokmål caveats = %q, want %q first", c.id, nb.Caveats, c.nb)
		}
		if len(en.Caveats) == 0 || !strings.HasPrefix(en.Caveats[0], c.en) || len(en.Caveats) != len(nb.Caveats) {
			t.Errorf("%s: English caveats = %q, want %q first and as many as in bokmål (%d)", c.id, en.Caveats, c.en, len(nb.Caveats))
		}
	}
}

// catalogIndicator returns the catalog's indicator id.
func catalogIndicator(t *testing.T, id string) *indicators.Indicator {
	t.Helper()
	for _, x := range indicators.Catalog() {
		if x.ID == id {
			return x
		}
	}
	t.Fatalf("%s not in the catalog", id)
	return nil
}
