package book

import (
	"context"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/internal/svgcheck"
)

// regionChartKinds are the chart kinds a region page can show (pages.go,
// population.go): the gap summary, the heatmap of a county's or
// grouping's members, the population pyramid, an indicator's time series,
// and an indicator by category as ranked bars or, for a survey, dots with
// intervals.
var regionChartKinds = []string{"*charts.DivergingBars", "*charts.Heatmap", "*charts.Pyramid", "*charts.TimeSeries",
	"*charts.RankedBars", "*charts.DotInterval"}

// imgSrcRe is a figure of a page (templates.go: <img src="...">).
var imgSrcRe = regexp.MustCompile(`<img src="([^"]+)"`)

// regionCharts are the SVG charts of some region pages of a built book.
type regionCharts struct {
	svg   map[string][]byte // by path in the book: "fig/r/40.avvik.svg"
	kinds map[string]string // by path: "*charts.DivergingBars"
}

// drawRegionCharts builds the book of in, drawing only the charts of the
// region pages of codes (Options.Carry skips the others), and returns the
// SVG charts those pages show (their <img> sources). It fails when a page
// shows an SVG that was not drawn, or a drawn chart is on none of them.
func drawRegionCharts(t *testing.T, in *Input, codes ...string) regionCharts {
	t.Helper()
	var prefixes []string
	for _, c := range codes {
		prefixes = append(prefixes, "fig/r/"+fileName(c)+".")
	}
	ours := func(name string) bool {
		return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(name, p) })
	}
	kinds := map[string]string{}
	var mu sync.Mutex
	files := map[string][]byte{}
	opts := Options{Workers: 2, Carry: func(j charts.Job) bool {
		if !ours(j.Name) {
			return true // not drawn: another page's chart
		}
		if slices.Contains(j.Formats, charts.SVG) {
			mu.Lock() // Carry is called from every worker
			kinds[j.Name+".svg"] = fmt.Sprintf("%T", j.Chart)
			mu.Unlock()
		}
		return false
	}}
	write := func(rel string, data []byte) error {
		if ours(rel) && strings.HasSuffix(rel, ".svg") || strings.HasPrefix(rel, "region/") {
			mu.Lock()
			files[rel] = append([]byte(nil), data...)
			mu.Unlock()
		}
		return nil
	}
	if _, err := Build(context.Background(), in, opts, write); err != nil {
		t.Fatalf("Build() error: %v", err)
	}
	out := regionCharts{svg: map[string][]byte{}, kinds: kinds}
	for _, c := range codes {
		page := files["region/"+fileName(c)+".html"]
		if page == nil {
			t.Fatalf("no page region/%s.html", fileName(c))
		}
		for _, m := range imgSrcRe.FindAllStringSubmatch(string(page), -1) {
			src := path.Join("region", m[1])
			if !strings.HasSuffix(src, ".svg") {
				continue
			}
			if svg, ok := files[src]; ok {
				out.svg[src] = svg
			} else {
				t.Errorf("region/%s.html shows %s, which was not drawn", fileName(c), src)
			}
		}
	}
	for name := range kinds {
		if _, ok := out.svg[name]; !ok {
			t.Errorf("%s was drawn but no page of %v shows it", name, codes)
		}
	}
	return out
}

// clippedLabels returns a line for every text of svg whose box is not
// inside the image (svgcheck, as charts' TestLabelsInside), or the reason
// the SVG cannot be checked.
func clippedLabels(svg []byte) []string {
	boxes, w, h, err := svgcheck.TextBoxes(svg)
	if err != nil {
		return []string{err.Error()}
	}
	if len(boxes) == 0 || w == 0 || h == 0 {
		return []string{fmt.Sprintf("no text or no size (%d texts, %v × %v)", len(boxes), w, h)}
	}
	var out []string
	for _, b := range svgcheck.Outside(boxes, w, h, svgcheck.Tolerance) {
		out = append(out, fmt.Sprintf("%q drawn at x %.1f–%.1f, y %.1f–%.1f: outside the %.1f × %.1f image",
			b.Text, b.MinX, b.MaxX, b.MinY, b.MaxY, w, h))
	}
	return out
}

// labelsInput is browserInput (synthInput with its population: SYNTHETIC)
// with a survey indicator by category on Porsgrunn's page and long
// category labels, so that the county page (40) and Porsgrunn's (4001)
// between them show every chart kind of a region page.
func labelsInput(lang charts.Lang) *Input {
	in := browserInput()
	if lang == charts.English {
		in = englishInput()
	}
	// The longest SN2007 group names of SSB 13470, as the demo's labels.
	for i := range in.Rows {
		switch in.Rows[i].Category {
		case "C":
			in.Rows[i].CategoryLabel = "Faglig, vitenskapelig og teknisk tjenesteyting, administrative og støttetjenester"
		case "F":
			in.Rows[i].CategoryLabel = "Elektrisitet, vann og renovasjon"
		}
	}
	in.Rows = append(in.Rows,
		surveyRow("4001", "Porsgrunn", LevelMunicipality, "a", 40, 25.5, 56.2),
		surveyRow("4001", "Porsgrunn", LevelMunicipality, "b", 10, 3.1, 27.4),
		surveyRow("4001", "Porsgrunn", LevelMunicipality, "c", 72.5, 60, 81, "significant"))
	in.Indicators = append(in.Indicators, Indicator{ID: "behov_andel_test", Title: "Bedrifter med kompetansebehov, etter kompetanseområde",
		Unit: "prosent", Theme: "utdanning", Source: "syntetisk", Synthetic: true, Survey: true})
	return in
}

// TestBookLabelsInside checks that no label is clipped on the charts of
// built books (the fixture's, in bokmål and in English): for the county
// page and a municipality page, every SVG chart the page shows passes the
// box check of charts' TestLabelsInside, and the two pages show every
// chart kind a region page uses.
func TestBookLabelsInside(t *testing.T) {
	for _, lang := range []charts.Lang{charts.Bokmal, charts.English} {
		t.Run(string(lang), func(t *testing.T) {
			rc := drawRegionCharts(t, labelsInput(lang), "40", "4001")
			for _, name := range slices.Sorted(maps.Keys(rc.svg)) {
				for _, p := range clippedLabels(rc.svg[name]) {
					t.Errorf("%s (%s): %s", name, rc.kinds[name], p)
				}
			}
			var kinds []string
			for _, k := range rc.kinds {
				if !slices.Contains(kinds, k) {
					kinds = append(kinds, k)
				}
			}
			for _, k := range regionChartKinds {
				if !slices.Contains(kinds, k) {
					t.Errorf("no %s on the pages of 40 and 4001 (kinds drawn: %v)", k, kinds)
				}
			}
			t.Logf("%d SVG charts checked: %v", len(rc.svg), rc.kinds)
		})
	}
}

// TestClippedLabelsCatches checks that the check can fail on a built
// book's chart: Porsgrunn's gap chart with its image made 100 pt narrower
// than drawn (the width attribute rewritten) must have labels outside.
func TestClippedLabelsCatches(t *testing.T) {
	rc := drawRegionCharts(t, labelsInput(charts.Bokmal), "4001")
	svg, ok := rc.svg["fig/r/4001.avvik.svg"]
	if !ok {
		t.Fatalf("no gap chart on Porsgrunn's page (charts: %v)", slices.Sorted(maps.Keys(rc.svg)))
	}
	if p := clippedLabels(svg); len(p) > 0 {
		t.Fatalf("the gap chart as drawn has clipped labels: %v", p)
	}
	m := regexp.MustCompile(`<svg[^>]* width="([0-9.]+)pt"`).FindSubmatchIndex(svg)
	if m == nil {
		t.Fatalf("no width in the gap chart's <svg>")
	}
	var w float64
	fmt.Sscan(string(svg[m[2]:m[3]]), &w)
	narrow := append(append(append([]byte(nil), svg[:m[2]]...), fmt.Sprint(w-100)...), svg[m[3]:]...)
	if p := clippedLabels(narrow); len(p) == 0 {
		t.Errorf("the gap chart %v pt wide instead of %v has no label outside the image", w-100, w)
	}
}
