package store

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Store is a knowledge base rooted at one directory. Its methods are safe for
// concurrent use within one process; see the package doc for several
// processes.
type Store struct {
	root string
	now  func() time.Time

	mu sync.Mutex // serialises writes to the catalog and sidecars

	checks pendingChecks // check notes of open batches (BatchChecks)

	// hook, when set (tests only), is called between the steps of Publish
	// with the step's name; an error aborts Publish as a failure there would.
	hook func(step string) error
}

// Option configures a Store.
type Option func(*Store)

// WithClock makes the store read the time from now (for stamps,
// last_checked and lock files) instead of time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

// Open opens the knowledge base at root, creating the directory if it does
// not exist.
func Open(root string, opts ...Option) (*Store, error) {
	if root == "" {
		return nil, fmt.Errorf("store: open: empty root")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", root, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", root, err)
	}
	s := &Store{root: abs, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Root returns the absolute path of the knowledge base.
func (s *Store) Root() string { return s.root }

func (s *Store) step(name string) error {
	if s.hook == nil {
		return nil
	}
	return s.hook(name)
}

// validName reports whether name is usable as a source name or dataset ID:
// non-empty, ASCII letters, digits, '_', '-', '.', not starting with '.'.
func validName(name string) bool {
	if name == "" || name[0] == '.' || len(name) > 200 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}

// stampLayout is the layout of version stamps (UTC, second resolution).
const stampLayout = "20060102T150405Z"

func (s *Store) catalogPath() string { return filepath.Join(s.root, "catalog.json") }

// rel returns path relative to the kb root with forward slashes.
func (s *Store) rel(path string) string {
	r, err := filepath.Rel(s.root, path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(r)
}
