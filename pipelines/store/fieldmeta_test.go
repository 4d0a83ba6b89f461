package store

import (
	"bytes"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// labelled returns rec with the field metadata label=<label> on its first
// field (the columns are shared, not copied).
func labelled(rec arrow.Record, label string) arrow.Record {
	fs := append([]arrow.Field(nil), rec.Schema().Fields()...)
	fs[0].Metadata = arrow.NewMetadata([]string{"label", "unit"}, []string{label, "personer"})
	md := rec.Schema().Metadata()
	return array.NewRecord(arrow.NewSchema(fs, &md), rec.Columns(), rec.NumRows())
}

// A field's own metadata (a column's label) survives WriteParquet and
// ReadParquet, is not left in the file's metadata after reading, and a
// changed label changes the content hash (so Publish makes a new version).
func TestFieldMetadataRoundTrip(t *testing.T) {
	base := extendedRecord(t)
	defer base.Release()
	rec := labelled(base, "Kommune (kode)")
	defer rec.Release()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, rec, nil); err != nil {
		t.Fatal(err)
	}
	got, err := ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	f := got.Schema().Field(0)
	if v, ok := f.Metadata.GetValue("label"); !ok || v != "Kommune (kode)" {
		t.Errorf("field %s label = %q, %v, want Kommune (kode)", f.Name, v, ok)
	}
	if v, _ := f.Metadata.GetValue("unit"); v != "personer" {
		t.Errorf("field %s unit = %q, want personer", f.Name, v)
	}
	if n := got.Schema().Field(1).Metadata.Len(); n != 0 {
		t.Errorf("field %s has %d metadata keys, want 0", got.Schema().Field(1).Name, n)
	}
	if got.Schema().Metadata().FindKey(FieldMetadataKey) >= 0 {
		t.Errorf("schema metadata keeps %s, want it on the fields", FieldMetadataKey)
	}
	// A file without field metadata has no such key (older files stay
	// byte-identical).
	buf.Reset()
	if err := WriteParquet(&buf, base, nil); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte(FieldMetadataKey)) {
		t.Errorf("a record without field metadata wrote %s", FieldMetadataKey)
	}
	h1, err := contentHash(rec, nil, DatasetMeta{})
	if err != nil {
		t.Fatal(err)
	}
	other := labelled(base, "Kommune")
	defer other.Release()
	h2, err := contentHash(other, nil, DatasetMeta{})
	if err != nil {
		t.Fatal(err)
	}
	h0, err := contentHash(base, nil, DatasetMeta{})
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 || h0 == h1 {
		t.Errorf("content hashes with labels %q, %q and none = %s, %s, %s, want all different", "Kommune (kode)", "Kommune", h1, h2, h0)
	}
}
