package charts

import (
	"bytes"
	"math"
	"sync"
	"testing"

	"gonum.org/v1/plot/plotter"

	"github.com/grunnlag/grunnlag/charts/mapdata"
)

// The fixtures below are SYNTHETIC: made-up values that exercise every
// drawing path (missing values, breaks, negative gaps), not statistics.

var synthMeta = Meta{
	Source:    "Statistisk sentralbyrå (SSB)",
	Table:     "09429",
	Updated:   "2025-06-11",
	Synthetic: true,
	Unit:      "prosent",
}

func meta(title, sub, x, y string) Meta {
	m := synthMeta
	m.Title, m.Subtitle, m.XLabel, m.YLabel = title, sub, x, y
	return m
}

func fixtureTimeSeries() *TimeSeries {
	years := []float64{2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025}
	mk := func(base, step float64, gap int) plotter.XYs {
		xy := make(plotter.XYs, len(years))
		for i, y := range years {
			xy[i] = plotter.XY{X: y, Y: base + step*float64(i)}
			if i == gap {
				xy[i].Y = math.NaN()
			}
		}
		return xy
	}
	return &TimeSeries{
		Meta: meta("Høyere utdanning, Porsgrunn", "Andel av befolkningen 16 år og over", "", "Andel (prosent)"),
		Lines: []Line{
			{Name: "Porsgrunn", XY: mk(28, 0.4, 3), Emphasis: true},
			{Name: "Telemark", XY: mk(27, 0.35, -1)},
			{Name: "Landet", XY: mk(32, 0.5, -1)},
		},
		Breaks: []Break{{X: 2024, Label: "brudd 2024"}},
	}
}

func fixtureRanked(n int) *RankedBars {
	labels := make([]string, n)
	vals := make(plotter.Values, n)
	for i := range n {
		labels[i] = "K" + string(rune('A'+i%26)) + string(rune('a'+(i/26)%26))
		vals[i] = 20 + float64((i*37)%101)/5
	}
	vals[n/2] = math.NaN()
	return &RankedBars{
		Meta:      meta("Høyere utdanning i kommunene", "2025", "", "Andel (prosent)"),
		Labels:    labels,
		Values:    vals,
		Highlight: []int{3},
		Reference: 35.1,
		RefLabel:  "Landet",
	}
}

var (
	geoOnce sync.Once
	geoMap  *Map
	geoErr  error
)

// testMap reads the bundled simplified 2024 municipality boundaries
// (mapdata/PROVENANCE.md).
func testMap(tb testing.TB) *Map {
	tb.Helper()
	geoOnce.Do(func() {
		geoMap, geoErr = ParseGeoJSON(bytes.NewReader(mapdata.Kommuner2024), "kommunenummer")
	})
	if geoErr != nil {
		tb.Fatal(geoErr)
	}
	return geoMap
}

func fixtureMap(tb testing.TB) *Choropleth {
	m := testMap(tb)
	var codes []string
	var vals plotter.Values
	for i, f := range m.Features {
		codes = append(codes, f.Code)
		v := 15 + float64((i*53)%97)/4
		if i%41 == 0 {
			v = math.NaN() // missing
		}
		vals = append(vals, v)
	}
	return &Choropleth{
		Meta:       meta("Høyere utdanning etter kommune", "2025", "", ""),
		Map:        m,
		Codes:      codes,
		Values:     vals,
		Suppressed: []string{"4001"},
		Highlight:  []string{"4003"},
	}
}

func fixtureDiverging() *DivergingBars {
	return &DivergingBars{
		Meta:   meta("Avvik fra landet, Porsgrunn", "Prosentpoeng, 2025", "Prosentpoeng", ""),
		Labels: []string{"Høyere utdanning", "Fagskole", "Sysselsetting", "Ledighet", "Unge utenfor"},
		Values: plotter.Values{-4.2, 0.8, 1.5, math.NaN(), -0.3},
	}
}

func fixtureDot() *DotInterval {
	return &DotInterval{
		Meta:      meta("Bedrifter med behov for fagarbeidere", "Andel, med 95 % konfidensintervall", "Andel (prosent)", ""),
		Labels:    []string{"Grenland", "Vest-Telemark", "Midt-Telemark", "Telemark"},
		Values:    plotter.Values{42, 55, math.NaN(), 47},
		Low:       plotter.Values{36, 41, math.NaN(), 43},
		High:      plotter.Values{48, 69, math.NaN(), 51},
		Reference: 45,
		RefLabel:  "Landet",
	}
}

// grid is a plotter.GridXYZ over a row-major slice.
type grid struct {
	cols, rows int
	z          []float64
}

func (g grid) Dims() (int, int)   { return g.cols, g.rows }
func (g grid) Z(c, r int) float64 { return g.z[r*g.cols+c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

func fixtureHeatmap() *Heatmap {
	return &Heatmap{
		Meta:      meta("Avviksindeks mot landet", "Landet = 100", "", ""),
		Grid:      grid{cols: 4, rows: 3, z: []float64{88, 102, 110, math.NaN(), 95, 100, 121, 79, 100, 97, 104, 99}},
		RowLabels: []string{"Porsgrunn", "Skien", "Bamble"},
		ColLabels: []string{"Høyere utd.", "Fagskole", "Sysselsetting", "Ledighet"},
		Mid:       100,
		Span:      25,
	}
}

func fixturePyramid() *Pyramid {
	return &Pyramid{
		Meta:         meta("Befolkning etter alder og kjønn, Porsgrunn", "Prosent av befolkningen, 2025", "Prosent", ""),
		Groups:       []string{"0–19", "20–39", "40–59", "60–79", "80+"},
		Left:         plotter.Values{11.2, 12.5, 13.1, 10.2, 2.4},
		Right:        plotter.Values{10.6, 12.0, 12.8, 10.9, 3.5},
		LeftLabel:    "Menn",
		RightLabel:   "Kvinner",
		CompareLeft:  plotter.Values{11.8, 13.4, 13.0, 9.1, 2.0},
		CompareRight: plotter.Values{11.1, 12.9, 12.5, 9.6, 2.9},
		CompareLabel: "Landet",
	}
}
