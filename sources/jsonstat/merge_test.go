package jsonstat

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// slice returns the sub-dataset of d with the given category positions per
// dimension (nil = all), in the given order; used to fake the chunks of a
// split query.
func slice(d *Dataset, keep [][]int) *Dataset {
	out := &Dataset{Label: d.Label}
	for k, dim := range d.Dims {
		pos := keep[k]
		if pos == nil {
			for i := range dim.Codes {
				pos = append(pos, i)
			}
			keep[k] = pos
		}
		nd := &Dimension{ID: dim.ID, Label: dim.Label}
		for _, p := range pos {
			nd.Codes = append(nd.Codes, dim.Codes[p])
			nd.Labels = append(nd.Labels, dim.Labels[p])
		}
		out.Dims = append(out.Dims, nd)
	}
	n := out.Size()
	out.Values = make([]float64, n)
	out.Present = make([]bool, n)
	if d.Status != nil {
		out.Status = make([]string, n)
	}
	coords := make([]int, len(keep))
	src := make([]int, len(keep))
	for i := 0; i < n; i++ {
		for k := range coords {
			src[k] = keep[k][coords[k]]
		}
		j := d.Index(src)
		out.Values[i], out.Present[i] = d.Values[j], d.Present[j]
		if d.Status != nil {
			out.Status[i] = d.Status[j]
		}
		for k := len(coords) - 1; k >= 0; k-- {
			coords[k]++
			if coords[k] < len(keep[k]) {
				break
			}
			coords[k] = 0
		}
	}
	return out
}

func TestMerge(t *testing.T) {
	oecd := decodeOne(t, "oecd.json") // concept(1) × area(36) × year(12)
	areas := func(from, to int) []int {
		var p []int
		for i := from; i < to; i++ {
			p = append(p, i)
		}
		return p
	}
	t.Run("split by area, parts out of order", func(t *testing.T) {
		parts := []*Dataset{
			slice(oecd, [][]int{nil, areas(20, 36), nil}),
			slice(oecd, [][]int{nil, {5, 3, 4, 0, 1, 2, 6, 7, 8, 9}, nil}), // categories shuffled
			slice(oecd, [][]int{nil, areas(10, 20), nil}),
		}
		got, err := Merge(oecd, parts)
		if err != nil {
			t.Fatalf("Merge() error: %v", err)
		}
		if !reflect.DeepEqual(got.Dims[1].Codes, oecd.Dims[1].Codes) || !reflect.DeepEqual(got.Values, oecd.Values) ||
			!reflect.DeepEqual(got.Present, oecd.Present) || !reflect.DeepEqual(got.Status, oecd.Status) {
			t.Errorf("Merge(split oecd) differs from oecd")
		}
		if got.Label != oecd.Label || !reflect.DeepEqual(got.Role, oecd.Role) {
			t.Errorf("Merge() label, role = %q %v, want %q %v", got.Label, got.Role, oecd.Label, oecd.Role)
		}
	})
	t.Run("split by area and year, subset", func(t *testing.T) {
		// Areas {2, 0} × years {11, 0..5} in two parts by year, then
		// areas {1} in one part: 3 areas × 7 years, in shape order.
		parts := []*Dataset{
			slice(oecd, [][]int{nil, {2, 0, 1}, {11}}),
			slice(oecd, [][]int{nil, {2, 0, 1}, {0, 1, 2, 3, 4, 5}}),
		}
		got, err := Merge(oecd, parts)
		if err != nil {
			t.Fatalf("Merge() error: %v", err)
		}
		wantAreas := oecd.Dims[1].Codes[:3]
		wantYears := append(append([]string{}, oecd.Dims[2].Codes[:6]...), oecd.Dims[2].Codes[11])
		if !reflect.DeepEqual(got.Dims[1].Codes, wantAreas) || !reflect.DeepEqual(got.Dims[2].Codes, wantYears) {
			t.Fatalf("Merge() codes = %v %v, want %v %v", got.Dims[1].Codes, got.Dims[2].Codes, wantAreas, wantYears)
		}
		// Every cell equals the original at the same codes.
		for a := 0; a < 3; a++ {
			for y, yc := range []int{0, 1, 2, 3, 4, 5, 11} {
				g := got.Values[got.Index([]int{0, a, y})]
				w := oecd.Values[oecd.Index([]int{0, a, yc})]
				if g != w {
					t.Errorf("value(%s, %s) = %v, want %v", wantAreas[a], wantYears[y], g, w)
				}
			}
		}
	})
	t.Run("dimension order differs in a part", func(t *testing.T) {
		p := slice(oecd, [][]int{nil, nil, nil})
		// Rebuild p with dimensions (year, area, concept).
		q := &Dataset{Dims: []*Dimension{p.Dims[2], p.Dims[1], p.Dims[0]}}
		q.Values = make([]float64, q.Size())
		q.Present = make([]bool, q.Size())
		for a := 0; a < 36; a++ {
			for y := 0; y < 12; y++ {
				i, j := q.Index([]int{y, a, 0}), p.Index([]int{0, a, y})
				q.Values[i], q.Present[i] = p.Values[j], p.Present[j]
			}
		}
		got, err := Merge(oecd, []*Dataset{q})
		if err != nil {
			t.Fatalf("Merge() error: %v", err)
		}
		if !reflect.DeepEqual(got.Values, oecd.Values) || got.Status != nil {
			t.Errorf("Merge(transposed) values differ or status not nil")
		}
	})
}

func TestMergeErrors(t *testing.T) {
	oecd := decodeOne(t, "oecd.json")
	meta := *oecd
	meta.Values, meta.Present, meta.Status = nil, nil, nil
	tests := []struct {
		name  string
		parts []*Dataset
		index int
		msg   string
	}{
		{"overlap", []*Dataset{
			slice(oecd, [][]int{nil, {0, 1}, nil}),
			slice(oecd, [][]int{nil, {1, 2}, nil}),
		}, 12, "cell (concept=UNR, area=AT, year=2003) is in part 0 and part 1"},
		{"gap", []*Dataset{
			slice(oecd, [][]int{nil, {0, 1}, {0, 1}}),
			slice(oecd, [][]int{nil, {0}, {2}}),
		}, 5, "cell (concept=UNR, area=AT, year=2005) is in no part"},
		{"metadata part", []*Dataset{&meta}, -1, "part 0 has no values"},
		{"no parts", nil, -1, "no parts"},
	}
	// Index of the overlap: area AT is position 1, year 2003 position 0,
	// so 1*12+0 = 12 in a 3-area output. Gap: output is 2 areas × 3 years
	// and AT (1) × 2005 (2) is 1*3+2 = 5.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge(&meta, tt.parts)
			var e *Error
			if !errors.As(err, &e) || e.Index != tt.index || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("Merge() error = %v, want *Error index %d containing %q", err, tt.index, tt.msg)
			}
		})
	}
	unknown := slice(oecd, [][]int{nil, {0}, {0}})
	unknown.Dims[1].Codes = []string{"XX"}
	if _, err := Merge(&meta, []*Dataset{unknown}); err == nil || !strings.Contains(err.Error(), `"XX"`) {
		t.Errorf("Merge(unknown category) error = %v, want one naming \"XX\"", err)
	}
}
