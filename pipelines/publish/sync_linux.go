//go:build linux

package publish

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncsFS is true where syncFS syncs a whole file system in one call.
const syncsFS = true

// syncFS writes back the whole file system holding dir with syncfs(2),
// which since Linux 5.8 also reports write-back errors of its files.
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = unix.Syncfs(int(f.Fd()))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &os.PathError{Op: "syncfs", Path: dir, Err: err}
	}
	return nil
}
