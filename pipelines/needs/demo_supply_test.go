package needs

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// demoSupply refreshes the demo config's supply datasets for programmes and
// fields (recorded SYNTHETIC answers in testdata/demo/udir and
// testdata/demo/dbh) into a temporary knowledge base.
func demoSupply(t *testing.T) *store.Store {
	t.Helper()
	if testing.Short() {
		t.Skip("refreshes part of the demo")
	}
	cfg, err := config.Load("../../testdata/demo/grunnlag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.KB = t.TempDir()
	st, err := store.Open(cfg.KB)
	if err != nil {
		t.Fatal(err)
	}
	only := []string{"udir_laerekontrakter", "udir_laerekontrakter_program", "udir_elever_program", "dbh_studenter"}
	if _, err := (&pipelines.Refresher{Config: cfg, Store: st}).Refresh(context.Background(), pipelines.RefreshOptions{Only: only}); err != nil {
		t.Fatalf("refresh %v: %v", only, err)
	}
	return st
}

// programmeCells reads a dataset with a Utdprogram column: region →
// programme → value (NaN for a cell without a value) and the statuses.
func programmeCells(t *testing.T, st *store.Store, id string) (map[string]map[string]float64, map[string]string) {
	rec := published(t, st, id)
	defer rec.Release()
	reg, prog, stat := col(t, rec, "region"), col(t, rec, "Utdprogram"), col(t, rec, "status")
	vals := rec.Column(rec.Schema().FieldIndices("value")[0]).(*array.Float64)
	out := map[string]map[string]float64{}
	status := map[string]string{}
	for i := range reg {
		if out[reg[i]] == nil {
			out[reg[i]] = map[string]float64{}
		}
		out[reg[i]][prog[i]] = math.NaN()
		if vals.IsValid(i) {
			out[reg[i]][prog[i]] = vals.Value(i)
		}
		if stat[i] != "" {
			status[reg[i]+"/"+prog[i]] = stat[i]
		}
	}
	return out, status
}

// TestDemoUdirProgrammes checks the demo's SYNTHETIC programme datasets
// against themselves and against udir_laerekontrakter (data-foy-lk.json:
// 2025 Hele landet 48 725, published; Telemark 1 702 and Trøndelag 4 187,
// synthetic), then joins them with the demo survey. Expected joined values
// are cells of the recorded files: Trøndelag (50) HS pupils 2 287
// (data-elever-program-syntetisk.json), HS apprentices 760
// (data-foy-lk-program-syntetisk.json), fagfelt 6 students 8 905
// (studenter-fylke-2024-syntetisk.json).
func TestDemoUdirProgrammes(t *testing.T) {
	st := demoSupply(t)
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"udir_elever_program", "udir_laerekontrakter_program", "dbh_studenter"} {
		v := cat.Datasets[id].CurrentVersion()
		if v == nil || !v.Synthetic || !strings.HasSuffix(v.Title, "(demo, syntetisk)") {
			t.Errorf("%s = %+v, want a synthetic version titled ... (demo, syntetisk)", id, v)
		}
	}
	// Apprentices: the programme columns add up to -10 exactly, and -10 is
	// udir_laerekontrakter's 2025 figure for the same region.
	lk, _ := programmeCells(t, st, "udir_laerekontrakter_program")
	tot := published(t, st, "udir_laerekontrakter")
	defer tot.Release()
	treg, tper := col(t, tot, "region"), col(t, tot, "period")
	tvals := tot.Column(tot.Schema().FieldIndices("value")[0]).(*array.Float64)
	total2025 := map[string]float64{}
	for i := range treg {
		if tper[i] == "2025" && tvals.IsValid(i) {
			total2025[treg[i]] = tvals.Value(i)
		}
	}
	if total2025["0"] != 48725 {
		t.Errorf("udir_laerekontrakter 2025 nation = %g, want the published 48 725", total2025["0"])
	}
	for _, r := range []string{"0", "40", "50"} {
		sum := 0.0
		for p, x := range lk[r] {
			if p != "-10" {
				sum += x
			}
		}
		if lk[r]["-10"] != total2025[r] || sum != lk[r]["-10"] {
			t.Errorf("apprentices %s: -10 = %g, programmes sum to %g, udir_laerekontrakter 2025 = %g; want all equal", r, lk[r]["-10"], sum, total2025[r])
		}
	}
	// Pupils: programmes add up to -10 where no cell is suppressed;
	// Telemark's HDP is "*" (PROVENANCE.md: the hidden 4 is in -10).
	el, status := programmeCells(t, st, "udir_elever_program")
	for _, r := range []string{"0", "40", "50"} {
		sum, hidden := 0.0, false
		for p, x := range el[r] {
			switch {
			case p == "-10":
			case math.IsNaN(x):
				hidden = true
			default:
				sum += x
			}
		}
		if hidden && (r != "40" || el[r]["-10"]-sum != 4) || !hidden && sum != el[r]["-10"] {
			t.Errorf("pupils %s: -10 = %g, programmes sum to %g (a suppressed cell: %v)", r, el[r]["-10"], sum, hidden)
		}
	}
	if s := status["40/HDP"]; s != "*" || !math.IsNaN(el["40"]["HDP"]) {
		t.Errorf("pupils 40/HDP = %g status %q, want missing with Udir's *", el["40"]["HDP"], s)
	}
	// DBH rounds counts to 5.
	rec := published(t, st, "dbh_studenter")
	vals := rec.Column(rec.Schema().FieldIndices("value")[0]).(*array.Float64)
	for i := 0; i < vals.Len(); i++ {
		if !vals.IsValid(i) || math.Mod(vals.Value(i), 5) != 0 {
			t.Errorf("dbh_studenter row %d = %v, want a multiple of 5", i, vals.Value(i))
		}
	}
	rec.Release()

	// The join on the demo survey.
	if _, err := Build(context.Background(), st, demoOptions(t)); err != nil {
		t.Fatal(err)
	}
	got := readSupply(t, st)
	for _, tt := range []struct {
		key, kilde string
		want       float64
	}{
		{"elever_vgs 50/helse_oppvekst", "udir_elever_program", 2287},
		{"elever_vgs 50/_T", "udir_elever_program", 19400},
		{"laerekontrakter 50/helse_oppvekst", "udir_laerekontrakter_program", 760},
		{"laerekontrakter 50/_T", "udir_laerekontrakter_program", 4187},
		// Trøndelag's fagfelt 6 (8 905) and 2 (4 315), crosswalk.csv.
		{"studenter_hoyere_utdanning 50/helse_oppvekst", "dbh_studenter", 8905 + 4315},
		// 43 305 = the sum of Trøndelag's eight fields (PROVENANCE.md).
		{"studenter_hoyere_utdanning 50/_T", "dbh_studenter", 43305},
	} {
		c := got[tt.key]
		if c == nil || !c.ok || c.value != tt.want || c.kilde != tt.kilde || c.n != 1 {
			t.Errorf("needs_vs_supply %s = %+v, want %g from %s", tt.key, c, tt.want, tt.kilde)
		}
	}
	// Telemark's suppressed HDP leaves handverk_design missing there.
	if c := got["elever_vgs 40/handverk_design"]; c == nil || c.ok {
		t.Errorf("needs_vs_supply elever_vgs 40/handverk_design = %+v, want missing", c)
	}
}
