//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
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
