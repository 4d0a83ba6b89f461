package replay

import (
	"bytes"
	"net/http"
	"strings"
)

// handlerTransport answers requests to one host with an http.Handler, in
// process and without a socket.
type handlerTransport struct {
	source string
	host   string // lower case
	prefix string // stripped from the path before h sees it
	h      http.Handler
}

func (t *handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	if strings.ToLower(req.URL.Host) != t.host || !strings.HasPrefix(req.URL.Path, t.prefix) {
		return nil, &MissError{Source: t.source, Method: req.Method, URL: req.URL.String(),
			Hint: "only " + t.host + t.prefix + " is served from the bundle"}
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.URL.Path = strings.TrimPrefix(req.URL.Path, t.prefix)
	r.URL.RawPath = ""
	if r.URL.Path == "" {
		r.URL.Path = "/"
	}
	w := &recorder{header: http.Header{}}
	if eh, ok := t.h.(errHandler); ok {
		if err := eh.serve(w, r); err != nil {
			return nil, err
		}
	} else {
		t.h.ServeHTTP(w, r)
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return response(req, w.status, w.header, w.body.Bytes()), nil
}

// errHandler is a handler that can fail a request with an error (returned
// by RoundTrip) instead of an answer, e.g. Cubes with a damaged data.json.
type errHandler interface {
	serve(w http.ResponseWriter, r *http.Request) error
}

// recorder is the http.ResponseWriter of handlerTransport.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}
