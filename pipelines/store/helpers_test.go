package store

import (
	"math"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// cell is one row of a synthetic test dataset shaped like
// jsonstat.Dataset.Record: two dimensions (region, year) with labels, value
// and status. All test data in this package is synthetic.
type cell struct {
	region, regionLabel, year string
	value                     float64 // NaN => null
	status                    string  // "" => null
}

var dictType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

func cellSchema() *arrow.Schema {
	md := arrow.NewMetadata([]string{"jsonstat.label", "jsonstat.source"}, []string{"Syntetisk tabell", "testkilde"})
	return arrow.NewSchema([]arrow.Field{
		{Name: "region", Type: dictType, Nullable: false},
		{Name: "region_label", Type: dictType, Nullable: false},
		{Name: "year", Type: dictType, Nullable: false},
		{Name: "year_label", Type: dictType, Nullable: false},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
	}, &md)
}

func makeRecord(t testing.TB, cells []cell) arrow.Record {
	t.Helper()
	b := array.NewRecordBuilder(memory.DefaultAllocator, cellSchema())
	defer b.Release()
	for _, c := range cells {
		mustAppend(t, b.Field(0).(*array.BinaryDictionaryBuilder), c.region)
		mustAppend(t, b.Field(1).(*array.BinaryDictionaryBuilder), c.regionLabel)
		mustAppend(t, b.Field(2).(*array.BinaryDictionaryBuilder), c.year)
		mustAppend(t, b.Field(3).(*array.BinaryDictionaryBuilder), c.year)
		if math.IsNaN(c.value) {
			b.Field(4).AppendNull()
		} else {
			b.Field(4).(*array.Float64Builder).Append(c.value)
		}
		if c.status == "" {
			b.Field(5).AppendNull()
		} else {
			b.Field(5).(*array.StringBuilder).Append(c.status)
		}
	}
	return b.NewRecord()
}

func mustAppend(t testing.TB, b *array.BinaryDictionaryBuilder, s string) {
	t.Helper()
	if err := b.AppendString(s); err != nil {
		t.Fatal(err)
	}
}

var nan = math.NaN()

// baseCells is the first version of the synthetic dataset: 4 cells, one
// missing with status "..".
var baseCells = []cell{
	{"5001", "Trondheim", "2023", 1000, ""},
	{"5001", "Trondheim", "2024", 1010.5, "p"},
	{"5007", "Namsos", "2023", 200, ""},
	{"5007", "Namsos", "2024", nan, ".."},
}
