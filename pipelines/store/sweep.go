package store

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// TempAge is how old a temp file must be before SweepTemp removes it. No
// single atomic write takes this long, so a file this old belongs to a
// process that died, never to a live writer (pipeline steps that run
// outside the kb lock included).
const TempAge = time.Hour

// SweepTemp removes the temp files that a killed process left behind: the
// ".<name>.tmp-*" files WriteFileAtomic creates beside their target,
// anywhere in the knowledge base, once they are older than TempAge. They
// are never read or served (their names start with a dot), so this only
// reclaims space. It returns the kb-relative paths removed.
func (s *Store) SweepTemp() ([]string, error) {
	cutoff := s.now().Add(-TempAge)
	var removed []string
	err := filepath.WalkDir(s.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !isTempName(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if os.IsNotExist(err) {
				return nil // its writer renamed it meanwhile
			}
			return err
		}
		if info.ModTime().After(cutoff) {
			return nil
		}
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return err
		}
		removed = append(removed, s.rel(p))
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("store: sweep temp files: %w", err)
	}
	return removed, nil
}

// isTempName reports whether name is a WriteFileAtomic temp file name.
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-")
}
