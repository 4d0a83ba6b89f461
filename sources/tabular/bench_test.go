package tabular

import (
	"os"
	"testing"
)

// BenchmarkParseUdirExport decodes the real UTF-16LE Udir export (300 KB)
// and builds the dataset.
func BenchmarkParseUdirExport(b *testing.B) {
	data, err := os.ReadFile("testdata/slutta_vgo.csv")
	if err != nil {
		b.Fatal(err)
	}
	m := mustBuiltin(b, "udir-statistikkbank")
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	rows := 0
	for i := 0; i < b.N; i++ {
		ds, err := Parse("slutta_vgo.csv", data, m, Options{})
		if err != nil {
			b.Fatal(err)
		}
		rows = ds.Size()
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkParseIMDi reads the ISO-8859-1 four-header-line export.
func BenchmarkParseIMDi(b *testing.B) {
	data, err := os.ReadFile("testdata/videregaende_fullfort.csv")
	if err != nil {
		b.Fatal(err)
	}
	m := mustBuiltin(b, "imdi-integreringsdata")
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	cells := 0
	for i := 0; i < b.N; i++ {
		ds, err := Parse("videregaende_fullfort.csv", data, m, Options{})
		if err != nil {
			b.Fatal(err)
		}
		cells = ds.Size()
	}
	b.ReportMetric(float64(cells*b.N)/b.Elapsed().Seconds(), "cells/s")
}
