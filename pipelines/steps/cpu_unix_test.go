//go:build unix

package steps

import "syscall"

// processCPU is the CPU time this process has used so far, user and
// system, in seconds (the benchmarks report it beside the wall time: on a
// shared machine it varies less).
func processCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
