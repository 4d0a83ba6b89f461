package publish

import (
	"slices"
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
	// The English filter is codes only, sorted by dimension.
	if f, w := en.Inputs[1].Filter, "Alder=015-019+020-024+025-029+030-034+035-039+040-044+045-049+050-054+055-059+060-064+065-069+070-074, ContentsCode=Personer1, Kjonn=1+2"; f != w {
		t.Errorf("English filter = %q, want %q", f, w)
	}
}
