package pxweb

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

// maxErrorBody caps HTTPError.Body.
const maxErrorBody = 4 << 10

// HTTPError is a response with a non-2xx status.
type HTTPError struct {
	URL    string
	Method string
	Status int
	// Detail is the server's explanation: the problem+json `title` and
	// `detail` joined by ": " (either may be absent), or "" when the body is
	// not problem+json.
	Detail string
	// Body is the start of the response body (at most 4 KiB).
	Body []byte
	// RetryAfter is the parsed Retry-After header (0 when absent or invalid).
	RetryAfter time.Duration
}

// Error formats as "pxweb: GET <url>: 400 Bad Request: <detail>".
func (e *HTTPError) Error() string {
	s := fmt.Sprintf("pxweb: %s %s: %d %s", e.Method, e.URL, e.Status, http.StatusText(e.Status))
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// problem is RFC 9457 problem+json.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
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

func newHTTPError(method, url string, status int, h http.Header, body []byte, now time.Time) *HTTPError {
	e := &HTTPError{URL: url, Method: method, Status: status, Detail: problemDetail(body)}
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	e.Body = append([]byte(nil), body...)
	if d, ok := ParseRetryAfter(h.Get("Retry-After"), now); ok {
		e.RetryAfter = d
	}
	return e
}

// ParseRetryAfter parses a Retry-After header value: delay-seconds ("120")
// or an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"), relative to now. A
// date in the past gives 0. ok is false for an empty or invalid value.
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
	d = t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

// Retryable reports whether a request that failed with err may succeed if
// repeated: network errors, timeouts, connection resets and unexpected EOFs,
// and HTTP 5xx and 429. Context cancellation, 4xx other than 429 and
// errors that are not about the transport are not retryable.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status == http.StatusTooManyRequests || he.Status >= 500
	}
	var te *tooLargeError
	if errors.As(err, &te) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		// A per-request timeout from http.Client; the caller's own ctx
		// deadline is checked before retrying.
		return true
	}
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	return false
}

// tooLargeError is a response body above Options.MaxBody.
type tooLargeError struct {
	url   string
	limit int64
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("pxweb: %s: response body exceeds %d bytes", e.url, e.limit)
}
