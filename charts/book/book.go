package book

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"iter"
	"math"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/grunnlag/grunnlag/charts"
	"golang.org/x/sync/errgroup"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Region levels, the strings of the region_level column.
const (
	LevelNation       = "land"
	LevelCounty       = "fylke"
	LevelGrouping     = "gruppe"
	LevelMunicipality = "kommune"
)

// NationCode is the region code of the nation.
const NationCode = "0"

// Row is one row of the long indicator table (DESIGN.md, "Indicator
// schema (long)"): one row per indicator, region, period, category and
// comparator. Missing numbers are NaN; Rank and NRanked 0 when absent.
type Row struct {
	Indicator, Region, RegionLabel, RegionLevel, Period, Category, CategoryLabel string
	Value                                                                        float64
	Unit                                                                         string
	Numerator, Denominator                                                       float64
	Comparator, ComparatorRegion                                                 string
	ComparatorValue, GapAbs, GapIndex                                            float64
	Rank, NRanked                                                                int
	Z, CILow, CIHigh                                                             float64
	NUnits                                                                       int
	Flags                                                                        []string // suppressed, apportioned, provisional, series_break:<id>, significant, ...
	Sources                                                                      string
	// Synthetic: computed from synthetic (demo) data. Computed: a county,
	// national or grouping value that grunnlag summed from its members
	// because the source does not publish it.
	Synthetic, Computed bool
}

// Indicator describes an indicator for the book (from the catalog and the
// datasets behind it).
type Indicator struct {
	ID          string
	Title       string
	Description string
	Unit        string
	Theme       string // Theme.ID
	Direction   string // higher_is_better | lower_is_better | neutral
	Survey      bool   // values carry intervals
	Source      string // attribution for the caption
	Table       string // source table ID(s)
	Updated     string // the source's updated date
	Synthetic   bool
	Decimals    int // 0 means charts.DecimalsFor (see ShownDecimals)
	// Definition is the catalog's definition, shown on the indicator's
	// "Om indikatoren" page; nil shows only unit, direction and source.
	Definition *Definition
}

// ShownDecimals returns the decimals the indicator's numbers are shown
// with in the book, its charts and the exports: Decimals, or, when it is 0,
// charts.DecimalsFor(Unit, typical), which is also 0 for counts
// ("personer", "antall").
func (ind *Indicator) ShownDecimals(typical float64) int {
	if ind.Decimals > 0 {
		return ind.Decimals
	}
	return charts.DecimalsFor(ind.Unit, typical)
}

// Theme groups indicators on a region page.
type Theme struct {
	ID, Title string
}

// Region is a unit with a page. Regions need not be given: Build derives
// them from the rows (label, level, county and groupings from the
// comparator rows).
type Region struct {
	Code, Name, Level string
	County            string   // county code of a municipality or grouping
	Groups            []string // grouping codes of a municipality
}

// Validity is when a region code is valid: from the first year (From)
// through the last (To, 0 while it is still valid).
type Validity struct {
	From, To int
}

// Change is one line of "what changed since last version": a dataset or
// the indicator table, with the catalog's revision counts.
type Change struct {
	Name                    string // dataset ID or indicator ID
	Title                   string
	Stamp                   string // version stamp
	Added, Removed, Revised int
}

// Input is everything a book is made of.
type Input struct {
	Title      string // "Kunnskapsgrunnlag for kompetansepolitikk"
	Lang       charts.Lang
	Version    string // indicator table version (stamp), shown on every page
	Previous   string // the version compared with in Changes; "" if none
	Synthetic  bool   // any synthetic data: a banner on every page
	Themes     []Theme
	Indicators []Indicator
	Regions    []Region
	// Validity is when each region code is valid (by code; optional): the
	// index names a county or municipality with its code and validity,
	// "Telemark (40, fra 2024)".
	Validity map[string]Validity
	// History names, for a region code, the codes no longer valid whose
	// territory it took over (40 Telemark: 38 Vestfold og Telemark and 08
	// Telemark): its page draws their series beside its own, so the
	// history before the change is shown (optional).
	History map[string][]string
	Rows    []Row
	Changes []Change
	Breaks  map[string]string // series-break ID → title
	Map     *charts.Map       // municipality boundaries; nil: no maps
	// Population is the population by sex and age group (the befolkning
	// dataset) for the pyramid on every region page; PopulationSource and
	// PopulationTable credit it. A region without it (nor municipalities
	// to sum it from) gets a note instead.
	Population                        []PopulationRow
	PopulationSource, PopulationTable string
	// TotalCategory reports whether a category code is its breakdown's
	// own total (indicators.IsTotalCategory), left out of the "highest"
	// key number of a breakdown; nil: no category is a total.
	TotalCategory func(code string) bool
	// Planning, when set, adds the "Behov og tilbud" pages
	// (planlegging/<code>.html), linked from the index and the regions'
	// pages.
	Planning *Planning
	// Green lists green needs and offers on region pages under a theme
	// (GreenLists); nil: none.
	Green *GreenLists
}

// Options tune Build.
type Options struct {
	Workers int // chart rendering goroutines; 0 = GOMAXPROCS
	// Draw, when set, selects the chart sets [Charts] draws (by indicator
	// ID or [HeatmapChart]); nil draws every one. Build ignores it.
	Draw func(name string) bool
	// Carry, when set, is offered every figure of Build before it is
	// drawn; when it returns true, the caller has put the figure's files
	// in place itself (unchanged since the last book) and Build does not
	// draw or write them. Called from up to Workers goroutines at once.
	Carry func(j charts.Job) bool
	// Index, when set, is the index of an input showing the same rows
	// (NewIndex): Build and Charts use it instead of indexing the input
	// again when it fits the input (see Index), and index anew otherwise.
	Index *Index
	// templates, when set, parses the page templates instead of the
	// book's own (a test's reference templates).
	templates func() (*template.Template, error)
}

// Summary counts what Build wrote.
type Summary struct {
	Pages, Charts, Files int
}

// point is one period of a series: a view of its rows in Input.Rows, one
// per comparator, in row order. Its value, interval, rank and whether it
// was computed are its first row's; its flags are those of all its rows
// (flags); a comparison is the last of its rows with that comparator
// (comp). The book holds no copy of them: at 20 years a copy per value,
// with its flags and comparisons, was 270 MB of the publishing steps'
// peak (heap profile of BenchmarkFullBuild20Years, 2026-12-08).
type point struct {
	links *rowLinks
	i     int32 // its first row; -1: no point
}

// rowLinks are the rows an index was made from, with each point's rows
// linked: next[i] is the next row of row i's point, or -1.
type rowLinks struct {
	rows []Row
	next []int32
}

// ok reports whether p is a point (series.at found one).
func (p point) ok() bool { return p.i >= 0 && p.links != nil }

func (p point) first() *Row     { return &p.links.rows[p.i] }
func (p point) value() float64  { return p.first().Value }
func (p point) ciLow() float64  { return p.first().CILow }
func (p point) ciHigh() float64 { return p.first().CIHigh }
func (p point) computed() bool  { return p.first().Computed } // summed by grunnlag, not published
func (p point) rank() int       { return p.first().Rank }
func (p point) nRanked() int    { return p.first().NRanked }

// flags returns the flags of p's rows, each once, in the order first
// seen: the first row's own slice when it holds each once and the other
// rows add none (most points: no copy).
func (p point) flags() flagSet {
	own := flagSet(p.first().Flags)
	if !hasDuplicate(own) && !p.othersAdd(own) {
		return own
	}
	var fs flagSet
	for k := p.i; k >= 0; k = p.links.next[k] {
		for _, f := range p.links.rows[k].Flags {
			fs.add(f)
		}
	}
	return fs
}

// othersAdd reports whether a row of p after its first carries a flag
// that is not in own.
func (p point) othersAdd(own flagSet) bool {
	for k := p.links.next[p.i]; k >= 0; k = p.links.next[k] {
		for _, f := range p.links.rows[k].Flags {
			if !own.has(f) {
				return true
			}
		}
	}
	return false
}

// hasDuplicate reports whether a flag occurs twice in fs.
func hasDuplicate(fs []string) bool {
	for i := 1; i < len(fs); i++ {
		if slices.Contains(fs[:i], fs[i]) {
			return true
		}
	}
	return false
}

// hasFlag reports whether any of p's rows carries flag f.
func (p point) hasFlag(f string) bool {
	for k := p.i; k >= 0; k = p.links.next[k] {
		if slices.Contains(p.links.rows[k].Flags, f) {
			return true
		}
	}
	return false
}

// comp returns p's comparison with comparator name ("national",
// "county", "region_group"): its last row with that comparator.
func (p point) comp(name string) (comp, bool) {
	if name == "" {
		return comp{}, false
	}
	var c comp
	found := false
	for k := p.i; k >= 0; k = p.links.next[k] {
		if r := &p.links.rows[k]; r.Comparator == name {
			c, found = comp{region: r.ComparatorRegion, value: r.ComparatorValue, gap: r.GapAbs, index: r.GapIndex}, true
		}
	}
	return c, found
}

// compAt returns p's comparison with comparator name, or the zero comp.
func (p point) compAt(name string) comp {
	c, _ := p.comp(name)
	return c
}

// flagSet is a point's flags, each once, in the order first seen. A
// point has a handful at most: a slice is a tenth of a map's memory, and
// the book holds one per value (half a million in the demo).
type flagSet []string

// has reports whether f is in the set.
func (fs flagSet) has(f string) bool { return slices.Contains(fs, f) }

// add puts f in the set.
func (fs *flagSet) add(f string) {
	if !fs.has(f) {
		*fs = append(*fs, f)
	}
}

type comp struct {
	region            string
	value, gap, index float64
}

type series struct {
	label   string   // category label
	periods []string // sorted
	first   []int32  // first[k]: the first row of periods[k]'s point
	last    []int32  // while indexing: the last row of each point
	links   *rowLinks
}

// at returns the point of period per (not ok when there is none).
func (s *series) at(per string) point {
	if s == nil {
		return point{i: -1}
	}
	k, found := slices.BinarySearch(s.periods, per)
	if !found {
		return point{i: -1}
	}
	return point{links: s.links, i: s.first[k]}
}

// point returns the point of periods[k].
func (s *series) point(k int) point { return point{links: s.links, i: s.first[k]} }

// all yields the series' points in period order.
func (s *series) all() iter.Seq[point] {
	return func(yield func(point) bool) {
		for k := range s.first {
			if !yield(s.point(k)) {
				return
			}
		}
	}
}

// add links row i, of period per, to its point, which it makes when it
// is the period's first row. Rows come mostly in period order, and a
// point's rows one after the other: the last period is looked at first.
func (s *series) add(per string, i int32) {
	var k int
	var found bool
	switch n := len(s.periods); {
	case n > 0 && s.periods[n-1] == per:
		k, found = n-1, true
	case n == 0 || s.periods[n-1] < per:
		k = n
	default:
		k, found = slices.BinarySearch(s.periods, per)
	}
	s.links.next[i] = -1
	if found {
		s.links.next[s.last[k]] = i
		s.last[k] = i
		return
	}
	s.periods = slices.Insert(s.periods, k, per)
	s.first = slices.Insert(s.first, k, i)
	s.last = slices.Insert(s.last, k, i)
}

type dataset struct {
	in      *Input
	lang    charts.Lang
	ind     map[string]*Indicator
	regions []*Region
	byCode  map[string]*Region
	// data[indicator][region][category]
	data map[string]map[string]map[string]*series
	pop  population // Input.Population
}

// Build writes the book: index.html, one page per region under region/,
// one per indicator under indikator/, the charts under fig/ (SVG + CSV for
// each chart, PNG + CSV for maps) and style.css. write is called with a
// slash-separated path relative to the book's root, from several
// goroutines at once; Build never touches the file system itself. Output
// is deterministic for equal input.
func Build(ctx context.Context, in *Input, opts Options, write func(rel string, data []byte) error) (*Summary, error) {
	d, err := opts.Index.datasetFor(in)
	if err != nil {
		return nil, err
	}
	var (
		mu   sync.Mutex
		sum  Summary
		jobs []charts.Job
	)
	emit := func(rel string, data []byte) error {
		mu.Lock()
		sum.Files++
		mu.Unlock()
		return write(rel, data)
	}
	pages := map[string]any{}
	for _, r := range d.regions {
		pg, js := d.regionPage(r)
		pages["region/"+fileName(r.Code)+".html"] = pg
		jobs = append(jobs, js...)
	}
	for _, ind := range in.Indicators {
		pg, js := d.indicatorPage(&ind)
		pages["indikator/"+fileName(ind.ID)+".html"] = pg
		jobs = append(jobs, js...)
	}
	index := d.indexPage()
	pages["index.html"] = index
	for _, r := range d.planningRegions() {
		rp, _ := pages["region/"+fileName(r.Code)+".html"].(*regionPage)
		pages[planningHref(r.Code)] = d.planningPage(r, rp != nil)
		if rp != nil {
			rp.Planning = &link{Href: "../" + planningHref(r.Code), Text: d.planningText().Link}
		}
		index.Planning = append(index.Planning, link{Href: planningHref(r.Code), Text: r.Name})
		index.PlanningHeading = d.planningText().IndexHeading
	}
	sum.Charts = len(jobs)
	if opts.Carry != nil {
		// Offered on every core: keying a figure and linking its files
		// took 0.42 s of a one-cell run's book on one (the demo's 10,064
		// figures; profile of the built binary, 2026-12-07).
		carried := make([]bool, len(jobs))
		_ = each(ctx, len(jobs), opts.Workers, func(i int) error {
			carried[i] = opts.Carry(jobs[i])
			return nil
		})
		draw := make([]charts.Job, 0, len(jobs))
		for i, j := range jobs {
			if !carried[i] {
				draw = append(draw, j)
			}
		}
		jobs = draw
	}
	err = renderJobs(ctx, jobs, opts.Workers, emit)
	if err != nil {
		return nil, fmt.Errorf("book: %w", err)
	}
	parse := templates
	if opts.templates != nil {
		parse = opts.templates
	}
	tmpl, err := parse()
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(pages))
	for n := range pages {
		names = append(names, n)
	}
	sort.Strings(names)
	// The pages are written on every core (a template may be executed
	// by several goroutines at once).
	err = each(ctx, len(names), opts.Workers, func(i int) error {
		n := names[i]
		var buf bytes.Buffer
		tname := "region"
		switch {
		case n == "index.html":
			tname = "index"
		case strings.HasPrefix(n, "indikator/"):
			tname = "indicator"
		case strings.HasPrefix(n, "planlegging/"):
			tname = "planning"
		}
		if err := tmpl.ExecuteTemplate(&buf, tname, pages[n]); err != nil {
			return fmt.Errorf("book: %s: %w", n, err)
		}
		if err := emit(n, buf.Bytes()); err != nil {
			return fmt.Errorf("book: %s: %w", n, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sum.Pages = len(names)
	if err := emit("style.css", append(append([]byte{}, styleCSS...), planningCSS...)); err != nil {
		return nil, fmt.Errorf("book: style.css: %w", err)
	}
	return &sum, nil
}

// each calls fn(i) for every i in [0, n) on up to workers goroutines (0:
// GOMAXPROCS) and returns the first error (the calls already running
// finish; no new one starts after it), or ctx's error.
func each(ctx context.Context, n, workers int, fn func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, workers))
	for i := range n {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			return fn(i)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// fileName makes a code safe as a file name (codes are digits or
// snake_case IDs; anything else becomes '_').
func fileName(code string) string {
	b := []byte(code)
	for i, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}

var levelOrder = map[string]int{LevelNation: 0, LevelCounty: 1, LevelGrouping: 2, LevelMunicipality: 3}

func index(in *Input) (*dataset, error) {
	d := &dataset{in: in, lang: in.Lang, ind: map[string]*Indicator{}, byCode: map[string]*Region{},
		data: map[string]map[string]map[string]*series{}}
	if d.lang == "" {
		d.lang = charts.Bokmal
	}
	d.pop = indexPopulation(in.Population)
	for i := range in.Indicators {
		ind := &in.Indicators[i]
		if ind.ID == "" {
			return nil, fmt.Errorf("book: indicator %d has no ID", i)
		}
		if _, dup := d.ind[ind.ID]; dup {
			return nil, fmt.Errorf("book: duplicate indicator %q", ind.ID)
		}
		d.ind[ind.ID] = ind
	}
	for i := range in.Regions {
		r := in.Regions[i]
		d.byCode[r.Code] = &r
	}
	if len(in.Rows) > math.MaxInt32 {
		return nil, fmt.Errorf("book: %d rows, at most %d", len(in.Rows), math.MaxInt32)
	}
	links := &rowLinks{rows: in.Rows, next: make([]int32, len(in.Rows))}
	for i := range in.Rows {
		row := &in.Rows[i]
		if _, ok := d.ind[row.Indicator]; !ok {
			continue // not in the catalog given: not shown
		}
		r := d.byCode[row.Region]
		if r == nil {
			r = &Region{Code: row.Region, Name: row.RegionLabel, Level: row.RegionLevel}
			d.byCode[row.Region] = r
		}
		if r.Name == "" {
			r.Name = row.RegionLabel
		}
		switch row.Comparator {
		case "county":
			if r.County == "" {
				r.County = row.ComparatorRegion
			}
		case "region_group":
			if row.ComparatorRegion != "" && !containsStr(r.Groups, row.ComparatorRegion) {
				r.Groups = append(r.Groups, row.ComparatorRegion)
			}
		}
		byReg := d.data[row.Indicator]
		if byReg == nil {
			byReg = map[string]map[string]*series{}
			d.data[row.Indicator] = byReg
		}
		byCat := byReg[row.Region]
		if byCat == nil {
			byCat = map[string]*series{}
			byReg[row.Region] = byCat
		}
		s := byCat[row.Category]
		if s == nil {
			s = &series{label: row.CategoryLabel, links: links}
			byCat[row.Category] = s
		}
		s.add(row.Period, int32(i))
	}
	for _, byReg := range d.data {
		for _, byCat := range byReg {
			for _, s := range byCat {
				s.last = nil
			}
		}
	}
	if n := d.byCode[NationCode]; n != nil && d.lang == charts.English {
		n.Name = d.nationLabel() // the rows' label is bokmål ("Hele landet")
	}
	for _, r := range d.byCode {
		sort.Strings(r.Groups)
		d.regions = append(d.regions, r)
	}
	sort.Slice(d.regions, func(i, j int) bool {
		a, b := d.regions[i], d.regions[j]
		if levelOrder[a.Level] != levelOrder[b.Level] {
			return levelOrder[a.Level] < levelOrder[b.Level]
		}
		return a.Code < b.Code
	})
	return d, nil
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (d *dataset) name(code string) string {
	if r := d.byCode[code]; r != nil && r.Name != "" {
		return r.Name
	}
	return code
}

func (d *dataset) nationName() string {
	if d.lang == charts.English {
		return "the nation"
	}
	return "landet"
}

func (d *dataset) nationLabel() string {
	if d.lang == charts.English {
		return "Norway"
	}
	return "Landet"
}

// seriesOf returns the category-less series of indicator for region.
func (d *dataset) seriesOf(ind, region string) *series {
	return d.data[ind][region][""]
}

func (d *dataset) decimals(ind *Indicator, typical float64) int {
	return ind.ShownDecimals(typical)
}

func (d *dataset) meta(ind *Indicator, title, subtitle string) charts.Meta {
	return charts.Meta{
		Title: title, Subtitle: subtitle, Unit: ind.Unit, Decimals: ind.Decimals,
		Source: ind.Source, Table: ind.Table, Updated: ind.Updated, Synthetic: ind.Synthetic, Lang: d.lang,
	}
}

func (d *dataset) axisLabel(ind *Indicator) string {
	u := charts.UnitName(ind.Unit, d.lang)
	if u == "" {
		return ""
	}
	return strings.ToUpper(u[:1]) + u[1:]
}

// latest returns the last period with a valid value, or "".
func (s *series) latest() string {
	for i := len(s.periods) - 1; i >= 0; i-- {
		if !math.IsNaN(s.point(i).value()) {
			return s.periods[i]
		}
	}
	return ""
}

// figure is an image on a page with its alt text and data file.
type figure struct {
	Src, Alt, CSV string
	Width, Height int // CSS pixels
	// Axes and Legend are the chart's axis titles and legend entries
	// (guide.go), written on the <figure>.
	Axes, Legend []string
}

func newFigure(name string, f charts.Format, c charts.Chart) *figure {
	w, h := charts.Size(c) // a ranked chart of many units is taller than asked
	g := chartGuide(c)
	return &figure{Src: name + "." + string(f), Alt: c.AltText(), CSV: name + ".csv",
		Width: int(w.Points() * 96 / 72), Height: int(h.Points() * 96 / 72), Axes: g.Axes, Legend: g.Legend}
}

// rel makes a page-relative link from a page at depth 1 (region/,
// indikator/) to a book path.
func rel(p string) string { return "../" + p }

type xyPeriods struct {
	xy      plotter.XYs
	periods []string
}

// line builds a chart line over periods from a series (missing as NaN).
func line(s *series, periods []string) xyPeriods {
	var out xyPeriods
	for _, p := range periods {
		x, ok := charts.PeriodX(p)
		if !ok {
			continue
		}
		y := math.NaN()
		if s != nil {
			if pt := s.at(p); pt.ok() {
				y = pt.value()
			}
		}
		out.xy = append(out.xy, plotter.XY{X: x, Y: y})
		out.periods = append(out.periods, p)
	}
	return out
}

var portrait = struct{ w, h vg.Length }{12 * vg.Centimeter, 16 * vg.Centimeter}

func (d *dataset) figPath(parts ...string) string {
	return path.Join(append([]string{"fig"}, parts...)...)
}
