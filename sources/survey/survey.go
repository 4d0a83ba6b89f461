package survey

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/sources/tabular"
)

// Response is one accepted need (or "no need" answer) of one company.
type Response struct {
	// Row is the spreadsheet row the response came from (header = 1).
	Row int
	// OrgNr is the 9-digit organisation number, without spaces.
	OrgNr string
	// Municipality is the municipality code as given.
	Municipality string
	// Date is the survey date (UTC midnight).
	Date time.Time
	// NoNeed is true for a company that reported no need; the need fields
	// are then empty.
	NoNeed bool
	// Area is the competence area ID ("" when only Text is given).
	Area string
	// Text is the free-text description.
	Text string
	// Level is one of Levels.
	Level string
	// People is the number of people needed (>= 1 on a need row).
	People int
	// Horizon is the horizon in years 0-10, or -1 when not given.
	Horizon int
	// Urgency is one of Urgencies, or "" when not given.
	Urgency string
}

// MaxRowLines is the most file lines one survey row may span (line breaks
// inside a quoted cell); a row over more lines is a problem, the sign of a
// stray quote that joins rows.
const MaxRowLines = 10

// Problem is one problem at a position in a survey file.
type Problem struct {
	File   string
	Row    int    // spreadsheet row, header = 1; 0 for the whole file
	Column string // the header in the file ("" when about the row)
	Value  string // the raw cell
	Reason string // bokmål
}

// String formats the problem as FILE:ROW:COLUMN: VALUE: REASON.
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%s: %s: %s", p.File, p.Row, p.Column, p.Value, p.Reason)
}

// Regions says whether a municipality code is valid on a date. It is owned
// here and implemented by the caller over the region model.
type Regions interface {
	ValidMunicipality(code string, date time.Time) error
}

// Options are the checks that need outside knowledge.
type Options struct {
	// Regions checks municipality codes; nil checks only the form (4 digits).
	Regions Regions
	// Areas reports whether a competence area ID is known (the crosswalk);
	// nil accepts any non-empty ID in snake_case.
	Areas func(id string) bool
	// Today is the latest allowed survey date; zero skips the check.
	Today time.Time
	// Limits bound the file read (size, row, cell, cells); zero fields are
	// tabular's defaults.
	Limits tabular.Limits
}

// Survey is a read survey file.
type Survey struct {
	File string
	// Rows is the number of data rows read (empty rows are not counted).
	Rows int
	// Lines is the number of file lines those rows span: Rows, plus the
	// line breaks inside quoted cells. Far more lines than rows means
	// quotes that join rows (see tabular.Table.Lines).
	Lines int
	// Responses are the accepted responses, in file order.
	Responses []Response
	// Rejected are the rows with at least one problem, ascending.
	Rejected []int
	// Problems are every problem, by row then column order.
	Problems []Problem
}

// ReadFile reads a survey file as a stream; the format is the mapping's,
// else the file name's extension (.xlsx or anything else as CSV). m nil
// means the default template.
func ReadFile(path string, m *Mapping, opt Options) (*Survey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("survey: %w", err)
	}
	defer f.Close()
	if err := tabular.CheckSize(path, f, opt.Limits); err != nil {
		return nil, fmt.Errorf("survey: %w", err)
	}
	return parse(path, f, m, opt)
}

// Parse reads a survey from bytes; file names it in problems. The error is
// for a file that cannot be read as a table at all (not a workbook, an
// undecodable encoding, no header, a quoting mistake, a row with too few
// cells, a limit passed); every other problem is in Survey.Problems.
func Parse(file string, data []byte, m *Mapping, opt Options) (*Survey, error) {
	return parse(file, bytes.NewReader(data), m, opt)
}

func parse(file string, r io.ReadSeeker, m *Mapping, opt Options) (*Survey, error) {
	if m == nil {
		m = DefaultMapping()
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	format := m.Format
	if format == "" {
		format = "csv"
		if strings.EqualFold(filepath.Ext(file), ".xlsx") {
			format = "xlsx"
		}
	}
	tm := &tabular.Mapping{Encoding: m.Encoding, Delimiter: m.Delimiter, SkipRows: m.SkipRows, Sheet: m.Sheet}
	var t *tabular.Table
	var err error
	if format == "xlsx" {
		t, err = tabular.ReadXLSXWith(file, r, tm, opt.Limits)
	} else {
		t, err = tabular.ReadCSVFrom(file, r, tm, opt.Limits)
	}
	if err != nil {
		return nil, fmt.Errorf("survey: %w", err)
	}
	p := &parser{file: file, m: m, opt: opt, xlsx: format == "xlsx", dec: '.'}
	if m.Decimal == "," {
		p.dec = ','
	}
	return p.run(t), nil
}

type parser struct {
	file string
	m    *Mapping
	opt  Options
	xlsx bool
	dec  byte
	s    *Survey
	bad  bool
}

func (p *parser) problem(row int, col, val, reason string) {
	p.s.Problems = append(p.s.Problems, Problem{File: p.file, Row: row, Column: col, Value: val, Reason: reason})
	p.bad = true
}

func (p *parser) run(t *tabular.Table) *Survey {
	p.s = &Survey{File: p.file, Rows: len(t.Rows), Lines: t.Lines}
	cols := p.columns(t)
	if p.bad {
		// Without the right columns no row can be read.
		p.s.Rejected = append(p.s.Rejected, t.Line...)
		return p.s
	}
	seen := map[string]int{}
	for r, rec := range t.Rows {
		row := t.Line[r]
		p.bad = false
		if r < len(t.End) && t.End[r]-row+1 > MaxRowLines {
			p.problem(row, "", "", fmt.Sprintf("raden går over linje %d–%d i filen: et anførselstegn slår trolig sammen rader (sjekk anførselstegnene)", row, t.End[r]))
		}
		cell := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		base, dateOK := p.firm(row, cell, cols.firm)
		p.municipality(row, cell(cols.firm[FieldMunicipality]), dateOK, &base)
		out := p.needs(row, cell, cols, base)
		p.duplicates(row, rec, cols.firm, out, seen)
		if p.bad {
			p.s.Rejected = append(p.s.Rejected, row)
			continue
		}
		p.s.Responses = append(p.s.Responses, out...)
	}
	return p.s
}

// columnLayout is where the mapping's fields are in the file: a column
// index per firm field and, per need group, per need field (-1 where
// missing).
type columnLayout struct {
	firm   map[string]int
	groups []map[string]string
	gcols  []map[string]int
}

// columns finds the mapping's columns in the header, reporting duplicate,
// missing and unknown columns.
func (p *parser) columns(t *tabular.Table) columnLayout {
	headerRow := 1 + p.m.SkipRows
	idx := map[string]int{}
	used := map[int]bool{}
	for i, h := range t.Header[0] {
		k := strings.ToLower(strings.TrimSpace(h))
		if _, dup := idx[k]; dup {
			p.problem(headerRow, h, h, "kolonnen finnes to ganger")
			used[i] = true
			continue
		}
		idx[k] = i
	}
	col := func(h string) int {
		i, ok := idx[strings.ToLower(strings.TrimSpace(h))]
		if !ok {
			return -1
		}
		used[i] = true
		return i
	}
	cols := columnLayout{firm: map[string]int{}, groups: p.m.groups()}
	for _, f := range firmFields {
		h := p.m.header(f)
		i := col(h)
		if i < 0 && !(f == FieldDate && p.m.Date != "") {
			p.problem(headerRow, h, "", "kolonnen mangler")
		}
		cols.firm[f] = i
	}
	cols.gcols = make([]map[string]int, len(cols.groups))
	for g, grp := range cols.groups {
		cols.gcols[g] = map[string]int{}
		for _, f := range needFields {
			h, ok := grp[f]
			if !ok {
				cols.gcols[g][f] = -1
				continue
			}
			i := col(h)
			if i < 0 {
				p.problem(headerRow, h, "", "kolonnen mangler")
			}
			cols.gcols[g][f] = i
		}
	}
	ignore := map[string]bool{}
	for _, h := range p.m.Ignore {
		ignore[strings.ToLower(strings.TrimSpace(h))] = true
	}
	for i, h := range t.Header[0] {
		if !used[i] && !ignore[strings.ToLower(strings.TrimSpace(h))] && strings.TrimSpace(h) != "" {
			p.problem(headerRow, h, h, "ukjent kolonne (list den under ignore: i mappingen om den skal hoppes over)")
		}
	}
	return cols
}

// firm reads a row's organisation number and date into a response; ok
// is false when the date could not be read.
func (p *parser) firm(row int, cell func(int) string, firm map[string]int) (base Response, dateOK bool) {
	base = Response{Row: row}
	h := p.m.header(FieldOrgNr)
	raw := cell(firm[FieldOrgNr])
	org := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' {
			return -1
		}
		return r
	}, raw)
	switch {
	case raw == "":
		p.problem(row, h, raw, "mangler (påkrevd)")
	case len(org) != 9 || strings.Trim(org, "0123456789") != "":
		p.problem(row, h, raw, "organisasjonsnummeret må ha 9 sifre")
	case !ValidOrgNr(org):
		p.problem(row, h, raw, "kontrollsifferet stemmer ikke (MOD11)")
	}
	base.OrgNr = org
	i := firm[FieldDate]
	if i < 0 && p.m.Date != "" {
		base.Date, _ = parseDate(p.m.Date, false)
		return base, true
	}
	h = p.m.header(FieldDate)
	raw = cell(i)
	if raw == "" && p.m.Date != "" {
		raw = p.m.Date
	}
	d, err := parseDate(raw, p.xlsx)
	switch {
	case raw == "":
		p.problem(row, h, raw, "mangler (påkrevd)")
	case err != nil:
		p.problem(row, h, raw, "ikke en dato på formen ÅÅÅÅ-MM-DD")
	case !p.opt.Today.IsZero() && d.After(p.opt.Today):
		p.problem(row, h, raw, "datoen er i fremtiden")
	default:
		base.Date, dateOK = d, true
	}
	return base, dateOK
}

// municipality checks a row's municipality number raw (valid on the
// row's date when that could be read) and sets it on base.
func (p *parser) municipality(row int, raw string, dateOK bool, base *Response) {
	h := p.m.header(FieldMunicipality)
	switch {
	case raw == "":
		p.problem(row, h, raw, "mangler (påkrevd)")
	case len(raw) != 4 || strings.Trim(raw, "0123456789") != "":
		p.problem(row, h, raw, "kommunenummeret må ha 4 sifre")
	case dateOK && p.opt.Regions != nil:
		if err := p.opt.Regions.ValidMunicipality(raw, base.Date); err != nil {
			p.problem(row, h, raw, "kommunenummeret gjaldt ikke på "+base.Date.Format(time.DateOnly))
		}
	}
	base.Municipality = raw
}

// needs reads a row's need groups into responses: one per non-empty
// group, or one with NoNeed when a row with several groups gives none.
func (p *parser) needs(row int, cell func(int) string, cols columnLayout, base Response) []Response {
	var out []Response
	for g := range cols.groups {
		gc := cols.gcols[g]
		get := func(f string) string { return cell(gc[f]) }
		empty := true
		for _, f := range needFields {
			if get(f) != "" {
				empty = false
			}
		}
		if empty && len(cols.groups) > 1 {
			continue
		}
		r := base
		r.Horizon = -1
		if rr, ok := p.need(row, cols.groups[g], get, r); ok {
			out = append(out, rr)
		}
	}
	if len(out) == 0 && len(cols.groups) > 1 && !p.bad {
		r := base
		r.NoNeed, r.Horizon = true, -1
		out = append(out, r)
	}
	return out
}

// duplicates reports responses an earlier row gave (same firm, date,
// area, text, level and no-need) and, when the row is good, remembers
// its responses in seen.
func (p *parser) duplicates(row int, rec []string, firm map[string]int, out []Response, seen map[string]int) {
	keys := make([]string, len(out))
	for i, r := range out {
		keys[i] = strings.Join([]string{r.OrgNr, r.Date.Format(time.DateOnly), r.Area, strings.ToLower(r.Text), r.Level, strconv.FormatBool(r.NoNeed)}, "\x00")
		if first, dup := seen[keys[i]]; dup {
			p.problem(row, p.m.header(FieldOrgNr), raw0(rec, firm[FieldOrgNr]), fmt.Sprintf("duplikat av rad %d", first))
		}
	}
	if !p.bad {
		for _, k := range keys {
			seen[k] = row
		}
	}
}

func raw0(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// need reads one need group of a row.
func (p *parser) need(row int, grp map[string]string, get func(string) string, r Response) (Response, bool) {
	hdr := func(f string) string {
		if h, ok := grp[f]; ok {
			return h
		}
		return f
	}
	area := p.m.value(FieldArea, get(FieldArea))
	text := get(FieldText)
	level := p.m.value(FieldLevel, get(FieldLevel))
	people := get(FieldPeople)
	horizon := get(FieldHorizon)
	urg := p.m.value(FieldUrgency, get(FieldUrgency))
	ok := true
	prob := func(f, v, reason string) { p.problem(row, hdr(f), v, reason); ok = false }
	if area == "" && text == "" {
		r.NoNeed = true
		for _, f := range []string{FieldLevel, FieldPeople, FieldHorizon, FieldUrgency} {
			if v := get(f); v != "" {
				prob(f, v, "skal være tom når raden ikke har kompetanseområde eller beskrivelse (ingen behov)")
			}
		}
		return r, ok
	}
	if area != "" {
		known := p.opt.Areas
		if known == nil {
			known = func(id string) bool {
				return id != "" && strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789_") == ""
			}
		}
		if !known(area) {
			prob(FieldArea, get(FieldArea), "ukjent kompetanseområde (se krysslisten)")
		}
	}
	r.Area, r.Text = area, text
	switch {
	case level == "":
		prob(FieldLevel, level, "mangler (påkrevd når raden har et behov)")
	case !isField(level, Levels):
		prob(FieldLevel, get(FieldLevel), "må være en av "+strings.Join(Levels, ", "))
	default:
		r.Level = level
	}
	if people == "" {
		prob(FieldPeople, people, "mangler (påkrevd når raden har et behov)")
	} else if n, err := p.whole(people); err != nil {
		prob(FieldPeople, people, "må være et helt tall")
	} else if n < 1 {
		prob(FieldPeople, people, "må være minst 1")
	} else if n > 100000 {
		prob(FieldPeople, people, "urimelig stort (mer enn 100 000)")
	} else {
		r.People = n
	}
	if horizon != "" {
		if n, err := p.whole(horizon); err != nil {
			prob(FieldHorizon, horizon, "må være et helt antall år")
		} else if n < 0 || n > 10 {
			prob(FieldHorizon, horizon, "må være mellom 0 og 10 år")
		} else {
			r.Horizon = n
		}
	}
	if urg != "" {
		if strings.EqualFold(urg, "høy") {
			urg = "hoy"
		}
		if !isField(urg, Urgencies) {
			prob(FieldUrgency, get(FieldUrgency), "må være lav, middels eller hoy")
		} else {
			r.Urgency = urg
		}
	}
	return r, ok
}

// whole parses a whole number written as in statistics files.
func (p *parser) whole(s string) (int, error) {
	f, err := tabular.ParseNumber(s, p.dec)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1e9 {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return int(f), nil
}

// excelEpoch is day 0 of Excel's 1900 date system (with its leap-year bug:
// serials from 61 on are one day ahead, which this epoch absorbs).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDate accepts YYYY-MM-DD, DD.MM.YYYY and, when serial is true, an
// Excel date serial (whole days, 1 to 2958465).
func parseDate(s string, serial bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d, nil
	}
	if d, err := time.Parse("02.01.2006", s); err == nil {
		return d, nil
	}
	if serial {
		if n, err := strconv.ParseFloat(s, 64); err == nil && n >= 61 && n < 2958466 && n == math.Trunc(n) {
			return excelEpoch.AddDate(0, 0, int(n)), nil
		}
	}
	return time.Time{}, fmt.Errorf("survey: %q is not a date", s)
}
