package udir

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/sources/jsonstat"

	"github.com/grunnlag/grunnlag/sources/httpx"
)

// fakeRegions knows the nation, the 2024 counties 40 and 46, Trøndelag 50
// (from 2018) and, before 2020, old Telemark 08.
type fakeRegions struct{}

func (fakeRegions) CodeOnDate(name string, d time.Time) (string, error) {
	return "", errors.New("names are not used by udir")
}

func (fakeRegions) Known(code string, d time.Time) bool {
	switch code {
	case "0":
		return true
	case "40", "46":
		return d.Year() >= 2024
	case "50":
		return d.Year() >= 2018
	case "08":
		return d.Year() < 2020
	}
	return false
}

func cellAt(t *testing.T, ds *jsonstat.Dataset, codes map[string]string) (float64, bool, string) {
	t.Helper()
	coords := make([]int, len(ds.Dims))
	for k, d := range ds.Dims {
		coords[k] = -1
		for i, c := range d.Codes {
			if c == codes[d.ID] {
				coords[k] = i
			}
		}
		if coords[k] < 0 {
			t.Fatalf("cellAt: dimension %s has no code %q (codes %v)", d.ID, codes[d.ID], d.Codes)
		}
	}
	i := ds.Index(coords)
	st := ""
	if ds.Status != nil {
		st = ds.Status[i]
	}
	return ds.Values[i], ds.Present[i], st
}

// server replays the constructed responses in testdata/api; an unknown
// request fails the test with its URL.
func server(t *testing.T, files map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.UserAgent() == "" || !strings.HasPrefix(r.UserAgent(), "grunnlag") {
			t.Errorf("User-Agent = %q", r.UserAgent())
		}
		key := r.URL.Path
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		f, ok := files[key]
		if !ok {
			t.Errorf("unrecorded request %s", r.URL)
			http.Error(w, "not recorded", http.StatusNotFound)
			return
		}
		if strings.HasPrefix(f, "status:") {
			http.Error(w, "feil", 500)
			return
		}
		data, err := os.ReadFile("testdata/api/" + f)
		if err != nil {
			t.Fatal(err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv
}

const (
	pathLK = "/api/rapportering/rest/v1/Statistikk/FOY/Laerekontrakter/1/3"
	// url.Values encodes "(" and ")" as %28 and %29.
	dataLK = pathLK + "/data?filter=TidID%28202410_202510%29_UtdprogramID%28-10%29&radSti=F"
)

// TestFetch replays constructed responses in the documented shape
// (DOMAIN.md §5.3). National 2025 = 48 725 and Vestland 6 844 are the
// published figures of FOY_LK_FylkUtdprogAar in DOMAIN.md §7 [T]; the other
// numbers are made up.
func TestFetch(t *testing.T) {
	srv := server(t, map[string]string{
		"/api/rapportering/rest/v1/Rapportside/FOY_LK_FylkUtdprogAar": "rapportside.json",
		pathLK + "/filterVerdier":                                     "filterverdier.json",
		dataLK:                                                        "data.json",
	})
	var recorded []Exchange
	c := New(srv.URL+"/api/rapportering/rest/v1", Options{Regions: fakeRegions{},
		Recorder: func(ex Exchange) error { recorded = append(recorded, ex); return nil }})
	q := Query{Report: "FOY_LK_FylkUtdprogAar", RowPath: "F", Label: "Lærekontrakter",
		Filter: []Filter{{ID: "TidID", Values: []string{"202410", "siste"}}, {ID: "UtdprogramID", Values: []string{"-10"}}}}
	res, err := c.Fetch(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != "Statistikk/FOY/Laerekontrakter/1/3" || len(res.Exchanges) != 3 || len(recorded) != 3 {
		t.Errorf("path %q, %d exchanges, %d recorded; want the resolved path and 3", res.Path, len(res.Exchanges), len(recorded))
	}
	ds := res.Dataset
	tests := []struct {
		region, period string
		want           float64
		present        bool
		status         string
	}{
		{"0", "2025", 48725, true, ""},
		{"46", "2025", 6844, true, ""},
		{"40", "2024", 1650, true, ""},
		{"40", "2025", 0, false, "*"},
		{"50", "2024", 4120, true, ""}, // a JSON number and a numeric id
		{"50", "2025", 0, false, ""},   // null
	}
	for _, tc := range tests {
		v, ok, st := cellAt(t, ds, map[string]string{"region": tc.region, "period": tc.period})
		if v != tc.want || ok != tc.present || st != tc.status {
			t.Errorf("%s %s = %v %v %q, want %v %v %q", tc.region, tc.period, v, ok, st, tc.want, tc.present, tc.status)
		}
	}
	if ds.Label != "Lærekontrakter" || ds.Dim("region").Labels[0] != "Hele landet" {
		t.Errorf("label %q, first region label %q", ds.Label, ds.Dim("region").Labels[0])
	}
	if len(ds.Note) == 0 || ds.Note[0] != Attribution {
		t.Errorf("notes = %q, want the NLOD attribution", ds.Note)
	}
}

func TestFetchErrors(t *testing.T) {
	srv := server(t, map[string]string{
		"/api/rapportering/rest/v1/Rapportside/FOY_LK_FylkUtdprogAar": "rapportside.json",
		pathLK + "/filterVerdier":                                     "filterverdier.json",
		"/api/rapportering/rest/v1/Rapportside/X":                     "status:500",
	})
	// Fast retries: the 500 is retried (httpx) before it is reported.
	c := New(srv.URL+"/api/rapportering/rest/v1", Options{Retry: httpx.Policy{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}})
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"value not offered", Query{Report: "FOY_LK_FylkUtdprogAar", Filter: []Filter{{ID: "TidID", Values: []string{"201910"}}}},
			"udir: report FOY_LK_FylkUtdprogAar: filter TidID: value 201910 is not offered"},
		{"filter not offered", Query{Report: "FOY_LK_FylkUtdprogAar", Filter: []Filter{{ID: "KjonnID", Values: []string{"-10"}}}},
			"udir: report FOY_LK_FylkUtdprogAar: filter KjonnID is not offered (filters: TidID, UtdprogramID)"},
		{"server error", Query{Report: "X"}, "udir: report X: resolve: udir: GET "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Fetch(context.Background(), tc.q)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("Fetch error = %v, want prefix %q", err, tc.want)
			}
		})
	}
	_, err := c.Fetch(context.Background(), Query{Report: "X"})
	var he *httpx.HTTPError
	if !errors.As(err, &he) || he.Status != 500 || !httpx.Recoverable(he) {
		t.Errorf("Fetch(X) error = %v, want *HTTPError 500", err)
	}
}

func TestParse(t *testing.T) {
	two, err := os.ReadFile("testdata/api/data_two_levels.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(Query{Report: "R"}, two, nil); err == nil || !strings.Contains(err.Error(), "row hierarchy of 2 levels") {
		t.Errorf("Parse(two levels) error = %v", err)
	}
	if _, err := Parse(Query{Report: "R"}, []byte(`{"metadata":{"columns":[{"id":"1","navn":"2025"}]},"rows":[{"id":"40","navn":"T","data":["1","2"]}]}`), nil); err == nil ||
		!strings.Contains(err.Error(), `row 1: column "data": 2 cells for 1 columns`) {
		t.Errorf("Parse(ragged) error = %v", err)
	}
	// Completion by programme: columns are programmes, the cohort is the
	// period, and the county is the one at the start of the cohort (08 in
	// 2019). 81,8 is the published national figure for the 2019 cohort
	// (DOMAIN.md §7 [T]); the rest is made up.
	data, err := os.ReadFile("testdata/api/gjennomfoering.json")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Parse(Query{Report: "VGO_Gjennomfoering_Fylk", ColumnDim: "Utdprogram", Period: "2019-2025"}, data, fakeRegions{})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := cellAt(t, ds, map[string]string{"region": "0", "period": "2019-2025", "Utdprogram": "-10"}); !ok || v != 81.8 {
		t.Errorf("national completion = %v, want 81.8", v)
	}
	if _, ok, st := cellAt(t, ds, map[string]string{"region": "08", "period": "2019-2025", "Utdprogram": "BA"}); ok || st != ".." {
		t.Errorf("Telemark BA = present %v status %q, want missing with ..", ok, st)
	}
	if got := ds.Dim("Utdprogram").Labels[1]; got != "Bygg- og anleggsteknikk" {
		t.Errorf("programme label = %q", got)
	}
	var ext struct {
		SeriesBreak []struct{ Note string } `json:"series_break"`
	}
	if err := json.Unmarshal(ds.Extension, &ext); err != nil || len(ext.SeriesBreak) != 1 || !strings.Contains(ext.SeriesBreak[0].Note, "start av kullet") {
		t.Errorf("series_break = %+v, %v; want the county-at-start-of-cohort note", ext.SeriesBreak, err)
	}
}

// TestParseExport reads the fallback export: a subset of the real Udir
// statistics-bank file (testdata/PROVENANCE.md). Hele landet 2020-21 = 3,0;
// Telemark (08) 2011-12 = 3,4; Vestfold og Telemark 2020-21 = 2,9.
func TestParseExport(t *testing.T) {
	data, err := os.ReadFile("testdata/slutta_vgo_fylker.csv")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := ParseExport("slutta_vgo_fylker.csv", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		region, period string
		want           float64
	}{{"0", "2020-2021", 3.0}, {"08", "2011-2012", 3.4}, {"38", "2020-2021", 2.9}} {
		v, ok, _ := cellAt(t, ds, map[string]string{"region": c.region, "period": c.period,
			"Utvalg": "Alle eierformer.Alle trinn.Begge kjønn", "ContentsCode": "Andel sluttet"})
		if !ok || v != c.want {
			t.Errorf("export %s %s = %v, want %v", c.region, c.period, v, c.want)
		}
	}
}

// TestDemoBundle fetches the demo report through Bundle.
func TestDemoBundle(t *testing.T) {
	rt, err := Bundle("../../testdata/demo/udir")
	if err != nil {
		t.Fatal(err)
	}
	c := New(DemoBaseURL, Options{HTTP: &http.Client{Transport: rt}, Regions: fakeRegions{}})
	for _, q := range DemoQueries() {
		res, err := c.Fetch(context.Background(), q)
		if err != nil {
			t.Fatalf("demo %s: %v", q.Report, err)
		}
		if q.Report == "FOY_LK_FylkUtdprogAar" {
			if v, _, _ := cellAt(t, res.Dataset, map[string]string{"region": "40", "period": "2025"}); v != 1702 {
				t.Errorf("demo Telemark contracts 2025 = %v, want 1702 (synthetic)", v)
			}
			if v, _, _ := cellAt(t, res.Dataset, map[string]string{"region": "0", "period": "2025"}); v != 48725 {
				t.Errorf("demo national contracts 2025 = %v, want 48725", v)
			}
		}
	}
	// The export spans 2011-2021 (old counties), which the fake does not
	// know: read it without a model.
	plain := New(DemoBaseURL, Options{HTTP: &http.Client{Transport: rt}})
	ds, ex, err := plain.FetchExport(context.Background(), DemoExportURL)
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := cellAt(t, ds, map[string]string{"region": "38", "period": "2020-2021",
		"Utvalg": "Alle eierformer.Alle trinn.Begge kjønn", "ContentsCode": "Andel sluttet"}); v != 2.9 || ex.Status != 200 {
		t.Errorf("demo export 38 2020-2021 = %v, want 2.9", v)
	}
}
