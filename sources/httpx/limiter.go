package httpx

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Clock is the source of time for the Limiter and the retry waits. The
// zero Options use the real clock; tests inject a fake one whose Sleep
// advances its Now.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first, and
	// returns ctx.Err() in the latter case.
	Sleep(ctx context.Context, d time.Duration) error
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// Sleep waits for d with a timer, selecting on ctx.Done().
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Limiter allows at most N requests in any sliding window of length W.
//
// It keeps a log of the start times of the last N requests (a sliding-window
// log, not a token bucket: a token bucket of N tokens refilled over W lets
// 2N requests through around a refill boundary, which a server counting a
// true sliding window answers with 429). A request may start at time t only
// if fewer than N logged starts lie in (t-W, t]; otherwise Wait sleeps until
// the oldest of them leaves the window. The guarantee is exact with respect
// to the Limiter's clock: no half-open window of length W ever contains more
// than N starts.
//
// One Limiter is shared by every request to a host (PxWebApi counts per IP).
// It is safe for concurrent use.
type Limiter struct {
	n      int
	window time.Duration
	clock  Clock

	mu      sync.Mutex
	log     []time.Time     // start times, oldest first, at most n
	observe func(time.Time) // test hook: called with each granted start, under mu
}

// NewLimiter returns a Limiter allowing n requests per window. A nil clock
// means the real clock.
func NewLimiter(n int, window time.Duration, clock Clock) (*Limiter, error) {
	if n < 1 {
		return nil, fmt.Errorf("httpx: limiter: %d calls per window, want at least 1", n)
	}
	if window <= 0 {
		return nil, fmt.Errorf("httpx: limiter: window %v, want > 0", window)
	}
	if clock == nil {
		clock = RealClock{}
	}
	return &Limiter{n: n, window: window, clock: clock}, nil
}

// Limit returns the number of calls allowed per window and the window.
func (l *Limiter) Limit() (int, time.Duration) { return l.n, l.window }

// Wait blocks until a request may start, records its start and returns nil;
// or returns ctx.Err() as soon as ctx is done.
func (l *Limiter) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		l.mu.Lock()
		now := l.clock.Now()
		// Drop starts that have left the window (t <= now-W).
		cut := 0
		for cut < len(l.log) && !l.log[cut].Add(l.window).After(now) {
			cut++
		}
		l.log = l.log[cut:]
		if len(l.log) < l.n {
			l.log = append(l.log, now)
			if l.observe != nil {
				l.observe(now)
			}
			l.mu.Unlock()
			return nil
		}
		wait := l.log[0].Add(l.window).Sub(now)
		l.mu.Unlock()
		if err := l.clock.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// Note records starts made before the Limiter existed (oldest first), so
// that they count in the window; only the last n are kept.
func (l *Limiter) Note(starts []time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.log = append(l.log, starts...)
	if len(l.log) > l.n {
		l.log = l.log[len(l.log)-l.n:]
	}
}

// NowClock returns the real clock with Now replaced by now (nil: the real
// clock itself); sources whose options take a Now func use it.
func NowClock(now func() time.Time) Clock {
	if now == nil {
		return RealClock{}
	}
	return nowClock(now)
}

type nowClock func() time.Time

func (f nowClock) Now() time.Time { return f() }

func (nowClock) Sleep(ctx context.Context, d time.Duration) error { return RealClock{}.Sleep(ctx, d) }
