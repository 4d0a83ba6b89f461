package charts

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/plot/plotter"
)

var update = flag.Bool("update", false, "rewrite the image goldens in testdata/")

func TestFormatNumber(t *testing.T) {
	// Expected strings written by hand from the rules in the doc comment
	// (Språkrådet: decimal comma, space between groups of three digits).
	tests := []struct {
		v    float64
		dec  int
		lang Lang
		want string
	}{
		{12345.67, 1, Bokmal, "12\u2009345,7"},
		{1234, 0, Bokmal, "1\u2009234"},
		{999, 0, Bokmal, "999"},
		{-4.25, 1, Bokmal, "\u22124,3"}, // FormatFloat rounds half to even on the binary value: -4.25 → 4.3? see below
		{-0.04, 1, Bokmal, "0,0"},       // rounds to zero: no sign
		{1234567.891, 2, Bokmal, "1\u2009234\u2009567,89"},
		{0.5, 0, Bokmal, "0"}, // round half to even
		{math.NaN(), 1, Bokmal, "–"},
		{12345.67, 1, English, "12,345.7"},
		{-2.5, 1, English, "-2.5"},
		{31.04, 1, Bokmal, "31,0"},
	}
	for _, tt := range tests {
		got := FormatNumber(tt.v, tt.dec, tt.lang)
		want := tt.want
		if tt.v == -4.25 {
			// -4.25 is exact in binary; strconv rounds to even: "4.2".
			want = "\u22124,2"
		}
		if got != want {
			t.Errorf("FormatNumber(%v, %d, %s) = %q, want %q", tt.v, tt.dec, tt.lang, got, want)
		}
	}
}

func TestDecimalsFor(t *testing.T) {
	tests := []struct {
		unit    string
		typical float64
		want    int
	}{
		{"prosent", 31, 1},
		{"personer", 12345, 0},
		{"per 1000 sysselsatte", 12, 1},
		{"forhold", 0.8, 2},
		{"indeks", 104, 0},
	}
	for _, tt := range tests {
		if got := DecimalsFor(tt.unit, tt.typical); got != tt.want {
			t.Errorf("DecimalsFor(%q, %v) = %d, want %d", tt.unit, tt.typical, got, tt.want)
		}
	}
}

func TestCaption(t *testing.T) {
	m := synthMeta
	m.Notes = []string{"Brudd i serien 2024."}
	got := strings.Join(m.Caption(), "|")
	// Synthetic data is never credited to the source alone.
	want := "Kilde: syntetiske demodata etter mønster av Statistisk sentralbyrå (SSB), tabell 09429, oppdatert 2025-06-11.|Brudd i serien 2024.|SYNTETISKE DEMODATA, ikke offisiell statistikk"
	if got != want {
		t.Errorf("Caption() = %q, want %q", got, want)
	}
	m.Computed = true
	m.Notes = nil
	if got := m.Caption(); len(got) != 3 || !strings.HasPrefix(got[1], "Tall kilden ikke publiserer") {
		t.Errorf("Caption(computed) = %q, want the computed note on the second line", got)
	}
	m.Computed = false
	m.Lang, m.Synthetic, m.Notes = English, false, nil
	if got, want := strings.Join(m.Caption(), "|"), "Source: Statistisk sentralbyrå (SSB), table 09429, updated 2025-06-11."; got != want {
		t.Errorf("Caption(en) = %q, want %q", got, want)
	}
}

func allCharts(tb testing.TB) map[string]Chart {
	return map[string]Chart{
		"timeseries":  fixtureTimeSeries(),
		"ranked357":   fixtureRanked(357),
		"ranked15":    fixtureRanked(15),
		"diverging":   fixtureDiverging(),
		"dotinterval": fixtureDot(),
		"heatmap":     fixtureHeatmap(),
		"pyramid":     fixturePyramid(),
		"choropleth":  fixtureMap(tb),
	}
}

// TestRenderDeterministic renders every kind twice in each format and
// requires identical bytes, and the SVG to carry the caption and the
// synthetic mark.
func TestRenderDeterministic(t *testing.T) {
	for name, c := range allCharts(t) {
		t.Run(name, func(t *testing.T) {
			for _, f := range []Format{PNG, SVG, CSV} {
				a, err := Bytes(c, f)
				if err != nil {
					t.Fatalf("Bytes(%s) error: %v", f, err)
				}
				b, err := Bytes(c, f)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a, b) {
					t.Errorf("Bytes(%s) differs between two renders", f)
				}
				if f == SVG {
					for _, s := range []string{"SYNTETISKE DEMODATA", "tabell 09429", "oppdatert 2025-06-11"} {
						if !bytes.Contains(a, []byte(s)) {
							t.Errorf("SVG lacks %q", s)
						}
					}
				}
				if f == PNG && !bytes.HasPrefix(a, []byte("\x89PNG")) {
					t.Errorf("PNG output does not start with the PNG signature")
				}
			}
		})
	}
}

// TestGoldens compares PNG renders with the goldens in testdata/ within a
// tolerance: cmpimg's YIQ metric with delta 0.02, and at most 0.5 % of the
// pixels beyond it (font rasterisation may differ slightly between
// machines). Regenerate with -update and review the images.
func TestGoldens(t *testing.T) {
	for _, name := range []string{"timeseries", "ranked357", "diverging", "dotinterval", "heatmap", "pyramid", "choropleth"} {
		c := allCharts(t)[name]
		t.Run(name, func(t *testing.T) {
			got, err := Bytes(c, PNG)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+"_golden.png")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden (run go test -update): %v", err)
			}
			ok, frac, err := pngEqualApprox(got, want, 0.02, 0.005)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				t.Logf("%.3f%% of pixels differ", frac*100)
				_ = os.WriteFile(filepath.Join(t.TempDir(), name+"_got.png"), got, 0o644)
				t.Errorf("%s: PNG differs from %s beyond tolerance", name, path)
			}
		})
	}
}

func TestTables(t *testing.T) {
	// Each table holds exactly the drawn numbers of the synthetic fixtures.
	ts := fixtureTimeSeries().Table()
	// 3 lines × 10 years, one Porsgrunn point missing: 29 rows.
	if len(ts.Rows) != 29 {
		t.Errorf("TimeSeries.Table() has %d rows, want 29", len(ts.Rows))
	}
	if got := strings.Join(ts.Rows[0], ","); got != "Porsgrunn,2016,28" {
		t.Errorf("TimeSeries.Table().Rows[0] = %s, want Porsgrunn,2016,28", got)
	}
	rb := fixtureRanked(357).Table()
	// 357 units, one NaN, plus the reference line: 357 rows.
	if len(rb.Rows) != 357 {
		t.Errorf("RankedBars.Table() has %d rows, want 357", len(rb.Rows))
	}
	if last := rb.Rows[len(rb.Rows)-1]; last[1] != "Landet" || last[2] != "35.1" {
		t.Errorf("RankedBars.Table() last row = %v, want the reference Landet 35.1", last)
	}
	dv := fixtureDiverging().Table()
	if len(dv.Rows) != 4 || dv.Rows[0][1] != "-4.2" {
		t.Errorf("DivergingBars.Table() = %v, want 4 rows starting with -4.2", dv.Rows)
	}
	hm := fixtureHeatmap().Table()
	if len(hm.Rows) != 11 { // 12 cells, one NaN
		t.Errorf("Heatmap.Table() has %d rows, want 11", len(hm.Rows))
	}
	ch := fixtureMap(t).Table()
	if len(ch.Rows) != 357 {
		t.Fatalf("Choropleth.Table() has %d rows, want 357 (one per municipality)", len(ch.Rows))
	}
	var sup, miss int
	for _, r := range ch.Rows {
		switch r[3] {
		case "prikket":
			sup++
			if r[0] != "4001" {
				t.Errorf("suppressed row %v, want only 4001", r)
			}
		case "mangler":
			miss++
		}
	}
	// i%41 == 0 for i in 0..356: 0, 41, ..., 328: 9 missing; 4001 suppressed.
	if sup != 1 || miss != 9 {
		t.Errorf("Choropleth.Table(): %d suppressed, %d missing, want 1 and 9", sup, miss)
	}
}

func TestAltText(t *testing.T) {
	tests := []struct {
		name string
		c    Chart
		want []string
	}{
		{"timeseries", fixtureTimeSeries(), []string{"Porsgrunn fra 28,0 i 2016 til 31,6 i 2025", "Landet fra 32,0 i 2016 til 36,5 i 2025"}},
		{"diverging", fixtureDiverging(), []string{"Høyere utdanning \u22124,2", "Fagskole +0,8", "Ledighet ingen verdier"}},
		{"dotinterval", fixtureDot(), []string{"Grenland 42,0 (36,0–48,0)"}},
		{"ranked", fixtureRanked(15), []string{"nummer", "Landet: 35,1"}},
		{"choropleth", fixtureMap(t), []string{"10 områder uten tall (skravert)"}},
	}
	for _, tt := range tests {
		got := tt.c.AltText()
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s AltText() = %q, want it to contain %q", tt.name, got, w)
			}
		}
	}
}

func TestChoroplethBreaks(t *testing.T) {
	// Quantiles type 7 of 1..9 at 0.2, 0.4, ..., 1: h = 8p → 2.6, 4.2, 5.8, 7.4, 9.
	m := &Map{}
	var codes []string
	var vals []float64
	for i := 1; i <= 9; i++ {
		code := string(rune('0' + i))
		m.Features = append(m.Features, Feature{Code: code})
		codes = append(codes, code)
		vals = append(vals, float64(i))
	}
	c := &Choropleth{Map: m, Codes: codes, Values: valuer(vals)}
	got := c.Breaks()
	want := []float64{2.6, 4.2, 5.8, 7.4, 9}
	for i := range want {
		if i >= len(got) || math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("Breaks() = %v, want %v", got, want)
		}
	}
}

type valuer []float64

func (v valuer) Len() int            { return len(v) }
func (v valuer) Value(i int) float64 { return v[i] }

func TestHatchSegments(t *testing.T) {
	// A 10×10 square hatched every 5 units along x - y = k*5: lines
	// u = -5, 0, 5 cross it (u = ±10 touch only corners). Lengths by hand:
	// u=0 is the diagonal, 10√2; u=±5 are 5√2.
	sq := [][]vgPoint{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}}
	segs := hatchSegments(toVG(sq), 5)
	var total float64
	for _, s := range segs {
		total += math.Hypot(float64(s[1].X-s[0].X), float64(s[1].Y-s[0].Y))
	}
	if want := 20 * math.Sqrt2; math.Abs(total-want) > 1e-9 {
		t.Errorf("hatchSegments(square) total length = %v, want %v", total, want)
	}
}

func TestRenderAll(t *testing.T) {
	var jobs []Job
	for i := range 12 {
		jobs = append(jobs, Job{Name: "c" + string(rune('a'+i)), Chart: fixtureDiverging()})
	}
	var mu sync.Mutex
	got := map[string]int{}
	err := RenderAll(context.Background(), jobs, 3, func(name string, f Format, data []byte) error {
		mu.Lock()
		got[string(f)]++
		mu.Unlock()
		if len(data) == 0 {
			return errors.New("empty")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("RenderAll() error: %v", err)
	}
	for _, f := range []string{"png", "svg", "csv"} {
		if got[f] != 12 {
			t.Errorf("RenderAll emitted %d %s, want 12", got[f], f)
		}
	}
	boom := errors.New("disk full")
	err = RenderAll(context.Background(), jobs, 2, func(string, Format, []byte) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("RenderAll() with failing emit = %v, want %v", err, boom)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := RenderAll(ctx, jobs, 2, func(string, Format, []byte) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("RenderAll(cancelled) = %v, want context.Canceled", err)
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name string
		c    Chart
	}{
		{"no lines", &TimeSeries{}},
		{"ranked all missing", &RankedBars{Labels: []string{"a"}, Values: valuer{math.NaN()}}},
		{"heatmap labels", &Heatmap{Grid: grid{cols: 1, rows: 1, z: []float64{1}}}},
		{"pyramid lengths", &Pyramid{Groups: []string{"a"}, Left: valuer{1}, Right: valuer{}}},
		{"choropleth no map", &Choropleth{Values: valuer{}}},
	}
	for _, tt := range tests {
		if _, err := Bytes(tt.c, PNG); err == nil {
			t.Errorf("%s: Bytes() error = nil, want an error", tt.name)
		}
	}
}

func TestNumTicks(t *testing.T) {
	// gonum's default ticks for [0, 1.3] are 0, 0.4, 0.8, 1.2 (1.2 computed
	// as 3×0.4 = 1.2000000000000002); labels must be "0,0" … "1,2".
	var got []string
	for _, tk := range (numTicks{lang: Bokmal}).Ticks(0, 1.3) {
		if tk.Label != "" {
			got = append(got, tk.Label)
		}
	}
	if strings.Join(got, " ") != "0,0 0,4 0,8 1,2" {
		t.Errorf("numTicks.Ticks(0, 1.3) labels = %v, want [0,0 0,4 0,8 1,2]", got)
	}
}

// TestAllMissingDraws: a chart whose values are all missing draws (an
// empty plot with its caption) instead of hanging in gonum/plot's tick
// labelling, which never returns for a NaN axis range. SYNTHETIC values.
func TestAllMissingDraws(t *testing.T) {
	nan := math.NaN()
	c := &TimeSeries{Meta: synthMeta, Lines: []Line{{Name: "Skien", XY: plotter.XYs{{X: 2024, Y: nan}, {X: 2025, Y: nan}}}}}
	done := make(chan error, 1)
	go func() {
		var buf bytes.Buffer
		done <- Render(&buf, c, SVG)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Render of an all-missing time series did not return")
	}
}

// TestRankedLowestFirst: with LowestFirst, rank 1 in the table is the
// lowest value (hand-made: 10 < 20 < 30), as for a lower-is-better
// indicator; without it the highest.
func TestRankedLowestFirst(t *testing.T) {
	c := &RankedBars{Meta: Meta{Title: "x"}, Labels: []string{"B", "A", "C"}, Values: plotter.Values{20, 10, 30}, Reference: math.NaN()}
	first := func() string { return c.Table().Rows[0][1] }
	if got := first(); got != "C" {
		t.Errorf("rank 1 = %s, want C (30, highest)", got)
	}
	c.LowestFirst = true
	if got := first(); got != "A" {
		t.Errorf("LowestFirst: rank 1 = %s, want A (10, lowest)", got)
	}
}
