package all

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/brreg"
	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/klass"
)

// The conformance test runs every source, each registered kind through the
// contract (Factory.New, Query, Source.Fetch, Parse) and KLASS and Brreg
// through their clients, against the same faults on its data request:
//
//	503 then 200, a connection reset then 200, 429 with Retry-After then 200,
//	a JSON body cut short then 200 (JSON sources): the dataset of a clean run;
//	404, and complete but invalid JSON (JSON sources): a typed error at once,
//	with no retry.
//
// The fixtures are copies of each source's own (testdata/PROVENANCE.md).

// fixture is one source served from testdata/<name>/.
type fixture struct {
	name string
	// routes maps "METHOD /path" to a file of testdata/<name>/; data is the
	// route the faults are injected on.
	routes map[string]string
	data   string
	// json says the data response is JSON (the truncated and invalid
	// cases apply).
	json bool
	// run fetches and parses the dataset from the server at base and
	// returns its size in cells (or units).
	run func(ctx context.Context, base string, hc *http.Client, clock httpx.Clock, retry httpx.Policy) (int, error)
	// notFound reports whether err is the source's typed answer to a 404.
	notFound func(err error) bool
}

func httpStatus(code int) func(error) bool {
	return func(err error) bool {
		var he *httpx.HTTPError
		return errors.As(err, &he) && he.Status == code
	}
}

// yamlSection is a sources.Section read from YAML text, strictly (as the
// config package decodes it).
type yamlSection string

func (s yamlSection) Decode(v any) error {
	if strings.TrimSpace(string(s)) == "" {
		return nil
	}
	dec := yaml.NewDecoder(strings.NewReader(string(s)))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// registered runs a kind of the registry: the source section src and the
// dataset section ds ("{{base}}" is replaced by the server's URL).
func registered(kind, path, src, table, ds string) func(context.Context, string, *http.Client, httpx.Clock, httpx.Policy) (int, error) {
	return func(ctx context.Context, base string, hc *http.Client, clock httpx.Clock, retry httpx.Policy) (int, error) {
		f, ok := New().Lookup(kind)
		if !ok {
			return 0, errors.New("kind " + kind + " is not registered")
		}
		s, err := f.New(sources.Env{Name: kind, BaseURL: base + path, HTTP: hc, Clock: clock, Retry: retry}, yamlSection(src))
		if err != nil {
			return 0, err
		}
		q, err := f.Query(sources.DatasetSpec{ID: "conformance", Table: table, Section: yamlSection(strings.ReplaceAll(ds, "{{base}}", base))})
		if err != nil {
			return 0, err
		}
		snap, err := s.Fetch(ctx, q)
		if err != nil {
			return 0, err
		}
		d, err := s.Parse(snap)
		if err != nil {
			return 0, err
		}
		return d.Size(), nil
	}
}

var fixtures = []fixture{
	{
		name: "pxweb",
		routes: map[string]string{
			"GET /config":                "config.json",
			"GET /tables/SYN02/metadata": "metadata.json",
			"GET /tables/SYN02/data":     "data.json",
		},
		data: "GET /tables/SYN02/data", json: true,
		run:      registered("pxweb", "", "api_version: v2", "SYN02", "select: {Naering: ['*'], Tid: ['*']}"),
		notFound: httpStatus(404),
	},
	{
		name:   "nav",
		routes: map[string]string{"GET /bu/2017.csv": "bedriftsundersokelse_2017.csv"},
		data:   "GET /bu/2017.csv",
		run: registered("nav", "", "", "",
			"url: '{{base}}/bu/2017.csv'\nmapping: nav-bedriftsundersokelse\n"),
		notFound: httpStatus(404),
	},
	{
		name: "udir",
		routes: map[string]string{
			"GET /api/Rapportside/FOY_LK_FylkUtdprogAar":                "rapportside.json",
			"GET /api/Statistikk/FOY/Laerekontrakter/1/3/filterVerdier": "filterverdier.json",
			"GET /api/Statistikk/FOY/Laerekontrakter/1/3/data":          "data.json",
		},
		data: "GET /api/Statistikk/FOY/Laerekontrakter/1/3/data", json: true,
		run: registered("udir", "/api", "", "",
			"report: FOY_LK_FylkUtdprogAar\nrow_path: F\nfilter: {TidID: ['202410', siste], UtdprogramID: ['-10']}\n"),
		notFound: httpStatus(404),
	},
	{
		name:   "dbh",
		routes: map[string]string{"POST /dbh": "fagskole_fylke.json"},
		data:   "POST /dbh", json: true,
		run: registered("dbh", "/dbh", "", "", `dbh:
  table: 999
  group_by: [Årstall, Fylkesnr, Fagområdekode]
  sort_by: [Fylkesnr]
  filter: {Årstall: ['2023', '2024']}
  region_column: Fylkesnr
  region_label_column: Fylkesnavn
  period_column: Årstall
  value: Antall studenter
  dims: {Fagomrade: {column: Fagområdekode, label_column: Fagområde, label: Fagområde}}
`),
		notFound: httpStatus(404),
	},
	{
		name:   "klass",
		routes: map[string]string{"GET /classifications/104/codesAt": "codesAt-104.json"},
		data:   "GET /classifications/104/codesAt", json: true,
		run: func(ctx context.Context, base string, hc *http.Client, clock httpx.Clock, retry httpx.Policy) (int, error) {
			c := klass.New(base, klass.Options{HTTP: hc, Clock: clock, Retry: retry})
			codes, err := c.CodesAt(ctx, klass.Counties, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
			return len(codes), err
		},
		notFound: httpStatus(404),
	},
	{
		name:   "brreg",
		routes: map[string]string{"GET /enheter/112233445": "enheter-details-response.json"},
		data:   "GET /enheter/112233445", json: true,
		run: func(ctx context.Context, base string, hc *http.Client, clock httpx.Clock, retry httpx.Policy) (int, error) {
			c := brreg.New(base, brreg.Options{HTTP: hc, Clock: clock, Retry: retry})
			u, err := c.Unit(ctx, brreg.LegalUnit, "112233445")
			if err != nil {
				return 0, err
			}
			if u.Name != "SESAM STASJON" { // the recorded unit (testdata/PROVENANCE.md)
				return 0, errors.New("unit " + u.Name + ", want SESAM STASJON")
			}
			return 1, nil
		},
		// Brreg's 404 is an answer: the number is not in the register.
		notFound: func(err error) bool { return errors.Is(err, brreg.ErrNotFound) },
	},
}

// fault is what the data route answers to its n-th request (1-based);
// false: the recorded response.
type fault func(w http.ResponseWriter, n int, body []byte) bool

func firstOnly(f func(w http.ResponseWriter, body []byte)) fault {
	return func(w http.ResponseWriter, n int, body []byte) bool {
		if n > 1 {
			return false
		}
		f(w, body)
		return true
	}
}

func always(f func(w http.ResponseWriter, body []byte)) fault {
	return func(w http.ResponseWriter, n int, body []byte) bool { f(w, body); return true }
}

func statusFault(code int, hdr ...string) func(http.ResponseWriter, []byte) {
	return func(w http.ResponseWriter, _ []byte) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		http.Error(w, http.StatusText(code), code)
	}
}

func resetFault(w http.ResponseWriter, _ []byte) {
	if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
		_ = c.Close()
	}
}

// truncatedFault answers 200 with the first half of the body, framed as
// complete (Content-Length of the half): only the JSON check can tell.
func truncatedFault(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body[:len(body)/2])
}

func invalidFault(w http.ResponseWriter, _ []byte) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"complete": but-invalid}`))
}

// server serves fx's routes, applying f to the data route.
type server struct {
	t  *testing.T
	fx fixture
	f  fault

	mu sync.Mutex
	n  int // requests to the data route
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.Path
	file, ok := s.fx.routes[key]
	if !ok {
		s.t.Errorf("%s: unrecorded request %s %s", s.fx.name, r.Method, r.URL)
		http.NotFound(w, r)
		return
	}
	body, err := os.ReadFile(filepath.Join("testdata", s.fx.name, file))
	if err != nil {
		s.t.Error(err)
		http.Error(w, err.Error(), 500)
		return
	}
	if key == s.fx.data {
		s.mu.Lock()
		s.n++
		n := s.n
		s.mu.Unlock()
		if s.f != nil && s.f(w, n, body) {
			return
		}
	}
	_, _ = w.Write(body)
}

func (s *server) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// fakeClock sleeps by advancing Now and records each sleep.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

func TestConformance(t *testing.T) {
	have := map[string]bool{}
	for _, fx := range fixtures {
		have[fx.name] = true
	}
	for _, kind := range New().Kinds() {
		if !have[kind] {
			t.Errorf("kind %s is registered but has no conformance fixture", kind)
		}
	}
	// Backoff with Jitter 0 and the default base of 1 s: the first retry
	// waits 1s/2 = 500 ms.
	retry := httpx.Policy{Jitter: func() float64 { return 0 }}
	const firstBackoff = 500 * time.Millisecond
	type outcome int
	const (
		ok outcome = iota
		notFound
		invalid
	)
	cases := []struct {
		name     string
		jsonOnly bool
		f        fault
		want     outcome
		requests int             // to the data route
		sleeps   []time.Duration // retry waits
	}{
		{"503 then 200", false, firstOnly(statusFault(503)), ok, 2, []time.Duration{firstBackoff}},
		{"reset then 200", false, firstOnly(resetFault), ok, 2, []time.Duration{firstBackoff}},
		{"429 Retry-After 2 then 200", false, firstOnly(statusFault(429, "Retry-After", "2")), ok, 2, []time.Duration{2 * time.Second}},
		{"404", false, always(statusFault(404)), notFound, 1, nil},
		{"JSON cut short then 200", true, firstOnly(truncatedFault), ok, 2, []time.Duration{firstBackoff}},
		{"complete invalid JSON", true, always(invalidFault), invalid, 1, nil},
	}
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			// A clean run gives the size every surviving run must give.
			clean := &server{t: t, fx: fx}
			ts := httptest.NewServer(clean)
			want, err := fx.run(context.Background(), ts.URL, ts.Client(), &fakeClock{}, retry)
			ts.Close()
			if err != nil || want == 0 {
				t.Fatalf("clean run = %d, %v; want a dataset", want, err)
			}
			for _, tc := range cases {
				if tc.jsonOnly && !fx.json {
					continue
				}
				t.Run(tc.name, func(t *testing.T) {
					s := &server{t: t, fx: fx, f: tc.f}
					ts := httptest.NewServer(s)
					defer ts.Close()
					clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
					got, err := fx.run(context.Background(), ts.URL, freshConns(), clock, retry)
					switch tc.want {
					case ok:
						if err != nil || got != want {
							t.Fatalf("run = %d, %v; want %d as in a clean run", got, err, want)
						}
					case notFound:
						if !fx.notFound(err) || httpx.Recoverable(err) {
							t.Fatalf("run error = %v, want the source's typed 404, not recoverable", err)
						}
					case invalid:
						var be *httpx.BodyError
						if !errors.As(err, &be) || be.Truncated || httpx.Recoverable(err) {
							t.Fatalf("run error = %v, want a non-recoverable *httpx.BodyError", err)
						}
					}
					if n := s.requests(); n != tc.requests {
						t.Errorf("data requests = %d, want %d", n, tc.requests)
					}
					if got := clock.slept(); !equal(got, tc.sleeps) {
						t.Errorf("waits %v, want %v", got, tc.sleeps)
					}
				})
			}
		})
	}
}

// freshConns is a client that opens a connection per request: net/http
// repeats a GET itself when a reused idle connection turns out closed,
// which would hide the HTTP layer's own handling of a reset.
func freshConns() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

func equal(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
