package brreg

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// server replays the recorded responses: each path maps to (status, file);
// an unrecorded request fails the test with its URL.
func server(t *testing.T) *httptest.Server {
	routes := map[string]struct {
		status int
		file   string
	}{
		"/enhetsregisteret/api/enheter/112233445":      {200, "enheter-details-response.json"},
		"/enhetsregisteret/api/enheter/123456789":      {410, "enheter-details-deleted-response.json"},
		"/enhetsregisteret/api/underenheter/776655441": {200, "underenheter-details-response.json"},
		"/enhetsregisteret/api/underenheter/112233445": {404, ""},
		"/enhetsregisteret/api/enheter/999999999":      {500, ""},
	}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, ok := routes[r.URL.Path]
		if !ok {
			t.Errorf("unrecorded request %s", r.URL)
			http.Error(w, "unrecorded", 599)
			return
		}
		if r.Header.Get("User-Agent") == "" {
			t.Errorf("request %s without User-Agent", r.URL)
		}
		w.WriteHeader(rt.status)
		if rt.file != "" {
			w.Write(read(t, rt.file))
		} else {
			w.Write([]byte(`{"status":` + http.StatusText(rt.status) + `}`))
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func TestClientUnit(t *testing.T) {
	s := server(t)
	// Fast retries: the 500 below is retried (httpx) before it is reported.
	c := New(s.URL+"/enhetsregisteret/api", Options{HTTP: s.Client(), Retry: httpx.Policy{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}})
	ctx := context.Background()
	// Expected values are the fields of the recorded responses (see
	// testdata/PROVENANCE.md).
	tests := []struct {
		kind  Kind
		orgnr string
		want  Unit
	}{
		{LegalUnit, "112233445", Unit{OrgNr: "112233445", Kind: LegalUnit, Name: "SESAM STASJON", OrgForm: "AS",
			Industry: "52.292", IndustryLabel: "Skipsmegling", Municipality: "0301", MunicipalityFrom: "forretningsadresse",
			Employees: 50, EmployeesKnown: true}},
		{LegalUnit, "123456789", Unit{OrgNr: "123456789", Kind: LegalUnit, Name: "SLETTET ENHET AS", OrgForm: "UTBG",
			Deleted: true, DeletedDate: "2017-10-20"}},
		{Establishment, "776655441", Unit{OrgNr: "776655441", Kind: Establishment, Name: "SESAM STASJON", OrgForm: "BEDR",
			Industry: "52.292", IndustryLabel: "Skipsmegling", Municipality: "0301", MunicipalityFrom: "beliggenhetsadresse",
			Employees: 50, EmployeesKnown: true, Parent: "112233445", Closed: "2018-10-20"}},
	}
	for _, tt := range tests {
		t.Run(tt.orgnr, func(t *testing.T) {
			u, err := c.Unit(ctx, tt.kind, tt.orgnr)
			if err != nil {
				t.Fatal(err)
			}
			if *u != tt.want {
				t.Errorf("Unit(%s, %s) = %+v, want %+v", tt.kind, tt.orgnr, *u, tt.want)
			}
		})
	}
	if _, err := c.Unit(ctx, Establishment, "112233445"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Unit(404) = %v, want ErrNotFound", err)
	}
	var he *httpx.HTTPError
	if _, err := c.Unit(ctx, LegalUnit, "999999999"); !errors.As(err, &he) || he.Status != 500 {
		t.Errorf("Unit(500) = %v, want *HTTPError with status 500", err)
	}
	if _, err := c.Unit(ctx, LegalUnit, "12345"); err == nil {
		t.Error("Unit(12345) = nil error, want an error for a malformed number")
	}
}

// TestRegisterFallsBack asks for a legal unit's number: /underenheter
// answers 404, /enheter has it.
func TestRegisterFallsBack(t *testing.T) {
	s := server(t)
	r := &Register{Cache: NewCache(), Client: New(s.URL+"/enhetsregisteret/api", Options{HTTP: s.Client()})}
	u, err := r.Lookup(context.Background(), "112233445")
	if err != nil || u.Kind != LegalUnit || u.Municipality != "0301" {
		t.Fatalf("Lookup(112233445) = %+v, %v; want the legal unit in 0301", u, err)
	}
	if r.Cache.Len(LegalUnit) != 1 {
		t.Errorf("cache after Lookup holds %d legal units, want 1", r.Cache.Len(LegalUnit))
	}
	off := &Register{Cache: NewCache()}
	if _, err := off.Lookup(context.Background(), "112233445"); !errors.Is(err, ErrNotFound) {
		t.Errorf("offline Lookup of an uncached number = %v, want ErrNotFound", err)
	}
}

// bulk builds a bulk file from the units embedded in the recorded search
// responses.
func bulk(t testing.TB, gz bool, files ...string) []byte {
	var units []json.RawMessage
	for _, f := range files {
		var page struct {
			Embedded map[string][]json.RawMessage `json:"_embedded"`
		}
		if err := json.Unmarshal(read(t, f), &page); err != nil {
			t.Fatal(err)
		}
		for _, us := range page.Embedded {
			units = append(units, us...)
		}
	}
	b, _ := json.Marshal(units)
	if !gz {
		return b
	}
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestLoadBulk(t *testing.T) {
	for _, gz := range []bool{true, false} {
		c := NewCache()
		n, err := c.LoadBulk(bytes.NewReader(bulk(t, gz, "enheter-search-page1-response.json", "enheter-search-page2-response.json", "enheter-search-empty-response.json")), LegalUnit)
		if err != nil || n != 3 {
			t.Fatalf("LoadBulk(gzip=%v) = %d, %v; want 3 units (2 + 1 from the two pages)", gz, n, err)
		}
		// 976030788 SESAM AS: 56.101, 10 employees, 5001 (PROVENANCE.md);
		// the search result has no harRegistrertAntallAnsatte, so the
		// count is taken as given.
		u, ok := c.Get(LegalUnit, "976030788")
		if !ok || u.Industry != "56.101" || u.Section() != "I" || u.Municipality != "5001" || SizeBand(u) != "5-19" {
			t.Errorf("bulk unit 976030788 = %+v, want 56.101 (section I), 5001, band 5-19", u)
		}
		if u, _ := c.Get(LegalUnit, "988879134"); u == nil || u.Municipality != "3101" {
			t.Errorf("bulk unit 988879134 = %+v, want municipality 3101", u)
		}
	}
	c := NewCache()
	if _, err := c.LoadBulk(bytes.NewReader(bulk(t, true, "underenheter-search-response.json")), Establishment); err != nil {
		t.Fatal(err)
	}
	// 334455660: harRegistrertAntallAnsatte false => unknown, not 0.
	u, _ := c.Get(Establishment, "334455660")
	if u == nil || u.EmployeesKnown || SizeBand(u) != BandUnknown || u.Municipality != "0418" || u.Parent != "443322119" {
		t.Errorf("bulk establishment 334455660 = %+v, want unknown employees, 0418, parent 443322119", u)
	}
	r := &Register{Cache: c}
	if got, err := r.Lookup(context.Background(), "334455660"); err != nil || got != u {
		t.Errorf("Register.Lookup(334455660) = %v, %v; want the cached establishment", got, err)
	}
	for _, bad := range []string{`{"a":1}`, `[{"navn":"x"}]`, `[{"organisasjonsnummer":"1"}`} {
		if _, err := NewCache().LoadBulk(bytes.NewReader([]byte(bad)), LegalUnit); err == nil {
			t.Errorf("LoadBulk(%s) = nil error, want an error", bad)
		}
	}
}

func TestFlags(t *testing.T) {
	u, err := ParseUnit([]byte(`{"organisasjonsnummer":"910000004","konkurs":true,"underTvangsavviklingEllerTvangsopplosning":true,"antallAnsatte":3,"harRegistrertAntallAnsatte":false}`), LegalUnit)
	if err != nil {
		t.Fatal(err)
	}
	if !u.Bankrupt || !u.UnderLiquidation || u.EmployeesKnown {
		t.Errorf("ParseUnit(bankrupt) = %+v, want Bankrupt, UnderLiquidation and unknown employees", u)
	}
}

func TestSectionAndBand(t *testing.T) {
	// SN2007 sections by division (SSB's standard for industrial
	// classification): 01-03 A, 10-33 C, 35 D, 41-43 F, 52 H, 86-88 Q, 99 U.
	for in, want := range map[string]string{"01.110": "A", "10": "C", "33.200": "C", "35.111": "D", "43.210": "F", "52.292": "H", "88.911": "Q", "99.000": "U", "04": "", "x": ""} {
		if got, _ := Section(in); got != want {
			t.Errorf("Section(%q) = %q, want %q", in, got, want)
		}
	}
	for n, want := range map[int]string{0: "0-4", 4: "0-4", 5: "5-19", 19: "5-19", 20: "20-99", 99: "20-99", 100: "100+"} {
		if got := SizeBand(&Unit{Employees: n, EmployeesKnown: true}); got != want {
			t.Errorf("SizeBand(%d) = %q, want %q", n, got, want)
		}
	}
}

func FuzzParseUnit(f *testing.F) {
	for _, n := range []string{"enheter-details-response.json", "enheter-details-deleted-response.json", "underenheter-details-response.json"} {
		f.Add(read(f, n))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := ParseUnit(data, LegalUnit)
		if err == nil && u.OrgNr == "" {
			t.Errorf("ParseUnit accepted a unit without a number")
		}
		NewCache().LoadBulk(bytes.NewReader(data), LegalUnit)
	})
}

func BenchmarkLoadBulk(b *testing.B) {
	data := bulk(b, true, "enheter-search-page1-response.json", "enheter-search-page2-response.json")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := NewCache().LoadBulk(bytes.NewReader(data), LegalUnit); err != nil {
			b.Fatal(err)
		}
	}
}
