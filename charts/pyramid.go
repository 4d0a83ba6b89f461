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

// Pyramid is a population pyramid: age groups bottom (youngest) to top,
// Left (men) drawn to the left and Right (women) to the right, usually as
// shares of the population in per cent. CompareLeft/CompareRight, when
// set, draw the comparator's shares (the nation) as black outlines.
type Pyramid struct {
	Meta
	Groups                    []string
	Left, Right               plotter.Valuer
	LeftLabel, RightLabel     string // "Menn", "Kvinner"
	CompareLeft, CompareRight plotter.Valuer
	CompareLabel              string // "Landet"
}

// Info implements Chart.
func (c *Pyramid) Info() *Meta { return &c.Meta }

// Table implements Chart.
func (c *Pyramid) Table() Table {
	h := []string{tableWord(c.Lang, "gruppe"), c.LeftLabel, c.RightLabel}
	if c.CompareLeft != nil {
		h = append(h, c.CompareLabel+" "+c.LeftLabel, c.CompareLabel+" "+c.RightLabel)
	}
	t := Table{Header: h}
	for i, g := range c.Groups {
		row := []string{g, FormatPlain(c.Left.Value(i)), FormatPlain(c.Right.Value(i))}
		if c.CompareLeft != nil {
			row = append(row, FormatPlain(c.CompareLeft.Value(i)), FormatPlain(c.CompareRight.Value(i)))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// AltText implements Chart: the largest group on each side.
func (c *Pyramid) AltText() string {
	big := func(v plotter.Valuer) (string, float64) {
		k := -1
		for i := range v.Len() {
			if x := v.Value(i); finite(x) && (k < 0 || x > v.Value(k)) {
				k = i
			}
		}
		if k < 0 {
			return "", math.NaN()
		}
		return c.Groups[k], v.Value(k)
	}
	gl, vl := big(c.Left)
	gr, vr := big(c.Right)
	d := c.decimals(vl)
	if c.Lang == English {
		return fmt.Sprintf("Population pyramid: %s. %d groups. Largest: %s %s %s, %s %s %s.", c.Title, len(c.Groups),
			c.LeftLabel, gl, FormatNumber(vl, d, c.Lang), c.RightLabel, gr, FormatNumber(vr, d, c.Lang))
	}
	return fmt.Sprintf("Befolkningspyramide: %s. %d grupper. Størst: %s %s %s, %s %s %s.", c.Title, len(c.Groups),
		strings.ToLower(c.LeftLabel), gl, FormatNumber(vl, d, c.Lang), strings.ToLower(c.RightLabel), gr, FormatNumber(vr, d, c.Lang))
}

func (c *Pyramid) plot() (*plot.Plot, []string, error) {
	n := len(c.Groups)
	if n == 0 || c.Left.Len() != n || c.Right.Len() != n {
		return nil, nil, fmt.Errorf("pyramid: %d groups, %d left, %d right", n, c.Left.Len(), c.Right.Len())
	}
	if (c.CompareLeft == nil) != (c.CompareRight == nil) || (c.CompareLeft != nil && (c.CompareLeft.Len() != n || c.CompareRight.Len() != n)) {
		return nil, nil, fmt.Errorf("pyramid: comparator lengths differ")
	}
	p := newPlot(&c.Meta, c.Left.Value(0))
	pp := &pyrPlotter{c: c}
	p.Add(pp)
	p.NominalY(c.Groups...)
	p.Y.Label.Text = ""
	p.Y.Tick.Label.Font.Size = 7
	p.X.Tick.Marker = memoTicks(absTicks{numTicks{lang: c.Lang}})
	p.Legend.Top = true
	p.Legend.Add(c.LeftLabel, swatch(Blue))
	p.Legend.Add(c.RightLabel, swatch(Orange))
	if c.CompareLeft != nil {
		p.Legend.Add(c.CompareLabel, &plotter.Line{LineStyle: draw.LineStyle{Color: Black, Width: vg.Points(1)}})
	}
	return p, nil, nil
}

func swatch(col interface{ RGBA() (r, g, b, a uint32) }) plot.Thumbnailer {
	return &plotter.BarChart{Color: col}
}

// absTicks labels ticks with absolute values (both sides of a pyramid are
// positive).
type absTicks struct{ numTicks }

// Ticks implements plot.Ticker.
func (a absTicks) Ticks(min, max float64) []plot.Tick {
	ts := a.numTicks.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strings.TrimPrefix(strings.TrimPrefix(ts[i].Label, Minus), "-")
		}
	}
	return ts
}

type pyrPlotter struct{ c *Pyramid }

// Plot implements plot.Plotter.
func (pp *pyrPlotter) Plot(c draw.Canvas, plt *plot.Plot) {
	tx, ty := plt.Transforms(&c)
	p := pp.c
	for i := range p.Groups {
		y0, y1 := ty(float64(i)-0.4), ty(float64(i)+0.4)
		if l := p.Left.Value(i); finite(l) {
			c.FillPolygon(Blue, []vg.Point{{X: tx(-l), Y: y0}, {X: tx(0), Y: y0}, {X: tx(0), Y: y1}, {X: tx(-l), Y: y1}})
		}
		if r := p.Right.Value(i); finite(r) {
			c.FillPolygon(Orange, []vg.Point{{X: tx(0), Y: y0}, {X: tx(r), Y: y0}, {X: tx(r), Y: y1}, {X: tx(0), Y: y1}})
		}
	}
	if p.CompareLeft == nil {
		return
	}
	ls := draw.LineStyle{Color: Black, Width: vg.Points(1)}
	for _, side := range []struct {
		v    plotter.Valuer
		sign float64
	}{{p.CompareLeft, -1}, {p.CompareRight, 1}} {
		var pts []vg.Point
		for i := range p.Groups {
			v := side.v.Value(i)
			if !finite(v) {
				if len(pts) > 1 {
					c.StrokeLines(ls, pts)
				}
				pts = nil
				continue
			}
			x := tx(side.sign * v)
			pts = append(pts, vg.Point{X: x, Y: ty(float64(i) - 0.5)}, vg.Point{X: x, Y: ty(float64(i) + 0.5)})
		}
		if len(pts) > 1 {
			c.StrokeLines(ls, pts)
		}
	}
}

// DataRange implements plot.DataRanger: symmetric around 0.
func (pp *pyrPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	m := 0.0
	for _, v := range []plotter.Valuer{pp.c.Left, pp.c.Right, pp.c.CompareLeft, pp.c.CompareRight} {
		if v == nil {
			continue
		}
		for i := range v.Len() {
			if x := v.Value(i); finite(x) {
				m = math.Max(m, math.Abs(x))
			}
		}
	}
	return -m, m, -0.5, float64(len(pp.c.Groups)) - 0.5
}
