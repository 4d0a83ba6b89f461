package main

import (
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// defaultMemoryLimit is the soft memory limit grunnlag runs with when the
// user sets none (GOMEMLIMIT): near it the garbage collector runs more
// often instead of letting the heap grow to twice the live data (GOGC
// 100). Measured on the demo knowledge base (all of Norway, mostly
// synthetic): `grunnlag book` peaks at 476 MB resident instead of 764 MB
// for 12 % more CPU time, `grunnlag build` at 478 MB instead of 711 MB for
// the same CPU time. It is soft: a run whose live data is larger goes
// past it and never fails for it; followLiveHeap then raises it.
const defaultMemoryLimit = 450 << 20

// setMemoryLimit applies defaultMemoryLimit unless GOMEMLIMIT is set
// (getenv is os.Getenv), and reports whether it did.
func setMemoryLimit(getenv func(string) string) bool {
	if getenv("GOMEMLIMIT") != "" {
		return false
	}
	debug.SetMemoryLimit(defaultMemoryLimit)
	return true
}

// followLiveHeap keeps the soft limit at followedLimit of the live heap,
// every interval, for as long as the process runs. Without it a run
// whose live data outgrows the default limit (all of Norway over 20
// years holds 600-700 MiB) has the collector run without pause at the
// runtime's cap of half the CPU. Measured on the 20-year build
// (BenchmarkFullBuild20Years, 2026-12-07): 116 s with the fixed limit,
// 67 s following the live heap; the README's performance section has the
// demo's figures for both.
func followLiveHeap(base int64, every time.Duration) {
	for range time.Tick(every) {
		followStep(base)
	}
}

// followStep sets the soft limit to followedLimit of the live heap the
// last collection found and returns it.
func followStep(base int64) int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	var live int64
	if s[0].Value.Kind() == metrics.KindUint64 {
		live = int64(s[0].Value.Uint64())
	}
	limit := followedLimit(base, live)
	debug.SetMemoryLimit(limit)
	return limit
}

// followedLimit is the soft limit for a live heap of live bytes: base, or
// one and a half times the live heap when that is more (the collector
// then runs each time the heap has grown by half, as GOGC=50 would,
// instead of without pause), but no more than heapCeiling while a fifth
// over the live heap still fits under it.
func followedLimit(base, live int64) int64 {
	limit := live + live/2
	if limit > heapCeiling {
		limit = max(heapCeiling, live+live/5)
	}
	return max(base, limit)
}

// heapCeiling is where followedLimit narrows the collector's headroom
// from a half to a fifth of the live heap, to hold a whole process under
// 1 GiB where its live data allows. Measured on the 20-year build
// (BenchmarkFullBuild20Years, 2026-12-08, 3 runs each, interleaved): see
// the README's performance section; the demo's live heap stays under
// 600 MiB, where the ceiling does not apply.
const heapCeiling = 900 << 20
