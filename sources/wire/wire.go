// Package wire is the HTTP plumbing that the file and report sources (NAV,
// Udir, DBH) share: one request whose response is handed to a recorder
// before it is parsed, a typed error for non-2xx answers, and bundles of
// recorded responses that stand in for the network in the offline demo and
// in tests.
//
// A bundle is a directory with an index.json listing recorded responses:
//
//	[{"method": "POST", "url": "https://dbh.hkdir.no/api/Tabeller/hentJSONTabellData",
//	  "body": "{\"tabell_id\": 999}", "status": 200,
//	  "content_type": "application/json", "file": "responses/students.json"}]
//
// A request matches an entry on method, URL (query parameters in any order)
// and, when it has a body, the body's bytes with JSON whitespace removed.
// A request with no entry is an error naming its URL: nothing falls through
// to the network.
package wire

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
)

// DefaultMaxBody caps a response body (256 MiB).
const DefaultMaxBody = 256 << 20

// Exchange is one HTTP request and the response received for it, handed
// to the recorder so the pipeline can snapshot every response.
type Exchange = httpx.Exchange

// HTTPError is a response with a non-2xx status.
type HTTPError struct {
	Source string // the source's name, e.g. "nav"
	URL    string
	Method string
	Status int
	// Body is the start of the response body (at most 4 KiB).
	Body []byte
}

// Error formats as "nav: GET <url>: 404 Not Found".
func (e *HTTPError) Error() string {
	return fmt.Sprintf("%s: %s %s: %d %s", e.Source, e.Method, e.URL, e.Status, http.StatusText(e.Status))
}

// Retryable reports whether repeating the request may help (5xx, 429).
func (e *HTTPError) Retryable() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests
}

// Client sends requests for one source. Build it with New.
type Client struct {
	source   string
	http     *http.Client
	ua       string
	maxBody  int64
	now      func() time.Time
	recorder func(Exchange) error
}

// Options configure a Client; zero values take the documented defaults.
type Options struct {
	HTTP      *http.Client         // nil: a client with the source's default timeout
	UserAgent string               // "": "grunnlag-<source>/1"
	MaxBody   int64                // 0: DefaultMaxBody
	Now       func() time.Time     // nil: time.Now
	Recorder  func(Exchange) error // nil: responses are not recorded
}

// New returns a client for the named source; timeout applies when
// opts.HTTP is nil.
func New(source string, timeout time.Duration, opts Options) *Client {
	c := &Client{source: source, http: opts.HTTP, ua: opts.UserAgent, maxBody: opts.MaxBody, now: opts.Now, recorder: opts.Recorder}
	if c.http == nil {
		c.http = &http.Client{Timeout: timeout}
	}
	if c.ua == "" {
		c.ua = "grunnlag-" + source + "/1"
	}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBody
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// Now is the client's clock.
func (c *Client) Now() time.Time { return c.now() }

// Do sends one request and returns the exchange. The recorder sees every
// response, whatever its status, before Do returns; a non-2xx status is
// then an *HTTPError.
func (c *Client) Do(ctx context.Context, method, url string, body []byte, contentType string) (*Exchange, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, fmt.Errorf("%s: %s %s: %w", c.source, method, url, err)
	}
	req.Header.Set("User-Agent", c.ua)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %s %s: %w", c.source, method, url, err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %s %s: read body: %w", c.source, method, url, err)
	}
	if int64(len(data)) > c.maxBody {
		return nil, fmt.Errorf("%s: %s %s: response body exceeds %d bytes", c.source, method, url, c.maxBody)
	}
	ex := &Exchange{URL: url, Method: method, RequestBody: body, Status: resp.StatusCode,
		Header: resp.Header.Clone(), Body: data, FetchedAt: c.now().UTC()}
	if c.recorder != nil {
		if err := c.recorder(*ex); err != nil {
			return nil, fmt.Errorf("%s: record %s: %w", c.source, url, err)
		}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b := data
		if len(b) > 4<<10 {
			b = b[:4<<10]
		}
		return nil, &HTTPError{Source: c.source, URL: url, Method: method, Status: resp.StatusCode, Body: append([]byte(nil), b...)}
	}
	return ex, nil
}
