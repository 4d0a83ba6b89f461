package store

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// writeRead writes rec with WriteParquet and reads it back with
// ReadParquet and as a parquet-go file (for its metadata).
func writeRead(t *testing.T, rec arrow.Record) (arrow.Record, *parquet.File) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, rec, nil); err != nil {
		t.Fatal(err)
	}
	got, err := ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(got.Release)
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return got, f
}

// dictOf builds a dictionary array with the given index type from a
// dictionary and indices (-1 = null). Synthetic.
func dictOf(t *testing.T, idxType arrow.DataType, dict []string, idx []int) arrow.Array {
	t.Helper()
	db := array.NewStringBuilder(memory.DefaultAllocator)
	defer db.Release()
	db.AppendValues(dict, nil)
	d := db.NewArray()
	defer d.Release()
	ib := array.NewBuilder(memory.DefaultAllocator, idxType)
	defer ib.Release()
	for _, k := range idx {
		if k < 0 {
			ib.AppendNull()
			continue
		}
		switch b := ib.(type) {
		case *array.Int8Builder:
			b.Append(int8(k))
		case *array.Uint16Builder:
			b.Append(uint16(k))
		case *array.Int64Builder:
			b.Append(int64(k))
		}
	}
	ia := ib.NewArray()
	defer ia.Release()
	return array.NewDictionaryArray(&arrow.DictionaryType{IndexType: idxType, ValueType: arrow.BinaryTypes.String}, ia, d)
}

// TestWriteParquetDictionaryIndexTypes writes dictionary columns whose
// indices are int8, uint16 and int64 (arrow allows any integer type) and
// reads back the strings each row's index names, nulls included. The
// expected strings are read off the indices by hand.
func TestWriteParquetDictionaryIndexTypes(t *testing.T) {
	dict := []string{"5001", "1702", "5007"}
	idx := []int{2, 0, -1, 1, 2}
	cols := []arrow.Array{
		dictOf(t, arrow.PrimitiveTypes.Int8, dict, idx),
		dictOf(t, arrow.PrimitiveTypes.Uint16, dict, idx),
		dictOf(t, arrow.PrimitiveTypes.Int64, dict, idx),
	}
	for _, c := range cols {
		defer c.Release()
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: cols[0].DataType(), Nullable: true},
		{Name: "b", Type: cols[1].DataType(), Nullable: true},
		{Name: "c", Type: cols[2].DataType(), Nullable: true},
	}, nil)
	rec := array.NewRecord(schema, cols, int64(len(idx)))
	defer rec.Release()
	got, _ := writeRead(t, rec)
	want := []string{"5007", "5001", "", "1702", "5007"} // "" = null
	for _, name := range []string{"a", "b", "c"} {
		col, err := StringColumn(got, name)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Column(got.Schema().FieldIndices(name)[0]).IsNull(2) {
			t.Errorf("column %s row 2 is not null", name)
		}
		for i, w := range want {
			if g := col(i); g != w {
				t.Errorf("column %s row %d = %q, want %q", name, i, g, w)
			}
		}
	}

	// An index outside the dictionary is an error naming column and row.
	bad := dictOf(t, arrow.PrimitiveTypes.Int8, dict, []int{0, 3})
	defer bad.Release()
	brec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "kommune", Type: bad.DataType()}}, nil), []arrow.Array{bad}, 2)
	defer brec.Release()
	err := WriteParquet(&bytes.Buffer{}, brec, nil)
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte(`column "kommune": row 1`)) {
		t.Errorf("WriteParquet(index 3 of 3) = %v, want an error naming column \"kommune\" row 1", err)
	}
}

// chunkEncodings returns the encodings of column col's chunk in row group 0.
func chunkEncodings(f *parquet.File, col int) []format.Encoding {
	return f.Metadata().RowGroups[0].Columns[col].MetaData.Encoding
}

// TestWriteParquetFloatDictionary checks that a float64 column with few
// distinct values is dictionary-encoded and one with many is PLAIN, and
// that both read back bit for bit (-0 stays -0, NaN and null become
// null).
func TestWriteParquetFloatDictionary(t *testing.T) {
	negZero := math.Copysign(0, -1)
	// few: 10 rows, 3 distinct values (0, -0, 2.5), at most 10/2 = 5.
	few := []float64{0, negZero, 2.5, 2.5, 0, math.NaN(), 2.5, 0, negZero, 2.5}
	// many: 10 rows, 10 distinct values, more than 5.
	many := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10.125}
	valid := []bool{true, true, true, false, true, true, true, true, true, true}
	fb := array.NewFloat64Builder(memory.DefaultAllocator)
	defer fb.Release()
	fb.AppendValues(few, valid)
	fa := fb.NewArray()
	defer fa.Release()
	fb.AppendValues(many, nil)
	ma := fb.NewArray()
	defer ma.Release()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "few", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "many", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	rec := array.NewRecord(schema, []arrow.Array{fa, ma}, 10)
	defer rec.Release()
	got, f := writeRead(t, rec)

	if e := chunkEncodings(f, 0); !slices.Contains(e, format.RLEDictionary) {
		t.Errorf("few: encodings %v, want RLE_DICTIONARY among them", e)
	}
	if e := chunkEncodings(f, 1); slices.Contains(e, format.RLEDictionary) {
		t.Errorf("many: encodings %v, want no dictionary", e)
	}
	for c, in := range [][]float64{few, many} {
		col := got.Column(c).(*array.Float64)
		for i, w := range in {
			null := math.IsNaN(w) || (c == 0 && !valid[i])
			switch {
			case null && !col.IsNull(i):
				t.Errorf("column %d row %d = %v, want null", c, i, col.Value(i))
			case !null && (col.IsNull(i) || math.Float64bits(col.Value(i)) != math.Float64bits(w)):
				t.Errorf("column %d row %d = %v (null %v), want %v (bits %x)", c, i, col.Value(i), col.IsNull(i), w, math.Float64bits(w))
			}
		}
	}
}
