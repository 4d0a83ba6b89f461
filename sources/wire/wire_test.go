package wire

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/sources/httpx"
)

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
	hc := httpx.New(httpx.Options{Source: "test", HTTP: &http.Client{Transport: rt}})
	c := struct {
		Do func(ctx context.Context, method, u string, body []byte, ct string) (*Exchange, error)
	}{func(ctx context.Context, method, u string, body []byte, ct string) (*Exchange, error) {
		return hc.Do(ctx, httpx.Request{Method: method, URL: u, Body: body, ContentType: ct})
	}}
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
