package publish

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/charts/mapdata"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// synthRows is a SYNTHETIC indicator table in pipelines/build's long
// schema: the nation, county 40 and municipalities 4001 and 4003, share
// utdanning_hoyere_andel for 2024–2025, with national and county
// comparators. Gaps are value − comparator, computed by hand below.
func synthRows(porsgrunn2025 float64) []build.Row {
	nan := math.NaN()
	base := func(region, label, level, period string, v float64) build.Row {
		return build.Row{Indicator: "utdanning_hoyere_andel", Region: region, RegionLabel: label, RegionLevel: level, Period: period,
			Value: v, Unit: "prosent", Numerator: nan, Denominator: nan, ComparatorValue: nan, GapAbs: nan, GapIndex: nan,
			Z: nan, CILow: nan, CIHigh: nan, NUnits: 1}
	}
	with := func(r build.Row, comp, region string, cv float64) build.Row {
		r.Comparator, r.ComparatorRegion, r.ComparatorValue = comp, region, cv
		r.GapAbs, r.GapIndex = r.Value-cv, r.Value/cv*100
		return r
	}
	var rows []build.Row
	vals := map[string][4]float64{ // nation, county, 4001, 4003
		"2024": {36, 32, 30, 34},
		"2025": {37, 33, porsgrunn2025, 35},
	}
	for _, p := range []string{"2024", "2025"} {
		v := vals[p]
		rows = append(rows, base("0", "Hele landet", "land", p, v[0]))
		rows = append(rows, with(base("40", "Telemark", "fylke", p, v[1]), "national", "0", v[0]))
		for i, m := range []struct{ code, name string }{{"4001", "Porsgrunn"}, {"4003", "Skien"}} {
			r := base(m.code, m.name, "kommune", p, v[2+i])
			r.Rank, r.NRanked = 2-i, 2
			rows = append(rows, with(r, "national", "0", v[0]), with(r, "county", "40", v[1]))
		}
	}
	return rows
}

func synthStore(t *testing.T, versions ...float64) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "kb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		rec, err := build.Record(synthRows(v))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.PublishIndicators(context.Background(), rec, nil); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	return st
}

func testMap(t *testing.T) *charts.Map {
	m, err := charts.ParseGeoJSON(bytes.NewReader(mapdata.Kommuner2024), "kommunenummer")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestInputAndChanges(t *testing.T) {
	// Two versions: Porsgrunn 2025 revised from 31 to 31.5.
	st := synthStore(t, 31, 31.5)
	p := &Publisher{Store: st, Indicators: indicators.Catalog()}
	in, err := p.Input()
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Indicators) != 1 || in.Indicators[0].ID != "utdanning_hoyere_andel" || in.Indicators[0].Theme != "utdanning" ||
		in.Indicators[0].Decimals != 1 {
		t.Fatalf("Input().Indicators = %+v, want utdanning_hoyere_andel in theme utdanning, 1 decimal", in.Indicators)
	}
	if in.Previous == "" || in.Previous >= in.Version {
		t.Errorf("Input() Previous = %q, Version = %q, want an earlier previous version", in.Previous, in.Version)
	}
	// 4 regions × 2 periods = 8 values; exactly one revised.
	var got string
	for _, c := range in.Changes {
		if c.Name == "utdanning_hoyere_andel" {
			got = strings.Join([]string{itoa(c.Added), itoa(c.Removed), itoa(c.Revised)}, "/")
		}
	}
	if got != "0/0/1" {
		t.Errorf("Input().Changes for the indicator = %s (added/removed/revised), want 0/0/1", got)
	}
	// Rows: (2 + 2×2) rows per period... 1 nation + 1 county + 2×2 municipal = 6 per period.
	if len(in.Rows) != 12 {
		t.Errorf("Input().Rows has %d rows, want 12", len(in.Rows))
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestBookChartsExport(t *testing.T) {
	st := synthStore(t, 31)
	p := &Publisher{Store: st, Indicators: indicators.Catalog(), Map: testMap(t), Workers: 2}
	ctx := context.Background()
	res, err := p.Book(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Pages: index + 4 regions + 1 indicator.
	if res.Pages != 6 {
		t.Errorf("Book() wrote %d pages, want 6", res.Pages)
	}
	page, err := os.ReadFile(filepath.Join(res.Dir, "region", "4001.html"))
	if err != nil {
		t.Fatal(err)
	}
	// Porsgrunn 2025: 31 − 37 = −6.0 points to the nation, 31 − 33 = −2.0 to Telemark.
	for _, want := range []string{"6,0 prosentpoeng lavere enn landet", "2,0 prosentpoeng lavere enn Telemark", "nummer 2 av 2 kommuner"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("region/4001.html lacks %q", want)
		}
	}
	// A second run replaces the book atomically and leaves no temporary directories.
	if _, err := p.Book(ctx); err != nil {
		t.Fatal(err)
	}
	// The book is a link to its one content folder.
	left, _ := filepath.Glob(filepath.Join(st.Root(), ".book.*"))
	cur, _ := os.Readlink(filepath.Join(st.Root(), "book"))
	if len(left) != 1 || filepath.Base(left[0]) != cur {
		t.Errorf("leftover directories after Book(): %v, want only the content folder %s", left, cur)
	}

	cres, err := p.Charts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"utdanning_hoyere_andel/kart.png", "utdanning_hoyere_andel/kart.svg", "utdanning_hoyere_andel/kart.csv",
		"utdanning_hoyere_andel/kommune.png", "utdanning_hoyere_andel/fylke.csv", "avviksindeks-fylker.png"} {
		if _, err := os.Stat(filepath.Join(cres.Dir, f)); err != nil {
			t.Errorf("Charts() did not write %s: %v", f, err)
		}
	}
	// The map's CSV lists all 357 municipalities; 355 have no value here.
	mcsv, _ := os.ReadFile(filepath.Join(cres.Dir, "utdanning_hoyere_andel", "kart.csv"))
	if n := strings.Count(string(mcsv), ",mangler\n"); n != 355 {
		t.Errorf("kart.csv marks %d municipalities missing, want 355", n)
	}

	eres, err := p.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(eres.Dir, "indikatorer.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufefftema;indikator;")) {
		t.Errorf("indikatorer.csv starts %q, want a BOM and ;-separated header", b[:30])
	}
	// Porsgrunn 2025: value 31, nation 37, gap −6, index 31/37×100.
	if !strings.Contains(string(b), ";4001;Porsgrunn;kommune;2025;;;31;prosent;;;37;-6;83,78378378378379;40;33;-2;2;2;") {
		t.Errorf("indikatorer.csv lacks Porsgrunn's 2025 row with comparators:\n%s", b)
	}
	f, err := excelize.OpenFile(filepath.Join(eres.Dir, "indikatorer.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Utdanning,Definisjoner" {
		t.Errorf("indikatorer.xlsx sheets = %s, want Utdanning,Definisjoner", got)
	}
	rows, _ := f.GetRows("Utdanning")
	// 4 regions × 2 periods, plus the header.
	if len(rows) != 9 {
		t.Errorf("sheet Utdanning has %d rows, want 9", len(rows))
	}
	// The value, comparator and gap columns show the indicator's one
	// decimal (the catalog's Decimals for a share in per cent), the index
	// its column's one, counts none; the numbers stay exact underneath.
	// Porsgrunn 2025 as above. The sheet's one indicator is a share in
	// per cent: the headers name the unit, percentage points for the gaps.
	var porsgrunn []string
	for _, r := range rows {
		if len(r) > 6 && r[3] == "4001" && r[6] == "2025" {
			porsgrunn = r
		}
	}
	head := rows[0]
	col := func(name string) string {
		for i, h := range head {
			if h == name && i < len(porsgrunn) {
				return porsgrunn[i]
			}
		}
		return "(no column " + name + ")"
	}
	for name, want := range map[string]string{"verdi (prosent)": "31.0", "landet (prosent)": "37.0", "avvik_landet (prosentpoeng)": "-6.0",
		"indeks_landet (landet = 100)": "83.8", "fylkesverdi (prosent)": "33.0", "avvik_fylke (prosentpoeng)": "-2.0"} {
		if got := col(name); got != want {
			t.Errorf("indikatorer.xlsx Porsgrunn 2025 %s = %q, want %q", name, got, want)
		}
	}
}

func TestNoIndicators(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "kb"))
	if err != nil {
		t.Fatal(err)
	}
	p := &Publisher{Store: st, Indicators: indicators.Catalog()}
	if _, err := p.Book(context.Background()); !errors.Is(err, ErrNoIndicators) {
		t.Errorf("Book() on an empty knowledge base = %v, want ErrNoIndicators", err)
	}
	if _, err := os.Stat(filepath.Join(st.Root(), "book")); !os.IsNotExist(err) {
		t.Errorf("Book() failed but left a book directory: %v", err)
	}
}

func TestReplaceDirFailureKeepsOld(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "book")
	if err := replaceDir(dir, func(tmp string) error { return os.WriteFile(filepath.Join(tmp, "a"), []byte("old"), 0o644) }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := replaceDir(dir, func(tmp string) error {
		_ = os.WriteFile(filepath.Join(tmp, "a"), []byte("new"), 0o644)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("replaceDir() = %v, want %v", err, boom)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a")); string(b) != "old" {
		t.Errorf("after a failed replace the file reads %q, want the old content", b)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".book.*"))
	cur, _ := os.Readlink(dir)
	if len(left) != 1 || filepath.Base(left[0]) != cur {
		t.Errorf("leftovers: %v, want only the current content folder %s", left, cur)
	}
}

// TestReplaceDirAlwaysHasBook looks at the book at every step of a swap,
// as a kill there would leave it: it always reads complete, old or new.
// (The old swap renamed book away, then the new one in: a kill between
// left no book.) It also starts from a book folder an older grunnlag
// wrote, and from the state its crash between the two renames left
// (no book, the old one in .book.old-*).
func TestReplaceDirAlwaysHasBook(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "book")
	write := func(content string) func(string) error {
		return func(tmp string) error { return os.WriteFile(filepath.Join(tmp, "a"), []byte(content), 0o644) }
	}
	// The crash state of the old swap.
	if err := os.Mkdir(filepath.Join(parent, ".book.old-123"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(parent, ".book.old-123", "a"), []byte("v0"), 0o644); err != nil {
		t.Fatal(err)
	}
	prev := "v0"
	defer func() { swapStep = func(string) {} }()
	for _, next := range []string{"v1", "v2", "v3"} {
		var seen []string
		swapStep = func(step string) {
			b, err := os.ReadFile(filepath.Join(dir, "a"))
			if err != nil || (string(b) != prev && string(b) != next) {
				t.Errorf("swap %s→%s at %s: book/a = %q, %v; want %s or %s", prev, next, step, b, err, prev, next)
			}
			seen = append(seen, step)
		}
		if err := replaceDir(dir, write(next)); err != nil {
			t.Fatal(err)
		}
		if len(seen) != 3 {
			t.Errorf("swap steps %v, want filled, linked, flipped", seen)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "a")); string(b) != next {
			t.Errorf("after the swap book/a = %q, want %s", b, next)
		}
		if fi, err := os.Lstat(dir); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("book is not a symbolic link after the swap: %v %v", fi, err)
		}
		prev = next
	}
}

// TestExportFlagsAndDirection: the synthetic and computed marks of the
// indicator table and the indicator's direction travel to every export
// row (SYNTHETIC rows; the county row is marked computed by hand).
func TestExportFlagsAndDirection(t *testing.T) {
	rows := synthRows(31)
	for i := range rows {
		rows[i].Synthetic = true
		rows[i].Computed = rows[i].Region == "40"
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "kb"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := build.Record(rows)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if _, err := st.PublishIndicators(context.Background(), rec, nil); err != nil {
		t.Fatal(err)
	}
	p := &Publisher{Store: st, Indicators: indicators.Catalog()}
	in, err := p.Input()
	if err != nil {
		t.Fatal(err)
	}
	_, all := IndicatorSheets(in)
	n := len(all.Columns)
	if n < 3 || all.Columns[n-3].Name != "retning" || all.Columns[n-2].Name != "syntetisk" || all.Columns[n-1].Name != "beregnet" {
		t.Fatalf("last columns = %v, want retning, syntetisk, beregnet", all.Columns[max(0, n-3):])
	}
	got := map[string]string{}
	for _, r := range all.Rows {
		if r[6] == "2025" {
			got[r[3].(string)] = r[n-3].(string) + "|" + r[n-2].(string) + "|" + r[n-1].(string)
		}
	}
	// utdanning_hoyere_andel is higher-is-better; only Telemark (40) was
	// marked computed above.
	want := map[string]string{"0": "høyere er bedre|ja|nei", "40": "høyere er bedre|ja|ja", "4001": "høyere er bedre|ja|nei"}
	for region, w := range want {
		if got[region] != w {
			t.Errorf("export row %s 2025 = %q, want %q", region, got[region], w)
		}
	}
}

// TestExportWithoutRows: an indicator table with no row for any catalog
// indicator (here a made-up ID) is exported with a note sheet instead of
// failing with "xlsx: no sheets".
func TestExportWithoutRows(t *testing.T) {
	rows := synthRows(31)
	for i := range rows {
		rows[i].Indicator = "finnes_ikke"
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "kb"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := build.Record(rows)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if _, err := st.PublishIndicators(context.Background(), rec, nil); err != nil {
		t.Fatal(err)
	}
	res, err := (&Publisher{Store: st, Indicators: indicators.Catalog()}).Export(context.Background())
	if err != nil {
		t.Fatalf("Export() = %v, want the sheets it has plus a note", err)
	}
	f, err := excelize.OpenFile(filepath.Join(res.Dir, "indikatorer.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Merknad,Definisjoner" {
		t.Errorf("indikatorer.xlsx sheets = %s, want Merknad,Definisjoner", got)
	}
}

// TestFolderMaker: folders are made once, from many goroutines; a folder
// made (and noted) is not asked for again, so one removed behind its back
// stays removed, which is how the test sees that it was not made twice;
// a nil maker makes every folder it is asked for.
func TestFolderMaker(t *testing.T) {
	root := t.TempDir()
	mk := &folderMaker{}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := mk.mkdirAll(filepath.Join(root, "fig", "r", strconv.Itoa(i%2))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, d := range []string{"0", "1"} {
		if fi, err := os.Stat(filepath.Join(root, "fig", "r", d)); err != nil || !fi.IsDir() {
			t.Fatalf("fig/r/%s not made: %v", d, err)
		}
	}
	if err := os.Remove(filepath.Join(root, "fig", "r", "0")); err != nil {
		t.Fatal(err)
	}
	if err := mk.mkdirAll(filepath.Join(root, "fig", "r", "0")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "fig", "r", "0")); !os.IsNotExist(err) {
		t.Errorf("a folder made before was made again: %v", err)
	}
	var none *folderMaker
	for range 2 {
		if err := none.mkdirAll(filepath.Join(root, "x", "y")); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(root, "x", "y")); err != nil {
			t.Fatalf("a nil maker did not make x/y: %v", err)
		}
	}
}

// TestRowsInParts: the rows of a table big enough to be made in parts on
// several goroutines are, field by field, the rows made one slice of the
// record at a time (each slice smaller than a part). SYNTHETIC rows:
// 70,000 of them, with missing values, flags and both booleans.
func TestRowsInParts(t *testing.T) {
	nan := math.NaN()
	flags := []string{"", "suppressed", "apportioned,provisional", "series_break:region_2020"}
	var in []build.Row
	for i := range 70000 {
		v := float64(i%997) / 7
		if i%13 == 0 {
			v = nan
		}
		in = append(in, build.Row{Indicator: "utdanning_hoyere_andel", Region: strconv.Itoa(1000 + i%5000), RegionLabel: "Kommune " + strconv.Itoa(i%5000),
			RegionLevel: "kommune", Period: strconv.Itoa(2000 + i/5000), Category: "c" + strconv.Itoa(i%3), Value: v, Unit: "prosent",
			Numerator: float64(i), Denominator: nan, ComparatorValue: nan, GapAbs: nan, GapIndex: nan, Z: nan, CILow: nan, CIHigh: nan,
			Rank: i % 7, NUnits: 1, Flags: flags[i%len(flags)], Synthetic: i%2 == 0, Computed: i%5 == 0})
	}
	st := publishRows(t, in)
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := st.ReadIndicators(cat.Indicators.Current)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	got, err := Rows(rec)
	if err != nil {
		t.Fatal(err)
	}
	var want []book.Row
	for lo := int64(0); lo < rec.NumRows(); lo += 10000 {
		part := rec.NewSlice(lo, min(lo+10000, rec.NumRows()))
		rows, err := Rows(part)
		part.Release()
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, rows...)
	}
	if len(got) != 70000 || len(want) != len(got) {
		t.Fatalf("Rows: %d rows, slice by slice %d, want 70000", len(got), len(want))
	}
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	for i := range got {
		g, w := got[i], want[i]
		if g.Indicator != w.Indicator || g.Region != w.Region || g.RegionLabel != w.RegionLabel || g.Period != w.Period || g.Category != w.Category ||
			!same(g.Value, w.Value) || !same(g.Numerator, w.Numerator) || g.Rank != w.Rank || !slices.Equal(g.Flags, w.Flags) ||
			g.Synthetic != w.Synthetic || g.Computed != w.Computed {
			t.Fatalf("row %d: %+v, slice by slice %+v", i, g, w)
		}
	}
}
