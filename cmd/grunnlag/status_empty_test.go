package main

import (
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// TestStatusEmptyIndicators: the warnings build writes into the indicator
// table's metadata about indicators without rows are read back for
// `grunnlag status` (SYNTHETIC one-row table).
func TestStatusEmptyIndicators(t *testing.T) {
	kb := filepath.Join(t.TempDir(), "kb")
	st, err := store.Open(kb)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	rec, err := build.Record([]build.Row{{Indicator: "x", Region: "0", RegionLabel: "Hele landet", RegionLevel: "land", Period: "2024",
		Value: 1, Unit: "prosent", Numerator: nan, Denominator: nan, ComparatorValue: nan, GapAbs: nan, GapIndex: nan, Z: nan, CILow: nan, CIHigh: nan, NUnits: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	want := []build.Empty{{ID: "tom", Inputs: []build.EmptyInput{{Dataset: "arbeidsledige", Filter: "ContentsCode=Ledige",
		Found: map[string][]string{"ContentsCode": {"HeltLedige"}}}}}}
	js, _ := json.Marshal(want)
	if _, err := st.PublishIndicators(context.Background(), rec, map[string]string{build.EmptyKey: string(js)}); err != nil {
		t.Fatal(err)
	}
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	got := emptyIndicators(kb, cat)
	if len(got) != 1 || !strings.Contains(got[0].Message(), "indikatoren tom fant ingen rader") || !strings.Contains(got[0].Message(), "ContentsCode: HeltLedige") {
		t.Errorf("emptyIndicators = %+v, want the warning about tom", got)
	}
}
