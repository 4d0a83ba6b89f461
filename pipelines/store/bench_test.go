package store

import (
	"bytes"
	"io"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// benchRecord builds n rows with 4 dimensions (356 regions, 20 years, 2
// sexes, the rest in an age dimension), labels, value (every 17th null with
// status ".."), status. Synthetic.
func benchRecord(b *testing.B, n int) arrow.Record {
	b.Helper()
	fields := []arrow.Field{}
	for _, d := range []string{"region", "year", "sex", "age"} {
		fields = append(fields, arrow.Field{Name: d, Type: dictType}, arrow.Field{Name: d + "_label", Type: dictType})
	}
	fields = append(fields,
		arrow.Field{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		arrow.Field{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true})
	rb := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer rb.Release()
	sizes := []int{356, 20, 2, 0}
	sizes[3] = max(1, n/(356*20*2)+1)
	for i := 0; i < n; i++ {
		rest := i
		for d := 3; d >= 0; d-- {
			c := rest % sizes[d]
			rest /= sizes[d]
			code := strconv.Itoa(c)
			err1 := rb.Field(2 * d).(*array.BinaryDictionaryBuilder).AppendString(code)
			err2 := rb.Field(2*d + 1).(*array.BinaryDictionaryBuilder).AppendString("label " + code)
			if err1 != nil || err2 != nil {
				b.Fatal(err1, err2)
			}
		}
		if i%17 == 0 {
			rb.Field(8).AppendNull()
			rb.Field(9).(*array.StringBuilder).Append("..")
		} else {
			rb.Field(8).(*array.Float64Builder).Append(float64(i%100000) * 1.5)
			rb.Field(9).AppendNull()
		}
	}
	return rb.NewRecord()
}

type countingDiscard struct{ n int64 }

func (c *countingDiscard) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func benchWrite(b *testing.B, write func(io.Writer, arrow.Record) error) {
	const rows = 1_000_000
	rec := benchRecord(b, rows)
	defer rec.Release()
	b.ResetTimer()
	var bytes int64
	for i := 0; i < b.N; i++ {
		w := &countingDiscard{}
		if err := write(w, rec); err != nil {
			b.Fatal(err)
		}
		bytes = w.n
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(rows)*float64(b.N)/sec, "rows/s")
	b.ReportMetric(float64(bytes)*float64(b.N)/sec/1e6, "MB/s")
	b.ReportMetric(float64(bytes), "bytes/file")
}

// BenchmarkWriteParquet writes 1e6 rows with 4 dimensions. MB/s is of the
// output (zstd-compressed, dictionary-encoded), so it is small; rows/s is the
// figure to watch.
func BenchmarkWriteParquet(b *testing.B) {
	benchWrite(b, func(w io.Writer, rec arrow.Record) error { return WriteParquet(w, rec, map[string]string{"k": "v"}) })
}

// BenchmarkWriteCSV writes the same 1e6 rows as CSV.
func BenchmarkWriteCSV(b *testing.B) {
	benchWrite(b, WriteCSV)
}

// readBenchRows is about the size of the demo's indicator table (564,199
// rows when measured).
const readBenchRows = 600_000

// readBenchFile writes benchRecord's rows plus a bool column (every 50th
// row true) with WriteParquet and returns the file. Synthetic.
func readBenchFile(b *testing.B) []byte {
	b.Helper()
	rec := benchRecord(b, readBenchRows)
	defer rec.Release()
	fb := array.NewBooleanBuilder(memory.DefaultAllocator)
	defer fb.Release()
	for i := 0; i < readBenchRows; i++ {
		fb.Append(i%50 == 0)
	}
	flag := fb.NewArray()
	defer flag.Release()
	fields := append(rec.Schema().Fields(), arrow.Field{Name: "provisional", Type: arrow.FixedWidthTypes.Boolean})
	cols := append(rec.Columns(), flag)
	full := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(readBenchRows))
	defer full.Release()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, full, nil); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func reportRead(b *testing.B, fileBytes int) {
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(readBenchRows)*float64(b.N)/sec, "rows/s")
	b.ReportMetric(float64(fileBytes)*float64(b.N)/sec/1e6, "MB/s")
	b.ReportMetric(float64(fileBytes), "bytes/file")
}

// BenchmarkReadParquet reads a 600,000-row file (8 dictionary columns, a
// float64 with nulls, a utf8 status, a bool) whole. MB/s is of the file.
func BenchmarkReadParquet(b *testing.B) {
	data := readBenchFile(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec, err := ReadParquet(bytes.NewReader(data), int64(len(data)), memory.DefaultAllocator)
		if err != nil {
			b.Fatal(err)
		}
		if rec.NumRows() != readBenchRows {
			b.Fatalf("rows = %d", rec.NumRows())
		}
		rec.Release()
	}
	reportRead(b, len(data))
}

// BenchmarkScanParquet scans the same file in batches of DefaultBatchRows.
func BenchmarkScanParquet(b *testing.B) {
	data := readBenchFile(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rows := int64(0)
		err := ScanParquet(bytes.NewReader(data), int64(len(data)), memory.DefaultAllocator, 0, func(rec arrow.Record) error {
			rows += rec.NumRows()
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		if rows != readBenchRows {
			b.Fatalf("rows = %d", rows)
		}
	}
	reportRead(b, len(data))
}
