package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// BundleEntry is one recorded response of a bundle directory's
// index.json.
type BundleEntry struct {
	Method      string `json:"method"`
	URL         string `json:"url"`
	Body        string `json:"body,omitempty"` // request body (POST)
	Status      int    `json:"status"`
	ContentType string `json:"content_type,omitempty"`
	File        string `json:"file,omitempty"` // response body, relative to the bundle directory
}

// Bundle returns an http.RoundTripper for the named source that answers from a bundle
// directory (the offline demo and tests): dir/index.json lists
// BundleEntry values; a request matches on method, URL (query parameters
// in any order) and, for a body, its bytes with JSON whitespace removed.
// An unknown request is an error naming its URL.
func Bundle(source, dir string) (http.RoundTripper, error) {
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, fmt.Errorf("%s: bundle: %w", source, err)
	}
	var entries []BundleEntry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("%s: bundle %s: index.json: %w", source, dir, err)
	}
	b := &bundle{source: source, dir: dir, byKey: map[string]BundleEntry{}}
	for _, e := range entries {
		if e.Method == "" {
			e.Method = http.MethodGet
		}
		if e.Status == 0 {
			e.Status = http.StatusOK
		}
		b.byKey[bundleKey(e.Method, e.URL, []byte(e.Body))] = e
	}
	return b, nil
}

type bundle struct {
	source string
	dir    string
	byKey  map[string]BundleEntry
}

func (b *bundle) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
	}
	e, ok := b.byKey[bundleKey(req.Method, req.URL.String(), body)]
	if !ok {
		return nil, fmt.Errorf("%s: bundle %s: no recorded response for %s %s", b.source, b.dir, req.Method, req.URL)
	}
	var data []byte
	if e.File != "" {
		var err error
		if data, err = os.ReadFile(filepath.Join(b.dir, filepath.FromSlash(e.File))); err != nil {
			return nil, fmt.Errorf("%s: bundle: %w", b.source, err)
		}
	}
	h := http.Header{}
	if e.ContentType != "" {
		h.Set("Content-Type", e.ContentType)
	}
	return &http.Response{StatusCode: e.Status, Status: fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status)),
		Header: h, Body: io.NopCloser(bytes.NewReader(data)), ContentLength: int64(len(data)),
		Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

func bundleKey(method, raw string, body []byte) string {
	if u, err := url.Parse(raw); err == nil {
		u.RawQuery = u.Query().Encode()
		raw = u.String()
	}
	if len(body) > 0 {
		var buf bytes.Buffer
		if json.Compact(&buf, body) == nil {
			body = buf.Bytes()
		}
	}
	return strings.ToUpper(method) + " " + raw + "\n" + string(body)
}
