package pxweb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2015, 10, 21, 7, 28, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 120 * time.Second, true},
		{" 1 ", time.Second, true},
		{"0", 0, true},
		// RFC 9110's example date, 30 s after now.
		{"Wed, 21 Oct 2015 07:28:30 GMT", 30 * time.Second, true},
		{"Wed, 21 Oct 2015 07:27:00 GMT", 0, true}, // in the past
		{"", 0, false},
		{"-5", 0, false},
		{"soon", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseRetryAfter(%q) = %v, %v, want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"429", &HTTPError{Status: 429}, true},
		{"500", &HTTPError{Status: 500}, true},
		{"503 wrapped", fmt.Errorf("pxweb: x: %w", &HTTPError{Status: 503}), true},
		{"400", &HTTPError{Status: 400}, false},
		{"403", &HTTPError{Status: 403}, false},
		{"404", &HTTPError{Status: 404}, false},
		{"reset", &net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, true},
		{"refused", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), true},
		{"unexpected EOF", fmt.Errorf("reading body: %w", io.ErrUnexpectedEOF), true},
		{"timeout", context.DeadlineExceeded, true},
		{"canceled", fmt.Errorf("x: %w", context.Canceled), false},
		{"too large", &tooLargeError{url: "u", limit: 1}, false},
		{"other", errors.New("decoding: bad json"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Retryable(tc.err); got != tc.want {
				t.Errorf("Retryable(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestHTTPError(t *testing.T) {
	// The 400 example of DOMAIN.md §2.3 in problem+json form.
	body := []byte(`{"type":"x","title":"Bad Request","status":400,"detail":"Value xxx is not a valid value code for variable yyy"}`)
	h := http.Header{}
	e := newHTTPError("GET", "http://h/tables/1/data", 400, h, body, time.Now())
	want := "pxweb: GET http://h/tables/1/data: 400 Bad Request: Bad Request: Value xxx is not a valid value code for variable yyy"
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	big := []byte(strings.Repeat("x", 10000))
	h.Set("Retry-After", "7")
	e = newHTTPError("GET", "u", 429, h, big, time.Now())
	if len(e.Body) != maxErrorBody || e.Detail != "" || e.RetryAfter != 7*time.Second {
		t.Errorf("newHTTPError(10000-byte text) = body %d, detail %q, retry %v; want %d, \"\", 7s", len(e.Body), e.Detail, e.RetryAfter, maxErrorBody)
	}
}

func TestBackoff(t *testing.T) {
	// BaseDelay 1s, MaxDelay 5s: 1, 2, 4, 5, 5 s before jitter; jitter
	// scales to [d/2, d): with Jitter 0 -> d/2, with 0.5 -> 3d/4.
	p := RetryPolicy{BaseDelay: time.Second, MaxDelay: 5 * time.Second, Jitter: func() float64 { return 0 }}
	for attempt, want := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 2500 * time.Millisecond, 2500 * time.Millisecond} {
		if got := p.Backoff(attempt + 1); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempt+1, got, want)
		}
	}
	p.Jitter = func() float64 { return 0.5 }
	if got := p.Backoff(2); got != 1500*time.Millisecond {
		t.Errorf("Backoff(2) with jitter 0.5 = %v, want 1.5s", got)
	}
}
