package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"gonum.org/v1/plot/plotter"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// twoIndicators is synthRows (SYNTHETIC) with a second indicator,
// utdanning_vgs_andel, holding the same numbers; porsgrunn changes only
// utdanning_hoyere_andel's Porsgrunn 2025.
func twoIndicators(porsgrunn float64) []build.Row {
	rows := synthRows(porsgrunn)
	for _, r := range synthRows(31) {
		r.Indicator = "utdanning_vgs_andel"
		rows = append(rows, r)
	}
	return rows
}

// publishRowsTo publishes rows as the indicator table of st.
func publishRowsTo(t *testing.T, st *store.Store, rows []build.Row) {
	t.Helper()
	rec, err := build.Record(rows)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if _, err := st.PublishIndicators(context.Background(), rec, nil); err != nil {
		t.Fatal(err)
	}
}

// treeSums returns the sha256 of every file under dir but the node list.
func treeSums(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir+"/", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ChartNodesFile {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		s := sha256.Sum256(b)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(s[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d files, want %d", what, len(got), len(want))
	}
	for p, s := range want {
		if got[p] != s {
			t.Errorf("%s: %s differs from a cold drawing", what, p)
		}
	}
}

// TestChartsIncremental: the chart set is drawn in full once, then not at
// all while the table is the same, then only for the indicator whose rows
// changed (and the heatmap, which shows every indicator); the result
// equals a cold drawing file for file.
func TestChartsIncremental(t *testing.T) {
	st := synthStore(t)
	publishRowsTo(t, st, twoIndicators(31))
	p := &Publisher{Store: st, Indicators: indicators.Catalog(), Map: testMap(t), Workers: 2, Code: "test", MapID: "kommuner2024"}
	ctx := context.Background()
	res, err := p.ChartsIncremental(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"utdanning_vgs_andel", "utdanning_hoyere_andel", book.HeatmapChart}
	slices.Sort(all)
	drawn := slices.Sorted(slices.Values(res.Drawn))
	if !slices.Equal(drawn, all) || len(res.Carried) != 0 {
		t.Fatalf("first ChartsIncremental: drawn %v, carried %v; want all drawn", res.Drawn, res.Carried)
	}
	total := res.Charts
	probe := filepath.Join(res.Dir, "utdanning_vgs_andel", "kommune.svg")
	fi0, err := os.Stat(probe)
	if err != nil {
		t.Fatal(err)
	}

	res, err = p.ChartsIncremental(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Drawn) != 0 || res.ChartsDrawn != 0 || res.Charts != total {
		t.Errorf("unchanged table: drawn %v (%d charts of %d), want none of %d", res.Drawn, res.ChartsDrawn, res.Charts, total)
	}

	// Porsgrunn 2025 of utdanning_hoyere_andel: 31 → 31.5.
	publishRowsTo(t, st, twoIndicators(31.5))
	res, err = p.ChartsIncremental(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{book.HeatmapChart, "utdanning_hoyere_andel"}; !slices.Equal(slices.Sorted(slices.Values(res.Drawn)), want) ||
		!slices.Equal(res.Carried, []string{"utdanning_vgs_andel"}) {
		t.Errorf("one indicator changed: drawn %v, carried %v; want %v, [utdanning_vgs_andel]", res.Drawn, res.Carried, want)
	}
	if res.Charts != total {
		t.Errorf("chart set has %d charts, want %d", res.Charts, total)
	}
	fi1, err := os.Stat(probe)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(fi0, fi1) {
		t.Errorf("%s was drawn again, want it linked from the first drawing", probe)
	}
	inc := treeSums(t, res.Dir)
	if _, err := (&Publisher{Store: st, Indicators: indicators.Catalog(), Map: testMap(t), Workers: 2}).Charts(ctx); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "charts", inc, treeSums(t, res.Dir))

	// The folder of a cold drawing has no node list: the next
	// incremental drawing draws everything.
	res, err = p.ChartsIncremental(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Carried) != 0 {
		t.Errorf("after a cold drawing: carried %v, want none", res.Carried)
	}
}

// TestBookFiguresCarried: a book with a Code carries unchanged figures over
// and equals a cold book file for file.
func TestBookFiguresCarried(t *testing.T) {
	st := synthStore(t)
	publishRowsTo(t, st, twoIndicators(31))
	p := &Publisher{Store: st, Indicators: indicators.Catalog(), Map: testMap(t), Workers: 2, Code: "test", MapID: "kommuner2024"}
	ctx := context.Background()
	first, err := p.Book(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.ChartsDrawn != first.Charts || first.Charts == 0 {
		t.Fatalf("first book drew %d of %d figures, want all", first.ChartsDrawn, first.Charts)
	}
	publishRowsTo(t, st, twoIndicators(31.5))
	res, err := p.Book(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.ChartsDrawn == 0 || res.ChartsDrawn >= res.Charts {
		t.Errorf("one value changed: drew %d of %d figures, want some but not all", res.ChartsDrawn, res.Charts)
	}
	if res.Files != first.Files {
		t.Errorf("book has %d files, first had %d", res.Files, first.Files)
	}
	inc := treeSums(t, res.Dir)
	if _, err := (&Publisher{Store: st, Indicators: indicators.Catalog(), Map: testMap(t), Workers: 2}).Book(ctx); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "book", inc, treeSums(t, res.Dir))
}

// TestFigureKey: equal charts have equal keys, whatever the map order;
// any field changes the key; a function cannot be keyed.
func TestFigureKey(t *testing.T) {
	p := &Publisher{Code: "c", MapID: "m"}
	nan := math.NaN()
	bars := func(v float64) charts.Chart {
		return &charts.RankedBars{Meta: charts.Meta{Title: "t"}, Labels: []string{"a", "b"}, Values: plotter.Values{1, v}, Reference: nan}
	}
	key := func(c charts.Chart) string {
		k, err := p.figureKey(charts.Job{Name: "x", Chart: c})
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	// Two charts built apart with the same values (NaN too) get one key.
	two1, two2 := key(bars(2)), key(bars(2))
	nan1, nan2 := key(bars(nan)), key(bars(nan))
	if two1 != two2 || nan1 != nan2 {
		t.Error("equal charts have different keys")
	}
	if key(bars(2)) == key(bars(2.0000001)) || key(bars(2)) == key(bars(nan)) {
		t.Error("different values have the same key")
	}
	m1 := map[string]int{"a": 1, "b": 2, "c": 3}
	m2 := map[string]int{"c": 3, "b": 2, "a": 1}
	k := func(v any) string {
		h := sha256.New()
		if err := hashValue(h, reflect.ValueOf(v), "m", 0); err != nil {
			t.Fatal(err)
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	if k(m1) != k(m2) {
		t.Error("map order changes the key")
	}
	if k(m1) == k(map[string]int{"a": 1, "b": 2, "c": 4}) {
		t.Error("a map value does not change the key")
	}
	h := sha256.New()
	if err := hashValue(h, reflect.ValueOf(struct{ F func() }{func() {}}), "m", 0); err == nil {
		t.Error("a function was keyed")
	}
}
