package charts

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default chart size: 16 cm × 10 cm, a half A4 page.
const (
	DefaultWidth  = 16 * vg.Centimeter
	DefaultHeight = 10 * vg.Centimeter
)

// Meta is what every chart shows besides its data: texts, units, the
// caption and the synthetic-data mark.
type Meta struct {
	Title    string // bokmål by default (see Lang)
	Subtitle string
	XLabel   string // axis label with unit, e.g. "Andel (prosent)"
	YLabel   string
	Unit     string // the unit of the values ("prosent", "personer")
	// Decimals of the numbers shown; 0 means DecimalsFor(Unit, typical
	// value), which is also 0 for counts.
	Decimals int
	Source   string // e.g. "Statistisk sentralbyrå (SSB)"
	Table    string // the source's table ID, e.g. "09429"
	Updated  string // the source's updated date, verbatim
	// Notes are extra caption lines (series breaks, suppression).
	Notes []string
	// Synthetic marks charts of synthetic demo data: the caption says so
	// in red-orange, and the source line credits the data as synthetic
	// data modelled on Source, never to Source alone.
	Synthetic bool
	// Computed marks charts that show figures grunnlag summed from
	// municipalities because the source does not publish them (groupings,
	// rebuilt counties); the caption says so.
	Computed bool
	Lang     Lang
	// Width and Height of the image; zero means DefaultWidth/Height.
	Width, Height vg.Length
}

// Caption returns the caption lines: source, table, updated date, the
// computed note and the notes, then the synthetic mark (if any) last. The
// source of synthetic data reads "Kilde: syntetiske demodata etter mønster
// av <Source>, tabell <Table>" ("Source: synthetic demo data modelled on
// ...").
func (m *Meta) Caption() []string {
	en := m.Lang == English
	var parts []string
	switch {
	case m.Synthetic && en && m.Source != "":
		parts = append(parts, "Source: synthetic demo data modelled on "+m.Source)
	case m.Synthetic && en:
		parts = append(parts, "Source: synthetic demo data")
	case m.Synthetic && m.Source != "":
		parts = append(parts, "Kilde: syntetiske demodata etter mønster av "+m.Source)
	case m.Synthetic:
		parts = append(parts, "Kilde: syntetiske demodata")
	case m.Source != "" && en:
		parts = append(parts, "Source: "+m.Source)
	case m.Source != "":
		parts = append(parts, "Kilde: "+m.Source)
	}
	if m.Table != "" {
		if en {
			parts = append(parts, "table "+m.Table)
		} else {
			parts = append(parts, "tabell "+m.Table)
		}
	}
	if m.Updated != "" {
		if en {
			parts = append(parts, "updated "+m.Updated)
		} else {
			parts = append(parts, "oppdatert "+m.Updated)
		}
	}
	var lines []string
	if len(parts) > 0 {
		lines = append(lines, strings.Join(parts, ", ")+".")
	}
	if m.Computed {
		if en {
			lines = append(lines, "Figures the source does not publish (groupings, rebuilt counties) are computed by grunnlag from municipal figures.")
		} else {
			lines = append(lines, "Tall kilden ikke publiserer (grupperinger, omregnede fylker), er beregnet av grunnlag fra kommunetallene.")
		}
	}
	lines = append(lines, m.Notes...)
	if m.Synthetic {
		lines = append(lines, m.SyntheticMark())
	}
	return lines
}

// SyntheticMark is the text that marks synthetic demo data.
func (m *Meta) SyntheticMark() string {
	if m.Lang == English {
		return "SYNTHETIC DEMO DATA, not official statistics"
	}
	return "SYNTETISKE DEMODATA, ikke offisiell statistikk"
}

func (m *Meta) size() (vg.Length, vg.Length) {
	w, h := m.Width, m.Height
	if w <= 0 {
		w = DefaultWidth
	}
	if h <= 0 {
		h = DefaultHeight
	}
	return w, h
}

func (m *Meta) decimals(typical float64) int {
	if m.Decimals > 0 {
		return m.Decimals
	}
	return DecimalsFor(m.Unit, typical)
}

// Table is the data of a chart: exactly the numbers drawn, as text.
// Numbers are written plainly ('.' decimals, full precision).
type Table struct {
	Header []string
	Rows   [][]string
}

// tableWordsEN are the words of the charts' own data tables (headers and
// marker cells) in English, for charts in Lang English.
var tableWordsEN = map[string]string{
	"rang": "rank", "enhet": "unit", "verdi": "value", "uthevet": "highlighted", "ja": "yes",
	"referanse": "reference", "avvik": "gap", "ki_lav": "ci_low", "ki_hoy": "ci_high",
	"kode": "code", "navn": "name", "klasse": "class", "rad": "row", "kolonne": "column",
	"serie": "series", "periode": "period", "gruppe": "group",
}

// tableWord is one of the tables' own words in lang: bokmål by default,
// English from tableWordsEN.
func tableWord(lang Lang, w string) string {
	if lang == English {
		if e, ok := tableWordsEN[w]; ok {
			return e
		}
	}
	return w
}

// tableHeader is tableWord over a header.
func tableHeader(lang Lang, ws ...string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = tableWord(lang, w)
	}
	return out
}

// WriteCSV writes t as UTF-8 CSV with a header line.
func (t Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return fmt.Errorf("charts: csv: %w", err)
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return fmt.Errorf("charts: csv: %w", err)
	}
	return nil
}

// Chart is one drawable chart: a value of one of the kinds of this
// package ([TimeSeries], [RankedBars], [DivergingBars], [DotInterval],
// [Heatmap], [Pyramid], [Choropleth]).
type Chart interface {
	// Info returns the chart's texts.
	Info() *Meta
	// Table returns exactly the numbers the chart draws.
	Table() Table
	// AltText describes the chart's data in a sentence or two, for
	// screen readers.
	AltText() string
	// plot builds the gonum plot of the data area (without title and
	// caption, which Render draws).
	// extra caption notes (missing units).
	plot() (*plot.Plot, []string, error)
}

// Format is an image format.
type Format string

// Formats.
const (
	PNG Format = "png"
	SVG Format = "svg"
	CSV Format = "csv" // the chart's Table
)

// DPI of PNG output.
const DPI = 144

// Render draws c in format f to w. Output is deterministic: the same
// chart gives the same bytes.
func Render(w io.Writer, c Chart, f Format) error {
	m := c.Info()
	if f == CSV {
		return c.Table().WriteCSV(w)
	}
	p, notes, err := c.plot()
	if err != nil {
		return fmt.Errorf("charts: %s: %w", m.Title, err)
	}
	width, height, l := chartSize(c, notes)
	var cw vg.CanvasWriterTo
	switch f {
	case PNG:
		cw = fastPNG{vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))}
	case SVG:
		cw = vgsvg.New(width, height)
	default:
		return fmt.Errorf("charts: unknown format %q", f)
	}
	dc := draw.New(cw)
	if f == SVG {
		dc.FillPolygon(color.White, []vg.Point{{X: 0, Y: 0}, {X: width, Y: 0}, {X: width, Y: height}, {X: 0, Y: height}})
	}
	compose(dc, l, p)
	if _, err := cw.WriteTo(w); err != nil {
		return fmt.Errorf("charts: %s: write %s: %w", m.Title, f, err)
	}
	return nil
}

// fastPNG writes a canvas as PNG through writePNG: zlib's fastest level
// (deflating at the default level was most of the time of a large chart:
// a 357-bar ranked chart is 907 × 6602 pixels, and flat chart colours
// compress well either way) and two of PNG's five row filters.
type fastPNG struct{ *vgimg.Canvas }

// WriteTo implements io.WriterTo.
func (c fastPNG) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	err := writePNG(cw, c.Image())
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Bytes renders c in format f and returns the bytes.
func Bytes(c Chart, f Format) ([]byte, error) {
	var b bytes.Buffer
	if err := Render(&b, c, f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// sizer is a chart whose size depends on its data (a [RankedBars] grows
// with its bars); l is the layout of its texts at its Meta size.
type sizer interface {
	size(l *layout) (vg.Length, vg.Length)
}

// chartSize returns the size c is drawn at and the layout of its texts at
// that width; notes are the extra caption notes of its plot.
func chartSize(c Chart, notes []string) (vg.Length, vg.Length, *layout) {
	m := c.Info()
	w, h := m.size()
	l := newLayout(m, notes, w)
	if s, ok := c.(sizer); ok {
		w, h = s.size(l)
	}
	if w != l.width {
		l = newLayout(m, notes, w)
	}
	return w, h, l
}

// Size returns the size c is drawn at: Meta.Width and Height (or the
// defaults), except that a [RankedBars] grows taller to give every bar
// its row. A chart that cannot be drawn gets its Meta size.
func Size(c Chart) (width, height vg.Length) {
	if _, ok := c.(sizer); !ok {
		return c.Info().size() // without building the plot
	}
	_, notes, err := c.plot()
	if err != nil {
		return c.Info().size()
	}
	width, height, _ = chartSize(c, notes)
	return width, height
}

const pad = 4 * vg.Millimeter / 2

// Text styles of the texts around the plot.
var (
	titleStyle   = textStyle(11, true, Black)
	subStyle     = textStyle(8.5, false, DarkGrey)
	captionStyle = textStyle(6.5, false, DarkGrey)
	markStyle    = textStyle(7, true, Vermilion)
)

// layout is the text around a chart's plot: title, subtitle and caption
// lines wrapped to the image width, with their styles, measured once for
// sizing and drawing.
type layout struct {
	width       vg.Length // of the image
	title, sub  []string
	capLines    []string
	capMark     []bool    // the caption line is (part of) the synthetic mark
	top, bottom vg.Length // space above and below the plot
}

func newLayout(m *Meta, notes []string, width vg.Length) *layout {
	l := &layout{width: width}
	l.title = wrap(titleStyle, m.Title, width-2*pad)
	if m.Subtitle != "" {
		l.sub = wrap(subStyle, m.Subtitle, width-2*pad)
	}
	y := pad
	th := lineHeight(titleStyle)
	for range l.title {
		y += th
	}
	if m.Subtitle != "" {
		y++
		sh := lineHeight(subStyle)
		for range l.sub {
			y += sh
		}
	}
	l.top = y + pad/2
	caption := m.Caption()
	if len(notes) > 0 {
		k := len(caption)
		if m.Synthetic {
			k--
		}
		caption = append(append(append(make([]string, 0, len(caption)+len(notes)), caption[:k]...), notes...), caption[k:]...)
	}
	mark := ""
	if m.Synthetic {
		mark = m.SyntheticMark()
	}
	capWidth, markWidth := widthFunc(captionStyle), widthFunc(markStyle)
	for _, line := range caption {
		w, isMark := capWidth, m.Synthetic && line == mark
		if isMark {
			w = markWidth
		}
		n := len(l.capLines)
		l.capLines = wrapAppend(l.capLines, w, line, width-2*pad)
		for range len(l.capLines) - n {
			l.capMark = append(l.capMark, isMark)
		}
	}
	l.bottom = pad
	ch, mh := lineHeight(captionStyle), lineHeight(markStyle)
	for _, isMark := range l.capMark {
		if isMark {
			l.bottom += mh
		} else {
			l.bottom += ch
		}
	}
	l.bottom += pad / 2
	return l
}

// capStyle is the style of caption line i.
func (l *layout) capStyle(i int) text.Style {
	if l.capMark[i] {
		return markStyle
	}
	return captionStyle
}

// frame returns the space a chart of width w with meta m and notes needs
// above (title, subtitle) and below (caption) its plot.
func frame(m *Meta, notes []string, w vg.Length) (top, bottom vg.Length) {
	l := newLayout(m, notes, w)
	return l.top, l.bottom
}

// compose draws title, subtitle, the plot and the caption of layout l on
// dc.
func compose(dc draw.Canvas, l *layout, p *plot.Plot) {
	y := dc.Max.Y - pad
	x := dc.Min.X + pad
	th := lineHeight(titleStyle)
	for _, line := range l.title {
		dc.FillText(titleStyle, vg.Point{X: x, Y: y}, line)
		y -= th
	}
	if len(l.sub) > 0 {
		y--
		sh := lineHeight(subStyle)
		for _, line := range l.sub {
			dc.FillText(subStyle, vg.Point{X: x, Y: y}, line)
			y -= sh
		}
	}
	bottom := pad
	for i := len(l.capLines) - 1; i >= 0; i-- {
		sty := l.capStyle(i)
		sty.YAlign = draw.YBottom
		dc.FillText(sty, vg.Point{X: x, Y: dc.Min.Y + bottom}, l.capLines[i])
		bottom += lineHeight(sty)
	}
	guardAxes(p)
	p.Draw(draw.Crop(dc, pad/2, -pad, l.bottom, -l.top))
}

// guardAxes gives an axis whose range is not finite (a chart whose values
// are all missing) the range 0–1, so it draws as an empty plot: gonum/plot's
// tick labelling never returns for a NaN range.
func guardAxes(p *plot.Plot) {
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		if !finite(ax.Min) || !finite(ax.Max) {
			ax.Min, ax.Max = 0, 1
		}
	}
}

// wrap breaks s into lines no wider than w in sty, measured as
// sty.Width does (through the width cache when sty's handler has one).
func wrap(sty text.Style, s string, w vg.Length) []string {
	return wrapAppend(nil, widthFunc(sty), s, w)
}

// wrapWith breaks s into lines no wider than w as measured by width, in
// time linear in len(s): every word is measured once, and the width of a
// line grown by a word is the line's width plus the word's plus the
// junction between them, measured on the three runes last-space-first.
// That is exact for a text width that sums advances and kerning of
// neighbouring runes (gonum's font.Face.Width), so the lines are those of
// measuring every candidate line whole, which was quadratic in the words
// of a line. Words are separated as by strings.Fields; a line is its
// words joined by single spaces.
func wrapWith(width func(string) vg.Length, s string, w vg.Length) []string {
	return wrapAppend(nil, width, s, w)
}

// wrapAppend appends the lines of wrapWith(width, s, w) to lines. It
// allocates only the lines it returns, and not even those when a line's
// words are separated by single spaces in s (the line is a substring of
// s); the texts measured are substrings of s too, but for the junction of
// two words separated otherwise.
func wrapAppend(lines []string, width func(string) vg.Length, s string, w vg.Length) []string {
	if s == "" {
		return lines
	}
	var junction []byte
	for para := range strings.SplitSeq(s, "\n") {
		start, end := 0, 0 // the current line is para[start:end]
		single := true     // its words are separated by single spaces
		var cur vg.Length  // its width
		for word := range strings.FieldsSeq(para) {
			off := strings.Index(para[end:], word) + end
			ww := width(word)
			if end == start {
				start, end, cur, single = off, off+len(word), ww, true
				continue
			}
			last, ls := utf8.DecodeLastRuneInString(para[start:end])
			first, fs := utf8.DecodeRuneInString(word)
			var j vg.Length
			if sep := para[end:off]; sep == " " && last != utf8.RuneError && first != utf8.RuneError {
				// para[end-ls:off+fs] is last, space, first.
				j = width(para[end-ls:off+fs]) - width(para[end-ls:end]) - width(word[:fs])
			} else {
				junction = utf8.AppendRune(append(utf8.AppendRune(junction[:0], last), ' '), first)
				j = width(string(junction)) - width(string(last)) - width(string(first))
			}
			if next := cur + j + ww; next > w {
				lines = append(lines, lineOf(para[start:end], single))
				start, end, cur, single = off, off+len(word), ww, true
			} else {
				single = single && para[end:off] == " "
				end, cur = off+len(word), next
			}
		}
		lines = append(lines, lineOf(para[start:end], single))
	}
	return lines
}

// lineOf returns the line of the words in s: s itself when its words are
// separated by single spaces (single), else its words joined so.
func lineOf(s string, single bool) string {
	if single {
		return s
	}
	return joinFields(s)
}

// joinFields joins the words of s with single spaces, as the lines of a
// wrapped text are written.
func joinFields(s string) string { return strings.Join(strings.Fields(s), " ") }

func textStyle(size vg.Length, bold bool, c color.Color) text.Style {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{Color: c, Font: f, Handler: textHandler, XAlign: draw.XLeft, YAlign: draw.YTop}
}

// newPlot returns a plot in the house style: sans-serif text, Norwegian
// number ticks, light grid-free axes.
func newPlot(m *Meta, typical float64) *plot.Plot {
	p := plot.New()
	p.TextHandler = textHandler
	p.Title.TextStyle.Handler = textHandler
	p.Legend.TextStyle.Handler = textHandler
	p.Legend.TextStyle.Font = font.Font{Typeface: "Liberation", Variant: "Sans", Size: 8}
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Handler = textHandler
		a.Tick.Label.Handler = textHandler
		a.Label.TextStyle.Font = font.Font{Typeface: "Liberation", Variant: "Sans", Size: 8.5}
		a.Tick.Label.Font = font.Font{Typeface: "Liberation", Variant: "Sans", Size: 7.5}
		a.Color = DarkGrey
		a.Tick.Color = DarkGrey
		a.Tick.Marker = memoTicks(numTicks{lang: m.Lang})
	}
	p.X.Label.Text = m.XLabel
	p.Y.Label.Text = m.YLabel
	return p
}

// lastTicks remembers the ticks of a plot.Ticker for the last range asked:
// gonum/plot asks an axis for its ticks several times per drawing (its
// size, the glyph boxes, the drawing itself), always for the same range,
// and the default ticks and their labels are costly to compute. It belongs
// to one plot, which one goroutine draws.
type lastTicks struct {
	t        plot.Ticker
	min, max uint64 // the range's bits
	ticks    []plot.Tick
}

// memoTicks returns t remembering its last ticks.
func memoTicks(t plot.Ticker) plot.Ticker { return &lastTicks{t: t} }

// Ticks implements plot.Ticker: a copy of t's ticks for [min, max].
func (l *lastTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := math.Float64bits(min), math.Float64bits(max)
	if l.ticks == nil || l.min != lo || l.max != hi {
		l.ticks = l.t.Ticks(min, max)
		if l.ticks == nil {
			l.ticks = []plot.Tick{}
		}
		l.min, l.max = lo, hi
	}
	return slices.Clone(l.ticks)
}

// numTicks are gonum's default ticks labelled in Norwegian (or English)
// number format.
type numTicks struct {
	lang Lang
}

// Ticks implements plot.Ticker.
func (t numTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	dec := 0
	for _, tk := range ticks {
		if tk.Label == "" {
			continue
		}
		if d := decimalsOf(tk.Value); d > dec {
			dec = d
		}
	}
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = FormatNumber(ticks[i].Value, dec, t.lang)
		}
	}
	return ticks
}

// decimalsOf returns the decimals needed to show x exactly (at most 6).
func decimalsOf(x float64) int {
	// Round away binary noise (1.2000000000000002) first.
	s := strconv.FormatFloat(math.Round(x*1e6)/1e6, 'f', -1, 64)
	_, frac, ok := strings.Cut(s, ".")
	if !ok {
		return 0
	}
	return min(len(frac), 6)
}

// yearTicks label whole numbers only (years), at most about 10 labels.
type yearTicks struct{}

// Ticks implements plot.Ticker.
func (yearTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := math.Ceil(min), math.Floor(max)
	n := hi - lo + 1
	step := math.Max(1, math.Ceil(n/10))
	var ts []plot.Tick
	for v := lo; v <= hi; v++ {
		if math.Mod(v-lo, step) == 0 {
			ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
		} else {
			ts = append(ts, plot.Tick{Value: v})
		}
	}
	return ts
}

// Job is one chart to render in RenderAll, under a name the caller chooses
// (a path without extension, say).
type Job struct {
	Name    string
	Chart   Chart
	Formats []Format // nil means PNG, SVG and CSV
}

// RenderAll renders jobs on workers goroutines (0 means GOMAXPROCS) and
// calls emit with each output; emit is called concurrently and must be
// safe for that. The first error stops the work and is returned (with the
// job's name); ctx cancels it.
func RenderAll(ctx context.Context, jobs []Job, workers int, emit func(name string, f Format, data []byte) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan Job)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
			cancel()
		}
		mu.Unlock()
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for j := range next {
				fs := j.Formats
				if fs == nil {
					fs = []Format{PNG, SVG, CSV}
				}
				for _, f := range fs {
					buf.Reset()
					if err := Render(&buf, j.Chart, f); err != nil {
						fail(fmt.Errorf("charts: %s: %w", j.Name, err))
						break
					}
					if err := emit(j.Name, f, bytes.Clone(buf.Bytes())); err != nil {
						fail(fmt.Errorf("charts: %s.%s: %w", j.Name, f, err))
						break
					}
				}
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	if err := ctx.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return context.Cause(ctx)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
