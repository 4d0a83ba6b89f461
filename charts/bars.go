package charts

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// RankedBars ranks units (all municipalities, counties or groupings) by
// value, highlights some, and draws a reference line (the nation). Every
// unit gets a labelled horizontal bar, largest on top. The chart grows
// taller than Meta.Height when its units need it: each bar gets at least
// [BarPitch], so 357 municipalities stay readable at the labels' 7 pt
// ([Size] reports the size drawn). Units with a NaN value are not drawn;
// they are counted in the caption.
type RankedBars struct {
	Meta
	Labels    []string
	Values    plotter.Valuer
	Highlight []int   // indexes into Labels
	Reference float64 // NaN: none
	RefLabel  string  // "Landet"
	// LowestFirst ranks the lowest value first (rank 1), for indicators
	// where lower is better; otherwise the highest is first.
	LowestFirst bool
}

// MaxLabelledBars is the largest number of bars that fit the default
// height with room to spare; charts with more grow taller (see
// [RankedBars]) and get a light grid so values can be read far from the
// axis.
const MaxLabelledBars = 40

// BarPitch is the least height of one bar's row in a [RankedBars] chart:
// room for its 7 pt label with 2 pt between labels.
const BarPitch vg.Length = 9 // points

// rankedOverhead is what a ranked chart needs besides its rows and the
// title and caption: the X axis (tick marks, tick labels and axis label)
// and the plot's paddings.
const rankedOverhead vg.Length = 34 // points

// size implements sizer: at least BarPitch per drawn bar in the data area.
func (c *RankedBars) size(l *layout) (vg.Length, vg.Length) {
	w, h := c.Meta.size()
	n := 0
	for i := range c.Labels {
		if i < c.Values.Len() && finite(c.Values.Value(i)) {
			n++
		}
	}
	if need := l.top + l.bottom + rankedOverhead + vg.Length(n)*BarPitch; h < need {
		h = vg.Length(math.Ceil(float64(need)))
	}
	return w, h
}

type rankedItem struct {
	label string
	value float64
	hi    bool
}

func (c *RankedBars) items() (drawn []rankedItem, missing []string) {
	hi := map[int]bool{}
	for _, i := range c.Highlight {
		hi[i] = true
	}
	for i, l := range c.Labels {
		v := math.NaN()
		if i < c.Values.Len() {
			v = c.Values.Value(i)
		}
		if !finite(v) {
			missing = append(missing, l)
			continue
		}
		drawn = append(drawn, rankedItem{l, v, hi[i]})
	}
	sort.SliceStable(drawn, func(i, j int) bool {
		if drawn[i].value != drawn[j].value {
			return (drawn[i].value > drawn[j].value) != c.LowestFirst
		}
		return drawn[i].label < drawn[j].label
	})
	return drawn, missing
}

// Info implements Chart.
func (c *RankedBars) Info() *Meta { return &c.Meta }

// Table implements Chart: rang, enhet, verdi, then the reference.
func (c *RankedBars) Table() Table {
	drawn, _ := c.items()
	t := Table{Header: tableHeader(c.Lang, "rang", "enhet", "verdi", "uthevet")}
	for i, it := range drawn {
		h := ""
		if it.hi {
			h = tableWord(c.Lang, "ja")
		}
		t.Rows = append(t.Rows, []string{fmt.Sprint(i + 1), it.label, FormatPlain(it.value), h})
	}
	if finite(c.Reference) {
		t.Rows = append(t.Rows, []string{"", c.RefLabel, FormatPlain(c.Reference), tableWord(c.Lang, "referanse")})
	}
	return t
}

// AltText implements Chart: the highlighted units' ranks and values, the
// range and the reference.
func (c *RankedBars) AltText() string {
	drawn, missing := c.items()
	if len(drawn) == 0 {
		return c.Title + ": " + missingWord(c.Lang) + "."
	}
	dec := c.decimals(drawn[0].value)
	f := func(v float64) string { return FormatNumber(v, dec, c.Lang) }
	var b strings.Builder
	en := c.Lang == English
	if en {
		fmt.Fprintf(&b, "Ranked bar chart: %s. %d units from %s (%s) to %s (%s).", c.Title, len(drawn),
			f(drawn[0].value), drawn[0].label, f(drawn[len(drawn)-1].value), drawn[len(drawn)-1].label)
	} else {
		fmt.Fprintf(&b, "Rangert stolpediagram: %s. %d enheter fra %s (%s) til %s (%s).", c.Title, len(drawn),
			f(drawn[0].value), drawn[0].label, f(drawn[len(drawn)-1].value), drawn[len(drawn)-1].label)
	}
	for i, it := range drawn {
		if it.hi {
			if en {
				fmt.Fprintf(&b, " %s: %s, rank %d of %d.", it.label, f(it.value), i+1, len(drawn))
			} else {
				fmt.Fprintf(&b, " %s: %s, nummer %d av %d.", it.label, f(it.value), i+1, len(drawn))
			}
		}
	}
	if finite(c.Reference) {
		fmt.Fprintf(&b, " %s: %s.", c.RefLabel, f(c.Reference))
	}
	if len(missing) > 0 {
		if en {
			fmt.Fprintf(&b, " %d without a value.", len(missing))
		} else {
			fmt.Fprintf(&b, " %d uten tall.", len(missing))
		}
	}
	return b.String()
}

func (c *RankedBars) plot() (*plot.Plot, []string, error) {
	drawn, missing := c.items()
	if len(drawn) == 0 {
		return nil, nil, fmt.Errorf("ranked bars: no values")
	}
	var notes []string
	if len(missing) > 0 {
		note := fmt.Sprintf("%d enheter uten tall (mangler eller prikket) er ikke tegnet.", len(missing))
		if len(missing) == 1 {
			note = "1 enhet uten tall (mangler eller prikket) er ikke tegnet."
		}
		if c.Lang == English {
			note = fmt.Sprintf("%d unit(s) without a value (missing or suppressed) not drawn.", len(missing))
		}
		notes = append(notes, note)
	}
	p := newPlot(&c.Meta, drawn[0].value)
	b := &barPlotter{}
	// Largest at the top: bar i at y = n-1-i.
	names := make([]string, len(drawn))
	for i, it := range drawn {
		col := color.Color(SkyBlue)
		if it.hi {
			col = Blue
		}
		b.values = append(b.values, it.value)
		b.colors = append(b.colors, col)
		names[len(drawn)-1-i] = it.label
	}
	p.Add(b)
	if len(drawn) > MaxLabelledBars {
		// A tall chart: vertical grid lines over the bars carry the X ticks
		// up to the bars far from the axis.
		g := plotter.NewGrid()
		g.Horizontal.Color = nil
		g.Vertical.Color = color.RGBA{0xff, 0xff, 0xff, 0xff}
		g.Vertical.Width = vg.Points(0.6)
		p.Add(g)
	}
	p.NominalY(names...)
	p.Y.Tick.Label.Font.Size = 7
	p.Y.Label.Text = ""
	p.X.Label.Text = c.XLabel
	if p.X.Label.Text == "" {
		p.X.Label.Text = c.YLabel
	}
	p.Y.Padding, p.X.Padding = 0, 0
	if finite(c.Reference) {
		p.Add(&refLine{value: c.Reference, label: c.RefLabel + " " + FormatNumber(c.Reference, c.decimals(c.Reference), c.Lang),
			both: len(drawn) > MaxLabelledBars})
	}
	return p, notes, nil
}

// barPlotter draws one horizontal bar per value with its own colour, from
// 0 along X at y = n-1-i (the first value on top).
type barPlotter struct {
	values []float64
	colors []color.Color
}

// Plot implements plot.Plotter.
func (b *barPlotter) Plot(c draw.Canvas, plt *plot.Plot) {
	tx, ty := plt.Transforms(&c)
	n := len(b.values)
	const width = 0.8
	for i, v := range b.values {
		pos := float64(n - 1 - i)
		x0, x1 := tx(0), tx(v)
		y0, y1 := ty(pos-width/2), ty(pos+width/2)
		pts := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		c.FillPolygon(b.colors[i], c.ClipPolygonXY(pts))
	}
}

// DataRange implements plot.DataRanger.
func (b *barPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	lo, hi := 0.0, 0.0
	for _, v := range b.values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi, -0.5, float64(len(b.values)) - 0.5
}

// refLine is a dashed vertical reference line across the data area,
// labelled at its foot (and at its top too when both is set: a tall chart).
type refLine struct {
	value float64
	label string
	both  bool
}

// Plot implements plot.Plotter.
func (r *refLine) Plot(c draw.Canvas, plt *plot.Plot) {
	tx, _ := plt.Transforms(&c)
	ls := draw.LineStyle{Color: Black, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(2)}}
	sty := textStyle(7, false, Black)
	x := tx(r.value)
	c.StrokeLine2(ls, x, c.Min.Y, x, c.Max.Y)
	sty.XAlign = draw.XLeft
	sty.YAlign = draw.YBottom
	c.FillText(sty, vg.Point{X: x + 2, Y: c.Min.Y + 1}, r.label)
	if r.both {
		sty.YAlign = draw.YTop
		c.FillText(sty, vg.Point{X: x + 2, Y: c.Max.Y - 1}, r.label)
	}
}

// DataRange implements plot.DataRanger: the reference is always in range.
func (r *refLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return r.value, r.value, math.Inf(1), math.Inf(-1)
}

// DivergingBars draws gaps (region minus comparator) as horizontal bars
// from zero: blue to the right, orange to the left. NaN gaps are listed
// as missing and not drawn.
type DivergingBars struct {
	Meta
	Labels []string
	Values plotter.Valuer
}

// Info implements Chart.
func (c *DivergingBars) Info() *Meta { return &c.Meta }

// Table implements Chart.
func (c *DivergingBars) Table() Table {
	t := Table{Header: tableHeader(c.Lang, "enhet", "avvik")}
	for i, l := range c.Labels {
		if v := c.Values.Value(i); finite(v) {
			t.Rows = append(t.Rows, []string{l, FormatPlain(v)})
		}
	}
	return t
}

// AltText implements Chart.
func (c *DivergingBars) AltText() string {
	var parts []string
	for i, l := range c.Labels {
		v := c.Values.Value(i)
		s := missingWord(c.Lang)
		if finite(v) {
			s = FormatNumber(v, c.decimals(v), c.Lang)
			if v > 0 {
				s = "+" + s
			}
		}
		parts = append(parts, l+" "+s)
	}
	kind := "Avviksdiagram"
	if c.Lang == English {
		kind = "Diverging bar chart"
	}
	return fmt.Sprintf("%s: %s. %s.", kind, c.Title, strings.Join(parts, "; "))
}

func (c *DivergingBars) plot() (*plot.Plot, []string, error) {
	n := len(c.Labels)
	if n == 0 || c.Values.Len() != n {
		return nil, nil, fmt.Errorf("diverging bars: %d labels, %d values", n, c.Values.Len())
	}
	p := newPlot(&c.Meta, 1)
	b := &barPlotter{}
	names := make([]string, n)
	for i, l := range c.Labels {
		v := c.Values.Value(i)
		col := color.Color(Blue)
		if v < 0 {
			col = Orange
		}
		if !finite(v) {
			v, col = 0, Grey
			l += " (" + missingWord(c.Lang) + ")"
		}
		b.values = append(b.values, v)
		b.colors = append(b.colors, col)
		names[n-1-i] = l
	}
	p.Add(b)
	p.Add(&refLine{value: 0})
	p.NominalY(names...)
	p.Y.Tick.Label.Font.Size = 7
	p.Y.Label.Text = ""
	p.X.Label.Text = c.XLabel
	return p, nil, nil
}

// DotInterval draws estimates with their intervals (survey-based values):
// one row per unit, a dot at the value and a bar from Low to High, with an
// optional reference line. Units with a NaN value are not drawn; a NaN
// bound draws the dot alone.
type DotInterval struct {
	Meta
	Labels    []string
	Values    plotter.Valuer
	Low, High plotter.Valuer
	Reference float64 // NaN: none
	RefLabel  string
}

// Info implements Chart.
func (c *DotInterval) Info() *Meta { return &c.Meta }

// Table implements Chart.
func (c *DotInterval) Table() Table {
	t := Table{Header: tableHeader(c.Lang, "enhet", "verdi", "ki_lav", "ki_hoy")}
	for i, l := range c.Labels {
		v := c.Values.Value(i)
		if !finite(v) {
			continue
		}
		t.Rows = append(t.Rows, []string{l, FormatPlain(v), FormatPlain(c.Low.Value(i)), FormatPlain(c.High.Value(i))})
	}
	if finite(c.Reference) {
		t.Rows = append(t.Rows, []string{c.RefLabel, FormatPlain(c.Reference), "", ""})
	}
	return t
}

// AltText implements Chart.
func (c *DotInterval) AltText() string {
	var parts []string
	for i, l := range c.Labels {
		v := c.Values.Value(i)
		if !finite(v) {
			parts = append(parts, l+" "+missingWord(c.Lang))
			continue
		}
		d := c.decimals(v)
		s := l + " " + FormatNumber(v, d, c.Lang)
		if lo, hi := c.Low.Value(i), c.High.Value(i); finite(lo) && finite(hi) {
			s += " (" + FormatNumber(lo, d, c.Lang) + "–" + FormatNumber(hi, d, c.Lang) + ")"
		}
		parts = append(parts, s)
	}
	kind := "Punktdiagram med usikkerhetsintervall"
	if c.Lang == English {
		kind = "Dot plot with intervals"
	}
	return fmt.Sprintf("%s: %s. %s.", kind, c.Title, strings.Join(parts, "; "))
}

func (c *DotInterval) plot() (*plot.Plot, []string, error) {
	n := len(c.Labels)
	if n == 0 || c.Values.Len() != n || c.Low.Len() != n || c.High.Len() != n {
		return nil, nil, fmt.Errorf("dot interval: lengths differ")
	}
	p := newPlot(&c.Meta, c.Values.Value(0))
	d := &dotPlotter{}
	names := make([]string, n)
	for i, l := range c.Labels {
		names[n-1-i] = l
		d.v = append(d.v, c.Values.Value(i))
		d.lo = append(d.lo, c.Low.Value(i))
		d.hi = append(d.hi, c.High.Value(i))
	}
	p.Add(d)
	if finite(c.Reference) {
		p.Add(&refLine{value: c.Reference, label: c.RefLabel})
	}
	p.NominalY(names...)
	p.Y.Label.Text = ""
	p.X.Label.Text = c.XLabel
	return p, nil, nil
}

type dotPlotter struct{ v, lo, hi []float64 }

// Plot implements plot.Plotter.
func (d *dotPlotter) Plot(c draw.Canvas, plt *plot.Plot) {
	tx, ty := plt.Transforms(&c)
	n := len(d.v)
	ls := draw.LineStyle{Color: Blue, Width: vg.Points(1.5)}
	for i, v := range d.v {
		if !finite(v) {
			continue
		}
		y := ty(float64(n - 1 - i))
		if finite(d.lo[i]) && finite(d.hi[i]) {
			x0, x1 := tx(d.lo[i]), tx(d.hi[i])
			c.StrokeLine2(ls, x0, y, x1, y)
			c.StrokeLine2(ls, x0, y-3, x0, y+3)
			c.StrokeLine2(ls, x1, y-3, x1, y+3)
		}
		c.DrawGlyph(draw.GlyphStyle{Color: Blue, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}, vg.Point{X: tx(v), Y: y})
	}
}

// DataRange implements plot.DataRanger.
func (d *dotPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	for i, v := range d.v {
		for _, x := range []float64{v, d.lo[i], d.hi[i]} {
			if finite(x) && finite(v) {
				xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			}
		}
	}
	return xmin, xmax, -0.5, float64(len(d.v)) - 0.5
}
