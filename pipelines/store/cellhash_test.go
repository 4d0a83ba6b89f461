package store

import (
	"bytes"
	"crypto/sha256"
	"math"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// hashRecord is a SYNTHETIC record of n rows with every type the fast
// encoders handle, nulls, NaN, ±Inf, −0, long and non-ASCII strings and a
// dictionary with a null, cycling so that every piece of hashRows differs.
func hashRecord(t *testing.T, n int) arrow.Record {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "d", Type: dictType, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "j", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	floats := []float64{0, math.Copysign(0, -1), 1.5, -1e-300, 1e21, math.Inf(1), math.Inf(-1), math.NaN(), 123456789.125, 1.0 / 3}
	words := []string{"5001", "Trøndelag – Trööndelage", "", "a\x00b", "lang tekst " + string(bytes.Repeat([]byte("x"), 300))}
	for r := range n {
		if r%7 == 3 {
			b.Field(0).AppendNull()
		} else {
			mustAppend(t, b.Field(0).(*array.BinaryDictionaryBuilder), words[r%len(words)])
		}
		if r%11 == 5 {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.Float64Builder).Append(floats[r%len(floats)] * float64(r%13+1))
		}
		if r%5 == 4 {
			b.Field(2).AppendNull()
		} else {
			b.Field(2).(*array.Int64Builder).Append(int64(r)*int64(r)*int64(1-2*(r%2)) + math.MinInt64*int64(r%97/96))
		}
		if r%9 == 8 {
			b.Field(3).AppendNull()
		} else {
			b.Field(3).(*array.Int32Builder).Append(int32(r) * int32(1-2*(r%3%2)))
		}
		if r%4 == 1 {
			b.Field(4).AppendNull()
		} else {
			b.Field(4).(*array.StringBuilder).Append(words[(r/3)%len(words)])
		}
		b.Field(5).(*array.BooleanBuilder).Append(r%2 == 0)
	}
	return b.NewRecord()
}

// TestFastCellEncoder: the fast encoders write, cell for cell, the bytes
// of the encoding by text (textCellEncoder, the content hash's definition
// since grunnlag-content-v2), so that no stored content hash changes.
func TestFastCellEncoder(t *testing.T) {
	rec := hashRecord(t, 500)
	defer rec.Release()
	fast := 0
	for j, f := range rec.Schema().Fields() {
		slow, err := textCellEncoder(rec.Column(j))
		if err != nil {
			t.Fatal(err)
		}
		enc := fastCellEncoder(rec.Column(j))
		if enc == nil {
			continue
		}
		fast++
		for i := range int(rec.NumRows()) {
			if got, want := enc(nil, i), slow(nil, i); !bytes.Equal(got, want) {
				t.Fatalf("column %s row %d: %q, by text %q", f.Name, i, got, want)
			}
		}
	}
	if fast != 4 {
		t.Errorf("%d columns with a fast encoder, want 4 (dictionary, float64, int64, int32)", fast)
	}
}

// TestHashRowsInOrder: hashRows gives the hash a row-by-row loop gives,
// for row counts around its pieces (none, one, a piece less one, a piece,
// a piece and one, several and some).
func TestHashRowsInOrder(t *testing.T) {
	for _, n := range []int{0, 1, hashRowsChunk - 1, hashRowsChunk, hashRowsChunk + 1, 3*hashRowsChunk + 17} {
		rec := hashRecord(t, n)
		encs := make([]cellFunc, rec.NumCols())
		for j := range encs {
			var err error
			if encs[j], err = textCellEncoder(rec.Column(j)); err != nil {
				t.Fatal(err)
			}
		}
		want := sha256.New()
		var buf []byte
		for i := range n {
			buf = buf[:0]
			for _, enc := range encs {
				buf = enc(buf, i)
			}
			want.Write(buf)
		}
		for j := range encs {
			var err error
			if encs[j], err = cellEncoder(rec.Column(j)); err != nil {
				t.Fatal(err)
			}
		}
		got := sha256.New()
		hashRows(got, n, encs)
		if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
			t.Errorf("%d rows: hashRows differs from the loop over the rows", n)
		}
		rec.Release()
	}
}
