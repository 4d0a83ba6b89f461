package pipelines

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/pxweb/pxwebtest"
)

// demoBundle is the bundled demo data shared by the end-to-end tests. Its
// table 10540 carries NAV's real registered-unemployment figures for the
// counties and the nation (testdata/demo/README.md).
const demoBundle = "../testdata/demo/ssb"

// unemploymentConfig selects 4 regions × 2 contents × 25 months = 200 cells
// of table 10540.
const unemploymentConfig = `
kb: %s
retention: 3
sources:
  ssb: {kind: pxweb, base_url: %q, lang: "no", licence: "CC BY 4.0", attribution: "Statistisk sentralbyrå (SSB)"}
datasets:
  arbeidsledige:
    source: ssb
    table: "10540"
    select:
      Region: ["0", "40", "4001", "4003"]
      ContentsCode: ["*"]
      Tid: ["range(2024M01,2026M01)"]
%s`

func newTestConfig(t *testing.T, kb, baseURL, extra string) *config.Config {
	t.Helper()
	c, err := config.Parse(strings.NewReader(fmt.Sprintf(unemploymentConfig, kb, baseURL, extra)))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// refreshEnv is an emulated StatBank on loopback and an empty knowledge base.
type refreshEnv struct {
	mu    sync.Mutex
	srv   *pxwebtest.Server
	http  *httptest.Server
	kb    string
	store *store.Store
}

func newRefreshEnv(t *testing.T, bundle string, opts pxwebtest.Options) *refreshEnv {
	t.Helper()
	srv, err := pxwebtest.New(bundle, opts)
	if err != nil {
		t.Fatal(err)
	}
	kb := filepath.Join(t.TempDir(), "kb")
	st, err := store.Open(kb)
	if err != nil {
		t.Fatal(err)
	}
	env := &refreshEnv{srv: srv, kb: kb, store: st}
	env.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env.mu.Lock()
		srv := env.srv
		env.mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(env.http.Close)
	return env
}

// reload makes the server read its bundle again, as a source publishing a
// new version would; request counts start again from zero.
func (e *refreshEnv) reload(t *testing.T, bundle string) {
	t.Helper()
	srv, err := pxwebtest.New(bundle, pxwebtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	e.srv = srv
	e.mu.Unlock()
}

func (e *refreshEnv) refresher(t *testing.T, extra string) *Refresher {
	return &Refresher{Config: newTestConfig(t, e.kb, e.http.URL, extra), Store: e.store}
}

// cell finds the value and status of one cell of a published record.
func cell(t *testing.T, rec arrow.Record, region, contents, period string) (float64, bool, string) {
	t.Helper()
	col := func(name string) arrow.Array {
		idx := rec.Schema().FieldIndices(name)
		if len(idx) != 1 {
			t.Fatalf("record has no column %q", name)
		}
		return rec.Column(idx[0])
	}
	str := func(a arrow.Array, i int) string {
		switch a := a.(type) {
		case *array.Dictionary:
			return a.Dictionary().(*array.String).Value(a.GetValueIndex(i))
		case *array.String:
			return a.Value(i)
		}
		t.Fatalf("column type %T", a)
		return ""
	}
	r, c, p := col("Region"), col("ContentsCode"), col("Tid")
	v, s := col("value").(*array.Float64), col("status")
	for i := 0; i < int(rec.NumRows()); i++ {
		if str(r, i) == region && str(c, i) == contents && str(p, i) == period {
			status := ""
			if s.IsValid(i) {
				status = str(s, i)
			}
			return v.Value(i), v.IsValid(i), status
		}
	}
	t.Fatalf("no cell %s/%s/%s", region, contents, period)
	return 0, false, ""
}

// TestRefreshWithinLimits pulls a 200-cell selection from a server that
// allows 50 cells and 3 calls a second and answers 429 and 503 at times.
//
// The minimum number of data requests, worked by hand: the selection is
// 4 regions × 2 contents × 25 months = 200 cells, so at least
// ceil(200/50) = 4 requests. Four is reachable: regions in 2 blocks of 2 and
// contents in 2 blocks of 1 give chunks of 2×1×25 = 50 cells. Splitting time
// alone needs 5 (8 cells a month, at most 6 months a chunk, ceil(25/6) = 5).
// Two data requests are answered with faults and retried, so the server sees
// 4 + 2 = 6 data requests, plus one /config and one metadata request.
func TestRefreshWithinLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the rate limiter")
	}
	env := newRefreshEnv(t, demoBundle, pxwebtest.Options{
		MaxDataCells: 50,
		MaxCalls:     3,
		TimeWindow:   time.Second,
		Faults: pxwebtest.Script(
			pxwebtest.Rule{Endpoint: "data", N: 2, Fault: pxwebtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"}},
			pxwebtest.Rule{Endpoint: "data", N: 4, Fault: pxwebtest.Fault{Status: http.StatusServiceUnavailable}},
		),
	})
	r := env.refresher(t, "")
	run, err := r.Refresh(context.Background(), RefreshOptions{})
	if err != nil {
		t.Fatalf("Refresh = %v", err)
	}
	d := run.Datasets[0]
	if d.Outcome != OutcomePublished || d.Rows != 200 {
		t.Fatalf("dataset run = %+v, want published with 200 rows", d)
	}
	if d.Chunks != 4 {
		t.Errorf("chunks = %d, want the minimum 4", d.Chunks)
	}
	// The two faulted data requests were each repeated once.
	if d.Retries != 2 || run.Retries != 2 {
		t.Errorf("retries = %d (run %d), want 2", d.Retries, run.Retries)
	}
	got := env.srv.Requests()
	want := map[string]int{"config": 1, "metadata": 1, "data": 6}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("server saw %d %s requests, want %d (all: %v)", got[k], k, n, got)
		}
	}
	if got["table"] != 0 || got["tables"] != 0 {
		t.Errorf("a first pull needs no table check, server saw %v", got)
	}

	// The published version holds NAV's figures (PROVENANCE: helt ledige
	// March 2024, Telemark 2166 = 2.5 %, the nation 61071 = 2.0 %).
	cat, err := env.store.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	v := cat.Datasets["arbeidsledige"].CurrentVersion()
	rec, err := env.store.ReadVersion("arbeidsledige", v.Stamp)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	for _, tc := range []struct {
		region, contents string
		want             float64
	}{
		{"40", "HeltLedige", 2166},
		{"40", "HeltLedigeProsent", 2.5},
		{"0", "HeltLedige", 61071},
		{"0", "HeltLedigeProsent", 2.0},
	} {
		got, ok, _ := cell(t, rec, tc.region, tc.contents, "2024M03")
		if !ok || math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s %s 2024M03 = %v (present %v), want %v", tc.region, tc.contents, got, ok, tc.want)
		}
	}
	if v.Table != "10540" || v.Licence != "CC BY 4.0" || len(v.Snapshots) != 8 {
		t.Errorf("version provenance = table %q licence %q %d snapshots, want 10540, CC BY 4.0, 8 (every exchange)", v.Table, v.Licence, len(v.Snapshots))
	}
}

// TestRefreshIncremental: an unchanged table is not downloaded again; a
// changed one gets a new version with its revisions counted; --offline
// re-parses from the snapshots without any network.
func TestRefreshIncremental(t *testing.T) {
	bundle := copyBundle(t, demoBundle, "10540")
	env := newRefreshEnv(t, bundle, pxwebtest.Options{})
	ctx := context.Background()
	if _, err := env.refresher(t, "").Refresh(ctx, RefreshOptions{}); err != nil {
		t.Fatal(err)
	}
	before := env.srv.Requests()

	// Unchanged: one GET /tables/{id}, no metadata or data.
	run, err := env.refresher(t, "").Refresh(ctx, RefreshOptions{})
	if err != nil {
		t.Fatal(err)
	}
	after := env.srv.Requests()
	if d := run.Datasets[0]; d.Outcome != OutcomeCurrent {
		t.Fatalf("second run outcome = %s (%s), want current", d.Outcome, d.Reason)
	}
	if n := after["table"] - before["table"]; n != 1 {
		t.Errorf("second run made %d table requests, want 1", n)
	}
	for _, k := range []string{"metadata", "data", "codelist"} {
		if after[k] != before[k] {
			t.Errorf("second run made %d %s requests, want 0", after[k]-before[k], k)
		}
	}

	// Upstream revises one cell and moves `updated`: a new version with
	// exactly one revised cell. (Helt ledige, Telemark, March 2024: 2166 → 2170.)
	reviseValue(t, filepath.Join(bundle, "tables", "10540"), "2027-01-01T07:00:00Z", map[string]string{"Region": "40", "ContentsCode": "HeltLedige", "Tid": "2024M03"}, 2170)
	env.reload(t, bundle)
	run, err = env.refresher(t, "").Refresh(ctx, RefreshOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := run.Datasets[0]
	if d.Outcome != OutcomePublished || d.Diff == nil || d.Diff.Revised != 1 || d.Diff.Added != 0 || d.Diff.Removed != 0 {
		t.Fatalf("after a revision: %+v diff %+v, want published with 1 revised cell", d, d.Diff)
	}
	cat, _ := env.store.Catalog()
	if n := len(cat.Datasets["arbeidsledige"].Versions); n != 2 {
		t.Errorf("catalog has %d versions, want 2", n)
	}

	// Offline and forced: every request answered from the snapshots, none
	// reaches the network (the transport below fails the test if used).
	r := env.refresher(t, "")
	r.Transport = roundTripFunc(func(req *http.Request) (*http.Response, error) {
		t.Errorf("offline run touched the network: %s %s", req.Method, req.URL)
		return nil, errors.New("network")
	})
	served := env.srv.Requests()
	run, err = r.Refresh(ctx, RefreshOptions{Offline: true, Force: true})
	if err != nil {
		t.Fatalf("offline refresh = %v", err)
	}
	if d := run.Datasets[0]; d.Outcome != OutcomeUnchanged {
		t.Errorf("offline re-parse outcome = %s, want unchanged", d.Outcome)
	}
	if now := env.srv.Requests(); fmt.Sprint(now) != fmt.Sprint(served) {
		t.Errorf("offline run reached the server: %v -> %v", served, now)
	}
}

// TestRefreshOfflineAfterFirstRun: --offline without --force right after
// a first run, which fetched no table info (there was no version to
// check): every dataset is re-parsed from the snapshots and found
// unchanged, and nothing reaches the network. (It failed with "not in the
// snapshots" when the offline run asked for the table info.)
func TestRefreshOfflineAfterFirstRun(t *testing.T) {
	env := newRefreshEnv(t, demoBundle, pxwebtest.Options{})
	ctx := context.Background()
	if _, err := env.refresher(t, "").Refresh(ctx, RefreshOptions{}); err != nil {
		t.Fatal(err)
	}
	served := env.srv.Requests()
	r := env.refresher(t, "")
	r.Transport = roundTripFunc(func(req *http.Request) (*http.Response, error) {
		t.Errorf("offline run touched the network: %s %s", req.Method, req.URL)
		return nil, errors.New("network")
	})
	run, err := r.Refresh(ctx, RefreshOptions{Offline: true})
	if err != nil {
		t.Fatalf("offline refresh = %v", err)
	}
	for _, d := range run.Datasets {
		if d.Outcome != OutcomeUnchanged {
			t.Errorf("offline %s: outcome %s (%s %s), want unchanged", d.ID, d.Outcome, d.Reason, d.Error)
		}
	}
	if now := env.srv.Requests(); fmt.Sprint(now) != fmt.Sprint(served) {
		t.Errorf("offline run reached the server: %v -> %v", served, now)
	}
}

// befolkningExtra is a second dataset (07459, Trøndelag) for the
// refresh environments' config, beside arbeidsledige (10540).
const befolkningExtra = `  befolkning:
    source: ssb
    table: "07459"
    select:
      Region: ["40"]
      Kjonn: ["*"]
      Alder: ["*"]
      ContentsCode: ["Personer1"]
      Tid: ["top(2)"]
`

// newFailingEnv is a refresh environment on the demo bundle whose data
// requests for table 10540 fail with a 400 while *failing is true.
func newFailingEnv(t *testing.T, failing *bool) *refreshEnv {
	t.Helper()
	return newRefreshEnv(t, demoBundle, pxwebtest.Options{
		Faults: func(endpoint string, n int, r *http.Request) *pxwebtest.Fault {
			if *failing && endpoint == "data" && strings.Contains(r.URL.Path, "10540") {
				return &pxwebtest.Fault{Status: http.StatusBadRequest, Detail: "Value xxx is not a valid value code for variable Region"}
			}
			return nil
		},
	})
}

// TestRefreshFailureKeepsPrevious: a dataset whose source fails stays at its
// previous version, the others go on, and the error names the dataset.
func TestRefreshFailureKeepsPrevious(t *testing.T) {
	failing := false
	env := newFailingEnv(t, &failing)
	extra := befolkningExtra
	ctx := context.Background()
	if _, err := env.refresher(t, extra).Refresh(ctx, RefreshOptions{}); err != nil {
		t.Fatal(err)
	}
	cat, _ := env.store.Catalog()
	prev := cat.Datasets["arbeidsledige"].Current

	failing = true
	run, err := env.refresher(t, extra).Refresh(ctx, RefreshOptions{Force: true})
	if err == nil || !strings.Contains(err.Error(), "arbeidsledige") || !strings.Contains(err.Error(), "not a valid value code") {
		t.Fatalf("Refresh = %v, want an error naming arbeidsledige and the server's detail", err)
	}
	outcomes := map[string]string{}
	for _, d := range run.Datasets {
		outcomes[d.ID] = d.Outcome
	}
	if outcomes["arbeidsledige"] != OutcomeFailed || outcomes["befolkning"] != OutcomeUnchanged {
		t.Errorf("outcomes = %v, want arbeidsledige failed and befolkning unchanged", outcomes)
	}
	cat, _ = env.store.Catalog()
	e := cat.Datasets["arbeidsledige"]
	if e.Current != prev || e.LastError == "" {
		t.Errorf("after the failure current = %s (was %s), last_error %q", e.Current, prev, e.LastError)
	}
	rec, err := env.store.ReadVersion("arbeidsledige", e.Current)
	if err != nil {
		t.Fatalf("previous version unreadable after a failed run: %v", err)
	}
	rec.Release()
	runs, _ := filepath.Glob(filepath.Join(env.kb, "runs", "*.json"))
	if len(runs) != 2 {
		t.Errorf("%d run records, want 2", len(runs))
	}
}

// TestRefreshPastDays: with several datasets checked recently, one
// /tables?pastDays= request answers for all of them.
func TestRefreshPastDays(t *testing.T) {
	env := newRefreshEnv(t, demoBundle, pxwebtest.Options{})
	extra := `  sysselsatte:
    source: ssb
    table: "13470"
    select:
      Region: ["40"]
      NACE2007: ["*"]
      ContentsCode: ["SysselsatteArb"]
      Tid: ["top(1)"]
`
	ctx := context.Background()
	if _, err := env.refresher(t, extra).Refresh(ctx, RefreshOptions{}); err != nil {
		t.Fatal(err)
	}
	before := env.srv.Requests()
	run, err := env.refresher(t, extra).Refresh(ctx, RefreshOptions{})
	if err != nil {
		t.Fatal(err)
	}
	after := env.srv.Requests()
	if after["tables"]-before["tables"] != 1 || after["table"] != before["table"] || after["data"] != before["data"] {
		t.Errorf("second run: %v -> %v, want exactly one /tables request", before, after)
	}
	for _, d := range run.Datasets {
		if d.Outcome != OutcomeCurrent {
			t.Errorf("%s outcome %s, want current", d.ID, d.Outcome)
		}
	}
}

// TestRefreshRefusesWhenLocked: a second run does not write while another
// holds the knowledge base, and says who holds it.
func TestRefreshRefusesWhenLocked(t *testing.T) {
	env := newRefreshEnv(t, demoBundle, pxwebtest.Options{})
	unlock, err := env.store.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = env.refresher(t, "").Refresh(context.Background(), RefreshOptions{})
	if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "låst av pid") {
		t.Fatalf("Refresh while locked = %v, want ErrLocked naming the holder", err)
	}
}

func TestRefreshUnknownDataset(t *testing.T) {
	env := newRefreshEnv(t, demoBundle, pxwebtest.Options{})
	_, err := env.refresher(t, "").Refresh(context.Background(), RefreshOptions{Only: []string{"nope"}})
	if err == nil || !strings.Contains(err.Error(), `nope`) || !strings.Contains(err.Error(), "arbeidsledige") {
		t.Fatalf("Refresh(only nope) = %v, want an error naming nope and the configured datasets", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// copyBundle copies the bundle's config, codelists and the named tables to a
// temporary directory the test may change.
func copyBundle(t *testing.T, src string, tables ...string) string {
	t.Helper()
	dst := t.TempDir()
	cp := func(rel string) {
		b, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cp("config.json")
	lists, _ := filepath.Glob(filepath.Join(src, "codelists", "*.json"))
	for _, l := range lists {
		cp(filepath.Join("codelists", filepath.Base(l)))
	}
	for _, id := range tables {
		cp(filepath.Join("tables", id, "table.json"))
		cp(filepath.Join("tables", id, "data.json"))
	}
	return dst
}

// reviseValue changes one cell of a bundled table and its `updated` stamp,
// as a revision at the source would.
func reviseValue(t *testing.T, dir, updated string, at map[string]string, v float64) {
	t.Helper()
	rw := func(name string, edit func(m map[string]any)) {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		if b, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rw("table.json", func(m map[string]any) { m["updated"] = updated })
	rw("data.json", func(m map[string]any) {
		m["updated"] = updated
		ids, sizes := m["id"].([]any), m["size"].([]any)
		dims := m["dimension"].(map[string]any)
		flat := 0
		for k, id := range ids {
			index := dims[id.(string)].(map[string]any)["category"].(map[string]any)["index"].(map[string]any)
			pos, ok := index[at[id.(string)]].(float64)
			if !ok {
				t.Fatalf("%s has no code %q", id, at[id.(string)])
			}
			flat = flat*int(sizes[k].(float64)) + int(pos)
		}
		m["value"].([]any)[flat] = v
	})
}

// TestRefreshSchemaDrift: the source renames a code the config selects, or
// a whole dimension. The dataset fails with an error naming what is gone,
// its previous version stays published, and the other datasets go on.
func TestRefreshSchemaDrift(t *testing.T) {
	for _, tc := range []struct {
		name  string
		drift func(t *testing.T, m map[string]any)
		want  string
	}{
		{"code renamed", func(t *testing.T, m map[string]any) {
			cat := m["dimension"].(map[string]any)["Region"].(map[string]any)["category"].(map[string]any)
			for _, key := range []string{"index", "label"} {
				obj := cat[key].(map[string]any)
				obj["4003x"] = obj["4003"]
				delete(obj, "4003")
			}
		}, "4003"},
		{"dimension renamed", func(t *testing.T, m map[string]any) {
			dims := m["dimension"].(map[string]any)
			dims["Statistikkvariabel"] = dims["ContentsCode"]
			delete(dims, "ContentsCode")
			ids := m["id"].([]any)
			for i, id := range ids {
				if id == "ContentsCode" {
					ids[i] = "Statistikkvariabel"
				}
			}
			if role, ok := m["role"].(map[string]any); ok {
				role["metric"] = []any{"Statistikkvariabel"}
			}
		}, "ContentsCode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bundle := copyBundle(t, demoBundle, "10540", "07459")
			env := newRefreshEnv(t, bundle, pxwebtest.Options{})
			extra := `  befolkning:
    source: ssb
    table: "07459"
    select:
      Region: ["40"]
      Kjonn: ["*"]
      Alder: ["*"]
      ContentsCode: ["Personer1"]
      Tid: ["top(1)"]
`
			ctx := context.Background()
			if _, err := env.refresher(t, extra).Refresh(ctx, RefreshOptions{}); err != nil {
				t.Fatal(err)
			}
			cat, _ := env.store.Catalog()
			prev := cat.Datasets["arbeidsledige"].Current

			path := filepath.Join(bundle, "tables", "10540", "data.json")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			tc.drift(t, m)
			m["updated"] = "2027-01-01T07:00:00Z"
			if b, err = json.Marshal(m); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			env.reload(t, bundle)

			run, err := env.refresher(t, extra).Refresh(ctx, RefreshOptions{Force: true})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Refresh after drift = %v, want an error naming %q", err, tc.want)
			}
			t.Logf("error: %v", err)
			for _, d := range run.Datasets {
				if d.ID == "befolkning" && d.Outcome == OutcomeFailed {
					t.Errorf("befolkning failed too: %s", d.Error)
				}
			}
			cat, _ = env.store.Catalog()
			if got := cat.Datasets["arbeidsledige"].Current; got != prev {
				t.Errorf("current version after drift = %s, want the previous %s", got, prev)
			}
			rec, err := env.store.ReadVersion("arbeidsledige", prev)
			if err != nil {
				t.Fatalf("previous version unreadable: %v", err)
			}
			rec.Release()
		})
	}
}
