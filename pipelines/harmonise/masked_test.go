package harmonise

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestMaskedCount: NAV writes a masked municipal count as 0 beside a
// positive rate (Fyresdal 2024-03: 0 persons, 0.5 %, shared
// PROVENANCE.md's arbeidsledighet.csv); ReadSource makes the count and its
// derived denominator missing with status ":", where before the 0 counted
// and the municipality dropped out of the denominator. A real 0 at 0 % and
// an ordinary cell (Skien: 766 persons at 2.8 % → 766 * 100 / 2.8) are
// kept.
func TestMaskedCount(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "Region", Type: arrow.BinaryTypes.String},
		{Name: "ContentsCode", Type: arrow.BinaryTypes.String},
		{Name: "Tid", Type: arrow.BinaryTypes.String},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	cells := []struct {
		region, contents string
		v                float64
	}{
		{"4024", "HeltLedige", 0}, {"4024", "HeltLedigeProsent", 0.5},
		{"4003", "HeltLedige", 766}, {"4003", "HeltLedigeProsent", 2.8},
		{"4036", "HeltLedige", 0}, {"4036", "HeltLedigeProsent", 0},
	}
	for _, c := range cells {
		b.Field(0).(*array.StringBuilder).Append(c.region)
		b.Field(1).(*array.StringBuilder).Append(c.contents)
		b.Field(2).(*array.StringBuilder).Append("2024M03")
		b.Field(3).(*array.Float64Builder).Append(c.v)
	}
	rec := b.NewRecord()
	defer rec.Release()
	tab, err := ReadSource("arbeidsledige", rec)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		valid  bool
		value  float64
		status string
	}
	wants := map[string]want{
		"4024/HeltLedige":        {false, 0, ":"},
		"4024/HeltLedige_nevner": {false, 0, ":"},
		"4003/HeltLedige":        {true, 766, ""},
		"4003/HeltLedige_nevner": {true, 766 * 100 / 2.8, ""},
		"4036/HeltLedige":        {true, 0, ""},
	}
	got := map[string]Row{}
	for _, r := range tab.Rows {
		got[r.Code+"/"+r.Key[0]] = r
	}
	for k, w := range wants {
		r, ok := got[k]
		if !ok || r.Valid != w.valid || (w.valid && r.Value != w.value) || r.Status != w.status {
			t.Errorf("%s = %+v (found %v), want valid %v value %v status %q", k, r, ok, w.valid, w.value, w.status)
		}
	}
}
