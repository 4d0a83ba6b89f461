package jsonstat

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// sparseBomb returns a synthetic JSON-stat 2.0 dataset of about 258 KB
// whose value is a sparse object of nPresent cells over a declared cube of
// dims dimensions with n categories each (n^dims cells). It is the shape of
// the file that made convert die with "fatal error: out of memory": small
// on disk, astronomically large once held densely.
func sparseBomb(dims, n, nPresent int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"version":"2.0","class":"dataset","label":"synthetic sparse cube (test fixture)","id":[`)
	for k := 0; k < dims; k++ {
		if k > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"d%d"`, k)
	}
	b.WriteString(`],"size":[`)
	for k := 0; k < dims; k++ {
		if k > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d", n)
	}
	b.WriteString(`],"dimension":{`)
	for k := 0; k < dims; k++ {
		if k > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"d%d":{"category":{"index":[`, k)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"%d"`, i)
		}
		b.WriteString(`]}}`)
	}
	b.WriteString(`},"value":{`)
	for i := 0; i < nPresent; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":%d`, i*7919, i)
	}
	b.WriteString(`}}`)
	return b.Bytes()
}

// TestSparseCubeUnderMemoryCeiling decodes a 258 KB sparse file declaring
// 125^4 = 244 140 625 cells (15 000 of them present; under the old 2^28
// bound, so the old decoder went on to allocate 2.2 GB of dense columns)
// under a 256 MiB soft memory limit and checks that
// it is refused with an *Error naming the dimensions and sizes, and that
// the refusal allocated little (before the fix, Decode tried to allocate
// the dense cube and the runtime died with "out of memory").
func TestSparseCubeUnderMemoryCeiling(t *testing.T) {
	file := sparseBomb(4, 125, 15000)
	if len(file) < 200<<10 || len(file) > 320<<10 {
		t.Fatalf("fixture is %d bytes, want about 258 KB", len(file))
	}
	old := debug.SetMemoryLimit(256 << 20)
	defer debug.SetMemoryLimit(old)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Decode(bytes.NewReader(file))
	runtime.ReadMemStats(&after)

	var je *Error
	if !errors.As(err, &je) || !errors.Is(err, ErrTooManyCells) {
		t.Fatalf("Decode(sparse 125^4 cube) error = %v, want an *Error of class ErrTooManyCells", err)
	}
	for _, want := range []string{`d0 (125) × d1 (125) × d2 (125) × d3 (125) = 244140625 cells`, "over the limit of 10000000 cells", "refused before allocating"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	// The file itself is 0.26 MB; the decoder's token stream and the
	// sparse index lists cost a small multiple of that. 64 MiB is far
	// below the dense cube (244 M cells × 9 bytes = 2.2 GB of values and
	// presence flags alone).
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("Decode allocated %d MiB before refusing, want under 64 MiB", got>>20)
	}
	if after.HeapAlloc > 256<<20 {
		t.Errorf("heap is %d MiB after the refusal, want under the 256 MiB ceiling", after.HeapAlloc>>20)
	}
}

// TestCellLimit checks the limit's edges with small cubes: exactly at the
// limit decodes, one over is refused, the budget is shared across a
// collection's datasets, and metadata-only datasets cost nothing.
func TestCellLimit(t *testing.T) {
	ds := func(label string, n int, value string) string {
		codes := make([]string, n)
		for i := range codes {
			codes[i] = fmt.Sprintf(`"%d"`, i)
		}
		return fmt.Sprintf(`{"class":"dataset","label":%q,"id":["a","b"],"size":[%d,%d],"dimension":{"a":{"category":{"index":[%s]}},"b":{"category":{"index":[%s]}}},"value":%s}`,
			label, n, n, strings.Join(codes, ","), strings.Join(codes, ","), value)
	}
	coll := func(items ...string) string {
		return `{"version":"2.0","class":"collection","link":{"item":[` + strings.Join(items, ",") + `]}}`
	}
	tests := []struct {
		name  string
		doc   string
		max   int
		want  string // "" for success
		cells int    // total cells decoded on success
	}{
		// 10 × 10 = 100 cells, limit 100: allowed.
		{"at the limit", ds("x", 10, `{"0":1}`), 100, "", 100},
		// 100 cells, limit 99: refused.
		{"one over", ds("x", 10, `{"0":1}`), 99, "a (10) × b (10) = 100 cells is over the limit of 99", 0},
		// Two datasets of 7 × 7 = 49 cells: 98 fit in 98, not in 97.
		{"collection fits", coll(ds("p", 7, `{"1":2}`), ds("q", 7, `{"2":3}`)), 98, "", 98},
		{"collection over", coll(ds("p", 7, `{"1":2}`), ds("q", 7, `{"2":3}`)), 97, "with 49 cells in earlier datasets", 0},
		// A metadata-only dataset (value []) allocates nothing.
		{"metadata only", ds("m", 1000, `[]`), 10, "", 0},
		// A sparse object over a cube of 1000 × 1000 under the default.
		{"default", ds("d", 1000, `{"999999":5}`), 0, "", 1000000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeWith(strings.NewReader(tt.doc), Options{MaxCells: tt.max})
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("DecodeWith(max %d) error = %v, want it to say %q", tt.max, err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeWith(max %d) = %v", tt.max, err)
			}
			cells := 0
			for _, d := range got {
				cells += len(d.Values)
			}
			if cells != tt.cells {
				t.Errorf("decoded %d cells, want %d", cells, tt.cells)
			}
		})
	}
}
