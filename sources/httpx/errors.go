package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// MaxErrorBody caps HTTPError.Body.
const MaxErrorBody = 4 << 10

// MaxShownURL is the longest URL an error message shows; ShortURL cuts the
// query of a longer one. The typed errors keep the full URL.
const MaxShownURL = 120

// HTTPError is a response with a non-2xx status. It is the one HTTP error
// type of every source.
type HTTPError struct {
	Source string // the source's name, e.g. "pxweb", "nav"
	Method string
	URL    string // the full URL
	Status int
	// Detail is the server's explanation: the problem+json `title` and
	// `detail` joined by ": " (either may be absent), or "" when the body is
	// not problem+json.
	Detail string
	// Body is the start of the response body (at most MaxErrorBody bytes).
	Body []byte
	// RetryAfter is the parsed Retry-After header (0 when absent or invalid).
	RetryAfter time.Duration
}

// Error formats as "nav: GET <short url>: 404 Not Found: <detail>".
func (e *HTTPError) Error() string {
	s := fmt.Sprintf("%s: %s %s: %d %s", e.Source, e.Method, ShortURL(e.URL), e.Status, http.StatusText(e.Status))
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Recoverable reports whether repeating the request may help: 5xx and 429.
func (e *HTTPError) Recoverable() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests
}

// NewHTTPError builds the error for a non-2xx response: the detail from a
// problem+json body, the body capped at MaxErrorBody, Retry-After parsed
// relative to now.
func NewHTTPError(source, method, url string, status int, h http.Header, body []byte, now time.Time) *HTTPError {
	e := &HTTPError{Source: source, URL: url, Method: method, Status: status, Detail: problemDetail(body)}
	if len(body) > MaxErrorBody {
		body = body[:MaxErrorBody]
	}
	e.Body = append([]byte(nil), body...)
	if d, ok := ParseRetryAfter(h.Get("Retry-After"), now); ok {
		e.RetryAfter = d
	}
	return e
}

// problem is RFC 9457 problem+json.
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

// problemDetail extracts "title: detail" from a problem+json body, or "".
func problemDetail(body []byte) string {
	var p problem
	if json.Unmarshal(body, &p) != nil {
		return ""
	}
	switch {
	case p.Title != "" && p.Detail != "" && p.Title != p.Detail:
		return p.Title + ": " + p.Detail
	case p.Detail != "":
		return p.Detail
	}
	return p.Title
}

// RequestError is a request that got no usable response: the transport
// failed (reset, refused, timeout) or the body could not be read.
type RequestError struct {
	Source, Method string
	URL            string // the full URL
	Err            error
}

// Error formats as "klass: GET <short url>: <cause>".
func (e *RequestError) Error() string {
	return fmt.Sprintf("%s: %s %s: %v", e.Source, e.Method, ShortURL(e.URL), e.Err)
}

// Unwrap returns the cause.
func (e *RequestError) Unwrap() error { return e.Err }

// TooLargeError is a response body above the client's MaxBody. It is not
// recoverable.
type TooLargeError struct {
	Source, URL string
	Limit       int64
}

// Error names the source, the URL and the limit.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: %s: response body exceeds %d bytes", e.Source, ShortURL(e.URL), e.Limit)
}

// Recoverable is false: the same request gives the same body.
func (e *TooLargeError) Recoverable() bool { return false }

// BodyError is a 2xx response whose body failed the request's check (for
// example JSON that does not parse). A body cut short (Truncated) is
// recoverable: the next attempt may get all of it. A body that is complete
// and simply invalid is not.
type BodyError struct {
	Source, Method string
	URL            string // the full URL
	Truncated      bool
	Err            error
}

// Error formats as "udir: GET <short url>: response body cut short: <cause>".
func (e *BodyError) Error() string {
	what := "invalid response body"
	if e.Truncated {
		what = "response body cut short"
	}
	return fmt.Sprintf("%s: %s %s: %s: %v", e.Source, e.Method, ShortURL(e.URL), what, e.Err)
}

// Unwrap returns the cause.
func (e *BodyError) Unwrap() error { return e.Err }

// Recoverable reports whether the body was cut short.
func (e *BodyError) Recoverable() bool { return e.Truncated }

// RecoverableError marks an error as worth retrying, optionally after a
// delay the server asked for (shaped like prometheus storage/remote's).
type RecoverableError struct {
	Err        error
	RetryAfter time.Duration // 0: the backoff decides
}

// Error returns the cause's message.
func (e *RecoverableError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *RecoverableError) Unwrap() error { return e.Err }

// Recoverable is true.
func (e *RecoverableError) Recoverable() bool { return true }

// recoverer is implemented by errors that know whether a retry may help.
type recoverer interface{ Recoverable() bool }

// Recoverable reports whether a request that failed with err may succeed if
// repeated. This is the one retry classification of every source:
//
//   - an error in the chain with a Recoverable() bool method decides
//     (*HTTPError: 5xx and 429; *BodyError: a body cut short;
//     *RecoverableError: always; *TooLargeError and offline replay
//     errors: never);
//   - context.Canceled is not recoverable; a deadline exceeded (a
//     per-request timeout) is (the caller's own deadline is checked before
//     a retry);
//   - connection resets, refusals, broken pipes and unexpected EOFs,
//     *net.OpError, temporary DNS failures and timeouts are recoverable;
//   - anything else (a bad URL, an error from a custom transport) is not.
func Recoverable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var r recoverer
	if errors.As(err, &r) {
		return r.Recoverable()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsTemporary || dns.IsTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return false
}

// retryAfter returns the delay the server asked for, if any.
func retryAfter(err error) (time.Duration, bool) {
	var he *HTTPError
	if errors.As(err, &he) && he.RetryAfter > 0 &&
		(he.Status == http.StatusTooManyRequests || he.Status == http.StatusServiceUnavailable) {
		return he.RetryAfter, true
	}
	var re *RecoverableError
	if errors.As(err, &re) && re.RetryAfter > 0 {
		return re.RetryAfter, true
	}
	return 0, false
}

// ParseRetryAfter parses a Retry-After header value: delay-seconds ("120")
// or an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"), relative to now. A
// date in the past gives 0; delays are capped at 24 h. ok is false for an
// empty or invalid value.
func ParseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), 24*time.Hour), true
}

// ShortURL returns u as users should read it: scheme, host and path kept,
// the query cut so that the whole is at most MaxShownURL characters, ending
// in "…" when cut. A path longer than that is cut too. Typed errors keep
// the full URL; only their messages use ShortURL.
func ShortURL(u string) string {
	if len([]rune(u)) <= MaxShownURL {
		return u
	}
	cut := func(s string, n int) string {
		r := []rune(s)
		if len(r) <= n {
			return s
		}
		return string(r[:n]) + "…"
	}
	q := strings.IndexByte(u, '?')
	if q >= 0 && len([]rune(u[:q])) >= MaxShownURL-1 {
		return cut(u[:q], MaxShownURL) // no room for any of the query
	}
	return cut(u, MaxShownURL)
}
