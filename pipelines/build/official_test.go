package build

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// publishedSeries is a dataset of the knowledge base reduced to the county
// and national rows its source publishes (with the denominators derived
// from published rates, as the build derives them), nothing harmonised
// or summed; nil when the dataset is absent or publishes no such row.
func publishedSeries(t *testing.T, st *store.Store, ds string) *indicators.Series {
	t.Helper()
	rec, err := st.ReadVersion(ds, "")
	if err != nil {
		return nil
	}
	defer rec.Release()
	tab, err := harmonise.ReadSource(ds, rec)
	if err != nil {
		t.Fatalf("ReadSource(%s): %v", ds, err)
	}
	if len(tab.Published) == 0 {
		return nil
	}
	s := indicators.NewSeries(ds, tab.Dims...)
	for k, l := range tab.Labels {
		dim, code, _ := strings.Cut(k, "\x1f")
		s.SetLabel(dim, code, l)
	}
	for _, r := range tab.Published {
		c := indicators.Cell{Value: r.Value, Valid: r.Valid, Status: r.Status}
		if !c.Valid {
			c.Value = 0
		}
		if err := s.Set(r.Code, r.Period, r.Key, c); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// checkOfficialFigures is the table test over the whole catalog: for
// every indicator computed on the demo, it computes the indicator again
// from nothing but the county and national rows its inputs publish (the
// peer computation: the same formula on the official figures), and
// requires every county and national value of the build to equal it,
// unless the build marks the value computed (the source's row is on
// another territory than today's county, e.g. Trøndelag before Rindal
// joined in 2019, or the source publishes no such row). Equality is to
// 1e-9 relative: both sides are the same arithmetic on the same published
// numbers, so the build's value is the published one within the
// publication's own rounding.
func checkOfficialFigures(t *testing.T, res *Result, st *store.Store) {
	built := rowsOf(t, res)
	m := loadModel(t)
	target := m.Latest()
	var peer []indicators.Region
	for _, u := range Units(m, target, nil) {
		if u.Level == indicators.LevelNation || u.Level == indicators.LevelCounty {
			peer = append(peer, u)
		}
	}
	reg, err := indicators.NewCatalog(indicators.Catalog()...)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ ind, region, period, cat string }
	type got struct {
		value    float64
		computed bool
	}
	table := map[key]got{}
	for _, r := range built {
		table[key{r.Indicator, r.Region, r.Period, r.Category}] = got{r.Value, r.Computed}
	}
	cache := map[string]*indicators.Series{}
	published := func(ds string) *indicators.Series {
		s, ok := cache[ds]
		if !ok {
			s = publishedSeries(t, st, ds)
			cache[ds] = s
		}
		return s
	}
	checked := 0
	for _, id := range res.Computed {
		ind, _ := reg.Lookup(id)
		in := &indicators.Inputs{Regions: peer, Series: map[string]*indicators.Series{}}
		for _, x := range ind.Inputs {
			if s := published(x.Dataset); s != nil {
				in.Series[x.Dataset] = s
			}
		}
		if len(in.Series) == 0 {
			continue
		}
		vals, err := ind.Compute(in)
		if errors.Is(err, indicators.ErrUnsuitable) {
			continue
		}
		if err != nil {
			t.Errorf("%s on the published rows: %v", id, err)
			continue
		}
		equal, computed := 0, 0
		for _, v := range vals {
			if !v.Valid {
				continue
			}
			g, ok := table[key{id, v.Region, v.Period, v.Category}]
			switch {
			case ok && g.computed:
				computed++
			case !ok || math.IsNaN(g.value):
				t.Errorf("%s(%s, %s, %q): published inputs give %g, the build has no value", id, v.Region, v.Period, v.Category, v.Value)
			case math.Abs(g.value-v.Value) > 1e-9*math.Max(1, math.Abs(v.Value)):
				t.Errorf("%s(%s, %s, %q) = %.10g, want %.10g from the published rows", id, v.Region, v.Period, v.Category, g.value, v.Value)
			default:
				equal++
			}
		}
		if equal+computed > 0 {
			checked++
			t.Logf("%s: %d county and national values equal the published figures, %d marked computed", id, equal, computed)
		}
	}
	if checked == 0 {
		t.Error("no indicator compared with published figures")
	}
}

// checkSyntheticFlag: every row of an indicator with a synthetic input
// dataset (the catalog's mark) carries synthetic = true, in the table the
// build returned and in indicators.parquet as read back; rows of
// indicators without a synthetic input carry false.
func checkSyntheticFlag(t *testing.T, res *Result, st *store.Store) {
	built := rowsOf(t, res)
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := indicators.NewCatalog(indicators.Catalog()...)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, id := range res.Computed {
		ind, _ := reg.Lookup(id)
		for _, x := range ind.Inputs {
			if v := cat.Datasets[x.Dataset].CurrentVersion(); v != nil && v.Synthetic {
				want[id] = true
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("no indicator of the demo reads a synthetic dataset; the demo marks most of its tables synthetic")
	}
	bad := map[string]int{}
	for _, r := range built {
		if r.Synthetic != want[r.Indicator] {
			bad[r.Indicator]++
		}
	}
	back, err := st.ReadIndicators("")
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	ind, err := store.StringColumn(back, "indicator")
	if err != nil {
		t.Fatal(err)
	}
	idx := back.Schema().FieldIndices("synthetic")
	if len(idx) != 1 {
		t.Fatal("indicators.parquet has no synthetic column")
	}
	col := back.Column(idx[0])
	for i := range int(back.NumRows()) {
		got := strings.Contains(col.ValueStr(i), "true")
		if got != want[ind(i)] {
			bad[ind(i)+" (parquet)"]++
		}
	}
	for id, n := range bad {
		t.Errorf("%s: %d rows with synthetic != %v (its inputs' mark)", id, n, want[strings.TrimSuffix(id, " (parquet)")])
	}
}
