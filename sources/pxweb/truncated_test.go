package pxweb_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/grunnlag/grunnlag/sources/pxweb"
	"github.com/grunnlag/grunnlag/sources/pxweb/pxwebtest"
)

// cutting answers through next, but cuts the body of the first n data
// responses in half (framed as complete: only parsing can tell).
type cutting struct {
	next http.RoundTripper
	mu   sync.Mutex
	left int
	data int // data requests seen
}

func (c *cutting) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/data") {
		return resp, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.data++
	if c.left == 0 {
		return resp, nil
	}
	c.left--
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	b = b[:len(b)/2]
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// TestFetchRetriesTruncatedBody: a 200 whose JSON is cut short is retried
// (the next answer is whole), where it used to fail the Fetch at once.
func TestFetchRetriesTruncatedBody(t *testing.T) {
	fc := newFakeClock()
	srv, err := pxwebtest.New(bundle, pxwebtest.Options{Clock: fc.Now})
	if err != nil {
		t.Fatal(err)
	}
	tr := &cutting{next: srv.Transport(), left: 1}
	c := pxweb.New("http://pxweb.test", pxweb.Options{Clock: fc, HTTP: &http.Client{Transport: tr}})
	res, err := c.Fetch(context.Background(), "SYN02", pxweb.Selection{{Variable: "Naering", ValueCodes: []string{"*"}}, {Variable: "Tid", ValueCodes: []string{"*"}}})
	if err != nil {
		t.Fatalf("Fetch with one truncated data answer: %v, want success after a retry", err)
	}
	// SYN02: 2 industries x 3 years = 6 cells (testdata/bundle).
	if res.Dataset.Size() != 6 || tr.data != 2 {
		t.Errorf("Fetch = %d cells after %d data requests, want 6 after 2", res.Dataset.Size(), tr.data)
	}
}
