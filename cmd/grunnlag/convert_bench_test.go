package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// populationCube writes a synthetic JSON-stat 2.0 dataset shaped like SSB
// table 07459 as PxWebApi v2 serves it: 357 municipalities × 2 sexes × 99
// single years of age × 1 content × 10 years = 706,860 cells, whole
// numbers from a fixed linear congruential sequence (about 2.6 MB). The
// codes and labels are made up; the label says so.
func populationCube(tb testing.TB, path string) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, `{"version":"2.0","class":"dataset","label":"07459 Befolkning [benchmark: syntetiske tall]","source":"grunnlag benchmark (synthetic)",`+
		`"updated":"2025-02-20T07:00:00Z","id":["Region","Kjonn","Alder","ContentsCode","Tid"],"size":[357,2,99,1,10],`+
		`"role":{"geo":["Region"],"time":["Tid"],"metric":["ContentsCode"]},"dimension":{`)
	dim := func(id string, codes, labels []string, last bool) {
		fmt.Fprintf(w, `"%s":{"label":"%s","category":{"index":{`, id, id)
		for i, c := range codes {
			if i > 0 {
				w.WriteByte(',')
			}
			fmt.Fprintf(w, `"%s":%d`, c, i)
		}
		w.WriteString(`},"label":{`)
		for i, c := range codes {
			if i > 0 {
				w.WriteByte(',')
			}
			fmt.Fprintf(w, `"%s":"%s"`, c, labels[i])
		}
		w.WriteString(`}}}`)
		if !last {
			w.WriteByte(',')
		}
	}
	var rc, rl, ac, al, tc []string
	for i := 0; i < 357; i++ {
		c := fmt.Sprintf("%04d", 301+i*13)
		rc, rl = append(rc, c), append(rl, "Kommune "+c)
	}
	for i := 0; i < 99; i++ {
		ac, al = append(ac, fmt.Sprintf("%03d", i)), append(al, fmt.Sprintf("%d år", i))
	}
	for y := 2015; y < 2025; y++ {
		tc = append(tc, strconv.Itoa(y))
	}
	dim("Region", rc, rl, false)
	dim("Kjonn", []string{"1", "2"}, []string{"Menn", "Kvinner"}, false)
	dim("Alder", ac, al, false)
	dim("ContentsCode", []string{"Personer1"}, []string{"Personer"}, false)
	dim("Tid", tc, tc, true)
	w.WriteString(`},"value":[`)
	x := uint32(12345)
	for i := 0; i < 357*2*99*10; i++ {
		if i > 0 {
			w.WriteByte(',')
		}
		x = x*1664525 + 1013904223
		w.WriteString(strconv.Itoa(int(x>>20) % 400))
	}
	w.WriteString(`]}`)
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkConvertParquet measures `grunnlag convert FILE.json --out
// FILE.parquet` in-process on the 706,860-cell population cube: decode,
// build the Arrow record, write zstd Parquet, rename into place. It
// reports cells/s and input MB/s.
func BenchmarkConvertParquet(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "07459.json")
	populationCube(b, in)
	st, err := os.Stat(in)
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "07459.parquet")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code, o, errs := runCLI(b, "convert", in, "--out", out); code != exitOK {
			b.Fatalf("convert: exit %d\n%s\n%s", code, o, errs)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)*706860/sec, "cells/s")
	b.ReportMetric(float64(b.N)*float64(st.Size())/1e6/sec, "MB/s")
}

// BenchmarkWriteParquetCube is the Parquet write of convert alone: the
// population cube decoded once, then its Arrow record written as zstd
// Parquet to memory. It is the figure to hold against DuckDB's
// COPY t TO 'f.parquet' (FORMAT parquet, COMPRESSION zstd) of the same
// table on one thread (run with -cpu 1); it reports the file's bytes.
func BenchmarkWriteParquetCube(b *testing.B) {
	in := filepath.Join(b.TempDir(), "07459.json")
	populationCube(b, in)
	f, err := os.Open(in)
	if err != nil {
		b.Fatal(err)
	}
	ds, err := jsonstat.DecodeDataset(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	rec, err := ds.Record(memory.DefaultAllocator)
	if err != nil {
		b.Fatal(err)
	}
	defer rec.Release()
	var buf bytes.Buffer
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := store.WriteParquet(&buf, rec, map[string]string{"source": ds.Source}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*float64(rec.NumRows())/b.Elapsed().Seconds(), "cells/s") // a row per cell
	b.ReportMetric(float64(buf.Len()), "bytes/file")
}
