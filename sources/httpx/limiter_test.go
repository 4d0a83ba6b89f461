package httpx

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock whose Sleep advances Now at once.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	f.sleeps = append(f.sleeps, d)
	return nil
}

func TestLimiterSequentialStarts(t *testing.T) {
	// 3 calls per 1 s, 10 calls in a row: the 4th must wait until the 1st
	// leaves the window (t=1s), and so on: starts 0,0,0,1,1,1,2,2,2,3 s.
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fc := &fakeClock{now: t0}
	l, err := NewLimiter(3, time.Second, fc)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{0, 0, 0, 1, 1, 1, 2, 2, 2, 3}
	for i, w := range want {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := fc.Now().Sub(t0); got != w*time.Second {
			t.Errorf("start %d at %v, want %v", i, got, w*time.Second)
		}
	}
}

func TestLimiterNoWindowExceeded(t *testing.T) {
	// 8 goroutines x 25 calls against 5 calls per 700 ms: every half-open
	// window (s-W, s] ending at a start s must hold at most 5 starts.
	const n, window = 5, 700 * time.Millisecond
	fc := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l, err := NewLimiter(n, window, fc)
	if err != nil {
		t.Fatal(err)
	}
	var starts []time.Time
	l.observe = func(s time.Time) { starts = append(starts, s) } // called under l.mu
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				if err := l.Wait(context.Background()); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(starts) != 200 {
		t.Fatalf("granted %d starts, want 200", len(starts))
	}
	for i, s := range starts {
		in := 0
		for _, u := range starts {
			if u.After(s.Add(-window)) && !u.After(s) {
				in++
			}
		}
		if in > n {
			t.Fatalf("window ending at start %d (%v) holds %d starts, want <= %d", i, s, in, n)
		}
	}
}

func TestLimiterCancel(t *testing.T) {
	l, err := NewLimiter(1, time.Hour, nil) // real clock
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	err = l.Wait(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait after cancel = %v, want context.Canceled", err)
	}
	// Promptness: the window is an hour; returning within 10 s proves the
	// wait was cut short (no exact timing asserted).
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Wait returned after %v, want prompt return", d)
	}
}

func TestNewLimiterInvalid(t *testing.T) {
	for _, tc := range []struct {
		n int
		w time.Duration
	}{{0, time.Second}, {1, 0}, {-1, -time.Second}} {
		if _, err := NewLimiter(tc.n, tc.w, nil); err == nil {
			t.Errorf("NewLimiter(%d, %v) = nil error, want error", tc.n, tc.w)
		}
	}
}
