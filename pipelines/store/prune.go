package store

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Prune keeps keep versions of each dataset, the current one and the newest
// others, and removes the rest. Each folder to drop is first renamed to
// .pruned-version=<stamp> (which no glob over version=* matches), then the
// catalog is replaced without those versions, then the renamed folders are
// removed; a crash before the catalog puts the folders back at the next
// catalog update, a crash after it removes them then. Prune also removes
// what the catalog check removes (see UpdateCatalog): version folders
// without a complete file, left by a crashed publish; never a folder with a
// complete file, which the catalog adopts instead. It returns the removed
// folders relative to the kb root (forward slashes), sorted. keep must be at
// least 1. The caller must hold the kb lock when other processes may
// publish.
func (s *Store) Prune(keep int) (removed []string, err error) {
	if keep < 1 {
		return nil, fmt.Errorf("store: prune: keep = %d, want at least 1", keep)
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	cat, err := s.Catalog()
	if err != nil {
		return nil, fmt.Errorf("store: prune: %w", err)
	}
	changed, swept, err := s.reconcile(cat, true, "")
	if err != nil {
		return nil, fmt.Errorf("store: prune: %w", err)
	}
	removed = append(removed, swept...)

	drop := map[*DatasetEntry][]Version{}
	var dropDirs []string
	plan := func(e *DatasetEntry) {
		if e == nil || len(e.Versions) <= keep {
			return
		}
		// Slots for versions other than the current, newest first.
		slots := keep
		if e.CurrentVersion() != nil {
			slots--
		}
		keepStamp := map[string]bool{e.Current: true}
		for i := len(e.Versions) - 1; i >= 0 && slots > 0; i-- {
			if v := e.Versions[i]; v.Stamp != e.Current {
				keepStamp[v.Stamp] = true
				slots--
			}
		}
		for _, v := range e.Versions {
			if !keepStamp[v.Stamp] {
				drop[e] = append(drop[e], v)
				dropDirs = append(dropDirs, path.Dir(v.Path))
			}
		}
	}
	for _, e := range cat.Datasets {
		plan(e) // the indicator table's versions are kept, as before
	}

	// 1. Set the folders aside.
	for _, rel := range dropDirs {
		if !strings.HasPrefix(rel, "datasets/") && !strings.HasPrefix(rel, layerDir(HarmonisedLayer)+"/") {
			return removed, fmt.Errorf("store: prune: refusing to remove %s outside datasets/", rel)
		}
		dir := filepath.Join(s.root, filepath.FromSlash(rel))
		aside := filepath.Join(filepath.Dir(dir), prunedPrefix+filepath.Base(dir))
		if err := os.Rename(dir, aside); err != nil && !errors.Is(err, os.ErrNotExist) {
			return removed, fmt.Errorf("store: prune: %w", err)
		}
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return removed, fmt.Errorf("store: prune: %w", err)
		}
	}
	if err := s.step("pruned-aside"); err != nil {
		return removed, fmt.Errorf("store: prune: %w", err)
	}
	// 2. The catalog without them.
	for e, vs := range drop {
		kept := make([]Version, 0, keep)
		for _, v := range e.Versions {
			if !containsVersion(vs, v.Stamp) {
				kept = append(kept, v)
			}
		}
		e.Versions = kept
	}
	if len(drop) > 0 || changed {
		if err := WriteJSON(s.catalogPath(), cat); err != nil {
			return removed, fmt.Errorf("store: prune: catalog: %w", err)
		}
	}
	// 3. Remove them.
	sort.Strings(dropDirs)
	for _, rel := range dropDirs {
		dir := filepath.Join(s.root, filepath.FromSlash(rel))
		if err := removeDir(filepath.Join(filepath.Dir(dir), prunedPrefix+filepath.Base(dir))); err != nil {
			return removed, fmt.Errorf("store: prune: %w", err)
		}
		removed = append(removed, rel)
	}
	sort.Strings(removed)
	return removed, nil
}

func containsVersion(vs []Version, stamp string) bool {
	for _, v := range vs {
		if v.Stamp == stamp {
			return true
		}
	}
	return false
}
