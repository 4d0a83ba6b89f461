//go:build !unix

package steps

// processCPU is 0 where getrusage is not at hand: the benchmarks then
// report no CPU time.
func processCPU() float64 { return 0 }
