package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// Catalog is the content of <kb>/catalog.json: the current version of every
// dataset and the lineage of every version. It is written as indented JSON
// with keys in a stable order (struct fields in declaration order, map keys
// sorted).
type Catalog struct {
	Datasets map[string]*DatasetEntry `json:"datasets"`
	// Indicators is the indicator table (<kb>/indicators/version=<stamp>/
	// indicators.parquet), written by PublishIndicators; nil before the
	// first build.
	Indicators *DatasetEntry `json:"indicators,omitempty"`
	// RebuiltAt is when the catalog was rebuilt from the version folders
	// because catalog.json was missing; zero if it never was.
	RebuiltAt time.Time `json:"rebuilt_at,omitzero"`
}

// DatasetEntry is one dataset in the catalog.
type DatasetEntry struct {
	Current     string    `json:"current,omitempty"`  // stamp of the current version; "" before the first publish
	Versions    []Version `json:"versions,omitempty"` // oldest first
	LastChecked time.Time `json:"last_checked,omitzero"`
	LastError   string    `json:"last_error,omitempty"` // "" when the last check succeeded
}

// CurrentVersion returns the current version, or nil.
func (e *DatasetEntry) CurrentVersion() *Version {
	if e == nil {
		return nil
	}
	return e.Version(e.Current)
}

// Version returns the version with the given stamp, or nil.
func (e *DatasetEntry) Version(stamp string) *Version {
	if e == nil || stamp == "" {
		return nil
	}
	for i := range e.Versions {
		if e.Versions[i].Stamp == stamp {
			return &e.Versions[i]
		}
	}
	return nil
}

// Version is one published version of a dataset.
type Version struct {
	Stamp         string    `json:"stamp"`
	Path          string    `json:"path"`   // relative to the kb root, forward slashes
	SHA256        string    `json:"sha256"` // of the Parquet file
	Bytes         int64     `json:"bytes"`
	Rows          int64     `json:"rows"`
	ContentSHA256 string    `json:"content_sha256"` // of schema, cells and descriptive metadata; equal => unchanged
	Source        string    `json:"source,omitempty"`
	Table         string    `json:"table,omitempty"`
	Title         string    `json:"title,omitempty"`
	Unit          string    `json:"unit,omitempty"`
	SourceUpdated string    `json:"source_updated,omitempty"`
	FetchedAt     time.Time `json:"fetched_at,omitzero"`
	Snapshots     []string  `json:"snapshots,omitempty"`
	Query         string    `json:"query,omitempty"`
	Licence       string    `json:"licence,omitempty"`
	Attribution   string    `json:"attribution,omitempty"`
	Synthetic     bool      `json:"synthetic"`
	Keys          []string  `json:"keys"`
	Diff          Diff      `json:"diff"` // against the version current before this one

	// Recovered is set on a version that was found in its folder but not in
	// the catalog (a lost catalog, a crash of an older grunnlag) and was
	// described from its file's metadata; its Diff is not known.
	Recovered bool `json:"recovered,omitempty"`
	// Repairs is the stamp of the current version this one replaced because
	// that version's file was damaged or missing.
	Repairs string `json:"repairs,omitempty"`

	// Unchanged is set (never stored) on the Version Publish returns when
	// the data equalled the current version's and nothing was written.
	Unchanged bool `json:"-"`
}

// Diff counts cells by what happened to them between two versions.
type Diff struct {
	Added     int `json:"added"`
	Removed   int `json:"removed"`
	Revised   int `json:"revised"` // value or status changed
	Unchanged int `json:"unchanged"`
}

// Changed reports whether any cell was added, removed or revised.
func (d Diff) Changed() bool { return d.Added+d.Removed+d.Revised > 0 }

// Catalog reads catalog.json and checks that it agrees with itself; one
// that does not parse or does not agree is a *CatalogError. A missing
// catalog.json is rebuilt from the version folders, each of which carries
// its metadata (with RebuiltAt set; written back at the next catalog
// update), and is empty only when there are none: a lost catalog never
// makes the data look absent. The check notes of an open batch
// (BatchChecks) are set on the result.
func (s *Store) Catalog() (*Catalog, error) {
	b, err := os.ReadFile(s.catalogPath())
	if errors.Is(err, os.ErrNotExist) {
		c := &Catalog{Datasets: map[string]*DatasetEntry{}}
		changed, _, err := s.reconcile(c, false, "")
		if err != nil {
			return nil, fmt.Errorf("store: catalog: rebuild from the version folders: %w", err)
		}
		if changed {
			c.RebuiltAt = s.now().UTC()
			c.setNewestCurrent()
		}
		s.checks.apply(c)
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: catalog: %w", err)
	}
	var c Catalog
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, &CatalogError{Path: s.catalogPath(), Reason: "does not parse", Err: err}
	}
	if c.Datasets == nil {
		c.Datasets = map[string]*DatasetEntry{}
	}
	if err := c.validate(s); err != nil {
		return nil, err
	}
	s.checks.apply(&c)
	return &c, nil
}

// setNewestCurrent makes the newest version current where none is.
func (c *Catalog) setNewestCurrent() {
	set := func(e *DatasetEntry) {
		if e != nil && e.Current == "" && len(e.Versions) > 0 {
			e.Current = e.Versions[len(e.Versions)-1].Stamp
		}
	}
	for _, e := range c.Datasets {
		set(e)
	}
	set(c.Indicators)
}

// UpdateCatalog reads the catalog, checks it against the version folders
// (adopting complete versions it does not name, removing what a crashed
// publish or prune provably left; see the package doc), calls fn with it
// and, if fn returns nil, replaces catalog.json atomically with the result.
// The caller holds the kb lock. An error from fn leaves
// the file untouched and is returned as is.
func (s *Store) UpdateCatalog(fn func(*Catalog) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updateCatalogLocked(fn)
}

func (s *Store) updateCatalogLocked(fn func(*Catalog) error) error {
	return s.updateCatalogSkip(fn, "")
}

// updateCatalogSkip is updateCatalogLocked leaving the version folder
// inProgress (a publish's own, not yet catalogued) alone. The catalog it
// writes carries the pending check notes of a batch (BatchChecks), which
// are then no longer pending.
func (s *Store) updateCatalogSkip(fn func(*Catalog) error, inProgress string) error {
	c, err := s.Catalog()
	if err != nil {
		return err
	}
	if _, _, err := s.reconcile(c, true, inProgress); err != nil {
		return fmt.Errorf("store: catalog: check against the version folders: %w", err)
	}
	if err := fn(c); err != nil {
		return err
	}
	if err := WriteJSON(s.catalogPath(), c); err != nil {
		return fmt.Errorf("store: catalog: %w", err)
	}
	s.checks.written()
	return nil
}

// RecordCheck records in the catalog that dataset id was checked now; a
// non-nil checkErr is stored as last_error (nil clears it). Use it when a
// refresh fails before Publish. Inside a batch (BatchChecks) the note is
// kept in memory until the batch is flushed.
func (s *Store) RecordCheck(id string, checkErr error) error {
	if !validID(id) {
		return fmt.Errorf("store: record check: invalid dataset id %q", id)
	}
	now := s.now().UTC()
	lastErr := ""
	if checkErr != nil {
		lastErr = checkErr.Error()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.recordCheckLocked(id, now, lastErr, false)
}

// recordCheckLocked sets dataset id's last_checked and last_error, in the
// pending notes of an open batch or else by a catalog update; with
// mustExist an update refuses a dataset the catalog does not list (a
// caller inside a batch has just read it from the catalog). The caller
// holds s.mu.
func (s *Store) recordCheckLocked(id string, at time.Time, lastErr string, mustExist bool) error {
	if s.checks.add(id, checkNote{at: at, err: lastErr}) {
		return nil
	}
	return s.updateCatalogLocked(func(c *Catalog) error {
		e := c.Datasets[id]
		if e == nil {
			if mustExist {
				return errVanished
			}
			e = &DatasetEntry{}
			c.Datasets[id] = e
		}
		e.LastChecked, e.LastError = at, lastErr
		return nil
	})
}

// BatchChecks starts a batch of check notes: until flush is called, the
// last_checked and last_error that RecordCheck and an unchanged Publish
// would each write to the catalog on its own are kept in memory, and
// flush writes them in one atomic catalog update (none if there are
// none). Catalog shows pending notes, and any catalog update in the
// meantime (a new version's Publish) writes them too. A process killed
// before flush loses only the pending notes: the catalog on disk stays
// the last complete one, with those datasets' earlier last_checked. A
// refresh run uses one batch for the checks of its datasets. Batches may
// nest; each flush writes what is pending. The caller holds the kb lock
// until flush returns.
func (s *Store) BatchChecks() (flush func() error) {
	s.checks.begin()
	var once sync.Once
	return func() error {
		var err error
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.checks.end() {
				err = s.updateCatalogLocked(func(*Catalog) error { return nil })
			}
		})
		return err
	}
}

// errVanished is recordCheckLocked's error for a dataset that must be in
// the catalog and is not.
var errVanished = errors.New("dataset vanished from the catalog")

// checkNote is one pending check: when, and its error text ("" for none).
type checkNote struct {
	at  time.Time
	err string
}

// pendingChecks are the check notes of open batches (BatchChecks) not yet
// written to catalog.json. Notes are added and dropped with the Store's mu
// held as well as their own, so a catalog update (which holds mu) writes
// exactly the notes it read; Catalog reads them under their own lock only.
type pendingChecks struct {
	mu    sync.Mutex
	depth int                  // open batches
	notes map[string]checkNote // by dataset id; the latest wins
}

func (p *pendingChecks) begin() {
	p.mu.Lock()
	p.depth++
	p.mu.Unlock()
}

// end closes one batch and reports whether notes are pending.
func (p *pendingChecks) end() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.depth--
	return len(p.notes) > 0
}

// add keeps the note if a batch is open and reports whether it did.
func (p *pendingChecks) add(id string, n checkNote) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.depth <= 0 {
		return false
	}
	if p.notes == nil {
		p.notes = map[string]checkNote{}
	}
	p.notes[id] = n
	return true
}

// apply sets the pending notes on c.
func (p *pendingChecks) apply(c *Catalog) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, n := range p.notes {
		e := c.Datasets[id]
		if e == nil {
			e = &DatasetEntry{}
			c.Datasets[id] = e
		}
		e.LastChecked, e.LastError = n.at, n.err
	}
}

// written drops the notes: a catalog carrying them was written.
func (p *pendingChecks) written() {
	p.mu.Lock()
	p.notes = nil
	p.mu.Unlock()
}
