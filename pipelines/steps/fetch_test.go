package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/pxweb/pxwebtest"
)

// demoBundle is the generated demo PxWebApi bundle of the repository
// (mostly synthetic, see testdata/demo/README.md).
const demoBundle = "../../testdata/demo/ssb"

// smallConfig selects a few cells of three demo tables (Hele landet and
// Telemark), so each refresh is quick.
const smallConfig = `kb: ./kb
sources:
  ssb: {kind: pxweb, base_url: %q, api_version: v2, licence: "CC BY 4.0"}
datasets:
  arbeidsledige:
    source: ssb
    table: "10540"
    select: {Region: ["0", "40"], ContentsCode: ["*"], Tid: ["from(2025M01)"]}
  befolkning:
    source: ssb
    table: "07459"
    select: {Region: ["0", "40"], Kjonn: ["*"], Alder: ["*"], ContentsCode: ["Personer1"], Tid: ["top(2)"]}
  utdanningsniva:
    source: ssb
    table: "09429"
    select: {Region: ["0", "40"], Nivaa: ["*"], Kjonn: ["0"], ContentsCode: ["Personer"], Tid: ["top(2)"]}
`

// faultServer is the demo bundle behind a loopback httptest server whose
// faults the test changes between runs.
type faultServer struct {
	px  *pxwebtest.Server
	srv *httptest.Server

	mu     sync.Mutex
	faults func(endpoint string, n int, r *http.Request) *pxwebtest.Fault
	body   func(r *http.Request, body []byte) []byte // rewrites a 200 data body
	counts map[string]int
}

func newFaultServer(t *testing.T) *faultServer {
	t.Helper()
	fs := &faultServer{counts: map[string]int{}}
	px, err := pxwebtest.New(demoBundle, pxwebtest.Options{Faults: func(ep string, n int, r *http.Request) *pxwebtest.Fault {
		fs.mu.Lock()
		f := fs.faults
		fs.mu.Unlock()
		if f == nil {
			return nil
		}
		return f(ep, n, r)
	}})
	if err != nil {
		t.Fatal(err)
	}
	fs.px = px
	fs.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.counts[r.URL.Path]++
		body := fs.body
		fs.mu.Unlock()
		if body == nil || !strings.HasSuffix(r.URL.Path, "/data") {
			px.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		px.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		b := rec.Body.Bytes()
		if rec.Code == 200 {
			b = body(r, b)
		}
		w.WriteHeader(rec.Code)
		w.Write(b)
	}))
	t.Cleanup(fs.srv.Close)
	return fs
}

func (fs *faultServer) set(faults func(string, int, *http.Request) *pxwebtest.Fault, body func(*http.Request, []byte) []byte) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.faults, fs.body = faults, body
}

// onTable applies f to the first n data requests of one table (n < 0: all).
func onTable(table string, n int, f pxwebtest.Fault) func(string, int, *http.Request) *pxwebtest.Fault {
	var mu sync.Mutex
	seen := 0
	return func(ep string, _ int, r *http.Request) *pxwebtest.Fault {
		if ep != "data" || !strings.Contains(r.URL.Path, "/tables/"+table+"/") {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		seen++
		if n >= 0 && seen > n {
			return nil
		}
		g := f
		return &g
	}
}

func newRefreshRunner(t *testing.T, baseURL string, opts pipelines.RefreshOptions) (*dag.Runner, *store.Store) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "grunnlag.yaml")
	if err := os.WriteFile(p, fmt.Appendf(nil, smallConfig, baseURL), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cfg.KB)
	if err != nil {
		t.Fatal(err)
	}
	ref := &pipelines.Refresher{Config: cfg, Store: st}
	steps := Fetch(ref, opts)
	steps = append(steps, dag.Step{Name: "build", Inputs: []string{FetchPrefix + "*"}, Code: "build/test", Run: func(ctx context.Context, in *dag.Input) (*dag.Output, error) {
		return &dag.Output{Outcome: "built"}, nil
	}})
	g, err := dag.New(steps...)
	if err != nil {
		t.Fatal(err)
	}
	return &dag.Runner{Graph: g, Store: st}, st
}

func outcomes(rep *dag.Report) map[string]string {
	out := map[string]string{}
	for _, s := range rep.Steps {
		out[s.Name] = s.Outcome
	}
	return out
}

func TestRefreshStepsIncremental(t *testing.T) {
	fs := newFaultServer(t)
	r, _ := newRefreshRunner(t, fs.srv.URL, pipelines.RefreshOptions{})
	ctx := context.Background()
	rep, err := r.Run(ctx, dag.Options{})
	if err != nil {
		t.Fatalf("first run: %v", err)
	}
	for _, id := range []string{"arbeidsledige", "befolkning", "utdanningsniva"} {
		if got := outcomes(rep)[FetchPrefix+id]; got != pipelines.OutcomePublished {
			t.Errorf("first run %s = %q, want published", id, got)
		}
	}
	if RefreshRecord(rep) == nil || len(rep.RecordIDs) == 0 {
		t.Fatal("first run has no refresh record")
	}
	before := fs.px.Requests()["data"]
	rep, err = r.Run(ctx, dag.Options{})
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	// The demo tables do not change, so the cheap checks say "current",
	// no data is requested, and build is skipped.
	if got := fs.px.Requests()["data"] - before; got != 0 {
		t.Errorf("unchanged run made %d data requests, want 0", got)
	}
	if ran := rep.Ran(); len(ran) != 0 {
		t.Errorf("unchanged run ran %v, want nothing", ran)
	}
	for _, s := range rep.Steps {
		if s.Name == "build" && s.Action != dag.ActionSkip {
			t.Errorf("build action = %s (%s), want skip", s.Action, s.Reason)
		}
		if strings.HasPrefix(s.Name, FetchPrefix) && s.Outcome != pipelines.OutcomeCurrent {
			t.Errorf("%s outcome = %s, want current", s.Name, s.Outcome)
		}
	}
}

// TestRefreshSurvivesFaults: after a clean first run, a forced run meets
// one kind of fault on table 07459 (befolkning). Transient faults end in
// the same data after retries; permanent ones fail that dataset only,
// leave its previous version current and readable, and the next backfill
// run retries only it.
func TestRefreshSurvivesFaults(t *testing.T) {
	dropLastValue := func(_ *http.Request, b []byte) []byte {
		var doc map[string]any
		if json.Unmarshal(b, &doc) != nil {
			return b
		}
		v := doc["value"].([]any)
		doc["value"] = v[:len(v)-1]
		out, _ := json.Marshal(doc)
		return out
	}
	only07459 := func(f func(*http.Request, []byte) []byte) func(*http.Request, []byte) []byte {
		return func(r *http.Request, b []byte) []byte {
			if strings.Contains(r.URL.Path, "/tables/07459/") {
				return f(r, b)
			}
			return b
		}
	}
	tests := []struct {
		name      string
		faults    func(string, int, *http.Request) *pxwebtest.Fault
		body      func(*http.Request, []byte) []byte
		recovers  bool
		wantError string // in the dataset's error when it does not recover
	}{
		{"429 with Retry-After", onTable("07459", 1, pxwebtest.Fault{Status: 429, RetryAfter: "1"}), nil, true, ""},
		{"503 then 502", onTable("07459", 2, pxwebtest.Fault{Status: 503}), nil, true, ""},
		{"500 once", onTable("07459", 1, pxwebtest.Fault{Status: 500}), nil, true, ""},
		{"connection reset", onTable("07459", 1, pxwebtest.Fault{Reset: true}), nil, true, ""},
		{"slow answer", onTable("07459", -1, pxwebtest.Fault{Delay: 100 * time.Millisecond}), nil, true, ""},
		{"table gone (404)", onTable("07459", -1, pxwebtest.Fault{Status: 404, Detail: "no such table"}), nil, false, "404"},
		{"truncated body", nil, only07459(func(_ *http.Request, b []byte) []byte { return b[:len(b)/2] }), false, "07459"},
		{"invalid JSON", nil, only07459(func(_ *http.Request, b []byte) []byte {
			return bytes.ReplaceAll(b, []byte(`"value"`), []byte(`"value":`))
		}), false, "07459"},
		{"size/value mismatch", nil, only07459(dropLastValue), false, "07459"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFaultServer(t)
			r, st := newRefreshRunner(t, fs.srv.URL, pipelines.RefreshOptions{Force: true})
			ctx := context.Background()
			if _, err := r.Run(ctx, dag.Options{}); err != nil {
				t.Fatalf("clean run: %v", err)
			}
			cat0, _ := st.Catalog()
			prev := cat0.Datasets["befolkning"].CurrentVersion()

			fs.set(tc.faults, tc.body)
			rep, err := r.Run(ctx, dag.Options{})
			got := outcomes(rep)
			// The other datasets went on, refetched and unchanged.
			for _, id := range []string{"arbeidsledige", "utdanningsniva"} {
				if got[FetchPrefix+id] != pipelines.OutcomeUnchanged {
					t.Errorf("%s outcome = %q, want unchanged", id, got[FetchPrefix+id])
				}
			}
			cat, _ := st.Catalog()
			cur := cat.Datasets["befolkning"].CurrentVersion()
			if cur.Stamp != prev.Stamp || cur.ContentSHA256 != prev.ContentSHA256 {
				t.Errorf("befolkning current = %s %s, want the previous %s %s", cur.Stamp, cur.ContentSHA256, prev.Stamp, prev.ContentSHA256)
			}
			rec, rerr := st.ReadVersion("befolkning", cur.Stamp)
			if rerr != nil {
				t.Fatalf("ReadVersion(current) = %v", rerr)
			}
			if rec.NumRows() != prev.Rows {
				t.Errorf("current befolkning rows = %d, want %d", rec.NumRows(), prev.Rows)
			}
			rec.Release()
			if tc.recovers {
				if err != nil || got[FetchPrefix+"befolkning"] != pipelines.OutcomeUnchanged {
					t.Errorf("run = %v, befolkning %q; want recovered to the same data (unchanged)", err, got[FetchPrefix+"befolkning"])
				}
				return
			}
			if err == nil || got[FetchPrefix+"befolkning"] != pipelines.OutcomeFailed {
				t.Fatalf("run = %v, befolkning %q; want it failed", err, got[FetchPrefix+"befolkning"])
			}
			for _, s := range rep.Steps {
				if s.Name == FetchPrefix+"befolkning" && !strings.Contains(s.Error, tc.wantError) {
					t.Errorf("befolkning error = %q, want it to mention %q", s.Error, tc.wantError)
				}
			}
			// Backfill: only befolkning is retried, and now succeeds.
			fs.set(nil, nil)
			before := fs.px.Requests()
			rep, err = r.Run(ctx, dag.Options{Backfill: true})
			if err != nil {
				t.Fatalf("backfill: %v", err)
			}
			var names []string
			for _, s := range rep.Steps {
				names = append(names, s.Name)
			}
			if strings.Join(names, " ") != "fetch/befolkning build" {
				t.Errorf("backfill steps = %v, want fetch/befolkning build", names)
			}
			if d := fs.px.Requests()["data"] - before["data"]; d < 1 {
				t.Errorf("backfill made %d data requests, want at least 1", d)
			}
		})
	}
}
