package needs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// withoutFirm copies the survey src to dir without the rows of orgnr.
func withoutFirm(t *testing.T, src, dir, orgnr string) string {
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

// TestVersionsNotDifferenced: a survey built twice, the second time
// without one firm's response (the same period), must not leave two public
// versions of the firm-derived tables, because their difference is that
// firm's answer. The firm is 800025842 of the SYNTHETIC demo survey
// (testdata/survey/demo-syntetisk.csv lines 333-334): in 4001 Porsgrunn,
// "Regnskap og lønn" at vgs level, 5 persons (free text, mapped to
// okonomi_admin by keywords.csv "regnskap"), and ikt at uh_kort, 4
// persons: 9 persons, two areas, two levels. The demo register
// (demo-enheter.json.gz) gives it NACE 69.201 (section M) and 1 employee
// (size band 0-4).
//
// On the old code both versions stayed under datasets/ and AuditStore found
// 67 exposures, the differences below among them; now the first version is
// in secure/versions and the public store passes the audit, while the audit
// over both versions still finds the firm's whole answer (so the audit is
// not blind).
func TestVersionsNotDifferenced(t *testing.T) {
	opt := demoOptions(t)
	root := t.TempDir()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	st, err := store.Open(root, store.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	first, err := Build(context.Background(), st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Retired) != 0 {
		t.Errorf("first build retired %v, want nothing", first.Retired)
	}
	now = now.Add(24 * time.Hour)
	opt.Survey = withoutFirm(t, opt.Survey, t.TempDir(), "800025842")
	second, err := Build(context.Background(), st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if second.Firms != first.Firms-1 || second.Period != first.Period {
		t.Fatalf("second build: %d firms, period %s; want %d, %s", second.Firms, second.Period, first.Firms-1, first.Period)
	}

	// One public version of each firm-derived dataset, in the catalog and on disk.
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range FirmDerived {
		e := cat.Datasets[id]
		if e == nil || len(e.Versions) != 1 || e.Current != e.Versions[0].Stamp {
			t.Errorf("catalog %s: %+v, want only the current version", id, e)
		}
		dirs, _ := filepath.Glob(filepath.Join(root, "datasets", id, "version=*"))
		if len(dirs) != 1 {
			t.Errorf("datasets/%s holds %d versions, want 1: %v", id, len(dirs), dirs)
		}
	}
	old := "version=" + first.Needs.Stamp
	wantRetired := []string{"datasets/" + DatasetNeeds + "/" + old, "datasets/" + DatasetSupply + "/version=" + first.Supply.Stamp}
	if strings.Join(second.Retired, " ") != strings.Join(wantRetired, " ") {
		t.Errorf("second build retired %v, want %v", second.Retired, wantRetired)
	}
	oldFile := filepath.Join(root, "secure", "versions", DatasetNeeds, old, "part-0.parquet")
	if _, err := os.Stat(oldFile); err != nil {
		t.Errorf("retired version not in the secure zone: %v", err)
	}
	lineage, _ := os.ReadFile(filepath.Join(root, "secure", "versions", DatasetNeeds, "versions.json"))
	if !strings.Contains(string(lineage), `"stamp": "`+first.Needs.Stamp+`"`) {
		t.Errorf("versions.json lacks the retired version %s:\n%s", first.Needs.Stamp, lineage)
	}

	// The public store passes the audit across versions.
	ex, err := AuditStore(st, Rule{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ex {
		t.Errorf("public store: exposure %s", e)
	}

	// Both versions together expose the firm, exactly.
	v1, err := ReadPublishedFile(old, oldFile)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := PublicVersions(st)
	if err != nil || len(pub) != 1 {
		t.Fatalf("PublicVersions = %d, %v; want 1", len(pub), err)
	}
	ex, err = AuditVersions([]*PublishedVersion{v1, pub[0]}, Rule{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, e := range ex {
		if len(e.Versions) != 2 || e.Firms != 1 || e.Low != e.High {
			t.Errorf("exposure %s: want an exact difference about 1 firm", e)
		}
		got[e.Key.String()+" "+e.Measure] = e.Low
	}
	for k, want := range map[string]float64{
		"_T/_T/_T personer":                          -9,
		"_T/_T/_T respondenter":                      -1,
		"_T/kompetanseomrade/okonomi_admin personer": -5,
		"_T/kompetanseomrade/ikt personer":           -4,
		"_T/utdanningsniva/vgs personer":             -5,
		"_T/utdanningsniva/uh_kort personer":         -4,
		"_T/naering/M personer":                      -9,
		"_T/storrelse/0-4 personer":                  -9,
	} {
		if g, ok := got[k]; !ok || g != want {
			t.Errorf("audit of both versions: %s difference = %v (found %v), want %v", k, g, ok, want)
		}
	}
}

// pubVersion builds a SYNTHETIC published version of a table with two
// counties 01, 02 and the total _T, broken down by industry (x, y; a firm
// view). cells gives, per "region/category" ("_T" for the region's
// total), respondenter, virksomheter_med_behov, personer; a key in
// suppressed is withheld.
func pubVersion(name string, cells map[string][3]float64, suppressed ...string) *PublishedVersion {
	pv := &PublishedVersion{Name: name, Values: map[string]map[Key]float64{}, Suppressed: map[string]map[Key]bool{}}
	sup := map[string]bool{}
	for _, s := range suppressed {
		sup[s] = true
	}
	for _, m := range auditMeasures {
		pv.Values[m] = map[Key]float64{}
		pv.Suppressed[m] = map[Key]bool{}
	}
	for rc, v := range cells {
		r, c, _ := strings.Cut(rc, "/")
		k := Key{r, ViewIndustry, c}
		if c == Total {
			k = Key{r, Total, Total}
		}
		for i, m := range auditMeasures {
			if sup[rc] {
				pv.Suppressed[m][k] = true
			} else {
				pv.Values[m][k] = v[i]
			}
		}
	}
	return pv
}

// base is a consistent table: every line adds up (01: 4+5 firms, 02: 6+7).
func base() map[string][3]float64 {
	return map[string][3]float64{
		"01/x": {4, 4, 10}, "01/y": {5, 3, 6}, "01/_T": {9, 7, 16},
		"02/x": {6, 6, 20}, "02/y": {7, 5, 30}, "02/_T": {13, 11, 50},
		"_T/x": {10, 10, 30}, "_T/y": {12, 8, 36}, "_T/_T": {22, 18, 66},
	}
}

// plus returns b with d added to a cell and to the totals it is in.
func plus(b map[string][3]float64, region, cat string, d [3]float64) map[string][3]float64 {
	out := map[string][3]float64{}
	for k, v := range b {
		out[k] = v
	}
	for _, k := range []string{region + "/" + cat, region + "/_T", "_T/" + cat, "_T/_T"} {
		v := out[k]
		for i := range v {
			v[i] += d[i]
		}
		out[k] = v
	}
	return out
}

func TestAuditVersions(t *testing.T) {
	one := plus(base(), "01", "x", [3]float64{1, 1, 7})   // one firm with 7 persons added in 01/x
	three := plus(base(), "01", "x", [3]float64{3, 3, 7}) // three firms, 7 persons together
	tests := []struct {
		name string
		vs   []*PublishedVersion
		want []string // exposures as "versions key measure low high firms"
	}{
		{"one version, nothing pinned", []*PublishedVersion{pubVersion("a", base(), "01/x", "01/y", "02/x", "02/y")}, nil},
		// 01/x alone withheld: its row total minus 01/y pins it (16 - 6 = 10 persons, 7 - 3 = 4 firms, 9 - 5 = 4 respondents).
		{"one version, a lone suppression", []*PublishedVersion{pubVersion("a", base(), "01/x")}, []string{
			"a 01/naering/x personer 10 10 0", "a 01/naering/x respondenter 4 4 0", "a 01/naering/x virksomheter_med_behov 4 4 0"}},
		{"same data twice", []*PublishedVersion{pubVersion("a", base()), pubVersion("b", base())}, nil},
		// One firm added in 01/x: every cell it is in differs by its answer.
		{"one firm added", []*PublishedVersion{pubVersion("a", base()), pubVersion("b", one)}, []string{
			"a|b 01/_T/_T personer 7 7 1", "a|b 01/_T/_T respondenter 1 1 1", "a|b 01/_T/_T virksomheter_med_behov 1 1 1",
			"a|b 01/naering/x personer 7 7 1", "a|b 01/naering/x respondenter 1 1 1", "a|b 01/naering/x virksomheter_med_behov 1 1 1",
			"a|b _T/_T/_T personer 7 7 1", "a|b _T/_T/_T respondenter 1 1 1", "a|b _T/_T/_T virksomheter_med_behov 1 1 1",
			"a|b _T/naering/x personer 7 7 1", "a|b _T/naering/x respondenter 1 1 1", "a|b _T/naering/x virksomheter_med_behov 1 1 1"}},
		// Three firms added: the difference is about 3 firms, as a published cell may be.
		{"three firms added", []*PublishedVersion{pubVersion("a", base()), pubVersion("b", three)}, nil},
		// The changed cells suppressed (a rectangle in the new version):
		// 01/x and 01/y each range over at least one unit, so no difference is exact.
		{"changed cells suppressed", []*PublishedVersion{pubVersion("a", base()), pubVersion("b", one, "01/x", "01/y", "02/x", "02/y", "01/_T", "02/_T", "_T/x", "_T/y", "_T/_T")}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := AuditVersions(tc.vs, Rule{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range ex {
				got = append(got, fmt.Sprintf("%s %s %s %g %g %d", strings.Join(e.Versions, "|"), e.Key, e.Measure, e.Low, e.High, e.Firms))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("AuditVersions =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestRetireSupersededRecovers: RetireSuperseded moves every superseded
// version and every unreferenced version folder out of datasets/, also
// after a crash that moved a folder but did not write the catalog, and a
// second call does nothing. SYNTHETIC one-row records.
func TestRetireSupersededRecovers(t *testing.T) {
	root := t.TempDir()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	st, err := store.Open(root, store.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	var stamps []string
	for i := range 3 {
		b := newBuilder(memory.NewGoAllocator(), "region")
		b.add(float64(i), true, "", "01")
		rec := b.record()
		v, err := st.Publish(context.Background(), DatasetNeeds, rec, store.DatasetMeta{Keys: []string{"region"}})
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
		stamps = append(stamps, "version="+v.Stamp)
		now = now.Add(time.Hour)
	}
	pub := filepath.Join(root, "datasets", DatasetNeeds)
	sec := filepath.Join(root, "secure", "versions", DatasetNeeds)
	// A crash after moving the oldest version, before the catalog was written.
	if err := os.MkdirAll(sec, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(pub, stamps[0]), filepath.Join(sec, stamps[0])); err != nil {
		t.Fatal(err)
	}
	// A folder the catalog never referenced (a crash during Publish): empty,
	// so the store sweeps it at the catalog update before anything is
	// retired (it holds no data to keep or to hide).
	orphan := "version=20260301T000000Z"
	if err := os.MkdirAll(filepath.Join(pub, orphan), 0o755); err != nil {
		t.Fatal(err)
	}
	moved, err := RetireSuperseded(st, DatasetNeeds)
	if err != nil {
		t.Fatal(err)
	}
	want := "datasets/kompetansebehov/" + stamps[1]
	if got := strings.Join(moved, " "); got != want {
		t.Errorf("RetireSuperseded moved %q, want %q", got, want)
	}
	left, _ := filepath.Glob(filepath.Join(pub, "version=*"))
	if len(left) != 1 || filepath.Base(left[0]) != stamps[2] {
		t.Errorf("datasets/%s holds %v, want only %s", DatasetNeeds, left, stamps[2])
	}
	if _, err := os.Stat(filepath.Join(pub, orphan)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("empty orphan folder %s still in datasets/: %v", orphan, err)
	}
	for _, s := range []string{stamps[0], stamps[1]} {
		if _, err := os.Stat(filepath.Join(sec, s)); err != nil {
			t.Errorf("%s not in the secure zone: %v", s, err)
		}
	}
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if e := cat.Datasets[DatasetNeeds]; len(e.Versions) != 1 || "version="+e.Current != stamps[2] {
		t.Errorf("catalog: %+v, want only the current version %s", e, stamps[2])
	}
	lineage, _ := os.ReadFile(filepath.Join(sec, "versions.json"))
	for _, s := range stamps[:2] {
		if !strings.Contains(string(lineage), `"stamp": "`+strings.TrimPrefix(s, "version=")+`"`) {
			t.Errorf("versions.json lacks %s:\n%s", s, lineage)
		}
	}
	if moved, err := RetireSuperseded(st, DatasetNeeds); err != nil || len(moved) != 0 {
		t.Errorf("second RetireSuperseded = %v, %v; want nothing moved", moved, err)
	}
	// The current version still reads.
	rec, err := st.ReadVersion(DatasetNeeds, cat.Datasets[DatasetNeeds].Current)
	if err != nil {
		t.Fatal(err)
	}
	rec.Release()
}

// TestComponentRanges: solving each linked group of suppressed cells on
// its own gives FeasibleRanges' answer on the whole table. SYNTHETIC
// tables from pubVersion: a rectangle in 01/02 × x/y, plus a lone cell
// pinned by its line, plus a cell in no line.
func TestComponentRanges(t *testing.T) {
	pv := pubVersion("a", base(), "01/x", "01/y", "02/x", "02/y", "_T/_T")
	for _, m := range auditMeasures {
		keys := map[Key]bool{}
		cells := map[Key]*Cell{}
		for k := range pv.Values[m] {
			keys[k], cells[k] = true, &Cell{Key: k}
		}
		for k := range pv.Suppressed[m] {
			keys[k], cells[k] = true, &Cell{Key: k, Secondary: true}
		}
		loose := Key{"03", ViewIndustry, "z"}
		cells[loose] = &Cell{Key: loose, Secondary: true}
		val := func(c *Cell) float64 { return pv.Values[m][c.Key] }
		lines := publishedLines(keys, m, nil)
		want, err := FeasibleRanges(cells, lines, val)
		if err != nil {
			t.Fatal(err)
		}
		got, err := componentRanges(cells, lines, val)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: componentRanges = %v, want %v", m, got, want)
		}
		// By hand: _T/_T = _T/x + _T/y (published): 30 + 36 = 66 persons.
		if m == "personer" && got[Key{Total, Total, Total}] != [2]float64{66, 66} {
			t.Errorf("_T/_T persons range %v, want [66 66]", got[Key{Total, Total, Total}])
		}
	}
}

// TestCheckPublishable: Build refuses to publish a table the audit can
// pin (a lone suppressed cell, recovered from its row total), with a
// typed error; the same table with the whole rectangle suppressed passes.
// SYNTHETIC cells from base().
func TestCheckPublishable(t *testing.T) {
	record := func(suppressed ...string) arrow.Record {
		sup := map[string]bool{}
		for _, s := range suppressed {
			sup[s] = true
		}
		est := map[Key]*Estimate{}
		for rc, v := range base() {
			r, c, _ := strings.Cut(rc, "/")
			k := Key{r, ViewIndustry, c}
			if c == Total {
				k = Key{r, Total, Total}
			}
			est[k] = &Estimate{Cell: &Cell{Key: k, Respondents: int(v[0]), Firms: int(v[0]), People: v[2], Secondary: sup[rc]}, WithNeed: int(v[1])}
		}
		return NeedsRecord(memory.NewGoAllocator(), "2024", est, func(_, code string) string { return code }, nil)
	}
	rec := record("01/x")
	defer rec.Release()
	err := checkPublishable(rec, Rule{}, nil)
	var de *DisclosureError
	if !errors.As(err, &de) || len(de.Exposures) != 3 || de.Exposures[0].Key != (Key{"01", ViewIndustry, "x"}) {
		t.Errorf("checkPublishable(lone suppression) = %v, want a *DisclosureError on 01/naering/x (3 measures)", err)
	}
	ok := record("01/x", "01/y", "02/x", "02/y")
	defer ok.Release()
	if err := checkPublishable(ok, Rule{}, nil); err != nil {
		t.Errorf("checkPublishable(rectangle) = %v, want nil", err)
	}
}

// TestAuditIndicatorVersions: SYNTHETIC values of one firm-derived
// indicator cell in two versions; the expected exposures are the
// differences written out by hand.
func TestAuditIndicatorVersions(t *testing.T) {
	c := IndicatorCell{"behov_personer_per_100_sysselsatte", "40", "2024", "okonomi_admin"}
	ver := func(name string, num, val, n float64) *IndicatorVersion {
		v := &IndicatorVersion{Name: name}
		v.AddIndicatorCell(c, num, val, n)
		return v
	}
	nan := math.NaN()
	tests := []struct {
		name string
		vs   []*IndicatorVersion
		want []string // "versions measure value firms"
	}{
		{"one version", []*IndicatorVersion{ver("a", 157.5, 0.2, 85)}, nil},
		{"unchanged", []*IndicatorVersion{ver("a", 157.5, 0.2, 85), ver("b", 157.5, 0.2, 85)}, nil},
		// One firm removed: 157.5 − 115 = 42.5 persons, 85 − 84 = 1 firm.
		{"one firm removed", []*IndicatorVersion{ver("a", 157.5, 0.2, 85), ver("b", 115, 0.15, 84)}, []string{
			"a|b n_units -1 1", "a|b numerator -42.5 1", "a|b value -0.05 1"}},
		// Three firms removed: a difference about MinFirms firms may be published.
		{"three firms removed", []*IndicatorVersion{ver("a", 157.5, 0.2, 85), ver("b", 115, 0.15, 82)}, nil},
		// The register denominator revised, the survey numerator the same: no firm's answer.
		{"denominator revised", []*IndicatorVersion{ver("a", 157.5, 0.2, 85), ver("b", 157.5, 0.19, 85)}, nil},
		// Only a value (no numerator) that changes with the same n_units: a revision, 0 firms.
		{"value revised", []*IndicatorVersion{ver("a", nan, 0.2, 85), ver("b", nan, 0.25, 85)}, []string{"a|b value 0.05 0"}},
		// A value published with 2 responding firms.
		{"too few firms", []*IndicatorVersion{ver("a", 12, 0.1, 2)}, []string{"a n_units 2 2"}},
		// A missing value is not published.
		{"missing value", []*IndicatorVersion{ver("a", 157.5, nan, 2)}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, e := range AuditIndicatorVersions(tc.vs, Rule{}) {
				if e.Cell != c {
					t.Errorf("exposure of cell %s", e.Cell)
				}
				got = append(got, fmt.Sprintf("%s %s %.10g %d", strings.Join(e.Versions, "|"), e.Measure, math.Round(e.Value*1e6)/1e6, e.Firms))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("AuditIndicatorVersions =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
