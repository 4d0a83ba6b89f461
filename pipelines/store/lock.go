package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrLocked is wrapped by the error Lock returns when another process holds
// the lock.
var ErrLocked = errors.New("store: knowledge base is locked")

// LockFile is the name of the kb lock file in the kb root.
const LockFile = "grunnlag.lock"

// ForeignLockAge is the age after which a lock held by another host is
// reported by [Store.LockStatus] as probably left behind, with how to break
// it. grunnlag never breaks such a lock itself: it cannot see whether the
// holder still runs.
const ForeignLockAge = 6 * time.Hour

// LockInfo is the content of the lock file: who holds the lock.
type LockInfo struct {
	Token string    `json:"token"` // random, new for every acquisition
	PID   int       `json:"pid"`
	Host  string    `json:"host"`
	Who   string    `json:"who,omitempty"` // e.g. "grunnlag run", "grunnlag serve: jobb ssb_morgen"
	Since time.Time `json:"since"`         // when the lock was taken
}

// LockError says who holds the kb lock. Its message is meant for users
// (Norwegian).
type LockError struct {
	Path  string
	PID   int
	Host  string
	Who   string
	Since time.Time
}

func (e *LockError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("kunnskapsbasen er låst av en annen prosess (låsfil %s)", e.Path)
	}
	who := ""
	if e.Who != "" {
		who = " («" + e.Who + "»)"
	}
	return fmt.Sprintf("kunnskapsbasen er låst av pid %d på %s%s siden %s (låsfil %s)",
		e.PID, e.Host, who, e.Since.Local().Format("2006-01-02 15:04:05"), e.Path)
}

// Unwrap returns ErrLocked.
func (e *LockError) Unwrap() error { return ErrLocked }

// lockPoll is how often Lock retries a busy lock.
const lockPoll = 100 * time.Millisecond

// lockGarbageAge is the age after which an unreadable lock file is removed
// where the lock cannot be checked with flock.
const lockGarbageAge = time.Minute

// Lease is a held kb lock. Carry it in a context ([Lease.Context]) to run
// code under it that takes the lock itself: [Store.Lock] with such a
// context returns at once.
type Lease struct {
	root     string
	path     string
	info     LockInfo
	release  func()
	inner    bool // granted through a context carrying the real lease
	released atomic.Bool
	once     sync.Once
}

// Info returns what the lock file says about this holder.
func (l *Lease) Info() LockInfo { return l.info }

// Unlock releases the lock (removing the lock file if it is still ours).
// It is safe to call more than once.
func (l *Lease) Unlock() {
	l.once.Do(func() {
		l.released.Store(true)
		if !l.inner {
			heldTokens.Delete(l.info.Token)
		}
		l.release()
	})
}

type leaseKey struct{}

// Context returns a copy of parent that carries the lease: [Store.Lock] on
// the same knowledge base with it (or a context derived from it) does not
// wait for the lock this lease holds but returns a no-op unlock, as long as
// the lease is not released.
func (l *Lease) Context(parent context.Context) context.Context {
	return context.WithValue(parent, leaseKey{}, l)
}

// heldTokens are the tokens of the locks this process holds now. A lock file
// naming this process's pid with a token not in here was left by an earlier
// process that had the same pid (a restarted container's pid 1, say): it is
// stale. (Process-wide because the lock is: two Stores on one kb in one
// process exclude each other.)
var heldTokens sync.Map

// Lock takes the kb-wide lock (<kb>/grunnlag.lock) for the current command
// and returns its unlock; see [Store.LockFor].
func (s *Store) Lock(ctx context.Context) (unlock func(), err error) {
	l, err := s.LockFor(ctx, "")
	if err != nil {
		return nil, err
	}
	return l.Unlock, nil
}

// LockFor takes the kb-wide lock, <kb>/grunnlag.lock. It is the one lock of
// a knowledge base: a whole `grunnlag run` holds it, as does a refresh, a
// build or a book on its own. who names the holder for whoever finds the
// lock busy ("" means the command line, e.g. "grunnlag build").
//
// The lock file holds a [LockInfo] (a random token, pid, host, who, since).
// On unix the file is also flock'ed while held, so the kernel releases the
// lock when the holder dies; a lock file on this host that nobody has
// flock'ed is stale and is taken over, whatever pid it names (a pid that
// has been reused included). Where flock is not available, a lock file from
// this host is stale when its pid is dead or is this process's own pid with
// a token this process does not hold. A lock file from another host is
// always honoured; see [Store.LockStatus] for how users are told to break
// an old one.
//
// If the lock is busy, LockFor retries until ctx is done and then returns
// a *LockError naming the holder (errors.As; errors.Is(err, ErrLocked)); it
// always tries once, even with a done ctx, so a done ctx means "fail at
// once". If ctx carries a live [Lease] of this knowledge base, LockFor
// returns a lease whose Unlock does nothing. The lock is not reentrant
// otherwise.
func (s *Store) LockFor(ctx context.Context, who string) (*Lease, error) {
	if l, ok := ctx.Value(leaseKey{}).(*Lease); ok && l.root == s.root && !l.released.Load() {
		return &Lease{root: s.root, path: l.path, info: l.info, release: func() {}, inner: true}, nil
	}
	path := filepath.Join(s.root, LockFile)
	host, _ := os.Hostname()
	if who == "" {
		who = commandLine()
	}
	var tb [16]byte
	if _, err := rand.Read(tb[:]); err != nil {
		return nil, fmt.Errorf("store: lock: %w", err)
	}
	me := LockInfo{Token: hex.EncodeToString(tb[:]), PID: os.Getpid(), Host: host, Who: who, Since: s.now().UTC()}
	content, err := json.Marshal(me)
	if err != nil {
		return nil, fmt.Errorf("store: lock: %w", err)
	}
	content = append(content, '\n')
	retried := false
	for {
		release, holder, err := acquire(path, content, host)
		if err != nil {
			return nil, fmt.Errorf("store: lock %s: %w", path, err)
		}
		if release != nil {
			heldTokens.Store(me.Token, true)
			return &Lease{root: s.root, path: path, info: me, release: release}, nil
		}
		lerr := &LockError{Path: path, PID: holder.PID, Host: holder.Host, Who: holder.Who, Since: holder.Since}
		if ctx.Err() != nil && !retried {
			// One short second try, so that a LockStatus probing the
			// flock at this instant does not fail a "refuse at once".
			retried = true
			time.Sleep(lockPoll / 5)
			continue
		}
		select {
		case <-ctx.Done():
			return nil, lerr
		case <-time.After(lockPoll):
		}
	}
}

// commandLine names this process for the lock file: its program name and
// first argument ("grunnlag run").
func commandLine() string {
	if len(os.Args) == 0 {
		return ""
	}
	parts := []string{filepath.Base(os.Args[0])}
	if len(os.Args) > 1 && !strings.HasPrefix(os.Args[1], "-") {
		parts = append(parts, os.Args[1])
	}
	return strings.Join(parts, " ")
}

// acquire tries once. It returns release when the lock is ours, else the
// holder (zero when the lock file could not be read).
func acquire(path string, content []byte, host string) (release func(), holder LockInfo, err error) {
	release, holder, err = acquireFlock(path, content, host)
	if !errors.Is(err, errNoFlock) {
		return release, holder, err
	}
	return acquireExcl(path, content, host)
}

// errNoFlock says the file system cannot flock (or the system has none).
var errNoFlock = errors.New("flock not supported")

// readLockInfo parses a lock file's content; ok is false for an empty or
// unreadable one.
func readLockInfo(b []byte) (LockInfo, bool) {
	var h LockInfo
	if len(b) == 0 || json.Unmarshal(b, &h) != nil || h.PID <= 0 {
		return LockInfo{}, false
	}
	return h, true
}

// staleByPID reports whether a lock file of this host names no live holder:
// its pid is dead, or it is our own pid with a token we do not hold.
func staleByPID(h LockInfo, host string) bool {
	if h.Host != host {
		return false
	}
	if h.PID == os.Getpid() {
		_, mine := heldTokens.Load(h.Token)
		return !mine
	}
	return !processAlive(h.PID)
}

// acquireExcl is the lock without flock: the lock file is created with
// O_EXCL, and a stale one (see staleByPID) is removed and retaken.
func acquireExcl(path string, content []byte, host string) (func(), LockInfo, error) {
	for attempt := 0; attempt < 3; attempt++ {
		err := createExcl(path, content)
		if err == nil {
			return func() {
				if b, err := os.ReadFile(path); err == nil && string(b) == string(content) {
					_ = os.Remove(path)
				}
			}, LockInfo{}, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, LockInfo{}, err
		}
		b, rerr := os.ReadFile(path)
		if errors.Is(rerr, os.ErrNotExist) {
			continue // released meanwhile
		}
		h, ok := readLockInfo(b)
		stale := false
		if !ok {
			// Unreadable or half-written: a crash between create and write
			// when it is old enough.
			if fi, err := os.Stat(path); err == nil {
				h.Since = fi.ModTime()
				stale = time.Since(fi.ModTime()) > lockGarbageAge
			}
		} else {
			stale = staleByPID(h, host)
		}
		if !stale {
			return nil, h, nil
		}
		// Remove it only if it is still the same file.
		if cur, err := os.ReadFile(path); err == nil && string(cur) == string(b) {
			_ = os.Remove(path)
		}
	}
	return nil, LockInfo{}, nil
}

func createExcl(path string, content []byte) error {
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

// LockState is what [Store.LockStatus] found.
type LockState struct {
	Path   string
	Holder LockInfo
	// Held is true when a live process holds the lock (on this host, or on
	// another host that cannot be checked from here).
	Held bool
	// Stale is true when the lock file was left by a process on this host
	// that no longer holds it; the next command takes it over.
	Stale bool
	// Foreign is true when the holder is on another host.
	Foreign bool
	// Old is true for a foreign lock older than ForeignLockAge.
	Old bool
}

// Message says in Norwegian what the lock state means and, where the user
// may have to act, the exact command that breaks the lock.
func (ls *LockState) Message() string {
	h := ls.Holder
	who := h.Who
	if who == "" {
		who = "ukjent kommando"
	}
	since := "ukjent tid"
	if !h.Since.IsZero() {
		since = h.Since.Local().Format("2006-01-02 15:04:05")
	}
	switch {
	case ls.Stale && h.PID == 0:
		return fmt.Sprintf("låsfilen %s er tom eller uleselig og holdes ikke av noen; neste kommando overtar den, eller fjern den med: rm %s", ls.Path, ls.Path)
	case ls.Stale:
		return fmt.Sprintf("låsfilen %s er etterlatt av «%s» (pid %d på %s, siden %s), som ikke kjører lenger; neste kommando overtar den, eller fjern den med: rm %s",
			ls.Path, who, h.PID, h.Host, since, ls.Path)
	case ls.Foreign && ls.Old:
		return fmt.Sprintf("kunnskapsbasen er låst av pid %d på %s («%s») siden %s, over %s; grunnlag kan ikke se om den kjører. Kjører ingen grunnlag-prosess på %s, fjern låsen med: rm %s",
			h.PID, h.Host, who, since, durationNB(ForeignLockAge), h.Host, ls.Path)
	case ls.Foreign:
		return fmt.Sprintf("kunnskapsbasen er låst av pid %d på %s («%s») siden %s (låsfil %s)", h.PID, h.Host, who, since, ls.Path)
	case h.PID == 0:
		return fmt.Sprintf("kunnskapsbasen er låst (låsfilen %s kan ikke leses); fjern den med: rm %s hvis ingen grunnlag-prosess kjører", ls.Path, ls.Path)
	}
	return fmt.Sprintf("kunnskapsbasen er låst av pid %d på %s («%s») siden %s; vent til den er ferdig (låsfil %s)", h.PID, h.Host, who, since, ls.Path)
}

func durationNB(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%d timer", int(d/time.Hour))
	}
	return d.String()
}

// LockStatus reports the kb lock without taking it: nil when no lock file
// exists. It is meant for `grunnlag status`.
func (s *Store) LockStatus() (*LockState, error) {
	path := filepath.Join(s.root, LockFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: lock status: %w", err)
	}
	host, _ := os.Hostname()
	h, ok := readLockInfo(b)
	ls := &LockState{Path: path, Holder: h}
	if ok && h.Host != host {
		ls.Foreign, ls.Held = true, true
		ls.Old = s.now().Sub(h.Since) > ForeignLockAge
		return ls, nil
	}
	held, err := probeFlock(path)
	switch {
	case errors.Is(err, errNoFlock):
		ls.Held = !ok || !staleByPID(h, host)
	case err != nil:
		return nil, fmt.Errorf("store: lock status: %w", err)
	default:
		ls.Held = held
	}
	ls.Stale = !ls.Held
	if ls.Stale && !ok {
		ls.Holder = LockInfo{}
	}
	return ls, nil
}
