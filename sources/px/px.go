package px

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"

	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// Error classes (see Error.Err).
var (
	// ErrSyntax is the class of an error in the file's syntax or content.
	ErrSyntax = errors.New("invalid PX file")
	// ErrUnsupported is the class of an error for a valid PX feature this
	// package does not read (KEYS).
	ErrUnsupported = errors.New("unsupported PX feature")
	// ErrLanguage is the class of the error for a language the file does
	// not have.
	ErrLanguage = errors.New("language not in the file")
)

// Options tune Decode.
type Options struct {
	// Name is the file name (or URL) used in errors.
	Name string
	// Language chooses the language of the labels: "" or the file's
	// LANGUAGE for the default, else one of its LANGUAGES.
	Language string
	// MaxCells is the most cells the table may declare; 0 means
	// jsonstat.DefaultMaxCells.
	MaxCells int
}

// Error is an error in a PX file, at a line and keyword.
type Error struct {
	File    string // Options.Name; may be empty
	Line    int    // 1-based; 0 when not known
	Keyword string // the keyword concerned; may be empty
	Msg     string
	// Err is the class of the error (ErrSyntax, ErrUnsupported,
	// ErrLanguage, jsonstat.ErrTooManyCells) or the read error.
	Err error
}

// Error formats as "px: FILE:LINE: KEYWORD: reason", leaving out the parts
// that are not known.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("px: ")
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	case e.File != "":
		b.WriteString(e.File + ": ")
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Keyword != "" {
		b.WriteString(e.Keyword + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// missingSymbols are the PX symbols for a missing cell, each mapped to
// itself so that a cell's status shares one string.
var missingSymbols = map[string]string{
	".": ".", "..": "..", "...": "...", "....": "....", ".....": ".....", "......": "......", "-": "-", ":": ":",
}

// IsMissing reports whether s is one of the PX missing-value symbols ".",
// "..", "...", "....", ".....", "......", "-" and ":".
func IsMissing(s string) bool { return missingSymbols[s] != "" }

// Decode reads one PX file from r into a dataset (see the package
// documentation). Errors are *Error.
func Decode(r io.Reader, opt Options) (*jsonstat.Dataset, error) {
	s := newScanner(r, opt.Name)
	bom := s.skipBOM()
	var entries []*entry
	for {
		e, err := s.entry()
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: opt.Name, Line: s.line, Msg: "no DATA keyword", Err: ErrSyntax}
		}
		if err != nil {
			return nil, err
		}
		if e.keyword == "KEYS" {
			return nil, &Error{File: opt.Name, Line: e.line, Keyword: e.keyword, Msg: "sparse data (KEYS) is not supported", Err: ErrUnsupported}
		}
		if e.keyword == "DATA" {
			if e.lang != "" || e.sub != nil {
				return nil, &Error{File: opt.Name, Line: e.line, Keyword: e.keyword, Msg: "DATA takes no language or subkey", Err: ErrSyntax}
			}
			break
		}
		entries = append(entries, e)
	}
	h, err := newHeader(opt, entries, bom)
	if err != nil {
		return nil, err
	}
	t, err := h.table()
	if err != nil {
		return nil, err
	}
	t.max = opt.MaxCells
	if err := t.readData(s, shownSymbols(h.dataSymbols())); err != nil {
		return nil, err
	}
	return t.ds, nil
}

// header is the decoded header, indexed by keyword, language and subkeys.
type header struct {
	file    string
	list    []*entry
	idx     map[string]*entry
	defLang string
	langs   []string
	sel     string // chosen language; "" for the default
}

func key(kw, lang string, sub []string) string {
	return kw + "\x00" + lang + "\x00" + strings.Join(sub, "\x00")
}

// structural keywords may be given once per language and subkey.
var structural = map[string]bool{
	"CHARSET": true, "CODEPAGE": true, "LANGUAGE": true, "LANGUAGES": true, "STUB": true, "HEADING": true,
	"VALUES": true, "CODES": true, "VARIABLECODE": true, "CONTVARIABLE": true, "DECIMALS": true,
	"SHOWDECIMALS": true, "TIMEVAL": true, "UNITS": true, "PRECISION": true,
}

func (h *header) errorf(e *entry, class error, format string, args ...any) *Error {
	err := &Error{File: h.file, Msg: fmt.Sprintf(format, args...), Err: class}
	if e != nil {
		err.Line, err.Keyword = e.line, e.keyword
	}
	return err
}

func newHeader(opt Options, entries []*entry, bom bool) (*header, error) {
	h := &header{file: opt.Name, list: entries, idx: map[string]*entry{}}
	conv, err := h.charset(bom)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		for i, s := range e.sub {
			if e.sub[i], err = conv(s); err != nil {
				return nil, h.errorf(e, ErrSyntax, "%v", err)
			}
		}
		for i := range e.items {
			if e.items[i].text, err = conv(e.items[i].text); err != nil {
				return nil, h.errorf(e, ErrSyntax, "%v", err)
			}
		}
	}
	if e := h.first("LANGUAGE"); e != nil {
		if h.defLang, err = h.one(e); err != nil {
			return nil, err
		}
	}
	if e := h.first("LANGUAGES"); e != nil {
		h.langs = e.strings()
	}
	for _, e := range entries {
		if e.lang != "" && e.lang == h.defLang {
			e.lang, e.relabelled = "", true // KEYWORD[default]: as if unlabelled
		}
		k := key(e.keyword, e.lang, e.sub)
		prev, ok := h.idx[k]
		switch {
		case !ok:
			h.idx[k] = e
		case prev.relabelled && !e.relabelled:
			h.idx[k] = e // the unlabelled entry wins over KEYWORD[default]
		case structural[e.keyword] && !prev.relabelled && !e.relabelled:
			return nil, h.errorf(e, ErrSyntax, "given twice (first on line %d)", prev.line)
		}
	}
	if opt.Language != "" && opt.Language != h.defLang {
		if !slices.Contains(h.langs, opt.Language) {
			have := h.langs
			if len(have) == 0 && h.defLang != "" {
				have = []string{h.defLang}
			}
			return nil, &Error{File: h.file, Keyword: "LANGUAGES",
				Msg: fmt.Sprintf("language %q is not in the file (it has %s)", opt.Language, orNone(have)), Err: ErrLanguage}
		}
		h.sel = opt.Language
	}
	return h, nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "no language list"
	}
	return strings.Join(s, ", ")
}

// first returns the first entry with keyword kw and no language or
// subkey, before languages are normalised.
func (h *header) first(kw string) *entry {
	for _, e := range h.list {
		if e.keyword == kw && e.lang == "" && e.sub == nil {
			return e
		}
	}
	return nil
}

// charset returns the conversion of the header's raw strings to UTF-8.
func (h *header) charset(bom bool) (func(string) (string, error), error) {
	strict := func(s string) (string, error) {
		if !utf8.ValidString(s) {
			return "", fmt.Errorf("invalid UTF-8 in %q", strings.ToValidUTF8(s, "\uFFFD"))
		}
		return s, nil
	}
	with := func(enc encoding.Encoding) func(string) (string, error) {
		dec := enc.NewDecoder()
		return func(s string) (string, error) { return dec.String(s) }
	}
	if bom {
		return strict, nil
	}
	if e := h.first("CODEPAGE"); e != nil {
		label, err := h.one(e)
		if err != nil {
			return nil, err
		}
		switch l := strings.ToLower(strings.TrimSpace(label)); l {
		case "utf-8", "utf8":
			return strict, nil
		case "ibm850", "cp850", "850":
			return with(charmap.CodePage850), nil
		case "ibm437", "cp437", "437":
			return with(charmap.CodePage437), nil
		default:
			enc, err := htmlindex.Get(l)
			if err != nil {
				return nil, h.errorf(e, ErrUnsupported, "unknown code page %q", label)
			}
			if enc == encoding.Replacement {
				return nil, h.errorf(e, ErrUnsupported, "code page %q cannot be decoded", label)
			}
			if n, _ := htmlindex.Name(enc); n == "utf-8" {
				return strict, nil
			}
			return with(enc), nil
		}
	}
	if e := h.first("CHARSET"); e != nil {
		cs, err := h.one(e)
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(cs, "ANSI") {
			return with(charmap.Windows1252), nil
		}
		return nil, h.errorf(e, ErrUnsupported, "unknown character set %q (expected \"ANSI\")", cs)
	}
	for _, e := range h.list {
		for _, s := range e.sub {
			if !utf8.ValidString(s) {
				return with(charmap.CodePage850), nil
			}
		}
		for _, it := range e.items {
			if !utf8.ValidString(it.text) {
				return with(charmap.CodePage850), nil
			}
		}
	}
	return strict, nil
}

func (e *entry) strings() []string {
	out := make([]string, len(e.items))
	for i, it := range e.items {
		out[i] = it.text
	}
	return out
}

// one returns the entry's single item.
func (h *header) one(e *entry) (string, error) {
	if len(e.items) != 1 {
		return "", h.errorf(e, ErrSyntax, "has %d values, want 1", len(e.items))
	}
	return e.items[0].text, nil
}

// integer returns the entry's single item as an integer in [0, 15].
func (h *header) integer(e *entry) (int, error) {
	s, err := h.one(e)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 15 {
		return 0, h.errorf(e, ErrSyntax, "%q is not a number of decimals (0 to 15)", s)
	}
	return n, nil
}

// lookup returns the entry for keyword kw in the chosen language with
// subkeys selSub, else the default-language entry with subkeys defSub.
func (h *header) lookup(kw string, selSub, defSub []string) *entry {
	if h.sel != "" {
		if e := h.idx[key(kw, h.sel, selSub)]; e != nil {
			return e
		}
	}
	return h.idx[key(kw, "", defSub)]
}

// get is lookup for a keyword without subkeys.
func (h *header) get(kw string) *entry { return h.lookup(kw, nil, nil) }

// text returns the single string of keyword kw without subkeys, or "".
func (h *header) text(kw string) (string, error) {
	e := h.get(kw)
	if e == nil {
		return "", nil
	}
	return h.one(e)
}

// dataSymbols maps each data symbol ("." ... "......", "-") to the symbol
// DATASYMBOL1..6 or DATASYMBOLNIL says is shown for it.
func (h *header) dataSymbols() map[string]string {
	m := map[string]string{}
	for i := 1; i <= 6; i++ {
		if e := h.idx[key(fmt.Sprintf("DATASYMBOL%d", i), "", nil)]; e != nil && len(e.items) == 1 {
			m[strings.Repeat(".", i)] = e.items[0].text
		}
	}
	if e := h.idx[key("DATASYMBOLNIL", "", nil)]; e != nil && len(e.items) == 1 {
		m["-"] = e.items[0].text
	}
	return m
}

// shownSymbols inverts dataSymbols: a shown symbol to the data symbol it
// stands for, the first (fewest dots, then "-") when several share it.
func shownSymbols(m map[string]string) map[string]string {
	out := map[string]string{}
	for _, sym := range []string{".", "..", "...", "....", ".....", "......", "-"} {
		if shown, ok := m[sym]; ok {
			if _, dup := out[shown]; !dup {
				out[shown] = sym
			}
		}
	}
	return out
}

// variable is one STUB or HEADING variable.
type variable struct {
	nameDef, nameSel string
	valuesDef        []string // VALUES in the default language
	line             int
}

// table is a dataset being built.
type table struct {
	file string
	ds   *jsonstat.Dataset
	max  int
	vars []variable
}

var (
	timeWords = []string{"tid", "time", "år", "year", "periode", "period", "kvartal", "quarter", "måned", "month", "uke", "week"}
	geoWords  = []string{"region", "geo", "kommune", "fylke", "land", "country", "area", "område", "municipality", "county"}
)

func isWord(words []string, names ...string) bool {
	for _, n := range names {
		if slices.Contains(words, strings.ToLower(strings.TrimSpace(n))) {
			return true
		}
	}
	return false
}

type pxExtension struct {
	Matrix       string            `json:"matrix,omitempty"`
	TableID      string            `json:"tableid,omitempty"`
	Language     string            `json:"language,omitempty"`
	Languages    []string          `json:"languages,omitempty"`
	Contents     string            `json:"contents,omitempty"`
	Units        string            `json:"units,omitempty"`
	Decimals     *int              `json:"decimals,omitempty"`
	ShowDecimals *int              `json:"showdecimals,omitempty"`
	DataSymbols  map[string]string `json:"datasymbols,omitempty"`
	TimeScale    map[string]string `json:"timescale,omitempty"`
}

// table builds the dataset's metadata from the header.
func (h *header) table() (*table, error) {
	t := &table{file: h.file, ds: &jsonstat.Dataset{}}
	ext := pxExtension{Language: h.defLang, Languages: h.langs}
	if h.sel != "" {
		ext.Language = h.sel
	}
	ds := t.ds
	if err := h.tableTexts(ds, &ext); err != nil {
		return nil, err
	}
	tableDec, err := h.decimals(&ext)
	if err != nil {
		return nil, err
	}
	names, err := h.variableNames()
	if err != nil {
		return nil, err
	}
	ids := map[string]int{}
	for i := range names.def {
		v, dim, err := h.variable(names, i, ids)
		if err != nil {
			return nil, err
		}
		if err := h.role(ds, &ext, v, dim); err != nil {
			return nil, err
		}
		ds.Dims = append(ds.Dims, dim)
		t.vars = append(t.vars, v)
	}
	updated, err := h.contents(t, ext.Units, tableDec, names)
	if err != nil {
		return nil, err
	}
	if s, err := h.text("LAST-UPDATED"); err != nil {
		return nil, err
	} else if s != "" {
		ds.Updated = pxDate(s)
	} else if len(updated) > 0 {
		ds.Updated = slices.Max(updated)
	}
	if m := h.dataSymbols(); len(m) > 0 {
		ext.DataSymbols = m
	}
	raw, err := json.Marshal(struct {
		PX pxExtension `json:"px"`
	}{ext})
	if err != nil {
		return nil, &Error{File: h.file, Msg: err.Error(), Err: err}
	}
	ds.Extension = raw
	return t, nil
}

// tableTexts sets the table's texts: matrix, table ID, contents, units,
// source, label (TITLE, else DESCRIPTION, else CONTENTS) and notes.
func (h *header) tableTexts(ds *jsonstat.Dataset, ext *pxExtension) error {
	var err error
	for _, f := range []struct {
		kw  string
		dst *string
	}{{"MATRIX", &ext.Matrix}, {"TABLEID", &ext.TableID}, {"CONTENTS", &ext.Contents}, {"UNITS", &ext.Units}, {"SOURCE", &ds.Source}} {
		if *f.dst, err = h.text(f.kw); err != nil {
			return err
		}
	}
	for _, kw := range []string{"TITLE", "DESCRIPTION", "CONTENTS"} {
		if ds.Label, err = h.text(kw); err != nil {
			return err
		}
		if ds.Label != "" {
			break
		}
	}
	for _, kw := range []string{"NOTEX", "NOTE"} {
		if e := h.get(kw); e != nil {
			ds.Note = append(ds.Note, e.strings()...)
		}
	}
	return nil
}

// decimals sets DECIMALS and SHOWDECIMALS on ext and returns the table's
// decimals (SHOWDECIMALS when given, else DECIMALS, else nil).
func (h *header) decimals(ext *pxExtension) (*int, error) {
	var decimals, show *int
	if e := h.get("DECIMALS"); e != nil {
		n, err := h.integer(e)
		if err != nil {
			return nil, err
		}
		decimals = &n
	}
	if e := h.get("SHOWDECIMALS"); e != nil {
		n, err := h.integer(e)
		if err != nil {
			return nil, err
		}
		show = &n
	}
	ext.Decimals, ext.ShowDecimals = decimals, show
	if show != nil {
		return show, nil
	}
	return decimals, nil
}

// variableNames are the table's variables, STUB then HEADING, in the
// default and the selected language, with the line that lists each.
type variableNames struct {
	def, sel []string
	lines    []int
}

// variableNames reads STUB then HEADING.
func (h *header) variableNames() (variableNames, error) {
	var n variableNames
	for _, kw := range []string{"STUB", "HEADING"} {
		def := h.idx[key(kw, "", nil)]
		sel := h.get(kw)
		if def == nil && sel != nil {
			return n, h.errorf(sel, ErrSyntax, "given in language %q but not in the default language", h.sel)
		}
		if def == nil {
			continue
		}
		if len(sel.items) != len(def.items) {
			return n, h.errorf(sel, ErrSyntax, "has %d variables in language %q, %d on line %d", len(sel.items), h.sel, len(def.items), def.line)
		}
		n.def = append(n.def, def.strings()...)
		n.sel = append(n.sel, sel.strings()...)
		for range def.items {
			n.lines = append(n.lines, def.line)
		}
	}
	if len(n.def) == 0 {
		return n, &Error{File: h.file, Keyword: "STUB", Msg: "neither STUB nor HEADING lists a variable", Err: ErrSyntax}
	}
	return n, nil
}

// variable reads variable i: its values, codes, code (VARIABLECODE, unique
// among the variables read so far, which ids holds) and notes.
func (h *header) variable(names variableNames, i int, ids map[string]int) (variable, *jsonstat.Dimension, error) {
	v := variable{nameDef: names.def[i], nameSel: names.sel[i], line: names.lines[i]}
	for j := range i {
		if names.def[j] == v.nameDef {
			return v, nil, &Error{File: h.file, Line: v.line, Keyword: "STUB", Msg: fmt.Sprintf("variable %q is listed twice", v.nameDef), Err: ErrSyntax}
		}
	}
	sub, defSub := []string{v.nameSel}, []string{v.nameDef}
	valDef := h.idx[key("VALUES", "", defSub)]
	if valDef == nil {
		return v, nil, &Error{File: h.file, Line: v.line, Keyword: "VALUES", Msg: fmt.Sprintf("VALUES(%q) is missing", v.nameDef), Err: ErrSyntax}
	}
	vals := h.lookup("VALUES", sub, defSub)
	if len(vals.items) != len(valDef.items) {
		return v, nil, h.errorf(vals, ErrSyntax, "%q has %d values, %d in the default language (line %d)", v.nameSel, len(vals.items), len(valDef.items), valDef.line)
	}
	if len(vals.items) == 0 {
		return v, nil, h.errorf(vals, ErrSyntax, "%q has no values", v.nameSel)
	}
	v.valuesDef = valDef.strings()
	dim := &jsonstat.Dimension{ID: v.nameDef, Label: v.nameSel, Labels: vals.strings()}
	dim.Codes = dim.Labels
	if c := h.lookup("CODES", sub, defSub); c != nil {
		if len(c.items) != len(vals.items) {
			return v, nil, h.errorf(c, ErrSyntax, "%q has %d codes and %d values (line %d)", v.nameSel, len(c.items), len(vals.items), vals.line)
		}
		dim.Codes = c.strings()
	}
	seen := make(map[string]bool, len(dim.Codes))
	for _, c := range dim.Codes {
		if seen[c] {
			kw := "VALUES"
			if h.lookup("CODES", sub, defSub) != nil {
				kw = "CODES"
			}
			return v, nil, h.errorf(h.lookup(kw, sub, defSub), ErrSyntax, "%q has the code %q twice", v.nameSel, c)
		}
		seen[c] = true
	}
	if e := h.lookup("VARIABLECODE", sub, defSub); e != nil {
		var err error
		if dim.ID, err = h.one(e); err != nil {
			return v, nil, err
		}
	}
	if j, ok := ids[dim.ID]; ok {
		return v, nil, &Error{File: h.file, Line: v.line, Keyword: "VARIABLECODE", Msg: fmt.Sprintf("variables %q and %q have the same code %q", names.def[j], v.nameDef, dim.ID), Err: ErrSyntax}
	}
	ids[dim.ID] = i
	for _, kw := range []string{"NOTEX", "NOTE"} {
		if e := h.lookup(kw, sub, defSub); e != nil {
			dim.Note = append(dim.Note, e.strings()...)
		}
	}
	return v, dim, nil
}

// role adds the variable to the time role (TIMEVAL or VARIABLE-TYPE T,
// recording its TLIST scale in ext) or the geo role (VARIABLE-TYPE G or a
// MAP), or, without a type, by its name.
func (h *header) role(ds *jsonstat.Dataset, ext *pxExtension, v variable, dim *jsonstat.Dimension) error {
	sub, defSub := []string{v.nameSel}, []string{v.nameDef}
	typ := ""
	if e := h.lookup("VARIABLE-TYPE", sub, defSub); e != nil && len(e.items) == 1 {
		typ = strings.ToUpper(e.items[0].text)
	}
	tv := h.lookup("TIMEVAL", sub, defSub)
	switch {
	case tv != nil || typ == "T":
		ds.Role.Time = append(ds.Role.Time, dim.ID)
		if tv != nil && len(tv.items) > 0 {
			scale := tv.items[0].text
			if !strings.HasPrefix(scale, "TLIST(") {
				return h.errorf(tv, ErrSyntax, "%q does not start with TLIST(...)", scale)
			}
			scale = strings.TrimPrefix(scale, "TLIST(")
			if i := strings.IndexAny(scale, ",)"); i >= 0 {
				scale = scale[:i]
			}
			if ext.TimeScale == nil {
				ext.TimeScale = map[string]string{}
			}
			ext.TimeScale[dim.ID] = scale
		}
	case typ == "G" || h.lookup("MAP", sub, defSub) != nil:
		ds.Role.Geo = append(ds.Role.Geo, dim.ID)
	case typ == "":
		if isWord(timeWords, v.nameDef, v.nameSel, dim.ID) {
			ds.Role.Time = append(ds.Role.Time, dim.ID)
		} else if isWord(geoWords, v.nameDef, v.nameSel, dim.ID) {
			ds.Role.Geo = append(ds.Role.Geo, dim.ID)
		}
	}
	return nil
}

// contents makes the CONTVARIABLE (if any) the metric and gives each of
// its values a unit (UNITS, else the table's units) and decimals
// (PRECISION, else the table's). It returns the values' LAST-UPDATED.
func (h *header) contents(t *table, units string, tableDec *int, names variableNames) ([]string, error) {
	e := h.get("CONTVARIABLE")
	if e == nil {
		return nil, nil
	}
	name, err := h.one(e)
	if err != nil {
		return nil, err
	}
	k := slices.Index(names.sel, name)
	if k < 0 {
		k = slices.Index(names.def, name)
	}
	if k < 0 {
		return nil, h.errorf(e, ErrSyntax, "%q is not a STUB or HEADING variable", name)
	}
	var updated []string
	v, dim := t.vars[k], t.ds.Dims[k]
	t.ds.Role.Metric = []string{dim.ID}
	dim.Unit = make(map[string]jsonstat.Unit, len(dim.Codes))
	for j, code := range dim.Codes {
		sub, defSub := []string{dim.Labels[j]}, []string{v.valuesDef[j]}
		u := jsonstat.Unit{Base: units}
		if e := h.lookup("UNITS", sub, defSub); e != nil {
			if u.Base, err = h.one(e); err != nil {
				return nil, err
			}
		}
		u.Decimals = tableDec
		if e := h.lookup("PRECISION", []string{v.nameSel, dim.Labels[j]}, []string{v.nameDef, v.valuesDef[j]}); e != nil {
			n, err := h.integer(e)
			if err != nil {
				return nil, err
			}
			u.Decimals = &n
		}
		if u.Decimals != nil {
			n := *u.Decimals
			u.Decimals = &n
		}
		dim.Unit[code] = u
		if e := h.lookup("LAST-UPDATED", sub, defSub); e != nil && len(e.items) == 1 {
			updated = append(updated, pxDate(e.items[0].text))
		}
	}
	return updated, nil
}

// pxDate writes a PX date "20060102 15:04" as "2006-01-02T15:04"; other
// forms are returned verbatim.
func pxDate(s string) string {
	if tm, err := time.Parse("20060102 15:04", s); err == nil {
		return tm.Format("2006-01-02T15:04")
	}
	return s
}

// checkSize refuses a cube over the limit before anything is allocated.
func (t *table) checkSize(line, limit int) (int, error) {
	if limit <= 0 {
		limit = jsonstat.DefaultMaxCells
	}
	const huge = 1 << 40 // cell counts up to here are computed exactly
	n := 1
	over := false
	var parts []string
	for _, d := range t.ds.Dims {
		parts = append(parts, fmt.Sprintf("%s (%d)", d.ID, len(d.Codes)))
		if !over && n > huge/len(d.Codes) {
			over = true
		}
		if !over {
			n *= len(d.Codes)
		}
	}
	if over || n > limit {
		size := "more than " + strconv.Itoa(huge)
		if !over {
			size = strconv.Itoa(n)
		}
		return 0, &Error{File: t.file, Line: line, Keyword: "DATA",
			Msg: fmt.Sprintf("%s = %s cells is over the limit of %d (refused before allocating)", strings.Join(parts, " × "), size, limit),
			Err: jsonstat.ErrTooManyCells}
	}
	return n, nil
}

// where names cell i by its codes.
func (t *table) where(i int) string {
	ds := t.ds
	parts := make([]string, len(ds.Dims))
	for k := len(ds.Dims) - 1; k >= 0; k-- {
		n := len(ds.Dims[k].Codes)
		parts[k] = ds.Dims[k].ID + "=" + ds.Dims[k].Codes[i%n]
		i /= n
	}
	return strings.Join(parts, ", ")
}

// validNumber reports whether b is a decimal number: sign, digits, '.',
// digits, exponent, with at least one digit.
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		digits++
	}
	if i < len(b) && b[i] == '.' {
		i++
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(b)
}

// readData reads the DATA block into the dataset.
func (t *table) readData(s *scanner, shown map[string]string) error {
	s.inData, s.keyword = true, "DATA"
	n, err := t.checkSize(s.line, t.max)
	if err != nil {
		return err
	}
	ds := t.ds
	ds.Values = make([]float64, n)
	ds.Present = make([]bool, n)
	buf := make([]byte, 0, MaxCell)
	for i := 0; ; i++ {
		tok, quoted, done, err := s.cell(buf[:0])
		if err != nil {
			return err
		}
		if done {
			if i < n {
				return s.errorf(ErrSyntax, "%d cells, but the STUB and HEADING variables make %d", i, n)
			}
			break
		}
		if i >= n {
			return s.errorf(ErrSyntax, "more cells than the %d the STUB and HEADING variables make", n)
		}
		status := missingSymbols[string(tok)] // no allocation: a map index
		switch {
		case status != "":
		case validNumber(tok):
			v, err := strconv.ParseFloat(string(tok), 64)
			if err != nil || math.IsInf(v, 0) {
				return s.errorf(ErrSyntax, "cell %d (%s): %q is out of range", i, t.where(i), tok)
			}
			ds.Values[i], ds.Present[i] = v, true
			continue
		case shown[string(tok)] != "":
			status = shown[string(tok)]
		default:
			if quoted {
				return s.errorf(ErrSyntax, "cell %d (%s): \"%s\" is neither a number nor a missing-value symbol", i, t.where(i), tok)
			}
			return s.errorf(ErrSyntax, "cell %d (%s): %q is neither a number nor a missing-value symbol", i, t.where(i), tok)
		}
		if ds.Status == nil {
			ds.Status = make([]string, n)
		}
		ds.Status[i] = status
	}
	s.keyword = ""
	if err := s.skipSpace(); err == nil {
		return s.errorf(ErrSyntax, "text after the ';' ending DATA")
	} else if !errors.Is(err, io.EOF) {
		return s.wrap(err, "end of file")
	}
	return nil
}
