package tabular

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// Regions is what the importer needs from the regions model: resolve a
// name to a code on a date, and check that a code exists on a date. The
// model lives in pipelines/regions; callers pass an adapter. nil means
// codes are not validated and names cannot be resolved (an error).
type Regions interface {
	CodeOnDate(name string, date time.Time) (code string, err error)
	Known(code string, date time.Time) bool
}

// LevelRegions is a Regions that resolves a name at one level ("fylke" or
// "kommune"), for mappings with region.level (pipelines/regions.Model
// implements it).
type LevelRegions interface {
	Regions
	CodeOnDateAt(name, level string, date time.Time) (code string, err error)
}

// Options are the run-time inputs of Build and Parse.
type Options struct {
	// Regions validates region codes and resolves names; nil skips
	// validation (names are then an error).
	Regions Regions
	// Limits bound the file read; zero fields are the defaults.
	Limits Limits
}

// Dimension IDs of the region and period dimensions of every dataset.
const (
	DimRegion = "region"
	DimPeriod = "period"
)

// Parse reads a CSV or XLSX file's bytes (per m.Format) and builds the
// tidy dataset. file names the file in errors.
func Parse(file string, data []byte, m *Mapping, opts Options) (*jsonstat.Dataset, error) {
	return parse(file, bytes.NewReader(data), m, opts)
}

func parse(file string, r io.ReadSeeker, m *Mapping, opts Options) (*jsonstat.Dataset, error) {
	var (
		t   *Table
		err error
	)
	if m.Format == "xlsx" {
		t, err = ReadXLSXWith(file, r, m, opts.Limits)
	} else {
		t, err = ReadCSVFrom(file, r, m, opts.Limits)
	}
	if err != nil {
		return nil, err
	}
	return Build(t, m, opts)
}

// ParseFile is Parse on a file path, read as a stream (a CSV file is never
// held whole in memory). A ".xlsx" file is read as XLSX even when the
// mapping says csv.
func ParseFile(path string, m *Mapping, opts Options) (*jsonstat.Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tabular: %w", err)
	}
	defer f.Close()
	if strings.EqualFold(filepath.Ext(path), ".xlsx") && m.Format != "xlsx" {
		c := *m
		c.Format = "xlsx"
		m = &c
	}
	name := filepath.Base(path)
	if err := CheckSize(name, f, opts.Limits); err != nil {
		return nil, err
	}
	return parse(name, f, m, opts)
}

// CheckSize refuses a file larger than lim.MaxBytes before it is read.
func CheckSize(name string, f *os.File, lim Limits) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("tabular: %w", err)
	}
	lim = lim.withDefaults()
	if fi.Mode().IsRegular() && fi.Size() > lim.MaxBytes {
		return &ParseError{File: name, Err: &LimitError{What: LimitFile, Limit: lim.MaxBytes}}
	}
	return nil
}

// dimAcc accumulates the categories of one output dimension.
type dimAcc struct {
	id, label string
	codes     []string
	labels    []string
	index     map[string]int32
}

func (d *dimAcc) add(code, label string) int32 {
	if i, ok := d.index[code]; ok {
		return i
	}
	i := int32(len(d.codes))
	d.index[code] = i
	d.codes = append(d.codes, code)
	if label == "" {
		label = code
	}
	d.labels = append(d.labels, label)
	return i
}

// valueCol is one column that holds values (or series-break notes).
type valueCol struct {
	idx   int
	name  string
	exp   int
	fixed []fixedCat // categories given by the column (melt parts, values)
	note  bool
	// period of a melt column, "" when the period is per row.
	period string
	// regionRaw is a melt region part's code, resolved per cell.
	regionCode, regionLabel string
}

type fixedCat struct {
	dim int
	cat int32
}

type cellAcc struct {
	coords  []int32
	value   float64
	present bool
	status  string
	line    int
	column  string
}

// builder holds the state of one Build.
type builder struct {
	t        *Table
	m        *Mapping
	opts     Options
	names    []string
	dims     []*dimAcc
	pos      map[string]int // dimension ID -> position in dims
	periodAt map[string]time.Time
	regions  map[regionKey]regionHit // cache by raw cell (or code) and period code
	decimal  byte
}

type regionKey struct {
	raw, period string
	code        bool // raw is a code to check, not a cell to resolve
}

type regionHit struct {
	code, label string
	err         error
}

// Build turns a read table into the tidy dataset the mapping describes:
// dimensions region (role geo), period (role time), the mapping's dims in
// order, melt dimensions, and the values dimension (role metric) when
// there are several value columns. Periods are sorted by code; other
// categories keep the order of first appearance. Cells no row gives are
// missing (no status). Errors are *ParseError values naming file, row and
// column. A mapping that has not been validated is validated (and its
// patterns compiled) first, so do not share an unvalidated Mapping between
// goroutines.
func Build(t *Table, m *Mapping, opts Options) (*jsonstat.Dataset, error) {
	if !m.validated {
		if err := m.Validate(); err != nil {
			return nil, err
		}
	}
	b := &builder{t: t, m: m, opts: opts, pos: map[string]int{},
		periodAt: map[string]time.Time{}, regions: map[regionKey]regionHit{}, decimal: '.'}
	if m.Decimal == "," {
		b.decimal = ','
	}
	metric, err := b.prepare()
	if err != nil {
		return nil, err
	}
	cols, err := b.valueColumns()
	if err != nil {
		return nil, err
	}
	filters, err := b.filters()
	if err != nil {
		return nil, err
	}
	src, err := b.rowSources()
	if err != nil {
		return nil, err
	}
	st, err := b.collect(cols, filters, src)
	if err != nil {
		return nil, err
	}
	if len(st.order) == 0 && len(t.Rows) == 0 {
		return nil, &ParseError{File: t.File, Err: errors.New("the file has no data rows")}
	}
	newIdx := b.sortPeriods()
	ds := b.dataset(metric, st.order, newIdx)
	ds.Note = append(ds.Note, b.m.Notes...)
	if err := AddSeriesBreaks(ds, b.seriesBreaks(st.noteOrder)...); err != nil {
		return nil, &ParseError{File: t.File, Err: err}
	}
	return ds, nil
}

// prepare reads the column names, expands auto dims and alternative
// period columns, and adds the output dimensions in order: region,
// period, the mapping's dims, melt dimensions and the values dimension.
// It returns the values dimension's ID ("" without one).
func (b *builder) prepare() (metric string, err error) {
	if err := b.columnNames(); err != nil {
		return "", err
	}
	m := b.m
	if m.AutoDims != "" || len(m.Period.AnyOf) > 0 {
		c := *m
		c.Dims = append(Dims(nil), m.Dims...)
		if err := b.expand(&c); err != nil {
			return "", err
		}
		m = &c
		b.m = m
	}
	b.addDim(DimRegion, "Region")
	b.addDim(DimPeriod, "Periode")
	for _, d := range m.Dims {
		b.addDim(d.ID, firstOf(d.DimLabel, d.ID))
	}
	if m.Melt != nil {
		for _, p := range m.Melt.Parts {
			if _, ok := b.pos[p.Dim]; !ok {
				b.addDim(p.Dim, firstOf(p.DimLabel, p.Dim))
			}
		}
	}
	if m.Values != nil {
		metric = firstOf(m.Values.Dim, "ContentsCode")
		b.addDim(metric, firstOf(m.Values.DimLabel, "Statistikkvariabel"))
	}
	return metric, nil
}

// rowSources are the columns that give each row's region, period and
// dimension categories (-1 where the mapping gives a fixed value).
type rowSources struct {
	regionCol, regionLabelCol int
	periodCols                []int
	periodNames               []string // the mapping's period column names
	dims                      []dimSrc
}

// dimSrc is where one of the mapping's dims takes its category from.
type dimSrc struct {
	pos, col, labelCol int
	d                  *Dim
}

// rowSources finds the row-level source columns of the mapping.
func (b *builder) rowSources() (*rowSources, error) {
	m := b.m
	src := &rowSources{regionCol: -1, regionLabelCol: -1, periodCols: []int{}}
	var err error
	if m.Region.Column != "" {
		if src.regionCol, err = b.col(m.Region.Column); err != nil {
			return nil, err
		}
	}
	if m.Region.LabelColumn != "" {
		if src.regionLabelCol, err = b.col(m.Region.LabelColumn); err != nil {
			return nil, err
		}
	}
	src.periodNames = m.Period.Columns
	if m.Period.Column != "" {
		src.periodNames = []string{m.Period.Column}
	}
	for _, c := range src.periodNames {
		i, err := b.col(c)
		if err != nil {
			return nil, err
		}
		src.periodCols = append(src.periodCols, i)
	}
	for i := range m.Dims {
		d := &m.Dims[i]
		s := dimSrc{pos: b.pos[d.ID], col: -1, labelCol: -1, d: d}
		if d.Column != "" {
			if s.col, err = b.col(d.Column); err != nil {
				return nil, err
			}
		}
		if d.LabelColumn != "" {
			if s.labelCol, err = b.col(d.LabelColumn); err != nil {
				return nil, err
			}
		}
		if d.Column == "" && d.Value == "" {
			continue // from a melt part
		}
		src.dims = append(src.dims, s)
	}
	return src, nil
}

// cellStore accumulates the cells of one Build in the order rows give
// them, with the series-break notes of melt note columns.
type cellStore struct {
	cells     map[string]int // key -> index in order
	order     []cellAcc
	arena     []int32         // backing store of the cells' coordinates
	notes     map[string]bool // period + "\x00" + text of melt note columns
	noteOrder []SeriesBreak
	key       []byte
}

// rowCell is what one row gives every value cell it holds: the row's
// coordinates and its region.
type rowCell struct {
	line                   int
	period                 string // the row's period code ("" when per column)
	coords                 []int32
	regionRaw, regionLabel string
}

// collect reads every row the filters keep into cells.
func (b *builder) collect(cols []valueCol, filters []filter, src *rowSources) (*cellStore, error) {
	t := b.t
	st := &cellStore{
		cells: map[string]int{},
		order: make([]cellAcc, 0, min(len(t.Rows)*len(cols), 1<<12)),
		notes: map[string]bool{},
		key:   make([]byte, 0, 4*len(b.dims)),
	}
	rc := rowCell{coords: make([]int32, len(b.dims))}
rows:
	for ri, row := range t.Rows {
		for _, f := range filters {
			v := strings.TrimSpace(cell(row, f.col))
			if f.keep != f.values[v] {
				continue rows
			}
		}
		rc.line = t.Line[ri]
		if err := b.rowCoords(row, src, &rc); err != nil {
			return nil, err
		}
		for i := range cols {
			if err := b.valueCell(st, &cols[i], row, &rc); err != nil {
				return nil, err
			}
		}
	}
	return st, nil
}

// rowCoords sets rc to the row's period, dimension categories and region.
func (b *builder) rowCoords(row []string, src *rowSources, rc *rowCell) error {
	m, t := b.m, b.t
	for i := range rc.coords {
		rc.coords[i] = -1
	}
	rc.period = ""
	if len(src.periodCols) > 0 || m.Period.Value != "" {
		raw := m.Period.Value
		if len(src.periodCols) > 0 {
			parts := make([]string, 0, len(src.periodCols))
			for _, c := range src.periodCols {
				parts = append(parts, strings.TrimSpace(cell(row, c)))
			}
			raw = strings.Join(parts, " ")
		}
		code, label, err := b.period(raw, m.Period.re, m.Period.Map, m.Period.Granularity)
		if err != nil {
			return &ParseError{File: t.File, Row: rc.line, Column: strings.Join(src.periodNames, "+"), Err: err}
		}
		if m.Period.Label != "" {
			label = m.Period.Label
		}
		rc.period = code
		pPos := b.pos[DimPeriod]
		rc.coords[pPos] = b.dims[pPos].add(code, label)
	}
	for _, s := range src.dims {
		raw := s.d.Value
		if s.col >= 0 {
			raw = strings.TrimSpace(cell(row, s.col))
		}
		code, label, err := b.category(raw, &s.d.Cell, s.d.Code)
		if err != nil {
			return &ParseError{File: t.File, Row: rc.line, Column: s.d.Column, Err: fmt.Errorf("dimension %s: %w", s.d.ID, err)}
		}
		if s.labelCol >= 0 {
			if l := strings.TrimSpace(cell(row, s.labelCol)); l != "" {
				label = l
			}
		} else if s.d.Label != "" && s.d.Value != "" {
			label = s.d.Label
		}
		rc.coords[s.pos] = b.dims[s.pos].add(code, label)
	}
	rc.regionRaw, rc.regionLabel = m.Region.Value, m.Region.Label
	if src.regionCol >= 0 {
		rc.regionRaw = strings.TrimSpace(cell(row, src.regionCol))
	}
	if src.regionLabelCol >= 0 {
		rc.regionLabel = strings.TrimSpace(cell(row, src.regionLabelCol))
	}
	return nil
}

// valueCell reads the value column vc of a row into st: a note of a
// series break, nothing for an empty cell, or a cell with its value or
// status, summed with an earlier one when the mapping says so.
func (b *builder) valueCell(st *cellStore, vc *valueCol, row []string, rc *rowCell) error {
	m, t := b.m, b.t
	period := rc.period
	if vc.period != "" {
		period = vc.period
	}
	text := strings.TrimSpace(cell(row, vc.idx))
	if vc.note {
		if k := period + "\x00" + text; text != "" && !st.notes[k] {
			st.notes[k] = true
			st.noteOrder = append(st.noteOrder, SeriesBreak{Period: period, Note: text})
		}
		return nil
	}
	if text == "" {
		return nil // missing, no status; no region check either
	}
	n := len(rc.coords)
	if len(st.arena) < n {
		st.arena = make([]int32, 1024*n)
	}
	c := st.arena[:n:n]
	st.arena = st.arena[n:]
	copy(c, rc.coords)
	for _, f := range vc.fixed {
		c[f.dim] = f.cat
	}
	// Region, resolved on the period's start date.
	var hit regionHit
	if vc.regionCode != "" {
		hit = b.checkRegion(vc.regionCode, vc.regionLabel, period)
	} else {
		hit = b.region(rc.regionRaw, period)
		if rc.regionLabel != "" && hit.err == nil {
			hit.label = rc.regionLabel
		}
	}
	if hit.err != nil {
		col := m.Region.Column
		if vc.regionCode != "" {
			col = vc.name
		}
		return &ParseError{File: t.File, Row: rc.line, Column: col, Err: hit.err}
	}
	rPos := b.pos[DimRegion]
	c[rPos] = b.dims[rPos].add(hit.code, hit.label)
	acc := cellAcc{coords: c, line: rc.line, column: vc.name}
	if Marker(text) {
		acc.status = text
	} else {
		v, err := b.number(text, vc.exp)
		if err != nil {
			return &ParseError{File: t.File, Row: rc.line, Column: vc.name, Err: err}
		}
		acc.value, acc.present = v, true
	}
	return b.put(st, acc)
}

// number parses a value cell. Raw numeric cells of xlsx files are written
// with '.'; their text cells may use the mapping's decimal mark.
func (b *builder) number(text string, exp int) (float64, error) {
	if b.m.Format == "xlsx" {
		if v, err := parseNumberExp(text, '.', exp); err == nil {
			return v, nil
		}
	}
	return parseNumberExp(text, b.decimal, exp)
}

// put adds acc to st, or sums it into the cell an earlier row gave when
// the mapping's duplicates is "sum" (a status wins over values).
func (b *builder) put(st *cellStore, acc cellAcc) error {
	st.key = st.key[:0]
	for _, x := range acc.coords {
		if x < 0 {
			return &ParseError{File: b.t.File, Row: acc.line, Column: acc.column, Err: errors.New("the cell has no category for every dimension (check region, period and dims)")}
		}
		st.key = binary.LittleEndian.AppendUint32(st.key, uint32(x))
	}
	oi, ok := st.cells[string(st.key)]
	if !ok {
		st.cells[string(st.key)] = len(st.order)
		st.order = append(st.order, acc)
		return nil
	}
	old := &st.order[oi]
	if b.m.Duplicates != "sum" {
		return &ParseError{File: b.t.File, Row: acc.line, Column: acc.column,
			Err: fmt.Errorf("the same cell (%s) was given on row %d, column %q", b.describe(acc.coords), old.line, old.column)}
	}
	switch {
	case old.status != "":
	case acc.status != "":
		old.status, old.present, old.value = acc.status, false, 0
	default:
		old.value += acc.value
	}
	return nil
}

// sortPeriods sorts the period dimension's categories by code and
// returns the new index of each old one.
func (b *builder) sortPeriods() []int32 {
	pd := b.dims[b.pos[DimPeriod]]
	perm := make([]int, len(pd.codes))
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(i, j int) bool { return periodLess(pd.codes[perm[i]], pd.codes[perm[j]]) })
	newIdx := make([]int32, len(perm))
	codes := make([]string, len(perm))
	labels := make([]string, len(perm))
	for n, o := range perm {
		newIdx[o] = int32(n)
		codes[n], labels[n] = pd.codes[o], pd.labels[o]
	}
	pd.codes, pd.labels = codes, labels
	return newIdx
}

// dataset lays the cells out as a dense dataset, periods renumbered by
// newIdx.
func (b *builder) dataset(metric string, order []cellAcc, newIdx []int32) *jsonstat.Dataset {
	m := b.m
	ds := &jsonstat.Dataset{
		Name:   m.Name,
		Label:  firstOf(m.Label, b.t.File),
		Source: m.Source,
		Role:   jsonstat.Roles{Geo: []string{DimRegion}, Time: []string{DimPeriod}},
	}
	if metric != "" {
		ds.Role.Metric = []string{metric}
	}
	for _, d := range b.dims {
		ds.Dims = append(ds.Dims, &jsonstat.Dimension{ID: d.id, Label: d.label, Codes: d.codes, Labels: d.labels})
	}
	n := ds.Size()
	ds.Values = make([]float64, n)
	ds.Present = make([]bool, n)
	var status []string
	ci := make([]int, len(b.dims))
	pPos := b.pos[DimPeriod]
	for _, c := range order {
		for k, x := range c.coords {
			ci[k] = int(x)
		}
		ci[pPos] = int(newIdx[c.coords[pPos]])
		i := ds.Index(ci)
		ds.Values[i], ds.Present[i] = c.value, c.present
		if c.status != "" {
			if status == nil {
				status = make([]string, n)
			}
			status[i] = c.status
		}
	}
	ds.Status = status
	return ds
}

// seriesBreaks returns the mapping's series breaks that fall inside the
// data's periods (or always apply), then the notes of note columns in
// period order.
func (b *builder) seriesBreaks(noteOrder []SeriesBreak) []SeriesBreak {
	var breaks []SeriesBreak
	pd := b.dims[b.pos[DimPeriod]]
	if len(pd.codes) > 0 {
		first, last := b.periodAt[pd.codes[0]], b.periodAt[pd.codes[len(pd.codes)-1]]
		for _, sb := range b.m.SeriesBreaks {
			if sb.Period == "" {
				breaks = append(breaks, sb)
				continue
			}
			code, at, _ := ParsePeriod(sb.Period, "")
			if at.After(first) && !at.After(last) {
				breaks = append(breaks, SeriesBreak{Period: code, Note: sb.Note})
			}
		}
	}
	sort.SliceStable(noteOrder, func(i, j int) bool { return periodLess(noteOrder[i].Period, noteOrder[j].Period) })
	return append(breaks, noteOrder...)
}

// AddSeriesBreaks appends the breaks to the dataset's notes ("Brudd i
// serien fra PERIOD: NOTE") and to the "series_break" entry of its
// extension object ([{"period":..., "note":...}]), keeping other entries.
func AddSeriesBreaks(ds *jsonstat.Dataset, breaks ...SeriesBreak) error {
	if len(breaks) == 0 {
		return nil
	}
	type entry struct {
		Period string `json:"period,omitempty"`
		Note   string `json:"note"`
	}
	ext := map[string]json.RawMessage{}
	if len(ds.Extension) > 0 {
		if err := json.Unmarshal(ds.Extension, &ext); err != nil {
			return fmt.Errorf("dataset extension is not an object: %w", err)
		}
	}
	var list []entry
	if raw, ok := ext["series_break"]; ok {
		if err := json.Unmarshal(raw, &list); err != nil {
			return fmt.Errorf("extension series_break: %w", err)
		}
	}
	for _, b := range breaks {
		list = append(list, entry(b))
		if b.Period != "" {
			ds.Note = append(ds.Note, "Brudd i serien fra "+b.Period+": "+b.Note)
		} else {
			ds.Note = append(ds.Note, "Brudd i serien: "+b.Note)
		}
	}
	raw, err := json.Marshal(list)
	if err != nil {
		return err
	}
	ext["series_break"] = raw
	return SetExtension(ds, ext)
}

// SetExtension replaces the dataset's extension with the JSON object of
// the given entries (keys sorted, so the bytes are stable).
func SetExtension(ds *jsonstat.Dataset, entries map[string]json.RawMessage) error {
	raw, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	ds.Extension = raw
	return nil
}

// periodLess orders period codes: by start year, then by the code.
func periodLess(a, b string) bool {
	if len(a) >= 4 && len(b) >= 4 && a[:4] != b[:4] {
		return a[:4] < b[:4]
	}
	return a < b
}

func (b *builder) addDim(id, label string) {
	b.pos[id] = len(b.dims)
	b.dims = append(b.dims, &dimAcc{id: id, label: label, index: map[string]int32{}})
}

// describe names a cell's categories for error messages.
func (b *builder) describe(c []int32) string {
	parts := make([]string, len(c))
	for k, x := range c {
		parts[k] = b.dims[k].id + "=" + b.dims[k].codes[x]
	}
	return strings.Join(parts, ", ")
}

func (b *builder) columnNames() error {
	hr := b.m.headerRows()
	if hr > 0 {
		b.names = append([]string(nil), b.t.Header[0]...)
	}
	for i, c := range b.m.Columns {
		if i < len(b.names) {
			b.names[i] = c
		} else {
			b.names = append(b.names, c)
		}
	}
	for i, n := range b.names {
		b.names[i] = strings.TrimSpace(strings.TrimPrefix(n, "\uFEFF"))
	}
	return nil
}

// col finds a column by name: exactly, else ignoring case.
func (b *builder) col(name string) (int, error) {
	for i, n := range b.names {
		if n == name {
			return i, nil
		}
	}
	for i, n := range b.names {
		if strings.EqualFold(n, name) {
			return i, nil
		}
	}
	return -1, &ParseError{File: b.t.File, Column: name, Err: fmt.Errorf("no such column (columns: %s)", quoteList(b.names))}
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

type filter struct {
	col    int
	keep   bool
	values map[string]bool
}

func (b *builder) filters() ([]filter, error) {
	var out []filter
	add := func(spec map[string][]string, keep bool) error {
		names := make([]string, 0, len(spec))
		for n := range spec {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			i, err := b.col(n)
			if err != nil {
				return err
			}
			f := filter{col: i, keep: keep, values: map[string]bool{}}
			for _, v := range spec[n] {
				f.values[strings.TrimSpace(v)] = true
			}
			out = append(out, f)
		}
		return nil
	}
	if err := add(b.m.Where, true); err != nil {
		return nil, err
	}
	if err := add(b.m.Skip, false); err != nil {
		return nil, err
	}
	return out, nil
}

// valueColumns lists the value columns with the categories they fix.
func (b *builder) valueColumns() ([]valueCol, error) {
	m := b.m
	switch {
	case m.Value.Column != "" || m.Value.Last:
		i := len(b.names) - 1
		if !m.Value.Last {
			var err error
			if i, err = b.col(m.Value.Column); err != nil {
				return nil, err
			}
		}
		if i < 0 {
			return nil, &ParseError{File: b.t.File, Err: errors.New("the file has no columns")}
		}
		return []valueCol{{idx: i, name: b.names[i], exp: multiplyExp(m.Value.Multiply)}}, nil
	case m.Values != nil:
		pos := b.pos[firstOf(m.Values.Dim, "ContentsCode")]
		var out []valueCol
		for _, vc := range m.Values.Columns {
			i, err := b.col(vc.Column)
			if err != nil {
				return nil, err
			}
			cat := b.dims[pos].add(firstOf(vc.Code, vc.Column), firstOf(vc.Label, vc.Column))
			out = append(out, valueCol{idx: i, name: vc.Column, exp: multiplyExp(vc.Multiply), fixed: []fixedCat{{pos, cat}}})
		}
		return out, nil
	}
	// Melt.
	var out []valueCol
	hdr := b.t.Header
	for j, name := range b.names {
		if !m.Melt.colRe.MatchString(name) {
			continue
		}
		vc := valueCol{idx: j, name: name}
		if m.Melt.notesRe != nil && m.Melt.notesRe.MatchString(name) {
			vc.note = true
		}
		for _, p := range m.Melt.Parts {
			if vc.note && p.Dim != DimPeriod {
				continue // a note column needs only its period
			}
			text := ""
			if p.Row < len(hdr) && j < len(hdr[p.Row]) {
				text = hdr[p.Row][j]
			} else if len(hdr) == 0 {
				text = name
			}
			sub := p.re.FindStringSubmatch(text)
			if sub == nil {
				return nil, &ParseError{File: b.t.File, Row: b.m.SkipRows + p.Row + 1, Column: name,
					Err: fmt.Errorf("melt part %s: header %q does not match %q", p.Dim, text, p.re)}
			}
			raw := strings.TrimSpace(sub[1])
			switch p.Dim {
			case DimPeriod:
				code, label, err := b.period(raw, nil, p.Map, p.Granularity)
				if err != nil {
					return nil, &ParseError{File: b.t.File, Row: b.m.SkipRows + p.Row + 1, Column: name, Err: err}
				}
				vc.period = code
				if !vc.note {
					vc.fixed = append(vc.fixed, fixedCat{b.pos[DimPeriod], b.dims[b.pos[DimPeriod]].add(code, label)})
				}
			case DimRegion:
				if p.Code == "name" {
					return nil, &ParseError{File: b.t.File, Column: name, Err: errors.New("melt part region: code name is not supported in headers; use map")}
				}
				code, label, err := b.category(raw, &Cell{Map: p.Map, Labels: p.Labels}, p.Code)
				if err != nil {
					return nil, &ParseError{File: b.t.File, Column: name, Err: err}
				}
				vc.regionCode, vc.regionLabel = code, label
			default:
				code, label, err := b.category(raw, &Cell{Map: p.Map, Labels: p.Labels}, p.Code)
				if err != nil {
					return nil, &ParseError{File: b.t.File, Column: name, Err: err}
				}
				if !vc.note {
					vc.fixed = append(vc.fixed, fixedCat{b.pos[p.Dim], b.dims[b.pos[p.Dim]].add(code, label)})
				}
			}
		}
		out = append(out, vc)
	}
	if len(out) == 0 {
		return nil, &ParseError{File: b.t.File, Err: fmt.Errorf("no column matches melt.columns %q (columns: %s)", m.Melt.Columns, quoteList(b.names))}
	}
	return out, nil
}

// category applies pattern, map and the code rule to a cell.
func (b *builder) category(raw string, c *Cell, rule string) (code, label string, err error) {
	if c.re != nil {
		sub := c.re.FindStringSubmatch(raw)
		if sub == nil {
			return "", "", fmt.Errorf("%q does not match pattern %q", raw, c.re)
		}
		raw = strings.TrimSpace(sub[1])
	}
	if raw == "" {
		return "", "", errors.New("empty category")
	}
	defer func() {
		if l, ok := c.Labels[raw]; ok && err == nil {
			label = l
		}
	}()
	if v, ok := c.Map[raw]; ok {
		return v, raw, nil
	}
	if rule == "prefix" {
		code, label := SplitPrefix(raw)
		return code, label, nil
	}
	return raw, raw, nil
}

// SplitPrefix splits "38 Vestfold og Telemark" into code "38" and label
// "Vestfold og Telemark". The first word is a code only when it contains a
// digit ("0301", "02a", "K-3001"); otherwise the whole text is both code
// and label ("Helt ledige").
func SplitPrefix(s string) (code, label string) {
	s = strings.TrimSpace(s)
	first, rest, _ := strings.Cut(s, " ")
	if !strings.ContainsAny(first, "0123456789") {
		return s, s
	}
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return first, first
	}
	return first, rest
}

// period normalises a period cell and remembers its start date.
func (b *builder) period(raw string, re *regexp.Regexp, mp map[string]string, gran string) (code, label string, err error) {
	if re != nil {
		sub := re.FindStringSubmatch(raw)
		if sub == nil {
			return "", "", fmt.Errorf("period %q does not match pattern %q", raw, re)
		}
		raw = strings.TrimSpace(sub[1])
	}
	label = raw
	if v, ok := mp[raw]; ok {
		raw = v
	}
	code, at, err := ParsePeriod(raw, gran)
	if err != nil {
		return "", "", err
	}
	if reISODate.MatchString(raw) || reNODate.MatchString(raw) || reSerial.MatchString(raw) {
		label = code // a date stands for its month (quarter, year)
	}
	if _, ok := b.periodAt[code]; !ok {
		b.periodAt[code] = at
	}
	if label == "" {
		label = code
	}
	return code, label, nil
}

// region resolves a row's region cell on the period's start date.
func (b *builder) region(raw, period string) regionHit {
	k := regionKey{raw: raw, period: period}
	if h, ok := b.regions[k]; ok {
		return h
	}
	h := b.resolveRegion(raw, period)
	b.regions[k] = h
	return h
}

func (b *builder) resolveRegion(raw, period string) regionHit {
	r := &b.m.Region
	at, ok := b.periodAt[period]
	if !ok {
		at = time.Now().UTC()
	}
	if r.re != nil {
		sub := r.re.FindStringSubmatch(raw)
		if sub == nil {
			return regionHit{err: fmt.Errorf("region %q does not match pattern %q", raw, r.re)}
		}
		raw = strings.TrimSpace(sub[1])
	}
	label := raw
	if l, ok := r.Labels[raw]; ok {
		label = l
	}
	if v, ok := r.Map[raw]; ok {
		return b.checkRegion(v, label, period)
	}
	if raw == "" {
		return regionHit{err: errors.New("empty region")}
	}
	switch r.Code {
	case "prefix":
		code, label := SplitPrefix(raw)
		return b.checkRegion(code, label, period)
	case "name":
		if b.opts.Regions == nil {
			return regionHit{err: fmt.Errorf("region name %q cannot be resolved: %w (map the name with region.map, or give codes)", raw, ErrNoRegions)}
		}
		var code string
		var err error
		if r.Level == "" {
			code, err = b.opts.Regions.CodeOnDate(raw, at)
		} else if lr, ok := b.opts.Regions.(LevelRegions); ok {
			code, err = lr.CodeOnDateAt(raw, r.Level, at)
		} else {
			err = fmt.Errorf("the regions model cannot resolve names at one level (region.level %q)", r.Level)
		}
		if err != nil {
			return regionHit{err: fmt.Errorf("region name %q on %s: %w", raw, at.Format(time.DateOnly), err)}
		}
		return regionHit{code: code, label: raw}
	}
	return b.checkRegion(raw, raw, period)
}

// checkRegion validates a code with the regions model when there is one.
func (b *builder) checkRegion(code, label, period string) regionHit {
	if b.opts.Regions != nil {
		at, ok := b.periodAt[period]
		if !ok {
			at = time.Now().UTC()
		}
		k := regionKey{raw: code, period: period, code: true}
		if h, ok := b.regions[k]; ok {
			h.label = label
			return h
		}
		h := regionHit{code: code}
		if !b.opts.Regions.Known(code, at) {
			h.err = fmt.Errorf("region code %q is not known on %s", code, at.Format(time.DateOnly))
		}
		b.regions[k] = h
		h.label = label
		return h
	}
	return regionHit{code: code, label: label}
}

func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// expand resolves period.any_of and auto_dims against the file's columns.
func (b *builder) expand(m *Mapping) error {
	if len(m.Period.AnyOf) > 0 {
		for _, name := range m.Period.AnyOf {
			if _, err := b.col(name); err == nil {
				m.Period.Column = name
				break
			}
		}
		if m.Period.Column == "" {
			return &ParseError{File: b.t.File, Err: fmt.Errorf("none of the period columns %s exists (columns: %s)", quoteList(m.Period.AnyOf), quoteList(b.names))}
		}
	}
	if m.AutoDims == "" {
		return nil
	}
	used := map[string]bool{}
	mark := func(names ...string) {
		for _, n := range names {
			if n == "" {
				continue
			}
			if i, err := b.col(n); err == nil {
				used[b.names[i]] = true
			}
		}
	}
	mark(m.Region.Column, m.Region.LabelColumn, m.Period.Column, m.Value.Column)
	mark(m.Period.Columns...)
	for _, d := range m.Dims {
		mark(d.Column, d.LabelColumn)
	}
	if m.Values != nil {
		for _, v := range m.Values.Columns {
			mark(v.Column)
		}
	}
	if m.Value.Last && len(b.names) > 0 {
		used[b.names[len(b.names)-1]] = true
	}
	for n := range m.Where {
		mark(n)
	}
	for n := range m.Skip {
		mark(n)
	}
	ids := map[string]bool{DimRegion: true, DimPeriod: true}
	for _, d := range m.Dims {
		ids[d.ID] = true
	}
	for _, n := range b.names {
		if used[n] || n == "" || ids[n] {
			continue
		}
		ids[n] = true
		m.Dims = append(m.Dims, Dim{ID: n, Cell: Cell{Column: n}, Code: m.AutoDims})
	}
	return nil
}
