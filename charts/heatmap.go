package charts

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap draws a grid of regions (rows) × indicators (columns) coloured
// on the diverging scale around Mid (100 for a gap index: the comparator
// equals 100) with half-width Span. Grid gives the values as
// plotter.GridXYZ: Dims() is (columns, rows), Z(c, r) the value, NaN for
// missing, which is drawn hatched grey, never as a colour. Row 0 is drawn
// at the top.
type Heatmap struct {
	Meta
	Grid      plotter.GridXYZ
	RowLabels []string
	ColLabels []string
	Mid, Span float64
}

// Info implements Chart.
func (c *Heatmap) Info() *Meta { return &c.Meta }

// Table implements Chart: one row per cell with a value.
func (c *Heatmap) Table() Table {
	t := Table{Header: []string{"rad", "kolonne", "verdi"}}
	cols, rows := c.Grid.Dims()
	for r := range rows {
		for k := range cols {
			if v := c.Grid.Z(k, r); finite(v) {
				t.Rows = append(t.Rows, []string{c.RowLabels[r], c.ColLabels[k], FormatPlain(v)})
			}
		}
	}
	return t
}

// AltText implements Chart: per row, the columns furthest above and below
// Mid.
func (c *Heatmap) AltText() string {
	cols, rows := c.Grid.Dims()
	var parts []string
	for r := range rows {
		hi, lo := -1, -1
		for k := range cols {
			v := c.Grid.Z(k, r)
			if !finite(v) {
				continue
			}
			if hi < 0 || v > c.Grid.Z(hi, r) {
				hi = k
			}
			if lo < 0 || v < c.Grid.Z(lo, r) {
				lo = k
			}
		}
		if hi < 0 {
			parts = append(parts, c.RowLabels[r]+": "+missingWord(c.Lang))
			continue
		}
		d := c.decimals(c.Mid)
		if c.Lang == English {
			parts = append(parts, fmt.Sprintf("%s: highest %s %s, lowest %s %s", c.RowLabels[r],
				c.ColLabels[hi], FormatNumber(c.Grid.Z(hi, r), d, c.Lang), c.ColLabels[lo], FormatNumber(c.Grid.Z(lo, r), d, c.Lang)))
		} else {
			parts = append(parts, fmt.Sprintf("%s: høyest %s %s, lavest %s %s", c.RowLabels[r],
				c.ColLabels[hi], FormatNumber(c.Grid.Z(hi, r), d, c.Lang), c.ColLabels[lo], FormatNumber(c.Grid.Z(lo, r), d, c.Lang)))
		}
	}
	kind := "Varmekart"
	if c.Lang == English {
		kind = "Heatmap"
	}
	return fmt.Sprintf("%s: %s. %s.", kind, c.Title, strings.Join(parts, "; "))
}

func (c *Heatmap) plot() (*plot.Plot, []string, error) {
	cols, rows := c.Grid.Dims()
	if cols == 0 || rows == 0 || len(c.RowLabels) != rows || len(c.ColLabels) != cols {
		return nil, nil, fmt.Errorf("heatmap: grid %d×%d, %d row labels, %d column labels", cols, rows, len(c.RowLabels), len(c.ColLabels))
	}
	p := newPlot(&c.Meta, c.Mid)
	h := &heatPlotter{c: c, cols: cols, rows: rows}
	p.Add(h)
	names := make([]string, rows)
	for r := range rows {
		names[rows-1-r] = c.RowLabels[r]
	}
	p.NominalY(names...)
	p.NominalX(c.ColLabels...)
	p.X.Tick.Label.Rotation = math.Pi / 4
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.X.Tick.Label.Font.Size = 6.5
	p.Y.Tick.Label.Font.Size = 7
	p.X.Label.Text, p.Y.Label.Text = "", ""
	for r := range rows {
		for k := range cols {
			if !finite(c.Grid.Z(k, r)) {
				n := "Skraverte ruter: tall mangler eller er prikket."
				if c.Lang == English {
					n = "Hatched cells: missing or suppressed."
				}
				return p, []string{n}, nil
			}
		}
	}
	return p, nil, nil
}

type heatPlotter struct {
	c          *Heatmap
	cols, rows int
}

// Plot implements plot.Plotter.
func (h *heatPlotter) Plot(c draw.Canvas, plt *plot.Plot) {
	tx, ty := plt.Transforms(&c)
	showText := h.cols <= 20 && h.rows <= 30
	sty := textStyle(6, false, Black)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	for r := range h.rows {
		for k := range h.cols {
			y := float64(h.rows - 1 - r)
			x := float64(k)
			pts := []vg.Point{{X: tx(x - 0.5), Y: ty(y - 0.5)}, {X: tx(x + 0.5), Y: ty(y - 0.5)}, {X: tx(x + 0.5), Y: ty(y + 0.5)}, {X: tx(x - 0.5), Y: ty(y + 0.5)}}
			v := h.c.Grid.Z(k, r)
			if !finite(v) {
				fillHatched(&c, [][]vg.Point{pts}, vg.Points(3))
				continue
			}
			col := DivergingColor(v, h.c.Mid, h.c.Span)
			c.FillPolygon(col, pts)
			if showText {
				tc := Black
				if col == Diverging[0] || col == Diverging[len(Diverging)-1] {
					tc = LightGrey
				}
				s := sty
				s.Color = tc
				c.FillText(s, vg.Point{X: tx(x), Y: ty(y)}, FormatNumber(v, 0, h.c.Lang))
			}
		}
	}
}

// DataRange implements plot.DataRanger.
func (h *heatPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(h.cols) - 0.5, -0.5, float64(h.rows) - 0.5
}

// fillHatched fills the area of rings (even-odd) light grey and draws
// diagonal hatch lines clipped to it, spacing apart: the mark of a missing
// or suppressed area.
func fillHatched(c *draw.Canvas, rings [][]vg.Point, spacing vg.Length) {
	var path vg.Path
	for _, ring := range rings {
		for i, p := range ring {
			if i == 0 {
				path.Move(p)
			} else {
				path.Line(p)
			}
		}
		path.Close()
	}
	c.SetColor(LightGrey)
	c.Fill(path)
	ls := draw.LineStyle{Color: DarkGrey, Width: vg.Points(0.5)}
	for _, seg := range hatchSegments(rings, spacing) {
		c.StrokeLine2(ls, seg[0].X, seg[0].Y, seg[1].X, seg[1].Y)
	}
}

// hatchSegments returns the pieces of the lines x - y = k*spacing that lie
// inside the rings (even-odd rule). In coordinates u = x - y, v = x + y
// each hatch line is u = const; its crossings with every edge are sorted
// along v and taken in pairs.
func hatchSegments(rings [][]vg.Point, spacing vg.Length) [][2]vg.Point {
	umin, umax := math.Inf(1), math.Inf(-1)
	for _, ring := range rings {
		for _, p := range ring {
			u := float64(p.X - p.Y)
			umin, umax = math.Min(umin, u), math.Max(umax, u)
		}
	}
	var out [][2]vg.Point
	sp := float64(spacing)
	if sp <= 0 || math.IsInf(umin, 0) {
		return nil
	}
	var vs []float64
	for u := math.Ceil(umin/sp) * sp; u <= umax; u += sp {
		vs = vs[:0]
		for _, ring := range rings {
			n := len(ring)
			for i := range n {
				a, b := ring[i], ring[(i+1)%n]
				ua, ub := float64(a.X-a.Y), float64(b.X-b.Y)
				if (ua <= u) == (ub <= u) {
					continue
				}
				t := (u - ua) / (ub - ua)
				va, vb := float64(a.X+a.Y), float64(b.X+b.Y)
				vs = append(vs, va+t*(vb-va))
			}
		}
		sortFloats(vs)
		for i := 0; i+1 < len(vs); i += 2 {
			// x = (u+v)/2, y = (v-u)/2
			p0 := vg.Point{X: vg.Length((u + vs[i]) / 2), Y: vg.Length((vs[i] - u) / 2)}
			p1 := vg.Point{X: vg.Length((u + vs[i+1]) / 2), Y: vg.Length((vs[i+1] - u) / 2)}
			out = append(out, [2]vg.Point{p0, p1})
		}
	}
	return out
}

func sortFloats(a []float64) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
