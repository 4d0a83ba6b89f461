package jsonstat

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

func TestRecordCanada(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	d := decodeOne(t, "canada.json")
	rec, err := d.Record(mem)
	if err != nil {
		t.Fatalf("Record() error: %v", err)
	}
	defer rec.Release()

	wantNames := []string{"country", "country_label", "year", "year_label", "age", "age_label",
		"concept", "concept_label", "sex", "sex_label", "value", "status"}
	schema := rec.Schema()
	if schema.NumFields() != len(wantNames) {
		t.Fatalf("NumFields() = %d, want %d", schema.NumFields(), len(wantNames))
	}
	for i, name := range wantNames {
		f := schema.Field(i)
		if f.Name != name {
			t.Errorf("field %d = %q, want %q", i, f.Name, name)
		}
		if i < 10 {
			dt, ok := f.Type.(*arrow.DictionaryType)
			if !ok || dt.IndexType.ID() != arrow.INT32 || dt.ValueType.ID() != arrow.STRING {
				t.Errorf("field %s type = %v, want dictionary<values=utf8, indices=int32>", name, f.Type)
			}
		}
	}
	if schema.Field(10).Type.ID() != arrow.FLOAT64 || schema.Field(11).Type.ID() != arrow.STRING {
		t.Errorf("value, status types = %v, %v, want float64, utf8", schema.Field(10).Type, schema.Field(11).Type)
	}
	if rec.NumRows() != 120 {
		t.Errorf("NumRows() = %d, want 120", rec.NumRows())
	}
	md := schema.Metadata()
	for key, want := range map[string]string{
		MetaLabel:      "Population by sex and age group. Canada. 2012",
		MetaSource:     "Statistics Canada, CANSIM, table 051-0001",
		MetaUpdated:    "2012-09-27",
		MetaRoleTime:   "year",
		MetaRoleGeo:    "country",
		MetaRoleMetric: "concept",
	} {
		if got, _ := md.GetValue(key); got != want {
			t.Errorf("metadata %s = %q, want %q", key, got, want)
		}
	}

	// Row 119 is the last cell: age "older", concept PERCENT, sex F, value
	// 1.0 (the last number in the file), status "a".
	age := rec.Column(4).(*array.Dictionary)
	ageLabel := rec.Column(5).(*array.Dictionary)
	sex := rec.Column(8).(*array.Dictionary)
	val := rec.Column(10).(*array.Float64)
	status := rec.Column(11).(*array.String)
	dictStr := func(a *array.Dictionary, row int) string {
		return a.Dictionary().(*array.String).Value(a.GetValueIndex(row))
	}
	for _, tt := range []struct {
		row                int
		age, ageLabel, sex string
		value              float64
	}{
		{0, "T", "total", "T", 34880.5},
		{7, "4", "0 to 4", "M", 988.7}, // (1*2+0)*3+1 = 7
		{119, "older", "90 and older", "F", 1.0},
	} {
		if got := dictStr(age, tt.row); got != tt.age {
			t.Errorf("age[%d] = %q, want %q", tt.row, got, tt.age)
		}
		if got := dictStr(ageLabel, tt.row); got != tt.ageLabel {
			t.Errorf("age_label[%d] = %q, want %q", tt.row, got, tt.ageLabel)
		}
		if got := dictStr(sex, tt.row); got != tt.sex {
			t.Errorf("sex[%d] = %q, want %q", tt.row, got, tt.sex)
		}
		if got := val.Value(tt.row); got != tt.value || val.IsNull(tt.row) {
			t.Errorf("value[%d] = %v (null %v), want %v", tt.row, got, val.IsNull(tt.row), tt.value)
		}
		if got := status.Value(tt.row); got != "a" {
			t.Errorf("status[%d] = %q, want a", tt.row, got)
		}
	}
	if age.Dictionary().Len() != 20 {
		t.Errorf("age dictionary length = %d, want 20 (the category list)", age.Dictionary().Len())
	}
}

func TestRecordNulls(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	ds := decodeFile(t, "synthetic-bundle-1x.json")
	rec, err := ds[0].Record(mem)
	if err != nil {
		t.Fatalf("Record() error: %v", err)
	}
	defer rec.Release()
	val := rec.Column(4).(*array.Float64)
	status := rec.Column(5).(*array.String)
	// value [10, 20, null, 40, 50, 60], status {"3": "..", "5": "p"}.
	wantNull := []bool{false, false, true, true, false, false}
	wantStatusNull := []bool{true, true, true, false, true, false}
	for i := range wantNull {
		if val.IsNull(i) != wantNull[i] {
			t.Errorf("value[%d] null = %v, want %v", i, val.IsNull(i), wantNull[i])
		}
		if status.IsNull(i) != wantStatusNull[i] {
			t.Errorf("status[%d] null = %v, want %v", i, status.IsNull(i), wantStatusNull[i])
		}
	}
	if status.Value(3) != ".." || status.Value(5) != "p" {
		t.Errorf("status[3], status[5] = %q, %q, want .., p", status.Value(3), status.Value(5))
	}
	// Region dimension (index 0), 3 categories × 2 years: region of row 5
	// is position 2 ("46", "Vestland").
	region := rec.Column(0).(*array.Dictionary)
	if got := region.GetValueIndex(5); got != 2 {
		t.Errorf("region index of row 5 = %d, want 2", got)
	}

	// No status at all: the status column is all null.
	rec2, err := ds[1].Record(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec2.Release()
	if n := rec2.Column(3).NullN(); n != 1 {
		t.Errorf("status nulls = %d, want 1", n)
	}
}

func TestRecordErrors(t *testing.T) {
	d := &Dataset{Label: "L", Dims: []*Dimension{{ID: "value", Codes: []string{"a"}, Labels: []string{"a"}}},
		Values: []float64{1}, Present: []bool{true}}
	_, err := d.Record(memory.NewGoAllocator())
	var e *Error
	if !errors.As(err, &e) || e.Dimension != "value" || !strings.Contains(e.Msg, "used twice") {
		t.Errorf("Record() with a dimension named value: error = %v, want *Error naming the clash", err)
	}
	d = &Dataset{Label: "L", Dims: []*Dimension{{ID: "a", Codes: []string{"a", "b"}, Labels: []string{"a", "b"}}},
		Values: []float64{1}, Present: []bool{true}}
	if _, err := d.Record(memory.NewGoAllocator()); err == nil {
		t.Error("Record() with 1 value for 2 cells: error = nil, want an error")
	}
}

// TestIndexArray checks the row-major category positions against a
// direct computation (i / stride) % size.
func TestIndexArray(t *testing.T) {
	for _, tt := range []struct{ n, size, stride int }{
		{24, 3, 8}, {24, 2, 4}, {24, 4, 1}, {7, 7, 1}, {0, 0, 1}, {30, 1, 30},
	} {
		a := indexArray(memory.NewGoAllocator(), tt.n, tt.size, tt.stride).(*array.Int32)
		for i := 0; i < tt.n; i++ {
			if got, want := int(a.Value(i)), (i/tt.stride)%tt.size; got != want {
				t.Errorf("indexArray(%d, %d, %d)[%d] = %d, want %d", tt.n, tt.size, tt.stride, i, got, want)
			}
		}
		a.Release()
	}
}
