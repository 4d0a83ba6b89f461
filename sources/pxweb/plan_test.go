package pxweb

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	// Every want below is hand-computed (reasoning in the comment) and was
	// confirmed by exhaustive enumeration of all block-count vectors.
	tests := []struct {
		name     string
		sizes    []int
		max      int
		time     int
		want     []int
		requests int
	}{
		// Fits in one request: 5*4 = 20 <= 20.
		{"fits", []int{5, 4}, 20, 1, []int{1, 1}, 1},
		// One variable: blocks of at most 3 -> ceil(10/3) = 4 requests.
		{"one variable", []int{10}, 3, 0, []int{4}, 4},
		// Region 12, Kjonn 3, ContentsCode 2, Tid 10 = 720 cells, max 100:
		// at least ceil(720/100) = 8 requests. Time alone needs 1-period
		// blocks (72 cells) = 10 requests; Region 4x3 by Tid 2x5 = 90 cells
		// in 8 requests. Ties (4,1,2,1) and (2,1,2,2) lose: Tid preferred,
		// fewer variables cut.
		{"time alone is worse", []int{12, 3, 2, 10}, 100, 3, []int{4, 1, 1, 2}, 8},
		// [7,7], max 10: one variable in 7 blocks of 1 (7 cells) = 7; any
		// two-way cut needs >= 8 (e.g. 4x2 blocks of 2x4 = 8 cells). Tie
		// (1,7)/(7,1): the time variable (index 1) is preferred.
		{"tie goes to time", []int{7, 7}, 10, 1, []int{1, 7}, 7},
		{"tie goes to first without time", []int{7, 7}, 10, -1, []int{7, 1}, 7},
		// Region 50, Tid 3, max 10: time alone is impossible (50 > 10).
		// Region blocks of 10 (5) x Tid blocks of 1 (3) = 15 =
		// ceil(150/10), the lower bound.
		{"time alone impossible", []int{50, 3}, 10, 1, []int{5, 3}, 15},
		// SCB TAB6471 sizes [312,134,3,1,16] (PROVENANCE.md), SCB
		// maxDataCells 150000 (config.json): 2,006,784 cells, at least
		// ceil(13.38) = 14 requests. Time alone: 312*134*3 = 125,424 per
		// period = 16 requests. Region in 14 blocks of <= 23: 23*134*3*16 =
		// 147,936 <= 150000 in 14 requests; of the 6 plans with 14, two
		// cut one variable (Region 14 or Alder 14); Region is larger.
		{"TAB6471", []int{312, 134, 3, 1, 16}, 150000, 4, []int{14, 1, 1, 1, 1}, 14},
		// Single cells: 2*2 = 4 requests of 1 cell.
		{"one cell per request", []int{2, 2}, 1, -1, []int{2, 2}, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Split(tc.sizes, tc.max, tc.time)
			if err != nil {
				t.Fatalf("Split(%v, %d, %d) error %v", tc.sizes, tc.max, tc.time, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Split(%v, %d, %d) = %v, want %v", tc.sizes, tc.max, tc.time, got, tc.want)
			}
			if r := product(got); r != tc.requests {
				t.Errorf("requests = %d, want %d", r, tc.requests)
			}
		})
	}
}

func TestSplitErrors(t *testing.T) {
	for _, tc := range []struct {
		sizes []int
		max   int
	}{{[]int{3}, 0}, {[]int{0, 2}, 10}} {
		if _, err := Split(tc.sizes, tc.max, -1); err == nil {
			t.Errorf("Split(%v, %d) = nil error, want error", tc.sizes, tc.max)
		}
	}
}

func product(b []int) int {
	p := 1
	for _, v := range b {
		p *= v
	}
	return p
}

func chunkCells(sizes, b []int) int {
	c := 1
	for i := range sizes {
		c *= (sizes[i] + b[i] - 1) / b[i]
	}
	return c
}

// TestSplitExhaustive compares Split with brute force over every block-count
// vector on random small problems: same minimal request count, within limit.
func TestSplitExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 300; iter++ {
		k := 1 + r.IntN(4)
		sizes := make([]int, k)
		total := 1
		for i := range sizes {
			sizes[i] = 1 + r.IntN(9)
			total *= sizes[i]
		}
		maxCells := 1 + r.IntN(total)
		got, err := Split(sizes, maxCells, r.IntN(k+1)-1)
		if err != nil {
			t.Fatalf("Split(%v, %d) error %v", sizes, maxCells, err)
		}
		best := -1
		b := make([]int, k)
		var walk func(i int)
		walk = func(i int) {
			if i == k {
				if chunkCells(sizes, b) <= maxCells && (best < 0 || product(b) < best) {
					best = product(b)
				}
				return
			}
			for v := 1; v <= sizes[i]; v++ {
				b[i] = v
				walk(i + 1)
			}
		}
		walk(0)
		if product(got) != best || chunkCells(sizes, got) > maxCells {
			t.Fatalf("Split(%v, %d) = %v (%d requests, %d cells), want %d requests", sizes, maxCells, got,
				product(got), chunkCells(sizes, got), best)
		}
	}
}

func TestMakeChunks(t *testing.T) {
	// Region 5 codes in 2 blocks (3+2), Tid 3 codes in 1 block: 2 chunks of
	// 9 and 6 cells, first block first.
	p := &Plan{Vars: []PlanVar{
		{Variable: "Region", Codes: []string{"a", "b", "c", "d", "e"}, Blocks: 2},
		{Variable: "Tid", Codes: []string{"2020", "2021", "2022"}, Blocks: 1, Time: true},
	}}
	p.makeChunks()
	if p.Cells != 15 || len(p.Chunks) != 2 {
		t.Fatalf("makeChunks: %d cells, %d chunks, want 15, 2", p.Cells, len(p.Chunks))
	}
	var got []string
	for _, ch := range p.Chunks {
		got = append(got, fmt.Sprintf("%v|%v|%d", ch.Selection[0].ValueCodes, ch.Selection[1].ValueCodes, ch.Cells))
	}
	want := []string{"[a b c]|[2020 2021 2022]|9", "[d e]|[2020 2021 2022]|6"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("chunks = %v, want %v", got, want)
	}
	if s := p.String(); !strings.Contains(s, "2 requests") || !strings.Contains(s, "Region: 5 values in 2 blocks") {
		t.Errorf("Plan.String() = %q, want request count and per-variable blocks", s)
	}
}

func TestHalve(t *testing.T) {
	ch := Chunk{Cells: 30, Selection: Selection{
		{Variable: "A", ValueCodes: []string{"1", "2", "3"}},
		{Variable: "B", ValueCodes: []string{"x", "y", "z", "w", "v"}},
		{Variable: "C", ValueCodes: []string{"k", "l"}},
	}}
	a, b, ok := ch.halve()
	if !ok {
		t.Fatal("halve() not ok")
	}
	// B (5 codes) is the largest: 3 + 2 codes, 3*3*2 = 18 and 3*2*2 = 12 cells.
	if a.Cells != 18 || b.Cells != 12 ||
		!reflect.DeepEqual(a.Selection[1].ValueCodes, []string{"x", "y", "z"}) ||
		!reflect.DeepEqual(b.Selection[1].ValueCodes, []string{"w", "v"}) {
		t.Errorf("halve() = %v (%d), %v (%d)", a.Selection, a.Cells, b.Selection, b.Cells)
	}
	if len(ch.Selection[1].ValueCodes) != 5 {
		t.Errorf("halve modified its receiver")
	}
	one := Chunk{Cells: 1, Selection: Selection{{Variable: "A", ValueCodes: []string{"1"}}}}
	if _, _, ok := one.halve(); ok {
		t.Errorf("halve() of a one-cell chunk ok, want not ok")
	}
}

func BenchmarkSplit(b *testing.B) {
	sizes := []int{356, 134, 3, 12, 16}
	for i := 0; i < b.N; i++ {
		if _, err := Split(sizes, 150000, 4); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "plans/s")
}
