// Package pxwebtest is a PxWebApi server for tests: the bundle emulator of
// sources/replay (replay.Cubes, which documents the bundle format and the
// endpoints) with what only tests need on top of it: a request count per
// endpoint, the server's rate limit (429 with Retry-After in seconds when a
// request would exceed maxCallsPerTimeWindow in the sliding timeWindow),
// scripted faults, and an in-process transport that turns a Reset fault
// into a connection reset.
//
// Production code does not import this package: the offline demo uses
// replay.CubesTransport directly.
package pxwebtest

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/grunnlag/grunnlag/sources/replay"
)

// Options configure a Server. Zero values keep the bundle's config.json.
type Options struct {
	MaxDataCells int           // overrides config.json maxDataCells
	MaxCalls     int           // overrides maxCallsPerTimeWindow
	TimeWindow   time.Duration // overrides timeWindow (whole seconds in /config; the limit uses the exact value)
	// API is "v2" (default), "v1" (v1 only; v2 answers 404) or "both".
	API string
	// Faults, when set, is asked before each request is served, with the
	// endpoint name (see Server.Requests) and the 1-based count of requests
	// to that endpoint so far; a non-nil Fault replaces the normal answer.
	Faults func(endpoint string, n int, r *http.Request) *Fault
	// Clock is the time for rate limiting and pastDays; nil means time.Now.
	Clock func() time.Time
}

// Fault is an injected misbehaviour.
type Fault struct {
	// Delay is slept (real time, cut short if the client goes away) before
	// the rest of the fault or the normal answer.
	Delay time.Duration
	// Status, when not 0, answers with this status and a problem+json body
	// whose detail is Detail.
	Status int
	Detail string
	// RetryAfter is sent as the Retry-After header ("1", or an HTTP date).
	RetryAfter string
	// Reset sends the headers and the first bytes of a 200 response and
	// closes the connection, so the client fails reading the body with an
	// unexpected EOF (in-process: the RoundTripper returns a
	// connection-reset error instead).
	Reset bool
}

// Rule is one line of a fault script.
type Rule struct {
	Endpoint string // e.g. "data"
	N        int    // the N-th request to Endpoint (1-based)
	Fault    Fault
}

// Script returns an Options.Faults function that applies rules.
func Script(rules ...Rule) func(endpoint string, n int, r *http.Request) *Fault {
	return func(endpoint string, n int, _ *http.Request) *Fault {
		for i := range rules {
			if rules[i].Endpoint == endpoint && rules[i].N == n {
				f := rules[i].Fault
				return &f
			}
		}
		return nil
	}
}

// Server serves a bundle. It is an http.Handler, safe for concurrent use.
type Server struct {
	opts     Options
	clock    func() time.Time
	cubes    *replay.Cubes
	maxCalls int
	window   time.Duration

	mu     sync.Mutex
	counts map[string]int
	log    []time.Time
}

// New loads the bundle at dir.
func New(dir string, opts Options) (*Server, error) {
	c, err := replay.NewCubes(dir, replay.CubeOptions{MaxDataCells: opts.MaxDataCells, MaxCalls: opts.MaxCalls,
		TimeWindow: opts.TimeWindow, API: opts.API, Clock: opts.Clock})
	if err != nil {
		return nil, fmt.Errorf("pxwebtest: %w", err)
	}
	s := &Server{opts: opts, clock: opts.Clock, cubes: c, counts: map[string]int{}}
	if s.clock == nil {
		s.clock = time.Now
	}
	_, s.maxCalls, s.window = c.Limits()
	if opts.TimeWindow > 0 {
		s.window = opts.TimeWindow // the exact value, not /config's whole seconds
	}
	return s, nil
}

// Requests returns the number of requests received per endpoint: "config",
// "tables", "table", "metadata", "data", "codelist", "v1config", "v1meta",
// "v1data", "other". Every request counts, including faulted and 429 ones.
func (s *Server) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ep := replay.CubeEndpoint(r)
	s.mu.Lock()
	s.counts[ep]++
	n := s.counts[ep]
	s.mu.Unlock()

	if s.opts.Faults != nil {
		if f := s.opts.Faults(ep, n, r); f != nil {
			if f.Delay > 0 {
				t := time.NewTimer(f.Delay)
				select {
				case <-r.Context().Done():
					t.Stop()
					return
				case <-t.C:
				}
			}
			if f.Reset {
				s.rate() // it reached the server
				reset(w)
				return
			}
			if f.Status != 0 {
				s.rate()
				if f.RetryAfter != "" {
					w.Header().Set("Retry-After", f.RetryAfter)
				}
				detail := f.Detail
				if detail == "" {
					detail = "injected fault"
				}
				writeProblem(w, f.Status, detail)
				return
			}
		}
	}
	if wait, ok := s.rate(); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		writeProblem(w, http.StatusTooManyRequests,
			fmt.Sprintf("You have reach the threshold for request limiting. %d request per %v", s.maxCalls, s.window))
		return
	}
	s.cubes.ServeHTTP(w, r)
}

// rate logs a request in the sliding window, or reports how long until one
// may be served.
func (s *Server) rate() (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	cut := 0
	for cut < len(s.log) && !s.log[cut].Add(s.window).After(now) {
		cut++
	}
	s.log = s.log[cut:]
	if len(s.log) >= s.maxCalls {
		return s.log[0].Add(s.window).Sub(now), false
	}
	s.log = append(s.log, now)
	return 0, true
}

// writeProblem answers as PxWebApi does (application/problem+json).
func writeProblem(w http.ResponseWriter, status int, detail string) {
	b, _ := json.Marshal(map[string]any{
		"type":   "https://tools.ietf.org/html/rfc9110#section-15",
		"title":  http.StatusText(status),
		"status": status,
		"detail": detail,
	})
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"version\":")
	_ = buf.Flush()
	_ = conn.Close()
}

// Transport returns a RoundTripper that serves requests in-process (no
// socket). A Reset fault becomes a connection-reset error.
func (s *Server) Transport() http.RoundTripper { return transport{s} }

type transport struct{ s *Server }

func (t transport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler {
				panic(p)
			}
			resp, err = nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
		}
	}()
	if req.Body != nil {
		defer req.Body.Close()
	}
	rec := httptest.NewRecorder()
	t.s.ServeHTTP(rec, req)
	resp = rec.Result()
	resp.Request = req
	return resp, nil
}

var (
	_ http.Handler      = (*Server)(nil)
	_ http.RoundTripper = transport{}
)
