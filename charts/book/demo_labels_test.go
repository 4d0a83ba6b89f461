package book_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/pipelines/demo/demotest"
	"github.com/grunnlag/grunnlag/pipelines/publish"
)

// TestDemoLabelsInside builds the demo's knowledge base (refresh from
// the offline bundles, build; SYNTHETIC and real sample data as the demo
// says) and its book input as `grunnlag publish` does, draws the charts of
// the region pages of Trøndelag (50), the grouping Namdal and Trondheim
// (5001), and checks every SVG chart those pages show: no text outside
// the image (the box check of charts' TestLabelsInside). The demo's
// labels are the catalog's real titles, SSB's industry names and real
// municipality names, longer than the fixtures'.
func TestDemoLabelsInside(t *testing.T) {
	if testing.Short() {
		t.Skip("demo build takes several seconds")
	}
	if raceEnabled {
		t.Skip("the demo build takes minutes under -race; the plain pass runs it")
	}
	start := time.Now()
	kb := demotest.Built(t, "../../testdata/demo/grunnlag.yaml")
	st, model, reg := kb.Store, kb.Model, kb.Catalog
	in, err := (&publish.Publisher{Store: st, Indicators: reg.All(), Model: model}).Input()
	if err != nil {
		t.Fatal(err)
	}
	built := time.Since(start)
	svg, kinds := book.DrawRegionCharts(t, in, "50", "namdal", "5001")
	for _, name := range slices.Sorted(maps.Keys(svg)) {
		for _, p := range book.ClippedLabels(svg[name]) {
			t.Errorf("%s (%s): %s", name, kinds[name], p)
		}
	}
	// Every kind a region page uses but the survey's dots: the demo's
	// survey datasets come from `grunnlag survey build`, which this test
	// does not run (TestBookLabelsInside draws the dots on the fixture).
	var drawn []string
	for _, k := range kinds {
		if !slices.Contains(drawn, k) {
			drawn = append(drawn, k)
		}
	}
	for _, k := range book.RegionChartKinds {
		if k != "*charts.DotInterval" && !slices.Contains(drawn, k) {
			t.Errorf("no %s on the demo's pages of 50, namdal and 5001 (kinds drawn: %v)", k, drawn)
		}
	}
	t.Logf("demo kb and book input in %v; %d SVG charts checked in %v (kinds %v)", built.Round(time.Millisecond), len(svg),
		(time.Since(start) - built).Round(time.Millisecond), drawn)
}
