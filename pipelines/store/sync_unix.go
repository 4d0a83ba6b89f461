//go:build unix

package store

import (
	"errors"
	"syscall"
)

func syncUnsupported(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}
