package store

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// extendedRecord is a synthetic harmonised dataset: the jsonstat-shaped
// columns plus region (utf8), region_level (dictionary), region_flag (utf8,
// nullable), n (int64, nullable), weight (int32), apportioned (bool, nullable).
func extendedRecord(t testing.TB) arrow.Record {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "kommune", Type: dictType},
		{Name: "kommune_label", Type: dictType},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "region", Type: arrow.BinaryTypes.String},
		{Name: "region_level", Type: dictType},
		{Name: "region_flag", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "weight", Type: arrow.PrimitiveTypes.Int32},
		{Name: "apportioned", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	rows := []struct {
		k, kl      string
		v          float64
		st, r, lvl string
		flag       string
		n          int64
		nNull      bool
		w          int32
		ap         int // -1 null, 0 false, 1 true
	}{
		{"1702", "Steinkjer", 12.5, "", "5006", "kommune", "merged", 3, false, 1, 1},
		{"1703", "Namsos", math.NaN(), "", "5007", "kommune", "", 0, true, 2, -1},
		{"5001", "Trondheim", -0.25, "e", "5001", "kommune", "native", -7, false, 3, 0},
	}
	for _, r := range rows {
		mustAppend(t, b.Field(0).(*array.BinaryDictionaryBuilder), r.k)
		mustAppend(t, b.Field(1).(*array.BinaryDictionaryBuilder), r.kl)
		b.Field(2).(*array.Float64Builder).Append(r.v) // NaN stays a valid arrow value here
		if r.st == "" {
			b.Field(3).AppendNull()
		} else {
			b.Field(3).(*array.StringBuilder).Append(r.st)
		}
		b.Field(4).(*array.StringBuilder).Append(r.r)
		mustAppend(t, b.Field(5).(*array.BinaryDictionaryBuilder), r.lvl)
		if r.flag == "" {
			b.Field(6).AppendNull()
		} else {
			b.Field(6).(*array.StringBuilder).Append(r.flag)
		}
		if r.nNull {
			b.Field(7).AppendNull()
		} else {
			b.Field(7).(*array.Int64Builder).Append(r.n)
		}
		b.Field(8).(*array.Int32Builder).Append(r.w)
		switch r.ap {
		case -1:
			b.Field(9).AppendNull()
		default:
			b.Field(9).(*array.BooleanBuilder).Append(r.ap == 1)
		}
	}
	return b.NewRecord()
}

func TestParquetRoundTrip(t *testing.T) {
	rec := extendedRecord(t)
	defer rec.Release()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, rec, map[string]string{"title": "Syntetisk"}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()

	// Same names and types; value becomes nullable float64 (it was already).
	for i, f := range rec.Schema().Fields() {
		g := got.Schema().Field(i)
		if g.Name != f.Name || !arrow.TypeEqual(g.Type, f.Type) || g.Nullable != f.Nullable {
			t.Errorf("field %d = %s %s %v, want %s %s %v", i, g.Name, g.Type, g.Nullable, f.Name, f.Type, f.Nullable)
		}
	}
	if v, ok := got.Schema().Metadata().GetValue("title"); ok != true || v != "Syntetisk" {
		t.Errorf("metadata title = %q, want Syntetisk", v)
	}
	if got.Schema().Metadata().FindKey(ArrowTypesKey) >= 0 {
		t.Errorf("schema metadata keeps %s, want it dropped", ArrowTypesKey)
	}
	// The CSV of both records must be equal except the NaN, which the
	// Parquet file stores as null (and CSV writes empty for both).
	var want, have bytes.Buffer
	if err := WriteCSV(&want, rec); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&have, got); err != nil {
		t.Fatal(err)
	}
	if want.String() != have.String() {
		t.Errorf("round trip CSV =\n%s\nwant\n%s", have.String(), want.String())
	}
	if !got.Column(2).IsNull(1) {
		t.Errorf("NaN value read back as %v, want null", got.Column(2).(*array.Float64).Value(1))
	}
	if got.Column(2).(*array.Float64).Value(2) != -0.25 {
		t.Errorf("value[2] = %v, want -0.25", got.Column(2).(*array.Float64).Value(2))
	}
}

func TestWriteCSV(t *testing.T) {
	rec := extendedRecord(t)
	defer rec.Release()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rec); err != nil {
		t.Fatal(err)
	}
	// Written by hand from extendedRecord's rows.
	want := "kommune,kommune_label,value,status,region,region_level,region_flag,n,weight,apportioned\n" +
		"1702,Steinkjer,12.5,,5006,kommune,merged,3,1,true\n" +
		"1703,Namsos,,,5007,kommune,,,2,\n" +
		"5001,Trondheim,-0.25,e,5001,kommune,native,-7,3,false\n"
	if buf.String() != want {
		t.Errorf("WriteCSV() =\n%s\nwant\n%s", buf.String(), want)
	}

	pointOne := 0.1 // a variable: constant arithmetic would give exactly 0.3
	base := makeRecord(t, []cell{
		{"5001", "Trondheim, by", "2024", pointOne + 0.2, "p"}, // quoted label; float64 0.1+0.2 is 0.30000000000000004
		{"5007", `Namsos "N"`, "2024", 1e21, ""},
	})
	defer base.Release()
	buf.Reset()
	if err := WriteCSV(&buf, base); err != nil {
		t.Fatal(err)
	}
	want = "region,region_label,year,year_label,value,status\n" +
		"5001,\"Trondheim, by\",2024,2024,0.30000000000000004,p\n" +
		"5007,\"Namsos \"\"N\"\"\",2024,2024,1e+21,\n"
	if buf.String() != want {
		t.Errorf("WriteCSV() =\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestWriteParquetErrors(t *testing.T) {
	date := arrow.NewSchema([]arrow.Field{{Name: "day", Type: arrow.FixedWidthTypes.Date32}}, nil)
	db := array.NewRecordBuilder(memory.DefaultAllocator, date)
	db.Field(0).(*array.Date32Builder).Append(1)
	dateRec := db.NewRecord()
	db.Release()
	defer dateRec.Release()

	req := arrow.NewSchema([]arrow.Field{{Name: "region", Type: arrow.BinaryTypes.String, Nullable: false}}, nil)
	rb := array.NewRecordBuilder(memory.DefaultAllocator, req)
	rb.Field(0).(*array.StringBuilder).Append("5001")
	rb.Field(0).AppendNull()
	nullRec := rb.NewRecord()
	rb.Release()
	defer nullRec.Release()

	for _, tc := range []struct {
		name string
		rec  arrow.Record
		want string
	}{
		{"unsupported type", dateRec, `column "day": unsupported arrow type date32`},
		{"null in required column", nullRec, `column "region": row 1: null in a non-nullable column`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteParquet(&bytes.Buffer{}, tc.rec, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("WriteParquet() error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParquetSchema(t *testing.T) {
	s, err := ParquetSchema(cellSchema())
	if err != nil {
		t.Fatal(err)
	}
	got := s.String()
	// Column order must be the arrow order, not alphabetical.
	order := []string{"region", "region_label", "year", "year_label", "value", "status"}
	last := -1
	for _, name := range order {
		i := strings.Index(got, " "+name+" ")
		if i < 0 {
			i = strings.Index(got, " "+name+";")
		}
		if i <= last {
			t.Fatalf("ParquetSchema() =\n%s\nwant columns in order %v", got, order)
		}
		last = i
	}
	for _, want := range []string{"required binary region (STRING)", "optional double value", "optional binary status (STRING)"} {
		if !strings.Contains(got, want) {
			t.Errorf("ParquetSchema() =\n%s\nwant it to contain %q", got, want)
		}
	}
}

// FuzzReadParquet feeds ReadParquet arbitrary bytes (seeded with a valid
// file): it must return a record or an error, never panic.
func FuzzReadParquet(f *testing.F) {
	rec := makeRecord(f, baseCells)
	var buf bytes.Buffer
	if err := WriteParquet(&buf, rec, map[string]string{"k": "v"}); err != nil {
		f.Fatal(err)
	}
	rec.Release()
	f.Add(buf.Bytes())
	f.Add([]byte("PAR1PAR1"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadParquet(bytes.NewReader(data), int64(len(data)), memory.DefaultAllocator)
		if err == nil {
			r.Release()
		}
	})
}
