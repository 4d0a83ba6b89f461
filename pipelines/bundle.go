package pipelines

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/grunnlag/grunnlag/sources/pxweb/pxwebtest"
)

// bundleTransport serves a source from bundled PxWebApi table files (the
// offline demo): requests to baseURL go, in process and without a socket, to
// a pxwebtest emulator over the bundle directory, with baseURL's path
// stripped so the emulator sees /config, /tables/{id}/data and so on.
// Requests to any other host fail, so nothing reaches the network.
func bundleTransport(baseURL, dir string) (http.RoundTripper, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("bundle: base_url: %w", err)
	}
	srv, err := pxwebtest.New(dir, pxwebtest.Options{})
	if err != nil {
		return nil, err
	}
	prefix := strings.TrimSuffix(u.Path, "/")
	return &handlerTransport{host: u.Host, h: http.StripPrefix(prefix, srv)}, nil
}

// handlerTransport answers requests with an http.Handler in process.
type handlerTransport struct {
	host string
	h    http.Handler
}

func (t *handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != t.host {
		return nil, fmt.Errorf("bundle: %s %s: only %s is served from the bundle", req.Method, req.URL, t.host)
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
