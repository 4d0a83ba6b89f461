package pxweb_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/pxweb"
)

// The expected values below were read by hand from the recorded files
// (testdata/PROVENANCE.md lists the same facts).

func TestSearchRecordedSCB(t *testing.T) {
	ts, queries := replay(t, map[string]string{"/config": "scb/config.json", "/tables": "scb/tables.json"})
	c := pxweb.New(ts.URL, pxweb.Options{Lang: "sv", Clock: newFakeClock()})
	res, err := c.Search(context.Background(), "", 1)
	if err != nil {
		t.Fatal(err)
	}
	// scb/tables.json: page {pageNumber 1, pageSize 20, totalElements
	// 4246, totalPages 213}, page.links next ...pageNumber=2.
	want := pxweb.Paging{PageNumber: 1, PageSize: 20, TotalElements: 4246, TotalPages: 213,
		Next: "https://statistikdatabasen.scb.se/api/v2/tables/?lang=sv&pagesize=20&pageNumber=2"}
	if res.Page != want {
		t.Errorf("Search page = %+v, want %+v", res.Page, want)
	}
	if len(res.Tables) != 20 || res.Language != "sv" {
		t.Fatalf("Search = %d tables in %q, want 20 in sv", len(res.Tables), res.Language)
	}
	first := res.Tables[0]
	if first.ID != "TAB4707" || first.Label != "Antal pågående anställningar efter anställningstid, kön och sektor. Månad 2015M04-2026M03" ||
		first.FirstPeriod != "2015M04" || first.LastPeriod != "2026M03" ||
		!reflect.DeepEqual(first.VariableNames, []string{"sektor", "kön", "tabellinnehåll", "månad"}) {
		t.Errorf("first table = %+v", first)
	}
	q := (*queries)[len(*queries)-1]
	if q != "/tables?lang=sv&pageNumber=1" {
		t.Errorf("request = %q, want /tables?lang=sv&pageNumber=1 (no empty query=)", q)
	}
}

func TestSearchRecordedSCBQuery(t *testing.T) {
	ts, queries := replay(t, map[string]string{"/config": "scb/config.json", "/tables": "scb/search.json"})
	src := &pxweb.Source{Client: pxweb.New(ts.URL, pxweb.Options{Lang: "sv", Clock: newFakeClock()})}
	var s sources.Searcher = src
	page, err := s.Search(context.Background(), sources.SearchQuery{Text: "befolkning", Page: 3})
	if err != nil {
		t.Fatal(err)
	}
	// scb/search.json: 10 hits on 1 page; the first TAB4552, updated
	// 2026-06-02T06:00:00Z, periods 1960-2024; the last TAB6473.
	if page.Page != 1 || page.Pages != 1 || page.Total != 10 || len(page.Tables) != 10 {
		t.Errorf("Search = page %d of %d, %d total, %d tables; want 1 of 1, 10, 10", page.Page, page.Pages, page.Total, len(page.Tables))
	}
	got := page.Tables[0]
	want := sources.TableSummary{ID: "TAB4552", Title: "Befolkningens anslutning till kommunalt vatten och avlopp. År 1960-2024",
		FirstPeriod: "1960", LastPeriod: "2024", Updated: time.Date(2026, 6, 2, 6, 0, 0, 0, time.UTC),
		Variables: []string{"typ av anslutning", "tabellinnehåll", "år"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("first hit = %+v, want %+v", got, want)
	}
	if last := page.Tables[9].ID; last != "TAB6473" {
		t.Errorf("last hit = %s, want TAB6473", last)
	}
	q := (*queries)[len(*queries)-1]
	for _, w := range []string{"query=befolkning", "lang=sv", "pageNumber=3"} {
		if !strings.Contains(q, w) {
			t.Errorf("request %q lacks %q", q, w)
		}
	}
}

func TestDescribeRecordedDemo(t *testing.T) {
	ts, queries := replay(t, map[string]string{
		"/config":                 "demo/GetApiConfiguration.json",
		"/tables/TAB001":          "demo/TableById_tab001.json",
		"/tables/TAB001/metadata": "demo/MetadataById_tab001_js2.json",
	})
	src := &pxweb.Source{Client: pxweb.New(ts.URL, pxweb.Options{Lang: "en", Clock: newFakeClock()})}
	d, err := src.Describe(context.Background(), "TAB001")
	if err != nil {
		t.Fatal(err)
	}
	// TableById_tab001.json and MetadataById_tab001_js2.json (PROVENANCE.md).
	if d.ID != "TAB001" || d.Title != "Population by region, sex, age, contents and year" || d.FirstPeriod != "1981" ||
		d.LastPeriod != "2001" || !d.Updated.Equal(time.Date(2023, 5, 25, 13, 42, 0, 0, time.UTC)) {
		t.Errorf("Describe(TAB001) summary = %+v", d.TableSummary)
	}
	type shape struct {
		code        string
		n           int
		time, elim  bool
		first, unit string
	}
	var got []shape
	for _, v := range d.Variables {
		got = append(got, shape{v.Code, len(v.Values), v.Time, v.Elimination, v.Values[0].Code + " " + v.Values[0].Label, v.Values[0].Unit})
	}
	// Sizes [30,3,22,1,3]; only AGE has elimination true; TIME has role
	// time; ContentsCode's one value HNMGA has unit base "amount".
	want := []shape{
		{"REGION", 30, false, false, "AT Austria", ""},
		{"SEX", 3, false, false, "F Female", ""},
		{"AGE", 22, false, true, "TOTAL Total", ""},
		{"ContentsCode", 1, false, false, "HNMGA Population", "amount"},
		{"TIME", 3, true, false, "1981 1981", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Describe(TAB001) variables =\n%+v\nwant\n%+v", got, want)
	}
	if len(*queries) != 3 || (*queries)[2] != "/tables/TAB001/metadata?lang=en&outputFormat=json-stat2" {
		t.Errorf("requests = %q, want config, table, metadata?lang=en&outputFormat=json-stat2", *queries)
	}
	keys, ok := d.DatasetKeys.(pxweb.DatasetKeys)
	if !ok || len(keys.Variables) != 5 {
		t.Errorf("DatasetKeys = %#v, want pxweb.DatasetKeys of 5 variables", d.DatasetKeys)
	}
}

func TestDescribeErrorsNameTheURL(t *testing.T) {
	body := map[string]string{
		"/tables/TAB001": `{"id":"TAB001","label":"x","updated":"2023-05-25T13:42:00Z"}`,
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/config":
			b, _ := os.ReadFile(filepath.Join("testdata", "demo", "GetApiConfiguration.json"))
			_, _ = w.Write(b)
		case "/tables/TAB001":
			_, _ = w.Write([]byte(body[r.URL.Path]))
		case "/tables/TAB001/metadata":
			// A dimension extension whose elimination is a string.
			_, _ = w.Write([]byte(`{"version":"2.0","class":"dataset","id":["A"],"size":[1],` +
				`"dimension":{"A":{"category":{"index":{"a":0}},"extension":{"elimination":"yes"}}},"value":[]}`))
		case "/tables/BADINFO":
			_, _ = w.Write([]byte(`{"id":"BADINFO","label":"x","updated":"yesterday"}`))
		default:
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"type":"about:blank","title":"Not Found","status":404,"detail":"no such table"}`))
		}
	}))
	t.Cleanup(ts.Close)
	c := pxweb.New(ts.URL, pxweb.Options{Clock: newFakeClock()})
	ctx := context.Background()

	_, err := c.Describe(ctx, "NOPE")
	var he *httpx.HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusNotFound || !strings.Contains(he.URL, "/tables/NOPE") {
		t.Errorf("Describe(NOPE) error = %v, want an *httpx.HTTPError 404 for /tables/NOPE", err)
	}

	_, err = c.Describe(ctx, "TAB001")
	var fe *pxweb.FormatError
	if !errors.As(err, &fe) || !strings.HasSuffix(fe.URL, "/tables/TAB001/metadata?outputFormat=json-stat2") ||
		fe.Field != "dimension.A.extension" || !strings.Contains(err.Error(), "/tables/TAB001/metadata") {
		t.Errorf("Describe(bad extension) error = %v (%#v), want a *FormatError for the metadata URL and dimension.A.extension", err, fe)
	}

	_, err = c.Describe(ctx, "BADINFO")
	if !errors.As(err, &fe) || !strings.HasSuffix(fe.URL, "/tables/BADINFO") || fe.Field != "" {
		t.Errorf("Describe(bad updated) error = %v, want a *FormatError for /tables/BADINFO", err)
	}

	_, err = c.Search(ctx, "x", 0)
	if err == nil {
		t.Error("Search(page 0) succeeded")
	}
}

func TestSearchMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, body, field string
	}{
		{"no tables", `{"page":{"pageNumber":1,"pageSize":20,"totalElements":0,"totalPages":0}}`, "tables"},
		{"no page", `{"tables":[]}`, "page"},
		{"no totalPages", `{"tables":[],"page":{"pageNumber":1,"pageSize":20,"totalElements":0}}`, "page.totalPages"},
		{"page 0", `{"tables":[],"page":{"pageNumber":0,"pageSize":20,"totalElements":0,"totalPages":0}}`, "page.pageNumber"},
		{"past the last page", `{"tables":[{"id":"A","label":"a","updated":"2024-01-01T00:00:00Z"}],"page":{"pageNumber":3,"pageSize":20,"totalElements":41,"totalPages":2}}`, "page.pageNumber"},
		{"more tables than pageSize", `{"tables":[{"id":"A","label":"a","updated":"2024-01-01T00:00:00Z"},{"id":"B","label":"b","updated":"2024-01-01T00:00:00Z"}],"page":{"pageNumber":1,"pageSize":1,"totalElements":2,"totalPages":2}}`, "tables"},
		{"more tables than totalElements", `{"tables":[{"id":"A","label":"a","updated":"2024-01-01T00:00:00Z"}],"page":{"pageNumber":1,"pageSize":20,"totalElements":0,"totalPages":1}}`, "page.totalElements"},
		{"table without id", `{"tables":[{"label":"a","updated":"2024-01-01T00:00:00Z"}],"page":{"pageNumber":1,"pageSize":20,"totalElements":1,"totalPages":1}}`, "tables[0].id"},
		{"table twice", `{"tables":[{"id":"A","label":"a","updated":"2024-01-01T00:00:00Z"},{"id":"A","label":"a","updated":"2024-01-01T00:00:00Z"}],"page":{"pageNumber":1,"pageSize":20,"totalElements":2,"totalPages":1}}`, "tables[1].id"},
		{"label a number", `{"tables":[{"id":"A","label":7}],"page":{"pageNumber":1,"pageSize":20,"totalElements":1,"totalPages":1}}`, "tables[0].label"},
		{"page a string", `{"tables":[],"page":"1"}`, "page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/config" {
					b, _ := os.ReadFile(filepath.Join("testdata", "scb", "config.json"))
					_, _ = w.Write(b)
					return
				}
				_, _ = w.Write([]byte(tc.body))
			}))
			defer ts.Close()
			_, err := pxweb.New(ts.URL, pxweb.Options{Clock: newFakeClock()}).Search(context.Background(), "q", 1)
			var fe *pxweb.FormatError
			if !errors.As(err, &fe) || fe.Field != tc.field || !strings.Contains(fe.URL, "/tables?pageNumber=1&query=q") ||
				!strings.Contains(err.Error(), "/tables?") {
				t.Errorf("Search(%s) error = %v (%+v), want a *FormatError at %s naming the URL", tc.body, err, fe, tc.field)
			}
		})
	}
}
