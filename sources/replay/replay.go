// Package replay answers HTTP requests from recorded or bundled answers, in
// process and with no network: one http.RoundTripper for every source kind
// (PxWebApi, KLASS, NAV, Udir, DBH, Brreg), used by the tests and by the
// offline demo alike.
//
// # Matching
//
// A Transport holds a set of Exchange values, each a recorded request and
// its answer. A request is answered by the exchange with the same key:
//
//   - the method, upper-cased ("" is GET);
//   - the URL with scheme and host lower-cased, the fragment dropped and the
//     query parameters sorted (so ?b=2&a=1 matches ?a=1&b=2);
//   - the request body, with JSON whitespace removed when the body is JSON
//     ({"a": 1} matches {"a":1}); any other body byte for byte.
//
// Headers are not part of the key. When two exchanges have the same key the
// later one in the list wins. The answer is the exchange's status (0 is
// 200), headers and body. A request no exchange answers fails with a
// *MissError naming its method and URL; nothing is made up. An answer whose
// stored bytes fail their checksum fails with a *CorruptError naming the
// snapshot. Neither is cured by asking again: Permanent reports both, also
// through the *url.Error an http.Client wraps them in.
//
// # Kinds of answer sets
//
// Index reads a directory holding index.json, a JSON array of Entry values
// (method, url, body, status, content_type, file), the format of the NAV,
// Udir, DBH and Brreg demo bundles:
//
//	[{"method": "GET", "url": "https://nav.offline/a.csv", "status": 200,
//	  "content_type": "text/csv", "file": "a.csv"}]
//
// KLASS reads a directory of KLASS answers, one JSON file per request:
//
//	<dir>/<path>/<query>.json    answers GET <base>/<path>?<query>
//
// where <path> is any folder path below dir (classifications/131/codes,
// versions/1160, ...), <query> is the query string as url.Values.Encode
// writes it (parameters sorted, percent-encoded), and "_" stands for no
// query. Every such file in the directory is an answer, whatever its name:
// the set follows the files, not a list. Files at the top of dir and files
// not ending in .json (PROVENANCE.md, the CSV sources) are not answers.
//
// A kb raw snapshot store (pipelines/store) builds its own exchange list
// from its sidecars and uses New, so --offline runs replay what was fetched.
//
// Cubes is the one kind that is not a list of exchanges: it emulates the
// PxWebApi v2 endpoints (and a minimal v1) over bundled whole cubes, and
// answers any selection of them (see Cubes). It is kept because the demo's
// datasets are selections ("top(10)", codelists, elimination) that
// pxweb.Client plans from table metadata: recording every answer instead
// would freeze today's plans into megabytes of copies, break as soon as a
// config changes a selection, and still need an emulator to make them. The
// emulator answers exactly what the demo answered before, so its figures
// stay the same.
package replay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// maxRequestBody caps the request body a Transport reads to match.
const maxRequestBody = 8 << 20

// Exchange is one recorded request and its answer.
type Exchange struct {
	Method string // "" means GET
	URL    string
	Body   []byte // request body; nil for none
	Status int    // 0 means 200
	Header http.Header
	// Open returns the answer's body. It is called for each request the
	// exchange answers, so large bodies stay on disk until asked for.
	Open func() ([]byte, error)
}

// Key returns the matching key of a request (see the package doc).
func Key(method, rawURL string, body []byte) string {
	if method == "" {
		method = http.MethodGet
	}
	return strings.ToUpper(method) + " " + canonicalURL(rawURL) + "\n" + string(compactJSON(body))
}

// canonicalURL lower-cases scheme and host, drops the fragment and sorts
// the query parameters.
func canonicalURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Fragment = ""
	u.RawFragment = ""
	if u.RawQuery != "" {
		u.RawQuery = u.Query().Encode()
	}
	return u.String()
}

// compactJSON returns body with JSON whitespace removed, or body itself
// when it is not JSON.
func compactJSON(body []byte) []byte {
	if len(body) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if json.Compact(&buf, body) != nil {
		return body
	}
	return buf.Bytes()
}

// MissError is the error for a request no exchange answers.
type MissError struct {
	Source string // the answer set's name, e.g. "nav" or "klass"
	Method string
	URL    string
	// Hint, when set, is appended to the message (e.g. what to do instead).
	Hint string
}

// Error names the source, the request and the hint.
func (e *MissError) Error() string {
	s := fmt.Sprintf("replay %s: no recorded response for %s %s", e.Source, e.Method, e.URL)
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// CorruptError is the error for a recorded answer whose stored bytes fail
// their checksum (or cannot be decoded): the snapshot is damaged, and asking
// again gives the same answer, so callers must not retry.
type CorruptError struct {
	Source   string // e.g. "ssb"
	Snapshot string // the snapshot file, e.g. raw/ssb/ab/ab12....json.zst
	Err      error  // what failed, e.g. a sha256 mismatch
}

// Error names the source, the snapshot and what failed.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("replay %s: snapshot %s is corrupt: %v", e.Source, e.Snapshot, e.Err)
}

// Unwrap returns what failed.
func (e *CorruptError) Unwrap() error { return e.Err }

// Recoverable is false: the stored bytes do not change between attempts
// (the retry rule of sources/httpx asks for it).
func (e *CorruptError) Recoverable() bool { return false }

// Recoverable is false: asking again gives the same miss.
func (e *MissError) Recoverable() bool { return false }

// Permanent reports whether err comes from a replay that asking again
// cannot change: a *MissError (nothing recorded) or a *CorruptError (a
// damaged snapshot). Retry layers must not retry such errors; note that
// http.Client wraps a RoundTrip error in *url.Error, which is a net.Error.
func Permanent(err error) bool {
	var miss *MissError
	var bad *CorruptError
	return errors.As(err, &miss) || errors.As(err, &bad)
}

// Options configure a Transport made by New.
type Options struct {
	// Reload, when set, re-reads the exchanges (calls load again) when a
	// request misses, for a store that grows while it is read.
	Reload bool
	// Hint is put into every *MissError.
	Hint string
}

// Transport is an http.RoundTripper answering from a set of exchanges. It is
// safe for concurrent use.
type Transport struct {
	source string
	load   func() ([]Exchange, error)
	opts   Options

	mu    sync.Mutex
	index map[string]*Exchange
}

// New returns a Transport named source (for errors) over the exchanges load
// returns. load is called at the first request (and, with Options.Reload,
// again when a request misses); its error is returned by that request.
func New(source string, load func() ([]Exchange, error), opts Options) *Transport {
	return &Transport{source: source, load: load, opts: opts}
}

// Exchanges returns a Transport over a fixed list of exchanges.
func Exchanges(source string, xs []Exchange) *Transport {
	return New(source, func() ([]Exchange, error) { return xs, nil }, Options{})
}

func (t *Transport) reload() error {
	xs, err := t.load()
	if err != nil {
		return err
	}
	index := make(map[string]*Exchange, len(xs))
	for i := range xs {
		x := &xs[i]
		index[Key(x.Method, x.URL, x.Body)] = x
	}
	t.index = index
	return nil
}

// lookup finds the exchange for key, loading the set as Options say.
func (t *Transport) lookup(key string) (*Exchange, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.index == nil {
		if err := t.reload(); err != nil {
			return nil, err
		}
	} else if _, ok := t.index[key]; !ok && t.opts.Reload {
		if err := t.reload(); err != nil {
			return nil, err
		}
	}
	return t.index[key], nil
}

// RoundTrip answers req from the exchanges.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(io.LimitReader(req.Body, maxRequestBody+1))
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("replay %s: %s %s: read request body: %w", t.source, req.Method, req.URL, err)
		}
		if len(b) > maxRequestBody {
			return nil, fmt.Errorf("replay %s: %s %s: request body over %d bytes", t.source, req.Method, req.URL, maxRequestBody)
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
	x, err := t.lookup(Key(method, req.URL.String(), body))
	if err != nil {
		return nil, fmt.Errorf("replay %s: %w", t.source, err)
	}
	if x == nil {
		return nil, &MissError{Source: t.source, Method: method, URL: req.URL.String(), Hint: t.opts.Hint}
	}
	var data []byte
	if x.Open != nil {
		if data, err = x.Open(); err != nil {
			var bad *CorruptError
			if errors.As(err, &bad) {
				return nil, err // names source and snapshot already
			}
			return nil, fmt.Errorf("replay %s: %s %s: %w", t.source, method, req.URL, err)
		}
	}
	h := http.Header{}
	for k, v := range x.Header {
		h[k] = append([]string(nil), v...)
	}
	return response(req, x.Status, h, data), nil
}

// response makes the *http.Response of an answer.
func response(req *http.Request, status int, h http.Header, data []byte) *http.Response {
	if status == 0 {
		status = http.StatusOK
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
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
	}
}

var _ http.RoundTripper = (*Transport)(nil)
