package pxweb_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/pxweb"
)

// TestErrorShortensLongURL: an error for a request whose URL is 1000+
// characters shows it cut (scheme, host, path and the start of the query,
// then "…"), and keeps the whole URL in the typed error.
func TestErrorShortensLongURL(t *testing.T) {
	cfg, err := os.ReadFile("testdata/bundle/config.json")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/config" {
			_, _ = w.Write(cfg)
			return
		}
		http.Error(w, "not found", http.StatusNotFound)
	}))
	defer ts.Close()
	c := pxweb.New(ts.URL, pxweb.Options{APIVersion: "v2", Clock: newFakeClock()})
	long := strings.Repeat("befolkning ", 120) // a 1 320-character search
	_, err = c.Tables(context.Background(), pxweb.TablesQuery{Query: long})
	if err == nil {
		t.Fatal("Tables against a 404 server = nil error")
	}
	if msg := err.Error(); len(msg) > 300 || !strings.Contains(msg, "…") || !strings.Contains(msg, ts.URL+"/tables?") {
		t.Errorf("error message of %d bytes %q, want at most 300 with the URL cut by …", len(msg), msg)
	}
	var he *httpx.HTTPError
	if !errors.As(err, &he) || he.Status != 404 || len(he.URL) < 1000 {
		t.Errorf("error %v: want an *httpx.HTTPError 404 keeping the whole URL", err)
	}
}
