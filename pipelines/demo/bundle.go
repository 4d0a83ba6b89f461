package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// API constants of the bundle.
const (
	apiBase      = "https://data.ssb.no/api/pxwebapi/v2"
	lang         = "no"
	sourceName   = "Statistisk sentralbyrå"
	generatorPkg = "pipelines/demo"
	suffixFull   = " [demo: syntetiske tall]"
	suffixPart   = " [demo: delvis syntetiske tall]"
)

// obj is a JSON object that keeps its key order.
type obj []kv

type kv struct {
	k string
	v any
}

// MarshalJSON writes the members in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(m.k)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping and without the newline.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// writeTop writes o with one top-level member per line; members named in
// lines are written by the given function instead (used for the value array).
func writeTop(path string, o obj, raw map[string][]byte) error {
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, m := range o {
		k, _ := marshal(m.k)
		b.Write(k)
		b.WriteString(":")
		if r, ok := raw[m.k]; ok {
			b.Write(r)
		} else {
			v, err := marshal(m.v)
			if err != nil {
				return fmt.Errorf("demo: %s: member %s: %w", path, m.k, err)
			}
			b.Write(v)
		}
		if i < len(o)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return writeFile(path, b.Bytes())
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// dimension is one dimension of a cube.
type dimension struct {
	id, label     string
	codes, labels []string
	ext           obj
	unit          obj // category.unit, nil when none
	note          []string
}

func (d *dimension) json() obj {
	index := make(obj, len(d.codes))
	label := make(obj, len(d.codes))
	for i, c := range d.codes {
		index[i] = kv{c, i}
		label[i] = kv{c, d.labels[i]}
	}
	cat := obj{{"index", index}, {"label", label}}
	if d.unit != nil {
		cat = append(cat, kv{"unit", d.unit})
	}
	o := obj{{"label", d.label}}
	if len(d.note) > 0 {
		o = append(o, kv{"note", d.note})
	}
	return append(o, kv{"category", cat}, kv{"extension", d.ext})
}

// cube is a dense JSON-stat cube under construction.
type cube struct {
	dims   []*dimension
	vals   []float64
	ok     []bool
	status map[int]string
	stride []int
}

func newCube(dims ...*dimension) *cube {
	n := 1
	stride := make([]int, len(dims))
	for i := len(dims) - 1; i >= 0; i-- {
		stride[i] = n
		n *= len(dims[i].codes)
	}
	return &cube{dims: dims, vals: make([]float64, n), ok: make([]bool, n), status: map[int]string{}, stride: stride}
}

func (c *cube) at(coords ...int) int {
	i := 0
	for k, x := range coords {
		i += x * c.stride[k]
	}
	return i
}

func (c *cube) set(v float64, coords ...int) {
	i := c.at(coords...)
	c.vals[i], c.ok[i] = v, true
}

func (c *cube) setCell(v realCell, coords ...int) {
	if v.ok {
		c.set(v.v, coords...)
	}
}

// suppress marks a cell missing with status s.
func (c *cube) suppress(s string, coords ...int) {
	i := c.at(coords...)
	c.vals[i], c.ok[i] = 0, false
	c.status[i] = s
}

// valueJSON writes the value array with one line per series of the last
// dimension.
func (c *cube) valueJSON() []byte {
	var b bytes.Buffer
	row := len(c.dims[len(c.dims)-1].codes)
	b.WriteString("[\n")
	for i := range c.vals {
		if c.ok[i] {
			b.WriteString(strconv.FormatFloat(c.vals[i], 'f', -1, 64))
		} else {
			b.WriteString("null")
		}
		switch {
		case i == len(c.vals)-1:
			b.WriteByte('\n')
		case (i+1)%row == 0:
			b.WriteString(",\n")
		default:
			b.WriteByte(',')
		}
	}
	b.WriteString("]")
	return b.Bytes()
}

// table is one table of the bundle.
type table struct {
	id        string
	title     string // without the demo suffix
	updated   string
	subject   [2]string // subject code, label
	timeUnit  string
	synthetic string // "full" or "partial"
	realCells string
	notes     []string // after the DEMO note
	variant   string   // "" for the bundled demo; else a note on the variant (Options), after the DEMO note
	contents  string
	cube      *cube
}

func (t *table) label() string {
	if t.synthetic == "full" {
		return t.title + suffixFull
	}
	return t.title + suffixPart
}

func (t *table) demoNote() string {
	if t.synthetic == "full" {
		return "DEMO: Ingen ekte tall. Alle tall i tabellen er syntetiske, laget av " + generatorPkg +
			" med fast frø. De ligner SSBs tall i form og størrelsesorden, men beskriver ingen virkelig kommune."
	}
	return "DEMO: Ekte tall: " + t.realCells + ". Alle andre tall er syntetiske, laget av " + generatorPkg +
		" med fast frø, og beskriver ingen virkelig kommune."
}

// allNotes are the DEMO note, the variant's note (if any) and the table's.
func (t *table) allNotes() []string {
	out := []string{t.demoNote()}
	if t.variant != "" {
		out = append(out, t.variant)
	}
	return append(out, t.notes...)
}

// grunnlagExt is extension.grunnlag: synthetic, real_cells, generator, and
// for a variant (Options) its first year.
func (t *table) grunnlagExt() obj {
	o := obj{{"synthetic", t.synthetic}, {"real_cells", t.realCells}, {"generator", generatorPkg}}
	if t.variant != "" {
		o = append(o, kv{"variant_first_year", t.cube.dims[len(t.cube.dims)-1].codes[0][:4]})
	}
	return o
}

func link(rel, href string) obj {
	return obj{{"rel", rel}, {"hreflang", lang}, {"href", href}}
}

func (t *table) tableInfo() obj {
	d := t.cube.dims
	tid := d[len(d)-1]
	var names []string
	for _, x := range d {
		names = append(names, x.label)
	}
	base := apiBase + "/tables/" + t.id
	return obj{
		{"language", lang},
		{"id", t.id},
		{"label", t.label()},
		{"description", ""},
		{"sortCode", t.id},
		{"updated", t.updated},
		{"firstPeriod", tid.codes[0]},
		{"lastPeriod", tid.codes[len(tid.codes)-1]},
		{"category", "public"},
		{"variableNames", names},
		{"discontinued", false},
		{"source", sourceName},
		{"subjectCode", t.subject[0]},
		{"timeUnit", t.timeUnit},
		{"paths", [][]obj{{{{"id", t.subject[0]}, {"label", t.subject[1]}, {"sortCode", t.subject[0]}}}}},
		{"links", []obj{
			link("self", base+"?lang="+lang),
			{{"rel", "alternate"}, {"hreflang", "en"}, {"href", base + "?lang=en"}},
			link("metadata", base+"/metadata?lang="+lang),
			link("data", base+"/data?lang="+lang+"&outputFormat=json-stat2"),
		}},
	}
}

func (t *table) write(outDir string) error {
	dir := filepath.Join(outDir, "tables", t.id)
	if err := writeTop(filepath.Join(dir, "table.json"), t.tableInfo(), nil); err != nil {
		return err
	}
	c := t.cube
	var ids []string
	var size []int
	dims := make(obj, 0, len(c.dims))
	var heading, stub []string
	for i, d := range c.dims {
		ids = append(ids, d.id)
		size = append(size, len(d.codes))
		dims = append(dims, kv{d.id, rawJSON(d.json())})
		if i >= len(c.dims)-2 {
			heading = append(heading, d.id)
		} else {
			stub = append(stub, d.id)
		}
	}
	status := obj{}
	for i := range c.vals {
		if s, ok := c.status[i]; ok {
			status = append(status, kv{strconv.Itoa(i), s})
		}
	}
	o := obj{
		{"version", "2.0"},
		{"class", "dataset"},
		{"label", t.label()},
		{"source", sourceName},
		{"updated", t.updated},
		{"note", t.allNotes()},
		{"role", obj{{"time", []string{"Tid"}}, {"geo", []string{"Region"}}, {"metric", []string{"ContentsCode"}}}},
		{"id", ids},
		{"size", size},
		{"dimension", nil},
		{"extension", obj{
			{"px", obj{
				{"infofile", "None"}, {"tableid", t.id}, {"decimals", 1},
				{"official-statistics", false}, {"aggregallowed", false},
				{"language", lang}, {"contents", t.contents},
				{"heading", heading}, {"stub", stub}, {"matrix", t.id},
				{"subject-code", t.subject[0]}, {"subject-area", t.subject[1]},
			}},
			{"grunnlag", t.grunnlagExt()},
		}},
	}
	if len(status) > 0 {
		o = append(o, kv{"status", status})
	}
	o = append(o, kv{"value", nil})
	var db bytes.Buffer
	db.WriteString("{\n")
	for i, d := range dims {
		k, _ := marshal(d.k)
		v, err := marshal(d.v)
		if err != nil {
			return fmt.Errorf("demo: table %s: dimension %s: %w", t.id, d.k, err)
		}
		db.Write(k)
		db.WriteByte(':')
		db.Write(v)
		if i < len(dims)-1 {
			db.WriteByte(',')
		}
		db.WriteByte('\n')
	}
	db.WriteString("}")
	return writeTop(filepath.Join(dir, "data.json"), o, map[string][]byte{
		"dimension": db.Bytes(),
		"value":     c.valueJSON(),
	})
}

// rawJSON marshals o once so that dimension objects are not re-encoded.
func rawJSON(o obj) json.RawMessage {
	b, err := marshal(o)
	if err != nil {
		panic(err) // obj of strings, ints and slices cannot fail
	}
	return b
}

// codelist is one /codelists/{id} response.
type codelist struct {
	id, label, typ string
	values         []clValue
}

type clValue struct {
	code, label string
	valueMap    []string
}

func (c *codelist) ref() obj {
	return obj{{"id", c.id}, {"label", c.label}, {"type", c.typ},
		{"links", []obj{link("metadata", apiBase+"/codelists/"+c.id+"?lang="+lang)}}}
}

func (c *codelist) write(outDir string) error {
	vals := make([]obj, len(c.values))
	for i, v := range c.values {
		vals[i] = obj{{"code", v.code}, {"label", v.label}, {"valueMap", v.valueMap}}
	}
	base := apiBase + "/codelists/" + c.id
	o := obj{
		{"id", c.id},
		{"label", c.label},
		{"language", lang},
		{"languages", []string{"no", "en"}},
		{"elimination", false},
		{"type", c.typ},
		{"values", nil},
		{"links", []obj{
			link("self", base+"?lang="+lang),
			{{"rel", "alternate"}, {"hreflang", "en"}, {"href", base + "?lang=en"}},
		}},
	}
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, v := range vals {
		x, err := marshal(v)
		if err != nil {
			return fmt.Errorf("demo: codelist %s: %w", c.id, err)
		}
		b.Write(x)
		if i < len(vals)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]")
	return writeTop(filepath.Join(outDir, "codelists", c.id+".json"), o, map[string][]byte{"values": b.Bytes()})
}

// configJSON is the GET /config response with SSB's limits (DOMAIN.md §2.1).
func configJSON() obj {
	return obj{
		{"apiVersion", "2.0.0"},
		{"appVersion", "demo"},
		{"languages", []obj{{{"id", "no"}, {"label", "Norsk"}}, {{"id", "en"}, {"label", "English"}}}},
		{"defaultLanguage", "no"},
		{"maxDataCells", 800000},
		{"maxCallsPerTimeWindow", 30},
		{"timeWindow", 60},
		{"license", "https://creativecommons.org/licenses/by/4.0/deed.no"},
		{"sourceReferences", []obj{
			{{"language", "no"}, {"text", "Statistisk sentralbyrå (SSB)"}},
			{{"language", "en"}, {"text", "Statistics Norway (SSB)"}},
		}},
		{"defaultDataFormat", "json-stat2"},
		{"dataFormats", []string{"json-stat2", "csv", "px", "xlsx", "html", "json-px"}},
		{"features", []obj{{{"id", "CORS"}, {"params", []obj{{{"key", "enabled"}, {"value", "True"}}}}}}},
	}
}

// Build reads the real source files in srcDir and writes the demo bundle to
// outDir (config.json, tables/<id>/{table,data}.json, codelists/<id>.json).
// The output depends only on the input files and Seed: two runs write the
// same bytes. Build does not remove files it did not write.
func Build(srcDir, outDir string) error { return BuildWith(srcDir, outDir, Options{}) }

// Options are the variants of the bundle. The zero value is the bundled
// demo (testdata/demo/ssb), byte for byte.
type Options struct {
	// FirstYear, when not zero, is the first year of every table that
	// starts later in the bundled demo; each table keeps its own last year
	// (2024 or 2025; never a later one). TwentyYears (2006) makes the
	// annual tables span 2006-2025 (09429, 06445, 07459, demo-utdanning-
	// alder) or 2006-2024 (13470, 07984, 13556, 13563, demo-ufore, demo-evu),
	// 14863's cohorts start 2006-2018 and 12944's three-year periods
	// 2006-2008 ... 2022-2024. 10540 (monthly from 2023M01) is not changed:
	// its counties and the nation are NAV's published figures, which the
	// demo has only from 2023. Every cell of the added years is synthetic,
	// Telemark's included (the real 09429 cells begin in 2015; before that
	// a Telemark code's population 16+ is its 2015 figure grown back with
	// the municipality's synthetic growth); real cells stay where they are.
	// Each table says so in a note after the DEMO note and in
	// extension.grunnlag.variant_first_year. Municipalities outside
	// Telemark stay under their 2024 codes in every year, as in the demo.
	// Allowed: 0, or 2005 to 2014.
	FirstYear int
}

// TwentyYears is Options.FirstYear for the 20-year bundle, 2006-2025.
const TwentyYears = 2006

// BuildWith is Build for a variant of the bundle (Options). The variant is
// not committed anywhere: callers (the 20-year benchmark) write it to a
// temporary directory.
func BuildWith(srcDir, outDir string, opt Options) error {
	if opt.FirstYear != 0 && (opt.FirstYear < 2005 || opt.FirstYear >= firstYear) {
		return fmt.Errorf("demo: first year %d: want 0 (the bundled demo) or 2005-%d", opt.FirstYear, firstYear-1)
	}
	m, err := newModel(srcDir, Seed)
	if err != nil {
		return err
	}
	m.first = opt.FirstYear
	lists := m.codelists()
	var refs []obj
	for _, c := range lists {
		refs = append(refs, c.ref())
		if err := c.write(outDir); err != nil {
			return err
		}
	}
	tables, err := m.tables(refs)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if m.first != 0 && t.id != "10540" {
			t.variant = fmt.Sprintf("DEMO, forlenget utgave: tabellen begynner i %s (ikke i demoens vanlige første år) "+
				"for ytelsesmåling over mange år. Alle tall i de ekstra årene er syntetiske, også for Telemark; "+
				"kommuner utenfor Telemark står under 2024-nummeret i alle år.", t.cube.dims[len(t.cube.dims)-1].codes[0])
		}
		if err := t.write(outDir); err != nil {
			return err
		}
	}
	return writeTop(filepath.Join(outDir, "config.json"), configJSON(), nil)
}

// TableIDs lists the tables Build writes, in the order it writes them.
func TableIDs() []string { return strings.Fields(tableIDs) }

const tableIDs = "09429 13470 06445 10540 07459 13556 07984 " + eduAgeID + " 13563 14863 " + uforeID + " " + lowIncomeID + " " + evuID
