package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
)

// ReplayMissError is returned by the replay transport for a request that no
// snapshot answers.
type ReplayMissError struct {
	Source, Method, URL string
}

func (e *ReplayMissError) Error() string {
	return fmt.Sprintf("store: replay %s: %s %s not in the snapshots; run without --offline", e.Source, e.Method, httpx.ShortURL(e.URL))
}

// Recoverable is false: asking again gives the same miss (the HTTP layer,
// sources/httpx, does not retry it).
func (e *ReplayMissError) Recoverable() bool { return false }

// ReplayError is a snapshot that answers a request but cannot be read: its
// body file is missing or unreadable, is not valid zstd, or does not match
// its sha256 (a damaged knowledge base). It is not a network fault: the
// HTTP layer fails at once instead of retrying it.
type ReplayError struct {
	Source, Method, URL string
	// Snapshot is the sha256 of the snapshot that failed.
	Snapshot string
	Err      error
}

func (e *ReplayError) Error() string {
	return fmt.Sprintf("store: replay %s: %s %s: snapshot %.12s: %v", e.Source, e.Method, httpx.ShortURL(e.URL), e.Snapshot, e.Err)
}

// Unwrap returns the cause.
func (e *ReplayError) Unwrap() error { return e.Err }

// Recoverable is false: the stored bytes do not change between attempts.
func (e *ReplayError) Recoverable() bool { return false }

// ReplayTransport returns an http.RoundTripper that answers requests from
// the snapshots of source, with no network: a request matches a recorded
// fetch when method, URL (scheme and host case-insensitive, query parameters
// in any order) and request body bytes are equal. When several fetches match,
// the one with the latest fetched_at wins. The response has the stored
// status, the stored headers (Content-Type, Last-Modified, ETag, Date) and
// the stored body. A request that matches nothing fails with a
// *ReplayMissError naming its method and URL; a snapshot that cannot be
// read (or fails its checksum) is a *ReplayError. Neither is recoverable:
// the HTTP layer does not retry them as it would a network fault. The index of snapshots is read
// at the first request and read again when a request misses.
func (s *Store) ReplayTransport(source string) http.RoundTripper {
	return &replay{s: s, source: source}
}

type replay struct {
	s      *Store
	source string

	mu    sync.Mutex
	index map[string]replayEntry
}

type replayEntry struct {
	sc        *Sidecar
	meta      SnapshotMeta
	fetchedAt time.Time
}

func replayKey(method, rawURL string, body []byte) string {
	if method == "" {
		method = http.MethodGet
	}
	return strings.ToUpper(method) + "\x00" + canonicalURL(rawURL) + "\x00" + string(body)
}

// canonicalURL lower-cases scheme and host and sorts the query parameters.
func canonicalURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Fragment = ""
	if u.RawQuery != "" {
		u.RawQuery = u.Query().Encode()
	}
	return u.String()
}

func (r *replay) load() error {
	dir := filepath.Join(r.s.root, "raw", r.source)
	index := map[string]replayEntry{}
	paths, err := filepath.Glob(filepath.Join(dir, "*", "*.meta.json"))
	if err != nil {
		return err
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("store: replay %s: %w", r.source, err)
		}
		var sc Sidecar
		if err := json.Unmarshal(b, &sc); err != nil {
			return fmt.Errorf("store: replay %s: %s: %w", r.source, r.s.rel(p), err)
		}
		for _, f := range sc.Fetches {
			k := replayKey(f.Method, f.URL, f.RequestBody)
			if old, ok := index[k]; ok && old.fetchedAt.After(f.FetchedAt) {
				continue
			}
			index[k] = replayEntry{sc: &sc, meta: f, fetchedAt: f.FetchedAt}
		}
	}
	r.index = index
	return nil
}

func (r *replay) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("store: replay %s: read request body: %w", r.source, err)
		}
		body = b
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	k := replayKey(method, req.URL.String(), body)

	r.mu.Lock()
	e, ok := r.index[k]
	if !ok {
		if err := r.load(); err != nil {
			r.mu.Unlock()
			return nil, &ReplayError{Source: r.source, Method: method, URL: req.URL.String(), Err: err}
		}
		e, ok = r.index[k]
	}
	r.mu.Unlock()
	if !ok {
		return nil, &ReplayMissError{Source: r.source, Method: method, URL: req.URL.String()}
	}
	data, err := r.s.readBody(r.s.rawDir(r.source, e.sc.SHA256), e.sc)
	if err != nil {
		return nil, &ReplayError{Source: r.source, Method: method, URL: req.URL.String(), Snapshot: e.sc.SHA256, Err: err}
	}
	h := http.Header{}
	for k, v := range e.meta.Header {
		h[k] = append([]string(nil), v...)
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	status := e.meta.Status
	if status == 0 {
		status = http.StatusOK
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(data)),
		ContentLength: int64(len(data)),
		Request:       req,
	}, nil
}
