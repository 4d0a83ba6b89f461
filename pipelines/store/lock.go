package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrLocked is wrapped by the error Lock returns when another process holds
// the lock.
var ErrLocked = errors.New("store: knowledge base is locked")

// LockError says who holds the kb lock. Its message is meant for users
// (Norwegian).
type LockError struct {
	Path  string
	PID   int
	Host  string
	Since time.Time
}

func (e *LockError) Error() string {
	return fmt.Sprintf("kunnskapsbasen er låst av pid %d på %s siden %s (låsfil %s)",
		e.PID, e.Host, e.Since.Local().Format("2006-01-02 15:04:05"), e.Path)
}

// Unwrap returns ErrLocked.
func (e *LockError) Unwrap() error { return ErrLocked }

type lockInfo struct {
	PID   int       `json:"pid"`
	Host  string    `json:"host"`
	Since time.Time `json:"since"`
}

// lockPoll is how often Lock retries a busy lock.
const lockPoll = 250 * time.Millisecond

// lockGarbageAge is the age after which an unreadable lock file is removed.
const lockGarbageAge = time.Minute

// Lock takes the kb-wide lock, <kb>/grunnlag.lock, created with O_EXCL and
// holding the pid, host name and time of the holder. If another live
// process holds it, Lock retries until ctx is done and then returns a
// *LockError naming the holder (errors.Is(err, ErrLocked)); it always tries
// once, even with a done ctx, so a cancelled ctx means "fail at once". A lock
// left by a dead process on this host (stale) is removed and taken. The
// returned unlock removes the lock file if it is still ours; it is safe to
// call more than once. The lock is not reentrant.
func (s *Store) Lock(ctx context.Context) (unlock func(), err error) {
	path := filepath.Join(s.root, "grunnlag.lock")
	host, _ := os.Hostname()
	me := lockInfo{PID: os.Getpid(), Host: host, Since: s.now().UTC()}
	content, err := json.Marshal(me)
	if err != nil {
		return nil, fmt.Errorf("store: lock: %w", err)
	}
	content = append(content, '\n')
	for {
		err := tryLock(path, content)
		if err == nil {
			var once sync.Once
			return func() {
				once.Do(func() {
					if b, err := os.ReadFile(path); err == nil && string(b) == string(content) {
						_ = os.Remove(path)
					}
				})
			}, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("store: lock %s: %w", path, err)
		}
		b, rerr := os.ReadFile(path)
		if errors.Is(rerr, os.ErrNotExist) {
			continue // released meanwhile
		}
		var holder lockInfo
		if rerr != nil || json.Unmarshal(b, &holder) != nil {
			// Unreadable or half-written lock file: treat as held, but
			// report what we can.
			// One older than lockGarbageAge was left by a crash between
			// create and write, and is removed.
			holder = lockInfo{}
			if fi, err := os.Stat(path); err == nil {
				holder.Since = fi.ModTime()
				if time.Since(fi.ModTime()) > lockGarbageAge {
					if cur, err := os.ReadFile(path); err == nil && string(cur) == string(b) {
						_ = os.Remove(path)
					}
					continue
				}
			}
		} else if holder.Host == host && holder.PID > 0 && !processAlive(holder.PID) {
			// Stale: remove it only if it is still the same file.
			if cur, err := os.ReadFile(path); err == nil && string(cur) == string(b) {
				_ = os.Remove(path)
			}
			continue
		}
		lerr := &LockError{Path: path, PID: holder.PID, Host: holder.Host, Since: holder.Since}
		select {
		case <-ctx.Done():
			return nil, lerr
		case <-time.After(lockPoll):
		}
	}
}

func tryLock(path string, content []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
