package charts

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/grunnlag/grunnlag/charts/internal/svgcheck"
)

// wideHeatmap is a SYNTHETIC heatmap shaped like a county's page (38
// municipalities × 16 indicators, long labels, a blank column of an
// indicator not compared with the nation).
func wideHeatmap() *Heatmap {
	rows, cols := 38, 16
	g := grid{cols: cols, rows: rows}
	var rl, cl []string
	for r := range rows {
		rl = append(rl, fmt.Sprintf("Kommune %02d – Nåavmesjenjaelmie", r))
	}
	for k := range cols {
		cl = append(cl, fmt.Sprintf("Indikator %02d med en lang tittel…", k))
	}
	for r := range rows {
		for k := range cols {
			v := 70 + float64((r*7+k*13)%61)
			if k == 11 {
				v = math.NaN()
			}
			g.z = append(g.z, v)
		}
	}
	notes := make([]string, cols)
	notes[11] = "sammenlignes ikke med landet, så det finnes ingen avviksindeks"
	return &Heatmap{Meta: meta("Trøndelag: kommunene mot landet", "Avviksindeks, landet = 100, siste periode", "", ""),
		Grid: g, RowLabels: rl, ColLabels: cl, Mid: 100, Span: 30, ScaleLabel: "Avviksindeks (landet = 100)", ColumnNotes: notes}
}

// TestLabelsInside renders charts as SVG and checks that every text lies
// inside the image (no clipped label, legend or caption), with a
// tolerance of 0.5 pt for the font metrics' rounding.
// GRUNNLAG_CHART_OUT=<dir> also writes the PNGs to look at.
func TestLabelsInside(t *testing.T) {
	wide := wideHeatmap()
	wide.Height = DefaultHeight + vg.Length(38+4)*vg.Points(11)
	for name, c := range map[string]Chart{
		"heatmap":      fixtureHeatmap(),
		"heatmap-wide": wide,
		"pyramid":      fixturePyramid(),
		"timeseries":   fixtureTimeSeries(),
	} {
		t.Run(name, func(t *testing.T) {
			b, err := Bytes(c, SVG)
			if err != nil {
				t.Fatal(err)
			}
			boxes, w, h, err := svgcheck.TextBoxes(b)
			if err != nil {
				t.Fatal(err)
			}
			if len(boxes) == 0 || w == 0 || h == 0 {
				t.Fatalf("no text or no size in the SVG (%d texts, %v × %v)", len(boxes), w, h)
			}
			for _, bx := range svgcheck.Outside(boxes, w, h, svgcheck.Tolerance) {
				t.Errorf("%q drawn at x %.1f–%.1f, y %.1f–%.1f: outside the %.1f × %.1f image", bx.Text, bx.MinX, bx.MaxX, bx.MinY, bx.MaxY, w, h)
			}
			if dir := os.Getenv("GRUNNLAG_CHART_OUT"); dir != "" {
				png, err := Bytes(c, PNG)
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
			}
		})
	}
}

// TestHeatmapLegend checks the colour legend's class bounds and the
// caption notes of blank columns.
func TestHeatmapLegend(t *testing.T) {
	// DivergingColor: class i = round((t+1)/2·6), t = (v−100)/30; the
	// class changes where (t+1)·3 = k+0.5, v = 100 + 30·((k+0.5)/3 − 1).
	h := wideHeatmap()
	want := []float64{75, 85, 95, 105, 115, 125}
	got := h.LegendBounds()
	for i := range want {
		if i >= len(got) || math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("LegendBounds() = %v, want %v", got, want)
		}
	}
	for i, b := range got {
		below, above := DivergingColor(b-1e-6, 100, 30), DivergingColor(b+1e-6, 100, 30)
		if below != Diverging[i] || above != Diverging[i+1] {
			t.Errorf("bound %v: colours %v | %v, want classes %d | %d", b, below, above, i, i+1)
		}
	}
	_, notes, err := h.plot()
	if err != nil {
		t.Fatal(err)
	}
	wantNote := "Indikator 11 med en lang tittel…: sammenlignes ikke med landet, så det finnes ingen avviksindeks."
	if len(notes) != 2 || notes[1] != wantNote {
		t.Errorf("notes = %q, want the hatched note and %q", notes, wantNote)
	}
	// A blank column without a note gets the default reason.
	h.ColumnNotes = nil
	h.Lang = English
	if _, notes, _ = h.plot(); len(notes) != 2 || notes[1] != "Indikator 11 med en lang tittel…: no value in any row." {
		t.Errorf("notes without ColumnNotes = %q", notes)
	}
	// No blank cell: no note.
	f := fixtureHeatmap()
	f.Grid = grid{cols: 1, rows: 1, z: []float64{90}}
	f.RowLabels, f.ColLabels = f.RowLabels[:1], f.ColLabels[:1]
	if _, notes, _ = f.plot(); len(notes) != 0 {
		t.Errorf("notes of a full grid = %q", notes)
	}
}

func TestPeriodWords(t *testing.T) {
	for _, c := range []struct {
		in   string
		lang Lang
		want string
	}{
		{"2025M03", Bokmal, "mars 2025"},
		{"2025M12", Bokmal, "desember 2025"},
		{"2025M03", English, "March 2025"},
		{"2024K2", Bokmal, "2. kvartal 2024"},
		{"2024Q2", English, "Q2 2024"},
		{"2024H1", Bokmal, "1. halvår 2024"},
		{"2024", Bokmal, "2024"},
		{"2023-2024", Bokmal, "2023-2024"},
		{"2025M13", Bokmal, "2025M13"}, // not a month: as it is
		{"abc", English, "abc"},
	} {
		if got := PeriodWords(c.in, c.lang); got != c.want {
			t.Errorf("PeriodWords(%q, %s) = %q, want %q", c.in, c.lang, got, c.want)
		}
	}
}
