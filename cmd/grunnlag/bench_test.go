//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/demo"
)

// BenchmarkFullBuildFromSnapshots measures the whole pipeline for all of
// Norway on the demo data (357 municipalities, 15 counties, the Trøndelag
// groupings; mostly synthetic, marked so): every iteration starts from a
// knowledge base that holds only the raw snapshots of an earlier run and
// does `grunnlag run --offline`: parse and publish every dataset, the
// company-needs step, the indicator catalog, the book and the exports.
// Each timed run is a process of its own (the test binary run as the
// grunnlag command line, with main's memory limit), and the benchmark
// reports that process's peak resident memory and CPU time.
func BenchmarkFullBuildFromSnapshots(b *testing.B) {
	cfg, kb := copyDemo(b)
	benchOfflineRuns(b, cfg, kb)
}

// benchOfflineRuns does a first run of cfg for the raw snapshots, then
// b.N times removes everything of kb but raw and times `grunnlag run
// --offline` as a child process; it reports the largest peak resident
// memory of those processes and their mean user+system CPU time.
func benchOfflineRuns(b *testing.B, cfg, kb string) {
	if code, out, errs := runCLI(b, "run", "--config", cfg, "-q"); code != exitOK {
		b.Fatalf("first run: exit %d\n%s\n%s", code, out, errs)
	}
	var peakKiB int64
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		entries, err := os.ReadDir(kb)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != "raw" {
				if err := os.RemoveAll(filepath.Join(kb, e.Name())); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StartTimer()
		k, c := timedRun(b, "run", "--config", cfg, "-q", "--offline")
		b.StopTimer()
		peakKiB, cpu = max(peakKiB, k), cpu+c
	}
	b.ReportMetric(float64(peakKiB)/1024, "peak-RSS-MB")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkNoChangeRun measures a run when nothing changed: the cheap
// checks of every source and nothing else, each run a process of its own
// (timedRun).
func BenchmarkNoChangeRun(b *testing.B) {
	cfg, _ := copyDemo(b)
	if code, out, errs := runCLI(b, "run", "--config", cfg, "-q"); code != exitOK {
		b.Fatalf("first run: exit %d\n%s\n%s", code, out, errs)
	}
	var peakKiB int64
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k, c := timedRun(b, "run", "--config", cfg, "-q")
		peakKiB, cpu = max(peakKiB, k), cpu+c
	}
	b.StopTimer()
	b.ReportMetric(float64(peakKiB)/1024, "peak-RSS-MB")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// timedRun runs the grunnlag command line as a child process (the test
// binary through TestHelperProcess, with main's memory limit) and returns
// its peak resident memory in KiB (VmHWM, which the child writes when it
// ends: the rusage of a child on Linux also holds the parent's peak) and
// its user+system CPU time; a failed run fails the benchmark with its
// output.
func timedRun(b *testing.B, args ...string) (peakKiB int64, cpu time.Duration) {
	peakFile := filepath.Join(b.TempDir(), "peak")
	cmd := helper(b, args...)
	cmd.Env = append(cmd.Env, "GRUNNLAG_HELPER_PEAK="+peakFile)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		b.Fatalf("grunnlag %v: %v\n%s", args, err, out.String())
	}
	kib, err := os.ReadFile(peakFile)
	if err != nil {
		b.Fatalf("grunnlag %v: no peak memory reported: %v", args, err)
	}
	if peakKiB, err = strconv.ParseInt(string(kib), 10, 64); err != nil {
		b.Fatalf("grunnlag %v: peak memory %q: %v", args, kib, err)
	}
	return peakKiB, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// BenchmarkFullBuild20Years is BenchmarkFullBuildFromSnapshots over 20
// years: the demo's SSB tables generated with pipelines/demo's 20-year
// option (demo.TwentyYears: 2006-2025, each table to its own last year,
// 2024 or 2025; synthetic outside the demo's real cells, and marked so)
// for all 357 municipalities, the counties and the nation, every period
// selected (Tid "*"), and the region model from 2006 (regions.from
// 2006-01-01: the municipality sets of 2006-2012 derived from KLASS's
// change table). What does not span 20 years: 10540 (monthly from
// 2023M01, NAV's county figures), 14863 (cohorts starting 2006-2018),
// 12944 (three-year periods from 2006-2008), and the NAV, Udir and DBH
// sources, which are the demo's. Setup generates the bundle and the
// config into a temporary directory (the bundle is not committed: it is
// large) and does a first run to get the raw snapshots; each iteration
// removes everything but raw and times `grunnlag run --offline` as a
// process of its own (benchOfflineRuns). It reports that process's peak
// resident memory and CPU time, the SSB cells of the bundle and the
// years. Skipped under -short.
func BenchmarkFullBuild20Years(b *testing.B) {
	if testing.Short() {
		b.Skip("the 20-year build takes tens of seconds")
	}
	cfg, kb, cells := twentyYearDemo(b)
	benchOfflineRuns(b, cfg, kb)
	b.ReportMetric(float64(cells), "ssb-cells")
	b.ReportMetric(float64(demo.TwentyYears), "first-year")
	b.ReportMetric(2025-demo.TwentyYears+1, "years")
}
