package charts

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Line is one series of a [TimeSeries]: X is the year (2024, or 2024.25
// for a quarter), Y the value; a NaN Y is missing and leaves a gap.
type Line struct {
	Name string
	XY   plotter.XYer
	// Color overrides the palette colour (Qualitative[i] for line i).
	Color color.Color
	// Emphasis draws the line thicker (the region in focus).
	Emphasis bool
	// Periods optionally names each point's period ("2024M03") for the
	// table and the alt text; nil means the X value.
	Periods []string
}

func (l *Line) period(i int) string {
	if i < len(l.Periods) {
		return l.Periods[i]
	}
	x, _ := l.XY.XY(i)
	return FormatPlain(x)
}

// Break marks a series break: a dashed vertical line just before X with a
// short label; its full text belongs in Meta.Notes.
type Break struct {
	X     float64
	Label string
}

// TimeSeries is a line chart of a region against its county and the
// nation over time, with series breaks marked.
type TimeSeries struct {
	Meta
	Lines  []Line
	Breaks []Break
}

// Info implements Chart.
func (c *TimeSeries) Info() *Meta { return &c.Meta }

// Table implements Chart: serie, periode, verdi for every drawn point.
func (c *TimeSeries) Table() Table {
	t := Table{Header: tableHeader(c.Lang, "serie", "periode", "verdi")}
	for _, l := range c.Lines {
		for i := range l.XY.Len() {
			_, y := l.XY.XY(i)
			if !finite(y) {
				continue
			}
			t.Rows = append(t.Rows, []string{l.Name, l.period(i), FormatPlain(y)})
		}
	}
	return t
}

// AltText implements Chart: the first and last value of every line.
func (c *TimeSeries) AltText() string {
	var parts []string
	dec := c.decimals(c.typical())
	for _, l := range c.Lines {
		first, last := -1, -1
		for i := range l.XY.Len() {
			if _, y := l.XY.XY(i); finite(y) {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first < 0 {
			parts = append(parts, fmt.Sprintf("%s: %s", l.Name, missingWord(c.Lang)))
			continue
		}
		_, y0 := l.XY.XY(first)
		_, y1 := l.XY.XY(last)
		if c.Lang == English {
			parts = append(parts, fmt.Sprintf("%s from %s in %s to %s in %s", l.Name,
				FormatNumber(y0, dec, c.Lang), PeriodWords(l.period(first), c.Lang), FormatNumber(y1, dec, c.Lang), PeriodWords(l.period(last), c.Lang)))
		} else {
			parts = append(parts, fmt.Sprintf("%s fra %s i %s til %s i %s", l.Name,
				FormatNumber(y0, dec, c.Lang), PeriodWords(l.period(first), c.Lang), FormatNumber(y1, dec, c.Lang), PeriodWords(l.period(last), c.Lang)))
		}
	}
	kind := "Linjediagram"
	if c.Lang == English {
		kind = "Line chart"
	}
	s := fmt.Sprintf("%s: %s. %s.", kind, c.Title, strings.Join(parts, "; "))
	if c.Unit != "" {
		s = strings.TrimSuffix(s, ".") + " (" + UnitName(c.Unit, c.Lang) + ")."
	}
	return s
}

func missingWord(l Lang) string {
	if l == English {
		return "no values"
	}
	return "ingen verdier"
}

func (c *TimeSeries) typical() float64 {
	for _, l := range c.Lines {
		for i := range l.XY.Len() {
			if _, y := l.XY.XY(i); finite(y) {
				return y
			}
		}
	}
	return 0
}

func (c *TimeSeries) plot() (*plot.Plot, []string, error) {
	if len(c.Lines) == 0 {
		return nil, nil, fmt.Errorf("time series: no lines")
	}
	p := newPlot(&c.Meta, c.typical())
	p.X.Tick.Marker = memoTicks(yearTicks{})
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.YOffs = 0
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for i := range c.Lines {
		l := &c.Lines[i]
		col := l.Color
		if col == nil {
			col = Qualitative[i%len(Qualitative)]
		}
		width := vg.Points(1.5)
		if l.Emphasis {
			width = vg.Points(2.5)
		}
		var seg plotter.XYs
		var all plotter.XYs
		flush := func() error {
			if len(seg) > 1 {
				ln, err := plotter.NewLine(seg)
				if err != nil {
					return err
				}
				ln.Color, ln.Width = col, width
				p.Add(ln)
			}
			seg = nil
			return nil
		}
		for k := range l.XY.Len() {
			x, y := l.XY.XY(k)
			if !finite(x) {
				return nil, nil, fmt.Errorf("time series %q: point %d: x is %v", l.Name, k, x)
			}
			xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			if !finite(y) {
				if err := flush(); err != nil {
					return nil, nil, err
				}
				continue
			}
			seg = append(seg, plotter.XY{X: x, Y: y})
			all = append(all, plotter.XY{X: x, Y: y})
		}
		if err := flush(); err != nil {
			return nil, nil, err
		}
		if len(all) > 0 {
			sc, err := plotter.NewScatter(all)
			if err != nil {
				return nil, nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: width * 1.4, Shape: glyphFor(i)}
			p.Add(sc)
			ln := &plotter.Line{LineStyle: draw.LineStyle{Color: col, Width: width}}
			p.Legend.Add(l.Name, ln, sc)
		}
	}
	if math.IsInf(xmin, 0) {
		return nil, nil, fmt.Errorf("time series: no points")
	}
	p.X.Min, p.X.Max = xmin-0.5, xmax+0.5
	// Room above the data for the legend (one line per series).
	if span := p.Y.Max - p.Y.Min; span > 0 {
		p.Y.Max += span * (0.08 + 0.07*float64(len(c.Lines)))
	} else {
		p.Y.Max += math.Max(1, math.Abs(p.Y.Max)*0.1)
		p.Y.Min -= math.Max(1, math.Abs(p.Y.Min)*0.1)
	}
	for _, b := range c.Breaks {
		p.Add(&vline{x: b.X - 0.5, label: b.Label})
	}
	return p, nil, nil
}

func glyphFor(i int) draw.GlyphDrawer {
	switch i % 4 {
	case 0:
		return draw.CircleGlyph{}
	case 1:
		return draw.SquareGlyph{}
	case 2:
		return draw.TriangleGlyph{}
	}
	return draw.RingGlyph{}
}

// vline is a dashed vertical marker with a small label at the top.
type vline struct {
	x     float64
	label string
}

// Plot implements plot.Plotter.
func (v *vline) Plot(c draw.Canvas, plt *plot.Plot) {
	x, _ := plt.Transforms(&c)
	px := x(v.x)
	if px < c.Min.X || px > c.Max.X {
		return
	}
	c.StrokeLine2(draw.LineStyle{Color: DarkGrey, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}, px, c.Min.Y, px, c.Max.Y)
	if v.label != "" {
		sty := textStyle(6.5, false, DarkGrey)
		sty.XAlign = draw.XLeft
		c.FillText(sty, vg.Point{X: px + 1, Y: c.Max.Y - 1}, v.label)
	}
}
