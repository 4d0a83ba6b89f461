//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/demo"
)

// BenchmarkFullBuildFromSnapshots measures the whole pipeline for all of
// Norway on the demo data (357 municipalities, 15 counties, the Trøndelag
// groupings; mostly synthetic, marked so): every iteration starts from a
// knowledge base that holds only the raw snapshots of an earlier run and
// does `grunnlag run --offline`: parse and publish every dataset, the
// company-needs step, the indicator catalog, the book and the exports.
// It reports the peak resident memory of the process.
func BenchmarkFullBuildFromSnapshots(b *testing.B) {
	cfg, kb := copyDemo(b)
	if code, out, errs := runCLI(b, "run", "--config", cfg, "-q"); code != exitOK {
		b.Fatalf("first run: exit %d\n%s\n%s", code, out, errs)
	}
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
		if code, out, errs := runCLI(b, "run", "--config", cfg, "-q", "--offline"); code != exitOK {
			b.Fatalf("offline run: exit %d\n%s\n%s", code, out, errs)
		}
	}
	b.StopTimer()
	reportPeakRSS(b)
}

// BenchmarkNoChangeRun measures a run when nothing changed: the cheap
// checks of every source and nothing else.
func BenchmarkNoChangeRun(b *testing.B) {
	cfg, _ := copyDemo(b)
	if code, out, errs := runCLI(b, "run", "--config", cfg, "-q"); code != exitOK {
		b.Fatalf("first run: exit %d\n%s\n%s", code, out, errs)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code, out, errs := runCLI(b, "run", "--config", cfg, "-q"); code != exitOK {
			b.Fatalf("no-change run: exit %d\n%s\n%s", code, out, errs)
		}
	}
	b.StopTimer()
	reportPeakRSS(b)
}

func reportPeakRSS(b *testing.B) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB") // Maxrss is in KiB on Linux
	}
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
// removes everything but raw and times `grunnlag run --offline`. It
// reports the peak resident memory of the process, the SSB cells of the
// bundle and the years. Skipped under -short.
func BenchmarkFullBuild20Years(b *testing.B) {
	if testing.Short() {
		b.Skip("the 20-year build takes tens of seconds")
	}
	cfg, kb, cells := twentyYearDemo(b)
	if code, out, errs := runCLI(b, "run", "--config", cfg, "-q"); code != exitOK {
		b.Fatalf("first run: exit %d\n%s\n%s", code, out, errs)
	}
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
		if code, out, errs := runCLI(b, "run", "--config", cfg, "-q", "--offline"); code != exitOK {
			b.Fatalf("offline run: exit %d\n%s\n%s", code, out, errs)
		}
	}
	b.StopTimer()
	reportPeakRSS(b)
	b.ReportMetric(float64(cells), "ssb-cells")
	b.ReportMetric(float64(demo.TwentyYears), "first-year")
	b.ReportMetric(2025-demo.TwentyYears+1, "years")
}
