// Package klasstest serves a bundle of recorded or assembled KLASS answers
// to tests: behind httptest.NewServer (Handler) or in process (Transport).
// The bundle format and the matching are those of replay.KLASS (see
// sources/replay); this package adds what a test server needs on top: it
// answers under any host and path prefix, answers a request without
// "Accept: application/json" 406 (KLASS answers XML by default; a bundle
// holds JSON only), and answers an unrecorded request 404 with a JSON body
// naming the URL, as KLASS answers unknown classifications.
//
// Production code does not import this package: the offline demo uses
// replay.KLASS directly.
package klasstest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/grunnlag/grunnlag/sources/replay"
)

// base is the base URL requests are matched under, whatever their host.
const base = "http://klass.test/api/klass/v1"

// Handler serves one bundle directory.
type Handler struct {
	dir string

	once sync.Once
	t    *replay.Transport
	err  error
}

// New returns a handler over the bundle in dir.
func New(dir string) *Handler { return &Handler{dir: dir} }

// ServeHTTP answers GET requests from the bundle. Any path prefix up to
// /api/klass/v1 is ignored.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		problem(w, http.StatusMethodNotAllowed, "only GET is supported: "+r.URL.String())
		return
	}
	if !strings.Contains(r.Header.Get("Accept"), "application/json") {
		problem(w, http.StatusNotAcceptable, "this bundle answers application/json only (KLASS defaults to XML): "+r.URL.String())
		return
	}
	h.once.Do(func() { h.t, h.err = replay.KLASS(base, h.dir) })
	if h.err != nil {
		problem(w, http.StatusInternalServerError, h.err.Error())
		return
	}
	p := r.URL.Path
	if i := strings.Index(p, "/api/klass/v1"); i >= 0 {
		p = p[i+len("/api/klass/v1"):]
	}
	u := base + p
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, u, nil)
	if err != nil {
		problem(w, http.StatusBadRequest, err.Error())
		return
	}
	resp, err := h.t.RoundTrip(req)
	var miss *replay.MissError
	if errors.As(err, &miss) {
		problem(w, http.StatusNotFound, "no recorded answer for "+r.URL.String())
		return
	}
	if err != nil {
		problem(w, http.StatusInternalServerError, err.Error())
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

func problem(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": http.StatusText(status), "message": msg, "status": status})
}

// Transport returns an http.RoundTripper that answers every request from
// the bundle in dir, in process, under any host.
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
