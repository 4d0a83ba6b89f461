package klass_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
)

// bundle is the offline KLASS bundle (see testdata/klass/PROVENANCE.md).
const bundle = "../../testdata/klass"

func date(s string) time.Time {
	t, err := time.Parse(klass.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseCodes(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []klass.Code
		wantErr string
	}{
		{
			name: "codesAt with null validTo and string level",
			in:   `{"codes":[{"code":"0301","parentCode":null,"level":"1","name":"Oslo","shortName":"","presentationName":"","validFrom":"2013-01-01","validTo":null,"notes":""}]}`,
			want: []klass.Code{{Code: "0301", Level: "1", Name: "Oslo", ValidFrom: date("2013-01-01")}},
		},
		{
			name: "codes range, numeric level, parent, in-range dates, BOM",
			in:   "\ufeff" + `{"codes":[{"code":"5001","parentCode":"50","level":2,"name":"Trondheim","validFrom":"2018-01-01T00:00:00","validTo":"2020-01-01","validFromInRequestedRange":"2018-01-01","validToInRequestedRange":"2020-01-01"}]}`,
			want: []klass.Code{{Code: "5001", ParentCode: "50", Level: "2", Name: "Trondheim", ValidFrom: date("2018-01-01"), ValidTo: date("2020-01-01"), ValidFromInRange: date("2018-01-01"), ValidToInRange: date("2020-01-01")}},
		},
		{name: "empty list", in: `{"codes":[]}`, want: []klass.Code{}},
		{name: "no codes member", in: `{"codeChanges":[]}`, wantErr: `klass: codes: no "codes" member`},
		{name: "bad date", in: `{"codes":[{"code":"1","validFrom":"01.01.2020"}]}`, wantErr: `klass: codes: item 0: field validFrom: date "01.01.2020" is not YYYY-MM-DD`},
		{name: "validTo before validFrom", in: `{"codes":[{"code":"1","validFrom":"2020-01-01"},{"code":"2","validFrom":"2020-01-01","validTo":"2019-01-01"}]}`, wantErr: "item 1: field validTo"},
		{name: "empty code", in: `{"codes":[{"code":""}]}`, wantErr: "item 0: field code: empty code"},
		{name: "bad level", in: `{"codes":[{"code":"1","level":true}]}`, wantErr: "field level"},
		{name: "trailing data", in: `{"codes":[]} {}`, wantErr: "trailing data"},
		{name: "not JSON", in: `<codeList/>`, wantErr: "klass: codes: invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := klass.ParseCodes(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseCodes(%s) error = %v, want containing %q", tt.in, err, tt.wantErr)
				}
				var pe *klass.ParseError
				if !errors.As(err, &pe) {
					t.Errorf("ParseCodes error %T is not *klass.ParseError", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCodes(%s) error = %v", tt.in, err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("ParseCodes(%s) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseChanges(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []klass.Change
		wantErr string
	}{
		{
			name: "recode",
			in:   `{"codeChanges":[{"oldCode":"0219","oldName":"Bærum","oldShortName":"","newCode":"3024","newName":"Bærum","newShortName":"","changeOccurred":"2020-01-01"}]}`,
			want: []klass.Change{{OldCode: "0219", OldName: "Bærum", NewCode: "3024", NewName: "Bærum", Occurred: date("2020-01-01")}},
		},
		{
			name: "new code has no oldCode, ceased code has null newCode",
			in:   `{"codeChanges":[{"newCode":"9","newName":"Ny","changeOccurred":"2020-01-01"},{"oldCode":"8","oldName":"Gammel","newCode":null,"changeOccurred":"2020-01-01"}]}`,
			want: []klass.Change{{NewCode: "9", NewName: "Ny", Occurred: date("2020-01-01")}, {OldCode: "8", OldName: "Gammel", Occurred: date("2020-01-01")}},
		},
		{name: "no codes at all", in: `{"codeChanges":[{"changeOccurred":"2020-01-01"}]}`, wantErr: "item 0: field oldCode: neither oldCode nor newCode"},
		{name: "no date", in: `{"codeChanges":[{"oldCode":"1","newCode":"2"}]}`, wantErr: "item 0: field changeOccurred: missing"},
		{name: "empty date (found by FuzzParseChanges)", in: `{"codeChanges":[{"oldCode":"1","changeOccurred":""}]}`, wantErr: "item 0: field changeOccurred: missing"},
		{name: "wrong member", in: `{"codes":[]}`, wantErr: `no "codeChanges" member`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := klass.ParseChanges(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseChanges(%s) error = %v, want containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseChanges(%s) error = %v", tt.in, err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("ParseChanges(%s) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseCorrespondences(t *testing.T) {
	in := `{"correspondenceItems":[{"sourceCode":"4003","sourceName":"Skien","targetCode":"40","targetName":"Telemark"}]}`
	got, err := klass.ParseCorrespondences(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []klass.Correspondence{{SourceCode: "4003", SourceName: "Skien", TargetCode: "40", TargetName: "Telemark"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ParseCorrespondences = %+v, want %+v", got, want)
	}
	if _, err := klass.ParseCorrespondences(strings.NewReader(`{"correspondenceItems":[{"targetCode":"40"}]}`)); err == nil {
		t.Error("ParseCorrespondences(item without sourceCode) = nil error, want error")
	}
}

func TestCodeValidAt(t *testing.T) {
	c := klass.Code{Code: "3024", ValidFrom: date("2020-01-01"), ValidTo: date("2024-01-01")}
	for _, tt := range []struct {
		d    string
		want bool
	}{{"2019-12-31", false}, {"2020-01-01", true}, {"2023-12-31", true}, {"2024-01-01", false}} {
		if got := c.ValidAt(date(tt.d)); got != tt.want {
			t.Errorf("Code{3024 2020..2024}.ValidAt(%s) = %v, want %v", tt.d, got, tt.want)
		}
	}
}

// server replays the bundle and records the requests it saw.
func server(t *testing.T) (*httptest.Server, *[]*http.Request) {
	t.Helper()
	var mu sync.Mutex
	var seen []*http.Request
	h := klasstest.New(bundle)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Clone(context.Background()))
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

// The bundle holds real KLASS answers for classification 131
// (testdata/klass/PROVENANCE.md). Expected values were read off those files:
// 11 versions from 2011 on in classification-131.json, version 1860 (2020)
// valid 2020-01-01..2022-01-01 with 357 items (356 municipalities and 9999),
// 594 changes in changes-1971-2025.json.
func TestClientAgainstBundle(t *testing.T) {
	srv, seen := server(t)
	var recorded []klass.Exchange
	c := klass.New(srv.URL+"/api/klass/v1", klass.Options{
		UserAgent: "grunnlag-test",
		Recorder:  func(ex klass.Exchange) error { recorded = append(recorded, ex); return nil },
		Now:       func() time.Time { return date("2026-01-15") },
	})
	ctx := context.Background()

	cl, err := c.Classification(ctx, klass.Municipalities)
	if err != nil {
		t.Fatal(err)
	}
	if cl.ID != 131 || cl.Name != "Standard for kommuneinndeling" || len(cl.Versions) != 140 {
		t.Errorf("Classification(131) = {%d %q %d versions}, want {131 \"Standard for kommuneinndeling\" 140 versions}", cl.ID, cl.Name, len(cl.Versions))
	}
	var v2020, v2024 klass.VersionRef
	for _, v := range cl.Versions {
		switch {
		case v.ValidAt(date("2021-06-01")):
			v2020 = v
		case v.ValidAt(date("2030-01-01")):
			v2024 = v
		}
	}
	if v2020.ID != 1860 || !v2020.ValidFrom.Equal(date("2020-01-01")) || !v2020.ValidTo.Equal(date("2022-01-01")) {
		t.Errorf("version valid on 2021-06-01 = %+v, want 1860 2020-01-01..2022-01-01", v2020)
	}
	if v2024.ID != 1710 || !v2024.ValidTo.IsZero() {
		t.Errorf("open version = %+v, want 1710 with no validTo", v2024)
	}

	v, err := c.Version(ctx, 1860)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, it := range v.Items {
		names[it.Code] = it.Name
	}
	if len(v.Items) != 357 || names["1144"] != "Kvitsøy" || names["1835"] != "Træna" || names["3001"] != "Halden" || names["9999"] != "Uoppgitt" {
		t.Errorf("Version(1860) = %d items, 1144 %q, 1835 %q, 3001 %q, 9999 %q; want 357, Kvitsøy, Træna, Halden, Uoppgitt",
			len(v.Items), names["1144"], names["1835"], names["3001"], names["9999"])
	}

	ch, err := c.Changes(ctx, klass.Municipalities, date("1971-01-01"), date("2025-01-02"))
	if err != nil {
		t.Fatal(err)
	}
	var halden []string
	for _, x := range ch {
		if x.OldCode == "0101" || x.OldCode == "3001" {
			halden = append(halden, x.Occurred.Format(klass.DateLayout)+" "+x.OldCode+">"+x.NewCode)
		}
	}
	if len(ch) != 594 || strings.Join(halden, " ") != "2020-01-01 0101>3001 2024-01-01 3001>3101" {
		t.Errorf("Changes(131) = %d changes, Halden %v; want 594 and 0101>3001 (2020), 3001>3101 (2024)", len(ch), halden)
	}

	if len(*seen) != 3 || len(recorded) != 3 {
		t.Fatalf("server saw %d requests, recorder %d, want 3 and 3", len(*seen), len(recorded))
	}
	for _, r := range *seen {
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("request %s: Accept = %q, want application/json", r.URL, got)
		}
		if got := r.Header.Get("User-Agent"); got != "grunnlag-test" {
			t.Errorf("request %s: User-Agent = %q, want grunnlag-test", r.URL, got)
		}
	}
	wantURLs := []string{
		srv.URL + "/api/klass/v1/classifications/131",
		srv.URL + "/api/klass/v1/versions/1860",
		srv.URL + "/api/klass/v1/classifications/131/changes?from=1971-01-01&to=2025-01-02",
	}
	for i, ex := range recorded {
		if ex.URL != wantURLs[i] || ex.Method != "GET" || ex.Status != 200 || len(ex.Body) == 0 || !ex.FetchedAt.Equal(date("2026-01-15")) {
			t.Errorf("exchange %d = {%s %s %d %d bytes %s}, want {%s GET 200 >0 bytes 2026-01-15}", i, ex.URL, ex.Method, ex.Status, len(ex.Body), ex.FetchedAt, wantURLs[i])
		}
	}

	// A version the bundle does not hold is an error (404).
	if _, err := klass.New(srv.URL, klass.Options{}).Version(ctx, 99999); err == nil {
		t.Error("Version(99999) succeeded, want an error (not in the bundle)")
	}
}

func TestParseClassificationAndVersion(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		version bool
		want    string
		wantErr string
	}{
		{name: "classification", in: `{"id":131,"name":"K","versions":[{"id":1860,"name":"Kommuneinndeling 2020","validFrom":"2020-01-01","validTo":"2022-01-01"},{"id":1710,"validFrom":"2024-01-01"}]}`,
			want: "131 K [{1860 Kommuneinndeling 2020 2020-01-01 2022-01-01} {1710  2024-01-01 -}]"},
		{name: "no versions", in: `{"id":131}`, wantErr: `klass: classification: no "versions" member`},
		{name: "version without id", in: `{"id":131,"versions":[{"validFrom":"2020-01-01"}]}`, wantErr: "item 0: field id"},
		{name: "version twice", in: `{"id":131,"versions":[{"id":1,"validFrom":"2020-01-01"},{"id":1,"validFrom":"2021-01-01"}]}`, wantErr: "item 1: field id: version 1 listed twice"},
		{name: "version ends before it starts", in: `{"id":131,"versions":[{"id":1,"validFrom":"2020-01-01","validTo":"2020-01-01"}]}`, wantErr: "item 0: field validTo"},
		{name: "version", version: true, in: `{"id":1860,"name":"V","validFrom":"2020-01-01","validTo":"2022-01-01","classificationItems":[{"code":"0301","parentCode":"","level":"1","name":"Oslo","shortName":null,"notes":"n"},{"code":"2512","parentCode":"251","level":4,"name":"P"}]}`,
			want: "1860 V 2020-01-01 2022-01-01 [{0301  1 Oslo  n} {2512 251 4 P  }]"},
		// STYRK-08 version 319 writes an open end as Java's LocalDate.MAX.
		{name: "open end as +999999999-12-31", version: true, in: `{"id":319,"validFrom":"2011-01-01","validTo":"+999999999-12-31","classificationItems":[]}`,
			want: "319  2011-01-01 - []"},
		{name: "version without validFrom", version: true, in: `{"id":1,"classificationItems":[]}`, wantErr: "klass: version: validFrom: missing"},
		{name: "item without code", version: true, in: `{"id":1,"validFrom":"2020-01-01","classificationItems":[{"code":""}]}`, wantErr: "item 0: field code: empty code"},
		{name: "item twice", version: true, in: `{"id":1,"validFrom":"2020-01-01","classificationItems":[{"code":"1"},{"code":"1"}]}`, wantErr: "item 1: field code: code 1 listed twice"},
		{name: "no items", version: true, in: `{"id":1,"validFrom":"2020-01-01"}`, wantErr: `no "classificationItems" member`},
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format(klass.DateLayout)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			var err error
			if tt.version {
				var v *klass.Version
				if v, err = klass.ParseVersion(strings.NewReader(tt.in)); err == nil {
					got = fmt.Sprintf("%d %s %s %s %v", v.ID, v.Name, day(v.ValidFrom), day(v.ValidTo), v.Items)
				}
			} else {
				var c *klass.Classification
				if c, err = klass.ParseClassification(strings.NewReader(tt.in)); err == nil {
					var vs []string
					for _, v := range c.Versions {
						vs = append(vs, fmt.Sprintf("{%d %s %s %s}", v.ID, v.Name, day(v.ValidFrom), day(v.ValidTo)))
					}
					got = fmt.Sprintf("%d %s [%s]", c.ID, c.Name, strings.Join(vs, " "))
				}
			}
			if tt.wantErr != "" {
				var pe *klass.ParseError
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &pe) {
					t.Fatalf("parse(%s) error = %v, want *ParseError containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse(%s) error = %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("parse(%s) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestClientErrors(t *testing.T) {
	srv, _ := server(t)
	var statuses []int
	c := klass.New(srv.URL, klass.Options{Recorder: func(ex klass.Exchange) error { statuses = append(statuses, ex.Status); return nil }})
	ctx := context.Background()

	// A request the bundle does not hold: 404, as KLASS answers, typed.
	_, err := c.CodesAt(ctx, klass.NUS, date("2024-01-01"))
	var he *httpx.HTTPError
	if !errors.As(err, &he) || he.Status != 404 || !strings.Contains(string(he.Body), "/classifications/36/codesAt") {
		t.Fatalf("CodesAt(36) error = %v, want *HTTPError 404 naming the URL", err)
	}
	if httpx.Recoverable(err) {
		t.Error("Recoverable(404) = true, want false")
	}
	if len(statuses) != 1 || statuses[0] != 404 {
		t.Errorf("recorder saw statuses %v, want [404] (every response is recorded)", statuses)
	}

	// A recorder error aborts the call.
	boom := errors.New("disk full")
	c2 := klass.New(srv.URL, klass.Options{Recorder: func(klass.Exchange) error { return boom }})
	if _, err := c2.CodesAt(ctx, klass.Counties, date("2024-01-01")); !errors.Is(err, boom) {
		t.Errorf("CodesAt with failing recorder: error = %v, want wrapping %v", err, boom)
	}

	// A cancelled context stops the request.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.CodesAt(cctx, klass.Counties, date("2024-01-01")); !errors.Is(err, context.Canceled) {
		t.Errorf("CodesAt(cancelled ctx) error = %v, want context.Canceled", err)
	}

	// 5xx is retryable.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	defer bad.Close()
	// (fast retries: the 503 is retried before it is reported)
	_, err = klass.New(bad.URL, klass.Options{Retry: httpx.Policy{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}}).Changes(ctx, klass.Municipalities, date("2020-01-01"), date("2020-01-02"))
	if !errors.As(err, &he) || he.Status != 503 || !httpx.Recoverable(err) {
		t.Errorf("Changes against a 503 server: error = %v, want retryable *HTTPError 503", err)
	}
}

func TestBundleRefusesXML(t *testing.T) {
	srv, _ := server(t)
	resp, err := http.Get(srv.URL + "/classifications/104/codesAt?date=2024-01-01")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotAcceptable {
		t.Errorf("GET without Accept: status %d, want 406 (KLASS defaults to XML; the bundle holds JSON)", resp.StatusCode)
	}
}

func FuzzParseCodes(f *testing.F) {
	f.Add(`{"codes":[{"code":"0301","level":"1","name":"Oslo","validFrom":"2013-01-01","validTo":null}]}`)
	f.Add(`{"codes":[{"code":"1","level":2,"validFrom":"2013-01-01T00:00:00.000+0000"}]}`)
	f.Add(`{"codes":null}`)
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := klass.ParseCodes(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, c := range cs {
			if c.Code == "" {
				t.Errorf("ParseCodes(%q) returned an empty code", s)
			}
			if !c.ValidTo.IsZero() && !c.ValidFrom.IsZero() && !c.ValidTo.After(c.ValidFrom) {
				t.Errorf("ParseCodes(%q) returned validTo <= validFrom", s)
			}
		}
	})
}

func FuzzParseChanges(f *testing.F) {
	f.Add(`{"codeChanges":[{"oldCode":"0219","newCode":"3024","changeOccurred":"2020-01-01"}]}`)
	f.Add(`{"codeChanges":[{"newCode":"1","changeOccurred":"2020-01-01"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		chs, err := klass.ParseChanges(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, c := range chs {
			if (c.OldCode == "" && c.NewCode == "") || c.Occurred.IsZero() {
				t.Errorf("ParseChanges(%q) returned an incomplete change %+v", s, c)
			}
		}
	})
}

func FuzzParseCorrespondences(f *testing.F) {
	f.Add(`{"correspondenceItems":[{"sourceCode":"4003","targetCode":"40"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		items, err := klass.ParseCorrespondences(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, it := range items {
			if it.SourceCode == "" {
				t.Errorf("ParseCorrespondences(%q) returned an empty source code", s)
			}
		}
	})
}

func FuzzParseVersion(f *testing.F) {
	f.Add(`{"id":1860,"validFrom":"2020-01-01","validTo":"2022-01-01","classificationItems":[{"code":"0301","level":"1","name":"Oslo"}]}`)
	f.Add(`{"id":319,"validFrom":"2011-01-01","validTo":"+999999999-12-31","classificationItems":[{"code":"2512","parentCode":"251","level":4}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := klass.ParseVersion(strings.NewReader(s))
		if err != nil {
			return
		}
		if v.ValidFrom.IsZero() || (!v.ValidTo.IsZero() && !v.ValidTo.After(v.ValidFrom)) {
			t.Errorf("ParseVersion(%q) returned validity %s..%s", s, v.ValidFrom, v.ValidTo)
		}
		seen := map[string]bool{}
		for _, it := range v.Items {
			if it.Code == "" || seen[it.Code] {
				t.Errorf("ParseVersion(%q) returned an empty or repeated code %q", s, it.Code)
			}
			seen[it.Code] = true
		}
	})
}

func FuzzParseClassification(f *testing.F) {
	f.Add(`{"id":131,"versions":[{"id":1860,"validFrom":"2020-01-01","validTo":"2022-01-01"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		c, err := klass.ParseClassification(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, v := range c.Versions {
			if v.ID <= 0 || v.ValidFrom.IsZero() {
				t.Errorf("ParseClassification(%q) returned an incomplete version %+v", s, v)
			}
		}
	})
}

func ExampleClient_Changes() {
	// An in-process transport over the offline bundle (no network).
	c := klass.New("https://data.ssb.no/api/klass/v1", klass.Options{
		HTTP: &http.Client{Transport: klasstest.Transport(bundle)},
	})
	chs, err := c.Changes(context.Background(), klass.Municipalities, date("1971-01-01"), date("2025-01-02"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ch := range chs {
		if ch.OldCode == "0219" || ch.OldCode == "3024" {
			fmt.Println(ch.Occurred.Format(klass.DateLayout), ch.OldCode, "->", ch.NewCode, ch.NewName)
		}
	}
	// Output:
	// 2020-01-01 0219 -> 3024 Bærum
	// 2024-01-01 3024 -> 3201 Bærum
}
