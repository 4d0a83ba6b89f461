package pxwebtest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The bundle is the synthetic one of sources/pxweb (see its README): SYN01
// value = 1000*(region index+1) + 100*(kjonn index+1) + 10*(contents
// index+1) + time index, missing where Region=5014 and Tid=2015 and where
// Region=5020 and ContentsCode=Andel.
const bundle = "../testdata/bundle"

func newTest(t *testing.T, opts Options) (*Server, *http.Client) {
	t.Helper()
	s, err := New(bundle, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, &http.Client{Transport: s.Transport()}
}

type answer struct {
	status int
	header http.Header
	doc    map[string]any
}

func do(t *testing.T, c *http.Client, method, u, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://px.test"+u, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header}
	if err := json.Unmarshal(b, &a.doc); err != nil {
		t.Fatalf("%s %s: %v in %s", method, u, err, b)
	}
	return a
}

func TestMetadata(t *testing.T) {
	_, c := newTest(t, Options{})
	a := do(t, c, "GET", "/tables/syn01/metadata?lang=no&outputFormat=json-stat2", "")
	d := a.doc
	if a.status != 200 || !reflect.DeepEqual(d["value"], []any{}) || d["status"] != nil {
		t.Fatalf("metadata: status %d, value %v, status object %v; want 200, [], none", a.status, d["value"], d["status"])
	}
	if got := d["extension"].(map[string]any)["px"].(map[string]any)["tableid"]; got != "SYN01" {
		t.Errorf("extension.px.tableid = %v, want SYN01", got)
	}
	if got := d["size"]; !reflect.DeepEqual(got, []any{12.0, 3.0, 2.0, 10.0}) {
		t.Errorf("size = %v, want [12 3 2 10]", got)
	}
	cls := d["dimension"].(map[string]any)["Region"].(map[string]any)["extension"].(map[string]any)["codelists"].([]any)
	if len(cls) != 2 || cls[0].(map[string]any)["id"] != "agg_Grupper" {
		t.Errorf("Region codelists = %v, want agg_Grupper, vs_Utvalg", cls)
	}
}

func TestDataSlice(t *testing.T) {
	// 5001 (index 0), Kjonn 2 (index 2: +300), both contents, 2015-2016:
	// 1310 1311 1320 1321; 5014 (index 3): 2015 missing, 4311, missing, 4321.
	wantValues := []any{1310.0, 1311.0, 1320.0, 1321.0, nil, 4311.0, nil, 4321.0}
	wantStatus := map[string]any{"4": "..", "6": ".."}
	get := "/tables/SYN01/data?outputFormat=json-stat2&valueCodes[Region]=5014,5001&valueCodes[Kjonn]=2" +
		"&valuecodes[ContentsCode]=*&VALUECODES[Tid]=" + url.QueryEscape("to(2016)")
	post := `{"selection":[{"variableCode":"Region","valueCodes":["5014","5001"]},{"variableCode":"Kjonn","valueCodes":["2"]},
		{"variableCode":"ContentsCode","valueCodes":["*"]},{"variableCode":"Tid","valueCodes":["2015","2016"]}]}`
	for _, tc := range []struct{ method, u, body string }{
		{"GET", get, ""},
		{"POST", "/tables/SYN01/data?outputFormat=json-stat2", post},
	} {
		t.Run(tc.method, func(t *testing.T) {
			_, c := newTest(t, Options{})
			a := do(t, c, tc.method, tc.u, tc.body)
			if a.status != 200 {
				t.Fatalf("status %d: %v", a.status, a.doc)
			}
			d := a.doc
			if !reflect.DeepEqual(d["value"], wantValues) || !reflect.DeepEqual(d["status"], wantStatus) {
				t.Errorf("value %v status %v, want %v %v", d["value"], d["status"], wantValues, wantStatus)
			}
			if !reflect.DeepEqual(d["size"], []any{2.0, 1.0, 2.0, 2.0}) {
				t.Errorf("size = %v, want [2 1 2 2]", d["size"])
			}
			idx := d["dimension"].(map[string]any)["Region"].(map[string]any)["category"].(map[string]any)["index"]
			if !reflect.DeepEqual(idx, map[string]any{"5001": 0.0, "5014": 1.0}) {
				t.Errorf("Region index = %v, want cube order 5001, 5014", idx)
			}
		})
	}
}

func TestDataAggregated(t *testing.T) {
	_, c := newTest(t, Options{})
	a := do(t, c, "GET", "/tables/SYN01/data?codelist[Region]=agg_Grupper&outputValues[Region]=aggregated"+
		"&valueCodes[Region]=G-3,G-2&valueCodes[Kjonn]=0&valueCodes[ContentsCode]=Andel&valueCodes[Tid]=2015", "")
	// Codelist order G-2, G-3. G-2 Andel 2015 Kjonn 0 = 5006 2120 + 5007
	// 3120 (5020 missing) = 5240; G-3 = only 5014, missing in 2015.
	if a.status != 200 || !reflect.DeepEqual(a.doc["value"], []any{5240.0, nil}) || a.doc["status"] != nil {
		t.Errorf("aggregated = %d %v status %v, want [5240 null] without status", a.status, a.doc["value"], a.doc["status"])
	}
	lab := a.doc["dimension"].(map[string]any)["Region"].(map[string]any)["category"].(map[string]any)["label"].(map[string]any)
	if lab["G-3"] != "Gruppe 3 (Frøya)" {
		t.Errorf("G-3 label = %v", lab["G-3"])
	}
}

func TestErrors(t *testing.T) {
	_, c := newTest(t, Options{MaxDataCells: 100})
	all := "&valueCodes[Kjonn]=*&valueCodes[ContentsCode]=*&valueCodes[Tid]=*"
	for _, tc := range []struct {
		name, u string
		status  int
		detail  string
	}{
		{"unknown value", "/tables/SYN01/data?valueCodes[Region]=9999" + all, 400, "Value 9999 is not a valid value code for variable Region"},
		{"unknown variable", "/tables/SYN01/data?valueCodes[Fylke]=1" + all, 400, "Variable Fylke is not a variable"},
		{"time left out", "/tables/SYN01/data?valueCodes[Region]=5001&valueCodes[ContentsCode]=*", 400, "Tid must be selected"},
		{"unknown codelist", "/tables/SYN01/data?codelist[Region]=agg_X&valueCodes[Region]=*" + all, 400, "Codelist agg_X"},
		// 12*3*2*10 = 720 > 100.
		{"too many cells", "/tables/SYN01/data?valueCodes[Region]=*" + all, 403, "720 cells"},
		{"unknown table", "/tables/NOPE/data?valueCodes[Region]=*", 404, "Table NOPE not found"},
		{"unknown codelist endpoint", "/codelists/agg_X", 404, "Codelist agg_X not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := do(t, c, "GET", tc.u, "")
			if a.status != tc.status || !strings.Contains(a.doc["detail"].(string), tc.detail) ||
				a.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("GET %s = %d %v, want %d problem+json with %q", tc.u, a.status, a.doc, tc.status, tc.detail)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s, c := newTest(t, Options{MaxCalls: 2, TimeWindow: time.Second, Clock: func() time.Time { return now }})
	for i, want := range []int{200, 200, 429} {
		if a := do(t, c, "GET", "/config", ""); a.status != want {
			t.Fatalf("request %d: status %d, want %d", i+1, a.status, want)
		} else if want == 429 && a.header.Get("Retry-After") != "1" {
			t.Errorf("Retry-After = %q, want 1", a.header.Get("Retry-After"))
		}
	}
	now = now.Add(time.Second) // both starts leave the window (t-1s, t]
	if a := do(t, c, "GET", "/config", ""); a.status != 200 {
		t.Errorf("after the window: status %d, want 200", a.status)
	}
	if got := s.Requests()["config"]; got != 4 {
		t.Errorf("Requests()[config] = %d, want 4", got)
	}
	if a := do(t, c, "GET", "/config", ""); a.doc["maxCallsPerTimeWindow"] != 2.0 {
		t.Errorf("config maxCallsPerTimeWindow = %v, want the override 2", a.doc["maxCallsPerTimeWindow"])
	}
}

func TestFaults(t *testing.T) {
	s, c := newTest(t, Options{Faults: Script(
		Rule{Endpoint: "table", N: 1, Fault: Fault{Status: 503, RetryAfter: "2"}},
		Rule{Endpoint: "table", N: 2, Fault: Fault{Reset: true}},
	)})
	a := do(t, c, "GET", "/tables/SYN02", "")
	if a.status != 503 || a.header.Get("Retry-After") != "2" {
		t.Errorf("request 1 = %d (Retry-After %q), want 503 with 2", a.status, a.header.Get("Retry-After"))
	}
	_, err := c.Get("http://px.test/tables/SYN02")
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("request 2 error %v, want a connection reset", err)
	}
	if a := do(t, c, "GET", "/tables/SYN02", ""); a.status != 200 || a.doc["id"] != "SYN02" {
		t.Errorf("request 3 = %d %v, want the table", a.status, a.doc)
	}
	if got := s.Requests()["table"]; got != 3 {
		t.Errorf("Requests()[table] = %d, want 3", got)
	}
}

func TestV1(t *testing.T) {
	_, c := newTest(t, Options{API: "v1", MaxDataCells: 50})
	if a := do(t, c, "GET", "/config", ""); a.status != 404 {
		t.Errorf("v2 /config in v1 mode = %d, want 404", a.status)
	}
	a := do(t, c, "GET", "/api/v0/no/?config", "")
	if a.doc["maxValues"] != 50.0 {
		t.Errorf("v1 config = %v, want maxValues 50", a.doc)
	}
	a = do(t, c, "GET", "/api/v0/no/table/SYN02", "")
	vars := a.doc["variables"].([]any)
	tid := vars[1].(map[string]any)
	if a.doc["title"] == "" || len(vars) != 2 || tid["time"] != true || !reflect.DeepEqual(tid["values"], []any{"2022", "2023", "2024"}) {
		t.Errorf("v1 metadata = %v", a.doc)
	}
	// top 2 of Tid (2023, 2024) for B: 21, 22.
	a = do(t, c, "POST", "/api/v0/no/table/SYN02", `{"query":[{"code":"Naering","selection":{"filter":"item","values":["B"]}},
		{"code":"Tid","selection":{"filter":"top","values":["2"]}}],"response":{"format":"json-stat2"}}`)
	if a.status != 200 || !reflect.DeepEqual(a.doc["value"], []any{21.0, 22.0}) {
		t.Errorf("v1 data = %d %v, want [21 22]", a.status, a.doc["value"])
	}
	a = do(t, c, "POST", "/api/v0/no/table/SYN02", `{"query":[],"response":{"format":"px"}}`)
	if a.status != 400 {
		t.Errorf("v1 px format = %d, want 400", a.status)
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New("does-not-exist", Options{}); err == nil {
		t.Errorf("New(missing dir) = nil error")
	}
	if _, err := New(bundle, Options{API: "v3"}); err == nil {
		t.Errorf("New(API v3) = nil error")
	}
}

// FuzzData sends arbitrary data queries: the server must answer 200, 400
// or 403 with JSON, never panic.
func FuzzData(f *testing.F) {
	f.Add("valueCodes[Region]=5001&valueCodes[ContentsCode]=*&valueCodes[Tid]=top(2)")
	f.Add("codelist[Region]=agg_Grupper&valueCodes[Region]=G-*&valueCodes[ContentsCode]=Andel&valueCodes[Tid]=range(2016,2018)")
	f.Add("valueCodes[Tid]=from(2030)&valueCodes[ContentsCode]=bottom(0)")
	s, err := New(bundle, Options{MaxDataCells: 200, MaxCalls: 1 << 30, TimeWindow: time.Second})
	if err != nil {
		f.Fatal(err)
	}
	c := &http.Client{Transport: s.Transport()}
	f.Fuzz(func(t *testing.T, q string) {
		u, err := url.Parse("http://px.test/tables/SYN01/data")
		if err != nil {
			t.Skip()
		}
		u.RawQuery = q
		resp, err := c.Get(u.String())
		if err != nil {
			t.Skip() // unparsable URL
		}
		defer resp.Body.Close()
		var doc map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
			t.Fatalf("query %q: status %d, body not JSON: %v", q, resp.StatusCode, err)
		}
		switch resp.StatusCode {
		case 200, 400, 403:
		default:
			t.Fatalf("query %q: status %d", q, resp.StatusCode)
		}
	})
}
