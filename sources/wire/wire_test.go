package wire

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDoRecordsEveryResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "grunnlag-test/1" {
			t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
		}
		if r.URL.Path == "/missing" {
			http.Error(w, "finnes ikke", http.StatusNotFound)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	var seen []Exchange
	fixed := time.Date(2026, 1, 15, 8, 15, 0, 0, time.UTC)
	c := New("test", time.Second, Options{Now: func() time.Time { return fixed }, Recorder: func(ex Exchange) error {
		seen = append(seen, ex)
		return nil
	}})
	ex, err := c.Do(context.Background(), http.MethodGet, srv.URL+"/ok", nil, "")
	if err != nil || string(ex.Body) != "ok" || !ex.FetchedAt.Equal(fixed) {
		t.Fatalf("Do(ok) = %+v, %v", ex, err)
	}
	_, err = c.Do(context.Background(), http.MethodGet, srv.URL+"/missing", nil, "")
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 404 || he.Retryable() || !strings.Contains(string(he.Body), "finnes ikke") {
		t.Fatalf("Do(missing) = %v, want *HTTPError 404 with the body", err)
	}
	if !strings.HasPrefix(err.Error(), "test: GET ") {
		t.Errorf("error %q does not start with the source name", err)
	}
	if len(seen) != 2 || seen[1].Status != 404 {
		t.Errorf("recorder saw %d exchanges, want both (including the 404)", len(seen))
	}
	if (&HTTPError{Status: 503}).Retryable() != true || (&HTTPError{Status: 429}).Retryable() != true {
		t.Error("5xx and 429 must be retryable")
	}
}

func TestDoCapsBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", 100)))
	}))
	defer srv.Close()
	c := New("test", time.Second, Options{MaxBody: 10})
	if _, err := c.Do(context.Background(), http.MethodGet, srv.URL, nil, ""); err == nil || !strings.Contains(err.Error(), "exceeds 10 bytes") {
		t.Fatalf("Do(100 bytes, cap 10) = %v, want a size error", err)
	}
}

func TestBundle(t *testing.T) {
	dir := t.TempDir()
	index := `[{"method":"POST","url":"https://example.invalid/api?b=2&a=1","body":"{\"x\": 1}","content_type":"application/json","file":"r.json"},
	           {"url":"https://example.invalid/none","status":204}]`
	if err := os.WriteFile(filepath.Join(dir, "index.json"), []byte(index), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "r.json"), []byte(`{"ok":true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	rt, err := Bundle("test", dir)
	if err != nil {
		t.Fatal(err)
	}
	c := New("test", time.Second, Options{HTTP: &http.Client{Transport: rt}})
	// Query order and JSON whitespace do not matter.
	ex, err := c.Do(context.Background(), http.MethodPost, "https://example.invalid/api?a=1&b=2", []byte(`{ "x":1 }`), "application/json")
	if err != nil || string(ex.Body) != `{"ok":true}` || ex.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("Do(recorded POST) = %+v, %v", ex, err)
	}
	if ex, err := c.Do(context.Background(), http.MethodGet, "https://example.invalid/none", nil, ""); err != nil || ex.Status != 204 {
		t.Fatalf("Do(204) = %+v, %v", ex, err)
	}
	_, err = c.Do(context.Background(), http.MethodGet, "https://example.invalid/other", nil, "")
	if err == nil || !strings.Contains(err.Error(), "no recorded response for GET https://example.invalid/other") {
		t.Fatalf("Do(unrecorded) = %v, want an error naming the URL", err)
	}
}
