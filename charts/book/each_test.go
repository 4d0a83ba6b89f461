package book

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

// TestEach: every index is visited once, on any number of workers; the
// first error is returned and no index after it starts once it is seen
// by every worker; a cancelled context stops it.
func TestEach(t *testing.T) {
	for _, workers := range []int{0, 1, 3, 64} {
		var seen [100]atomic.Int32
		if err := each(context.Background(), len(seen), workers, func(i int) error {
			seen[i].Add(1)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for i := range seen {
			if n := seen[i].Load(); n != 1 {
				t.Fatalf("workers %d: index %d visited %d times", workers, i, n)
			}
		}
	}
	boom := errors.New("boom")
	var calls atomic.Int32
	err := each(context.Background(), 1000, 1, func(i int) error {
		calls.Add(1)
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || calls.Load() != 11 {
		t.Errorf("one worker, error at 10: %v after %d calls, want boom after 11", err, calls.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := each(ctx, 5, 2, func(int) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if err := each(context.Background(), 0, 2, func(int) error { return boom }); err != nil {
		t.Errorf("no index: %v", err)
	}
}
