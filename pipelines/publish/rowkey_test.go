package publish

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// TestAppendRowKeyCoversRow sets each field of book.Row in turn (found by
// reflection, so a field added later is tried too) and asserts that the
// chart-node row key changes, and that no two fields set to the same value
// give the same key: a field the key leaves out would let a chart stay
// stale when only that field changed.
func TestAppendRowKeyCoversRow(t *testing.T) {
	zero := appendRowKey(nil, &book.Row{})
	seen := map[string]string{}
	typ := reflect.TypeOf(book.Row{})
	for i := range typ.NumField() {
		f := typ.Field(i)
		var r book.Row
		v := reflect.ValueOf(&r).Elem().Field(i)
		switch v.Kind() {
		case reflect.String:
			v.SetString("x")
		case reflect.Float64:
			v.SetFloat(1.5)
		case reflect.Int:
			v.SetInt(7)
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Slice:
			v.Set(reflect.ValueOf([]string{"x"}))
		default:
			t.Fatalf("book.Row.%s has kind %s: teach appendRowKey and this test", f.Name, v.Kind())
		}
		k := appendRowKey(nil, &r)
		if bytes.Equal(k, zero) {
			t.Errorf("book.Row.%s is not in the row key", f.Name)
		}
		if other, dup := seen[string(k)]; dup {
			t.Errorf("book.Row.%s and .%s set alike give the same key", f.Name, other)
		}
		seen[string(k)] = f.Name
	}
}

// TestAppendRowKeyNaN: every NaN is one missing value, whatever its bits;
// a missing value differs from zero.
func TestAppendRowKeyNaN(t *testing.T) {
	a := appendRowKey(nil, &book.Row{Value: math.NaN()})
	b := appendRowKey(nil, &book.Row{Value: math.Float64frombits(0x7ff8000000000001)})
	if !bytes.Equal(a, b) {
		t.Error("two NaNs give different keys")
	}
	if bytes.Equal(a, appendRowKey(nil, &book.Row{})) {
		t.Error("NaN and 0 give the same key")
	}
	// Splitting a string across fields must not give the same key.
	if bytes.Equal(appendRowKey(nil, &book.Row{Region: "ab"}), appendRowKey(nil, &book.Row{Region: "a", RegionLabel: "b"})) {
		t.Error("field boundaries are not in the key")
	}
}

// TestDiffRows counts a hand-made change of three indicators: in "a" one
// row is added (2021), in "b" one value is revised (0301 2020: 1 → 2) and
// a missing value stays missing, in "c" one row is removed; "d" is
// skipped (firm-derived) although it changed, and "e" exists only in the
// old table (2 rows removed). The same answer must come from the
// in-order fast path and from the by-key path (old rows out of runs).
func TestDiffRows(t *testing.T) {
	row := func(ind, reg, per string, v float64) cell {
		return cell{Indicator: ind, Region: reg, Period: per, Value: v}
	}
	nan := math.NaN()
	old := []cell{
		row("a", "0301", "2020", 1),
		row("b", "0301", "2020", 1), row("b", "0301", "2021", nan), row("b", "5001", "2020", 3),
		row("c", "0301", "2020", 1), row("c", "0301", "2021", 2),
		row("d", "0301", "2020", 1),
		row("e", "0301", "2020", 1), row("e", "5001", "2020", 1),
	}
	cur := []cell{
		row("a", "0301", "2020", 1), row("a", "0301", "2021", 5),
		row("b", "0301", "2020", 2), row("b", "0301", "2021", nan), row("b", "5001", "2020", 3),
		row("c", "0301", "2020", 1),
		row("d", "0301", "2020", 9),
	}
	want := map[string]book.Change{
		"a": {Name: "a", Added: 1},
		"b": {Name: "b", Revised: 1},
		"c": {Name: "c", Removed: 1},
		"e": {Name: "e", Removed: 2},
	}
	check := func(name string, got map[string]*book.Change) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d indicators changed, want %d: %v", name, len(got), len(want), got)
		}
		for id, w := range want {
			if g := got[id]; g == nil || *g != w {
				t.Errorf("%s: %s = %+v, want %+v", name, id, g, w)
			}
		}
	}
	skip := map[string]bool{"d": true}
	check("in order", diffRows(old, cur, skip))
	// "b" split in two runs: the fast path must not be taken.
	shuffled := append([]cell{old[3]}, append(append([]cell{}, old[:3]...), old[4:]...)...)
	if _, ok := indicatorRuns(shuffled); ok {
		t.Fatal("indicatorRuns accepted a table out of runs")
	}
	check("out of runs", diffRows(shuffled, cur, skip))
}

// TestInputCache: publishers sharing an InputCache assemble the input
// once for the same catalog versions (the second gets the same rows, not
// a new read) and each gets its own copy of the struct; a source check
// (which changes only the catalog's check times) keeps it; another
// language or a new version of another dataset is another input on the
// same indicator rows; a new indicator version or a Drop makes the next
// Input read anew.
func TestInputCache(t *testing.T) {
	st := synthStore(t, 31)
	if err := st.RecordCheck("utdanningsniva", nil); err != nil {
		t.Fatal(err)
	}
	cache := &InputCache{}
	p := &Publisher{Store: st, Indicators: indicators.Catalog(), Inputs: cache}
	a, err := p.Input()
	if err != nil {
		t.Fatal(err)
	}
	a.Planning = &book.Planning{} // a caller's own field
	b, err := (&Publisher{Store: st, Indicators: indicators.Catalog(), Inputs: cache}).Input()
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Rows) == 0 || &a.Rows[0] != &b.Rows[0] {
		t.Fatal("second Input with the same catalog read the table again")
	}
	if b.Planning != nil {
		t.Error("a caller's field on its copy reached the other caller")
	}
	time.Sleep(2 * time.Millisecond) // a later check time
	if err := st.RecordCheck("utdanningsniva", nil); err != nil {
		t.Fatal(err)
	}
	c, err := p.Input()
	if err != nil {
		t.Fatal(err)
	}
	if &c.Rows[0] != &a.Rows[0] {
		t.Error("a source check (no new version) made Input read again")
	}
	// Another language is another input, on the same rows (they hold
	// codes and values, no words).
	en, err := (&Publisher{Store: st, Indicators: indicators.Catalog(), Inputs: cache, Lang: charts.English}).Input()
	if err != nil {
		t.Fatal(err)
	}
	if en.Lang != charts.English || len(en.Indicators) == 0 || en.Indicators[0].Title == a.Indicators[0].Title {
		t.Errorf("the English publisher got the bokmål input (lang %q)", en.Lang)
	}
	if &en.Rows[0] != &a.Rows[0] {
		t.Error("the English input read the indicator table again")
	}
	// A new version of another dataset (as the offers step publishes
	// between the charts and the book) is a new input on the same rows.
	sb := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema([]arrow.Field{{Name: "region", Type: arrow.BinaryTypes.String}}, nil))
	sb.Field(0).(*array.StringBuilder).Append("50")
	srec := sb.NewRecord()
	sb.Release()
	if _, err := st.Publish(context.Background(), "annet", srec, store.DatasetMeta{Title: "annet (syntetisk)", Synthetic: true}); err != nil {
		t.Fatal(err)
	}
	srec.Release()
	o, err := p.Input()
	if err != nil {
		t.Fatal(err)
	}
	if &o.Rows[0] != &a.Rows[0] {
		t.Error("a new version of another dataset made Input read the indicator table again")
	}
	// Those two inputs (the charts' and the book's of a run) share one
	// book index; the English one gets its own.
	ia, err1 := p.bookIndex(a)
	io, err2 := p.bookIndex(o)
	ie, err3 := p.bookIndex(en)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatal(err1, err2, err3)
	}
	if ia == nil || ia != io {
		t.Error("two inputs on the same rows got two book indexes")
	}
	if ie == ia || !ie.Fits(en) {
		t.Error("the English input got the bokmål book index")
	}
	publishRowsTo(t, st, synthRows(31.5))
	d, err := p.Input()
	if err != nil {
		t.Fatal(err)
	}
	if d.Version == a.Version || &d.Rows[0] == &a.Rows[0] {
		t.Errorf("after a new indicator version Input gave version %s (was %s) from the old rows", d.Version, a.Version)
	}
	cache.Drop()
	e, err := p.Input()
	if err != nil {
		t.Fatal(err)
	}
	if &e.Rows[0] == &d.Rows[0] {
		t.Error("Input after Drop did not read anew")
	}
}

// TestInputFromKeptTables: an input made from the tables a run's build
// hands on (InputCache.Keep: the current version and the previous one) is
// the input read from their files, although both files are moved away
// (so neither is read); a record kept and never used is released by
// Drop, and every record kept is released once used (a checked
// allocator counts their memory down to zero).
func TestInputFromKeptTables(t *testing.T) {
	st := synthStore(t, 31, 31.5) // Porsgrunn 2025 revised
	ref, err := (&Publisher{Store: st, Indicators: indicators.Catalog()}).Input()
	if err != nil {
		t.Fatal(err)
	}
	if ref.Previous == "" || len(ref.Changes) == 0 {
		t.Fatalf("reference input: previous %q, %d changes; want a previous version and its change", ref.Previous, len(ref.Changes))
	}
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	cache := &InputCache{}
	keep := func(stamp, path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := store.ReadParquet(bytes.NewReader(b), int64(len(b)), mem)
		if err != nil {
			t.Fatal(err)
		}
		cache.Keep(stamp, rec)
		rec.Release() // the cache holds its own reference
	}
	var paths []string
	for _, v := range cat.Indicators.Versions {
		path := filepath.Join(st.Root(), filepath.FromSlash(v.Path))
		keep(v.Stamp, path)
		paths = append(paths, path)
	}
	keep("20000101T000000Z", paths[0]) // a version no input asks for
	for _, path := range paths {
		if err := os.Rename(path, path+".moved"); err != nil {
			t.Fatal(err)
		}
	}
	got, err := (&Publisher{Store: st, Indicators: indicators.Catalog(), Inputs: cache}).Input()
	if err != nil {
		t.Fatalf("input from the kept tables: %v", err)
	}
	if got.Version != ref.Version || got.Previous != ref.Previous || !reflect.DeepEqual(got.Changes, ref.Changes) {
		t.Errorf("input from the kept tables: version %s, previous %s, changes %+v; read from the files: %s, %s, %+v",
			got.Version, got.Previous, got.Changes, ref.Version, ref.Previous, ref.Changes)
	}
	// fmt prints NaN as NaN on both sides: equal rows print the same.
	if g, w := fmt.Sprint(got.Rows), fmt.Sprint(ref.Rows); len(got.Rows) != len(ref.Rows) || g != w {
		t.Errorf("input from the kept tables: %d rows, not the %d rows read from the file", len(got.Rows), len(ref.Rows))
	}
	if n := len(cache.tables); n != 1 {
		t.Errorf("after the input %d tables are kept, want 1 (the version no input asked for)", n)
	}
	cache.Drop()
	mem.AssertSize(t, 0)
}

// TestPublishersSideBySide runs the charts, the book and the exports at
// the same time on one knowledge base with one InputCache, as a run's
// Beside steps do (the race detector's pass is what this is for), and
// checks that each wrote its folder and that the book and the charts
// are those a publisher alone writes (same files, same bytes).
func TestPublishersSideBySide(t *testing.T) {
	st := synthStore(t, 31, 31.5)
	cache := &InputCache{}
	mk := func() *Publisher {
		return &Publisher{Store: st, Indicators: indicators.Catalog(), Map: testMap(t), Workers: 2, Inputs: cache, Code: "test", MapID: "test"}
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i, f := range []func() error{
		func() error { _, err := mk().ChartsIncremental(ctx); return err },
		func() error { _, err := mk().Book(ctx); return err },
		func() error { _, err := mk().Export(ctx); return err },
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f()
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("publisher %d: %v", i, err)
		}
	}
	together := map[string]map[string]string{}
	for _, d := range []string{"charts", "book"} {
		together[d] = treeSums(t, filepath.Join(st.Root(), d))
	}
	if _, err := os.Stat(filepath.Join(st.Root(), "exports", "indikatorer.csv")); err != nil {
		t.Errorf("exports: %v", err)
	}
	// Alone, without a cache, from scratch.
	for _, d := range []string{"charts", "book", "exports"} {
		if err := os.RemoveAll(filepath.Join(st.Root(), d)); err != nil {
			t.Fatal(err)
		}
	}
	alone := &Publisher{Store: st, Indicators: indicators.Catalog(), Map: testMap(t), Workers: 1, Code: "test", MapID: "test"}
	if _, err := alone.ChartsIncremental(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := alone.Book(ctx); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"charts", "book"} {
		sameTree(t, d, together[d], treeSums(t, filepath.Join(st.Root(), d)))
	}
}
