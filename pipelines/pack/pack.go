// Package pack publishes dated planning packs: after a milestone of the
// planning year (a preset job of the schedule, see config.Presets) has run,
// what the planners work from is kept as an immutable version under
//
//	<kb>/planning/<YYYY-MM-DD>-<milestone>/
//	    book/planlegging/...        a copy of the book's planning pages
//	    book/style.css              the book's style sheet, so the pages render
//	    exports/planlegging.xlsx    the planners' workbook
//	    pakke.json                  the Manifest: milestone, date, run, versions, files, what was missing
//
// Whatever of those files exists is copied; what does not is listed in
// the manifest's missing (a pack is published all the same: it records
// the state of the knowledge base at the milestone).
//
// A pack is written as the store writes a version: into a hidden folder
// beside it (".<name>.tmp-*", which no listing shows), every file synced,
// the folder synced, then renamed into place and the parent synced. So a
// crash at any instant leaves either no pack or a complete one; the hidden
// leftovers of a crash are removed by the next Publish once they are older
// than store.TempAge. A pack is never overwritten: a second pack of the
// same milestone on the same day gets a suffix (-2, -3, ...). The caller
// holds the kb lock, so two publishers never pick the same name.
package pack

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Dir is the folder of the packs, under the kb root.
const Dir = "planning"

// ManifestName is the manifest's file name in a pack.
const ManifestName = "pakke.json"

// The files a pack copies, relative to the kb root (forward slashes).
const (
	PlanningPages = "book/planlegging" // a folder: copied whole
	StyleSheet    = "book/style.css"
	Workbook      = "exports/planlegging.xlsx"
)

// MaxSuffix bounds the packs of one milestone on one day.
const MaxSuffix = 99

// Meta says which milestone and run a pack belongs to.
type Meta struct {
	// Milestone is the preset's name (soknadstall, ...).
	Milestone string
	// Title is the milestone's name in bokmål.
	Title string
	// Job is the schedule job that ran.
	Job string
	// RunID is the run's report ID (dag.Report.ID).
	RunID string
	// Time is when the run finished; the pack's date is its day in Location.
	Time time.Time
	// Location is the schedule's time zone (nil: UTC).
	Location *time.Location
}

// Manifest is a pack's pakke.json.
type Manifest struct {
	// Name is the pack's folder name (<date>-<milestone>[-n]).
	Name      string    `json:"name"`
	Milestone string    `json:"milestone"`
	Title     string    `json:"title,omitempty"`
	Date      string    `json:"date"` // YYYY-MM-DD in the schedule's time zone
	Job       string    `json:"job,omitempty"`
	RunID     string    `json:"run_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Indicators is the indicator table's version the pages and the
	// workbook were drawn from (nil before the first build).
	Indicators *VersionRef `json:"indicators,omitempty"`
	// Datasets are the current version of every dataset in the catalog.
	Datasets []DatasetRef `json:"datasets"`
	// Files are the copied files, relative to the pack, sorted.
	Files []FileRef `json:"files"`
	// Missing are the expected files (relative to the kb) that did not exist.
	Missing []string `json:"missing"`
}

// VersionRef names one version of the indicator table.
type VersionRef struct {
	Stamp  string `json:"stamp"`
	SHA256 string `json:"sha256,omitempty"`
}

// DatasetRef names one dataset version.
type DatasetRef struct {
	ID            string `json:"id"`
	Version       string `json:"version"`
	SHA256        string `json:"sha256,omitempty"`
	SourceUpdated string `json:"source_updated,omitempty"`
	Synthetic     bool   `json:"synthetic,omitempty"`
}

// FileRef is one copied file.
type FileRef struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Error is a pack that could not be published or read.
type Error struct {
	// Path is the pack's folder, or the file concerned.
	Path string
	Err  error
}

func (e *Error) Error() string { return "pack: " + e.Path + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrTooMany is returned when a milestone already has MaxSuffix packs on
// one day.
var ErrTooMany = errors.New("too many packs of this milestone today")

var milestoneRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Publish writes a pack for m from the kb at root, with the versions of
// cat (the catalog after the run), and returns its manifest. The caller
// holds the kb lock.
func Publish(root string, cat *store.Catalog, m Meta) (*Manifest, error) {
	if !milestoneRE.MatchString(m.Milestone) {
		return nil, &Error{Path: filepath.Join(root, Dir), Err: fmt.Errorf("milestone %q is not a preset name", m.Milestone)}
	}
	loc := m.Location
	if loc == nil {
		loc = time.UTC
	}
	if m.Time.IsZero() {
		m.Time = time.Now()
	}
	date := m.Time.In(loc).Format("2006-01-02")
	dir := filepath.Join(root, Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &Error{Path: dir, Err: err}
	}
	sweep(dir, m.Time)
	base := date + "-" + m.Milestone
	name := ""
	for n := 1; n <= MaxSuffix; n++ {
		cand := base
		if n > 1 {
			cand += "-" + strconv.Itoa(n)
		}
		if _, err := os.Lstat(filepath.Join(dir, cand)); errors.Is(err, fs.ErrNotExist) {
			name = cand
			break
		} else if err != nil {
			return nil, &Error{Path: filepath.Join(dir, cand), Err: err}
		}
	}
	if name == "" {
		return nil, &Error{Path: filepath.Join(dir, base), Err: ErrTooMany}
	}
	man := &Manifest{Name: name, Milestone: m.Milestone, Title: m.Title, Date: date, Job: m.Job, RunID: m.RunID,
		CreatedAt: m.Time.UTC(), Datasets: []DatasetRef{}, Files: []FileRef{}, Missing: []string{}}
	if cat != nil {
		if v := cat.Indicators.CurrentVersion(); v != nil {
			man.Indicators = &VersionRef{Stamp: v.Stamp, SHA256: v.SHA256}
		}
		for _, id := range slices.Sorted(maps.Keys(cat.Datasets)) {
			if v := cat.Datasets[id].CurrentVersion(); v != nil {
				man.Datasets = append(man.Datasets, DatasetRef{ID: id, Version: v.Stamp, SHA256: v.SHA256,
					SourceUpdated: v.SourceUpdated, Synthetic: v.Synthetic})
			}
		}
	}
	tmp, err := os.MkdirTemp(dir, "."+name+".tmp-")
	if err != nil {
		return nil, &Error{Path: dir, Err: err}
	}
	final := filepath.Join(dir, name)
	if err := fill(root, tmp, man); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, &Error{Path: final, Err: err}
	}
	if beforeRename != nil {
		beforeRename(tmp)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, &Error{Path: final, Err: err}
	}
	// The name was free when chosen and the caller holds the kb lock; a
	// folder that appeared meanwhile is not replaced (a rename onto an
	// empty folder would replace it, so look once more).
	if _, err := os.Lstat(final); !errors.Is(err, fs.ErrNotExist) {
		_ = os.RemoveAll(tmp)
		return nil, &Error{Path: final, Err: fs.ErrExist}
	}
	if err := os.Rename(tmp, final); err != nil {
		_ = os.RemoveAll(tmp)
		return nil, &Error{Path: final, Err: err}
	}
	if err := store.SyncDir(dir); err != nil {
		return man, &Error{Path: final, Err: err}
	}
	return man, nil
}

// beforeRename, when set (by tests), is called with the complete hidden
// folder just before it is renamed into place.
var beforeRename func(tmp string)

// fill copies the files into the hidden folder tmp and writes the
// manifest last, everything synced.
func fill(root, tmp string, man *Manifest) error {
	pages := filepath.Join(root, filepath.FromSlash(PlanningPages))
	if fi, err := os.Stat(pages); err == nil && fi.IsDir() {
		err := filepath.WalkDir(pages, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && p != pages {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil // a writer's temp file, not part of the pages
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(tmp, rel), 0o755)
			}
			if !d.Type().IsRegular() {
				return nil
			}
			return copyInto(p, tmp, filepath.ToSlash(rel), man)
		})
		if err != nil {
			return err
		}
	} else {
		man.Missing = append(man.Missing, PlanningPages+"/")
	}
	for _, f := range []string{StyleSheet, Workbook} {
		src := filepath.Join(root, filepath.FromSlash(f))
		if fi, err := os.Stat(src); err != nil || !fi.Mode().IsRegular() {
			man.Missing = append(man.Missing, f)
			continue
		}
		if err := os.MkdirAll(filepath.Join(tmp, filepath.Dir(filepath.FromSlash(f))), 0o755); err != nil {
			return err
		}
		if err := copyInto(src, tmp, f, man); err != nil {
			return err
		}
	}
	slices.SortFunc(man.Files, func(a, b FileRef) int { return cmp.Compare(a.Path, b.Path) })
	err := store.WriteFileAtomic(filepath.Join(tmp, ManifestName), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(man)
	})
	if err != nil {
		return err
	}
	// Every folder of the pack is synced, deepest first, so the renames
	// and creations in them are durable before the pack becomes visible.
	var dirs []string
	_ = filepath.WalkDir(tmp, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	slices.Reverse(dirs)
	for _, d := range dirs {
		if err := store.SyncDir(d); err != nil {
			return err
		}
	}
	return nil
}

// copyInto copies src to tmp/rel (rel with forward slashes) through
// store.WriteFileAtomic and records it in man.
func copyInto(src, tmp, rel string, man *Manifest) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	h := newHasher()
	var n int64
	err = store.WriteFileAtomic(filepath.Join(tmp, filepath.FromSlash(rel)), func(w io.Writer) error {
		var err error
		n, err = io.Copy(io.MultiWriter(w, h), in)
		return err
	})
	if err != nil {
		return err
	}
	man.Files = append(man.Files, FileRef{Path: rel, Bytes: n, SHA256: h.sum()})
	return nil
}

// sweep removes the hidden folders a crashed Publish left, once they are
// older than store.TempAge (no Publish takes that long).
func sweep(dir string, now time.Time) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), ".") || !strings.Contains(e.Name(), ".tmp-") {
			continue
		}
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > store.TempAge {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// List returns the manifests of the packs under root, oldest first (by
// date, then name). Hidden folders (a pack being written) are not packs. A
// pack whose pakke.json cannot be read is an error naming it.
func List(root string) ([]Manifest, error) {
	dir := filepath.Join(root, Dir)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &Error{Path: dir, Err: err}
	}
	var out []Manifest
	var errs []error
	for _, e := range ents {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(dir, e.Name(), ManifestName)
		m, err := readManifest(p)
		if err != nil {
			errs = append(errs, &Error{Path: p, Err: err})
			continue
		}
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b Manifest) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.Name, b.Name))
	})
	return out, errors.Join(errs...)
}

// maxManifest bounds a pakke.json read back.
const maxManifest = 16 << 20

func readManifest(p string) (*Manifest, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var m Manifest
	dec := json.NewDecoder(io.LimitReader(f, maxManifest))
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("not a pack manifest: %w", err)
	}
	return &m, nil
}
