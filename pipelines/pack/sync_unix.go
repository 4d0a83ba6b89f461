//go:build unix

package pack

import (
	"errors"
	"syscall"
)

func syncUnsupported(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}
