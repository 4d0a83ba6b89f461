package tabular

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Mapping says how one file layout becomes a tidy dataset. It is read from
// YAML (see the package doc and mappings/README.md); unknown keys are errors.
type Mapping struct {
	// Name is a short identifier (the file name of a shipped mapping).
	Name string `yaml:"name"`
	// Label and Source become the dataset's label and source.
	Label  string `yaml:"label"`
	Source string `yaml:"source"`
	// Description is free text for humans.
	Description string `yaml:"description"`

	// Format is "csv" (default) or "xlsx".
	Format string `yaml:"format"`
	// Sheet is the XLSX sheet name; "" means the first sheet.
	Sheet string `yaml:"sheet"`
	// Encoding is "auto" (default), "utf-8", "windows-1252", "iso-8859-1",
	// "utf-16le" or "utf-16be".
	Encoding string `yaml:"encoding"`
	// Delimiter is "auto" (default), ";", ",", "\t" (or "tab").
	Delimiter string `yaml:"delimiter"`
	// Decimal is the decimal mark of numbers: "." (default) or ",".
	Decimal string `yaml:"decimal"`
	// SkipRows is the number of lines before the header (after a "sep="
	// line, which is always dropped).
	SkipRows int `yaml:"skip_rows"`
	// HeaderRows is the number of header lines (default 1). 0 means the file
	// has no header; Columns then names the columns.
	HeaderRows *int `yaml:"header_rows"`
	// Columns names the columns in order; required when HeaderRows is 0,
	// else it replaces the names of the first header line.
	Columns []string `yaml:"columns"`

	// Where keeps only rows whose column (by name) holds one of the values
	// (trimmed); Skip drops rows whose column holds one of the values.
	Where map[string][]string `yaml:"where"`
	Skip  map[string][]string `yaml:"skip"`

	// Region and Period say where the region and period of a row come from.
	Region Region `yaml:"region"`
	Period Period `yaml:"period"`
	// Value is the value column when there is one.
	Value ValueColumn `yaml:"value"`
	// Values lists several value columns; each becomes a category of the
	// dimension named by Values.Dim (a measure, role metric).
	Values *Values `yaml:"values"`
	// Dims are further dimensions, in output order (a YAML mapping whose
	// order is kept).
	Dims Dims `yaml:"dims"`
	// Melt turns value columns into rows: every column whose (first) header
	// matches Melt.Columns is a value column, and its header cells give the
	// categories of one or more dimensions.
	Melt *Melt `yaml:"melt"`

	// AutoDims, when "code" or "prefix", makes every column not used
	// otherwise a dimension (ID = the column name) with that code rule; for
	// exports whose variables differ from table to table (SSB StatBank).
	AutoDims string `yaml:"auto_dims"`

	// Duplicates says what happens when two rows give the same cell:
	// "error" (default) or "sum" (used to aggregate records, such as one
	// row per vacancy, to counts).
	Duplicates string `yaml:"duplicates"`

	// Notes are copied into the dataset's notes.
	Notes []string `yaml:"notes"`
	// SeriesBreaks are documented breaks in the series; each one whose
	// period falls after the first period of the data and not after the
	// last is added to the notes and to the series_break extension entry.
	SeriesBreaks []SeriesBreak `yaml:"series_breaks"`

	validated bool
}

// Region says how a row's region code is found.
type Region struct {
	Cell `yaml:",inline"`
	// Code is the rule that turns the cell into a code: "code" (default:
	// the cell is the code), "prefix" (the code is the cell's first word,
	// "38 Vestfold og Telemark" -> 38, label "Vestfold og Telemark") or
	// "name" (the cell is a name, resolved to a code by the Regions model on
	// the date the period starts; an unknown name is an error).
	Code string `yaml:"code"`
	// Level restricts "name" to one level, "fylke" or "kommune", for a
	// file whose names are all of one level: Oslo is both the county 03
	// and the municipality 0301, and without a level a name resolves to
	// the county. The regions model must implement LevelRegions.
	Level string `yaml:"level"`
}

// Period says how a row's period is found. The cells are normalised by
// ParsePeriod (several columns are joined with a space first).
type Period struct {
	Cell `yaml:",inline"`
	// Columns are joined with a space ("År" + "Måned" -> "2024 mars").
	Columns []string `yaml:"columns"`
	// AnyOf names alternative period columns; the first that exists is
	// used ("år", "kvartal", "måned").
	AnyOf []string `yaml:"any_of"`
	// Granularity is what a date becomes: "month" (default), "quarter" or
	// "year".
	Granularity string `yaml:"granularity"`
}

// Cell is where a category comes from: one column, a constant, or a melt
// part; Map and Pattern refine the cell text.
type Cell struct {
	// Column is the column name.
	Column string `yaml:"column"`
	// LabelColumn, when set, gives the label; else the label is derived
	// from the cell.
	LabelColumn string `yaml:"label_column"`
	// Value is a constant code for every row (Label its label).
	Value string `yaml:"value"`
	Label string `yaml:"label"`
	// Pattern is a regular expression with one capture group applied to the
	// trimmed cell; the group is used instead of the cell ("F01" with
	// "^F(\d+)$" -> "01"). A cell that does not match is an error.
	Pattern string `yaml:"pattern"`
	// Map replaces whole cells (after Pattern) by codes before the code
	// rule applies ("Landet": "0"); the cell stays the label.
	Map map[string]string `yaml:"map"`
	// Labels replaces whole cells (after Pattern) by labels.
	Labels map[string]string `yaml:"labels"`

	re *regexp.Regexp
}

// ValueColumn is the one value column.
type ValueColumn struct {
	Column string `yaml:"column"`
	// Last selects the file's last column (SSB exports name it after the table).
	Last bool `yaml:"last"`
	// Multiply scales every value by a power of ten (100 turns 0.025 into
	// 2.5 per cent). It is applied exactly, by shifting the decimal point.
	Multiply float64 `yaml:"multiply"`
}

// Values lists several value columns that become categories of one
// dimension.
type Values struct {
	// Dim is the dimension ID (default "ContentsCode") and DimLabel its label.
	Dim      string        `yaml:"dim"`
	DimLabel string        `yaml:"dim_label"`
	Columns  []ValueOfDims `yaml:"columns"`
}

// ValueOfDims is one value column of Values.
type ValueOfDims struct {
	Column   string  `yaml:"column"`
	Code     string  `yaml:"code"`
	Label    string  `yaml:"label"`
	Multiply float64 `yaml:"multiply"`
}

// Dim is one further dimension.
type Dim struct {
	Cell `yaml:",inline"`
	// ID is the key in the YAML mapping.
	ID string `yaml:"-"`
	// DimLabel is the dimension's label (default: the ID).
	DimLabel string `yaml:"dim_label"`
	// Code is "code" (default: the cell is the code and the label) or
	// "prefix" (as for Region).
	Code string `yaml:"code"`
}

// Dims is an ordered list of dimensions, written in YAML as a mapping from
// dimension ID to its description.
type Dims []Dim

// UnmarshalYAML keeps the order of the mapping's keys.
func (d *Dims) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: dims must be a mapping from dimension ID to its description", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		var dim Dim
		if err := strictDecode(n.Content[i+1], &dim); err != nil {
			return fmt.Errorf("dims.%s: %w", n.Content[i].Value, err)
		}
		dim.ID = n.Content[i].Value
		*d = append(*d, dim)
	}
	return nil
}

// Melt describes value columns that carry categories in their headers.
type Melt struct {
	// Columns is a regular expression matched against each column's first
	// header line; matching columns hold values.
	Columns string `yaml:"columns"`
	// Notes is a regular expression for columns (among those matched by
	// Columns) whose cells are series-break notes rather than values; their
	// non-empty texts become series_break notes for the column's period.
	Notes string `yaml:"notes"`
	// Parts give the categories of a value column from its header lines.
	Parts []Part `yaml:"parts"`

	colRe, notesRe *regexp.Regexp
}

// Part takes one dimension's category from one header line of a value
// column.
type Part struct {
	// Dim is "region", "period" or another dimension ID (new IDs are added
	// after Dims, in order).
	Dim      string `yaml:"dim"`
	DimLabel string `yaml:"dim_label"`
	// Row is the header line (0-based).
	Row int `yaml:"row"`
	// Pattern has one capture group (default: the whole cell).
	Pattern string `yaml:"pattern"`
	// Map replaces the captured text by a code (it stays the label).
	Map map[string]string `yaml:"map"`
	// Labels replaces the captured text by a label.
	Labels map[string]string `yaml:"labels"`
	// Code is the code rule ("code", "prefix"; "name" for region).
	Code string `yaml:"code"`
	// Granularity is as for Period.
	Granularity string `yaml:"granularity"`

	re *regexp.Regexp
}

// SeriesBreak is a documented break in a series.
type SeriesBreak struct {
	// Period is the first period after the break ("2012"); "" means the
	// note always applies.
	Period string `yaml:"period"`
	Note   string `yaml:"note"`
}

// headerRows returns the number of header lines.
func (m *Mapping) headerRows() int {
	if m.HeaderRows == nil {
		return 1
	}
	return *m.HeaderRows
}

// LoadMapping reads a mapping from YAML, strictly (unknown keys are
// errors), and validates it.
func LoadMapping(r io.Reader) (*Mapping, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("tabular: read mapping: %w", err)
	}
	return ParseMapping(data)
}

// ParseMapping is LoadMapping on bytes.
func ParseMapping(data []byte) (*Mapping, error) {
	var m Mapping
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("tabular: mapping: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// LoadMappingFile reads the mapping in path (named after the file when it
// has no name); if no such file exists and path is the name of a shipped
// mapping (see Builtin), that one is used.
func LoadMappingFile(path string) (*Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if m, berr := Builtin(path); berr == nil {
				return m, nil
			}
		}
		return nil, fmt.Errorf("tabular: mapping: %w", err)
	}
	m, err := ParseMapping(data)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	if m.Name == "" {
		m.Name = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".yaml"), ".yml")
	}
	return m, nil
}

// strictDecode decodes a node with unknown keys as errors (yaml.v3 checks
// known fields only through a Decoder).
func strictDecode(n *yaml.Node, v any) error {
	data, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	return dec.Decode(v)
}

//go:embed mappings/*.yaml
var builtin embed.FS

// Builtin returns a shipped mapping by name (the file name in mappings/
// without ".yaml", e.g. "nav-hovedtall"). Each call returns a fresh copy
// that the caller may change.
func Builtin(name string) (*Mapping, error) {
	name = strings.TrimSuffix(name, ".yaml")
	if name == "" || strings.ContainsAny(name, "/\\") {
		return nil, fmt.Errorf("tabular: no shipped mapping %q", name)
	}
	data, err := builtin.ReadFile(path.Join("mappings", name+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("tabular: no shipped mapping %q (known: %s)", name, strings.Join(BuiltinNames(), ", "))
	}
	m, err := ParseMapping(data)
	if err != nil {
		return nil, fmt.Errorf("tabular: shipped mapping %s: %w", name, err)
	}
	if m.Name == "" {
		m.Name = name
	}
	return m, nil
}

// BuiltinNames lists the shipped mappings, sorted.
func BuiltinNames() []string {
	ents, _ := builtin.ReadDir("mappings")
	var names []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Validate checks the mapping and compiles its patterns. It reports every
// problem at once.
func (m *Mapping) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	m.checkFormat(bad)
	meltDims := m.checkMelt(bad)
	m.checkRegion(bad, meltDims)
	switch m.AutoDims {
	case "", "code", "prefix":
	default:
		bad("auto_dims: %q is not code or prefix", m.AutoDims)
	}
	m.checkPeriod(bad, meltDims)
	seen := m.checkDims(bad, meltDims)
	m.checkValues(bad, seen)
	m.checkSeriesBreaks(bad)
	if len(errs) > 0 {
		return fmt.Errorf("tabular: mapping %s: %w", m.Name, errors.Join(errs...))
	}
	m.validated = true
	return nil
}

// checkFormat checks how the file is read: format, encoding, delimiter,
// decimal mark, skipped and header rows, and duplicates.
func (m *Mapping) checkFormat(bad func(string, ...any)) {
	switch m.Format {
	case "", "csv", "xlsx":
	default:
		bad("format: %q is not csv or xlsx", m.Format)
	}
	switch strings.ToLower(m.Encoding) {
	case "", "auto", "utf-8", "utf8", "windows-1252", "cp1252", "iso-8859-1", "latin1", "utf-16le", "utf-16be":
	default:
		bad("encoding: %q is not auto, utf-8, windows-1252, iso-8859-1, utf-16le or utf-16be", m.Encoding)
	}
	switch m.Delimiter {
	case "", "auto", ";", ",", "\t", "tab", "|":
	default:
		bad("delimiter: %q is not auto, \";\", \",\" or \"\\t\"", m.Delimiter)
	}
	switch m.Decimal {
	case "", ".", ",":
	default:
		bad("decimal: %q is not \".\" or \",\"", m.Decimal)
	}
	if m.SkipRows < 0 {
		bad("skip_rows: %d is negative", m.SkipRows)
	}
	if hr := m.headerRows(); hr < 0 {
		bad("header_rows: %d is negative", hr)
	} else if hr == 0 && len(m.Columns) == 0 {
		bad("header_rows: 0 needs columns: to name the columns")
	}
	switch m.Duplicates {
	case "", "error", "sum":
	default:
		bad("duplicates: %q is not error or sum", m.Duplicates)
	}
}

// checkMelt checks and compiles the melt section and returns the
// dimensions its parts give.
func (m *Mapping) checkMelt(bad func(string, ...any)) map[string]bool {
	meltDims := map[string]bool{}
	if m.Melt == nil {
		return meltDims
	}
	var err error
	if m.Melt.colRe, err = regexp.Compile(m.Melt.Columns); err != nil || m.Melt.Columns == "" {
		bad("melt.columns: %q is not a regular expression: %v", m.Melt.Columns, err)
	}
	if m.Melt.Notes != "" {
		if m.Melt.notesRe, err = regexp.Compile(m.Melt.Notes); err != nil {
			bad("melt.notes: %v", err)
		}
	}
	for i := range m.Melt.Parts {
		p := &m.Melt.Parts[i]
		if p.Dim == "" {
			bad("melt.parts[%d]: dim is required", i)
		}
		if meltDims[p.Dim] {
			bad("melt.parts[%d]: dimension %q appears twice", i, p.Dim)
		}
		meltDims[p.Dim] = true
		if p.Row < 0 || p.Row >= max(m.headerRows(), 1) {
			bad("melt.parts[%d]: row %d is not a header line (header_rows %d)", i, p.Row, m.headerRows())
		}
		pat := p.Pattern
		if pat == "" {
			pat = `^(.*)$`
		}
		if p.re, err = regexp.Compile(pat); err != nil || p.re.NumSubexp() < 1 {
			bad("melt.parts[%d]: pattern %q must be a regular expression with one capture group", i, p.Pattern)
		}
		checkRule(bad, fmt.Sprintf("melt.parts[%d]", i), p.Dim, p.Code)
	}
	return meltDims
}

// checkCell checks that c has exactly one source (a column, a value,
// extraCols other columns or a melt part) and compiles its pattern.
func checkCell(bad func(string, ...any), at string, c *Cell, fromMelt bool, extraCols int) {
	sources := 0
	if c.Column != "" {
		sources++
	}
	if c.Value != "" {
		sources++
	}
	sources += extraCols
	if fromMelt {
		sources++
	}
	if sources != 1 {
		bad("%s: give exactly one of column, value (or a melt part)", at)
	}
	if c.Pattern != "" {
		var err error
		if c.re, err = regexp.Compile(c.Pattern); err != nil || c.re.NumSubexp() < 1 {
			bad("%s.pattern: %q must be a regular expression with one capture group", at, c.Pattern)
		}
	}
}

// checkRegion checks the region section.
func (m *Mapping) checkRegion(bad func(string, ...any), meltDims map[string]bool) {
	checkCell(bad, "region", &m.Region.Cell, meltDims["region"], 0)
	checkRule(bad, "region", "region", m.Region.Code)
	switch m.Region.Level {
	case "":
	case "fylke", "kommune":
		if m.Region.Code != "name" {
			bad("region.level: %q applies only to code: name", m.Region.Level)
		}
	default:
		bad("region.level: %q is not fylke or kommune", m.Region.Level)
	}
}

// checkPeriod checks the period section.
func (m *Mapping) checkPeriod(bad func(string, ...any), meltDims map[string]bool) {
	extra := 0
	if len(m.Period.Columns) > 0 || len(m.Period.AnyOf) > 0 {
		extra = 1
	}
	checkCell(bad, "period", &m.Period.Cell, meltDims["period"], extra)
	if !validGranularity(m.Period.Granularity) {
		bad("period.granularity: %q is not month, quarter or year", m.Period.Granularity)
	}
}

// checkDims checks the mapping's dims and returns every dimension ID in
// use (region, period, dims and melt parts).
func (m *Mapping) checkDims(bad func(string, ...any), meltDims map[string]bool) map[string]bool {
	seen := map[string]bool{"region": true, "period": true}
	for i := range m.Dims {
		d := &m.Dims[i]
		at := "dims." + d.ID
		if seen[d.ID] || d.ID == "value" || d.ID == "status" {
			bad("%s: the dimension ID is used twice or reserved", at)
		}
		seen[d.ID] = true
		checkCell(bad, at, &d.Cell, meltDims[d.ID], 0)
		checkRule(bad, at, d.ID, d.Code)
	}
	for d := range meltDims {
		seen[d] = true
	}
	return seen
}

// checkValues checks that exactly one of value, values and melt gives the
// values, and the values section against the dimensions in use.
func (m *Mapping) checkValues(bad func(string, ...any), seen map[string]bool) {
	nv := 0
	if m.Value.Column != "" || m.Value.Last {
		nv++
	}
	if m.Values != nil {
		nv++
		if len(m.Values.Columns) == 0 {
			bad("values.columns: at least one column is required")
		}
		id := m.Values.Dim
		if id == "" {
			id = "ContentsCode"
		}
		if seen[id] {
			bad("values.dim: %q is already a dimension", id)
		}
		for i, c := range m.Values.Columns {
			if c.Column == "" {
				bad("values.columns[%d]: column is required", i)
			}
			if !validMultiply(c.Multiply) {
				bad("values.columns[%d].multiply: %v is not a power of ten", i, c.Multiply)
			}
		}
	}
	if m.Melt != nil {
		nv++
	}
	if nv != 1 {
		bad("give exactly one of value, values or melt")
	}
	if !validMultiply(m.Value.Multiply) {
		bad("value.multiply: %v is not a power of ten", m.Value.Multiply)
	}
}

// checkSeriesBreaks checks the series breaks.
func (m *Mapping) checkSeriesBreaks(bad func(string, ...any)) {
	for i, b := range m.SeriesBreaks {
		if b.Note == "" {
			bad("series_breaks[%d]: note is required", i)
		}
		if b.Period != "" {
			if _, _, err := ParsePeriod(b.Period, ""); err != nil {
				bad("series_breaks[%d].period: %v", i, err)
			}
		}
	}
}

func checkRule(bad func(string, ...any), at, dim, rule string) {
	switch rule {
	case "", "code", "prefix":
	case "name":
		if dim != "region" {
			bad("%s.code: name is only for region", at)
		}
	default:
		bad("%s.code: %q is not code, prefix or name", at, rule)
	}
}

func validGranularity(g string) bool {
	switch g {
	case "", "month", "quarter", "year":
		return true
	}
	return false
}

// validMultiply reports whether f is 0 (no scaling) or a power of ten.
func validMultiply(f float64) bool {
	return f == 0 || multiplyExp(f) != noExp
}

const noExp = 1 << 10

// multiplyExp returns n with 10^n == f, or noExp.
func multiplyExp(f float64) int {
	if f == 0 || f == 1 {
		return 0
	}
	p := 1.0
	for n := 1; n <= 12; n++ {
		p *= 10
		if f == p {
			return n
		}
		if f == 1/p {
			return -n
		}
	}
	return noExp
}
