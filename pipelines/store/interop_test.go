package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// TestArrowParquetReadsPublishedFile is the proof that a Parquet
// implementation other than parquet-go (Apache Arrow's Go reader) reads a
// published file: schema, key-value metadata, row count, nulls and values.
// Expected values are those of baseCells (synthetic).
func TestArrowParquetReadsPublishedFile(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rec := makeRecord(t, baseCells)
	defer rec.Release()
	v, err := s.Publish(context.Background(), "befolkning", rec, DatasetMeta{
		Source: "ssb", Table: "07459", Title: "Befolkning", Unit: "personer",
		Updated: "2024-02-21T07:00:00Z", Snapshots: []string{"aa", "bb"},
		Licence: "NLOD 2.0", Attribution: "Statistisk sentralbyrå", Synthetic: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	pr, err := file.OpenParquetFile(filepath.Join(s.Root(), filepath.FromSlash(v.Path)), false)
	if err != nil {
		t.Fatalf("arrow parquet: open: %v", err)
	}
	defer pr.Close()

	if got := pr.NumRows(); got != 4 {
		t.Errorf("NumRows() = %d, want 4", got)
	}
	kv := pr.MetaData().KeyValueMetadata()
	for k, want := range map[string]string{
		"source": "ssb", "table": "07459", "title": "Befolkning", "unit": "personer",
		"updated": "2024-02-21T07:00:00Z", "snapshots": "aa,bb", "licence": "NLOD 2.0",
		"attribution": "Statistisk sentralbyrå", "synthetic": "true", "dataset": "befolkning",
		"version": v.Stamp, "key_columns": "region,year", "jsonstat.label": "Syntetisk tabell",
		ArrowTypesKey: "dictionary,dictionary,dictionary,dictionary,float64,utf8",
	} {
		got := kv.FindValue(k)
		if got == nil || *got != want {
			t.Errorf("key-value %q = %v, want %q", k, got, want)
		}
	}
	// Encodings and compression as written.
	rg := pr.MetaData().RowGroup(0)
	for i := 0; i < rg.NumColumns(); i++ {
		cc, err := rg.ColumnChunk(i)
		if err != nil {
			t.Fatal(err)
		}
		if cc.Compression().String() != "ZSTD" {
			t.Errorf("column %d compression = %s, want ZSTD", i, cc.Compression())
		}
		if i < 4 || i == 5 { // string columns
			found := false
			for _, e := range cc.Encodings() {
				if e == parquet.Encodings.RLEDict {
					found = true
				}
			}
			if !found {
				t.Errorf("column %d encodings = %v, want RLE_DICTIONARY among them", i, cc.Encodings())
			}
		}
	}

	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{BatchSize: 1024}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatalf("pqarrow ReadTable: %v", err)
	}
	defer tbl.Release()

	wantFields := []struct {
		name     string
		typ      arrow.Type
		nullable bool
	}{
		{"region", arrow.STRING, false}, {"region_label", arrow.STRING, false},
		{"year", arrow.STRING, false}, {"year_label", arrow.STRING, false},
		{"value", arrow.FLOAT64, true}, {"status", arrow.STRING, true},
	}
	sch := tbl.Schema()
	if sch.NumFields() != len(wantFields) {
		t.Fatalf("schema has %d fields, want %d: %s", sch.NumFields(), len(wantFields), sch)
	}
	for i, w := range wantFields {
		f := sch.Field(i)
		if f.Name != w.name || f.Type.ID() != w.typ || f.Nullable != w.nullable {
			t.Errorf("field %d = %s %s nullable=%v, want %s %s nullable=%v", i, f.Name, f.Type, f.Nullable, w.name, w.typ, w.nullable)
		}
	}
	if tbl.NumRows() != 4 {
		t.Fatalf("table rows = %d, want 4", tbl.NumRows())
	}
	region := tbl.Column(0).Data().Chunk(0).(*array.String)
	label := tbl.Column(1).Data().Chunk(0).(*array.String)
	value := tbl.Column(4).Data().Chunk(0).(*array.Float64)
	status := tbl.Column(5).Data().Chunk(0).(*array.String)
	if region.Value(2) != "5007" || label.Value(2) != "Namsos" {
		t.Errorf("row 2 region = %q %q, want 5007 Namsos", region.Value(2), label.Value(2))
	}
	if value.IsNull(1) || value.Value(1) != 1010.5 {
		t.Errorf("row 1 value = %v (null %v), want 1010.5", value.Value(1), value.IsNull(1))
	}
	if !value.IsNull(3) {
		t.Errorf("row 3 value = %v, want null (status ..)", value.Value(3))
	}
	if status.IsNull(3) || status.Value(3) != ".." {
		t.Errorf("row 3 status null=%v %q, want \"..\"", status.IsNull(3), status.Value(3))
	}
	if !status.IsNull(0) {
		t.Errorf("row 0 status = %q, want null", status.Value(0))
	}
	if value.NullN() != 1 || status.NullN() != 2 {
		t.Errorf("nulls: value %d, status %d; want 1, 2", value.NullN(), status.NullN())
	}
	if _, err := os.Stat(filepath.Join(s.Root(), "catalog.json")); err != nil {
		t.Error(err)
	}
}
