package httpx

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
		{"99999999", 24 * time.Hour, true},         // capped at a day
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

// notRecoverable is an error that says it must not be retried, as the
// offline replay transport's errors do.
type notRecoverable struct{}

func (notRecoverable) Error() string     { return "replay: checksum mismatch" }
func (notRecoverable) Recoverable() bool { return false }

func TestRecoverable(t *testing.T) {
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
		{"too large", &TooLargeError{URL: "u", Limit: 1}, false},
		{"truncated body", &BodyError{Truncated: true, Err: io.ErrUnexpectedEOF}, true},
		{"invalid body", &BodyError{Err: errors.New("invalid character")}, false},
		{"marked", &RecoverableError{Err: errors.New("x")}, true},
		// A transport error that says no wins over the EOF it wraps.
		{"says no", &RequestError{Err: fmt.Errorf("%w: %w", notRecoverable{}, io.ErrUnexpectedEOF)}, false},
		{"other", errors.New("decoding: bad json"), false},
		{"request error of other", &RequestError{Err: errors.New("unsupported protocol scheme")}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Recoverable(tc.err); got != tc.want {
				t.Errorf("Recoverable(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestHTTPError(t *testing.T) {
	// The 400 example of DOMAIN.md §2.3 in problem+json form.
	body := []byte(`{"type":"x","title":"Bad Request","status":400,"detail":"Value xxx is not a valid value code for variable yyy"}`)
	h := http.Header{}
	e := NewHTTPError("pxweb", "GET", "http://h/tables/1/data", 400, h, body, time.Now())
	want := "pxweb: GET http://h/tables/1/data: 400 Bad Request: Bad Request: Value xxx is not a valid value code for variable yyy"
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	big := []byte(strings.Repeat("x", 10000))
	h.Set("Retry-After", "7")
	e = NewHTTPError("pxweb", "GET", "u", 429, h, big, time.Now())
	if len(e.Body) != MaxErrorBody || e.Detail != "" || e.RetryAfter != 7*time.Second {
		t.Errorf("NewHTTPError(10000-byte text) = body %d, detail %q, retry %v; want %d, \"\", 7s", len(e.Body), e.Detail, e.RetryAfter, MaxErrorBody)
	}
}

func TestBackoff(t *testing.T) {
	// BaseDelay 1s, MaxDelay 5s: 1, 2, 4, 5, 5 s before jitter; jitter
	// scales to [d/2, d): with Jitter 0 -> d/2, with 0.5 -> 3d/4.
	p := Policy{BaseDelay: time.Second, MaxDelay: 5 * time.Second, Jitter: func() float64 { return 0 }}
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

func TestShortURL(t *testing.T) {
	host := "https://data.ssb.no/api/pxwebapi/v2/tables/09429/data"
	long := host + "?lang=no&outputFormat=json-stat2&valueCodes[Region]=" + strings.Repeat("3001,", 300)
	longPath := "https://h/" + strings.Repeat("p", 200) + "?a=b"
	tests := []struct {
		in, want string
	}{
		{"https://h/x?a=b", "https://h/x?a=b"},
		// 120 runes of the URL (scheme, host, path and the start of the
		// query), then "…".
		{long, long[:120] + "…"},
		{longPath, longPath[:120] + "…"},
	}
	for _, tc := range tests {
		if got := ShortURL(tc.in); got != tc.want {
			t.Errorf("ShortURL(%.40q…) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestErrorMessagesShortenURL(t *testing.T) {
	// A 1 500-character URL: the message shows at most MaxShownURL of it,
	// the typed error keeps it whole.
	u := "https://data.ssb.no/api/pxwebapi/v2/tables/09429/data?valueCodes[Region]=" + strings.Repeat("3001,", 290)
	for _, err := range []error{
		&HTTPError{Source: "pxweb", Method: "GET", URL: u, Status: 404},
		&RequestError{Source: "pxweb", Method: "GET", URL: u, Err: io.ErrUnexpectedEOF},
		&BodyError{Source: "pxweb", Method: "GET", URL: u, Err: io.ErrUnexpectedEOF},
		&TooLargeError{Source: "pxweb", URL: u, Limit: 1},
	} {
		msg := err.Error()
		if strings.Contains(msg, u) || !strings.Contains(msg, u[:MaxShownURL]+"…") || len([]rune(msg)) > MaxShownURL+80 {
			t.Errorf("%T.Error() = %q (%d runes), want the URL cut at %d with …", err, msg, len([]rune(msg)), MaxShownURL)
		}
	}
}
