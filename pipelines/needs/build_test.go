package needs

import (
	"context"
	"errors"
	"fmt"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/brreg"
	"github.com/grunnlag/grunnlag/sources/survey"
	"github.com/grunnlag/grunnlag/sources/tabular"
)

func demoOptions(t *testing.T) Options {
	m := testModel(t)
	cache := brreg.NewCache()
	f, err := os.Open(filepath.Join(dataDir, "demo-enheter.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := cache.LoadBulk(f, brreg.LegalUnit); err != nil {
		t.Fatal(err)
	}
	cw, err := DefaultCrosswalk()
	if err != nil {
		t.Fatal(err)
	}
	mp, err := survey.LoadMappingFile(filepath.Join(dataDir, "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return Options{Survey: filepath.Join(dataDir, "demo-syntetisk.csv"), Mapping: mp, ErrorBudget: -1,
		Register: &brreg.Register{Cache: cache}, Population: PopulationFromRegister(cache, m, "fylke", m.Latest()),
		Model: m, Crosswalk: cw, Replicas: 199, Seed: 1, Synthetic: true, Today: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// published reads the current version of a dataset back from the store.
func published(t *testing.T, st *store.Store, id string) arrow.Record {
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := st.ReadVersion(id, cat.Datasets[id].Current)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func col(t *testing.T, rec arrow.Record, name string) []string {
	t.Helper()
	c, err := store.StringColumn(rec, name)
	if err != nil {
		t.Fatal(err)
	}
	s := make([]string, rec.NumRows())
	for i := range s {
		s[i] = c(i)
	}
	return s
}

// attack rebuilds the table a reader sees from the published record alone
// (cells with a value are known, cells with status ":" unknown, cells with
// status ".." known to be 0: no firm answered there, and the respondent
// count 0 is published beside them; totals
// "_T"; regions with 4 digits are municipalities, with 2 counties) and
// solves, for each suppressed cell, its feasible range for the additive
// measures "personer" and "personer_vektet", and for "respondenter" over
// the lines where firms add up (regions, industries, size bands). The
// relations: in every region each breakdown adds up to the region's total;
// counties add up to "_T" and municipalities to their county (code
// prefix) in every published column. It fails the test if any range is
// narrower than one unit, except a municipality cell pinned at exactly 0:
// that is the remainder of a county with at least MinFirms respondents
// being 0, which the table publishes for counties too. Every grouping of
// groups adds the relation "its members add up to it" in every column, so
// differencing overlapping groupings, a grouping and its county, or any
// set of them together is tried as well.
func attack(t *testing.T, rec arrow.Record, groups []regions.Group) (suppressed int) {
	reg, view, cat, maal := col(t, rec, "region"), col(t, rec, "inndeling"), col(t, rec, "kategori"), col(t, rec, "maal")
	vals := rec.Column(int(rec.Schema().FieldIndices("value")[0])).(*array.Float64)
	status := col(t, rec, "status")
	for _, measure := range []string{"personer", "personer_vektet", "respondenter"} {
		cells := map[Key]*Cell{}
		value := map[Key]float64{}
		for i := range reg {
			if maal[i] != measure {
				continue
			}
			k := Key{reg[i], view[i], cat[i]}
			c := &Cell{Key: k, Secondary: !vals.IsValid(i) && status[i] != NoRespondentsStatus}
			cells[k] = c
			if vals.IsValid(i) {
				value[k] = vals.Value(i)
			}
		}
		var lines []Line
		regions := map[string]bool{}
		cols := map[[2]string]bool{}
		for k := range cells {
			regions[k.Region] = true
			cols[[2]string{k.View, k.Category}] = true
		}
		for r := range regions {
			byView := map[string][]Key{}
			for k := range cells {
				if k.Region == r && k.View != Total {
					byView[k.View] = append(byView[k.View], k)
				}
			}
			for v, ms := range byView {
				if measure == "respondenter" && !firmView(v) {
					continue
				}
				lines = append(lines, Line{Total: Key{r, Total, Total}, Members: ms})
			}
		}
		for c := range cols {
			if measure == "respondenter" && c[0] != Total && !firmView(c[0]) {
				continue
			}
			l := Line{Total: Key{Total, c[0], c[1]}}
			byCounty := map[string][]Key{}
			for r := range regions {
				switch {
				case r == Total:
				case isCode(r, 2):
					l.Members = append(l.Members, Key{r, c[0], c[1]})
				case isCode(r, 4) && cells[Key{r, c[0], c[1]}] != nil:
					byCounty[r[:2]] = append(byCounty[r[:2]], Key{r, c[0], c[1]})
				}
			}
			lines = append(lines, l)
			for county, ms := range byCounty {
				lines = append(lines, Line{Total: Key{county, c[0], c[1]}, Members: ms})
			}
			for _, g := range groups {
				l := Line{Total: Key{g.ID, c[0], c[1]}}
				ok := cells[l.Total] != nil
				for _, m := range g.Members {
					ok = ok && cells[Key{m, c[0], c[1]}] != nil
					l.Members = append(l.Members, Key{m, c[0], c[1]})
				}
				if ok {
					lines = append(lines, l)
				}
			}
		}
		// componentRanges: FeasibleRanges solved per linked group of
		// suppressed cells (the same ranges, smaller programs).
		ranges, err := componentRanges(cells, lines, func(c *Cell) float64 { return value[c.Key] })
		if err != nil {
			t.Fatalf("attack %s: %v", measure, err)
		}
		suppressed = len(ranges)
		for k, r := range ranges {
			if (isCode(k.Region, 4) || !isCode(k.Region, 2) && k.Region != Total) && r[1] < 1e-6 {
				// A zero remainder (see above), or a withheld grouping
				// inside a county published as 0 in that column: the 0 is
				// published already.
				continue
			}
			if r[1]-r[0] < 1-1e-6 {
				t.Errorf("attack %s: suppressed cell %s recovered to [%g, %g]", measure, k, r[0], r[1])
			}
		}
	}
	return suppressed
}

func TestBuildDemo(t *testing.T) {
	opt := demoOptions(t)
	gs, err := regions.LoadGroups("../../testdata/regions/grupper-trondelag.yaml", opt.Model, opt.Model.Latest())
	if err != nil {
		t.Fatal(err)
	}
	opt.Groups = gs
	root := t.TempDir()
	st, err := store.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), st, opt)
	if err != nil {
		t.Fatalf("Build(demo) = %v; problems %v", err, res.Problems)
	}
	if res.Rejected != 0 || res.Firms < 200 || res.Primary == 0 || res.Secondary == 0 {
		t.Errorf("Build(demo) = %+v, want no rejected rows, 200+ firms and both primary and secondary suppressions", res)
	}
	rec := published(t, st, DatasetNeeds)
	defer rec.Release()
	t.Logf("Build(demo): rows %d firms %d primary %d secondary %d empty strata %d unmapped %d", res.Rows, res.Firms, res.Primary, res.Secondary, res.EmptyStrata, res.Unmapped)
	if n := attack(t, rec, gs); n == 0 {
		t.Error("attack found no suppressed cells to try")
	}
	reg, view, maal := col(t, rec, "region"), col(t, rec, "inndeling"), col(t, rec, "maal")
	vals := rec.Column(rec.Schema().FieldIndices("value")[0]).(*array.Float64)
	muni := map[string]float64{}
	for i := range reg {
		if len(reg[i]) == 4 && view[i] == Total && maal[i] == "respondenter" {
			if vals.IsValid(i) {
				muni[reg[i]] = vals.Value(i)
			} else {
				muni[reg[i]] = -1
			}
		}
	}
	t.Logf("municipality totals (-1 withheld): %v", muni)
	// Every municipality of the two surveyed counties has a row; those
	// without respondents (Malvik 5031, Siljan 4010) have respondent counts of 0. The demo
	// survey is too small for any surveyed municipality to pass: every
	// one has an area cell with 1-2 firms, so all are withheld whole.
	if len(muni) != 55 || muni["5031"] != 0 || muni["4010"] != 0 || muni["5001"] != -1 {
		t.Errorf("municipality rows: %d, 5031 = %g, 4010 = %g, 5001 = %g; want 55 (38 + 17), 0, 0, withheld", len(muni), muni["5031"], muni["4010"], muni["5001"])
	}
	// Weighted firm counts match the register: the weighted respondents
	// of the total cell equal the register count of the strata with
	// respondents, i.e. all active units minus those in empty strata.
	for _, f := range []string{"firms.csv", "rejected.csv", "unmapped.csv", "strata.csv"} {
		if _, err := os.Stat(filepath.Join(root, "secure", "needs", "2024", f)); err != nil {
			t.Errorf("secure file %s: %v", f, err)
		}
	}
	// No organisation number leaves the secure zone.
	orgs := map[string]bool{}
	data, _ := os.ReadFile(opt.Survey)
	for _, line := range strings.Split(string(data), "\n")[1:] {
		if o, _, ok := strings.Cut(line, ";"); ok {
			orgs[o] = true
		}
	}
	filepath.WalkDir(filepath.Join(root, "datasets"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for o := range orgs {
			if strings.Contains(string(b), o) {
				t.Errorf("%s contains organisation number %s", p, o)
				break
			}
		}
		return nil
	})
	un, _ := os.ReadFile(filepath.Join(root, "secure", "needs", "2024", "unmapped.csv"))
	if !strings.HasPrefix(string(un), "fritekst;antall\nbærekraftsrapportering;") {
		t.Errorf("unmapped.csv starts %q, want bærekraftsrapportering first (it is in demoTexts twice)", string(un)[:min(60, len(un))])
	}
	// A second refresh with the same data keeps the same pattern.
	sup1, _ := os.ReadFile(filepath.Join(root, "secure", "needs", "suppression.json"))
	if _, err := Build(context.Background(), st, opt); err != nil {
		t.Fatal(err)
	}
	sup2, _ := os.ReadFile(filepath.Join(root, "secure", "needs", "suppression.json"))
	if string(sup1) != string(sup2) {
		t.Error("suppression pattern changed between two refreshes of the same data")
	}
	// Where no firm answered (Siljan 4010, and every member of Trøndelag
	// Sør IKPR: 5021, 5022, 5025-5028 have no row in demo-syntetisk.csv)
	// the respondent counts are 0 and the estimates are missing (".."),
	// never 0.
	st40 := col(t, rec, "status")
	noResp := map[string]string{}
	for i := range reg {
		if reg[i] == "4010" && view[i] == Total {
			noResp[maal[i]] = fmt.Sprintf("%v/%q", vals.IsValid(i) && vals.Value(i) == 0, st40[i])
		}
	}
	for m, want := range map[string]string{"respondenter": `true/""`, "personer": `true/""`, "personer_vektet": `false/".."`,
		"andel_med_behov": `false/".."`, "virksomheter_med_behov_vektet": `false/".."`} {
		if noResp[m] != want {
			t.Errorf("4010 _T %s: valid zero/status = %s, want %s", m, noResp[m], want)
		}
	}
	srec := published(t, st, DatasetSupply)
	defer srec.Release()
	if srec.NumRows() == 0 {
		t.Error("needs_vs_supply is empty")
	}
	sreg, sarea, smaal, sst := col(t, srec, "region"), col(t, srec, "kompetanseomrade"), col(t, srec, "maal"), col(t, srec, "status")
	svals := srec.Column(srec.Schema().FieldIndices("value")[0]).(*array.Float64)
	// Every grouping of the region model has rows in both tables (the
	// forums' own pages need them), published or with a status: never
	// absent. Namdal and Fosen have withheld members in the demo, so
	// their rows are withheld whole (":"); Trøndelag sørvest reaches into
	// Møre og Romsdal (1576 Aure), which is not surveyed: "..".
	needsRows, supplyRows := map[string]int{}, map[string]int{}
	for i := range reg {
		needsRows[reg[i]]++
	}
	for i := range sreg {
		if strings.HasPrefix(smaal[i], "behov_") {
			supplyRows[sreg[i]]++
		}
	}
	for _, g := range gs {
		if needsRows[g.ID] == 0 || supplyRows[g.ID] == 0 {
			t.Errorf("grouping %s: %d rows in %s, %d behov rows in %s; want rows in both", g.ID, needsRows[g.ID], DatasetNeeds, supplyRows[g.ID], DatasetSupply)
		}
	}
	gstatus := map[string]string{}
	for i := range reg {
		if view[i] == Total && maal[i] == "respondenter" {
			gstatus[reg[i]] = st40[i]
		}
	}
	for g, want := range map[string]string{"namdal": SuppressedStatus, "fosen": SuppressedStatus, "trondelag_sorvest": NoRespondentsStatus} {
		if gstatus[g] != want {
			t.Errorf("grouping %s respondenter status %q, want %q", g, gstatus[g], want)
		}
	}
	seen := 0
	for i := range sreg {
		if (sreg[i] == "4010" || sreg[i] == "trondelag_sor") && sarea[i] == Total && strings.HasPrefix(smaal[i], "behov_") {
			seen++
			if svals.IsValid(i) || sst[i] != NoRespondentsStatus {
				t.Errorf("needs_vs_supply %s %s = valid %v status %q, want missing with ..", sreg[i], smaal[i], svals.IsValid(i), sst[i])
			}
		}
	}
	if seen != 4 {
		t.Errorf("needs_vs_supply: %d behov rows for 4010 and trondelag_sor, want 4", seen)
	}
	checkGreenDemo(t, rec, srec)
}

// TestSuppressionConsistent: a cell suppressed in the previous year is
// preferred as a secondary suppression.
func TestSuppressionConsistent(t *testing.T) {
	// A 2x2 table (regions A, B; areas x, y) with totals. Only A/x is
	// primary (2 firms). The line rule must add one cell in row A and one in
	// column x; with no history it takes the one with fewest people (A/y=5
	// < A/_T... members first), with history B/x it must take B/x.
	mk := func() *Table {
		t := &Table{Cells: map[Key]*Cell{}}
		set := func(r, c string, firms int, people float64) {
			view := "v"
			if c == Total {
				view = Total
			}
			t.Cells[Key{r, view, c}] = &Cell{Key: Key{r, view, c}, Firms: firms, People: people, MaxFirmPeople: people / float64(max(firms, 1))}
		}
		set("A", "x", 2, 4)
		set("A", "y", 5, 5)
		set("A", Total, 6, 9)
		set("B", "x", 6, 20)
		set("B", "y", 7, 30)
		set("B", Total, 9, 50)
		set(Total, "x", 8, 24)
		set(Total, "y", 12, 35)
		set(Total, Total, 15, 59)
		for _, r := range []string{"A", "B", Total} {
			t.Lines = append(t.Lines, Line{Total: Key{r, Total, Total}, Members: []Key{{r, "v", "x"}, {r, "v", "y"}}})
		}
		for _, c := range []string{"x", "y"} {
			t.Lines = append(t.Lines, Line{Total: Key{Total, "v", c}, Members: []Key{{"A", "v", c}, {"B", "v", c}}})
		}
		t.Lines = append(t.Lines, Line{Total: Key{Total, Total, Total}, Members: []Key{{"A", Total, Total}, {"B", Total, Total}}})
		return t
	}
	rule := Rule{MinFirms: 3, Dominance: 1}
	t1 := mk()
	if p, s, err := t1.Suppress(rule, nil); err != nil || p != 1 || s != 3 {
		t.Fatalf("Suppress = %d primary, %d secondary, %v; want 1, 3 (a 2x2 rectangle)", p, s, err)
	}
	want := []Key{{"A", "v", "x"}, {"A", "v", "y"}, {"B", "v", "x"}, {"B", "v", "y"}}
	for _, k := range want {
		if !t1.Cells[k].Suppressed() {
			t.Errorf("cell %s not suppressed; want the rectangle A/B x/y", k)
		}
	}
	if ex, _ := t1.Audit(); len(ex) != 0 {
		t.Errorf("Audit after Suppress = %v, want none", ex)
	}
	// Without the rectangle's fourth corner, B/y is pinned: Audit must say so.
	t1.Cells[Key{"B", "v", "y"}].Secondary = false
	if ex, _ := t1.Audit(); len(ex) == 0 {
		t.Error("Audit with three suppressed corners found no exposure, want the corners pinned")
	}
}

func TestErrorBudget(t *testing.T) {
	opt := demoOptions(t)
	opt.Survey, opt.Mapping = filepath.Join(dataDir, "bad-rows.csv"), nil
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// bad-rows.csv has 20 rejected rows (TestBadRows in sources/survey),
	// and its 2 good rows name firms the demo register does not hold.
	res, err := Build(context.Background(), st, opt)
	if !errors.Is(err, ErrProblems) || res == nil || res.Rejected != 22 {
		t.Fatalf("Build(bad-rows, no budget) = %v, %+v; want ErrProblems with 22 rejected rows", err, res)
	}
	cat, _ := st.Catalog()
	if len(cat.Datasets) != 0 {
		t.Errorf("a stopped build published %d datasets, want 0", len(cat.Datasets))
	}
}

// TestSupplyJoin publishes a small synthetic 13470-shaped dataset and
// checks the join: county 50's employment in 41-43 goes to bygg_anlegg
// (crosswalk.csv: 41-43) and elektro (26-27 33 35 43 overlaps 41-43), the
// 00-99 total to the area total, and "_T" is the sum of 50 and 40.
func TestSupplyJoin(t *testing.T) {
	opt := demoOptions(t)
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	mem := memoryAllocator()
	b := newBuilder(mem, "Region", "NACE2007", "ContentsCode", "Tid")
	for _, r := range []struct {
		reg, nace string
		v         float64
	}{{"50", "00-99", 1000}, {"50", "41-43", 100}, {"40", "00-99", 400}, {"40", "41-43", 40}} {
		b.add(r.v, true, "", r.reg, r.nace, "SysselsatteArb", "2024")
	}
	rec := b.record()
	defer rec.Release()
	if _, err := st.Publish(context.Background(), "sysselsatte_naering", rec, store.DatasetMeta{Source: "ssb", Table: "13470", Synthetic: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), st, opt); err != nil {
		t.Fatal(err)
	}
	out := published(t, st, DatasetSupply)
	defer out.Release()
	reg, area, maal, kilde := col(t, out, "region"), col(t, out, "kompetanseomrade"), col(t, out, "maal"), col(t, out, "kilde")
	vals := out.Column(out.Schema().FieldIndices("value")[0]).(*array.Float64)
	got := map[string]float64{}
	for i := range reg {
		if maal[i] == "sysselsatte_i_matchende_naeringer" && vals.IsValid(i) {
			got[reg[i]+"/"+area[i]] = vals.Value(i)
			if kilde[i] != "sysselsatte_naering" {
				t.Errorf("kilde = %q, want sysselsatte_naering", kilde[i])
			}
		}
	}
	want := map[string]float64{"50/bygg_anlegg": 100, "50/elektro": 100, "40/bygg_anlegg": 40, "_T/bygg_anlegg": 140, "50/_T": 1000, "_T/_T": 1400}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("needs_vs_supply sysselsatte %s = %g, want %g", k, got[k], v)
		}
	}
	if _, ok := got["50/ikt"]; ok {
		t.Errorf("needs_vs_supply has sysselsatte for 50/ikt = %g, want none (58-63 not in the input)", got["50/ikt"])
	}
}

func memoryAllocator() memory.Allocator { return memory.NewGoAllocator() }

// TestSupplyJoinNew publishes small synthetic datasets in the shapes the
// demo knowledge base holds for udir_laerekontrakter (county total),
// dbh_fagskolestudenter (county × field) and nav_stillinger (municipality ×
// STYRK-08, monthly) and checks the join by hand:
//   - laerekontrakter 50 = 4120 (area total only);
//   - fagskolestudenter 50/elektro = TEKN 960 (fagskoleFields: TEKN ->
//     teknologi_industri, elektro, bygg_anlegg), 50/helse_oppvekst = 1235;
//   - nav_stillinger, latest month 2024M04: 5001 has 2223 (sykepleiere,
//     STYRK-08 sub-major group 22) = 3 and 7126 (rørleggere, 71) = 4;
//     helse_oppvekst (styrk08 lists 22) gets 3, bygg_anlegg (71) gets 4,
//     the area total 7; 5006 has a
//     missing cell, so it gets no area total; county 50 gets nothing (not
//     every municipality has a value);
//   - nav_yrkespraksis (county × NAV occupation group, jobseekers Sokere
//     and vacancies Stillinger), latest month 2026M01, 50: "Helse, pleie og
//     omsorg" 274/657, "Barne- og ungdomsarbeid" 40/25, "Akademiske yrker"
//     53/11 (navGroups: the first two helse_oppvekst, the third no area):
//     arbeidssokere_nav 50/helse_oppvekst = 274 + 40 = 314, 50/_T = 314 + 53
//     = 367; utlyste_stillinger_nav 50/helse_oppvekst = 657 + 25 = 682,
//     50/_T = 693; 50/ikt none (no group of the input maps to it).
func TestSupplyJoinNew(t *testing.T) {
	opt := demoOptions(t)
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	mem := memoryAllocator()
	pub := func(id string, dims []string, rows [][]string, vals []float64, valid []bool) {
		b := newBuilder(mem, dims...)
		for i, r := range rows {
			b.add(vals[i], valid[i], "", r...)
		}
		rec := b.record()
		defer rec.Release()
		meta := store.DatasetMeta{Source: "test", Table: id, Synthetic: true, Extra: map[string]string{"jsonstat.role.geo": "region", "jsonstat.role.time": "period"}}
		if _, err := st.Publish(context.Background(), id, rec, meta); err != nil {
			t.Fatal(err)
		}
	}
	pub("udir_laerekontrakter", []string{"region", "period"}, [][]string{{"0", "2024"}, {"50", "2024"}, {"40", "2024"}, {"50", "2023"}}, []float64{47312, 4120, 1650, 4000}, []bool{true, true, true, true})
	pub("dbh_fagskolestudenter", []string{"region", "period", "Fagomrade"}, [][]string{{"50", "2024", "TEKN"}, {"50", "2024", "HELSE"}}, []float64{960, 1235}, []bool{true, true})
	pub("nav_stillinger", []string{"region", "period", "Yrke"}, [][]string{{"5001", "2024M04", "2223"}, {"5001", "2024M04", "7126"}, {"5006", "2024M04", "2223"}, {"5006", "2024M04", "7126"}, {"5001", "2024M03", "2223"}},
		[]float64{3, 4, 0, 2, 9}, []bool{true, true, false, true, true})
	pub("nav_yrkespraksis", []string{"region", "period", "Yrke", "ContentsCode"}, [][]string{
		{"50", "2026M01", "Helse, pleie og omsorg", "Sokere"}, {"50", "2026M01", "Helse, pleie og omsorg", "Stillinger"},
		{"50", "2026M01", "Barne- og ungdomsarbeid", "Sokere"}, {"50", "2026M01", "Barne- og ungdomsarbeid", "Stillinger"},
		{"50", "2026M01", "Akademiske yrker", "Sokere"}, {"50", "2026M01", "Akademiske yrker", "Stillinger"},
		{"50", "2025M12", "Helse, pleie og omsorg", "Sokere"}},
		[]float64{274, 657, 40, 25, 53, 11, 999}, []bool{true, true, true, true, true, true, true})
	if _, err := Build(context.Background(), st, opt); err != nil {
		t.Fatal(err)
	}
	out := published(t, st, DatasetSupply)
	defer out.Release()
	reg, area, maal, kp := col(t, out, "region"), col(t, out, "kompetanseomrade"), col(t, out, "maal"), col(t, out, "kilde_periode")
	vals := out.Column(out.Schema().FieldIndices("value")[0]).(*array.Float64)
	got := map[string]float64{}
	for i := range reg {
		if vals.IsValid(i) {
			got[maal[i]+" "+reg[i]+"/"+area[i]] = vals.Value(i)
			if maal[i] == "ledige_stillinger_nav" && kp[i] != "2024M04" {
				t.Errorf("ledige_stillinger_nav kilde_periode = %s, want 2024M04", kp[i])
			}
		}
	}
	tests := []struct {
		key  string
		want float64
		ok   bool
	}{
		{"laerekontrakter 50/_T", 4120, true},
		{"laerekontrakter _T/_T", 5770, true}, // 4120 + 1650 (surveyed counties 40 and 50)
		{"fagskolestudenter 50/elektro", 960, true},
		{"fagskolestudenter 50/bygg_anlegg", 960, true},
		{"fagskolestudenter 50/helse_oppvekst", 1235, true},
		{"fagskolestudenter 50/ikt", 0, false},
		{"ledige_stillinger_nav 5001/helse_oppvekst", 3, true},
		{"ledige_stillinger_nav 5001/bygg_anlegg", 4, true},
		{"ledige_stillinger_nav 5001/_T", 7, true},
		{"ledige_stillinger_nav 5006/_T", 0, false},
		{"ledige_stillinger_nav 50/_T", 0, false},
		{"arbeidssokere_nav 50/helse_oppvekst", 314, true},
		{"arbeidssokere_nav 50/_T", 367, true},
		{"arbeidssokere_nav 50/ikt", 0, false},
		{"utlyste_stillinger_nav 50/helse_oppvekst", 682, true},
		{"utlyste_stillinger_nav 50/_T", 693, true},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			v, ok := got[tt.key]
			if ok != tt.ok || v != tt.want {
				t.Errorf("needs_vs_supply %s = %g (present %v), want %g (present %v)", tt.key, v, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestBuildJoinedRows: a quote opening line 4's beskrivelse and another
// closing line 300's is valid CSV that joins lines 4-300 of the 440-row
// demo survey into one row; the build would publish from 144 rows (of 287
// firms, far fewer), so it stops and publishes nothing.
func TestBuildJoinedRows(t *testing.T) {
	opt := demoOptions(t)
	data, err := os.ReadFile(opt.Survey)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	for _, q := range []struct {
		line int
		open bool
	}{{4, true}, {300, false}} {
		f := strings.SplitN(lines[q.line-1], ";", 6)
		if q.open {
			f[4] = `"` + f[4]
		} else {
			f[4] += `"`
		}
		lines[q.line-1] = strings.Join(f, ";")
	}
	opt.Survey = filepath.Join(t.TempDir(), "demo-syntetisk.csv")
	if err := os.WriteFile(opt.Survey, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(context.Background(), st, opt)
	var le *LinesError
	if !errors.As(err, &le) || le.Rows != 144 || le.Lines != 440 {
		t.Fatalf("Build(joined rows) = %v, want a *LinesError of 144 rows over 440 lines", err)
	}
	if cat, _ := st.Catalog(); len(cat.Datasets) != 0 {
		t.Errorf("a stopped build published %d datasets, want 0", len(cat.Datasets))
	}
}

// TestCheckLines: a few line breaks in cells pass, many do not
// (max(20, rows/2) extra lines).
func TestCheckLines(t *testing.T) {
	tests := []struct {
		rows, lines int
		ok          bool
	}{
		{440, 440, true}, {440, 660, true}, {440, 661, false}, {3, 23, true}, {3, 24, false}, {3, 440, false},
	}
	for _, tc := range tests {
		err := checkLines("s.csv", &survey.Survey{Rows: tc.rows, Lines: tc.lines})
		if (err == nil) != tc.ok {
			t.Errorf("checkLines(%d rows, %d lines) = %v, want ok %v", tc.rows, tc.lines, err, tc.ok)
		}
	}
}

// TestBuildStrayQuote: one quote opening line 4's beskrivelse of the
// 440-row demo survey once published needs tables from 4 of 287 firms; the
// build now stops at reading, naming the row, and publishes nothing.
func TestBuildStrayQuote(t *testing.T) {
	opt := demoOptions(t)
	data, err := os.ReadFile(opt.Survey)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	f := strings.SplitN(lines[3], ";", 6)
	f[4] = `"` + f[4]
	lines[3] = strings.Join(f, ";")
	opt.Survey = filepath.Join(t.TempDir(), "demo-syntetisk.csv")
	if err := os.WriteFile(opt.Survey, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(context.Background(), st, opt)
	var qe *tabular.QuoteError
	if !errors.As(err, &qe) || qe.StartRow != 4 {
		t.Fatalf("Build(stray quote) = %v, want a *tabular.QuoteError starting in row 4", err)
	}
	if cat, _ := st.Catalog(); len(cat.Datasets) != 0 {
		t.Errorf("a stopped build published %d datasets, want 0", len(cat.Datasets))
	}
}
