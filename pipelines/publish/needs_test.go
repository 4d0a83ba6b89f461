package publish

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// TestExportNeeds publishes a SYNTHETIC needs_vs_supply dataset (two rows,
// one missing need, one programme name that looks like a formula) and
// checks that Export writes it as XLSX and both CSV flavours.
func TestExportNeeds(t *testing.T) {
	st := synthStore(t, 31)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "region", Type: arrow.BinaryTypes.String},
		{Name: "programme", Type: arrow.BinaryTypes.String},
		{Name: "need", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "supply", Type: arrow.PrimitiveTypes.Int64},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"40", "40"}, nil)
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"Elektro", "-Helse"}, nil)
	b.Field(2).(*array.Float64Builder).AppendValues([]float64{12.5, 0}, []bool{true, false})
	b.Field(3).(*array.Int64Builder).AppendValues([]int64{40, 7}, nil)
	b.Field(4).(*array.Float64Builder).AppendValues([]float64{1, 2}, nil)
	rec := b.NewRecord()
	defer rec.Release()
	if _, err := st.Publish(context.Background(), NeedsDataset, rec, store.DatasetMeta{Title: "Behov og tilbud", Synthetic: true}); err != nil {
		t.Fatal(err)
	}
	p := &Publisher{Store: st, Indicators: indicators.Catalog()}
	res, err := p.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 6 {
		t.Errorf("Export() wrote %d files, want 6", res.Files)
	}
	csv, err := os.ReadFile(filepath.Join(res.Dir, "needs_vs_supply.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// The dataset is published synthetic: every row says so, and every row
	// is grunnlag's own estimate (computed).
	want := "\ufeffregion;programme;need;supply;value;syntetisk;beregnet\r\n40;Elektro;12,5;40;1;ja;ja\r\n40;'-Helse;;7;2;ja;ja\r\n"
	if string(csv) != want {
		t.Errorf("needs_vs_supply.csv = %q, want %q", csv, want)
	}
	f, err := excelize.OpenFile(filepath.Join(res.Dir, "needs_vs_supply.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Behov og tilbud")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[2], "|") != "40|'-Helse||7|2.00|ja|ja" {
		t.Errorf("needs_vs_supply.xlsx rows = %q", rows)
	}
}
