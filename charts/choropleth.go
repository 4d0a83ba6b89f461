package charts

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Choropleth colours the areas of a [Map] by value in Classes quantile
// classes of the sequential palette, with a legend. Codes[i] has value
// Values.Value(i). An area with no value, a NaN value, or a code in
// Suppressed is drawn light grey and hatched, never in a colour: missing
// is not zero. Highlight codes get a thick outline.
type Choropleth struct {
	Meta
	Map        *Map
	Codes      []string
	Values     plotter.Valuer
	Suppressed []string
	Highlight  []string
	// Classes is the number of colour classes (2..5; 0 means 5).
	Classes int
}

// Info implements Chart.
func (c *Choropleth) Info() *Meta { return &c.Meta }

func (c *Choropleth) values() map[string]float64 {
	sup := map[string]bool{}
	for _, s := range c.Suppressed {
		sup[s] = true
	}
	out := map[string]float64{}
	for i, code := range c.Codes {
		if v := c.Values.Value(i); finite(v) && !sup[code] {
			out[code] = v
		}
	}
	return out
}

// Breaks returns the upper bounds of the colour classes: quantiles of the
// drawn values (type 7, as R's default), the last being the maximum.
func (c *Choropleth) Breaks() []float64 {
	vals := c.values()
	var xs []float64
	for _, f := range c.Map.Features {
		if v, ok := vals[f.Code]; ok {
			xs = append(xs, v)
		}
	}
	sort.Float64s(xs)
	k := c.Classes
	if k <= 0 || k > len(Sequential) {
		k = len(Sequential)
	}
	if len(xs) == 0 {
		return nil
	}
	out := make([]float64, 0, k)
	for i := 1; i <= k; i++ {
		q := quantile(xs, float64(i)/float64(k))
		if len(out) == 0 || q > out[len(out)-1] {
			out = append(out, q)
		}
	}
	return out
}

// quantile is the type-7 quantile of sorted xs: h = (n-1)p, linear
// interpolation between xs[floor(h)] and xs[ceil(h)].
func quantile(xs []float64, p float64) float64 {
	h := float64(len(xs)-1) * p
	lo := math.Floor(h)
	if int(lo)+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[int(lo)] + (h-lo)*(xs[int(lo)+1]-xs[int(lo)])
}

func classOf(v float64, breaks []float64) int {
	for i, b := range breaks {
		if v <= b {
			return i
		}
	}
	return len(breaks) - 1
}

// Table implements Chart: every area of the map with its value, class
// (1 = lowest) or "mangler"/"prikket".
func (c *Choropleth) Table() Table {
	vals := c.values()
	sup := map[string]bool{}
	for _, s := range c.Suppressed {
		sup[s] = true
	}
	br := c.Breaks()
	t := Table{Header: tableHeader(c.Lang, "kode", "navn", "verdi", "klasse")}
	for _, f := range c.Map.Features {
		v, ok := vals[f.Code]
		switch {
		case ok:
			t.Rows = append(t.Rows, []string{f.Code, f.Name, FormatPlain(v), fmt.Sprint(classOf(v, br) + 1)})
		case sup[f.Code]:
			t.Rows = append(t.Rows, []string{f.Code, f.Name, "", "prikket"})
		default:
			t.Rows = append(t.Rows, []string{f.Code, f.Name, "", "mangler"})
		}
	}
	return t
}

// AltText implements Chart: the classes, the extremes, the highlighted
// areas and how many areas have no value.
func (c *Choropleth) AltText() string {
	vals := c.values()
	br := c.Breaks()
	var b strings.Builder
	en := c.Lang == English
	if en {
		fmt.Fprintf(&b, "Map: %s.", c.Title)
	} else {
		fmt.Fprintf(&b, "Kart: %s.", c.Title)
	}
	var lo, hi *Feature
	missing := 0
	for i := range c.Map.Features {
		f := &c.Map.Features[i]
		v, ok := vals[f.Code]
		if !ok {
			missing++
			continue
		}
		if lo == nil || v < vals[lo.Code] {
			lo = f
		}
		if hi == nil || v > vals[hi.Code] {
			hi = f
		}
	}
	if lo != nil {
		d := c.decimals(vals[hi.Code])
		if en {
			fmt.Fprintf(&b, " %d areas, from %s (%s) to %s (%s) in %d classes.", len(c.Map.Features)-missing,
				FormatNumber(vals[lo.Code], d, c.Lang), lo.Name, FormatNumber(vals[hi.Code], d, c.Lang), hi.Name, len(br))
		} else {
			fmt.Fprintf(&b, " %d områder, fra %s (%s) til %s (%s) i %d klasser.", len(c.Map.Features)-missing,
				FormatNumber(vals[lo.Code], d, c.Lang), lo.Name, FormatNumber(vals[hi.Code], d, c.Lang), hi.Name, len(br))
		}
		for _, h := range c.Highlight {
			f, ok := c.Map.Feature(h)
			if !ok {
				continue
			}
			if v, ok := vals[h]; ok {
				fmt.Fprintf(&b, " %s: %s.", f.Name, FormatNumber(v, d, c.Lang))
			}
		}
	}
	if missing > 0 {
		if en {
			fmt.Fprintf(&b, " %d areas without a value (hatched).", missing)
		} else {
			fmt.Fprintf(&b, " %d områder uten tall (skravert).", missing)
		}
	}
	return b.String()
}

func (c *Choropleth) plot() (*plot.Plot, []string, error) {
	if c.Map == nil || len(c.Map.Features) == 0 {
		return nil, nil, fmt.Errorf("choropleth: no map")
	}
	if c.Values.Len() != len(c.Codes) {
		return nil, nil, fmt.Errorf("choropleth: %d codes, %d values", len(c.Codes), c.Values.Len())
	}
	p := newPlot(&c.Meta, 0)
	p.HideAxes()
	p.Add(&mapPlotter{c: c, vals: c.values(), breaks: c.Breaks()})
	notes := []string{"Kart: © Kartverket (CC BY 4.0), forenklet."}
	if c.Lang == English {
		notes = []string{"Map: © Kartverket (CC BY 4.0), simplified."}
	}
	return p, notes, nil
}

type mapPlotter struct {
	c      *Choropleth
	vals   map[string]float64
	breaks []float64
}

// Plot implements plot.Plotter. The projection is equirectangular with
// longitudes scaled by the cosine of the middle latitude, fitted to the
// canvas with equal scale on both axes.
func (m *mapPlotter) Plot(c draw.Canvas, _ *plot.Plot) {
	min, max := m.c.Map.Bounds()
	kx := math.Cos((min.Y + max.Y) / 2 * math.Pi / 180)
	w := float64(c.Max.X - c.Min.X)
	h := float64(c.Max.Y - c.Min.Y)
	dx, dy := (max.X-min.X)*kx, max.Y-min.Y
	s := math.Min(w/dx, h/dy)
	// Right-align the map: the legend goes in the empty sea to the left.
	ox := float64(c.Max.X) - dx*s
	oy := float64(c.Min.Y) + (h-dy*s)/2
	proj := func(p Point) vg.Point {
		return vg.Point{X: vg.Length(ox + (p.X-min.X)*kx*s), Y: vg.Length(oy + (p.Y-min.Y)*s)}
	}
	sup := map[string]bool{}
	for _, code := range m.c.Suppressed {
		sup[code] = true
	}
	hi := map[string]bool{}
	for _, code := range m.c.Highlight {
		hi[code] = true
	}
	border := draw.LineStyle{Color: color.White, Width: vg.Points(0.2)}
	var highlighted [][]vg.Point
	// One path and one buffer of points serve every polygon in turn: the
	// canvas consumes them when it fills or strokes, and the highlighted
	// outlines drawn last are copied.
	var (
		path  vg.Path
		buf   []vg.Point
		rings [][]vg.Point
	)
	for _, f := range m.c.Map.Features {
		v, ok := m.vals[f.Code]
		for _, poly := range f.Polygons {
			n := 0
			for _, ring := range poly {
				n += len(ring)
			}
			if cap(buf) < n {
				buf = make([]vg.Point, n)
			}
			buf, rings, path = buf[:n], rings[:0], path[:0]
			k := 0
			for _, ring := range poly {
				pts := buf[k : k+len(ring) : k+len(ring)]
				k += len(ring)
				for i, pt := range ring {
					pts[i] = proj(pt)
					if i == 0 {
						path.Move(pts[i])
					} else {
						path.Line(pts[i])
					}
				}
				path.Close()
				rings = append(rings, pts)
			}
			if ok {
				c.SetColor(Sequential[classOf(v, m.breaks)])
				c.Fill(path)
			} else {
				fillHatched(&c, rings, vg.Points(2.5))
			}
			c.StrokeLines(border, rings...)
			if hi[f.Code] {
				highlighted = append(highlighted, slices.Clone(rings[0]))
			}
		}
	}
	for _, ring := range highlighted {
		c.StrokeLines(draw.LineStyle{Color: Vermilion, Width: vg.Points(1.6)}, ring)
	}
	m.legend(c)
}

// legend draws the classes and the missing mark at the top left.
func (m *mapPlotter) legend(c draw.Canvas) {
	sty := textStyle(7, false, Black)
	sty.YAlign = draw.YCenter
	x := c.Min.X + 2
	y := c.Max.Y - 6
	box := vg.Points(9)
	d := m.c.decimals(0)
	if len(m.breaks) > 0 {
		d = m.c.decimals(m.breaks[len(m.breaks)-1])
	}
	lo := math.Inf(1)
	for _, v := range m.vals {
		lo = math.Min(lo, v)
	}
	if m.c.Unit != "" {
		ts := textStyle(7, true, Black)
		ts.YAlign = draw.YCenter
		c.FillText(ts, vg.Point{X: x, Y: y}, UnitName(m.c.Unit, m.c.Lang))
		y -= box + 3
	}
	for i, b := range m.breaks {
		from := lo
		if i > 0 {
			from = m.breaks[i-1]
		}
		c.FillPolygon(Sequential[i], []vg.Point{{X: x, Y: y - box/2}, {X: x + box, Y: y - box/2}, {X: x + box, Y: y + box/2}, {X: x, Y: y + box/2}})
		c.FillText(sty, vg.Point{X: x + box + 3, Y: y}, FormatNumber(from, d, m.c.Lang)+"–"+FormatNumber(b, d, m.c.Lang))
		y -= box + 3
	}
	fillHatched(&c, [][]vg.Point{{{X: x, Y: y - box/2}, {X: x + box, Y: y - box/2}, {X: x + box, Y: y + box/2}, {X: x, Y: y + box/2}}}, vg.Points(2.5))
	label := "Mangler / prikket"
	if m.c.Lang == English {
		label = "Missing / suppressed"
	}
	c.FillText(sty, vg.Point{X: x + box + 3, Y: y}, label)
}
