//lint:file-ignore ST1005 the emulator answers with the real PxWebApi server's error messages, capitalised as the server writes them

package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// CubeOptions configure Cubes. Zero values keep the bundle's config.json.
type CubeOptions struct {
	MaxDataCells int           // overrides config.json maxDataCells
	MaxCalls     int           // overrides maxCallsPerTimeWindow (reported in /config only)
	TimeWindow   time.Duration // overrides timeWindow (whole seconds in /config)
	// API is "v2" (default), "v1" (v1 only; v2 answers 404) or "both".
	API string
	// Clock is the time for pastDays; nil means time.Now.
	Clock func() time.Time
}

// Cubes is a PxWebApi emulator over a bundle of whole cubes. It is an
// http.Handler at the API's root, safe for concurrent use; CubesTransport
// serves it in process under a base URL.
//
// Bundle:
//
// A bundle is a directory:
//
//	<bundle>/config.json             the GET /config response (PxWebApi v2 shape)
//	<bundle>/tables/<id>/table.json  the GET /tables/{id} response (TableInfo shape)
//	<bundle>/tables/<id>/data.json   the whole cube as one JSON-stat 2.0 dataset;
//	                                 dimension extension: elimination (bool),
//	                                 eliminationValueCode, codelists [{id,label,type}]
//	<bundle>/codelists/<id>.json     GET /codelists/{id}: {id, label, type
//	                                 "Aggregation"|"Valueset", values [{code, label, valueMap}]}
//
// Endpoints (v2, at the root of the handler):
//
//	GET  /config                  config.json, limits replaced by CubeOptions
//	GET  /tables?query=&pastDays=&pageSize=&pageNumber=
//	                              table.json items; query terms (split on spaces,
//	                              "AND" ignored, "title:" and "id:" prefixes
//	                              stripped) must each occur in the id or label
//	                              (case-insensitive); pastDays keeps tables
//	                              updated within that many days of the clock
//	GET  /tables/{id}             table.json
//	GET  /tables/{id}/metadata    data.json without values or status, with
//	                              extension.px.tableid set
//	GET  /tables/{id}/data        valueCodes[Var]=, codelist[Var]=, outputValues[Var]=
//	POST /tables/{id}/data        {"selection":[{"variableCode","codelist","outputValues","valueCodes"}]}
//	GET  /codelists/{id}          (also /codeLists/{id}) the codelist file
//
// Table and codelist IDs and query parameter names are matched
// case-insensitively. Data responses are JSON-stat 2.0 subsets of the cube:
// selected categories in cube order (an aggregation's values in codelist
// order), value[] with null for missing cells and status as an object keyed
// by flat index. A variable left out is eliminated if its extension allows
// it: its eliminationValueCode is taken, or else its values are summed. An
// aggregated codelist value is the sum of its valueMap members' present
// values, missing (null, no status) when every member is missing. Selection
// expressions: codes, *, masks with * and ?, top(n[,o]), bottom(n[,o]),
// from(x), to(x), range(a,b), with top meaning the first values, or for the
// time variable the latest periods.
//
// Errors are application/problem+json: 400 for an unknown variable or value
// code ("Value X is not a valid value code for variable Y"), 404 for an
// unknown table or codelist, 403 when a selection exceeds maxDataCells,
// 500 when a table's data.json, needed for the answer, does not decode
// (through CubesTransport that request fails with a *CorruptError naming
// the file instead).
// Cubes does not enforce maxCallsPerTimeWindow (sources/pxweb/pxwebtest
// adds the rate limit and fault injection for tests).
//
// v1:
//
// With CubeOptions.API "v1" or "both" the handler also answers, under /api/v0:
//
//	GET  /api/v0/{lang}/?config     {"maxValues","maxCalls","timeWindow","CORS"}
//	GET  /api/v0/{lang}/table/{id}  {title, variables:[{code,text,values,valueTexts,elimination,time}]}
//	POST /api/v0/{lang}/table/{id}  {"query":[{"code","selection":{"filter","values"}}],"response":{"format":"json-stat2"}}
//
// with filters item, all (masks), top, agg:X (codelist agg_X, aggregated),
// agg_single:X (agg_X, single) and vs:X (vs_X). With "v1" the v2 endpoints
// answer 404.
type Cubes struct {
	opts     CubeOptions
	clock    func() time.Time
	config   map[string]any
	maxCells int
	maxCalls int
	window   time.Duration

	tables    map[string]*table // by lower-case ID
	codelists map[string]*codelist
}

// table is one bundled table. Its table.json is read by NewCubes; its
// data.json (the cube) only when a request first needs it, and then kept:
// a run that asks only GET /tables/{id} never decodes the cubes.
type table struct {
	id      string
	info    json.RawMessage
	label   string
	updated time.Time
	data    string // path of data.json

	metaOnce sync.Once
	raw      map[string]any // data.json without value and status
	metaErr  error

	cubeOnce sync.Once
	cube     *jsonstat.Dataset
	ext      []dimExt // per cube dimension
	cubeErr  error
}

type dimExt struct {
	Elimination          bool   `json:"elimination"`
	EliminationValueCode string `json:"eliminationValueCode"`
	Codelists            []struct {
		ID string `json:"id"`
	} `json:"codelists"`
}

type codelist struct {
	raw    json.RawMessage
	ID     string `json:"id"`
	Label  string `json:"label"`
	Type   string `json:"type"`
	Values []struct {
		Code     string   `json:"code"`
		Label    string   `json:"label"`
		ValueMap []string `json:"valueMap"`
	} `json:"values"`
}

// NewCubes loads the bundle at dir (see Cubes): config.json, every
// table.json and the codelists. A table's data.json is decoded when a
// request first needs it (metadata, data), once: GET /tables/{id} and the
// table listing never decode a cube.
func NewCubes(dir string, opts CubeOptions) (*Cubes, error) {
	s := &Cubes{opts: opts, clock: opts.Clock, tables: map[string]*table{}, codelists: map[string]*codelist{}}
	if s.clock == nil {
		s.clock = time.Now
	}
	switch opts.API {
	case "", "v2", "v1", "both":
	default:
		return nil, fmt.Errorf("replay cubes: API %q: want v2, v1 or both", opts.API)
	}
	b, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, fmt.Errorf("replay cubes: %w", err)
	}
	if err := json.Unmarshal(b, &s.config); err != nil {
		return nil, fmt.Errorf("replay cubes: config.json: %w", err)
	}
	num := func(k string) int { f, _ := s.config[k].(float64); return int(f) }
	s.maxCells, s.maxCalls, s.window = num("maxDataCells"), num("maxCallsPerTimeWindow"), time.Duration(num("timeWindow"))*time.Second
	if opts.MaxDataCells > 0 {
		s.maxCells = opts.MaxDataCells
	}
	if opts.MaxCalls > 0 {
		s.maxCalls = opts.MaxCalls
	}
	if opts.TimeWindow > 0 {
		s.window = opts.TimeWindow
	}
	s.config["maxDataCells"] = s.maxCells
	s.config["maxCallsPerTimeWindow"] = s.maxCalls
	s.config["timeWindow"] = int(math.Ceil(s.window.Seconds()))
	if s.maxCells < 1 || s.maxCalls < 1 || s.window <= 0 {
		return nil, fmt.Errorf("replay cubes: config.json: invalid limits %d cells, %d calls per %v", s.maxCells, s.maxCalls, s.window)
	}

	dirs, err := os.ReadDir(filepath.Join(dir, "tables"))
	if err != nil {
		return nil, fmt.Errorf("replay cubes: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t, err := loadTable(filepath.Join(dir, "tables", d.Name()))
		if err != nil {
			return nil, fmt.Errorf("replay cubes: table %s: %w", d.Name(), err)
		}
		s.tables[strings.ToLower(t.id)] = t
	}
	files, err := filepath.Glob(filepath.Join(dir, "codelists", "*.json"))
	if err != nil {
		return nil, fmt.Errorf("replay cubes: %w", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("replay cubes: %w", err)
		}
		var cl codelist
		if err := json.Unmarshal(b, &cl); err != nil {
			return nil, fmt.Errorf("replay cubes: %s: %w", f, err)
		}
		if cl.ID == "" || len(cl.Values) == 0 {
			return nil, fmt.Errorf("replay cubes: %s: no id or no values", f)
		}
		cl.raw = b
		s.codelists[strings.ToLower(cl.ID)] = &cl
	}
	return s, nil
}

func loadTable(dir string) (*table, error) {
	info, err := os.ReadFile(filepath.Join(dir, "table.json"))
	if err != nil {
		return nil, err
	}
	var ti struct {
		ID      string    `json:"id"`
		Label   string    `json:"label"`
		Updated time.Time `json:"updated"`
	}
	if err := json.Unmarshal(info, &ti); err != nil {
		return nil, fmt.Errorf("table.json: %w", err)
	}
	if ti.ID == "" {
		ti.ID = filepath.Base(dir)
	}
	data := filepath.Join(dir, "data.json")
	if _, err := os.Stat(data); err != nil {
		return nil, err
	}
	return &table{id: ti.ID, info: info, label: ti.Label, updated: ti.Updated, data: data}, nil
}

// loadMeta decodes data.json without its value and status members (the
// metadata answer and the dimension objects of data answers), once; b is
// data.json's content if the caller has read it already, or nil.
func (t *table) loadMeta(b []byte) error {
	t.metaOnce.Do(func() {
		if b == nil {
			if b, t.metaErr = os.ReadFile(t.data); t.metaErr != nil {
				return
			}
		}
		var members map[string]json.RawMessage
		if err := json.Unmarshal(b, &members); err != nil {
			t.metaErr = fmt.Errorf("data.json: %w", err)
			return
		}
		raw := make(map[string]any, len(members))
		for k, m := range members {
			if k == "value" || k == "status" {
				continue // the metadata answer drops them; data answers are built from the cube
			}
			var v any
			if err := json.Unmarshal(m, &v); err != nil {
				t.metaErr = fmt.Errorf("data.json: %s: %w", k, err)
				return
			}
			raw[k] = v
		}
		t.raw = raw
	})
	return t.metaErr
}

// loadCube decodes data.json as a JSON-stat cube with its dimension
// extensions (and its metadata, see loadMeta), once.
func (t *table) loadCube() error {
	t.cubeOnce.Do(func() {
		b, err := os.ReadFile(t.data)
		if err != nil {
			t.cubeErr = err
			return
		}
		cube, err := jsonstat.DecodeDataset(bytes.NewReader(b))
		if err != nil {
			t.cubeErr = fmt.Errorf("data.json: %w", err)
			return
		}
		if !cube.HasValues() {
			t.cubeErr = fmt.Errorf("data.json: no values")
			return
		}
		var ext []dimExt
		for _, d := range cube.Dims {
			var e dimExt
			if len(d.Extension) > 0 {
				if err := json.Unmarshal(d.Extension, &e); err != nil {
					t.cubeErr = fmt.Errorf("data.json: dimension %s: extension: %w", d.ID, err)
					return
				}
			}
			ext = append(ext, e)
		}
		if err := t.loadMeta(b); err != nil {
			t.cubeErr = err
			return
		}
		t.cube, t.ext = cube, ext
	})
	return t.cubeErr
}

// CubeEndpoint names the endpoint a request to Cubes goes to: "config",
// "tables", "table", "metadata", "data", "codelist", "v1config", "v1meta",
// "v1data" or "other".
func CubeEndpoint(r *http.Request) string {
	p := strings.Trim(r.URL.Path, "/")
	parts := strings.Split(p, "/")
	if len(parts) >= 2 && parts[0] == "api" && parts[1] == "v0" {
		switch {
		case len(parts) == 3 && r.URL.RawQuery == "config":
			return "v1config"
		case len(parts) == 5 && parts[3] == "table" && r.Method == http.MethodGet:
			return "v1meta"
		case len(parts) == 5 && parts[3] == "table" && r.Method == http.MethodPost:
			return "v1data"
		}
		return "other"
	}
	switch {
	case p == "config":
		return "config"
	case p == "tables":
		return "tables"
	case len(parts) == 2 && parts[0] == "tables":
		return "table"
	case len(parts) == 3 && parts[0] == "tables" && parts[2] == "metadata":
		return "metadata"
	case len(parts) == 3 && parts[0] == "tables" && parts[2] == "data":
		return "data"
	case len(parts) == 2 && strings.EqualFold(parts[0], "codelists"):
		return "codelist"
	}
	return "other"
}

// ServeHTTP answers one request. A bundled cube that cannot be decoded
// (found when a request first needs it) is answered with 500 and a
// problem naming data.json.
func (s *Cubes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := s.serve(w, r); err != nil {
		writeProblem(w, http.StatusInternalServerError, err.Error())
	}
}

// serve answers one request, or returns a *CorruptError without writing
// anything when the table's data.json, needed for the answer, cannot be
// read or decoded.
func (s *Cubes) serve(w http.ResponseWriter, r *http.Request) error {
	ep := CubeEndpoint(r)
	v1 := strings.HasPrefix(ep, "v1")
	if (v1 && s.opts.API != "v1" && s.opts.API != "both") || (!v1 && ep != "other" && s.opts.API == "v1") {
		writeProblem(w, http.StatusNotFound, "not found")
		return nil
	}
	switch ep {
	case "config":
		writeJSON(w, s.config)
	case "tables":
		s.serveTables(w, r)
	case "table", "metadata", "data", "v1meta", "v1data":
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		id := parts[1]
		if v1 {
			id = parts[4]
		}
		t := s.tables[strings.ToLower(id)]
		if t == nil {
			writeProblem(w, http.StatusNotFound, fmt.Sprintf("Table %s not found", id))
			return nil
		}
		var err error
		switch ep {
		case "table":
		case "metadata":
			err = t.loadMeta(nil)
		default:
			err = t.loadCube()
		}
		if err != nil {
			return &CorruptError{Source: "pxweb", Snapshot: t.data, Err: fmt.Errorf("table %s: %w", t.id, err)}
		}
		switch ep {
		case "table":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(t.info)
		case "metadata":
			writeJSON(w, t.metadata())
		case "data":
			s.serveData(w, r, t)
		case "v1meta":
			writeJSON(w, t.v1Metadata())
		case "v1data":
			s.serveV1Data(w, r, t)
		}
	case "codelist":
		id := strings.Split(strings.Trim(r.URL.Path, "/"), "/")[1]
		cl := s.codelists[strings.ToLower(id)]
		if cl == nil {
			writeProblem(w, http.StatusNotFound, fmt.Sprintf("Codelist %s not found", id))
			return nil
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(cl.raw)
	case "v1config":
		writeJSON(w, map[string]any{"maxValues": s.maxCells, "maxCalls": s.maxCalls,
			"timeWindow": int(math.Ceil(s.window.Seconds())), "CORS": true})
	default:
		writeProblem(w, http.StatusNotFound, "not found")
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}

func writeProblem(w http.ResponseWriter, status int, detail string) {
	b, _ := json.Marshal(map[string]any{
		"type":   "https://tools.ietf.org/html/rfc9110#section-15",
		"title":  http.StatusText(status),
		"status": status,
		"detail": detail,
	})
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Cubes) serveTables(w http.ResponseWriter, r *http.Request) {
	q := lowerQuery(r)
	var terms []string
	for _, f := range strings.Fields(q.get("query")) {
		if strings.EqualFold(f, "AND") {
			continue
		}
		f = strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(f), "title:"), "id:")
		terms = append(terms, strings.TrimSuffix(f, "*"))
	}
	pastDays, _ := strconv.Atoi(q.get("pastdays"))
	size, _ := strconv.Atoi(q.get("pagesize"))
	if size <= 0 {
		size = 20
	}
	page, _ := strconv.Atoi(q.get("pagenumber"))
	if page <= 0 {
		page = 1
	}
	var ids []string
	for k := range s.tables {
		ids = append(ids, k)
	}
	sort.Strings(ids)
	var hits []json.RawMessage
	now := s.clock()
	for _, k := range ids {
		t := s.tables[k]
		hay := strings.ToLower(t.id + " " + t.label)
		ok := true
		for _, term := range terms {
			if !strings.Contains(hay, term) {
				ok = false
			}
		}
		if pastDays > 0 && t.updated.Before(now.AddDate(0, 0, -pastDays)) {
			ok = false
		}
		if ok {
			hits = append(hits, t.info)
		}
	}
	total := (len(hits) + size - 1) / size
	lo, hi := min((page-1)*size, len(hits)), min(page*size, len(hits))
	writeJSON(w, map[string]any{
		"language": "no",
		"tables":   append([]json.RawMessage{}, hits[lo:hi]...),
		"page": map[string]any{"pageNumber": page, "pageSize": size, "totalElements": len(hits),
			"totalPages": total, "links": []any{}},
		"links": []any{},
	})
}

type query map[string][]string

func lowerQuery(r *http.Request) query {
	q := query{}
	for k, v := range r.URL.Query() {
		lk := strings.ToLower(k)
		q[lk] = append(q[lk], v...)
	}
	return q
}

func (q query) get(k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// metadata is data.json without values, with extension.px.tableid.
func (t *table) metadata() map[string]any {
	m := make(map[string]any, len(t.raw))
	for k, v := range t.raw {
		m[k] = v
	}
	m["value"] = []any{}
	delete(m, "status")
	ext, _ := m["extension"].(map[string]any)
	next := map[string]any{}
	for k, v := range ext {
		next[k] = v
	}
	px, _ := next["px"].(map[string]any)
	npx := map[string]any{}
	for k, v := range px {
		npx[k] = v
	}
	npx["tableid"] = t.id
	next["px"] = npx
	m["extension"] = next
	return m
}

func (t *table) v1Metadata() map[string]any {
	var vars []map[string]any
	for k, d := range t.cube.Dims {
		vars = append(vars, map[string]any{
			"code": d.ID, "text": d.Label, "values": d.Codes, "valueTexts": d.Labels,
			"elimination": t.ext[k].Elimination, "time": contains(t.cube.Role.Time, d.ID),
		})
	}
	return map[string]any{"title": t.cube.Label, "variables": vars}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// varSel is one variable's selection as received.
type varSel struct {
	codelist, outputValues string
	codes                  []string
}

func (s *Cubes) serveData(w http.ResponseWriter, r *http.Request, t *table) {
	q := lowerQuery(r)
	if f := q.get("outputformat"); f != "" && f != "json-stat2" {
		writeProblem(w, http.StatusBadRequest, fmt.Sprintf("Output format %s is not supported", f))
		return
	}
	sel := map[string]*varSel{}
	byLower := map[string]string{}
	for _, d := range t.cube.Dims {
		byLower[strings.ToLower(d.ID)] = d.ID
	}
	get := func(name string) (*varSel, error) {
		id, ok := byLower[strings.ToLower(name)]
		if !ok {
			return nil, fmt.Errorf("Variable %s is not a variable of table %s", name, t.id)
		}
		if sel[id] == nil {
			sel[id] = &varSel{}
		}
		return sel[id], nil
	}
	if r.Method == http.MethodPost {
		var body struct {
			Selection []struct {
				VariableCode string   `json:"variableCode"`
				Codelist     string   `json:"codelist"`
				OutputValues string   `json:"outputValues"`
				ValueCodes   []string `json:"valueCodes"`
			} `json:"selection"`
		}
		b, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if err == nil {
			err = json.Unmarshal(b, &body)
		}
		if err != nil {
			writeProblem(w, http.StatusBadRequest, "Invalid request body: "+err.Error())
			return
		}
		for _, v := range body.Selection {
			vs, err := get(v.VariableCode)
			if err != nil {
				writeProblem(w, http.StatusBadRequest, err.Error())
				return
			}
			vs.codelist, vs.outputValues, vs.codes = v.Codelist, v.OutputValues, v.ValueCodes
		}
	} else {
		for k, v := range r.URL.Query() {
			open := strings.IndexByte(k, '[')
			if open < 0 || !strings.HasSuffix(k, "]") || len(v) == 0 {
				continue
			}
			kind := strings.ToLower(k[:open])
			if kind != "valuecodes" && kind != "codelist" && kind != "outputvalues" {
				continue
			}
			vs, err := get(k[open+1 : len(k)-1])
			if err != nil {
				writeProblem(w, http.StatusBadRequest, err.Error())
				return
			}
			switch kind {
			case "valuecodes":
				vs.codes = strings.Split(v[0], ",")
			case "codelist":
				vs.codelist = v[0]
			case "outputvalues":
				vs.outputValues = v[0]
			}
		}
	}
	s.answer(w, t, sel)
}

func (s *Cubes) serveV1Data(w http.ResponseWriter, r *http.Request, t *table) {
	var body struct {
		Query []struct {
			Code      string `json:"code"`
			Selection struct {
				Filter string   `json:"filter"`
				Values []string `json:"values"`
			} `json:"selection"`
		} `json:"query"`
		Response struct {
			Format string `json:"format"`
		} `json:"response"`
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err == nil {
		err = json.Unmarshal(b, &body)
	}
	if err != nil {
		writeProblem(w, http.StatusBadRequest, "Invalid query: "+err.Error())
		return
	}
	if body.Response.Format != "json-stat2" {
		writeProblem(w, http.StatusBadRequest, fmt.Sprintf("Response format %q is not supported", body.Response.Format))
		return
	}
	sel := map[string]*varSel{}
	for _, q := range body.Query {
		if t.cube.Dim(q.Code) == nil {
			writeProblem(w, http.StatusBadRequest, fmt.Sprintf("Variable %s is not a variable of table %s", q.Code, t.id))
			return
		}
		vs := &varSel{codes: q.Selection.Values}
		f := q.Selection.Filter
		switch {
		case f == "item", f == "all":
		case f == "top":
			if len(q.Selection.Values) != 1 {
				writeProblem(w, http.StatusBadRequest, "top takes one value")
				return
			}
			vs.codes = []string{"top(" + q.Selection.Values[0] + ")"}
		case strings.HasPrefix(f, "agg_single:"):
			vs.codelist, vs.outputValues = "agg_"+f[len("agg_single:"):], "single"
		case strings.HasPrefix(f, "agg:"):
			vs.codelist, vs.outputValues = "agg_"+f[len("agg:"):], "aggregated"
		case strings.HasPrefix(f, "vs:"):
			vs.codelist = "vs_" + f[len("vs:"):]
		default:
			writeProblem(w, http.StatusBadRequest, fmt.Sprintf("Filter %q is not supported", f))
			return
		}
		sel[q.Code] = vs
	}
	s.answer(w, t, sel)
}

// outDim is one dimension of the answer: its output categories, each with
// the cube positions it sums.
type outDim struct {
	id      string
	labels  []string
	codes   []string
	members [][]int
	dropped bool // eliminated: not in the output
	sums    bool // an output category is a sum (aggregation or summed elimination)
}

// answer slices the cube by sel and writes the JSON-stat response.
func (s *Cubes) answer(w http.ResponseWriter, t *table, sel map[string]*varSel) {
	var dims []outDim
	cells := 1
	for k, d := range t.cube.Dims {
		od, err := s.outDim(t, k, sel[d.ID])
		if err != nil {
			writeProblem(w, http.StatusBadRequest, err.Error())
			return
		}
		if !od.dropped {
			cells *= len(od.codes)
		}
		dims = append(dims, od)
	}
	if cells > s.maxCells {
		writeProblem(w, http.StatusForbidden,
			fmt.Sprintf("The query resulted in %d cells that exceeds the number of allowed %d", cells, s.maxCells))
		return
	}
	writeJSON(w, s.build(t, dims, cells))
}

func (s *Cubes) outDim(t *table, k int, vs *varSel) (outDim, error) {
	d := t.cube.Dims[k]
	ext := t.ext[k]
	od := outDim{id: d.ID}
	all := func() [][]int {
		m := make([][]int, len(d.Codes))
		for i := range m {
			m[i] = []int{i}
		}
		return m
	}
	if vs == nil || len(vs.codes) == 0 {
		if !ext.Elimination || contains(t.cube.Role.Time, d.ID) {
			return od, fmt.Errorf("Variable %s must be selected", d.ID)
		}
		od.dropped = true
		if ext.EliminationValueCode != "" {
			for i, c := range d.Codes {
				if c == ext.EliminationValueCode {
					od.members = [][]int{{i}}
					return od, nil
				}
			}
			return od, fmt.Errorf("eliminationValueCode %s of %s is not a value", ext.EliminationValueCode, d.ID)
		}
		var m []int
		for i := range d.Codes {
			m = append(m, i)
		}
		od.members = [][]int{m}
		od.sums = true
		return od, nil
	}
	isTime := contains(t.cube.Role.Time, d.ID)
	pos := map[string]int{}
	for i, c := range d.Codes {
		pos[c] = i
	}
	if vs.codelist == "" {
		picked, err := pick(d.Codes, isTime, vs.codes, d.ID)
		if err != nil {
			return od, err
		}
		m := all()
		for _, i := range picked {
			od.codes = append(od.codes, d.Codes[i])
			od.labels = append(od.labels, d.Labels[i])
			od.members = append(od.members, m[i])
		}
		return od, nil
	}
	cl := s.codelists[strings.ToLower(vs.codelist)]
	known := false
	for _, c := range ext.Codelists {
		known = known || strings.EqualFold(c.ID, vs.codelist)
	}
	if cl == nil || !known {
		return od, fmt.Errorf("Codelist %s is not a codelist of variable %s", vs.codelist, d.ID)
	}
	ov := strings.ToLower(vs.outputValues)
	valueset := strings.EqualFold(cl.Type, "Valueset")
	if valueset || ov == "single" {
		// Output is base values in cube order.
		var groups []string
		var members []map[int]bool
		if valueset {
			// Valueset values are base codes: order them like the cube.
			var ps []int
			for _, v := range cl.Values {
				p, ok := pos[v.Code]
				if !ok {
					return od, fmt.Errorf("Value %s of codelist %s is not a value of %s", v.Code, cl.ID, d.ID)
				}
				ps = append(ps, p)
			}
			sort.Ints(ps)
			for _, p := range ps {
				groups = append(groups, d.Codes[p])
				members = append(members, map[int]bool{p: true})
			}
		} else {
			for _, v := range cl.Values {
				groups = append(groups, v.Code)
				m := map[int]bool{}
				for _, c := range v.ValueMap {
					p, ok := pos[c]
					if !ok {
						return od, fmt.Errorf("Member %s of %s in codelist %s is not a value of %s", c, v.Code, cl.ID, d.ID)
					}
					m[p] = true
				}
				members = append(members, m)
			}
		}
		picked, err := pick(groups, isTime, vs.codes, d.ID)
		if err != nil {
			return od, err
		}
		keep := map[int]bool{}
		for _, g := range picked {
			for p := range members[g] {
				keep[p] = true
			}
		}
		for i := range d.Codes {
			if keep[i] {
				od.codes = append(od.codes, d.Codes[i])
				od.labels = append(od.labels, d.Labels[i])
				od.members = append(od.members, []int{i})
			}
		}
		return od, nil
	}
	var codes []string
	for _, v := range cl.Values {
		codes = append(codes, v.Code)
	}
	picked, err := pick(codes, isTime, vs.codes, d.ID)
	if err != nil {
		return od, err
	}
	for _, g := range picked {
		v := cl.Values[g]
		var m []int
		for _, c := range v.ValueMap {
			p, ok := pos[c]
			if !ok {
				return od, fmt.Errorf("Member %s of %s in codelist %s is not a value of %s", c, v.Code, cl.ID, d.ID)
			}
			m = append(m, p)
		}
		od.codes = append(od.codes, v.Code)
		od.labels = append(od.labels, v.Label)
		od.members = append(od.members, m)
	}
	od.sums = true
	return od, nil
}

// build computes the answer's cells and its JSON-stat document.
func (s *Cubes) build(t *table, dims []outDim, cells int) map[string]any {
	cube := t.cube
	strides := make([]int, len(cube.Dims))
	st := 1
	for k := len(cube.Dims) - 1; k >= 0; k-- {
		strides[k] = st
		st *= len(cube.Dims[k].Codes)
	}
	sums := false
	for _, od := range dims {
		sums = sums || od.sums
	}
	values := make([]any, cells)
	status := map[string]string{}
	// Odometer over output cells; eliminated dims have a single "category".
	idx := make([]int, len(dims))
	for cell := 0; cell < cells; cell++ {
		// Enumerate the cube cells that feed this output cell.
		var sum float64
		nPresent, nSrc, src := 0, 0, -1
		var walk func(k, base int)
		walk = func(k, base int) {
			if k == len(dims) {
				nSrc++
				src = base
				if cube.Present[base] {
					sum += cube.Values[base]
					nPresent++
				}
				return
			}
			ci := idx[k]
			if dims[k].dropped {
				ci = 0
			}
			for _, p := range dims[k].members[ci] {
				walk(k+1, base+p*strides[k])
			}
		}
		walk(0, 0)
		switch {
		case nSrc == 1 && !sums:
			if cube.Present[src] {
				values[cell] = cube.Values[src]
			}
			if cube.Status != nil && cube.Status[src] != "" {
				status[strconv.Itoa(cell)] = cube.Status[src]
			}
		case nPresent > 0:
			values[cell] = sum
		}
		for k := len(dims) - 1; k >= 0; k-- {
			if dims[k].dropped {
				continue
			}
			idx[k]++
			if idx[k] < len(dims[k].codes) {
				break
			}
			idx[k] = 0
		}
	}
	rawDims, _ := t.raw["dimension"].(map[string]any)
	var ids []string
	var sizes []int
	dimObj := map[string]any{}
	for _, od := range dims {
		if od.dropped {
			continue
		}
		ids = append(ids, od.id)
		sizes = append(sizes, len(od.codes))
		index, labels := map[string]int{}, map[string]string{}
		for i, c := range od.codes {
			index[c] = i
			labels[c] = od.labels[i]
		}
		cat := map[string]any{"index": index, "label": labels}
		obj := map[string]any{"category": cat}
		if rd, ok := rawDims[od.id].(map[string]any); ok {
			obj["label"] = rd["label"]
			if ext, ok := rd["extension"]; ok {
				obj["extension"] = ext
			}
			if rc, ok := rd["category"].(map[string]any); ok {
				if units, ok := rc["unit"].(map[string]any); ok {
					u := map[string]any{}
					for _, c := range od.codes {
						if v, ok := units[c]; ok {
							u[c] = v
						}
					}
					if len(u) > 0 {
						cat["unit"] = u
					}
				}
			}
		}
		dimObj[od.id] = obj
	}
	role := map[string]any{}
	for name, list := range map[string][]string{"time": cube.Role.Time, "geo": cube.Role.Geo, "metric": cube.Role.Metric} {
		var keep []string
		for _, id := range list {
			if contains(ids, id) {
				keep = append(keep, id)
			}
		}
		if len(keep) > 0 {
			role[name] = keep
		}
	}
	out := map[string]any{
		"version": "2.0", "class": "dataset", "label": cube.Label, "source": cube.Source,
		"updated": cube.Updated, "id": ids, "size": sizes, "dimension": dimObj, "value": values,
		"extension": map[string]any{"px": map[string]any{"tableid": t.id}},
	}
	if len(role) > 0 {
		out["role"] = role
	}
	if len(status) > 0 {
		out["status"] = status
	}
	return out
}

// pick resolves selection expressions against codes (the server's own
// reading of PxWebApi's expressions) and returns positions in codes order.
func pick(codes []string, isTime bool, exprs []string, variable string) ([]int, error) {
	n := len(codes)
	on := make([]bool, n)
	at := func(c string) int {
		for i, x := range codes {
			if x == c {
				return i
			}
		}
		return -1
	}
	bad := func(c string) error {
		return fmt.Errorf("Value %s is not a valid value code for variable %s", c, variable)
	}
	set := func(lo, hi int) {
		for i := max(lo, 0); i <= hi && i < n; i++ {
			on[i] = true
		}
	}
	for _, e := range exprs {
		e = strings.TrimSpace(e)
		if i := at(e); i >= 0 {
			on[i] = true
			continue
		}
		name, arg, isFn := strings.Cut(e, "(")
		isFn = isFn && strings.HasSuffix(arg, ")")
		arg = strings.TrimSuffix(arg, ")")
		switch lname := strings.ToLower(name); {
		case e == "*":
			set(0, n-1)
		case isFn && (lname == "top" || lname == "bottom"):
			cnt, off := 0, 0
			a, b, _ := strings.Cut(arg, ",")
			cnt, err1 := strconv.Atoi(strings.TrimSpace(a))
			var err2 error
			if b != "" {
				off, err2 = strconv.Atoi(strings.TrimSpace(b))
			}
			if err1 != nil || err2 != nil || cnt < 1 || off < 0 {
				return nil, fmt.Errorf("Invalid expression %s for variable %s", e, variable)
			}
			first := lname == "top"
			if isTime {
				first = !first
			}
			if first {
				set(off, off+cnt-1)
			} else {
				set(n-off-cnt, n-off-1)
			}
		case isFn && (lname == "from" || lname == "to"):
			i := at(strings.TrimSpace(arg))
			if i < 0 {
				return nil, bad(arg)
			}
			if lname == "from" {
				set(i, n-1)
			} else {
				set(0, i)
			}
		case isFn && lname == "range":
			a, b, _ := strings.Cut(arg, ",")
			i, j := at(strings.TrimSpace(a)), at(strings.TrimSpace(b))
			if i < 0 {
				return nil, bad(a)
			}
			if j < 0 {
				return nil, bad(b)
			}
			set(min(i, j), max(i, j))
		case strings.ContainsAny(e, "*?"):
			for i, c := range codes {
				if globMatch(e, c) {
					on[i] = true
				}
			}
		default:
			return nil, bad(e)
		}
	}
	var out []int
	for i, ok := range on {
		if ok {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("The selection for variable %s selects no values", variable)
	}
	return out, nil
}

// globMatch matches * (any run) and ? (one rune) recursively.
func globMatch(p, s string) bool {
	pr, sr := []rune(p), []rune(s)
	var m func(i, j int) bool
	memo := map[[2]int]bool{}
	m = func(i, j int) bool {
		key := [2]int{i, j}
		if v, ok := memo[key]; ok {
			return v
		}
		var r bool
		switch {
		case i == len(pr):
			r = j == len(sr)
		case pr[i] == '*':
			r = m(i+1, j) || (j < len(sr) && m(i, j+1))
		default:
			r = j < len(sr) && (pr[i] == '?' || pr[i] == sr[j]) && m(i+1, j+1)
		}
		memo[key] = r
		return r
	}
	return m(0, 0)
}

// Limits returns the limits /config reports: cells per request, calls per
// window and the window.
func (s *Cubes) Limits() (maxCells, maxCalls int, window time.Duration) {
	return s.maxCells, s.maxCalls, s.window
}

// BundleMaxCalls is the maxCallsPerTimeWindow that CubesTransport reports.
const BundleMaxCalls = 1 << 30

// CubesTransport returns an http.RoundTripper that answers requests under
// baseURL (e.g. https://data.ssb.no/api/pxwebapi/v2) from the Cubes bundle
// in dir, in process: the base URL's path is stripped, so the emulator sees
// /config, /tables/{id}/data and so on. A request to another host fails with
// a *MissError naming its URL, so nothing reaches the network.
//
// The transport answers in process, so there is no server to protect: its
// /config reports BundleMaxCalls calls per window instead of the bundle's
// recorded maxCallsPerTimeWindow, and a client that paces itself by /config
// does not wait (SSB's 30 calls a minute made the demo's first run sleep for
// a minute). maxDataCells stays as recorded, so the requests are split as
// they would be against the real API and every answer is the same.
func CubesTransport(baseURL, dir string) (http.RoundTripper, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("replay cubes: base url: %w", err)
	}
	c, err := NewCubes(dir, CubeOptions{MaxCalls: BundleMaxCalls})
	if err != nil {
		return nil, err
	}
	return &handlerTransport{source: "pxweb", host: strings.ToLower(u.Host), prefix: strings.TrimSuffix(u.Path, "/"), h: c}, nil
}

var _ http.Handler = (*Cubes)(nil)
