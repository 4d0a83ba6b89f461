package charts

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/vg"
)

// affine is a 2-D affine transform (x' = a·x + c·y + e, y' = b·x + d·y + f),
// as SVG's matrix(a b c d e f).
type affine struct{ a, b, c, d, e, f float64 }

var identity = affine{1, 0, 0, 1, 0, 0}

// mul returns the transform m applied after n (m·n): SVG nests a child's
// transform inside its parent's.
func (m affine) mul(n affine) affine {
	return affine{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

// parseTransform reads the SVG transform lists vgsvg writes: translate,
// scale, rotate (degrees) and matrix.
func parseTransform(s string) (affine, error) {
	m := identity
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		open, close := strings.IndexByte(s, '('), strings.IndexByte(s, ')')
		if open < 0 || close < open {
			return m, fmt.Errorf("transform %q", s)
		}
		name := strings.TrimSpace(s[:open])
		var args []float64
		for _, f := range strings.FieldsFunc(s[open+1:close], func(r rune) bool { return r == ',' || r == ' ' }) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return m, err
			}
			args = append(args, v)
		}
		var t affine
		switch {
		case name == "translate" && len(args) == 2:
			t = affine{1, 0, 0, 1, args[0], args[1]}
		case name == "scale" && len(args) == 2:
			t = affine{args[0], 0, 0, args[1], 0, 0}
		case name == "rotate" && len(args) == 1:
			r := args[0] * math.Pi / 180
			t = affine{math.Cos(r), math.Sin(r), -math.Sin(r), math.Cos(r), 0, 0}
		case name == "matrix" && len(args) == 6:
			t = affine{args[0], args[1], args[2], args[3], args[4], args[5]}
		default:
			return m, fmt.Errorf("transform %q", s[:close+1])
		}
		m = m.mul(t)
		s = s[close+1:]
	}
	return m, nil
}

// textBox is a drawn text with the corners of its box on the image.
type textBox struct {
	text       string
	minX, minY float64
	maxX, maxY float64
}

// svgTextBoxes returns the box of every <text> of an SVG written by
// vgsvg, measured with the chart fonts: the advance width of the string
// from the baseline point, ascent 0.8 and descent 0.25 of the font size.
// It is the check that no label is clipped: every box must lie inside the
// image.
func svgTextBoxes(t *testing.T, svg []byte) (boxes []textBox, w, h float64) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(svg)))
	stack := []affine{identity}
	var cur *textBox
	var curSize float64
	var curBold bool
	var curM affine
	var curX, curY float64
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("svg: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range e.Attr {
				attr[a.Name.Local] = a.Value
			}
			m := stack[len(stack)-1]
			if tr, ok := attr["transform"]; ok {
				x, err := parseTransform(tr)
				if err != nil {
					t.Fatalf("svg: %v", err)
				}
				m = m.mul(x)
			}
			stack = append(stack, m)
			switch e.Name.Local {
			case "svg":
				w, _ = strconv.ParseFloat(strings.TrimSuffix(attr["width"], "pt"), 64)
				h, _ = strconv.ParseFloat(strings.TrimSuffix(attr["height"], "pt"), 64)
			case "text":
				curX, _ = strconv.ParseFloat(attr["x"], 64)
				curY, _ = strconv.ParseFloat(attr["y"], 64)
				curM = stack[len(stack)-2] // x, y are in the parent's frame, before the text's own scale
				if tr, ok := attr["transform"]; ok {
					x, _ := parseTransform(tr)
					curM = curM.mul(x)
				}
				st := attr["style"]
				curBold = strings.Contains(st, "font-weight:bold")
				if i := strings.Index(st, "font-size:"); i >= 0 {
					v := st[i+len("font-size:"):]
					v = v[:strings.IndexAny(v, "p;")]
					curSize, _ = strconv.ParseFloat(v, 64)
				}
				cur = &textBox{}
			}
		case xml.CharData:
			if cur != nil {
				cur.text += string(e)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if e.Name.Local == "text" && cur != nil {
				sty := textStyle(vg.Length(curSize), curBold, Black)
				if curBold {
					sty.Font.Weight = xfont.WeightBold
				}
				adv := float64(sty.Width(cur.text))
				cur.minX, cur.minY = math.Inf(1), math.Inf(1)
				cur.maxX, cur.maxY = math.Inf(-1), math.Inf(-1)
				for _, p := range [][2]float64{{curX, curY - 0.8*curSize}, {curX + adv, curY - 0.8*curSize}, {curX, curY + 0.25*curSize}, {curX + adv, curY + 0.25*curSize}} {
					x, y := curM.apply(p[0], p[1])
					cur.minX, cur.maxX = math.Min(cur.minX, x), math.Max(cur.maxX, x)
					cur.minY, cur.maxY = math.Min(cur.minY, y), math.Max(cur.maxY, y)
				}
				boxes = append(boxes, *cur)
				cur = nil
			}
		}
	}
	return boxes, w, h
}

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
			boxes, w, h := svgTextBoxes(t, b)
			if len(boxes) == 0 || w == 0 || h == 0 {
				t.Fatalf("no text or no size in the SVG (%d texts, %v × %v)", len(boxes), w, h)
			}
			const tol = 0.5
			for _, bx := range boxes {
				if bx.minX < -tol || bx.minY < -tol || bx.maxX > w+tol || bx.maxY > h+tol {
					t.Errorf("%q drawn at x %.1f–%.1f, y %.1f–%.1f: outside the %.1f × %.1f image", bx.text, bx.minX, bx.maxX, bx.minY, bx.maxY, w, h)
				}
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

// TestLabelsInsideCatches checks that the box check of TestLabelsInside
// can fail: a hand-written SVG in vgsvg's shape whose second text starts
// 10 pt before the right edge of a 100 pt image (its advance width at
// 8 pt is far more than 10 pt) and whose third is rotated off the left.
func TestLabelsInsideCatches(t *testing.T) {
	svg := `<svg width="100pt" height="50pt"><g transform="scale(1, -1) translate(0, -50)">
<text x="5" y="-40" transform="scale(1, -1)" style="font-size:8px">inne</text>
<text x="90" y="-20" transform="scale(1, -1)" style="font-size:8px">langt ut over kanten</text>
<g transform="rotate(45)"><text x="-40" y="0" transform="scale(1, -1)" style="font-size:8px">rotert</text></g>
</g></svg>`
	boxes, w, h := svgTextBoxes(t, []byte(svg))
	if len(boxes) != 3 || w != 100 || h != 50 {
		t.Fatalf("svgTextBoxes: %d boxes, %v × %v, want 3 in 100 × 50", len(boxes), w, h)
	}
	inside := func(b textBox) bool { return b.minX >= 0 && b.minY >= 0 && b.maxX <= w && b.maxY <= h }
	if !inside(boxes[0]) {
		t.Errorf("%q at x %.1f–%.1f, y %.1f–%.1f: reported outside", boxes[0].text, boxes[0].minX, boxes[0].maxX, boxes[0].minY, boxes[0].maxY)
	}
	for _, b := range boxes[1:] {
		if inside(b) {
			t.Errorf("%q at x %.1f–%.1f, y %.1f–%.1f: not reported outside", b.text, b.minX, b.maxX, b.minY, b.maxY)
		}
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
