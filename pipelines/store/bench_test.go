package store

import (
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
