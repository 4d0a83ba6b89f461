package store

import (
	"math"
	"strings"
	"testing"
)

func TestColumns(t *testing.T) {
	// SYNTHETIC cells: one with a value, one missing with status "..".
	rec := makeRecord(t, []cell{
		{region: "4003", regionLabel: "Skien", year: "2025", value: 32.5},
		{region: "4001", regionLabel: "Porsgrunn", year: "2025", value: math.NaN(), status: ".."},
	})
	defer rec.Release()
	region, err := StringColumn(rec, "region") // dictionary-encoded
	if err != nil {
		t.Fatal(err)
	}
	status, err := StringColumn(rec, "status") // plain utf8, null in row 0
	if err != nil {
		t.Fatal(err)
	}
	value, err := FloatColumn(rec, "value")
	if err != nil {
		t.Fatal(err)
	}
	if region(1) != "4001" || status(0) != "" || status(1) != ".." {
		t.Errorf("strings = %q %q %q, want 4001, empty, ..", region(1), status(0), status(1))
	}
	if value(0) != 32.5 || !math.IsNaN(value(1)) {
		t.Errorf("values = %v %v, want 32.5 and NaN for the missing cell", value(0), value(1))
	}
	if _, err := FloatColumn(rec, "region"); err == nil || !strings.Contains(err.Error(), `"region"`) {
		t.Errorf("FloatColumn(region) = %v, want an error naming the column", err)
	}
	if _, err := StringColumn(rec, "nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("StringColumn(nope) = %v, want an error naming the column", err)
	}
	if got := SchemaValue(rec.Schema(), "jsonstat.source"); got != "testkilde" {
		t.Errorf("SchemaValue = %q, want testkilde", got)
	}
}
