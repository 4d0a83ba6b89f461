// Package serve is the read-only HTTP face of a knowledge base, as run by
// `grunnlag serve`:
//
//	GET /book/...     static files under <kb>/book (index.html for a folder)
//	GET /exports/     an HTML list of the files under <kb>/exports
//	GET /exports/...  static files under <kb>/exports
//	GET /planning/... static files of the planning packs under <kb>/planning
//	                  (a pack's pages at /planning/<pack>/book/planlegging/)
//	GET /healthz      {"status":"ok"}
//	GET /status       JSON from Options.Status (catalog, freshness, jobs)
//	GET /runs         JSON array of the newest run files in <kb>/runs (?n=, default 50, at most 1000)
//	GET /metrics      Prometheus text format from Options.Metrics
//
// Only GET and HEAD are answered (405 otherwise). Static files are opened
// through os.Root, so nothing outside <kb>/book, <kb>/exports and
// <kb>/planning is served, not through "..", an absolute path or a
// symbolic link; any path segment starting with "." is refused (404),
// which also hides the store's temp files (".<name>.tmp-*") and a planning
// pack being written, so a half-written file is never served. A folder
// without index.html is 404: there are no listings, except the generated
// list of the exports at /exports/ (regular, visible files only).
//
// Hardening. The server is meant for loopback or a trusted network:
//
//   - Host check: a request whose Host header is not localhost, a loopback
//     address (127.0.0.0/8, ::1) or one of Options.Hosts is refused with
//     403 before anything is read, so a page on a foreign name that a
//     rebinding DNS points at 127.0.0.1 cannot read /status or the book.
//   - Every response carries Content-Security-Policy (CSP, below; no
//     scripts, nothing from other origins, no framing), X-Frame-Options:
//     DENY, Referrer-Policy: no-referrer, X-Content-Type-Options: nosniff
//     and Cross-Origin-Resource-Policy: same-origin.
//   - /status and /runs never show the knowledge base's absolute path: it
//     is replaced by "<kb>" in their JSON, and an error answers 500 with a
//     generic message (the error itself goes to Options.Logger).
//   - [NewServer] sets read-header, read, write and idle timeouts
//     (Options.Timeouts, defaults DefaultTimeouts), so a client that never
//     sends, never reads or sits idle is disconnected.
package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/grunnlag/grunnlag/pipelines/dag"
)

// CSP is the Content-Security-Policy of every response: the book is
// static HTML with a stylesheet and images from the same origin and no
// scripts. Inline styles are allowed for the SVG charts' style attributes.
const CSP = "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Options configure the handler.
type Options struct {
	// Root is the knowledge base directory.
	Root string
	// Status returns the /status document (nil: 404).
	Status func(ctx context.Context) (any, error)
	// Metrics is gathered for /metrics (nil: 404).
	Metrics prometheus.Gatherer
	// Hosts are the host names (or addresses) accepted in the Host header
	// besides localhost and the loopback addresses, without port, e.g.
	// "grunnlag.intern" or "10.0.0.5". Matching ignores case.
	Hosts []string
	// Timeouts of the server NewServer builds (zero fields: DefaultTimeouts).
	Timeouts Timeouts
	// Logger receives the errors behind a 500 answer (nil: discarded).
	Logger *slog.Logger
}

// Timeouts bound how long the server waits for a client.
type Timeouts struct {
	// ReadHeader: from accepting a connection (or the end of the previous
	// request) to the end of the request headers.
	ReadHeader time.Duration
	// Read: to the end of the request body.
	Read time.Duration
	// Write: from the end of the request headers to the end of the
	// response; a client that stops reading is disconnected then.
	Write time.Duration
	// Idle: how long a kept-alive connection may wait for its next request.
	Idle time.Duration
}

// DefaultTimeouts are the timeouts of `grunnlag serve`. Write allows the
// largest export (a few MB) over a slow link.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 2 * time.Minute, Idle: 2 * time.Minute}

func (t Timeouts) withDefaults() Timeouts {
	d := DefaultTimeouts
	if t.ReadHeader > 0 {
		d.ReadHeader = t.ReadHeader
	}
	if t.Read > 0 {
		d.Read = t.Read
	}
	if t.Write > 0 {
		d.Write = t.Write
	}
	if t.Idle > 0 {
		d.Idle = t.Idle
	}
	return d
}

// NewServer returns an HTTP server for Handler(opts) with opts.Timeouts
// set; the caller sets ErrorLog if it wants one and calls Serve.
func NewServer(opts Options) *http.Server {
	t := opts.Timeouts.withDefaults()
	return &http.Server{
		Handler:           Handler(opts),
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    64 << 10,
	}
}

// Handler returns the read-only HTTP handler.
func Handler(opts Options) http.Handler {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	red := newRedactor(opts.Root)
	mux := http.NewServeMux()
	mux.Handle("/book/", static(filepath.Join(opts.Root, "book"), "/book/", nil))
	mux.Handle("/exports/", static(filepath.Join(opts.Root, "exports"), "/exports/", exportsIndex))
	mux.Handle("/planning/", static(filepath.Join(opts.Root, "planning"), "/planning/", nil))
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
			log.Error("http: status", "err", err)
			http.Error(w, "status: intern feil (se loggen)", http.StatusInternalServerError)
			return
		}
		red.writeJSON(w, v)
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
			log.Error("http: runs", "err", err)
			http.Error(w, "runs: intern feil (se loggen)", http.StatusInternalServerError)
			return
		}
		if runs == nil {
			runs = []json.RawMessage{}
		}
		red.writeJSON(w, runs)
	})
	if opts.Metrics != nil {
		mux.Handle("/metrics", promhttp.HandlerFor(opts.Metrics, promhttp.HandlerOpts{}))
	}
	return guard(hostSet(opts.Hosts), mux)
}

// guard sets the security headers on every response, refuses a foreign
// Host and anything but GET and HEAD, then calls h.
func guard(hosts map[string]bool, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", CSP)
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		if !allowedHost(r.Host, hosts) {
			http.Error(w, "ukjent vertsnavn i Host-feltet; legg det til med --host", http.StatusForbidden)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			hd.Set("Allow", "GET, HEAD")
			http.Error(w, "bare lesing (GET, HEAD)", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func hostSet(names []string) map[string]bool {
	m := map[string]bool{"localhost": true}
	for _, n := range names {
		n = strings.ToLower(strings.TrimSuffix(strings.Trim(strings.TrimSpace(n), "[]"), "."))
		if ip := net.ParseIP(n); ip != nil {
			n = ip.String() // as allowedHost compares addresses
		}
		if n != "" {
			m[n] = true
		}
	}
	return m
}

// allowedHost reports whether the Host header host (with or without a
// port) is localhost, a loopback address or in hosts.
func allowedHost(host string, hosts map[string]bool) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "" {
		return false
	}
	if hosts[host] {
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback() || hosts[ip.String()]
	}
	return false
}

// redactor replaces the knowledge base's absolute path in JSON output.
type redactor struct{ paths [][]byte }

func newRedactor(root string) *redactor {
	r := &redactor{}
	cands := []string{root}
	if abs, err := filepath.Abs(root); err == nil {
		cands = append(cands, abs)
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			cands = append(cands, real)
		}
	}
	// Longest first, so a path that contains another is replaced whole.
	sort.Slice(cands, func(i, j int) bool { return len(cands[i]) > len(cands[j]) })
	for _, c := range cands {
		if !filepath.IsAbs(c) || filepath.Dir(c) == c { // relative, or a file system root
			continue
		}
		q, _ := json.Marshal(c) // as it appears inside a JSON string
		r.paths = append(r.paths, q[1:len(q)-1])
	}
	return r
}

func (rd *redactor) writeJSON(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		http.Error(w, "intern feil", http.StatusInternalServerError)
		return
	}
	b := buf.Bytes()
	for _, p := range rd.paths {
		b = bytes.ReplaceAll(b, p, []byte("<kb>"))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// static serves files under dir for URL paths under prefix. For the top
// folder without an index.html, index (if set) writes a page instead of 404.
func static(dir, prefix string, index func(w http.ResponseWriter, r *http.Request, root *os.Root)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel, ok := cleanRel(strings.TrimPrefix(r.URL.Path, prefix))
		if !ok {
			http.NotFound(w, r)
			return
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			if rel == "." && index != nil && errors.Is(err, fs.ErrNotExist) {
				index(w, r, nil) // no folder yet: an empty list
				return
			}
			http.NotFound(w, r)
			return
		}
		defer root.Close()
		name := rel
		fi, err := root.Stat(name)
		if err == nil && fi.IsDir() {
			name = path.Join(rel, "index.html")
			fi, err = root.Stat(name)
			if err != nil && rel == "." && index != nil {
				index(w, r, root)
				return
			}
		}
		if err != nil || fi.IsDir() || !fi.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		f, err := root.Open(name)
		if err != nil {
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

var exportsTmpl = template.Must(template.New("exports").Parse(`<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Eksporter</title></head>
<body><h1>Eksporter</h1>
{{if .}}<table><thead><tr><th scope="col">Fil</th><th scope="col">Størrelse</th><th scope="col">Endret (UTC)</th></tr></thead><tbody>
{{range .}}<tr><td><a href="{{.Href}}">{{.Name}}</a></td><td>{{.Size}}</td><td>{{.Mod}}</td></tr>
{{end}}</tbody></table>{{else}}<p>Ingen eksporter ennå: kjør <code>grunnlag export</code>.</p>{{end}}
</body></html>
`))

// exportsIndex lists the regular, visible files at the top of the exports
// folder (root; nil when there is none yet), by name.
func exportsIndex(w http.ResponseWriter, r *http.Request, root *os.Root) {
	type file struct{ Name, Href, Size, Mod string }
	var ents []fs.DirEntry
	if root != nil {
		d, err := root.Open(".")
		if err != nil {
			http.NotFound(w, r)
			return
		}
		ents, err = d.ReadDir(-1)
		d.Close()
		if err != nil {
			http.NotFound(w, r)
			return
		}
	}
	var files []file
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") || !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		files = append(files, file{Name: e.Name(), Href: "/exports/" + url.PathEscape(e.Name()), Size: humanSize(fi.Size()), Mod: fi.ModTime().UTC().Format("2006-01-02 15:04")})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var buf bytes.Buffer
	if err := exportsTmpl.Execute(&buf, files); err != nil {
		http.Error(w, "intern feil", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// humanSize writes a byte count in Norwegian style ("12,3 kB").
func humanSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return strings.Replace(fmt.Sprintf("%.1f kB", float64(n)/1000), ".", ",", 1)
	default:
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/1e6), ".", ",", 1)
	}
}
