package publish

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/demo/demotest"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// demoFirm is a firm of the SYNTHETIC demo survey
// (testdata/survey/demo-syntetisk.csv): in 4001 Porsgrunn, 5 persons in
// okonomi_admin at vgs level and 4 in ikt at uh_kort (see
// pipelines/needs TestVersionsNotDifferenced).
const demoFirm = "800025842"

// surveyWithout copies the survey src into dir without the rows of orgnr.
func surveyWithout(t *testing.T, src, dir, orgnr string) string {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var b strings.Builder
	sc := bufio.NewScanner(in)
	dropped := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), orgnr+";") {
			dropped++
			continue
		}
		b.WriteString(sc.Text() + "\n")
	}
	if dropped == 0 {
		t.Fatalf("%s has no rows of %s", src, orgnr)
	}
	out := filepath.Join(dir, "uten-"+orgnr+".csv")
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// exportVersion reads the firm-derived indicators of an indikatorer-plain.csv
// export as a published version (what a reader of that file knows).
func exportVersion(t *testing.T, file string, firm map[string]bool) *needs.IndicatorVersion {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, c := range []string{"indikator", "region", "periode", "kategori", "verdi", "teller", "antall_enheter"} {
		if _, ok := col[c]; !ok {
			t.Fatalf("%s: no column %s", file, c)
		}
	}
	num := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %q: %v", file, s, err)
		}
		return x
	}
	v := &needs.IndicatorVersion{Name: file}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if !firm[rec[col["indikator"]]] {
			continue
		}
		c := needs.IndicatorCell{Indicator: rec[col["indikator"]], Region: rec[col["region"]], Period: rec[col["periode"]], Category: rec[col["kategori"]]}
		v.AddIndicatorCell(c, num(rec[col["teller"]]), num(rec[col["verdi"]]), num(rec[col["antall_enheter"]]))
	}
	return v
}

// TestDemoVersionsNotDifferenced runs the whole demo pipeline twice
// (refresh, needs, build, book, exports), the second time with the
// SYNTHETIC demo survey without one firm's response, and runs the exact
// audit over every published cell of the kb: every public version of the
// needs table, every public version of the firm-derived indicators in the
// indicator table, and every indicator export file anywhere outside
// secure/. It must find no exposure. The book's "what changed" must not
// compare firm-derived indicators or datasets, and no older book or export
// folder may be kept. Both runs together (the retired first indicator
// version from the secure zone beside the current one) expose the firm, so
// the audit is not blind.
//
// On the code before superseded indicator versions were retired, both
// indicator versions stayed under indicators/ and the audit found the
// differences of county 40 (n_units 85 → 84, and so on).
func TestDemoVersionsNotDifferenced(t *testing.T) {
	if testing.Short() {
		t.Skip("two demo builds take several seconds")
	}
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	kb := demotest.Refreshed(t, "../../testdata/demo/grunnlag.yaml", store.WithClock(func() time.Time { return now }))
	cfg, st, model, groups := kb.Config, kb.Store, kb.Model, kb.Groups
	opt, err := needs.FromConfig(cfg.Needs, model, groups, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// The firm-derived indicators and one register indicator: the whole
	// catalog's table (half a million rows) makes the test too slow on a
	// shared machine, and the other register indicators add nothing here.
	var list []*indicators.Indicator
	for _, ind := range indicators.Catalog() {
		if needs.FirmDerivedIndicators([]*indicators.Indicator{ind})[ind.ID] || ind.ID == "sysselsettingsgrad_20_66" {
			list = append(list, ind)
		}
	}
	reg, err := indicators.NewCatalog(list...)
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.All()) != 4 {
		t.Fatalf("test catalog has %d indicators, want 3 firm-derived and 1 register", len(reg.All()))
	}
	p := &Publisher{Store: st, Indicators: reg.All(), Workers: 2}
	run := func() *build.Result {
		if _, err := needs.Build(ctx, st, opt); err != nil {
			t.Fatalf("needs: %v", err)
		}
		res, err := (&build.Builder{Store: st, Model: model, Groups: groups, Catalog: reg}).Build(ctx)
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		res.Release()
		if _, err := p.Book(ctx); err != nil {
			t.Fatalf("book: %v", err)
		}
		if _, err := p.Export(ctx); err != nil {
			t.Fatalf("export: %v", err)
		}
		return res
	}
	first := run()
	now = now.Add(24 * time.Hour)
	opt.Survey = surveyWithout(t, opt.Survey, t.TempDir(), demoFirm)
	second := run()
	if first.Version.Stamp == second.Version.Stamp {
		t.Fatalf("both builds published indicator version %s", first.Version.Stamp)
	}
	if want := "indicators/version=" + first.Version.Stamp; strings.Join(second.Retired, " ") != want {
		t.Errorf("second build retired %v, want %s", second.Retired, want)
	}

	firm := needs.FirmDerivedIndicators(reg.All())
	for _, id := range []string{"bedrifter_behov_andel", "behov_personer_per_100_sysselsatte", "behov_mot_tilbud_gap"} {
		if !firm[id] {
			t.Errorf("FirmDerivedIndicators lacks %s", id)
		}
	}
	if needs.FirmDerivedIndicators(indicators.Catalog())["stramhet_naering"] {
		t.Error("FirmDerivedIndicators has stramhet_naering (NAV's published survey, no firm of ours)")
	}

	// Every published cell: the needs table's public versions...
	ex, err := needs.AuditStore(st, needs.Rule{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ex {
		t.Errorf("public %s: exposure %s", needs.DatasetNeeds, e)
	}
	for _, id := range needs.FirmDerived {
		if dirs, _ := filepath.Glob(filepath.Join(cfg.KB, "datasets", id, "version=*")); len(dirs) != 1 {
			t.Errorf("datasets/%s holds %d versions, want 1", id, len(dirs))
		}
	}
	// ... the indicator table's public versions and every export of it.
	ivs, err := needs.PublicIndicatorVersions(st, firm)
	if err != nil {
		t.Fatal(err)
	}
	if len(ivs) != 1 {
		t.Errorf("%d public indicator versions, want 1", len(ivs))
	}
	var exports, books []string
	err = filepath.WalkDir(cfg.KB, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(cfg.KB, path)
		switch {
		case d.IsDir() && rel == "secure":
			return filepath.SkipDir
		case d.Name() == "indikatorer-plain.csv":
			exports = append(exports, path)
		case d.IsDir() && strings.HasPrefix(d.Name(), ".book."):
			books = append(books, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(exports) != 1 || len(books) != 1 {
		t.Errorf("kb holds exports %v and book folders %v, want one of each (no older run's files)", exports, books)
	}
	for _, f := range exports {
		ivs = append(ivs, exportVersion(t, f, firm))
	}
	cells := 0
	for _, v := range ivs {
		cells += len(v.Cells)
	}
	if cells == 0 {
		t.Fatal("no published value of a firm-derived indicator: the audit would be blind")
	}
	for _, e := range needs.AuditIndicatorVersions(ivs, needs.Rule{}) {
		t.Errorf("published indicators: exposure %s", e)
	}

	// The book's "what changed" compares with the first run's version but
	// shows nothing derived from firms.
	in, err := p.Input()
	if err != nil {
		t.Fatal(err)
	}
	if in.Previous != first.Version.Stamp {
		t.Errorf("book compares with %q, want the retired first version %s", in.Previous, first.Version.Stamp)
	}
	firmData := map[string]bool{}
	for _, id := range needs.FirmDerived {
		firmData[id] = true
	}
	for _, c := range in.Changes {
		if firm[c.Name] || firmData[c.Name] {
			t.Errorf("book's what changed lists %s (%d added, %d removed, %d revised): derived from firms", c.Name, c.Added, c.Removed, c.Revised)
		}
	}
	page, err := os.ReadFile(filepath.Join(cfg.KB, "book", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if i := strings.Index(string(page), `id="endringer"`); i < 0 {
		t.Error("book index has no changes section")
	} else {
		section := string(page)[i:]
		for _, ind := range reg.All() {
			if firm[ind.ID] && strings.Contains(section, ">"+ind.Title+"<") {
				t.Errorf("book's changes section names %s", ind.ID)
			}
		}
	}

	// The retired first version and the current one together expose the
	// firm: the audit sees it when both are published.
	retired, err := needs.RetiredVersions(st, needs.IndicatorTable)
	if err != nil || len(retired) != 1 || retired[0].Stamp != first.Version.Stamp {
		t.Fatalf("RetiredVersions = %v, %v; want the first version", retired, err)
	}
	rec, err := needs.ReadRetired(st, needs.IndicatorTable, retired[0])
	if err != nil {
		t.Fatal(err)
	}
	old, err := needs.ReadIndicatorVersion("første", rec, firm)
	rec.Release()
	if err != nil {
		t.Fatal(err)
	}
	both := needs.AuditIndicatorVersions([]*needs.IndicatorVersion{old, ivs[0]}, needs.Rule{})
	got := map[string]float64{}
	for _, e := range both {
		if len(e.Versions) != 2 || e.Firms != 1 {
			t.Errorf("both versions: exposure %s, want a difference about 1 firm", e)
		}
		got[e.Cell.String()+" "+e.Measure] = e.Value
	}
	// The demo figures of the issue: in county 40, 85 → 84 responding
	// firms and 157.5 → 115 weighted persons needed in okonomi_admin, the
	// firm's 5 persons times its weight 8.5 (its weighted firm count, the
	// -8.5 of bedrifter_behov_andel's numerator: 5 × 8.5 = 42.5).
	for k, want := range map[string]float64{
		"behov_personer_per_100_sysselsatte/40/2024/okonomi_admin n_units":   -1,
		"behov_personer_per_100_sysselsatte/40/2024/okonomi_admin numerator": -42.5,
		"behov_personer_per_100_sysselsatte/40/2024/ n_units":                -1,
		"behov_personer_per_100_sysselsatte/40/2024/ numerator":              -42.5,
		"bedrifter_behov_andel/40/2024/okonomi_admin numerator":              -8.5,
		"behov_mot_tilbud_gap/40/2024/okonomi_admin value":                   -42.5,
	} {
		if g, ok := got[k]; !ok || g != want {
			t.Errorf("audit of both versions: %s difference = %v (found %v), want %v", k, g, ok, want)
		}
	}
}

// TestChangesRegisterOnly: after the superseded indicator version is
// retired to the secure zone, the book still compares the register
// indicators with it (Porsgrunn 2025 revised 31 → 31.5: one revised
// value), but not the firm-derived bedrifter_behov_andel, whose one
// SYNTHETIC value changes too (50 → 49 firms).
func TestChangesRegisterOnly(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "kb"))
	if err != nil {
		t.Fatal(err)
	}
	var stamps []string
	for i, v := range []float64{31, 31.5} {
		nan := math.NaN()
		rows := append(synthRows(v), build.Row{Indicator: "bedrifter_behov_andel", Region: "40", RegionLabel: "Telemark", RegionLevel: "fylke",
			Period: "2024", Category: "okonomi_admin", Value: 20 - float64(i), Unit: "prosent", Numerator: 10 - float64(i)/2, Denominator: 50,
			ComparatorValue: nan, GapAbs: nan, GapIndex: nan, Z: nan, CILow: nan, CIHigh: nan, NUnits: 50 - i})
		rec, err := build.Record(rows)
		if err != nil {
			t.Fatal(err)
		}
		ver, err := st.PublishIndicators(context.Background(), rec, nil)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
		stamps = append(stamps, ver.Stamp)
	}
	moved, err := needs.RetireIndicators(st)
	if err != nil || strings.Join(moved, " ") != "indicators/version="+stamps[0] {
		t.Fatalf("RetireIndicators = %v, %v; want the first version moved", moved, err)
	}
	p := &Publisher{Store: st, Indicators: indicators.Catalog()}
	in, err := p.Input()
	if err != nil {
		t.Fatal(err)
	}
	if in.Previous != stamps[0] || in.Version != stamps[1] {
		t.Errorf("Input() compares %q → %q, want %s → %s", in.Previous, in.Version, stamps[0], stamps[1])
	}
	got := map[string]string{}
	for _, c := range in.Changes {
		got[c.Name] = strings.Join([]string{itoa(c.Added), itoa(c.Removed), itoa(c.Revised)}, "/")
	}
	if got["utdanning_hoyere_andel"] != "0/0/1" {
		t.Errorf("changes of utdanning_hoyere_andel = %q (added/removed/revised), want 0/0/1", got["utdanning_hoyere_andel"])
	}
	if c, ok := got["bedrifter_behov_andel"]; ok {
		t.Errorf("changes list the firm-derived bedrifter_behov_andel: %s", c)
	}
	// A retired file that does not match its recorded sha256 is not
	// compared (a warning is logged).
	file := filepath.Join(st.Root(), "secure", "versions", "indicators", "version="+stamps[0], store.IndicatorsFile)
	if err := os.WriteFile(file, []byte("skadet"), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err = p.Input()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range in.Changes {
		if c.Name == "utdanning_hoyere_andel" {
			t.Errorf("a damaged previous version was compared: %+v", c)
		}
	}
}
