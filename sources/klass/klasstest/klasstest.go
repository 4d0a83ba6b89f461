// Package klasstest serves a bundle of recorded or assembled KLASS answers,
// for tests (behind httptest.NewServer) and for the offline demo (as an
// in-process http.RoundTripper, no socket).
//
// A bundle is a directory holding one file per request it answers:
//
//	<dir>/classifications/<id>/<endpoint>/<query>.json
//	<dir>/classifications/<id>/_.json    (GET /classifications/<id>)
//	<dir>/versions/<id>/_.json           (GET /versions/<id>)
//
// where <query> is the request's query string with its parameters sorted by
// name and percent-encoded as url.Values.Encode does, for example
//
//	classifications/131/codes/from=2013-01-01&to=2025-01-01.json
//	classifications/131/correspondsAt/date=2024-01-01&targetClassificationId=104.json
//
// ("_" stands for an empty query). Any path prefix before "/classifications/"
// or "/versions/" is ignored, so the handler can
// sit under "/api/klass/v1". The request must accept application/json (KLASS
// answers XML by default; a bundle holds JSON only): otherwise 406. A request
// with no file is answered 404 with a JSON body naming the URL, as KLASS
// answers unknown classifications.
package klasstest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Handler serves one bundle directory.
type Handler struct {
	dir string
}

// New returns a handler over the bundle in dir.
func New(dir string) *Handler { return &Handler{dir: dir} }

// File returns the bundle path that answers the request URL u (path and
// query), or "" if u is not a KLASS request.
func File(dir string, r *http.Request) string {
	p := r.URL.Path
	i := strings.Index(p, "/classifications/")
	if i < 0 {
		i = strings.Index(p, "/versions/")
	}
	if i < 0 {
		return ""
	}
	rel := strings.Trim(p[i:], "/")
	for _, seg := range strings.Split(rel, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return ""
		}
	}
	q := r.URL.Query().Encode()
	if q == "" {
		q = "_"
	}
	return filepath.Join(dir, filepath.FromSlash(path.Clean(rel)), q+".json")
}

// ServeHTTP answers GET requests from the bundle.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		problem(w, http.StatusMethodNotAllowed, "only GET is supported: "+r.URL.String())
		return
	}
	if !strings.Contains(r.Header.Get("Accept"), "application/json") {
		problem(w, http.StatusNotAcceptable, "this bundle answers application/json only (KLASS defaults to XML): "+r.URL.String())
		return
	}
	f := File(h.dir, r)
	if f == "" {
		problem(w, http.StatusNotFound, "not a KLASS request: "+r.URL.String())
		return
	}
	b, err := os.ReadFile(f)
	if err != nil {
		problem(w, http.StatusNotFound, "no recorded answer for "+r.URL.String())
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write(b)
}

func problem(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": http.StatusText(status), "message": msg, "status": status})
}

// Transport returns an http.RoundTripper that answers every request from
// the bundle in dir, in process.
func Transport(dir string) http.RoundTripper { return roundTripper{h: New(dir)} }

type roundTripper struct{ h *Handler }

func (t roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}
