package offers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/grunnlag/grunnlag/sources/survey"
	"github.com/grunnlag/grunnlag/sources/tabular"
)

// Field names: the columns of the default template, in order.
const (
	FieldProvider     = "tilbyder"
	FieldOrgNr        = "orgnr"
	FieldTitle        = "tittel"
	FieldKind         = "type"
	FieldLevel        = "niva"
	FieldNKR          = "nkr"
	FieldNUS          = "nus"
	FieldAreas        = "kompetanseomrade"
	FieldSTYRK        = "styrk"
	FieldIndustries   = "naering"
	FieldMunicipality = "kommunenr"
	FieldMode         = "form"
	FieldStart        = "start"
	FieldWeeks        = "varighet_uker"
	FieldCredits      = "studiepoeng"
	FieldCapacity     = "kapasitet"
	FieldPrice        = "pris"
	FieldLink         = "lenke"
	FieldGreen        = "gronn"
)

// Columns are the columns of the default template, in order.
var Columns = []string{FieldProvider, FieldOrgNr, FieldTitle, FieldKind, FieldLevel, FieldNKR, FieldNUS, FieldAreas, FieldSTYRK, FieldIndustries, FieldMunicipality, FieldMode, FieldStart, FieldWeeks, FieldCredits, FieldCapacity, FieldPrice, FieldLink, FieldGreen}

// Values of the optional column gronn.
const (
	GreenYes = "ja"
	GreenNo  = "nei"
)

// Kinds are the allowed values of type.
var Kinds = []string{"evu", "fagskole", "uh", "vgs_voksne", "amo"}

// Levels are the allowed values of niva.
var Levels = []string{"vgs", "fagskole", "hoyere", "kurs"}

// NKRLevels are the levels of the Norwegian qualifications framework (NKR):
// 1-8, with fagskole's 5.1 and 5.2 ("5" stands for either).
var NKRLevels = []string{"1", "2", "3", "4", "5", "5.1", "5.2", "6", "7", "8"}

// Modes are the allowed values of form; ModeOnline reaches every region.
var Modes = []string{"stedbasert", "samlingsbasert", ModeOnline}

// ModeOnline is the mode of an offer taken from anywhere.
const ModeOnline = "nett"

// Offer is one accepted offer.
type Offer struct {
	Row          int    // spreadsheet row (header = 1)
	Provider     string // provider's name
	OrgNr        string // 9 digits
	Title        string
	Kind         string   // one of Kinds
	Level        string   // one of Levels
	NKR          string   // one of NKRLevels, "" when not given
	NUS          string   // one digit, "" when not given
	Areas        []string // competence area IDs as given
	STYRK        []string // STYRK-08 codes as given
	Industries   [][2]int // SN2007 division ranges, inclusive
	Municipality string   // "" only for an online offer without a place
	Mode         string   // one of Modes
	Start        time.Time
	Weeks        int     // 0 when not given
	Credits      float64 // NaN when not given
	Capacity     int     // -1 when not given
	Price        float64 // NaN when not given
	Link         string
	// Green is the catalog's own answer to whether the offer serves the
	// green transition: GreenYes, GreenNo, or "" when not given (then
	// pipelines/offers derives it).
	Green string
}

// Problem is one problem at a position in an offers file, formatted as
// the survey's: FILE:ROW:COLUMN: VALUE: REASON.
type Problem = survey.Problem

// Options are the checks that need outside knowledge.
type Options struct {
	// Regions checks municipality codes on Date; nil checks only the form.
	Regions survey.Regions
	// Date is the reference date of municipality codes (the catalog's
	// date); zero means the offer's start, and without one only the form
	// is checked.
	Date time.Time
	// Areas and Occupations report whether a competence area ID or a
	// STYRK-08 code is known; nil accepts any of the right form.
	Areas       func(id string) bool
	Occupations func(code string) bool
	// Limits bound the file read; zero fields are tabular's defaults.
	Limits tabular.Limits
}

// Catalog is a read offers file.
type Catalog struct {
	File     string
	Rows     int // data rows read
	Offers   []Offer
	Rejected []int // rows with at least one problem, ascending
	Problems []Problem
}

// Mapping says how another layout becomes Offers; see the package doc.
type Mapping struct {
	Format    string                       `yaml:"format"`
	Sheet     string                       `yaml:"sheet"`
	Encoding  string                       `yaml:"encoding"`
	Delimiter string                       `yaml:"delimiter"`
	Decimal   string                       `yaml:"decimal"`
	SkipRows  int                          `yaml:"skip_rows"`
	Columns   map[string]string            `yaml:"columns"`
	Values    map[string]map[string]string `yaml:"values"`
	Ignore    []string                     `yaml:"ignore"`
}

// ParseMapping reads a mapping from YAML, strictly; every problem is
// reported at once.
func ParseMapping(data []byte) (*Mapping, error) {
	var m Mapping
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("offers: mapping: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// LoadMappingFile reads a mapping file.
func LoadMappingFile(path string) (*Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("offers: mapping: %w", err)
	}
	m, err := ParseMapping(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Validate returns every problem of the mapping at once.
func (m *Mapping) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("offers: mapping: "+format, a...)) }
	switch m.Format {
	case "", "csv", "xlsx":
	default:
		bad("format %q: use csv or xlsx", m.Format)
	}
	switch m.Decimal {
	case "", ".", ",":
	default:
		bad("decimal %q: use \".\" or \",\"", m.Decimal)
	}
	if m.SkipRows < 0 {
		bad("skip_rows %d is negative", m.SkipRows)
	}
	for f, h := range m.Columns {
		if !slices.Contains(Columns, f) {
			bad("columns: unknown field %q (fields: %s)", f, strings.Join(Columns, ", "))
		}
		if strings.TrimSpace(h) == "" {
			bad("columns: field %q has an empty header", f)
		}
	}
	for f := range m.Values {
		if !slices.Contains(Columns, f) {
			bad("values: unknown field %q", f)
		}
	}
	return errors.Join(errs...)
}

func (m *Mapping) header(f string) string {
	if h, ok := m.Columns[f]; ok {
		return h
	}
	return f
}

func (m *Mapping) value(f, raw string) string {
	t := strings.TrimSpace(raw)
	for k, v := range m.Values[f] {
		if strings.EqualFold(strings.TrimSpace(k), t) {
			return v
		}
	}
	return t
}

// ReadFile reads an offers file as a stream; m nil means the default
// template. The error is for a file that cannot be read as a table at all;
// every other problem is in Catalog.Problems.
func ReadFile(path string, m *Mapping, opt Options) (*Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("offers: %w", err)
	}
	defer f.Close()
	if err := tabular.CheckSize(path, f, opt.Limits); err != nil {
		return nil, fmt.Errorf("offers: %w", err)
	}
	return parse(path, f, m, opt)
}

// Parse reads an offers file from bytes; file names it in problems.
func Parse(file string, data []byte, m *Mapping, opt Options) (*Catalog, error) {
	return parse(file, bytes.NewReader(data), m, opt)
}

func parse(file string, r io.ReadSeeker, m *Mapping, opt Options) (*Catalog, error) {
	if m == nil {
		m = &Mapping{}
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
		return nil, fmt.Errorf("offers: %w", err)
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
	c    *Catalog
	bad  bool
}

func (p *parser) problem(row int, col, val, reason string) {
	p.c.Problems = append(p.c.Problems, Problem{File: p.file, Row: row, Column: col, Value: val, Reason: reason})
	p.bad = true
}

// required are the fields that must have a column (kommunenr may be empty
// on an online offer, but the column must be there).
var required = []string{FieldProvider, FieldOrgNr, FieldTitle, FieldKind, FieldLevel, FieldMunicipality, FieldMode}

func (p *parser) run(t *tabular.Table) *Catalog {
	p.c = &Catalog{File: p.file, Rows: len(t.Rows)}
	headerRow := 1 + p.m.SkipRows
	idx := map[string]int{}
	for i, h := range t.Header[0] {
		k := strings.ToLower(strings.TrimSpace(h))
		if _, dup := idx[k]; dup {
			p.problem(headerRow, h, h, "kolonnen finnes to ganger")
			continue
		}
		idx[k] = i
	}
	cols := map[string]int{}
	used := map[int]bool{}
	for _, f := range Columns {
		h := p.m.header(f)
		i, ok := idx[strings.ToLower(strings.TrimSpace(h))]
		if !ok {
			i = -1
			if slices.Contains(required, f) {
				p.problem(headerRow, h, "", "kolonnen mangler")
			}
		} else {
			used[i] = true
		}
		cols[f] = i
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
	if p.bad {
		p.c.Rejected = append(p.c.Rejected, t.Line...)
		return p.c
	}
	seen := map[string]int{}
	for r, rec := range t.Rows {
		row := t.Line[r]
		p.bad = false
		raw := func(f string) string {
			i := cols[f]
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		get := func(f string) string { return p.m.value(f, raw(f)) }
		o, ok := p.offer(row, raw, get)
		key := strings.Join([]string{o.OrgNr, strings.ToLower(o.Title), o.Municipality, o.Mode, o.Start.Format(time.DateOnly)}, "\x00")
		if first, dup := seen[key]; dup && ok {
			p.problem(row, p.m.header(FieldTitle), raw(FieldTitle), fmt.Sprintf("duplikat av rad %d (samme tilbyder, tittel, sted, form og start)", first))
			ok = false
		}
		if !ok {
			p.c.Rejected = append(p.c.Rejected, row)
			continue
		}
		seen[key] = row
		p.c.Offers = append(p.c.Offers, o)
	}
	return p.c
}

// offerRow is one catalog row being read: its getters and whether it is
// still without problems.
type offerRow struct {
	p        *parser
	row      int
	raw, get func(string) string
	ok       bool
}

// prob records a problem of field f with value v.
func (r *offerRow) prob(f, v, reason string) {
	r.p.problem(r.row, r.p.m.header(f), v, reason)
	r.ok = false
}

// need returns the value of a required field, recording a problem when it
// is empty.
func (r *offerRow) need(f string) (string, bool) {
	v := r.get(f)
	if v == "" {
		r.prob(f, "", "mangler (påkrevd)")
		return "", false
	}
	return v, true
}

// enum returns the value of a required field that must be one of list.
func (r *offerRow) enum(f string, list []string) string {
	v, has := r.need(f)
	if !has {
		return ""
	}
	if !slices.Contains(list, v) {
		r.prob(f, r.raw(f), "må være en av "+strings.Join(list, ", "))
		return ""
	}
	return v
}

// offer reads one row.
func (p *parser) offer(row int, raw, get func(string) string) (Offer, bool) {
	o := Offer{Row: row, Capacity: -1, Credits: math.NaN(), Price: math.NaN()}
	r := &offerRow{p: p, row: row, raw: raw, get: get, ok: true}
	r.identity(&o)
	r.classification(&o)
	r.fields(&o)
	r.place(&o)
	r.amounts(&o)
	return o, r.ok
}

// identity reads the provider, the title and the organisation number.
func (r *offerRow) identity(o *Offer) {
	if v, has := r.need(FieldProvider); has {
		o.Provider = v
	}
	if v, has := r.need(FieldTitle); has {
		o.Title = v
	}
	if rawOrg, has := r.need(FieldOrgNr); has {
		org := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\u00a0' {
				return -1
			}
			return r
		}, rawOrg)
		switch {
		case len(org) != 9 || strings.Trim(org, "0123456789") != "":
			r.prob(FieldOrgNr, rawOrg, "organisasjonsnummeret må ha 9 sifre")
		case !survey.ValidOrgNr(org):
			r.prob(FieldOrgNr, rawOrg, "kontrollsifferet stemmer ikke (MOD11)")
		default:
			o.OrgNr = org
		}
	}
}

// classification reads the kind, level, mode and NKR level.
func (r *offerRow) classification(o *Offer) {
	o.Kind = r.enum(FieldKind, Kinds)
	o.Level = r.enum(FieldLevel, Levels)
	o.Mode = r.enum(FieldMode, Modes)
	if v := r.get(FieldNKR); v != "" {
		n := strings.Replace(v, ",", ".", 1)
		switch {
		case slices.Contains(NKRLevels, n):
			o.NKR = n
		case strings.Trim(n, "0123456789.") != "":
			r.prob(FieldNKR, r.raw(FieldNKR), "må være et NKR-nivå (1-8, eller 5.1 og 5.2 for fagskole)")
		default:
			r.prob(FieldNKR, r.raw(FieldNKR), "NKR-nivået må være mellom 1 og 8 (eller 5.1 eller 5.2)")
		}
	}
}

// fields reads the NUS field, competence areas, STYRK-08 codes and SN2007
// industries; an offer needs at least one of them.
func (r *offerRow) fields(o *Offer) {
	if v := r.get(FieldNUS); v != "" {
		if len(v) != 1 || v[0] < '0' || v[0] > '9' {
			r.prob(FieldNUS, r.raw(FieldNUS), "NUS-fagfeltet må være ett siffer 0-9")
		} else {
			o.NUS = v
		}
	}
	for _, a := range list(r.get(FieldAreas)) {
		known := r.p.opt.Areas
		if known == nil {
			known = func(id string) bool { return strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789_") == "" }
		}
		if !known(a) {
			r.prob(FieldAreas, a, "ukjent kompetanseområde (se krysslisten)")
			continue
		}
		o.Areas = append(o.Areas, a)
	}
	for _, s := range list(r.get(FieldSTYRK)) {
		switch {
		case len(s) > 4 || strings.Trim(s, "0123456789") != "":
			r.prob(FieldSTYRK, s, "STYRK-08-koden må ha 1-4 sifre")
		case r.p.opt.Occupations != nil && !r.p.opt.Occupations(s):
			r.prob(FieldSTYRK, s, "ukjent STYRK-08-kode")
		default:
			o.STYRK = append(o.STYRK, s)
		}
	}
	for _, s := range list(r.get(FieldIndustries)) {
		rg, err := parseRange(s)
		if err != nil {
			r.prob(FieldIndustries, s, "må være en SN2007-næring (to sifre, 01-99) eller et spenn som 41-43")
			continue
		}
		o.Industries = append(o.Industries, rg)
	}
	if r.ok && o.NUS == "" && len(o.Areas) == 0 && len(o.STYRK) == 0 && len(o.Industries) == 0 {
		r.prob(FieldAreas, "", "tilbudet mangler fagfelt: fyll ut minst én av nus, kompetanseomrade, styrk og naering")
	}
}

// place reads the start date and the municipality (not needed online).
func (r *offerRow) place(o *Offer) {
	if v := r.get(FieldStart); v != "" {
		d, err := parseDate(v, r.p.xlsx)
		if err != nil {
			r.prob(FieldStart, r.raw(FieldStart), "ikke en dato på formen ÅÅÅÅ-MM-DD")
		} else {
			o.Start = d
		}
	}
	mun := r.get(FieldMunicipality)
	switch {
	case mun == "" && o.Mode == ModeOnline:
	case mun == "":
		r.prob(FieldMunicipality, "", "mangler (påkrevd når tilbudet ikke er på nett)")
	case len(mun) != 4 || strings.Trim(mun, "0123456789") != "":
		r.prob(FieldMunicipality, r.raw(FieldMunicipality), "kommunenummeret må ha 4 sifre")
	default:
		d := r.p.opt.Date
		if d.IsZero() {
			d = o.Start
		}
		if r.p.opt.Regions != nil && !d.IsZero() {
			if err := r.p.opt.Regions.ValidMunicipality(mun, d); err != nil {
				r.prob(FieldMunicipality, r.raw(FieldMunicipality), "ukjent kommunenummer (gjaldt ikke på "+d.Format(time.DateOnly)+")")
				break
			}
		}
		o.Municipality = mun
	}
}

// amounts reads the weeks, credits, capacity, price and link.
func (r *offerRow) amounts(o *Offer) {
	if v := r.get(FieldWeeks); v != "" {
		if n, err := r.p.whole(v); err != nil {
			r.prob(FieldWeeks, r.raw(FieldWeeks), "må være et helt antall uker")
		} else if n < 1 || n > 520 {
			r.prob(FieldWeeks, r.raw(FieldWeeks), "må være mellom 1 og 520 uker")
		} else {
			o.Weeks = n
		}
	}
	if v := r.get(FieldCredits); v != "" {
		if f, err := tabular.ParseNumber(v, r.p.dec); err != nil {
			r.prob(FieldCredits, r.raw(FieldCredits), "må være et tall")
		} else if f < 0 || f > 300 {
			r.prob(FieldCredits, r.raw(FieldCredits), "må være mellom 0 og 300 studiepoeng")
		} else {
			o.Credits = f
		}
	}
	if v := r.get(FieldCapacity); v != "" {
		if n, err := r.p.whole(v); err != nil {
			r.prob(FieldCapacity, r.raw(FieldCapacity), "må være et helt tall (antall plasser)")
		} else if n < 0 || n > 100000 {
			r.prob(FieldCapacity, r.raw(FieldCapacity), "må være mellom 0 og 100 000 plasser")
		} else {
			o.Capacity = n
		}
	}
	if v := r.get(FieldPrice); v != "" {
		if f, err := tabular.ParseNumber(v, r.p.dec); err != nil {
			r.prob(FieldPrice, r.raw(FieldPrice), "må være et tall (kroner)")
		} else if f < 0 || f > 1e8 {
			r.prob(FieldPrice, r.raw(FieldPrice), "må være mellom 0 og 100 000 000 kroner")
		} else {
			o.Price = f
		}
	}
	if v := r.get(FieldLink); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			r.prob(FieldLink, r.raw(FieldLink), "må være en nettadresse som begynner med http:// eller https://")
		} else {
			o.Link = v
		}
	}
	switch v := strings.ToLower(r.get(FieldGreen)); v {
	case "", GreenYes, GreenNo:
		o.Green = v
	default:
		r.prob(FieldGreen, r.raw(FieldGreen), "må være ja, nei eller tom (tom: avledes av næring og kompetanseområde)")
	}
}

// list splits a ','-separated cell, dropping empty items.
func list(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// parseRange reads "41" or "41-43" as an inclusive SN2007 division range.
func parseRange(s string) ([2]int, error) {
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(lo))
	b, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil || len(strings.TrimSpace(lo)) != 2 || len(strings.TrimSpace(hi)) != 2 || a < 1 || b > 99 || a > b {
		return [2]int{}, fmt.Errorf("offers: %q is not an SN2007 division range", s)
	}
	return [2]int{a, b}, nil
}

// whole parses a whole number written as in statistics files.
func (p *parser) whole(s string) (int, error) {
	f, err := tabular.ParseNumber(s, p.dec)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1e9 {
		return 0, fmt.Errorf("offers: %q is not a whole number", s)
	}
	return int(f), nil
}

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDate accepts YYYY-MM-DD, DD.MM.YYYY and, in a workbook, an Excel
// date serial.
func parseDate(s string, serial bool) (time.Time, error) {
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
	return time.Time{}, fmt.Errorf("offers: %q is not a date", s)
}
