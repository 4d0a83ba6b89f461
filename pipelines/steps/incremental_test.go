package steps

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/charts/mapdata"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/publish"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// The one-cell change of the regression test and the benchmark: the NAV
// shortage survey of Vestfold og Telemark (nav_mangel_naering, 12 rows,
// real; testdata/demo/nav/PROVENANCE.md), whose bundled response is a
// CSV of "industry;persons" lines. The test raises Industrien from 250
// to 250+n in its own copy of the bundle; the NAV source has no update
// stamp, so the next run fetches it and publishes the new version.
const (
	changedDataset = "nav_mangel_naering"
	changedFile    = "testdata/demo/nav/bedriftsundersokelse-naering-vt-2021.csv"
	changedLine    = "Industrien;250"
)

// copyTestdata copies the repository's testdata folder into a temp folder
// (the demo config's relative paths resolve there) and returns the config
// and the root of the copy.
func copyTestdata(tb testing.TB) (cfg *config.Config, root string) {
	tb.Helper()
	root = tb.TempDir()
	err := filepath.WalkDir("../../testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("../..", p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(root, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(root, rel), b, 0o644)
	})
	if err != nil {
		tb.Fatal(err)
	}
	cfg, err = config.Load(filepath.Join(root, "testdata", "demo", "grunnlag.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	cfg.KB = filepath.Join(root, "kb")
	return cfg, root
}

// setIndustry rewrites the bundled NAV response with Industrien's
// shortage set to persons.
func setIndustry(tb testing.TB, root string, persons int) {
	tb.Helper()
	path := filepath.Join(root, filepath.FromSlash(changedFile))
	orig, err := os.ReadFile(filepath.Join("../..", filepath.FromSlash(changedFile)))
	if err != nil {
		tb.Fatal(err)
	}
	if !bytes.Contains(orig, []byte(changedLine)) {
		tb.Fatalf("%s has no line %q", changedFile, changedLine)
	}
	b := bytes.Replace(orig, []byte(changedLine), []byte("Industrien;"+strconv.Itoa(persons)), 1)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}

func runner(tb testing.TB, cfg *config.Config) (*dag.Runner, *store.Store) {
	tb.Helper()
	st, err := store.Open(cfg.KB)
	if err != nil {
		tb.Fatal(err)
	}
	g, err := dag.New(List(Deps{Config: cfg, Store: st})...)
	if err != nil {
		tb.Fatal(err)
	}
	return &dag.Runner{Graph: g, Store: st}, st
}

func stepReport(rep *dag.Report, name string) *dag.StepReport {
	for _, s := range rep.Steps {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// chartFiles returns the sha256 of every file of the chart folder but the
// node list, by path.
func chartFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir+"/", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == publish.ChartNodesFile {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum := sha256.Sum256(b)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOneCellChange is the regression test of the fine-grained run: after
// a run of the demo, one cell of nav_mangel_naering changes at the source
// and the next run recomputes exactly the indicators that read it and
// redraws exactly their charts (counted by nodes, not timed), and its
// indicator table and charts equal a cold build's of the same inputs.
func TestOneCellChange(t *testing.T) {
	if testing.Short() {
		t.Skip("two demo runs and a cold build take minutes")
	}
	if raceEnabled {
		t.Skip("two demo runs and a cold build take most of the race pass's time; the plain pass runs it (the concurrent indicator computation has its own race test)")
	}
	cfg, root := copyTestdata(t)
	r, st := runner(t, cfg)
	ctx := context.Background()
	// The charts, offers and exports targets: fetch, harmonise, survey,
	// needs, offers, planning, build, charts and exports (the book is
	// left out to save time; it follows build as charts does). The offers step
	// publishes datasets that are not source tables (tilbud): the
	// harmonise step of the second run must leave them alone (it failed
	// on them before).
	opts := dag.Options{Targets: []string{"charts", "offers", "exports"}}
	rep1, err := r.Run(ctx, opts)
	if err != nil {
		t.Fatalf("first run: %v", err)
	}
	chartsDir := filepath.Join(cfg.KB, "charts")
	before := chartFiles(t, chartsDir)
	carriedProbe := filepath.Join(chartsDir, "ledighet_helt_andel", "kommune.csv")
	probeBefore, err := os.Stat(carriedProbe)
	if err != nil {
		t.Fatalf("chart of an unchanged indicator: %v", err)
	}

	shortage := func() []build.Row {
		rec, err := st.ReadIndicators("")
		if err != nil {
			t.Fatal(err)
		}
		defer rec.Release()
		rows, err := build.TableRows(rec)
		if err != nil {
			t.Fatal(err)
		}
		var out []build.Row
		for _, r := range rows {
			if r.Indicator == "stramhet_naering" {
				out = append(out, r)
			}
		}
		return out
	}
	shortBefore := shortage()

	setIndustry(t, root, 260)
	rep, err := r.Run(ctx, opts)
	if err != nil {
		t.Fatalf("run after the change: %v", err)
	}
	if s := stepReport(rep, "harmonise"); s == nil || s.Action != dag.ActionRun {
		t.Fatalf("harmonise step = %+v, want it run", s)
	}
	if s := stepReport(rep, FetchPrefix+changedDataset); s == nil || s.Outcome != pipelines.OutcomePublished {
		t.Fatalf("fetch/%s = %+v, want published", changedDataset, s)
	}
	// The needs step does not read nav_mangel_naering: it runs (its input
	// harmonise changed) and reuses its output, so the identity the
	// offers and build steps see is the first run's.
	if s, s1 := stepReport(rep, "needs"), stepReport(rep1, "needs"); s == nil || s1 == nil || s.Outcome != "unchanged" || s.Output != s1.Output {
		t.Errorf("needs step after one cell = %+v, want outcome unchanged and the first run's output %+v", s, s1)
	}
	if s := stepReport(rep, "offers"); s == nil || s.Action != dag.ActionSkip {
		t.Errorf("offers step after one cell = %+v, want skipped", s)
	}

	// Expected nodes, from the catalog's declared inputs. By hand: the
	// only indicator with an input on nav_mangel_naering is
	// stramhet_naering (indicators/stramhet_naering.go, shortageDataset);
	// its chart set is redrawn, and so is the county heatmap, which draws
	// every indicator's county gaps. In the exports, stramhet_naering's
	// CSV rows are written and so is its theme's sheet (ettersporsel,
	// indicators/stramhet_naering.go); every other sheet and indicator's
	// rows are carried over.
	var deps []string
	for _, ind := range indicators.Catalog() {
		for _, in := range ind.Inputs {
			if in.Dataset == changedDataset {
				deps = append(deps, ind.ID)
				break
			}
		}
	}
	if !slices.Equal(deps, []string{"stramhet_naering"}) {
		t.Fatalf("indicators reading %s = %v, want [stramhet_naering] (update the comment)", changedDataset, deps)
	}
	var wantRan []string
	for _, id := range deps {
		wantRan = append(wantRan, "indicator:"+id)
	}
	for _, id := range deps {
		wantRan = append(wantRan, "chart:"+id)
	}
	wantRan = append(wantRan, "chart:"+book.HeatmapChart)
	wantRan = append(wantRan, "export:sheet:"+indicators.ThemeDemand)
	for _, id := range deps {
		wantRan = append(wantRan, "export:csv:"+id)
	}
	if got := rep.NodesRan(); !slices.Equal(got, wantRan) {
		t.Errorf("nodes run after one cell = %v, want %v", got, wantRan)
	}
	if shortAfter := shortage(); len(shortAfter) != len(shortBefore) || !slices.ContainsFunc(shortAfter, func(r build.Row) bool {
		i := slices.IndexFunc(shortBefore, func(o build.Row) bool {
			return o.Region == r.Region && o.Period == r.Period && o.Category == r.Category && o.Comparator == r.Comparator
		})
		return i >= 0 && !sameRow(shortBefore[i], r)
	}) {
		t.Errorf("stramhet_naering: no row changed after Industrien 250 → 260 (%d rows before, %d after)", len(shortBefore), len(shortAfter))
	}
	b := stepReport(rep, "build")
	if b == nil || b.Nodes == nil || b.Nodes.Total() < 20 {
		t.Fatalf("build step nodes = %+v, want every computed indicator counted", b)
	}

	// The charts of the other indicators were carried over (hard links of
	// the same files), not drawn again; the changed ones differ.
	after := chartFiles(t, chartsDir)
	probeAfter, err := os.Stat(carriedProbe)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(probeBefore, probeAfter) {
		t.Errorf("%s was written anew, want it carried over (linked)", carriedProbe)
	}
	for p, sum := range after {
		node, _, _ := strings.Cut(p, "/")
		if before[p] != sum && node != "stramhet_naering" && !strings.HasPrefix(p, book.HeatmapChart) {
			t.Errorf("chart file %s changed, want only stramhet_naering's and the heatmap's", p)
		}
	}
	if len(after) != len(before) {
		t.Errorf("chart files: %d after, %d before", len(after), len(before))
	}

	// A cold build of the same inputs: the same indicator table (same
	// content, row for row) and the same chart files.
	inc, err := st.ReadIndicators("")
	if err != nil {
		t.Fatal(err)
	}
	incRows, err := build.TableRows(inc)
	inc.Release()
	if err != nil {
		t.Fatal(err)
	}
	model, groups, err := pipelines.LoadRegions(ctx, cfg.Regions)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := indicators.NewCatalog(indicators.Catalog()...)
	if err != nil {
		t.Fatal(err)
	}
	cold, err := (&build.Builder{Store: st, Model: model, Groups: groups, Catalog: reg, Full: true}).Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cold.Release()
	coldRows, err := cold.AllRows()
	if err != nil {
		t.Fatal(err)
	}
	if !cold.Version.Unchanged {
		t.Errorf("cold build: new indicator version, want the incremental one's content")
	}
	if len(coldRows) != len(incRows) {
		t.Fatalf("cold build: %d rows, incremental %d", len(coldRows), len(incRows))
	}
	for i := range incRows {
		if !sameRow(incRows[i], coldRows[i]) {
			t.Fatalf("row %d: incremental %+v, cold %+v", i, incRows[i], coldRows[i])
		}
	}
	m, err := charts.ParseGeoJSON(bytes.NewReader(mapdata.Kommuner2024), "kommunenummer")
	if err != nil {
		t.Fatal(err)
	}
	p := &publish.Publisher{Store: st, Indicators: indicators.Catalog(), Map: m, Model: model}
	if _, err := p.Charts(ctx); err != nil {
		t.Fatal(err)
	}
	coldCharts := chartFiles(t, chartsDir)
	var diff []string
	for path, sum := range coldCharts {
		if after[path] != sum {
			diff = append(diff, path)
		}
	}
	for path := range after {
		if _, ok := coldCharts[path]; !ok {
			diff = append(diff, path)
		}
	}
	sort.Strings(diff)
	if len(diff) > 0 {
		t.Errorf("incremental charts differ from a cold drawing in %d files: %v", len(diff), diff[:min(len(diff), 10)])
	}
}

// sameRow compares two indicator rows, NaN equal to NaN.
func sameRow(a, b build.Row) bool {
	fa := []float64{a.Value, a.Numerator, a.Denominator, a.ComparatorValue, a.GapAbs, a.GapIndex, a.Z, a.CILow, a.CIHigh}
	fb := []float64{b.Value, b.Numerator, b.Denominator, b.ComparatorValue, b.GapAbs, b.GapIndex, b.Z, b.CILow, b.CIHigh}
	for i := range fa {
		if fa[i] != fb[i] && !(math.IsNaN(fa[i]) && math.IsNaN(fb[i])) {
			return false
		}
	}
	return a.Indicator == b.Indicator && a.Region == b.Region && a.RegionLabel == b.RegionLabel && a.RegionLevel == b.RegionLevel &&
		a.Period == b.Period && a.Category == b.Category && a.CategoryLabel == b.CategoryLabel && a.Unit == b.Unit &&
		a.Comparator == b.Comparator && a.ComparatorRegion == b.ComparatorRegion && a.Rank == b.Rank && a.NRanked == b.NRanked &&
		a.NUnits == b.NUnits && a.Flags == b.Flags && a.Sources == b.Sources && a.Synthetic == b.Synthetic && a.Computed == b.Computed
}
