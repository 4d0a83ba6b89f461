package serve

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newKB makes a synthetic knowledge base with a book, exports, a temp
// file, a secret outside the served folders and symlinks pointing out.
func newKB(t *testing.T) string {
	kb := t.TempDir()
	write(t, filepath.Join(kb, "book", "index.html"), "<h1>bok</h1>")
	write(t, filepath.Join(kb, "book", "kap", "index.html"), "kapittel")
	write(t, filepath.Join(kb, "book", "kap", "fig.svg"), "<svg/>")
	write(t, filepath.Join(kb, "book", ".index.html.tmp-123"), "half")
	write(t, filepath.Join(kb, "book", "tom", "x.txt"), "x")
	write(t, filepath.Join(kb, "exports", "arbeidsledige.csv"), "Region,value\n0,1\n")
	write(t, filepath.Join(kb, "catalog.json"), `{"secret":true}`)
	write(t, filepath.Join(kb, "runs", "20260115T081500.000Z.json"), `{"id":"20260115T081500.000Z","kind":"refresh"}`)
	write(t, filepath.Join(kb, "runs", "20260116T081500.000Z-run.json"), `{"id":"20260116T081500.000Z","kind":"run"}`)
	write(t, filepath.Join(kb, "runs", ".20260117.json.tmp-1"), `{"half`)
	write(t, filepath.Join(kb, "planning", "2027-03-03-soknadstall", "book", "planlegging", "index.html"), "<h1>Planlegging</h1>")
	write(t, filepath.Join(kb, "planning", "2027-03-03-soknadstall", "pakke.json"), `{"milestone":"soknadstall"}`)
	write(t, filepath.Join(kb, "planning", ".2027-03-04-soknadstall.tmp-1", "pakke.json"), `{"milestone":"soknadstall"}`)
	if err := os.Symlink(filepath.Join(kb, "catalog.json"), filepath.Join(kb, "book", "lenke.json")); err != nil {
		t.Skip("no symlinks:", err)
	}
	if err := os.Symlink("/etc", filepath.Join(kb, "exports", "etc")); err != nil {
		t.Fatal(err)
	}
	return kb
}

func TestHandler(t *testing.T) {
	kb := newKB(t)
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "grunnlag_runs_total", Help: "runs"})
	reg.MustRegister(c)
	c.Add(3)
	srv := httptest.NewServer(Handler(Options{Root: kb, Metrics: reg,
		Status: func(context.Context) (any, error) { return map[string]any{"datasets": 6}, nil }}))
	defer srv.Close()

	tests := []struct {
		method, path string
		status       int
		body         string // substring; "" = not checked
	}{
		{"GET", "/book/", 200, "<h1>bok</h1>"},
		{"GET", "/book/index.html", 200, "<h1>bok</h1>"},
		{"GET", "/book/kap/", 200, "kapittel"},
		{"GET", "/book/kap/fig.svg", 200, "<svg/>"},
		{"HEAD", "/book/kap/fig.svg", 200, ""},
		{"GET", "/exports/arbeidsledige.csv", 200, "Region,value"},
		{"GET", "/book/.index.html.tmp-123", 404, ""},
		{"GET", "/planning/2027-03-03-soknadstall/book/planlegging/", 200, "<h1>Planlegging</h1>"},
		{"GET", "/planning/2027-03-03-soknadstall/pakke.json", 200, `"milestone":"soknadstall"`},
		{"GET", "/planning/.2027-03-04-soknadstall.tmp-1/pakke.json", 404, ""}, // a pack being written
		{"GET", "/planning/", 404, ""},                                         // no listing
		{"GET", "/book/tom/", 404, ""},                                         // no listing
		{"GET", "/book/lenke.json", 404, ""},                                   // symlink out of book/
		{"GET", "/exports/etc/passwd", 404, ""},                                // symlink out of the kb
		{"GET", "/book/%2e%2e/catalog.json", 404, ""},                          // encoded traversal
		{"GET", "/book/..%2fcatalog.json", 404, ""},
		{"GET", "/catalog.json", 404, ""},
		{"POST", "/book/", 405, ""},
		{"DELETE", "/runs", 405, ""},
		{"GET", "/healthz", 200, `"status": "ok"`},
		{"GET", "/status", 200, `"datasets": 6`},
		{"GET", "/metrics", 200, "grunnlag_runs_total 3"},
		{"GET", "/runs?n=0", 400, ""},
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Errorf("%s %s = %d, want %d (body %q)", tc.method, tc.path, resp.StatusCode, tc.status, b)
			}
			if tc.body != "" && !strings.Contains(string(b), tc.body) {
				t.Errorf("%s %s body = %q, want it to contain %q", tc.method, tc.path, b, tc.body)
			}
			if strings.Contains(string(b), "secret") || strings.Contains(string(b), "root:") || strings.Contains(string(b), "half") {
				t.Errorf("%s %s leaked %q", tc.method, tc.path, b)
			}
		})
	}

	resp, err := http.Get(srv.URL + "/runs")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var runs []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&runs); err != nil {
		t.Fatal(err)
	}
	// Newest first, temp file left out.
	if len(runs) != 2 || runs[0]["kind"] != "run" || runs[1]["kind"] != "refresh" {
		t.Errorf("/runs = %v, want the run then the refresh record", runs)
	}
}

func TestCleanRel(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"", ".", true},
		{"a/b.html", "a/b.html", true},
		{"a/", "a", true},
		{"../x", "", false},
		{"a/../../x", "", false},
		{".git/config", "", false},
		{"a//b", "", false},
		{"a\\..\\b", "", false},
		{"a\x00", "", false},
	}
	for _, tc := range tests {
		got, ok := cleanRel(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("cleanRel(%q) = %q, %v, want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
