// Package serve is the read-only HTTP face of a knowledge base, as run by
// `grunnlag serve`:
//
//	GET /book/...     static files under <kb>/book (index.html for a folder)
//	GET /exports/...  static files under <kb>/exports
//	GET /healthz      {"status":"ok"}
//	GET /status       JSON from Options.Status (catalog, freshness, jobs)
//	GET /runs         JSON array of the newest run files in <kb>/runs (?n=, default 50, at most 1000)
//	GET /metrics      Prometheus text format from Options.Metrics
//
// Only GET and HEAD are answered (405 otherwise). Static files are opened
// through os.Root, so nothing outside <kb>/book and <kb>/exports is served,
// not through "..", an absolute path or a symbolic link; any path segment
// starting with "." is refused (404), which also hides the store's temp
// files (".<name>.tmp-*"), so a half-written file is never served. A folder
// without index.html is 404: there are no listings.
package serve

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/grunnlag/grunnlag/pipelines/dag"
)

// Options configure the handler.
type Options struct {
	// Root is the knowledge base directory.
	Root string
	// Status returns the /status document (nil: 404).
	Status func(ctx context.Context) (any, error)
	// Metrics is gathered for /metrics (nil: 404).
	Metrics prometheus.Gatherer
}

// Handler returns the read-only HTTP handler.
func Handler(opts Options) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/book/", static(filepath.Join(opts.Root, "book"), "/book/"))
	mux.Handle("/exports/", static(filepath.Join(opts.Root, "exports"), "/exports/"))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
		if opts.Status == nil {
			http.NotFound(w, r)
			return
		}
		v, err := opts.Status(r.Context())
		if err != nil {
			http.Error(w, "status: "+err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, v)
	})
	mux.HandleFunc("/runs", func(w http.ResponseWriter, r *http.Request) {
		n := 50
		if s := r.URL.Query().Get("n"); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 1 || v > 1000 {
				http.Error(w, "n: et tall fra 1 til 1000", http.StatusBadRequest)
				return
			}
			n = v
		}
		runs, err := dag.ReadReports(opts.Root, n)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if runs == nil {
			runs = []json.RawMessage{}
		}
		writeJSON(w, runs)
	})
	if opts.Metrics != nil {
		mux.Handle("/metrics", promhttp.HandlerFor(opts.Metrics, promhttp.HandlerOpts{}))
	}
	return readOnly(mux)
}

func readOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "bare lesing (GET, HEAD)", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// static serves files under dir for URL paths under prefix.
func static(dir, prefix string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := cleanRel(strings.TrimPrefix(r.URL.Path, prefix))
		if !ok {
			http.NotFound(w, r)
			return
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer root.Close()
		name := rel
		fi, err := root.Stat(name)
		if err == nil && fi.IsDir() {
			name = path.Join(rel, "index.html")
			fi, err = root.Stat(name)
		}
		if err != nil || fi.IsDir() || !fi.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		f, err := root.Open(name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				http.NotFound(w, r)
				return
			}
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, path.Base(name), fi.ModTime(), f)
	})
}

// cleanRel turns the rest of a URL path into a relative slash path, or
// refuses it: no "..", no segment starting with ".", no backslash or NUL.
func cleanRel(p string) (string, bool) {
	if strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	p = strings.Trim(p, "/")
	if p == "" {
		return ".", true
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || strings.HasPrefix(seg, ".") {
			return "", false
		}
	}
	if !fs.ValidPath(p) {
		return "", false
	}
	return p, true
}
