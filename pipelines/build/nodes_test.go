package build

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// groupsOf loads the demo's groupings, as demoBuildStore does.
func groupsOf(t testing.TB) []regions.Group {
	t.Helper()
	gs, err := regions.LoadGroups("../../testdata/regions/grupper-trondelag.yaml", loadModel(t), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return gs
}

// ChangeOneCell republishes the current version of dataset with the value
// of its first row that has one raised by delta (same metadata, same
// keys): the smallest change a source can publish.
func changeOneCell(t testing.TB, st *store.Store, dataset string, delta float64) {
	t.Helper()
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	v := cat.Datasets[dataset].CurrentVersion()
	if v == nil {
		t.Fatalf("%s: no current version", dataset)
	}
	rec, err := st.ReadVersion(dataset, "")
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	idx := rec.Schema().FieldIndices("value")
	if len(idx) != 1 {
		t.Fatalf("%s: no value column", dataset)
	}
	old := rec.Column(idx[0]).(*array.Float64)
	b := array.NewFloat64Builder(memory.DefaultAllocator)
	defer b.Release()
	changed := false
	for i := 0; i < old.Len(); i++ {
		switch {
		case old.IsNull(i):
			b.AppendNull()
		case !changed:
			b.Append(old.Value(i) + delta)
			changed = true
		default:
			b.Append(old.Value(i))
		}
	}
	if !changed {
		t.Fatalf("%s: no value to change", dataset)
	}
	col := b.NewArray()
	defer col.Release()
	cols := slices.Clone(rec.Columns())
	cols[idx[0]] = col
	next := array.NewRecord(rec.Schema(), cols, rec.NumRows())
	defer next.Release()
	meta := store.DatasetMeta{Source: v.Source, Table: v.Table, Title: v.Title, Unit: v.Unit, Updated: v.SourceUpdated,
		FetchedAt: v.FetchedAt, Snapshots: v.Snapshots, Query: v.Query, Licence: v.Licence, Attribution: v.Attribution,
		Synthetic: v.Synthetic, Keys: v.Keys}
	nv, err := st.Publish(context.Background(), dataset, next, meta)
	if err != nil {
		t.Fatal(err)
	}
	if nv.Unchanged || nv.Diff.Revised != 1 {
		t.Fatalf("%s republished: unchanged %v, diff %+v; want one revised cell", dataset, nv.Unchanged, nv.Diff)
	}
}

// dependents returns the IDs of the catalog's indicators that list dataset
// as an input, in catalog order.
func dependents(reg *indicators.Registry, dataset string) []string {
	var out []string
	for _, ind := range reg.All() {
		for _, in := range ind.Inputs {
			if in.Dataset == dataset {
				out = append(out, ind.ID)
				break
			}
		}
	}
	return out
}

// sameRows reports the first row where a and b differ (NaN equal to NaN;
// the unexported order is ignored), or -1.
func sameRows(a, b []Row) int {
	eq := func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }
	for i := range min(len(a), len(b)) {
		x, y := a[i], b[i]
		nums := [][2]float64{{x.Value, y.Value}, {x.Numerator, y.Numerator}, {x.Denominator, y.Denominator},
			{x.ComparatorValue, y.ComparatorValue}, {x.GapAbs, y.GapAbs}, {x.GapIndex, y.GapIndex}, {x.Z, y.Z},
			{x.CILow, y.CILow}, {x.CIHigh, y.CIHigh}}
		for _, n := range nums {
			if !eq(n[0], n[1]) {
				return i
			}
		}
		x.Value, x.Numerator, x.Denominator, x.ComparatorValue, x.GapAbs, x.GapIndex, x.Z, x.CILow, x.CIHigh = 0, 0, 0, 0, 0, 0, 0, 0, 0
		y.Value, y.Numerator, y.Denominator, y.ComparatorValue, y.GapAbs, y.GapIndex, y.Z, y.CILow, y.CIHigh = 0, 0, 0, 0, 0, 0, 0, 0, 0
		x.order, y.order = 0, 0 // the position in the list computed, not part of the table
		if x != y {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// TestBuildIncremental builds the demo, changes one cell of the NAV
// shortage survey (nav_mangel_naering, 12 rows, Vestfold og Telemark) and
// builds again: only the indicators reading it are computed, and the
// table equals a cold build's row for row.
func TestBuildIncremental(t *testing.T) {
	first, st := demoBuildStore(t)
	if first.FullReason == "" || len(first.Reused) != 0 {
		t.Fatalf("first build: reused %v (reason %q), want a full build", first.Reused, first.FullReason)
	}
	reg, err := indicators.NewCatalog(indicators.Catalog()...)
	if err != nil {
		t.Fatal(err)
	}
	b := &Builder{Store: st, Model: loadModel(t), Catalog: reg}
	b.Groups = groupsOf(t)
	ctx := context.Background()

	// Nothing changed: every indicator is reused and the table is the
	// same version.
	again, err := b.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again.Release()
	if len(again.Recomputed) != 0 || !again.Version.Unchanged {
		t.Errorf("unchanged build: recomputed %v (full: %q), unchanged %v; want none, true", again.Recomputed, again.FullReason, again.Version.Unchanged)
	}
	if !slices.Equal(again.Reused, first.Recomputed) {
		t.Errorf("unchanged build reused %v, want %v", again.Reused, first.Recomputed)
	}

	// One cell of nav_mangel_naering. By hand: the only indicator whose
	// Inputs name nav_mangel_naering is stramhet_naering
	// (indicators/stramhet_naering.go: shortageDataset).
	const dataset = "nav_mangel_naering"
	want := dependents(reg, dataset)
	if !slices.Equal(want, []string{"stramhet_naering"}) {
		t.Fatalf("indicators reading %s = %v, want [stramhet_naering] (update the comment and the test)", dataset, want)
	}
	// The table current before the incremental build, as the file holds
	// it: the build hands it on as Result.Previous.
	beforeRec, err := st.ReadIndicators("")
	if err != nil {
		t.Fatal(err)
	}
	before, err := TableRows(beforeRec)
	beforeRec.Release()
	if err != nil {
		t.Fatal(err)
	}
	changeOneCell(t, st, dataset, 10)
	inc, err := b.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer inc.Release()
	if inc.Previous == nil || inc.PreviousStamp != again.Version.Stamp {
		t.Fatalf("incremental build: previous table %v, stamp %q; want the table of %s", inc.Previous != nil, inc.PreviousStamp, again.Version.Stamp)
	}
	if prevRows, err := TableRows(inc.Previous); err != nil || len(before) == 0 || sameRows(prevRows, before) != -1 {
		t.Errorf("incremental build: Result.Previous (%d rows, err %v) is not the table that was current (%d rows)", len(prevRows), err, len(before))
	}
	if !slices.Equal(inc.Recomputed, want) {
		t.Errorf("after one cell of %s: recomputed %v, want %v", dataset, inc.Recomputed, want)
	}
	if inc.Version.Unchanged {
		t.Errorf("after one cell of %s: table unchanged, want a new version", dataset)
	}
	if n := len(inc.Recomputed) + len(inc.Reused); n != len(first.Recomputed) {
		t.Errorf("recomputed + reused = %d, want every computed indicator (%d)", n, len(first.Recomputed))
	}

	// A cold build of the same inputs gives the same table: the same
	// content (Publish finds it unchanged) and the same rows.
	b.Full = true
	cold, err := b.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cold.Release()
	if len(cold.Reused) != 0 {
		t.Errorf("full build reused %v", cold.Reused)
	}
	if cold.Previous != nil || cold.PreviousStamp != "" {
		t.Errorf("full build handed on a previous table (%q): it reads none", cold.PreviousStamp)
	}
	if !cold.Version.Unchanged {
		t.Errorf("cold build after the incremental one published a new version, want the same content")
	}
	incRows, err := inc.AllRows()
	if err != nil {
		t.Fatal(err)
	}
	coldRows, err := cold.AllRows()
	if err != nil {
		t.Fatal(err)
	}
	if i := sameRows(incRows, coldRows); i >= 0 {
		t.Errorf("incremental and cold tables differ at row %d of %d/%d", i, len(incRows), len(coldRows))
	}
	if !array.RecordEqual(inc.Record, cold.Record) || !inc.Record.Schema().Equal(cold.Record.Schema()) {
		t.Errorf("incremental and cold records differ (values, dictionaries or schema)")
	}
	if !reflect.DeepEqual(inc.Skipped, cold.Skipped) || !reflect.DeepEqual(inc.Empty, cold.Empty) || !slices.Equal(inc.Computed, cold.Computed) || inc.Warnings != cold.Warnings {
		t.Errorf("incremental build: skipped %v, empty %v, computed %v, warnings %d; cold: %v, %v, %v, %d",
			inc.Skipped, inc.Empty, inc.Computed, inc.Warnings, cold.Skipped, cold.Empty, cold.Computed, cold.Warnings)
	}
	t.Run("fail safe", func(t *testing.T) { checkFailSafe(t, st, b) })
}

// checkFailSafe: node keys that name another table, or a damaged
// previous table, make the next build a full one (on the kb of
// TestBuildIncremental, to save a demo build).
func checkFailSafe(t *testing.T, st *store.Store, b *Builder) {
	ctx := context.Background()
	b.Full = false
	// The manifest names another table.
	m, err := os.ReadFile(ManifestPath(st))
	if err != nil {
		t.Fatal(err)
	}
	var man manifest
	if err := json.Unmarshal(m, &man); err != nil {
		t.Fatal(err)
	}
	// One hex digit off: the keys no longer describe the current table.
	if man.TableSHA256[0] == '0' {
		man.TableSHA256 = "1" + man.TableSHA256[1:]
	} else {
		man.TableSHA256 = "0" + man.TableSHA256[1:]
	}
	if err := writeManifest(st, &man); err != nil {
		t.Fatal(err)
	}
	res, err := b.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res.Release()
	if len(res.Reused) != 0 || res.FullReason == "" {
		t.Errorf("manifest of another table: reused %d, reason %q; want a full build", len(res.Reused), res.FullReason)
	}

	// The table's file is damaged (one byte changed): full build.
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(st.Root(), filepath.FromSlash(cat.Indicators.CurrentVersion().Path))
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/2] ^= 0xff
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = b.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res.Release()
	if len(res.Reused) != 0 || res.FullReason == "" {
		t.Errorf("damaged table: reused %d, reason %q; want a full build", len(res.Reused), res.FullReason)
	}
}

// TestTableRowsRoundTrip: rows read back from a record written by Record
// give the same record (nulls, NaN, booleans and ranks included).
func TestTableRowsRoundTrip(t *testing.T) {
	nan := math.NaN()
	rows := []Row{
		{Indicator: "a", Region: "0", RegionLabel: "Norge", RegionLevel: "land", Period: "2024", Value: 1.25, Unit: "prosent",
			Numerator: 5, Denominator: 4, ComparatorValue: nan, GapAbs: nan, GapIndex: nan, Z: nan, CILow: nan, CIHigh: nan, NUnits: 1, Synthetic: true},
		{Indicator: "a", Region: "4001", RegionLabel: "Porsgrunn", RegionLevel: "kommune", Period: "2024", Category: "x", CategoryLabel: "X",
			Value: nan, Unit: "prosent", Numerator: nan, Denominator: nan, Comparator: "national", ComparatorRegion: "0", ComparatorValue: 1.25,
			GapAbs: -0.5, GapIndex: 60, Rank: 3, NRanked: 7, Z: -1.5, CILow: 0.1, CIHigh: 0.9, NUnits: 1, Flags: "suppressed", Sources: "d@v", Computed: true},
	}
	rec, err := Record(rows)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	back, err := TableRows(rec)
	if err != nil {
		t.Fatal(err)
	}
	if i := sameRows(rows, back); i >= 0 {
		t.Fatalf("TableRows(Record(rows)) differs at row %d: %+v, want %+v", i, back[i], rows[i])
	}
	rec2, err := Record(back)
	if err != nil {
		t.Fatal(err)
	}
	defer rec2.Release()
	if !array.RecordEqual(rec, rec2) {
		t.Errorf("Record(TableRows(rec)) differs from rec")
	}
}

// TestComputeEachMatchesCompute: computing the indicators one by one on
// several goroutines gives Compute's rows and skips on the whole list, in
// the same order, and the first failing indicator's error. SYNTHETIC
// indicators: each gives the nation and two counties a share of its own.
func TestComputeEachMatchesCompute(t *testing.T) {
	m := loadModel(t)
	target := m.Latest()
	in := &indicators.Inputs{Regions: Units(m, target, nil)}
	var list []*indicators.Indicator
	for i := range 9 {
		ind := &indicators.Indicator{ID: "ind" + string(rune('a'+i)), Unit: "prosent", Scale: 100, Levels: indicators.AllLevels,
			Basis: indicators.Register, Comparators: []indicators.Comparator{indicators.National}}
		share := float64(10 + i)
		ind.Compute = func(*indicators.Inputs) ([]indicators.Value, error) {
			if i == 4 {
				return nil, fmt.Errorf("no ages: %w", indicators.ErrUnsuitable)
			}
			var out []indicators.Value
			for j, r := range []string{"0", "03", "50"} {
				num := share + float64(j)
				out = append(out, indicators.Value{Region: r, Period: "2025", Num: num, Den: 100, Value: num, Valid: true,
					CILow: math.NaN(), CIHigh: math.NaN()})
			}
			return out, nil
		}
		list = append(list, ind)
	}
	ctx := context.Background()
	want, wantSkips, err := Compute(ctx, m, target, nil, list, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2, 4} {
		chunks, skips, err := computeEach(ctx, m, target, nil, list, in, nil, workers)
		if err != nil {
			t.Fatal(err)
		}
		// One chunk per indicator, each of its own rows only.
		var got []Row
		for k, c := range chunks {
			for _, r := range c {
				if r.Indicator != list[k].ID {
					t.Fatalf("computeEach(%d workers): chunk %d (%s) holds a row of %s", workers, k, list[k].ID, r.Indicator)
				}
			}
			got = append(got, c...)
		}
		if len(chunks) != len(list) {
			t.Errorf("computeEach(%d workers): %d chunks for %d indicators", workers, len(chunks), len(list))
		}
		if i := sameRows(got, want); i >= 0 {
			t.Errorf("computeEach(%d workers) differs from Compute at row %d of %d/%d", workers, i, len(got), len(want))
		}
		if !reflect.DeepEqual(skips, wantSkips) {
			t.Errorf("computeEach(%d workers) skips %v, want %v", workers, skips, wantSkips)
		}
	}
	bad := &indicators.Indicator{ID: "bad", Unit: "prosent", Scale: 100, Levels: indicators.AllLevels, Basis: indicators.Register}
	bad.Compute = func(*indicators.Inputs) ([]indicators.Value, error) { return nil, fmt.Errorf("broken") }
	if _, _, err := computeEach(ctx, m, target, nil, append(list[:2:2], bad), in, nil, 2); err == nil {
		t.Error("computeEach with a failing indicator: no error")
	}
}

// TestRecordOfChunks: the record of rows given in chunks (one empty) is
// the record of the same rows in one slice, and every chunk is let go.
// The rows are SYNTHETIC.
func TestRecordOfChunks(t *testing.T) {
	nan := math.NaN()
	row := func(ind, region string, v float64) Row {
		return Row{Indicator: ind, Region: region, RegionLabel: "R" + region, RegionLevel: "kommune", Period: "2024", Value: v, Unit: "prosent",
			Numerator: nan, Denominator: nan, ComparatorValue: nan, GapAbs: nan, GapIndex: nan, Z: nan, CILow: nan, CIHigh: nan, NUnits: 1}
	}
	a := []Row{row("a", "4001", 1), row("a", "4003", 2)}
	b := []Row{row("b", "4001", nan), row("b", "4003", 4), row("b", "0", 5)}
	whole, err := Record(append(slices.Clone(a), b...))
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Release()
	chunks := [][]Row{a, nil, b}
	rec, err := recordOf(chunks)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if !array.RecordEqual(rec, whole) {
		t.Error("record of the chunks differs from the record of the rows")
	}
	for i, c := range chunks {
		if c != nil {
			t.Errorf("chunk %d kept", i)
		}
	}
}
