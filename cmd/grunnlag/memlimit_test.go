package main

import (
	"math"
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
	setMemoryLimit(func(string) string { return "1GiB" })
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set: limit = %d, want it left alone", got)
	}
	setMemoryLimit(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != defaultMemoryLimit {
		t.Errorf("without GOMEMLIMIT: limit = %d, want %d", got, defaultMemoryLimit)
	}
}
