package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestLayerIDs: a dataset ID behind the harmonised layer prefix is
// published under <kb>/harmonised/<name>/, keyed harmonised/<name> in the
// catalog, read back, and found again when catalog.json is lost; an ID
// whose name part is not a valid name is refused (synthetic data).
func TestLayerIDs(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	s, err := Open(t.TempDir(), WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	rec := makeRecord(t, []cell{{"0301", "Oslo", "2024", 1, ""}})
	defer rec.Release()
	id := LayerID(HarmonisedLayer, "befolkning")
	v, err := s.Publish(context.Background(), id, rec, DatasetMeta{Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "harmonised/befolkning/version=20250102T030405Z/part-0.parquet"; v.Path != want {
		t.Errorf("path = %s, want %s", v.Path, want)
	}
	if _, err := os.Stat(filepath.Join(s.Root(), filepath.FromSlash(v.Path))); err != nil {
		t.Error(err)
	}
	back, err := s.ReadVersion(id, "")
	if err != nil {
		t.Fatal(err)
	}
	if back.NumRows() != 1 {
		t.Errorf("rows = %d, want 1", back.NumRows())
	}
	back.Release()
	if err := os.Remove(filepath.Join(s.Root(), "catalog.json")); err != nil {
		t.Fatal(err)
	}
	cat, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if cat.Datasets[id].CurrentVersion() == nil {
		t.Errorf("rebuilt catalog lacks %s: %v", id, cat.Datasets)
	}
	for _, bad := range []string{"harmonised/", "harmonised/../x", "harmonised/a/b", "other/x"} {
		if _, err := s.Publish(context.Background(), bad, rec, DatasetMeta{}); err == nil {
			t.Errorf("Publish(%q) = nil error, want an invalid id", bad)
		}
	}
	for _, tt := range []struct{ id, layer, name string }{
		{"befolkning", "", "befolkning"}, {"harmonised/befolkning", HarmonisedLayer, "befolkning"},
	} {
		if l, n := LayerOf(tt.id); l != tt.layer || n != tt.name {
			t.Errorf("LayerOf(%q) = %q, %q; want %q, %q", tt.id, l, n, tt.layer, tt.name)
		}
	}
}
