//go:build unix

package charts

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) of the whole process
// so far, the garbage collector's included.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
