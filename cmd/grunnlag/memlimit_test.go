package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

// TestSetMemoryLimit: without GOMEMLIMIT the soft limit becomes
// defaultMemoryLimit; with it, the user's limit (applied by the runtime at
// start) stays as it is.
func TestSetMemoryLimit(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	debug.SetMemoryLimit(math.MaxInt64)
	if setMemoryLimit(func(string) string { return "1GiB" }) {
		t.Error("with GOMEMLIMIT set: setMemoryLimit says it applied the default")
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set: limit = %d, want it left alone", got)
	}
	if !setMemoryLimit(func(string) string { return "" }) {
		t.Error("without GOMEMLIMIT: setMemoryLimit says it did not apply the default")
	}
	if got := debug.SetMemoryLimit(-1); got != defaultMemoryLimit {
		t.Errorf("without GOMEMLIMIT: limit = %d, want %d", got, defaultMemoryLimit)
	}
}

// TestFollowedLimit: the limit is the base until the live heap reaches
// two thirds of it, then one and a half times the live heap up to the
// ceiling of 900 MiB, which holds until a fifth over the live heap is
// more (by hand: 300 MiB live → 450 MiB, 600 MiB → 900 MiB, 700 MiB →
// 900 MiB, not 1050; 750 MiB → 900 MiB; 800 MiB → 960 MiB, 1000 MiB →
// 1200 MiB).
func TestFollowedLimit(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct{ live, want int64 }{
		{0, 450 * mib}, {100 * mib, 450 * mib}, {300 * mib, 450 * mib}, {301 * mib, 451*mib + mib/2},
		{600 * mib, 900 * mib}, {700 * mib, 900 * mib}, {750 * mib, 900 * mib}, {800 * mib, 960 * mib}, {1000 * mib, 1200 * mib},
	} {
		if got := followedLimit(450*mib, c.live); got != c.want {
			t.Errorf("followedLimit(450 MiB, %d MiB) = %d, want %d", c.live/mib, got, c.want)
		}
	}
}

// followHeld is TestFollowStep's live data.
var followHeld []byte

// TestFollowStep: with 64 MiB held live and a base of 8 MiB, one step
// sets the soft limit to at least 96 MiB (1.5 × 64), read back from the
// runtime; once the data is dropped, the next step lowers it again.
func TestFollowStep(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	const mib = 1 << 20
	followHeld = make([]byte, 64*mib)
	for i := range followHeld {
		followHeld[i] = byte(i)
	}
	runtime.GC()
	got := followStep(8 * mib)
	if got < 96*mib || debug.SetMemoryLimit(-1) != got {
		t.Errorf("with 64 MiB live: limit %d MiB (runtime %d MiB), want at least 96 MiB and set", got/mib, debug.SetMemoryLimit(-1)/mib)
	}
	followHeld = nil
	runtime.GC()
	if low := followStep(8 * mib); low >= got {
		t.Errorf("after the 64 MiB were dropped: limit %d MiB, want less than %d MiB", low/mib, got/mib)
	}
}
