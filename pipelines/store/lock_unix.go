//go:build unix

package store

import (
	"errors"
	"io"
	"os"
	"syscall"
)

// processAlive reports whether a process with this pid exists (EPERM means
// it exists but belongs to another user).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func flockUnsupported(err error) bool {
	return errors.Is(err, syscall.ENOLCK) || errors.Is(err, syscall.EOPNOTSUPP) ||
		errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.EINVAL)
}

// acquireFlock opens (creating) the lock file and takes an exclusive flock
// on it without blocking. With the flock ours, a lock file of this host is
// free whatever it says (its holder died); one from another host is
// honoured, since flock may not reach across hosts. The file is removed on
// release, so a file that was replaced after we opened it is retried.
func acquireFlock(path string, content []byte, host string) (func(), LockInfo, error) {
	for attempt := 0; attempt < 3; attempt++ {
		_, statErr := os.Lstat(path)
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, LockInfo{}, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				b, _ := os.ReadFile(path)
				h, _ := readLockInfo(b)
				return nil, h, nil
			}
			if flockUnsupported(err) {
				if errors.Is(statErr, os.ErrNotExist) {
					os.Remove(path) // ours, empty: leave the O_EXCL lock a free path
				}
				return nil, LockInfo{}, errNoFlock
			}
			return nil, LockInfo{}, err
		}
		if !sameFile(f, path) {
			f.Close() // released and removed after we opened it
			continue
		}
		b, err := io.ReadAll(f)
		if err != nil {
			f.Close()
			return nil, LockInfo{}, err
		}
		if h, ok := readLockInfo(b); ok && h.Host != host {
			f.Close()
			return nil, h, nil
		}
		if err := f.Truncate(0); err != nil {
			f.Close()
			return nil, LockInfo{}, err
		}
		if _, err := f.WriteAt(content, 0); err != nil {
			f.Close()
			return nil, LockInfo{}, err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, LockInfo{}, err
		}
		return func() {
			if sameFile(f, path) {
				_ = os.Remove(path)
			}
			_ = f.Close() // releases the flock
		}, LockInfo{}, nil
	}
	return nil, LockInfo{}, nil
}

// sameFile reports whether f is still the file at path.
func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	if err != nil {
		return false
	}
	return os.SameFile(a, b)
}

// probeFlock reports whether someone holds the flock on path, taking and
// dropping a shared flock to find out.
func probeFlock(path string) (held bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return true, nil
		}
		if flockUnsupported(err) {
			return false, errNoFlock
		}
		return false, err
	}
	return false, nil
}
