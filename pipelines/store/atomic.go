package store

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes path as restic's local backend saves a file: write
// calls write with a temp file created in path's directory (named
// ".<base>.tmp-*", so globs for the final name never match it); the temp
// file is synced, closed and renamed to path, and the directory is synced.
// On any error the temp file is removed and path is left as it was. The
// directory must exist. The file gets mode 0644.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("store: write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return fmt.Errorf("store: write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("store: write %s: sync: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("store: write %s: chmod: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("store: write %s: close: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("store: write %s: rename: %w", path, err)
	}
	if err = syncDir(dir); err != nil {
		// The rename happened; the file is complete but its directory entry
		// may not be durable yet. Report it without removing the file.
		return fmt.Errorf("store: write %s: %w", path, err)
	}
	return nil
}

// SyncDir fsyncs a directory so that renames and creations in it are
// durable. File systems that cannot sync directories (EINVAL, ENOTSUP)
// are tolerated.
func SyncDir(dir string) error { return syncDir(dir) }

// syncDir is SyncDir.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !syncUnsupported(err) {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}

// mkdirSync creates dir (which must not exist) and syncs its parent.
func mkdirSync(dir string) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dir))
}

// WriteJSON writes v to path as indented JSON with a final newline,
// atomically (WriteFileAtomic), making path's directory first: the
// catalog, sidecars and the state files of the steps.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
