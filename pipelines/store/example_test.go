package store_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// record builds a tiny synthetic dataset: region with label, value, status.
func record(values ...float64) arrow.Record {
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "region", Type: dict},
		{Name: "region_label", Type: dict},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i, code := range []string{"5001", "5007"} {
		_ = b.Field(0).(*array.BinaryDictionaryBuilder).AppendString(code)
		_ = b.Field(1).(*array.BinaryDictionaryBuilder).AppendString(map[string]string{"5001": "Trondheim", "5007": "Namsos"}[code])
		b.Field(2).(*array.Float64Builder).Append(values[i])
		b.Field(3).AppendNull()
	}
	return b.NewRecord()
}

func Example() {
	dir, err := os.MkdirTemp("", "kb")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	now := time.Date(2026, 1, 15, 8, 15, 0, 0, time.UTC)
	kb, err := store.Open(dir, store.WithClock(func() time.Time { return now }))
	if err != nil {
		log.Fatal(err)
	}
	unlock, err := kb.Lock(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	defer unlock()

	meta := store.DatasetMeta{Source: "ssb", Table: "07459", Title: "Befolkning", Unit: "personer", Synthetic: true}
	for _, values := range [][]float64{{214565, 15191}, {214565, 15200}, {214565, 15200}} {
		rec := record(values...)
		v, err := kb.Publish(context.Background(), "befolkning", rec, meta)
		rec.Release()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s unchanged=%v diff=%+v\n", v.Path, v.Unchanged, v.Diff)
		now = now.Add(time.Hour)
	}

	cat, err := kb.Catalog()
	if err != nil {
		log.Fatal(err)
	}
	e := cat.Datasets["befolkning"]
	fmt.Println("current:", e.Current, "versions:", len(e.Versions), "last checked:", e.LastChecked.Format(time.RFC3339))
	// Output:
	// datasets/befolkning/version=20260115T081500Z/part-0.parquet unchanged=false diff={Added:2 Removed:0 Revised:0 Unchanged:0}
	// datasets/befolkning/version=20260115T091500Z/part-0.parquet unchanged=false diff={Added:0 Removed:0 Revised:1 Unchanged:1}
	// datasets/befolkning/version=20260115T091500Z/part-0.parquet unchanged=true diff={Added:0 Removed:0 Revised:1 Unchanged:1}
	// current: 20260115T091500Z versions: 2 last checked: 2026-01-15T10:15:00Z
}

func ExampleWriteCSV() {
	rec := record(214565, 15191)
	defer rec.Release()
	if err := store.WriteCSV(os.Stdout, rec); err != nil {
		log.Fatal(err)
	}
	// Output:
	// region,region_label,value,status
	// 5001,Trondheim,214565,
	// 5007,Namsos,15191,
}
