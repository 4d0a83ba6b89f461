package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSweepTemp(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(s.Root(), "datasets", "x", "version=20260101T000000Z")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * TempAge)
	files := map[string]bool{ // name -> a temp file left by a killed writer?
		".part-0.parquet.tmp-123": true,
		".part-0.parquet.tmp-456": false, // young: a live writer's
		"part-0.parquet":          false,
		".hidden":                 false,
	}
	for name := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if name != ".part-0.parquet.tmp-456" {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	cat := filepath.Join(s.Root(), ".catalog.json.tmp-9")
	if err := os.WriteFile(cat, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(cat, old, old); err != nil {
		t.Fatal(err)
	}
	removed, err := s.SweepTemp()
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 2 {
		t.Errorf("SweepTemp removed %v, want the two old temp files", removed)
	}
	for name, temp := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if exists := err == nil; exists == temp {
			t.Errorf("%s: exists %v after the sweep, want %v", name, exists, !temp)
		}
	}
}
