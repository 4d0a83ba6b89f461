package httpx

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// script answers the n-th request (1-based) with steps[n-1], the last
// step repeating; it counts requests.
type script struct {
	mu    sync.Mutex
	n     int
	steps []func(w http.ResponseWriter)
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.n++
	i := min(s.n, len(s.steps)) - 1
	s.mu.Unlock()
	s.steps[i](w)
}

func (s *script) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func status(code int, hdr ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"title":"` + http.StatusText(code) + `"}`))
	}
}

func body(s string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(s))
	}
}

// reset hijacks the connection and closes it without an answer.
func reset(w http.ResponseWriter) {
	c, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = c.Close()
	}
}

func TestDo(t *testing.T) {
	const ok = `{"ok":true}`
	tests := []struct {
		name     string
		steps    []func(http.ResponseWriter)
		requests int             // requests the server sees
		sleeps   []time.Duration // waits, with Jitter 0 (Backoff(n) = 2^(n-1) s / 2)
		status   int             // of the *HTTPError; 0: success, -1: another error
	}{
		{"503 then 200", []func(http.ResponseWriter){status(503), body(ok)}, 2, []time.Duration{500 * time.Millisecond}, 0},
		{"reset then 200", []func(http.ResponseWriter){reset, body(ok)}, 2, []time.Duration{500 * time.Millisecond}, 0},
		// Retry-After: 7 replaces the backoff.
		{"429 Retry-After", []func(http.ResponseWriter){status(429, "Retry-After", "7"), body(ok)}, 2, []time.Duration{7 * time.Second}, 0},
		// An HTTP date 30 s after the fake clock's now.
		{"503 Retry-After date", []func(http.ResponseWriter){status(503, "Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT"), body(ok)}, 2, []time.Duration{30 * time.Second}, 0},
		{"404 not retried", []func(http.ResponseWriter){status(404)}, 1, nil, 404},
		// Five attempts of 500, four waits of 0.5, 1, 2, 4 s.
		{"500 gives up", []func(http.ResponseWriter){status(500)}, 5, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}, 500},
		{"JSON cut short then whole", []func(http.ResponseWriter){body(`{"ok":tr`), body(ok)}, 2, []time.Duration{500 * time.Millisecond}, 0},
		{"JSON invalid not retried", []func(http.ResponseWriter){body(`{"ok":nope}`)}, 1, nil, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &script{steps: tc.steps}
			ts := httptest.NewServer(s)
			defer ts.Close()
			fc := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			var recorded int
			c := New(Options{Source: "test", Clock: fc, Retry: Policy{Jitter: func() float64 { return 0 }},
				Recorder: func(Exchange) error { recorded++; return nil }})
			var tally Tally
			ex, err := c.Do(context.Background(), Request{URL: ts.URL + "/x", Check: c.CheckJSON, Tally: &tally})
			if got := s.count(); got != tc.requests {
				t.Errorf("server saw %d requests, want %d", got, tc.requests)
			}
			if tally.Requests != tc.requests {
				t.Errorf("tally counted %d requests, want %d", tally.Requests, tc.requests)
			}
			if !equalDurations(fc.sleeps, tc.sleeps) {
				t.Errorf("waits %v, want %v", fc.sleeps, tc.sleeps)
			}
			var he *HTTPError
			switch {
			case tc.status == 0:
				if err != nil || string(ex.Body) != ok {
					t.Fatalf("Do = %v, %v; want the 200 body", ex, err)
				}
			case tc.status > 0:
				if !errors.As(err, &he) || he.Status != tc.status || he.Source != "test" {
					t.Fatalf("Do error = %v, want *HTTPError %d", err, tc.status)
				}
			default:
				var be *BodyError
				if !errors.As(err, &be) || be.Truncated || Recoverable(err) {
					t.Fatalf("Do error = %v, want a non-recoverable *BodyError", err)
				}
			}
			// Every response (not the reset) went to the recorder.
			wantRec := tc.requests
			if tc.name == "reset then 200" {
				wantRec = 1
			}
			if recorded != wantRec {
				t.Errorf("recorder saw %d responses, want %d", recorded, wantRec)
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// refusing is a transport whose error says it is not recoverable (as the
// offline replay's checksum failure does).
type refusing struct{ n int }

func (r *refusing) RoundTrip(*http.Request) (*http.Response, error) {
	r.n++
	return nil, notRecoverable{}
}

func TestDoTransportErrorNotRecoverable(t *testing.T) {
	tr := &refusing{}
	fc := &fakeClock{}
	c := New(Options{Source: "test", HTTP: &http.Client{Transport: tr}, Clock: fc})
	_, err := c.Do(context.Background(), Request{URL: "http://h/x"})
	var re *RequestError
	if !errors.As(err, &re) || tr.n != 1 || len(fc.sleeps) != 0 {
		t.Fatalf("Do = %v after %d attempts and waits %v; want one attempt and a *RequestError", err, tr.n, fc.sleeps)
	}
	if !errors.As(err, new(notRecoverable)) {
		t.Errorf("Do error %v does not keep the transport's typed error", err)
	}
}

func TestDoRetryAfterTooLong(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter){status(429, "Retry-After", "3600")}}
	ts := httptest.NewServer(s)
	defer ts.Close()
	c := New(Options{Source: "test", Clock: &fakeClock{}})
	_, err := c.Do(context.Background(), Request{URL: ts.URL})
	var he *HTTPError
	if !errors.As(err, &he) || he.RetryAfter != time.Hour || s.count() != 1 {
		t.Fatalf("Do = %v after %d requests; want the 429 at once (1 h exceeds the 5 min cap)", err, s.count())
	}
}

func TestDoLongURLMessage(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter){status(404)}}
	ts := httptest.NewServer(s)
	defer ts.Close()
	u := ts.URL + "/tables/x/data?valueCodes[Region]=" + strings.Repeat("3001,", 250)
	c := New(Options{Source: "test"})
	_, err := c.Do(context.Background(), Request{URL: u})
	var he *HTTPError
	if !errors.As(err, &he) || he.URL != u {
		t.Fatalf("Do error = %v, want *HTTPError with the full URL", err)
	}
	if msg := err.Error(); len(msg) > 300 || !strings.Contains(msg, "…") {
		t.Errorf("message of %d bytes %q, want the URL cut with …", len(msg), msg)
	}
}

func TestDoRecordsEveryResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != "grunnlag-test/1" {
			t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
		}
		if r.URL.Path == "/missing" {
			http.Error(w, "finnes ikke", http.StatusNotFound)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	var seen []Exchange
	fixed := time.Date(2026, 1, 15, 8, 15, 0, 0, time.UTC)
	c := New(Options{Source: "test", Clock: NowClock(func() time.Time { return fixed }), Recorder: func(ex Exchange) error {
		seen = append(seen, ex)
		return nil
	}})
	ex, err := c.Do(context.Background(), Request{URL: srv.URL + "/ok"})
	if err != nil || string(ex.Body) != "ok" || !ex.FetchedAt.Equal(fixed) {
		t.Fatalf("Do(ok) = %+v, %v", ex, err)
	}
	_, err = c.Do(context.Background(), Request{URL: srv.URL + "/missing"})
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 404 || Recoverable(err) || !strings.Contains(string(he.Body), "finnes ikke") {
		t.Fatalf("Do(missing) = %v, want *HTTPError 404 with the body", err)
	}
	if !strings.HasPrefix(err.Error(), "test: GET ") {
		t.Errorf("error %q does not start with the source name", err)
	}
	if len(seen) != 2 || seen[1].Status != 404 {
		t.Errorf("recorder saw %d exchanges, want both (including the 404)", len(seen))
	}
}

func TestDoCapsBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", 100)))
	}))
	defer srv.Close()
	c := New(Options{Source: "test", MaxBody: 10})
	_, err := c.Do(context.Background(), Request{URL: srv.URL})
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 10 || !strings.Contains(err.Error(), "exceeds 10 bytes") {
		t.Fatalf("Do(100 bytes, cap 10) = %v, want a *TooLargeError", err)
	}
}
