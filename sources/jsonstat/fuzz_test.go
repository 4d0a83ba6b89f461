package jsonstat

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// FuzzDecode feeds arbitrary bytes to Decode: it must never panic, and any
// dataset it returns must be self-consistent and convertible to a record.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"class":"dataset","id":["a"],"size":[2],"dimension":{"a":{"category":{"index":{"x":1,"y":0}}}},"value":{"1":2},"status":"e"}`))
	// A small sparse file over a huge declared cube (issue: it exhausted
	// memory): it must be refused, never expanded.
	f.Add(sparseBomb(4, 600, 500))
	// A BOM (skipped) and duplicate keys (refused).
	f.Add([]byte("\uFEFF" + splice("", "", "")))
	f.Add([]byte(splice(`"label":"u",`, `"label":{"x":"X"},`, `,"status":{"1":"..","1":"x"}`)))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := Decode(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, d := range ds {
			n := d.Size()
			if d.HasValues() && (len(d.Values) != n || len(d.Present) != n) {
				t.Fatalf("len(Values), len(Present) = %d, %d, want Size() = %d", len(d.Values), len(d.Present), n)
			}
			if d.Status != nil && len(d.Status) != n {
				t.Fatalf("len(Status) = %d, want %d", len(d.Status), n)
			}
			for i, p := range d.Present {
				if !p && d.Values[i] != 0 {
					t.Fatalf("Values[%d] = %v for a missing cell, want 0", i, d.Values[i])
				}
			}
			if !d.HasValues() || n > 1<<16 {
				continue
			}
			rec, err := d.Record(memory.NewGoAllocator())
			if err != nil {
				continue // column-name clashes are legal errors
			}
			if rec.NumRows() != int64(n) {
				t.Fatalf("NumRows() = %d, want %d", rec.NumRows(), n)
			}
			rec.Release()
		}
	})
}
