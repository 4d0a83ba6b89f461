package dag

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ErrBusy is wrapped by the error LockRun returns when another run holds
// the run lock.
var ErrBusy = errors.New("dag: another run is in progress")

// BusyError says which run holds the run lock. Its message is meant for
// users (bokmål).
type BusyError struct {
	Path  string
	PID   int    `json:"pid"`
	Who   string `json:"who"`
	Since time.Time
}

func (e *BusyError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("en annen kjøring pågår allerede (låsfil %s)", e.Path)
	}
	return fmt.Sprintf("en annen kjøring pågår allerede: %s, pid %d, startet %s (låsfil %s)",
		e.Who, e.PID, e.Since.Local().Format("2006-01-02 15:04:05"), e.Path)
}

// Unwrap returns ErrBusy.
func (e *BusyError) Unwrap() error { return ErrBusy }

type runHolder struct {
	PID   int       `json:"pid"`
	Who   string    `json:"who"`
	Since time.Time `json:"since"`
}

// lockPoll is how often LockRun retries a busy lock while waiting.
const lockPoll = 100 * time.Millisecond

// LockRun takes the run lock of the kb at root (<kb>/state/run.lock), so
// only one pipeline run at a time works on a knowledge base. who says who
// runs ("grunnlag run", "grunnlag serve: jobb ssb_morgen") and is shown to
// whoever finds the lock busy. It tries once, then retries until wait has
// passed or ctx is done, and then returns a *BusyError (errors.Is(err,
// ErrBusy)). The kernel releases the lock when the process dies, so a crash
// never leaves it behind. unlock is safe to call more than once.
func LockRun(ctx context.Context, root, who string, wait time.Duration) (unlock func(), err error) {
	path := filepath.Join(root, "state", "run.lock")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("dag: run lock: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		unlock, ok, err := tryRunLock(path, runHolder{PID: os.Getpid(), Who: who, Since: time.Now().UTC()})
		if err != nil {
			return nil, fmt.Errorf("dag: run lock %s: %w", path, err)
		}
		if ok {
			return unlock, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			be := &BusyError{Path: path}
			if b, err := os.ReadFile(path); err == nil {
				var h runHolder
				if json.Unmarshal(b, &h) == nil {
					be.PID, be.Who, be.Since = h.PID, h.Who, h.Since
				}
			}
			return nil, be
		}
		select {
		case <-ctx.Done():
		case <-time.After(lockPoll):
		}
	}
}
