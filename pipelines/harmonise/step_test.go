package harmonise

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
)

// sourceRecord is a synthetic source dataset: (Region, Tid, value) cells.
func sourceRecord(cells map[[2]string]float64) arrow.Record {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "Region", Type: arrow.BinaryTypes.String},
		{Name: "Tid", Type: arrow.BinaryTypes.String},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	for k, v := range cells {
		b.Field(0).(*array.StringBuilder).Append(k[0])
		b.Field(1).(*array.StringBuilder).Append(k[1])
		b.Field(2).(*array.Float64Builder).Append(v)
	}
	return b.NewRecord()
}

// TestRunAndLoad: Run writes harmonised/<dataset> for every source dataset;
// Load then reads the stored version (nothing is written), and
// after the source publishes a new version Load harmonises again and
// publishes a version made from it. The cells: Bø (0821) and Sauherad
// (0822) in 2019 merge into Midt-Telemark (4020): 30 + 20 = 50 (by hand),
// flag merged; Telemark's published 40 row is kept as published.
func TestRunAndLoad(t *testing.T) {
	m := loadModel(t)
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	st, err := store.Open(t.TempDir(), store.WithClock(func() time.Time { clock = clock.Add(time.Second); return clock }))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	publish := func(cells map[[2]string]float64) {
		rec := sourceRecord(cells)
		defer rec.Release()
		if _, err := st.Publish(ctx, "d", rec, store.DatasetMeta{Source: "test", Synthetic: true}); err != nil {
			t.Fatal(err)
		}
	}
	publish(map[[2]string]float64{{"0821", "2019"}: 30, {"0822", "2019"}: 20, {"40", "2024"}: 7})
	h := &Harmoniser{Store: st, Model: m}
	res, err := h.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Datasets != 1 || res.Published != 1 {
		t.Errorf("Run = %+v, want 1 dataset, 1 published", res)
	}
	versions := func() int {
		cat, err := st.Catalog()
		if err != nil {
			t.Fatal(err)
		}
		return len(cat.Datasets["harmonised/d"].Versions)
	}
	checked := func() time.Time {
		cat, err := st.Catalog()
		if err != nil {
			t.Fatal(err)
		}
		return cat.Datasets["harmonised/d"].LastChecked
	}
	before := checked()
	l, err := (&Harmoniser{Store: st, Model: m}).Load(ctx, "d")
	if err != nil {
		t.Fatal(err)
	}
	// Read, not harmonised and published again (which would check the
	// version: a later last_checked on the ticking clock).
	if n, after := versions(), checked(); n != 1 || !after.Equal(before) {
		t.Errorf("after Load of a current layer: %d versions, last checked %v (before %v); want 1, unchanged", n, after, before)
	}
	if len(l.Cells) != 1 || l.Cells[0].Region != "4020" || l.Cells[0].Value != 50 || l.Cells[0].Flag != regions.Merged {
		t.Errorf("cells = %+v, want 4020 = 50 merged", l.Cells)
	}
	if len(l.Published) != 1 || l.Published[0].Region != "40" || l.Published[0].Value != 7 || l.Published[0].Level != regions.County {
		t.Errorf("published = %+v, want 40 = 7 fylke", l.Published)
	}
	publish(map[[2]string]float64{{"0821", "2019"}: 31, {"0822", "2019"}: 20})
	l, err = (&Harmoniser{Store: st, Model: m}).Load(ctx, "d")
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := st.Catalog()
	if n := versions(); n != 2 || l.Meta.Input != cat.Datasets["d"].Current || l.Cells[0].Value != 51 {
		t.Errorf("after a new source version: %d versions, input %s (source %s), 4020 = %v; want 2, the new stamp, 51",
			n, l.Meta.Input, cat.Datasets["d"].Current, l.Cells[0].Value)
	}
	if v := cat.Datasets["harmonised/d"].CurrentVersion(); v == nil || !v.Synthetic {
		t.Errorf("harmonised version %+v: want synthetic like its source", v)
	}
}

// TestAbsentCellKeepsNoStatus: a native cell without value and without
// status (a combination a long source file has no row for) stays without a
// status in the layer, so the needs join can tell it from a cell the source
// marked missing (".." stays ".."); both are missing (synthetic cells).
func TestAbsentCellKeepsNoStatus(t *testing.T) {
	m := loadModel(t)
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := []Row{
		{Code: "4010", Period: "2024"},               // absent
		{Code: "4012", Period: "2024", Status: ".."}, // marked missing
		{Code: "4005", Period: "2024", Value: 3, Valid: true},
	}
	hs, warn, err := harmoniseGroup(m, m.Latest(), nil, nil, "d", "2024", at, rows)
	if err != nil || warn != 0 {
		t.Fatalf("harmoniseGroup: %d warnings, %v", warn, err)
	}
	got := map[string]regions.Harmonised{}
	for _, x := range hs {
		got[x.Region.Code] = x
	}
	for code, want := range map[string]struct {
		valid  bool
		status string
	}{"4010": {false, ""}, "4012": {false, ".."}, "4005": {true, ""}} {
		if x := got[code]; x.Valid != want.valid || x.Status != want.status {
			t.Errorf("%s: valid %v status %q, want %v %q", code, x.Valid, x.Status, want.valid, want.status)
		}
	}
}

// TestRunSkipsViews: a dataset a later step made for readers (source
// "offers" or "planning", here one without a Region column, as tilbud has
// none) is not harmonised; before, the second run of the demo failed on
// tilbud ("no column Region").
func TestRunSkipsViews(t *testing.T) {
	m := loadModel(t)
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rec := sourceRecord(map[[2]string]float64{{"40", "2024"}: 7})
	defer rec.Release()
	if _, err := st.Publish(ctx, "d", rec, store.DatasetMeta{Source: "test", Synthetic: true}); err != nil {
		t.Fatal(err)
	}
	sc := arrow.NewSchema([]arrow.Field{{Name: "tilbud", Type: arrow.BinaryTypes.String}, {Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).Append("x")
	b.Field(1).(*array.Float64Builder).Append(1)
	view := b.NewRecord()
	defer view.Release()
	for _, src := range Views {
		if _, err := st.Publish(ctx, "view_"+src, view, store.DatasetMeta{Source: src, Synthetic: true}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := (&Harmoniser{Store: st, Model: m}).Run(ctx)
	if err != nil {
		t.Fatalf("Run() with views in the catalog: %v", err)
	}
	if res.Datasets != 1 {
		t.Errorf("Run() harmonised %d datasets, want 1 (d only)", res.Datasets)
	}
}

// TestWeightsShared: harmonisers sharing a WeightsCache read the
// befolkning version once per model and version. The SYNTHETIC
// befolkning gives every new code of the model's first split 100 people
// in the split's year (100 + k for code k of the list in the second
// version). With the version's file moved away, a second harmoniser on
// the same model still gets the weights (the cache's: the same map),
// while one without the cache, and one with it on another model, fail
// to read the file; after a new version the weights are read again.
func TestWeightsShared(t *testing.T) {
	m := loadModel(t)
	sp := m.Splits()[0]
	year := sp.Date.Format("2006")
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	publish := func(step float64) string {
		cells := map[[2]string]float64{}
		for k, c := range sp.NewCodes {
			cells[[2]string{c, year}] = 100 + step*float64(k)
		}
		rec := sourceRecord(cells)
		defer rec.Release()
		v, err := st.Publish(ctx, WeightsDataset, rec, store.DatasetMeta{Source: "test (syntetisk)", Synthetic: true})
		if err != nil {
			t.Fatal(err)
		}
		return filepath.Join(st.Root(), filepath.FromSlash(v.Path))
	}
	file := publish(0)
	cache := &WeightsCache{}
	w1, err := (&Harmoniser{Store: st, Model: m, Shared: cache}).Weights()
	if err != nil {
		t.Fatal(err)
	}
	if got := w1[sp.Key]; len(got) != len(sp.NewCodes) || got[sp.NewCodes[0]] != 100 {
		t.Fatalf("weights of split %s = %v, want 100 for each of %v", sp.Key, got, sp.NewCodes)
	}
	if err := os.Rename(file, file+".moved"); err != nil {
		t.Fatal(err)
	}
	w2, err := (&Harmoniser{Store: st, Model: m, Shared: cache}).Weights()
	if same := reflect.ValueOf(w2).UnsafePointer() == reflect.ValueOf(w1).UnsafePointer(); err != nil || !same {
		t.Errorf("second harmoniser on the same cache: err %v, the cache's weights %v; want them, without reading the file", err, same)
	}
	if _, err := (&Harmoniser{Store: st, Model: m}).Weights(); err == nil {
		t.Error("a harmoniser without the cache read the weights of a moved file")
	}
	c := klass.New("http://klass.offline/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: klasstest.Transport("../../testdata/klass")}})
	other, err := regions.Load(ctx, c, time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Harmoniser{Store: st, Model: other, Shared: cache}).Weights(); err == nil {
		t.Error("the cache answered for another model")
	}
	if err := os.Rename(file+".moved", file); err != nil {
		t.Fatal(err)
	}
	publish(1)
	w3, err := (&Harmoniser{Store: st, Model: m, Shared: cache}).Weights()
	if err != nil {
		t.Fatal(err)
	}
	if got := w3[sp.Key]; len(sp.NewCodes) < 2 || got[sp.NewCodes[1]] != 101 {
		t.Errorf("after a new befolkning version: weights of split %s = %v, want 101 for %s", sp.Key, got, sp.NewCodes[1])
	}
}
