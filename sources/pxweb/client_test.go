package pxweb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/pxweb"
	"github.com/grunnlag/grunnlag/sources/pxweb/pxwebtest"
)

const bundle = "testdata/bundle"

// fakeClock is a pxweb.Clock whose Sleep advances Now at once; its Now is
// also the pxwebtest server's clock, so both see the same time.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 20, 8, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	f.sleeps = append(f.sleeps, d)
	return nil
}

func (f *fakeClock) slept() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// The synthetic SYN01 cube (testdata/bundle/README.md).
var (
	synRegions = []string{"5001", "5006", "5007", "5014", "5020", "5021", "5022", "5025", "5026", "5027", "5028", "5029"}
	synKjonn   = []string{"0", "1", "2"}
	synCC      = []string{"Personer", "Andel"}
	synTid     = []string{"2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024"}
)

// synValue is the bundle's formula; ok is false for its missing cells.
func synValue(region, kjonn, cc, tid string) (v float64, ok bool) {
	r, k, c, t := indexOf(synRegions, region), indexOf(synKjonn, kjonn), indexOf(synCC, cc), indexOf(synTid, tid)
	if (region == "5020" && cc == "Andel") || (region == "5014" && tid == "2015") {
		return 0, false
	}
	return float64(1000*(r+1) + 100*(k+1) + 10*(c+1) + t), true
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	panic("no " + x)
}

func allSYN01() pxweb.Selection {
	return pxweb.Selection{
		{Variable: "Region", ValueCodes: []string{"*"}},
		{Variable: "Kjonn", ValueCodes: []string{"*"}},
		{Variable: "ContentsCode", ValueCodes: []string{"*"}},
		{Variable: "Tid", ValueCodes: []string{"*"}},
	}
}

// checkSYN01 compares a dataset cell by cell with the formula, for the
// dimension order Region, Kjonn, ContentsCode, Tid.
func checkSYN01(t *testing.T, ds *jsonstat.Dataset, regions, kjonn, cc, tid []string) {
	t.Helper()
	want := [][]string{regions, kjonn, cc, tid}
	if len(ds.Dims) != 4 {
		t.Fatalf("dataset has %d dimensions, want 4", len(ds.Dims))
	}
	for i, id := range []string{"Region", "Kjonn", "ContentsCode", "Tid"} {
		if ds.Dims[i].ID != id || !reflect.DeepEqual(ds.Dims[i].Codes, want[i]) {
			t.Fatalf("dimension %d = %s %v, want %s %v", i, ds.Dims[i].ID, ds.Dims[i].Codes, id, want[i])
		}
	}
	n := 0
	for a, r := range regions {
		for b, k := range kjonn {
			for c, m := range cc {
				for d, y := range tid {
					i := ds.Index([]int{a, b, c, d})
					v, ok := synValue(r, k, m, y)
					if ds.Present[i] != ok || (ok && ds.Values[i] != v) {
						t.Errorf("cell %s/%s/%s/%s = %v (present %v), want %v (present %v)", r, k, m, y, ds.Values[i], ds.Present[i], v, ok)
					}
					if !ok && (ds.Status == nil || ds.Status[i] != "..") {
						t.Errorf("cell %s/%s/%s/%s: status missing, want \"..\"", r, k, m, y)
					}
					n++
				}
			}
		}
	}
	if n != ds.Size() {
		t.Errorf("checked %d cells, dataset has %d", n, ds.Size())
	}
}

func TestFetchEndToEnd(t *testing.T) {
	fc := newFakeClock()
	srv, err := pxwebtest.New(bundle, pxwebtest.Options{
		MaxDataCells: 100, MaxCalls: 3, TimeWindow: time.Second, Clock: fc.Now,
		Faults: pxwebtest.Script(
			pxwebtest.Rule{Endpoint: "data", N: 2, Fault: pxwebtest.Fault{Status: 429, RetryAfter: "1"}},
			pxwebtest.Rule{Endpoint: "data", N: 5, Fault: pxwebtest.Fault{Status: 503}},
			pxwebtest.Rule{Endpoint: "data", N: 7, Fault: pxwebtest.Fault{Reset: true}},
		),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var recorded []pxweb.Exchange
	var progress []string
	c := pxweb.New(ts.URL, pxweb.Options{
		Lang: "no", Clock: fc, Retry: pxweb.RetryPolicy{Jitter: func() float64 { return 0.5 }},
		Recorder: func(ex pxweb.Exchange) error { recorded = append(recorded, ex); return nil },
		Progress: func(done, total int) { progress = append(progress, fmt.Sprintf("%d/%d", done, total)) },
	})
	res, err := c.Fetch(context.Background(), "SYN01", allSYN01())
	if err != nil {
		t.Fatal(err)
	}
	checkSYN01(t, res.Dataset, synRegions, synKjonn, synCC, synTid)

	// 12*3*2*10 = 720 cells, at most 100 per request: at least
	// ceil(720/100) = 8 requests, and Region 4 blocks of 3 x Tid 2 blocks
	// of 5 (3*3*2*5 = 90 cells) achieves 8. The server answered data
	// request 2 with 429, 5 with 503 and reset 7: 3 retries, 11 data
	// requests; plus one /config and one /metadata.
	if got := res.Plan.Requests(); got != 8 {
		t.Errorf("Plan.Requests() = %d, want 8", got)
	}
	var blocks []int
	for _, v := range res.Plan.Vars {
		blocks = append(blocks, v.Blocks)
	}
	if !reflect.DeepEqual(blocks, []int{4, 1, 1, 2}) {
		t.Errorf("blocks = %v, want [4 1 1 2]", blocks)
	}
	if got, want := srv.Requests(), map[string]int{"config": 1, "metadata": 1, "data": 11}; !reflect.DeepEqual(got, want) {
		t.Errorf("server requests = %v, want %v", got, want)
	}
	if res.Requests != 13 {
		t.Errorf("Result.Requests = %d, want 13", res.Requests)
	}
	// The reset request has no response: 12 exchanges recorded, one 429 and
	// one 503 among them (no 429 from the server's own rate limit).
	statuses := map[int]int{}
	for _, ex := range recorded {
		statuses[ex.Status]++
	}
	if len(recorded) != 12 || statuses[429] != 1 || statuses[503] != 1 || statuses[200] != 10 {
		t.Errorf("recorded %d exchanges with statuses %v, want 12: 10x200, 1x429, 1x503", len(recorded), statuses)
	}
	if len(res.Exchanges) != len(recorded) {
		t.Errorf("Result.Exchanges has %d, Recorder got %d", len(res.Exchanges), len(recorded))
	}
	if len(progress) != 8 || progress[7] != "8/8" {
		t.Errorf("progress = %v, want 1/8 .. 8/8", progress)
	}
	found := false
	for _, d := range fc.slept() {
		found = found || d == time.Second
	}
	if !found {
		t.Errorf("sleeps %v: none of 1s (Retry-After: 1)", fc.slept())
	}
}

func newServer(t *testing.T, opts pxwebtest.Options) (*pxwebtest.Server, *httptest.Server) {
	t.Helper()
	srv, err := pxwebtest.New(bundle, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts
}

func TestFetchSelections(t *testing.T) {
	fc := newFakeClock()
	_, ts := newServer(t, pxwebtest.Options{Clock: fc.Now})
	c := pxweb.New(ts.URL, pxweb.Options{Clock: fc})
	ctx := context.Background()

	t.Run("expressions", func(t *testing.T) {
		res, err := c.Fetch(ctx, "SYN01", pxweb.Selection{
			{Variable: "Region", ValueCodes: []string{"5029", "502?", "range(5006,5007)"}},
			{Variable: "Kjonn", ValueCodes: []string{"bottom(2)"}},
			{Variable: "ContentsCode", ValueCodes: []string{"Andel"}},
			{Variable: "Tid", ValueCodes: []string{"top(2)", "to(2015)"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		// 502? = 5020..5029 (7 codes) plus 5006, 5007; metadata order.
		checkSYN01(t, res.Dataset, []string{"5006", "5007", "5020", "5021", "5022", "5025", "5026", "5027", "5028", "5029"},
			[]string{"1", "2"}, []string{"Andel"}, []string{"2015", "2023", "2024"})
	})

	t.Run("eliminated Kjonn takes eliminationValueCode", func(t *testing.T) {
		res, err := c.Fetch(ctx, "SYN01", pxweb.Selection{
			{Variable: "Region", ValueCodes: []string{"5001"}},
			{Variable: "ContentsCode", ValueCodes: []string{"Personer"}},
			{Variable: "Tid", ValueCodes: []string{"2016"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		// 1000*1 + 100*1 (Kjonn "0") + 10*1 + 1 = 1111.
		if d := res.Dataset; len(d.Dims) != 3 || len(d.Values) != 1 || d.Values[0] != 1111 {
			t.Errorf("value = %v with %d dims, want [1111] with 3", d.Values, len(d.Dims))
		}
	})

	t.Run("aggregation aggregated", func(t *testing.T) {
		res, err := c.Fetch(ctx, "SYN01", pxweb.Selection{
			{Variable: "Region", Codelist: "agg_Grupper", OutputValues: "aggregated", ValueCodes: []string{"*"}},
			{Variable: "Kjonn", ValueCodes: []string{"1"}},
			{Variable: "ContentsCode", ValueCodes: []string{"*"}},
			{Variable: "Tid", ValueCodes: []string{"2015", "2024"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		d := res.Dataset
		if got := d.Dims[0].Codes; !reflect.DeepEqual(got, []string{"G-1", "G-2", "G-3", "G-4"}) {
			t.Fatalf("Region codes = %v, want G-1..G-4", got)
		}
		// Sums by hand from the formula (Kjonn "1" adds 200):
		// G-1 Personer 2015 = 5001 1210 + 5028 11210 + 5029 12210 = 24630.
		// G-2 Andel 2024 = 5006 2229 + 5007 3229 (5020 missing) = 5458.
		// G-3 Personer 2024 = 5014 4219; G-3 2015 = only 5014, missing.
		for _, tc := range []struct {
			g, cc, tid string
			v          float64
			ok         bool
		}{
			{"G-1", "Personer", "2015", 24630, true},
			{"G-2", "Andel", "2024", 5458, true},
			{"G-3", "Personer", "2024", 4219, true},
			{"G-3", "Personer", "2015", 0, false},
		} {
			i := d.Index([]int{indexOf(d.Dims[0].Codes, tc.g), 0, indexOf(synCC, tc.cc), indexOf([]string{"2015", "2024"}, tc.tid)})
			if d.Present[i] != tc.ok || (tc.ok && d.Values[i] != tc.v) {
				t.Errorf("%s/%s/%s = %v (present %v), want %v (present %v)", tc.g, tc.cc, tc.tid, d.Values[i], d.Present[i], tc.v, tc.ok)
			}
		}
		if d.Dims[0].Labels[2] != "Gruppe 3 (Frøya)" {
			t.Errorf("G-3 label = %q, want the codelist's", d.Dims[0].Labels[2])
		}
	})

	t.Run("aggregation single and valueset", func(t *testing.T) {
		for _, tc := range []struct {
			vs   pxweb.VarSelection
			want []string
		}{
			{pxweb.VarSelection{Variable: "Region", Codelist: "agg_Grupper", OutputValues: "single", ValueCodes: []string{"G-3", "G-2"}},
				[]string{"5006", "5007", "5014", "5020"}},
			{pxweb.VarSelection{Variable: "Region", Codelist: "vs_Utvalg", ValueCodes: []string{"*"}},
				[]string{"5001", "5006", "5007"}},
			// bottom(1) on the valueset in metadata order is 5007.
			{pxweb.VarSelection{Variable: "Region", Codelist: "vs_Utvalg", ValueCodes: []string{"bottom(1)"}},
				[]string{"5007"}},
		} {
			res, err := c.Fetch(ctx, "SYN01", pxweb.Selection{tc.vs,
				{Variable: "Kjonn", ValueCodes: []string{"2"}},
				{Variable: "ContentsCode", ValueCodes: []string{"Personer"}},
				{Variable: "Tid", ValueCodes: []string{"2020"}}})
			if err != nil {
				t.Fatalf("%+v: %v", tc.vs, err)
			}
			checkSYN01(t, res.Dataset, tc.want, []string{"2"}, []string{"Personer"}, []string{"2020"})
		}
	})

	t.Run("errors before any data request", func(t *testing.T) {
		for _, tc := range []struct {
			sel  pxweb.Selection
			want string
		}{
			{pxweb.Selection{{Variable: "Region", ValueCodes: []string{"9999"}}, {Variable: "ContentsCode", ValueCodes: []string{"*"}}, {Variable: "Tid", ValueCodes: []string{"*"}}},
				`value "9999" is not a valid value code`},
			{pxweb.Selection{{Variable: "Region", ValueCodes: []string{"*"}}, {Variable: "ContentsCode", ValueCodes: []string{"*"}}},
				`"Tid" must be selected`},
			{pxweb.Selection{{Variable: "Fylke", ValueCodes: []string{"*"}}}, `"Fylke" is not in the table`},
		} {
			_, err := c.Fetch(ctx, "SYN01", tc.sel)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Fetch(%v) error %v, want %q", tc.sel, err, tc.want)
			}
		}
	})
}

func TestFetchFailFast(t *testing.T) {
	ctx := context.Background()
	t.Run("400 with detail", func(t *testing.T) {
		fc := newFakeClock()
		detail := "Value 9999 is not a valid value code for variable Region"
		srv, ts := newServer(t, pxwebtest.Options{Clock: fc.Now, Faults: pxwebtest.Script(
			pxwebtest.Rule{Endpoint: "data", N: 1, Fault: pxwebtest.Fault{Status: 400, Detail: detail}})})
		c := pxweb.New(ts.URL, pxweb.Options{Clock: fc})
		_, err := c.Fetch(ctx, "SYN02", pxweb.Selection{{Variable: "Naering", ValueCodes: []string{"*"}}, {Variable: "Tid", ValueCodes: []string{"*"}}})
		var he *httpx.HTTPError
		if !errors.As(err, &he) || he.Status != 400 || !strings.Contains(err.Error(), detail) {
			t.Fatalf("Fetch error %v, want an *HTTPError 400 with %q", err, detail)
		}
		if n := srv.Requests()["data"]; n != 1 {
			t.Errorf("data requests = %d, want 1 (no retry)", n)
		}
		if len(fc.slept()) != 0 {
			t.Errorf("slept %v, want no wait", fc.slept())
		}
	})
	t.Run("404 unknown table", func(t *testing.T) {
		fc := newFakeClock()
		srv, ts := newServer(t, pxwebtest.Options{Clock: fc.Now})
		c := pxweb.New(ts.URL, pxweb.Options{Clock: fc})
		_, err := c.Metadata(ctx, "NOPE")
		var he *httpx.HTTPError
		if !errors.As(err, &he) || he.Status != 404 || !strings.Contains(err.Error(), "Table NOPE not found") {
			t.Fatalf("Metadata error %v, want 404 naming the table", err)
		}
		if n := srv.Requests()["metadata"]; n != 1 {
			t.Errorf("metadata requests = %d, want 1", n)
		}
	})
	t.Run("5xx until attempts run out", func(t *testing.T) {
		fc := newFakeClock()
		fault := pxwebtest.Fault{Status: 502}
		srv, ts := newServer(t, pxwebtest.Options{Clock: fc.Now, Faults: pxwebtest.Script(
			pxwebtest.Rule{Endpoint: "data", N: 1, Fault: fault}, pxwebtest.Rule{Endpoint: "data", N: 2, Fault: fault},
			pxwebtest.Rule{Endpoint: "data", N: 3, Fault: fault})})
		c := pxweb.New(ts.URL, pxweb.Options{Clock: fc, Retry: pxweb.RetryPolicy{
			MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: 1500 * time.Millisecond, Jitter: func() float64 { return 0 }}})
		_, err := c.Fetch(ctx, "SYN02", pxweb.Selection{{Variable: "Naering", ValueCodes: []string{"*"}}, {Variable: "Tid", ValueCodes: []string{"*"}}})
		if err == nil || !strings.Contains(err.Error(), "after 3 attempts") {
			t.Fatalf("Fetch error %v, want failure after 3 attempts", err)
		}
		if n := srv.Requests()["data"]; n != 3 {
			t.Errorf("data requests = %d, want 3", n)
		}
		// Backoff with jitter 0: d/2 of min(MaxDelay, Base*2^(n-1)) =
		// 1s/2 = 500ms, then min(1.5s, 2s)/2 = 750ms.
		var waits []time.Duration
		for _, d := range fc.slept() {
			if d == 500*time.Millisecond || d == 750*time.Millisecond {
				waits = append(waits, d)
			}
		}
		if !reflect.DeepEqual(waits, []time.Duration{500 * time.Millisecond, 750 * time.Millisecond}) {
			t.Errorf("backoff sleeps = %v (all %v), want [500ms 750ms]", waits, fc.slept())
		}
	})
}

func TestRetryAfterHTTPDate(t *testing.T) {
	fc := newFakeClock()
	date := fc.Now().Add(3 * time.Second).Format(http.TimeFormat)
	srv, ts := newServer(t, pxwebtest.Options{Clock: fc.Now, Faults: pxwebtest.Script(
		pxwebtest.Rule{Endpoint: "data", N: 1, Fault: pxwebtest.Fault{Status: 429, RetryAfter: date}})})
	c := pxweb.New(ts.URL, pxweb.Options{Clock: fc})
	res, err := c.Fetch(context.Background(), "SYN02", pxweb.Selection{{Variable: "Naering", ValueCodes: []string{"A"}}, {Variable: "Tid", ValueCodes: []string{"2024"}}})
	if err != nil {
		t.Fatal(err)
	}
	// SYN02 A 2024 = 10*1 + 2 = 12.
	if res.Dataset.Values[0] != 12 || srv.Requests()["data"] != 2 {
		t.Errorf("value %v after %d data requests, want 12 after 2", res.Dataset.Values, srv.Requests()["data"])
	}
	if s := fc.slept(); len(s) != 1 || s[0] != 3*time.Second {
		t.Errorf("sleeps = %v, want [3s] (Retry-After %s)", s, date)
	}
}

func TestFetchCancelDuringRetryAfter(t *testing.T) {
	_, ts := newServer(t, pxwebtest.Options{Faults: pxwebtest.Script(
		pxwebtest.Rule{Endpoint: "data", N: 1, Fault: pxwebtest.Fault{Status: 429, RetryAfter: "60"}})})
	c := pxweb.New(ts.URL, pxweb.Options{}) // real clock
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Fetch(ctx, "SYN02", pxweb.Selection{{Variable: "Naering", ValueCodes: []string{"*"}}, {Variable: "Tid", ValueCodes: []string{"*"}}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch error %v, want context.Canceled", err)
	}
	// Retry-After is 60 s; returning well before proves the wait stopped.
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("Fetch returned after %v", d)
	}
}

// splitConfig serves /config from one server and everything else from
// another, in-process: the client plans with the first server's limit.
type splitConfig struct{ cfg, rest http.RoundTripper }

func (s splitConfig) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/config") {
		return s.cfg.RoundTrip(r)
	}
	return s.rest.RoundTrip(r)
}

func TestFetch403Replans(t *testing.T) {
	fc := newFakeClock()
	lying, err := pxwebtest.New(bundle, pxwebtest.Options{MaxDataCells: 1000, Clock: fc.Now})
	if err != nil {
		t.Fatal(err)
	}
	strict, err := pxwebtest.New(bundle, pxwebtest.Options{MaxDataCells: 100, Clock: fc.Now})
	if err != nil {
		t.Fatal(err)
	}
	c := pxweb.New("http://pxweb.test", pxweb.Options{Clock: fc,
		HTTP: &http.Client{Transport: splitConfig{lying.Transport(), strict.Transport()}}})
	res, err := c.Fetch(context.Background(), "SYN01", allSYN01())
	if err != nil {
		t.Fatal(err)
	}
	checkSYN01(t, res.Dataset, synRegions, synKjonn, synCC, synTid)
	// Planned as one 720-cell chunk (limit 1000). Halving the largest
	// variable each time: 720 -> 360 (Region 6) -> 180 (Region 3) -> 90
	// (Tid 5) fits 100. Each 403 lowers the client's limit to the halves'
	// size, so only the first chunk of each size is refused: 403s of 720,
	// 360 and 180 = 3 (it was 1 + 2 + 4 = 7 when every later chunk was sent
	// oversized once more); 8 chunks of 90 succeed: 11 data requests.
	if n := strict.Requests()["data"]; n != 11 {
		t.Errorf("data requests = %d, want 11", n)
	}
	if len(res.Plan.Chunks) != 8 {
		t.Errorf("executed chunks = %d, want 8", len(res.Plan.Chunks))
	}
	// The lowered limit holds for the rest of the run: a second Fetch is
	// planned in 90-cell chunks (limit 90 < 100) and none is refused.
	res, err = c.Fetch(context.Background(), "SYN01", allSYN01())
	if err != nil {
		t.Fatal(err)
	}
	checkSYN01(t, res.Dataset, synRegions, synKjonn, synCC, synTid)
	if res.Plan.MaxCells != 90 || len(res.Plan.Chunks) != 8 {
		t.Errorf("second plan: max %d cells, %d chunks; want 90, 8", res.Plan.MaxCells, len(res.Plan.Chunks))
	}
	if n := strict.Requests()["data"]; n != 11+8 {
		t.Errorf("data requests after the second Fetch = %d, want 19 (8 more, no 403)", n)
	}
}

func TestFetchV1Fallback(t *testing.T) {
	fc := newFakeClock()
	srv, ts := newServer(t, pxwebtest.Options{API: "v1", MaxDataCells: 100, MaxCalls: 3, TimeWindow: time.Second, Clock: fc.Now})
	c := pxweb.New(ts.URL+"/api/v0", pxweb.Options{Lang: "no", Clock: fc})
	ctx := context.Background()
	cfg, err := c.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Version != "v1" || cfg.MaxDataCells != 100 || cfg.MaxCallsPerTimeWindow != 3 || cfg.TimeWindow != 1 {
		t.Errorf("Config() = %+v, want v1 with 100 cells, 3 calls per 1 s", cfg)
	}
	res, err := c.Fetch(ctx, "SYN01", allSYN01())
	if err != nil {
		t.Fatal(err)
	}
	checkSYN01(t, res.Dataset, synRegions, synKjonn, synCC, synTid)
	// /api/v0/config 404 ("other"), ?config, the v1 metadata GET, and the
	// same 8 chunks as v2 (720 cells, 100 per request), POSTed.
	if got, want := srv.Requests(), map[string]int{"other": 1, "v1config": 1, "v1meta": 1, "v1data": 8}; !reflect.DeepEqual(got, want) {
		t.Errorf("server requests = %v, want %v", got, want)
	}
	res, err = c.Fetch(ctx, "SYN01", pxweb.Selection{
		{Variable: "Region", Codelist: "agg_Grupper", ValueCodes: []string{"G-1"}},
		{Variable: "Kjonn", ValueCodes: []string{"1"}},
		{Variable: "ContentsCode", ValueCodes: []string{"Personer"}},
		{Variable: "Tid", ValueCodes: []string{"2015"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// agg:Grupper G-1 Personer 2015, Kjonn 1 = 1210 + 11210 + 12210 = 24630.
	if d := res.Dataset; len(d.Values) != 1 || d.Values[0] != 24630 || d.Dims[0].Labels[0] != "Gruppe 1 (Trondheim, Melhus, Skaun)" {
		t.Errorf("v1 agg value = %v, label %q, want [24630] labelled as in the codelist", d.Values, d.Dims[0].Labels[0])
	}
	if _, err := c.Tables(ctx, pxweb.TablesQuery{}); err == nil {
		t.Errorf("Tables on v1 = nil error, want not supported")
	}
}

func TestDataRequest(t *testing.T) {
	c := pxweb.New("http://example.test/api/v2", pxweb.Options{Lang: "no"})
	m, u, body := c.DataRequest("09429", pxweb.Selection{
		{Variable: "Region", Codelist: "agg_KommSummer", OutputValues: "aggregated", ValueCodes: []string{"K-5001", "K-5006"}},
		{Variable: "Tid", ValueCodes: []string{"2024"}},
	})
	want := "http://example.test/api/v2/tables/09429/data?lang=no&outputFormat=json-stat2" +
		"&codelist[Region]=agg_KommSummer&outputValues[Region]=aggregated&valueCodes[Region]=K-5001,K-5006&valueCodes[Tid]=2024"
	if m != "GET" || u != want || body != nil {
		t.Errorf("DataRequest = %s %s %s, want GET %s", m, u, body, want)
	}

	// 300 codes of 6 characters make a URL over 2000 characters: POST.
	var many []string
	for i := 0; i < 300; i++ {
		many = append(many, fmt.Sprintf("K-%04d", i))
	}
	m, u, body = c.DataRequest("09429", pxweb.Selection{{Variable: "Region", ValueCodes: many}})
	var got struct {
		Selection []struct {
			VariableCode string   `json:"variableCode"`
			ValueCodes   []string `json:"valueCodes"`
		} `json:"selection"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if m != "POST" || u != "http://example.test/api/v2/tables/09429/data?lang=no&outputFormat=json-stat2" ||
		len(got.Selection) != 1 || len(got.Selection[0].ValueCodes) != 300 {
		t.Errorf("DataRequest(300 codes) = %s %s with %d selections, want POST", m, u, len(got.Selection))
	}

	// A code with a comma (as in the demo's TAB003, "01.4,02,03.1") cannot
	// travel in a comma-separated GET list.
	if m, _, _ := c.DataRequest("TAB003", pxweb.Selection{{Variable: "x", ValueCodes: []string{"01.4,02,03.1"}}}); m != "POST" {
		t.Errorf("DataRequest(code with comma) method = %s, want POST", m)
	}
}

func TestTablesPagingAndSearch(t *testing.T) {
	fc := newFakeClock() // 2026-01-20
	srv, ts := newServer(t, pxwebtest.Options{Clock: fc.Now})
	c := pxweb.New(ts.URL, pxweb.Options{Clock: fc})
	ctx := context.Background()
	got, err := c.Tables(ctx, pxweb.TablesQuery{PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "SYN01" || got[1].ID != "SYN02" {
		t.Errorf("Tables(pageSize 1) = %v, want SYN01, SYN02", got)
	}
	if n := srv.Requests()["tables"]; n != 2 {
		t.Errorf("tables requests = %d, want 2 pages", n)
	}
	// SYN01 updated 2026-01-15, SYN02 2025-03-01: pastDays 30 keeps SYN01.
	got, err = c.Tables(ctx, pxweb.TablesQuery{PastDays: 30})
	if err != nil || len(got) != 1 || got[0].ID != "SYN01" {
		t.Errorf("Tables(pastDays 30) = %v, %v, want SYN01", got, err)
	}
	got, err = c.Tables(ctx, pxweb.TablesQuery{Query: "sysselsatte"})
	if err != nil || len(got) != 1 || got[0].ID != "SYN02" {
		t.Errorf("Tables(query sysselsatte) = %v, %v, want SYN02", got, err)
	}
	ti, err := c.Table(ctx, "syn01")
	if err != nil || ti.ID != "SYN01" || !ti.Updated.Equal(time.Date(2026, 1, 15, 7, 0, 0, 0, time.UTC)) || ti.LastPeriod != "2024" {
		t.Errorf("Table(syn01) = %+v, %v", ti, err)
	}
}

// replay serves recorded files by request path; an unrecorded path fails
// the test with its URL. It records the raw queries received.
func replay(t *testing.T, routes map[string]string) (*httptest.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var queries []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.Path+"?"+r.URL.RawQuery)
		mu.Unlock()
		file, ok := routes[r.URL.Path]
		if !ok {
			t.Errorf("unrecorded request %s", r.URL)
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Error(err)
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	}))
	t.Cleanup(ts.Close)
	return ts, &queries
}

func TestRecordedSCB(t *testing.T) {
	ts, queries := replay(t, map[string]string{
		"/config":                   "scb/config.json",
		"/tables":                   "scb/tables.json",
		"/codelists/agg_Ålder10årJ": "scb/agg_Ålder10årJ.json",
		"/tables/TAB6471/metadata":  "scb/TAB6471_metadata.json",
	})
	c := pxweb.New(ts.URL, pxweb.Options{Lang: "sv", Clock: newFakeClock()})
	ctx := context.Background()

	// Values from PROVENANCE.md (scb/config.json).
	cfg, err := c.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.APIVersion != "2.2.0" || cfg.MaxDataCells != 150000 || cfg.MaxCallsPerTimeWindow != 3 || cfg.TimeWindow != 1 ||
		cfg.DefaultLanguage != "sv" || cfg.Version != "v2" || len(cfg.DataFormats) != 6 {
		t.Errorf("Config() = %+v", cfg)
	}

	// tables.json is page 1 of 213 (PROVENANCE.md); only page 1 is recorded.
	tables, err := c.Tables(ctx, pxweb.TablesQuery{MaxPages: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 20 || tables[0].ID != "TAB4707" || tables[19].ID != "TAB72" ||
		!tables[0].Updated.Equal(time.Date(2026, 5, 29, 6, 0, 0, 0, time.UTC)) || tables[0].TimeUnit != "Monthly" {
		t.Errorf("Tables() = %d tables, first %+v", len(tables), tables[0])
	}

	cl, err := c.Codelist(ctx, "agg_Ålder10årJ")
	if err != nil {
		t.Fatal(err)
	}
	last := cl.Values[len(cl.Values)-1]
	if cl.Type != "Aggregation" || len(cl.Values) != 11 || cl.Values[0].Code != "-9" || len(cl.Values[0].ValueMap) != 10 ||
		last.Code != "100+" || !reflect.DeepEqual(last.ValueMap, []string{"100+"}) {
		t.Errorf("Codelist() = %+v", cl)
	}

	// Plan the whole TAB6471 (sizes [312,134,3,1,16], PROVENANCE.md) under
	// SCB's 150000 cells: 14 requests (see TestSplit).
	p, err := c.Plan(ctx, "TAB6471", pxweb.Selection{
		{Variable: "Region", ValueCodes: []string{"*"}}, {Variable: "Alder", ValueCodes: []string{"*"}},
		{Variable: "Kon", ValueCodes: []string{"*"}}, {Variable: "ContentsCode", ValueCodes: []string{"*"}},
		{Variable: "Tid", ValueCodes: []string{"*"}}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Cells != 312*134*3*1*16 || p.Requests() != 14 || p.Vars[0].Blocks != 14 {
		t.Errorf("Plan(TAB6471) = %d cells, %d requests, Region %d blocks; want 2006784, 14, 14", p.Cells, p.Requests(), p.Vars[0].Blocks)
	}
	for _, q := range *queries {
		if strings.HasPrefix(q, "/tables/TAB6471/data") {
			t.Errorf("Plan sent a data request %s", q)
		}
	}
}

func TestRecordedSCBSearch(t *testing.T) {
	ts, queries := replay(t, map[string]string{"/config": "scb/config.json", "/tables": "scb/search.json"})
	c := pxweb.New(ts.URL, pxweb.Options{Lang: "sv", Clock: newFakeClock()})
	got, err := c.Tables(context.Background(), pxweb.TablesQuery{Query: "befolkning", PastDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	// search.json: 10 hits, 1 page, the first TAB4552 (PROVENANCE.md).
	if len(got) != 10 || got[0].ID != "TAB4552" || got[0].FirstPeriod != "1960" {
		t.Errorf("Tables(befolkning) = %d tables, first %+v", len(got), got[0])
	}
	q := (*queries)[len(*queries)-1]
	for _, want := range []string{"query=befolkning", "pastDays=30", "lang=sv", "pageNumber=1"} {
		if !strings.Contains(q, want) {
			t.Errorf("search request %q lacks %q", q, want)
		}
	}
}

func TestRecordedDemo(t *testing.T) {
	ts, _ := replay(t, map[string]string{
		"/config":                 "demo/GetApiConfiguration.json",
		"/tables":                 "demo/ListAllTables.json",
		"/tables/TAB004":          "demo/TableById_tab004.json",
		"/tables/TAB001/metadata": "demo/MetadataById_tab001_js2.json",
	})
	c := pxweb.New(ts.URL, pxweb.Options{Clock: newFakeClock()})
	ctx := context.Background()
	// Values from PROVENANCE.md.
	cfg, err := c.Config(ctx)
	if err != nil || cfg.MaxDataCells != 10000 || cfg.MaxCallsPerTimeWindow != 30 || cfg.TimeWindow != 10 ||
		cfg.APIVersion != "2.0.0-beta.12" {
		t.Errorf("Config() = %+v, %v", cfg, err)
	}
	tables, err := c.Tables(ctx, pxweb.TablesQuery{})
	var ids []string
	for _, tb := range tables {
		ids = append(ids, tb.ID)
	}
	if err != nil || !reflect.DeepEqual(ids, []string{"TAB004", "TAB005", "TAB003", "TAB001", "TAB002"}) {
		t.Errorf("Tables() = %v, %v, want the 5 demo tables", ids, err)
	}
	ti, err := c.Table(ctx, "TAB004")
	if err != nil || ti.FirstPeriod != "1990" || ti.LastPeriod != "2017" || ti.TimeUnit != "Annual" ||
		!ti.Updated.Equal(time.Date(2023, 5, 25, 13, 42, 0, 0, time.UTC)) || len(ti.VariableNames) != 4 {
		t.Errorf("Table(TAB004) = %+v, %v", ti, err)
	}
	meta, err := c.Metadata(ctx, "TAB001")
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, d := range meta.Dims {
		sizes = append(sizes, len(d.Codes))
	}
	if !reflect.DeepEqual(sizes, []int{30, 3, 22, 1, 3}) || meta.HasValues() {
		t.Errorf("Metadata(TAB001) sizes %v (values %v), want [30 3 22 1 3] without values", sizes, meta.HasValues())
	}
}

func TestRecorderErrorAborts(t *testing.T) {
	_, ts := newServer(t, pxwebtest.Options{})
	c := pxweb.New(ts.URL, pxweb.Options{Recorder: func(pxweb.Exchange) error { return errors.New("disk full") }})
	if _, err := c.Config(context.Background()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Config() error %v, want the recorder's", err)
	}
}
