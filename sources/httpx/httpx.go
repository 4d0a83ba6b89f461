// Package httpx is the one HTTP layer every source speaks through: a
// request, a sliding-window rate limiter, one retry classification
// (Recoverable), Retry-After (seconds or an HTTP date), jittered
// exponential backoff and typed errors.
//
// A Client belongs to one source. Do sends a Request and retries it while
// the failure is recoverable:
//
//	503, 502, 500 ...    retried after the backoff (or Retry-After when given)
//	429                  retried after Retry-After, else the backoff
//	reset, refused, EOF  retried after the backoff
//	200, body cut short  retried when the request's Check says so (CheckJSON)
//	404, 400, 403 ...    not retried: an *HTTPError at once
//	offline replay miss  not retried (the error says it is not recoverable)
//
// Every response received, whatever its status, is handed to the
// recorder before it is checked, so the pipeline can keep a raw snapshot
// of it. Errors are typed (*HTTPError, *RequestError, *BodyError,
// *TooLargeError) and keep the full URL; their messages show it shortened
// (ShortURL). Callers classify them with errors.As and Recoverable, never
// by their text.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// DefaultMaxBody caps a response body (256 MiB) when Options.MaxBody is 0.
const DefaultMaxBody = 256 << 20

// Exchange is one HTTP request and the response received for it, handed
// to the recorder so the pipeline can snapshot every response.
type Exchange struct {
	URL, Method string
	RequestBody []byte
	Status      int
	Header      http.Header
	Body        []byte
	FetchedAt   time.Time
}

// Policy says how failed requests are repeated. A request is retried while
// Recoverable(err) is true and attempts remain: a 429 or 503 with
// Retry-After waits that long (a longer wait than MaxRetryAfter fails the
// request); otherwise attempt n waits Backoff(n).
type Policy struct {
	MaxAttempts int           // total attempts per request; 0 means 5
	BaseDelay   time.Duration // 0 means 1 s
	MaxDelay    time.Duration // 0 means 30 s
	// MaxRetryAfter is the longest Retry-After honoured; a longer one fails
	// the request. 0 means 5 min.
	MaxRetryAfter time.Duration
	// Jitter returns a number in [0,1); nil means math/rand/v2.Float64.
	Jitter func() float64
}

// WithDefaults returns p with zero fields set to their defaults.
func (p Policy) WithDefaults() Policy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 5
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = time.Second
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 5 * time.Minute
	}
	if p.Jitter == nil {
		p.Jitter = rand.Float64
	}
	return p
}

// Backoff returns the wait before attempt+1 after a failed attempt
// (attempt counts from 1): d = min(MaxDelay, BaseDelay*2^(attempt-1)),
// scaled into [d/2, d) by Jitter: d/2 + Jitter()*d/2.
func (p Policy) Backoff(attempt int) time.Duration {
	p = p.WithDefaults()
	d := p.BaseDelay
	for i := 1; i < attempt && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	return d/2 + time.Duration(p.Jitter()*float64(d/2))
}

// Waiter is what Do waits on before each attempt (a *Limiter).
type Waiter interface {
	Wait(ctx context.Context) error
}

// Options configure a Client; zero values take the documented defaults.
type Options struct {
	// Source names the source in errors and logs ("nav", "pxweb", ...).
	Source string
	// HTTP is the client used; nil means one with Timeout.
	HTTP *http.Client
	// Timeout applies when HTTP is nil; 0 means 60 s.
	Timeout time.Duration
	// UserAgent is sent with every request; "" means "grunnlag-<source>/1".
	UserAgent string
	// MaxBody caps a response body; 0 means DefaultMaxBody.
	MaxBody int64
	// Clock is the time for FetchedAt, Retry-After dates and retry waits;
	// nil means the real clock.
	Clock Clock
	// Logger receives a debug line per response and a warning per retry
	// ("<source>: retrying"); nil discards.
	Logger *slog.Logger
	// Retry is the retry policy; zero fields take defaults.
	Retry Policy
	// Limiter, if set, is waited on before every attempt.
	Limiter Waiter
	// Recorder is called with every response received (any status) before
	// it is checked; an error from it aborts the request.
	Recorder func(Exchange) error
	// OnRetry, if set, is called before each retry wait (for metrics).
	OnRetry func(attempt int, wait time.Duration, err error)
}

// Client sends the requests of one source. It is safe for concurrent use.
type Client struct {
	opts  Options
	http  *http.Client
	clock Clock
	log   *slog.Logger
	retry Policy
}

// New returns a client.
func New(opts Options) *Client {
	c := &Client{opts: opts, http: opts.HTTP, clock: opts.Clock, log: opts.Logger, retry: opts.Retry.WithDefaults()}
	if c.opts.Source == "" {
		c.opts.Source = "http"
	}
	if c.http == nil {
		t := opts.Timeout
		if t <= 0 {
			t = 60 * time.Second
		}
		c.http = &http.Client{Timeout: t}
	}
	if c.opts.UserAgent == "" {
		c.opts.UserAgent = "grunnlag-" + c.opts.Source + "/1"
	}
	if c.opts.MaxBody <= 0 {
		c.opts.MaxBody = DefaultMaxBody
	}
	if c.clock == nil {
		c.clock = RealClock{}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c
}

// Source returns the source's name.
func (c *Client) Source() string { return c.opts.Source }

// Clock returns the client's clock.
func (c *Client) Clock() Clock { return c.clock }

// Tally counts the attempts of one or more requests and collects their
// exchanges. It is not safe for concurrent use.
type Tally struct {
	Requests  int
	Exchanges []Exchange
}

// Request is one request to send.
type Request struct {
	Method string // "" means GET
	URL    string
	Body   []byte
	// ContentType is sent with a body; "" means application/json.
	ContentType string
	// Accept is sent when not "".
	Accept string
	// Check, if set, is called with the body of a 2xx response. Its error
	// fails the attempt, and is retried when Recoverable (CheckJSON returns
	// a recoverable *BodyError for a body cut short).
	Check func(ex *Exchange) error
	// Tally, if set, counts this request's attempts and exchanges.
	Tally *Tally
	// Pass lists statuses besides 2xx that are answers, not errors: Do
	// returns their exchange (Check is not called) instead of an
	// *HTTPError (Brreg's 404 and 410 say something about the unit).
	Pass []int
}

// Do sends r, retrying per the policy, and returns the exchange of a 2xx
// response that passed r.Check. Errors are *HTTPError (non-2xx),
// *RequestError (no response or an unreadable body), *BodyError (the check
// failed), *TooLargeError, or the context's error; after more than one
// attempt their message ends in "(after N attempts)".
func (c *Client) Do(ctx context.Context, r Request) (*Exchange, error) {
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	src := c.opts.Source
	for attempt := 1; ; attempt++ {
		if c.opts.Limiter != nil {
			if err := c.opts.Limiter.Wait(ctx); err != nil {
				return nil, &RequestError{Source: src, Method: r.Method, URL: r.URL, Err: err}
			}
		}
		if r.Tally != nil {
			r.Tally.Requests++
		}
		ex, err := c.once(ctx, r)
		if ex != nil && err != nil && slices.Contains(r.Pass, ex.Status) {
			err = nil
			r.Check = nil
		}
		if ex != nil {
			if r.Tally != nil {
				r.Tally.Exchanges = append(r.Tally.Exchanges, *ex)
			}
			if c.opts.Recorder != nil {
				if rerr := c.opts.Recorder(*ex); rerr != nil {
					return nil, fmt.Errorf("%s: %s %s: recorder: %w", src, r.Method, ShortURL(r.URL), rerr)
				}
			}
			if err == nil && r.Check != nil {
				err = r.Check(ex)
			}
		}
		if err == nil {
			return ex, nil
		}
		if cerr := ctx.Err(); cerr != nil {
			return nil, &RequestError{Source: src, Method: r.Method, URL: r.URL, Err: cerr}
		}
		if !Recoverable(err) || attempt >= c.retry.MaxAttempts {
			if attempt > 1 {
				return nil, fmt.Errorf("%w (after %d attempts)", err, attempt)
			}
			return nil, err
		}
		d := c.retry.Backoff(attempt)
		if ra, ok := retryAfter(err); ok {
			if ra > c.retry.MaxRetryAfter {
				return nil, fmt.Errorf("%s: retry-after %v exceeds %v: %w", src, ra, c.retry.MaxRetryAfter, err)
			}
			d = ra
		}
		c.log.WarnContext(ctx, src+": retrying", "source", src, "url", ShortURL(r.URL), "attempt", attempt, "wait", d, "err", err)
		if c.opts.OnRetry != nil {
			c.opts.OnRetry(attempt, d, err)
		}
		if err := c.clock.Sleep(ctx, d); err != nil {
			return nil, &RequestError{Source: src, Method: r.Method, URL: r.URL, Err: err}
		}
	}
}

// once sends one request. It returns the exchange whenever a response was
// received, with an *HTTPError for a non-2xx status.
func (c *Client) once(ctx context.Context, r Request) (*Exchange, error) {
	src := c.opts.Source
	var rd io.Reader
	if r.Body != nil {
		rd = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, rd)
	if err != nil {
		return nil, &RequestError{Source: src, Method: r.Method, URL: r.URL, Err: err}
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if r.Accept != "" {
		req.Header.Set("Accept", r.Accept)
	}
	if r.Body != nil {
		ct := r.ContentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	start := c.clock.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		// *url.Error repeats the full URL in its message: keep its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &RequestError{Source: src, Method: r.Method, URL: r.URL, Err: err}
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBody+1))
	if err != nil {
		return nil, &RequestError{Source: src, Method: r.Method, URL: r.URL, Err: fmt.Errorf("reading body: %w", err)}
	}
	if int64(len(data)) > c.opts.MaxBody {
		return nil, &TooLargeError{Source: src, URL: r.URL, Limit: c.opts.MaxBody}
	}
	ex := &Exchange{URL: r.URL, Method: r.Method, RequestBody: r.Body, Status: resp.StatusCode,
		Header: resp.Header.Clone(), Body: data, FetchedAt: start.UTC()}
	c.log.DebugContext(ctx, src+": response", "source", src, "url", ShortURL(r.URL), "method", r.Method,
		"status", resp.StatusCode, "bytes", len(data), "duration", c.clock.Now().Sub(start))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return ex, NewHTTPError(src, r.Method, r.URL, resp.StatusCode, resp.Header, data, c.clock.Now())
	}
	return ex, nil
}

// CheckJSON is a Request.Check for JSON bodies: a body that is valid JSON
// passes; one that ends before its value does (cut short, or empty) is a
// recoverable *BodyError; one that is complete but invalid is a *BodyError
// that is not retried.
func (c *Client) CheckJSON(ex *Exchange) error {
	if json.Valid(ex.Body) {
		return nil
	}
	var v json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(ex.Body))
	err := dec.Decode(&v)
	truncated := errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
	switch {
	case errors.Is(err, io.EOF):
		err = errors.New("empty body")
	case err == nil: // a complete value followed by something else
		err = fmt.Errorf("data after the JSON value at offset %d", dec.InputOffset())
	}
	return &BodyError{Source: c.opts.Source, Method: ex.Method, URL: ex.URL, Truncated: truncated, Err: err}
}
