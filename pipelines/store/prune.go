package store

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Prune keeps keep versions of each dataset, the current one and the newest
// others, and removes the rest. It updates the catalog
// first, then removes the folders, so a crash in between leaves only
// unreferenced folders. It also removes version folders that the catalog does
// not reference (left by a crash during Publish). It returns the removed
// folders relative to the kb root (forward slashes), sorted. keep must be at
// least 1. The caller must hold the kb lock when other processes may publish.
func (s *Store) Prune(keep int) (removed []string, err error) {
	if keep < 1 {
		return nil, fmt.Errorf("store: prune: keep = %d, want at least 1", keep)
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	var drop []string
	err = s.updateCatalogLocked(func(c *Catalog) error {
		for _, e := range c.Datasets {
			if len(e.Versions) <= keep {
				continue
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
			kept := make([]Version, 0, keep)
			for _, v := range e.Versions {
				if keepStamp[v.Stamp] {
					kept = append(kept, v)
				} else {
					drop = append(drop, path.Dir(v.Path))
				}
			}
			e.Versions = kept
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: prune: %w", err)
	}

	// Unreferenced version folders.
	cat, err := s.Catalog()
	if err != nil {
		return nil, fmt.Errorf("store: prune: %w", err)
	}
	referenced := map[string]bool{}
	for _, e := range cat.Datasets {
		for _, v := range e.Versions {
			referenced[path.Dir(v.Path)] = true
		}
	}
	dirs, err := filepath.Glob(filepath.Join(s.root, "datasets", "*", "version=*"))
	if err != nil {
		return nil, fmt.Errorf("store: prune: %w", err)
	}
	for _, d := range dirs {
		rel := s.rel(d)
		if !referenced[rel] && !contains(drop, rel) {
			drop = append(drop, rel)
		}
	}

	sort.Strings(drop)
	for _, rel := range drop {
		if !strings.HasPrefix(rel, "datasets/") {
			return removed, fmt.Errorf("store: prune: refusing to remove %s outside datasets/", rel)
		}
		dir := filepath.Join(s.root, filepath.FromSlash(rel))
		if err := os.RemoveAll(dir); err != nil {
			return removed, fmt.Errorf("store: prune: %w", err)
		}
		if err := syncDir(filepath.Dir(dir)); err != nil {
			return removed, fmt.Errorf("store: prune: %w", err)
		}
		removed = append(removed, rel)
	}
	return removed, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
