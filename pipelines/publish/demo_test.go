package publish

import (
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/pipelines/demo/demotest"
)

// TestDemoSyntheticTravels runs the whole demo (refresh from the offline
// bundles, build) into a temp kb and fails on any indicator with a
// synthetic input dataset (the catalog's mark) whose outputs lack the
// flag: every export row (the rows Export writes to the CSV files and the
// XLSX sheets) must say syntetisk = ja, and the book's charts must credit
// the data as synthetic, never to the source alone. Rows of indicators
// without a synthetic input must say nei.
func TestDemoSyntheticTravels(t *testing.T) {
	if testing.Short() {
		t.Skip("demo build takes several seconds")
	}
	kb := demotest.Built(t, "../../testdata/demo/grunnlag.yaml")
	st, reg := kb.Store, kb.Catalog
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	synthetic := map[string]bool{}
	for _, ind := range reg.All() {
		for _, x := range ind.Inputs {
			if v := cat.Datasets[x.Dataset].CurrentVersion(); v != nil && v.Synthetic {
				synthetic[ind.ID] = true
			}
		}
	}
	p := &Publisher{Store: st, Indicators: reg.All()}
	in, err := p.Input()
	if err != nil {
		t.Fatal(err)
	}
	sheets, all := IndicatorSheets(in)
	col := -1
	for i, c := range all.Columns {
		if c.Name == "syntetisk" {
			col = i
		}
	}
	if col < 0 {
		t.Fatal("the indicator export has no syntetisk column")
	}
	for _, s := range sheets {
		if len(s.Columns) != len(all.Columns) || s.Columns[col].Name != "syntetisk" {
			t.Errorf("sheet %s lacks the syntetisk column", s.Name)
		}
	}
	bad := map[string]int{}
	nsynth := 0
	for _, r := range all.Rows {
		id := r[1].(string)
		want := "nei"
		if synthetic[id] {
			want = "ja"
			nsynth++
		}
		if r[col] != want {
			bad[id]++
		}
	}
	for id, n := range bad {
		t.Errorf("%s: %d export rows with syntetisk != %v (its inputs' mark)", id, n, synthetic[id])
	}
	if nsynth == 0 {
		t.Error("no synthetic export row: the demo marks most tables synthetic")
	}
	for _, bi := range in.Indicators {
		if bi.Synthetic != synthetic[bi.ID] {
			t.Errorf("book indicator %s: Synthetic = %v, want %v", bi.ID, bi.Synthetic, synthetic[bi.ID])
		}
		m := charts.Meta{Source: bi.Source, Table: bi.Table, Updated: bi.Updated, Synthetic: bi.Synthetic}
		if line := m.Caption()[0]; bi.Synthetic && !strings.HasPrefix(line, "Kilde: syntetiske demodata") {
			t.Errorf("chart source line of %s = %q, want it to credit synthetic demo data", bi.ID, line)
		}
	}
}
