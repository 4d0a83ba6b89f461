package build

import (
	"math"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
)

// assembleRows are SYNTHETIC rows of three indicators with nulls (empty
// category, comparator, flags; NaN values; zero ranks), a value shared by
// every row (the unit) and values used by one indicator only.
func assembleRows() []Row {
	nan := math.NaN()
	row := func(ind, region, level, cat, comp string, v float64, rank int) Row {
		return Row{Indicator: ind, Region: region, RegionLabel: "L" + region, RegionLevel: level, Period: "2024", Category: cat,
			CategoryLabel: cat, Value: v, Unit: "prosent", Numerator: nan, Denominator: nan, Comparator: comp, ComparatorRegion: "",
			ComparatorValue: nan, GapAbs: nan, GapIndex: nan, Rank: rank, NRanked: rank, Z: nan, CILow: nan, CIHigh: nan, NUnits: 1,
			Sources: ind + "@1", Synthetic: ind == "b"}
	}
	return []Row{
		row("a", "0", "land", "", "", 1, 0), row("a", "03", "fylke", "x", "national", nan, 2),
		row("b", "0", "land", "y", "", 2, 0), row("b", "50", "fylke", "", "national", 3, 1), row("b", "5001", "kommune", "y", "county", 4, 3),
		row("c", "03", "fylke", "z", "", nan, 0),
	}
}

// TestAssemble: the rows of indicators taken from two records (one for
// the previous table, one for the rows computed now) in any order give
// the record Record gives for those rows: the same values, nulls and
// dictionaries (one entry per value, in order of first use) and schema.
func TestAssemble(t *testing.T) {
	rows := assembleRows()
	// By hand: a is rows 0-1, b rows 2-4, c row 5.
	prev, err := Record(rows)
	if err != nil {
		t.Fatal(err)
	}
	defer prev.Release()
	// The rows of b alone, as a build that recomputes only b makes them.
	freshRec, err := Record(rows[2:5])
	if err != nil {
		t.Fatal(err)
	}
	defer freshRec.Release()
	schema, err := tableSchema()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		spans []span
		want  []Row
	}{
		{"all carried", []span{{prev, 0, 2}, {prev, 2, 3}, {prev, 5, 1}}, rows},
		{"b computed now", []span{{prev, 0, 2}, {freshRec, 0, 3}, {prev, 5, 1}}, rows},
		{"b first, c left out", []span{{freshRec, 0, 3}, {prev, 0, 2}}, append(append([]Row{}, rows[2:5]...), rows[0:2]...)},
		{"one row of c", []span{{prev, 5, 1}}, rows[5:6]},
		{"none", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := assemble(schema, tc.spans)
			if err != nil {
				t.Fatal(err)
			}
			defer got.Release()
			want, err := Record(tc.want)
			if err != nil {
				t.Fatal(err)
			}
			defer want.Release()
			if !got.Schema().Equal(want.Schema()) {
				t.Errorf("assemble schema = %s, want %s", got.Schema(), want.Schema())
			}
			if !array.RecordEqual(got, want) {
				for j := range got.Columns() {
					if !array.Equal(got.Column(j), want.Column(j)) {
						t.Errorf("assemble: column %s = %v, want %v", schema.Field(j).Name, got.Column(j), want.Column(j))
					}
				}
			}
			if d, ok := got.Column(8).(*array.Dictionary); ok && d.Dictionary().Len() > 1 {
				t.Errorf("assemble: unit dictionary has %d entries, want 1 (prosent)", d.Dictionary().Len())
			}
		})
	}
}

// TestPreviousTableSpans: the previous table's rows are found by
// indicator; a table whose rows of one indicator are apart is refused, so
// that the build is a full one.
func TestPreviousTableSpans(t *testing.T) {
	rows := assembleRows()
	rec, err := Record(rows)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	got, err := spansOf(rec)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int{"a": {0, 2}, "b": {2, 3}, "c": {5, 1}} // by hand from assembleRows
	for id, w := range want {
		if s := got[id]; s.off != w[0] || s.n != w[1] {
			t.Errorf("span of %s = %d+%d, want %d+%d", id, s.off, s.n, w[0], w[1])
		}
	}
	apart, err := Record(append(append([]Row{}, rows...), rows[0]))
	if err != nil {
		t.Fatal(err)
	}
	defer apart.Release()
	if _, err := spansOf(apart); err == nil {
		t.Error("spansOf(rows of a apart) = nil error, want one")
	}
}
