//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/demo"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// twentyYearDemo copies the demo (copyDemo) and replaces its SSB bundle
// with the 20-year one (demo.BuildWith, demo.TwentyYears), generated from
// the demo's real source files; the config selects every period of the
// SSB tables and reads the region model from 2006. It returns the config,
// the knowledge base and the number of cells of the SSB bundle's tables.
func twentyYearDemo(tb testing.TB) (cfg, kb string, cells int) {
	tb.Helper()
	cfg, kb = copyDemo(tb)
	dir := filepath.Dir(cfg)
	bundle := filepath.Join(dir, "ssb")
	if err := os.RemoveAll(bundle); err != nil {
		tb.Fatal(err)
	}
	if err := demo.BuildWith(filepath.Join(dir, "source"), bundle, demo.Options{FirstYear: demo.TwentyYears}); err != nil {
		tb.Fatal(err)
	}
	for _, id := range demo.TableIDs() {
		f, err := os.Open(filepath.Join(bundle, "tables", id, "data.json"))
		if err != nil {
			tb.Fatal(err)
		}
		d, err := jsonstat.DecodeDataset(f)
		f.Close()
		if err != nil {
			tb.Fatalf("%s: %v", id, err)
		}
		cells += d.Size()
	}
	b, err := os.ReadFile(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	// Every period of the SSB tables (top(N) would keep the last N), and
	// the region model from 2006.
	b = regexp.MustCompile(`Tid: \["top\(\d+\)"\]`).ReplaceAll(b, []byte(`Tid: ["*"]`))
	if !bytes.Contains(b, []byte("  bundle: ../klass\n")) {
		tb.Fatal("the demo config has no regions bundle line to extend")
	}
	b = bytes.Replace(b, []byte("  bundle: ../klass\n"), []byte("  bundle: ../klass\n  from: \"2006-01-01\"\n"), 1)
	if err := os.WriteFile(cfg, b, 0o644); err != nil {
		tb.Fatal(err)
	}
	return cfg, kb, cells
}
