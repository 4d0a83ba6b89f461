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
// at the top. A colour legend above the grid gives the value of every
// colour class (the class bounds of [DivergingColor]) under ScaleLabel,
// and the hatched swatch when a cell is missing. A column with no value
// in any row gets a caption note saying why (ColumnNotes).
type Heatmap struct {
	Meta
	Grid      plotter.GridXYZ
	RowLabels []string
	ColLabels []string
	Mid, Span float64
	// ScaleLabel titles the colour legend ("Avviksindeks, landet = 100");
	// "" means Unit.
	ScaleLabel string
	// ColumnNotes optionally says, by column, why a column may have no
	// value at all ("sammenlignes ikke med landet"); a column with no
	// value and no note gets "ingen tall i noen rad".
	ColumnNotes []string
}

// legendHeight is the height of the colour legend above the grid: the
// title line, the swatches and their bound labels.
const legendHeight = 28 * vg.Inch / 72 // 28 pt

// LegendBounds returns the class bounds of the colour legend, low to
// high: the values where [DivergingColor] changes class, Mid +
// Span·((2k+1)/(classes−1) − 1) for k = 0 … classes−2, the 7 classes of
// [Diverging] (Mid 100, Span 30: 75, 85, 95, 105, 115, 125).
func (c *Heatmap) LegendBounds() []float64 {
	span := c.Span
	if span <= 0 {
		span = 1
	}
	n := len(Diverging) - 1 // 6 steps between the class centres
	var out []float64
	for k := range n {
		// i = round((t+1)/2·n) changes at (t+1)/2·n = k + 0.5.
		t := (float64(k)+0.5)*2/float64(n) - 1
		out = append(out, c.Mid+t*span)
	}
	return out
}

func (c *Heatmap) scaleLabel() string {
	if c.ScaleLabel != "" {
		return c.ScaleLabel
	}
	u := UnitName(c.Unit, c.Lang)
	if u == "" {
		return ""
	}
	return strings.ToUpper(u[:1]) + u[1:]
}

// blankColumns returns the columns with no value in any row.
func (c *Heatmap) blankColumns() []int {
	cols, rows := c.Grid.Dims()
	var out []int
	for k := range cols {
		blank := true
		for r := range rows {
			if finite(c.Grid.Z(k, r)) {
				blank = false
				break
			}
		}
		if blank {
			out = append(out, k)
		}
	}
	return out
}

// legendRows is the height of the legend in row units of the grid, from
// an estimate of the plot area's height (the image less title, caption
// and the rotated column labels), so that the legend gets about
// legendHeight whatever the number of rows.
func (c *Heatmap) legendRows(notes []string) float64 {
	w, h := c.size()
	top, bottom := frame(&c.Meta, notes, w)
	lab := vg.Length(0)
	sty := textStyle(6.5, false, Black)
	for _, l := range c.ColLabels {
		lab = max(lab, sty.Width(l))
	}
	area := h - top - bottom - lab*0.72 - 12
	_, rows := c.Grid.Dims()
	if area <= legendHeight*2 {
		return float64(rows) // a tiny chart: half the area
	}
	return float64(legendHeight) * float64(rows) / float64(area-legendHeight)
}

// Info implements Chart.
func (c *Heatmap) Info() *Meta { return &c.Meta }

// Table implements Chart: one row per cell with a value.
func (c *Heatmap) Table() Table {
	t := Table{Header: tableHeader(c.Lang, "rad", "kolonne", "verdi")}
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
	notes := c.notes()
	h := &heatPlotter{c: c, cols: cols, rows: rows, legend: c.legendRows(notes)}
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
	return p, notes, nil
}

// notes are the caption notes of the grid: the hatched cells, and why
// each blank column is blank.
func (c *Heatmap) notes() []string {
	if !c.anyMissing() {
		return nil
	}
	n := "Skraverte ruter: tall mangler eller er prikket."
	if c.Lang == English {
		n = "Hatched cells: missing or suppressed."
	}
	out := []string{n}
	for _, k := range c.blankColumns() {
		why := ""
		if k < len(c.ColumnNotes) {
			why = c.ColumnNotes[k]
		}
		if why == "" {
			why = "ingen tall i noen rad"
			if c.Lang == English {
				why = "no value in any row"
			}
		}
		out = append(out, c.ColLabels[k]+": "+why+".")
	}
	return out
}

func (c *Heatmap) anyMissing() bool {
	cols, rows := c.Grid.Dims()
	for r := range rows {
		for k := range cols {
			if !finite(c.Grid.Z(k, r)) {
				return true
			}
		}
	}
	return false
}

type heatPlotter struct {
	c          *Heatmap
	cols, rows int
	legend     float64 // rows of the data range above the grid for the legend
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
	h.drawLegend(c, vg.Rectangle{Min: vg.Point{X: tx(-0.5), Y: ty(float64(h.rows) - 0.5)}, Max: vg.Point{X: c.Max.X, Y: c.Max.Y}})
}

// drawLegend draws the colour legend in band (the data area above the
// grid): the scale label, one swatch per colour class with the class
// bounds between them, and the hatched swatch for missing cells.
func (h *heatPlotter) drawLegend(c draw.Canvas, band vg.Rectangle) {
	title := textStyle(7, true, DarkGrey)
	title.YAlign = draw.YTop
	lab := textStyle(6.5, false, DarkGrey)
	lab.XAlign, lab.YAlign = draw.XCenter, draw.YTop
	x0 := band.Min.X
	y := band.Max.Y - 1
	if t := h.c.scaleLabel(); t != "" {
		c.FillText(title, vg.Point{X: x0, Y: y}, t)
		y -= title.Height(t) + 1
	}
	bounds := h.c.LegendBounds()
	missing := ""
	if h.c.anyMissing() {
		missing = "mangler/prikket"
		if h.c.Lang == English {
			missing = "missing/suppressed"
		}
	}
	avail := band.Max.X - x0 - 2
	if missing != "" {
		avail -= lab.Width(missing) + vg.Points(16)
	}
	sw := min(vg.Points(26), avail/vg.Length(len(Diverging)))
	sh := vg.Points(7)
	dec := h.c.decimals(h.c.Mid)
	for i, col := range Diverging {
		x := x0 + vg.Length(i)*sw
		c.FillPolygon(col, []vg.Point{{X: x, Y: y - sh}, {X: x + sw, Y: y - sh}, {X: x + sw, Y: y}, {X: x, Y: y}})
		if i > 0 {
			c.FillText(lab, vg.Point{X: x, Y: y - sh - 1}, FormatNumber(bounds[i-1], dec, h.c.Lang))
		}
	}
	c.StrokeLines(draw.LineStyle{Color: Grey, Width: vg.Points(0.3)}, []vg.Point{{X: x0, Y: y - sh}, {X: x0 + 7*sw, Y: y - sh}, {X: x0 + 7*sw, Y: y}, {X: x0, Y: y}, {X: x0, Y: y - sh}})
	if missing != "" {
		x := x0 + 7*sw + vg.Points(8)
		fillHatched(&c, [][]vg.Point{{{X: x, Y: y - sh}, {X: x + sh, Y: y - sh}, {X: x + sh, Y: y}, {X: x, Y: y}}}, vg.Points(2))
		ms := lab
		ms.XAlign, ms.YAlign = draw.XLeft, draw.YCenter
		c.FillText(ms, vg.Point{X: x + sh + 2, Y: y - sh/2}, missing)
	}
}

// DataRange implements plot.DataRanger.
func (h *heatPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(h.cols) - 0.5, -0.5, float64(h.rows) - 0.5 + h.legend
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
