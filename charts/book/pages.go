package book

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/grunnlag/grunnlag/charts"
	"gonum.org/v1/plot/plotter"
)

// link is a link to a page.
type link struct {
	Href, Text string
}

// cell is a table cell.
type dataTable struct {
	Caption string
	Header  []string
	Rows    [][]string
}

// block is one indicator on a region page.
type block struct {
	ID, Title, Description string
	Key                    string // "31,0 %"
	Period                 string
	Gap, GapCounty         string
	Trend                  string
	Rank                   string
	Notes                  []string
	Fig                    *figure
	Table                  *dataTable
	Missing                bool
	IndicatorHref          string
}

type themeBlock struct {
	ID, Title string
	Blocks    []block
	Green     *greenBlock // the region's green needs and offers (Input.Green)
}

type common struct {
	BookTitle string
	Lang      string
	Version   string
	Synthetic bool
	Changes   []Change
	Previous  string
	Text      texts
	// RunningHead is the head of every printed page, "<region> · <date>"
	// (print.go).
	RunningHead string
}

type regionPage struct {
	common
	Region    *Region
	LevelName string
	Parents   []link
	Members   []link
	Summary   *figure
	Heat      *figure
	Themes    []themeBlock
	Planning  *link // the region's "Behov og tilbud" page; nil: none
	// Pyramid is the population by age and sex; PyramidNote says why
	// there is none.
	Pyramid     *figure
	PyramidNote string
}

func (d *dataset) common() common {
	title := d.in.Title
	if title == "" {
		title = d.text().DefaultTitle
	}
	return common{BookTitle: title, Lang: string(d.lang), Version: d.in.Version, Synthetic: d.in.Synthetic,
		Changes: d.in.Changes, Previous: d.in.Previous, Text: d.text()}
}

func (d *dataset) levelName(level string) string {
	en := d.lang == charts.English
	switch level {
	case LevelNation:
		if en {
			return "Nation"
		}
		return "Landet"
	case LevelCounty:
		if en {
			return "County"
		}
		return "Fylke"
	case LevelGrouping:
		if en {
			return "Region (grouping of municipalities)"
		}
		return "Region (kommunegruppe)"
	case LevelMunicipality:
		if en {
			return "Municipality"
		}
		return "Kommune"
	}
	return level
}

func (d *dataset) levelPlural(level string) string {
	en := d.lang == charts.English
	switch level {
	case LevelCounty:
		if en {
			return "counties"
		}
		return "fylker"
	case LevelGrouping:
		if en {
			return "regions"
		}
		return "regioner"
	case LevelMunicipality:
		if en {
			return "municipalities"
		}
		return "kommuner"
	}
	return level
}

func (d *dataset) regionPage(r *Region) (*regionPage, []charts.Job) {
	pg := &regionPage{common: d.common(), Region: r, LevelName: d.levelName(r.Level)}
	pg.RunningHead = d.runningHead(r.Name)
	if r.County != "" {
		pg.Parents = append(pg.Parents, link{Href: "" + fileName(r.County) + ".html", Text: d.name(r.County)})
	}
	for _, g := range r.Groups {
		pg.Parents = append(pg.Parents, link{Href: fileName(g) + ".html", Text: d.name(g)})
	}
	var members []*Region
	for _, m := range d.regions {
		if m.Level != LevelMunicipality {
			continue
		}
		if (r.Level == LevelCounty && m.County == r.Code) || (r.Level == LevelGrouping && containsStr(m.Groups, r.Code)) {
			members = append(members, m)
			pg.Members = append(pg.Members, link{Href: fileName(m.Code) + ".html", Text: m.Name})
		}
	}
	var jobs []charts.Job
	// The region's figures are named "fig/r/<code>.<name>", all in one
	// folder: on ext4 a file made in a folder of its own region cost
	// four times one made in a single folder, and revisiting the 382
	// folders of the demo (figures, then their tables) twelve times
	// (measured 2026-12-07 on the development machine: 19,864 files in
	// 0.59 s flat, 2.6 s folder by folder, 7.0 s in two passes).
	dir := d.figPath("r") + "/" + fileName(r.Code) + "."
	byTheme := map[string]*themeBlock{}
	var themeOrder []string
	for _, t := range d.in.Themes {
		byTheme[t.ID] = &themeBlock{ID: t.ID, Title: t.Title}
		themeOrder = append(themeOrder, t.ID)
	}
	var gapLabels []string
	var gapValues plotter.Values
	for i := range d.in.Indicators {
		ind := &d.in.Indicators[i]
		byCat := d.data[ind.ID][r.Code]
		if len(byCat) == 0 {
			continue
		}
		tb := byTheme[ind.Theme]
		if tb == nil {
			tb = &themeBlock{ID: ind.Theme, Title: ind.Theme}
			byTheme[ind.Theme] = tb
			themeOrder = append(themeOrder, ind.Theme)
		}
		var b block
		var job *charts.Job
		if s := byCat[""]; s != nil && len(byCat) == 1 {
			b, job = d.seriesBlock(ind, r, s, dir)
			if p := s.latest(); p != "" {
				if c, ok := s.at(p).comp("national"); ok && !math.IsNaN(c.index) {
					gapLabels = append(gapLabels, ind.Title)
					gapValues = append(gapValues, c.index-100)
				}
			}
		} else {
			b, job = d.categoryBlock(ind, r, byCat, dir)
		}
		b.IndicatorHref = "../indikator/" + fileName(ind.ID) + ".html#om"
		if job != nil {
			jobs = append(jobs, *job)
		}
		tb.Blocks = append(tb.Blocks, b)
	}
	if gb := d.greenBlock(r.Code); gb != nil {
		id := d.in.Green.Theme
		if byTheme[id] == nil {
			byTheme[id] = &themeBlock{ID: id, Title: id}
			themeOrder = append(themeOrder, id)
		}
		byTheme[id].Green = gb
	}
	for _, id := range themeOrder {
		if tb := byTheme[id]; len(tb.Blocks) > 0 || tb.Green != nil {
			pg.Themes = append(pg.Themes, *tb)
		}
	}
	if len(gapLabels) > 0 && r.Code != NationCode {
		t := d.text()
		c := &charts.DivergingBars{
			Meta: charts.Meta{Title: fmt.Sprintf(t.GapChartTitle, r.Name), Subtitle: t.GapChartSub, XLabel: t.GapChartAxis,
				Unit: "prosent", Decimals: 1, Synthetic: d.in.Synthetic, Lang: d.lang, Source: d.sourcesAll(),
				Height: charts.DefaultHeight + vgLines(len(gapLabels))},
			Labels: gapLabels, Values: gapValues,
		}
		name := dir + "avvik"
		jobs = append(jobs, charts.Job{Name: name, Chart: c, Formats: []charts.Format{charts.SVG, charts.CSV}})
		pg.Summary = newFigure(rel(name), charts.SVG, c)
	}
	if fig, job, note := d.pyramid(r, dir); job != nil {
		pg.Pyramid = fig
		jobs = append(jobs, *job)
	} else {
		pg.PyramidNote = note
	}
	if len(members) > 1 {
		if c := d.heatmap(r, members); c != nil {
			name := dir + "varmekart"
			jobs = append(jobs, charts.Job{Name: name, Chart: c, Formats: []charts.Format{charts.SVG, charts.CSV}})
			pg.Heat = newFigure(rel(name), charts.SVG, c)
		}
	}
	return pg, jobs
}

// sourcesAll joins the distinct sources of all indicators.
func (d *dataset) sourcesAll() string {
	seen := map[string]bool{}
	var out []string
	for _, ind := range d.in.Indicators {
		if ind.Source != "" && !seen[ind.Source] {
			seen[ind.Source] = true
			out = append(out, ind.Source)
		}
	}
	return strings.Join(out, "; ")
}

// seriesBlock is an indicator without categories: a time series of the
// region, its county and the nation.
func (d *dataset) seriesBlock(ind *Indicator, r *Region, s *series, dir string) (block, *charts.Job) {
	t := d.text()
	b := block{ID: ind.ID, Title: ind.Title, Description: ind.Description}
	latest := s.latest()
	last := ""
	if len(s.periods) > 0 {
		last = s.periods[len(s.periods)-1]
	}
	if latest == "" {
		b.Missing = true
		b.Key = t.NoValue
		b.Period = d.period(last)
	}
	var typical float64
	if latest != "" {
		typical = s.at(latest).value()
	}
	dec := d.decimals(ind, typical)
	if latest != "" {
		d.seriesKey(&b, ind, r, s, latest, dec)
	}
	noteList, breakX := d.seriesNotes(ind, r, s, latest, dec)
	b.Notes = noteList
	// The chart: region, the codes it took over (History), county, nation
	// over the periods of the region and of those codes.
	periods := s.periods
	var hist []*series
	var histCodes []string
	for _, h := range d.in.History[r.Code] {
		if hs := d.seriesOf(ind.ID, h); hs != nil && hs.latest() != "" {
			hist, histCodes = append(hist, hs), append(histCodes, h)
			periods = unionPeriods(periods, hs.periods)
		}
	}
	lines := []charts.Line{}
	lp := line(s, periods)
	if len(lp.xy) == 0 {
		return b, nil
	}
	lines = append(lines, charts.Line{Name: r.Name, XY: lp.xy, Periods: lp.periods, Emphasis: true})
	for i, hs := range hist {
		hl := line(hs, periods)
		name := histCodes[i]
		if hr := d.byCode[histCodes[i]]; hr != nil {
			name = d.codeName(hr)
		}
		lines = append(lines, charts.Line{Name: name, XY: hl.xy, Periods: hl.periods, Color: charts.Grey})
	}
	countyCode := r.County
	if countyCode == "" && latest != "" {
		countyCode = s.at(latest).compAt("county").region
	}
	var countyLine, nationLine xyPeriods
	if countyCode != "" && countyCode != r.Code {
		if cs := d.seriesOf(ind.ID, countyCode); cs != nil {
			countyLine = line(cs, periods)
			lines = append(lines, charts.Line{Name: d.name(countyCode), XY: countyLine.xy, Periods: countyLine.periods, Color: charts.Orange})
		}
	}
	if r.Code != NationCode {
		if ns := d.seriesOf(ind.ID, NationCode); ns != nil {
			nationLine = line(ns, periods)
			lines = append(lines, charts.Line{Name: d.nationLabel(), XY: nationLine.xy, Periods: nationLine.periods, Color: charts.Black})
		}
	}
	var capNotes []string
	for _, n := range noteList {
		if strings.HasPrefix(n, t.BreakPrefix) {
			capNotes = append(capNotes, n)
		}
	}
	c := &charts.TimeSeries{Meta: d.meta(ind, ind.Title+", "+r.Name, ind.Description), Lines: lines, Breaks: dedupBreaks(breakX)}
	for _, sr := range []*series{s, d.seriesOf(ind.ID, countyCode), d.seriesOf(ind.ID, NationCode)} {
		if sr == nil || sr == s && r.Level == LevelMunicipality {
			continue
		}
		for _, per := range periods {
			if pt := sr.at(per); pt.ok() && pt.computed() {
				c.Computed = true
			}
		}
	}
	c.YLabel = d.axisLabel(ind)
	c.Notes = capNotes
	name := dir + fileName(ind.ID)
	b.Fig = newFigure(rel(name), charts.SVG, c)
	// The table of the last five periods, for screen readers and print.
	tbl := &dataTable{Caption: fmt.Sprintf(t.TableCaption, ind.Title), Header: []string{t.Period}}
	for _, l := range lines {
		tbl.Header = append(tbl.Header, l.Name)
	}
	start := max(0, len(lp.periods)-5)
	for i := start; i < len(lp.periods); i++ {
		row := []string{d.period(lp.periods[i])}
		for _, l := range lines {
			_, y := l.XY.XY(i)
			row = append(row, charts.FormatNumber(y, dec, d.lang))
		}
		tbl.Rows = append(tbl.Rows, row)
	}
	b.Table = tbl
	return b, &charts.Job{Name: name, Chart: c, Formats: []charts.Format{charts.SVG, charts.CSV}}
}

// seriesKey fills the key figure of a series block at the latest period:
// the value, its gaps to the nation and the county, the rank in words and
// the trend.
func (d *dataset) seriesKey(b *block, ind *Indicator, r *Region, s *series, latest string, dec int) {
	t := d.text()
	p := s.at(latest)
	b.Key = strings.TrimSpace(charts.FormatNumber(p.value(), dec, d.lang) + " " + unitWords(ind.Unit, d.lang))
	b.Period = d.period(latest)
	if c, ok := p.comp("national"); ok {
		b.Gap = GapWords(c.gap, ind.Unit, dec, d.nationName(), d.lang)
	} else if ns := d.seriesOf(ind.ID, NationCode); ns != nil && r.Code != NationCode {
		if np := ns.at(latest); np.ok() {
			b.Gap = GapWords(p.value()-np.value(), ind.Unit, dec, d.nationName(), d.lang)
		}
	}
	if c, ok := p.comp("county"); ok && c.region != "" {
		b.GapCounty = GapWords(c.gap, ind.Unit, dec, d.name(c.region), d.lang)
	}
	if p.rank() > 0 && p.nRanked() > 0 {
		b.Rank = RankWords(p.rank(), p.nRanked(), d.levelPlural(r.Level), ind.Direction, ind.Unit, d.lang)
	}
	if from, brk := trendStart(s, latest); from != "" {
		b.Trend = TrendWords(s.at(from).value(), p.value(), d.period(from), ind.Unit, dec, d.lang)
		if brk != "" {
			b.Trend += " " + fmt.Sprintf(t.TrendBreak, d.period(brk))
		}
	}
}

// seriesNotes returns the notes of a series block (breaks, suppression,
// apportionment, provisional and missing values, a computed value, the
// interval) and the break lines of its chart.
func (d *dataset) seriesNotes(ind *Indicator, r *Region, s *series, latest string, dec int) ([]string, []charts.Break) {
	t := d.text()
	var breakX []charts.Break
	notes := map[string]bool{}
	var noteList []string
	addNote := func(n string) {
		if !notes[n] {
			notes[n] = true
			noteList = append(noteList, n)
		}
	}
	for _, per := range s.periods {
		p := s.at(per)
		var fl []string
		for _, f := range p.flags() {
			fl = append(fl, f)
		}
		sort.Strings(fl)
		for _, f := range fl {
			switch {
			case strings.HasPrefix(f, "series_break:"):
				id := strings.TrimPrefix(f, "series_break:")
				title := d.in.Breaks[id]
				if title == "" {
					title = id
				}
				addNote(fmt.Sprintf(t.BreakNote, d.period(per), title))
				if x, ok := charts.PeriodX(per); ok {
					breakX = append(breakX, charts.Break{X: x, Label: t.BreakLabel})
				}
			case f == "suppressed":
				addNote(fmt.Sprintf(t.SuppressedNote, d.period(per)))
			case f == "apportioned":
				addNote(t.ApportionedNote)
			case f == "provisional":
				addNote(fmt.Sprintf(t.ProvisionalNote, d.period(per)))
			case f == "missing_input" && math.IsNaN(p.value()):
				addNote(fmt.Sprintf(t.MissingNote, d.period(per)))
			}
		}
	}
	if latest != "" {
		p := s.at(latest)
		if p.computed() {
			addNote(fmt.Sprintf(t.ComputedNote, r.Name))
		}
		if !math.IsNaN(p.ciLow()) && !math.IsNaN(p.ciHigh()) {
			n := fmt.Sprintf(t.CINote, charts.FormatNumber(p.ciLow(), dec, d.lang), charts.FormatNumber(p.ciHigh(), dec, d.lang))
			if p.hasFlag("not_significant") {
				n += " " + t.NotSignificant
			} else if p.hasFlag("significant") {
				n += " " + t.Significant
			}
			addNote(n)
		}
	}
	return noteList, breakX
}

// unionPeriods returns the periods of a and b together, sorted.
func unionPeriods(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range append(append([]string(nil), a...), b...) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

func dedupBreaks(bs []charts.Break) []charts.Break {
	var out []charts.Break
	seen := map[float64]bool{}
	for _, b := range bs {
		if !seen[b.X] {
			seen[b.X] = true
			out = append(out, b)
		}
	}
	return out
}

// trendStart picks the period to measure the trend from: the earliest
// period with a value among the ten before latest; "" when there is none.
// brk is the first period after from that carries a series break, if any,
// so the trend can say so.
func trendStart(s *series, latest string) (from, brk string) {
	li := sort.SearchStrings(s.periods, latest)
	for i := max(0, li-10); i < li; i++ {
		if !math.IsNaN(s.point(i).value()) {
			from = s.periods[i]
			break
		}
	}
	if from == "" {
		return "", ""
	}
	for i := sort.SearchStrings(s.periods, from) + 1; i <= li; i++ {
		for _, f := range s.point(i).flags() {
			if strings.HasPrefix(f, "series_break:") {
				return from, s.periods[i]
			}
		}
	}
	return from, ""
}

// categoryBlock is an indicator by category (an industry): the region's
// values in the latest period as ranked bars. The key number is the
// largest category other than the total (Input.TotalCategory).
func (d *dataset) categoryBlock(ind *Indicator, r *Region, byCat map[string]*series, dir string) (block, *charts.Job) {
	t := d.text()
	b := block{ID: ind.ID, Title: ind.Title, Description: ind.Description}
	latest := ""
	cats := make([]string, 0, len(byCat))
	for c, s := range byCat {
		cats = append(cats, c)
		if l := s.latest(); l > latest {
			latest = l
		}
	}
	sort.Strings(cats)
	if latest == "" {
		b.Missing, b.Key = true, t.NoValue
		for _, s := range byCat {
			for p := range s.all() {
				if p.hasFlag("suppressed") {
					// Figures exist but are withheld: say so, and why.
					b.Key = t.SuppressedKey
				}
			}
		}
		return b, nil
	}
	b.Period = d.period(latest)
	var labels []string
	var isTotal []bool
	var vals, lows, highs plotter.Values
	suppressed := 0
	for _, c := range cats {
		s := byCat[c]
		if c == "" {
			continue
		}
		isTotal = append(isTotal, d.in.TotalCategory != nil && d.in.TotalCategory(c))
		label := s.label
		if label == "" {
			label = c
		}
		v, lo, hi := math.NaN(), math.NaN(), math.NaN()
		if p := s.at(latest); p.ok() {
			v, lo, hi = p.value(), p.ciLow(), p.ciHigh()
			if p.hasFlag("suppressed") {
				suppressed++
			}
		}
		labels = append(labels, label)
		vals = append(vals, v)
		lows, highs = append(lows, lo), append(highs, hi)
	}
	if len(labels) == 0 || !anyValue(vals) {
		b.Missing, b.Key = true, t.NoValue
		if suppressed > 0 {
			// What can be shown: that the figures exist and are withheld,
			// and why, rather than "no figures".
			b.Key = t.SuppressedKey
			b.Notes = append(b.Notes, fmt.Sprintf(t.SuppressedCats, suppressed, d.period(latest)))
		}
		return b, nil
	}
	dec := d.decimals(ind, vals[0])
	// Key number: the largest category other than the total (a count's
	// total is always the largest and says nothing of the categories).
	best := -1
	for i, v := range vals {
		if !math.IsNaN(v) && !isTotal[i] && (best < 0 || v > vals[best]) {
			best = i
		}
	}
	if best >= 0 {
		b.Key = fmt.Sprintf(t.Highest, labels[best], strings.TrimSpace(charts.FormatNumber(vals[best], dec, d.lang)+" "+unitWords(ind.Unit, d.lang)))
	}
	if suppressed > 0 {
		b.Notes = append(b.Notes, fmt.Sprintf(t.SuppressedCats, suppressed, d.period(latest)))
	}
	name := dir + fileName(ind.ID)
	if ind.Survey && anyValue(lows) {
		// Survey estimates are drawn with their intervals.
		c := &charts.DotInterval{Meta: d.meta(ind, ind.Title+", "+r.Name, d.period(latest)+", "+t.CI95), Labels: labels, Values: vals, Low: lows, High: highs, Reference: math.NaN()}
		c.XLabel = d.axisLabel(ind)
		if len(labels) > 12 {
			c.Height = charts.DefaultHeight + vgLines(len(labels)-12)
		}
		b.Fig = newFigure(rel(name), charts.SVG, c)
		tbl := &dataTable{Caption: fmt.Sprintf(t.TableCaption, ind.Title), Header: []string{t.Category, latest, t.CI95}}
		for i, l := range labels {
			ci := ""
			if !math.IsNaN(lows[i]) && !math.IsNaN(highs[i]) {
				ci = charts.FormatNumber(lows[i], dec, d.lang) + "–" + charts.FormatNumber(highs[i], dec, d.lang)
			}
			tbl.Rows = append(tbl.Rows, []string{l, charts.FormatNumber(vals[i], dec, d.lang), ci})
		}
		b.Table = tbl
		return b, &charts.Job{Name: name, Chart: c, Formats: []charts.Format{charts.SVG, charts.CSV}}
	}
	c := &charts.RankedBars{Meta: d.meta(ind, ind.Title+", "+r.Name, d.period(latest)), Labels: labels, Values: vals, Reference: math.NaN()}
	c.XLabel = d.axisLabel(ind)
	if len(labels) > 12 {
		c.Height = charts.DefaultHeight + vgLines(len(labels)-12)
	}
	b.Fig = newFigure(rel(name), charts.SVG, c)
	tbl := &dataTable{Caption: fmt.Sprintf(t.TableCaption, ind.Title), Header: []string{t.Category, d.period(latest)}}
	for i, l := range labels {
		tbl.Rows = append(tbl.Rows, []string{l, charts.FormatNumber(vals[i], dec, d.lang)})
	}
	b.Table = tbl
	return b, &charts.Job{Name: name, Chart: c, Formats: []charts.Format{charts.SVG, charts.CSV}}
}

// heatmap draws the members of a county or grouping × the category-less
// indicators, as the gap index against the nation (nation = 100).
func (d *dataset) heatmap(r *Region, members []*Region) charts.Chart {
	var cols []*Indicator
	for i := range d.in.Indicators {
		ind := &d.in.Indicators[i]
		byReg := d.data[ind.ID]
		if byReg == nil {
			continue
		}
		if cat := byReg[r.Code]; len(cat) == 1 && cat[""] != nil {
			cols = append(cols, ind)
		}
	}
	if len(cols) == 0 {
		return nil
	}
	g := &gridValues{cols: len(cols), rows: len(members)}
	var rowLabels, colLabels []string
	for _, m := range members {
		rowLabels = append(rowLabels, m.Name)
	}
	for _, ind := range cols {
		colLabels = append(colLabels, shortTitle(ind.Title))
	}
	notes := make([]string, len(cols))
	for k, ind := range cols {
		notes[k] = d.blankWhy(ind, members)
	}
	for _, m := range members {
		for _, ind := range cols {
			v := math.NaN()
			if s := d.seriesOf(ind.ID, m.Code); s != nil {
				if l := s.latest(); l != "" {
					if c, ok := s.at(l).comp("national"); ok {
						v = c.index
					}
				}
			}
			g.z = append(g.z, v)
		}
	}
	t := d.text()
	h := &charts.Heatmap{
		Meta:      charts.Meta{Title: fmt.Sprintf(t.HeatTitle, r.Name), Subtitle: t.HeatSub, Unit: "indeks", Synthetic: d.in.Synthetic, Lang: d.lang, Source: d.sourcesAll()},
		Grid:      g,
		RowLabels: rowLabels, ColLabels: colLabels, Mid: 100, Span: 30,
		ScaleLabel: t.HeatScale, ColumnNotes: notes,
	}
	h.Height = charts.DefaultHeight + vgLines(len(members)) + vgLines(4)
	return h
}

// blankWhy says why the heatmap column of ind would have no value for
// any of members: the indicator is not computed for them, it is not
// compared with the nation (Krugman's index measures the distance to the
// nation itself), or every value is suppressed or missing. The heatmap
// shows the note only when the column is blank.
func (d *dataset) blankWhy(ind *Indicator, members []*Region) string {
	t := d.text()
	any, compared, suppressed := false, false, 0
	for _, m := range members {
		s := d.seriesOf(ind.ID, m.Code)
		if s == nil {
			continue
		}
		any = true
		for p := range s.all() {
			if _, ok := p.comp("national"); ok {
				compared = true
			}
		}
		if l := s.periods; len(l) > 0 {
			if p := s.at(l[len(l)-1]); p.ok() && p.hasFlag("suppressed") {
				suppressed++
			}
		}
	}
	switch {
	case !any:
		return fmt.Sprintf(t.HeatNotComputed, d.levelPlural(members[0].Level))
	case !compared:
		return t.HeatNotCompared
	case suppressed == len(members):
		return t.HeatSuppressed
	}
	return t.HeatNoValue
}

func shortTitle(s string) string {
	if i := strings.IndexAny(s, "(,"); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	if r := []rune(s); len(r) > 28 {
		s = string(r[:27]) + "…"
	}
	return s
}

type gridValues struct {
	cols, rows int
	z          []float64
}

func (g *gridValues) Dims() (int, int)   { return g.cols, g.rows }
func (g *gridValues) Z(c, r int) float64 { return g.z[r*g.cols+c] }
func (g *gridValues) X(c int) float64    { return float64(c) }
func (g *gridValues) Y(r int) float64    { return float64(r) }

// indicatorPage is one indicator across regions: the map of
// municipalities and ranked bars of municipalities and counties.
type indicatorPage struct {
	common
	Ind     *Indicator
	Period  string
	Figures []*figure
	Table   *dataTable
	// Definition and Inputs are the "Om indikatoren" section: what the
	// catalog knows of the indicator (definition.go).
	Definition []defRow
	Inputs     *dataTable
}

func (d *dataset) indicatorPage(ind *Indicator) (*indicatorPage, []charts.Job) {
	t := d.text()
	pg := &indicatorPage{common: d.common(), Ind: ind, Definition: d.definitionRows(ind), Inputs: d.definitionTable(ind)}
	pg.RunningHead = d.runningHead(ind.Title)
	byReg := d.data[ind.ID]
	ns := byReg[NationCode][""]
	// The latest period with any municipal value.
	latest := ""
	for _, byCat := range byReg {
		if s := byCat[""]; s != nil {
			if l := s.latest(); l > latest {
				latest = l
			}
		}
	}
	if latest == "" {
		return pg, nil
	}
	pg.Period = d.period(latest)
	nation := math.NaN()
	if p := ns.at(latest); p.ok() {
		nation = p.value()
	}
	var jobs []charts.Job
	dir := d.figPath("i") + "/"
	dec := d.decimals(ind, nation)
	for _, lvl := range []string{LevelMunicipality, LevelCounty, LevelGrouping} {
		var labels, codes, suppressed []string
		var vals plotter.Values
		computed := false
		for _, r := range d.regions {
			if r.Level != lvl {
				continue
			}
			s := byReg[r.Code][""]
			if s == nil {
				continue
			}
			v := math.NaN()
			if p := s.at(latest); p.ok() {
				v = p.value()
				computed = computed || p.computed()
				if p.hasFlag("suppressed") {
					suppressed = append(suppressed, r.Code)
				}
			}
			labels = append(labels, r.Name)
			codes = append(codes, r.Code)
			vals = append(vals, v)
		}
		if len(labels) == 0 || !anyValue(vals) {
			// Nothing to rank: every unit's value is missing or suppressed
			// (a survey too small to publish at this level, say).
			continue
		}
		c := &charts.RankedBars{Meta: d.meta(ind, fmt.Sprintf(t.RankedTitle, ind.Title, d.levelPlural(lvl)), d.period(latest)),
			Labels: labels, Values: vals, Reference: nation, RefLabel: d.nationLabel()}
		c.YLabel = d.axisLabel(ind)
		c.XLabel = d.axisLabel(ind)
		c.Computed = computed
		c.LowestFirst = ind.Direction == "lower_is_better"
		if len(labels) <= charts.MaxLabelledBars && len(labels) > 12 {
			c.Height = charts.DefaultHeight + vgLines(len(labels)-12)
		}
		name := dir + fileName(ind.ID) + "-" + lvl
		jobs = append(jobs, charts.Job{Name: name, Chart: c, Formats: []charts.Format{charts.SVG, charts.CSV}})
		pg.Figures = append(pg.Figures, newFigure(rel(name), charts.SVG, c))
		if lvl == LevelMunicipality && d.in.Map != nil {
			m := &charts.Choropleth{Meta: d.meta(ind, fmt.Sprintf(t.MapTitle, ind.Title), d.period(latest)),
				Map: d.in.Map, Codes: codes, Values: vals, Suppressed: suppressed}
			m.Width, m.Height = portrait.w, portrait.h
			mname := dir + fileName(ind.ID) + "-kart"
			jobs = append(jobs, charts.Job{Name: mname, Chart: m, Formats: []charts.Format{charts.PNG, charts.CSV}})
			pg.Figures = append([]*figure{newFigure(rel(mname), charts.PNG, m)}, pg.Figures...)
		}
		if lvl == LevelCounty {
			tbl := &dataTable{Caption: fmt.Sprintf(t.TableCaption, ind.Title), Header: []string{t.Region, d.period(latest)}}
			for i, l := range labels {
				tbl.Rows = append(tbl.Rows, []string{l, charts.FormatNumber(vals[i], dec, d.lang)})
			}
			if !math.IsNaN(nation) {
				tbl.Rows = append(tbl.Rows, []string{d.nationLabel(), charts.FormatNumber(nation, dec, d.lang)})
			}
			pg.Table = tbl
		}
	}
	return pg, jobs
}

// indexPage lists every region, grouped so that anyone finds theirs in
// two clicks: the index links every page directly.
type indexPage struct {
	common
	Nation      []link
	Counties    []link
	Groupings   []link
	ByCounty    []countyList
	Indicators  []link
	Unassigned  []link
	RegionCount int
	// Planning are the "Behov og tilbud" pages, under PlanningHeading.
	Planning        []link
	PlanningHeading string
}

type countyList struct {
	County link
	Munis  []link
}

func (d *dataset) indexPage() *indexPage {
	pg := &indexPage{common: d.common(), RegionCount: len(d.regions)}
	pg.RunningHead = d.runningHead(pg.BookTitle)
	byCounty := map[string]*countyList{}
	for _, r := range d.regions {
		l := link{Href: "region/" + fileName(r.Code) + ".html", Text: r.Name}
		if r.Level == LevelCounty {
			l.Text = d.codeName(r)
		}
		switch r.Level {
		case LevelNation:
			pg.Nation = append(pg.Nation, l)
		case LevelCounty:
			pg.Counties = append(pg.Counties, l)
			byCounty[r.Code] = &countyList{County: l}
		case LevelGrouping:
			pg.Groupings = append(pg.Groupings, l)
		}
	}
	for _, r := range d.regions {
		if r.Level != LevelMunicipality {
			continue
		}
		l := link{Href: "region/" + fileName(r.Code) + ".html", Text: d.codeName(r)}
		if cl := byCounty[r.County]; cl != nil {
			cl.Munis = append(cl.Munis, l)
		} else {
			pg.Unassigned = append(pg.Unassigned, l)
		}
	}
	for _, r := range d.regions {
		if cl := byCounty[r.Code]; cl != nil && r.Level == LevelCounty {
			pg.ByCounty = append(pg.ByCounty, *cl)
		}
	}
	sortLinks := func(ls []link) {
		sort.SliceStable(ls, func(i, j int) bool { return ls[i].Text < ls[j].Text })
	}
	sortLinks(pg.Groupings)
	for i := range pg.ByCounty {
		sortLinks(pg.ByCounty[i].Munis)
	}
	for _, ind := range d.in.Indicators {
		if len(d.data[ind.ID]) > 0 {
			pg.Indicators = append(pg.Indicators, link{Href: "indikator/" + fileName(ind.ID) + ".html", Text: ind.Title})
		}
	}
	return pg
}

// codeName names a region with its code and, when the input gives it, its
// validity: "Telemark (40, fra 2024)", "Vestfold og Telemark (38,
// 2020–2023)", "Trondheim (5001)".
func (d *dataset) codeName(r *Region) string {
	t := d.text()
	in := r.Code
	if v, ok := d.in.Validity[r.Code]; ok && v.From > 0 {
		if v.To == 0 {
			in += ", " + fmt.Sprintf(t.ValidFrom, v.From)
		} else {
			in += ", " + fmt.Sprintf(t.ValidSpan, v.From, v.To)
		}
	}
	return r.Name + " (" + in + ")"
}

// anyValue reports whether vals holds at least one number (not NaN).
func anyValue(vals []float64) bool {
	for _, v := range vals {
		if !math.IsNaN(v) {
			return true
		}
	}
	return false
}
