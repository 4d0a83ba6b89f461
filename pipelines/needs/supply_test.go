package needs

import (
	"context"
	"encoding/csv"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// supplyCell is one needs_vs_supply cell as the test reads it back.
type supplyCell struct {
	value          float64
	ok             bool
	status         string
	kilde, periode string
	n              int // rows with this key (1 unless a measure is doubled)
}

// readSupply reads the published needs_vs_supply back, keyed by
// "maal region/area".
func readSupply(t *testing.T, st *store.Store) map[string]*supplyCell {
	t.Helper()
	out := published(t, st, DatasetSupply)
	defer out.Release()
	reg, area, maal := col(t, out, "region"), col(t, out, "kompetanseomrade"), col(t, out, "maal")
	kilde, kp := col(t, out, "kilde"), col(t, out, "kilde_periode")
	vals := out.Column(out.Schema().FieldIndices("value")[0]).(*array.Float64)
	status := out.Column(out.Schema().FieldIndices("status")[0]).(*array.String)
	got := map[string]*supplyCell{}
	for i := range reg {
		k := maal[i] + " " + reg[i] + "/" + area[i]
		c := got[k]
		if c == nil {
			c = &supplyCell{}
			got[k] = c
		}
		c.n++
		c.ok, c.kilde, c.periode = vals.IsValid(i), kilde[i], kp[i]
		if c.ok {
			c.value = vals.Value(i)
		}
		if status.IsValid(i) {
			c.status = status.Value(i)
		}
	}
	return got
}

// fixtureRow is one cell of a test dataset: its codes in the order of the
// dimensions, and its value (ok false: no value, with status st).
type fixtureRow struct {
	cols []string
	v    float64
	ok   bool
	st   string
}

// publishSupply publishes a small SYNTHETIC dataset with the given
// dimensions (region and period roles on "region" and "period").
func publishSupply(t *testing.T, st *store.Store, id, table string, dims []string, rows []fixtureRow) {
	t.Helper()
	b := newBuilder(memoryAllocator(), dims...)
	for _, r := range rows {
		b.add(r.v, r.ok, r.st, r.cols...)
	}
	rec := b.record()
	defer rec.Release()
	meta := store.DatasetMeta{Source: "test", Table: table, Synthetic: true, Extra: map[string]string{"jsonstat.role.geo": "region", "jsonstat.role.time": "period"}}
	if _, err := st.Publish(context.Background(), id, rec, meta); err != nil {
		t.Fatal(err)
	}
}

func v(x float64, cols ...string) fixtureRow { return fixtureRow{cols: cols, v: x, ok: true} }
func na(cols ...string) fixtureRow           { return fixtureRow{cols: cols, st: "*"} }

// absent is a cell with neither value nor status: a combination a long
// source file has no row for.
func absent(cols ...string) fixtureRow { return fixtureRow{cols: cols} }

// TestSupplyProgrammesAndFields publishes SYNTHETIC datasets in the shapes
// the demo knowledge base holds for udir_elever_program and
// udir_laerekontrakter_program (county × Udir programme column, -10 the
// total) beside udir_laerekontrakter (county total only), and dbh_studenter
// (county × NUS fagfelt), and checks the join by hand from the fixture.
//
// Pupils, latest school year 2025-2026 (2024-2025's 999 is ignored); 50:
// -10 1000 = HS 300 + TP 150 + BA 100 + HDP 20 + ST 430; 40: -10 500, HS
// 120, TP 80, BA 50, HDP "*", ST 245 (a hidden 5 in -10):
//
//   - 50/helse_oppvekst = HS 300 (Udir's LK06 code HS -> LK20 HO, the
//     crosswalk's programme for helse_oppvekst); 50/teknologi_industri =
//     TP 150 (TP -> TIF);
//   - _T/helse_oppvekst = 300 + 120 = 420 (surveyed counties 40 and 50);
//   - 50/_T = -10 1000, _T/_T = 1000 + 500 = 1500; ST is in no area and
//     only in -10;
//   - 40/handverk_design is missing (Udir "*"), not zero, and so is
//     _T/handverk_design (one part missing); 40/_T = 500 stands;
//   - 50's HO cell has neither value nor status (absent, not missing), so
//     helse_oppvekst stays HS 300; the "*" cell of county 08 (Telemark
//     until 2019, not a region in 2025) is ignored.
//
// Apprentices 2025: the programme dataset (50: -10 2410 = HS 760 + TP 930
// + EL 720; 40: -10 710 = HS 290 + TP 420) is preferred over the total-only
// one: 50/helse_oppvekst = 760, 50/elektro = 720, 50/_T = 2410, _T/_T =
// 2410 + 710 = 3120, one row each, kilde udir_laerekontrakter_program.
//
// Students 2024 by NUS fagfelt (crosswalk nus_felt: helse_oppvekst "6 2",
// restaurant_mat "8 5", salg_service "4 8"); 50: fagfelt 1 100, 4 200, 5
// 1000, 6 800, 8 50; 40: 4 60, 5 "*", 6 300, 8 40:
//
//   - 50/helse_oppvekst = 800; 50/restaurant_mat = 1000 + 50 = 1050;
//     50/salg_service = 200 + 50 = 250; 50/_T = 100 + 200 + 1000 + 800 +
//     50 = 2150 (the sum over fields; fagfelt 1 is in no area);
//   - 40/helse_oppvekst = 300; 40/salg_service = 60 + 40 = 100;
//     40/restaurant_mat missing (fagfelt 5 missing: 40 alone would be a
//     partial sum); 40/_T missing, so _T/_T is too; _T/helse_oppvekst =
//     800 + 300 = 1100.
func TestSupplyProgrammesAndFields(t *testing.T) {
	opt := demoOptions(t)
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	prog := []string{"region", "period", "Utdprogram"}
	publishSupply(t, st, "udir_elever_program", "VGO_Elev_FylkSkol", prog, []fixtureRow{
		v(1000, "50", "2025-2026", "-10"), v(300, "50", "2025-2026", "HS"), v(150, "50", "2025-2026", "TP"),
		v(100, "50", "2025-2026", "BA"), v(20, "50", "2025-2026", "HDP"), v(430, "50", "2025-2026", "ST"),
		v(500, "40", "2025-2026", "-10"), v(120, "40", "2025-2026", "HS"), v(80, "40", "2025-2026", "TP"),
		v(50, "40", "2025-2026", "BA"), na("40", "2025-2026", "HDP"), v(245, "40", "2025-2026", "ST"),
		v(9999, "0", "2025-2026", "-10"), v(999, "50", "2024-2025", "HS"),
		absent("50", "2025-2026", "HO"), na("08", "2025-2026", "HS"),
	})
	publishSupply(t, st, "udir_laerekontrakter_program", "FOY_LK_FylkUtdprogAar", prog, []fixtureRow{
		v(2410, "50", "2025", "-10"), v(760, "50", "2025", "HS"), v(930, "50", "2025", "TP"), v(720, "50", "2025", "EL"),
		v(710, "40", "2025", "-10"), v(290, "40", "2025", "HS"), v(420, "40", "2025", "TP"),
	})
	publishSupply(t, st, "udir_laerekontrakter", "FOY_LK_FylkUtdprogAar", []string{"region", "period"}, []fixtureRow{
		v(2410, "50", "2025"), v(710, "40", "2025"),
	})
	publishSupply(t, st, "dbh_studenter", "dbh:998", []string{"region", "period", "Fagfelt"}, []fixtureRow{
		v(100, "50", "2024", "1"), v(200, "50", "2024", "4"), v(1000, "50", "2024", "5"), v(800, "50", "2024", "6"), v(50, "50", "2024", "8"),
		v(60, "40", "2024", "4"), na("40", "2024", "5"), v(300, "40", "2024", "6"), v(40, "40", "2024", "8"),
	})
	if _, err := Build(context.Background(), st, opt); err != nil {
		t.Fatal(err)
	}
	got := readSupply(t, st)
	tests := []struct {
		key            string
		want           float64
		ok             bool
		kilde, periode string
	}{
		{"elever_vgs 50/helse_oppvekst", 300, true, "udir_elever_program", "2025-2026"},
		{"elever_vgs 50/teknologi_industri", 150, true, "udir_elever_program", "2025-2026"},
		{"elever_vgs 50/bygg_anlegg", 100, true, "udir_elever_program", "2025-2026"},
		{"elever_vgs _T/helse_oppvekst", 420, true, "udir_elever_program", "2025-2026"},
		{"elever_vgs 50/_T", 1000, true, "udir_elever_program", "2025-2026"},
		{"elever_vgs 40/_T", 500, true, "udir_elever_program", "2025-2026"},
		{"elever_vgs _T/_T", 1500, true, "udir_elever_program", "2025-2026"},
		{"elever_vgs 50/handverk_design", 20, true, "udir_elever_program", "2025-2026"},
		{"elever_vgs 40/handverk_design", 0, false, "udir_elever_program", "2025-2026"},
		{"elever_vgs _T/handverk_design", 0, false, "udir_elever_program", "2025-2026"},
		{"elever_vgs 50/okonomi_admin", 0, false, "udir_elever_program", "2025-2026"}, // no programme in the crosswalk
		{"laerekontrakter 50/helse_oppvekst", 760, true, "udir_laerekontrakter_program", "2025"},
		{"laerekontrakter 50/elektro", 720, true, "udir_laerekontrakter_program", "2025"},
		{"laerekontrakter 50/_T", 2410, true, "udir_laerekontrakter_program", "2025"},
		{"laerekontrakter _T/_T", 3120, true, "udir_laerekontrakter_program", "2025"},
		{"studenter_hoyere_utdanning 50/helse_oppvekst", 800, true, "dbh_studenter", "2024"},
		{"studenter_hoyere_utdanning 50/restaurant_mat", 1050, true, "dbh_studenter", "2024"},
		{"studenter_hoyere_utdanning 50/salg_service", 250, true, "dbh_studenter", "2024"},
		{"studenter_hoyere_utdanning 50/_T", 2150, true, "dbh_studenter", "2024"},
		{"studenter_hoyere_utdanning 40/helse_oppvekst", 300, true, "dbh_studenter", "2024"},
		{"studenter_hoyere_utdanning 40/salg_service", 100, true, "dbh_studenter", "2024"},
		{"studenter_hoyere_utdanning 40/restaurant_mat", 0, false, "dbh_studenter", "2024"},
		{"studenter_hoyere_utdanning 40/_T", 0, false, "dbh_studenter", "2024"},
		{"studenter_hoyere_utdanning _T/_T", 0, false, "dbh_studenter", "2024"},
		{"studenter_hoyere_utdanning _T/helse_oppvekst", 1100, true, "dbh_studenter", "2024"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			c := got[tt.key]
			if c == nil {
				t.Fatalf("needs_vs_supply has no row %s", tt.key)
			}
			if c.n != 1 || c.ok != tt.ok || c.value != tt.want || c.kilde != tt.kilde || c.periode != tt.periode {
				t.Errorf("needs_vs_supply %s = %+v, want %g (present %v) from %s (%s), one row", tt.key, *c, tt.want, tt.ok, tt.kilde, tt.periode)
			}
			if !tt.ok && c.status != regions.MissingStatus {
				t.Errorf("missing %s has status %q, want %q", tt.key, c.status, regions.MissingStatus)
			}
		})
	}
	// The total-only dataset is a fallback: no laerekontrakter row names it.
	for k, c := range got {
		if c.kilde == "udir_laerekontrakter" {
			t.Errorf("%s joined from udir_laerekontrakter, want only the programme dataset", k)
		}
	}
}

// TestAreaMappings: Udir's programme codes and NUS fields on the default
// crosswalk.
//
// Programmes (crosswalk.csv utdanningsprogram): helse_oppvekst HO,
// teknologi_industri TIF, bygg_anlegg BA; indicators.LK20Programme aliases HS and TP;
// ST is in no area; -10 is the total.
//
// NUS fields (crosswalk.csv nus_felt): 6 and 2 helse_oppvekst only; 4
// salg_service, okonomi_admin, ledelse; a six-digit NUS code's fagfelt is
// its second digit (the first is the level); fagfelt 9 (uoppgitt) is in no
// area.
func TestAreaMappings(t *testing.T) {
	cw, err := DefaultCrosswalk()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		f     func(*Crosswalk, string) ([]string, bool)
		code  string
		areas []string
		total bool
	}{
		{"programme", programmeAreas, "HS", []string{"helse_oppvekst"}, false},
		{"programme", programmeAreas, "HO", []string{"helse_oppvekst"}, false},
		{"programme", programmeAreas, "TP", []string{"teknologi_industri"}, false},
		{"programme", programmeAreas, "TIF", []string{"teknologi_industri"}, false},
		{"programme", programmeAreas, "BA", []string{"bygg_anlegg"}, false},
		{"programme", programmeAreas, "ST", nil, false},
		{"programme", programmeAreas, "SS", nil, false}, // LK06 service og samferdsel: split in LK20, not aliased
		{"programme", programmeAreas, "-10", nil, true},
		{"nus", nusAreas, "6", []string{"helse_oppvekst"}, false},
		{"nus", nusAreas, "2", []string{"helse_oppvekst"}, false}, // teacher education, beside SN2007 85
		{"nus", nusAreas, "4", []string{"salg_service", "okonomi_admin", "ledelse"}, false},
		{"nus", nusAreas, "62", []string{"helse_oppvekst"}, false},     // faggruppe 62 in fagfelt 6
		{"nus", nusAreas, "762101", []string{"helse_oppvekst"}, false}, // level 7, fagfelt 6
		{"nus", nusAreas, "9", nil, false},
		{"nus", nusAreas, "x", nil, false},
	}
	for _, tt := range tests {
		if a, total := tt.f(cw, tt.code); !slices.Equal(a, tt.areas) || total != tt.total {
			t.Errorf("%s areas of %q = %v, %v; want %v, %v", tt.name, tt.code, a, total, tt.areas, tt.total)
		}
	}
}

// TestFindSupplyApprentices: the apprentices' two tables share a report
// code. The programme entry takes only a dataset with the Utdprogram
// column, the total-only entry only one without it, whatever their IDs.
func TestFindSupplyApprentices(t *testing.T) {
	entry := func(keys ...string) *store.DatasetEntry {
		return &store.DatasetEntry{Current: "s", Versions: []store.Version{{Stamp: "s", Table: "FOY_LK_FylkUtdprogAar", Keys: keys}}}
	}
	var prog, total supplyTable
	for _, s := range supplyTables {
		if s.measure == "laerekontrakter" && s.category != "" {
			prog = s
		}
		if s.measure == "laerekontrakter" && s.category == "" {
			total = s
		}
	}
	both := &store.Catalog{Datasets: map[string]*store.DatasetEntry{
		"lk_total": entry("region", "period"), "lk_prog": entry("region", "period", "Utdprogram")}}
	if p, tot := findSupply(both, prog), findSupply(both, total); p != "lk_prog" || tot != "lk_total" {
		t.Errorf("findSupply = %q (programmes), %q (total); want lk_prog, lk_total", p, tot)
	}
	// A programme dataset under the total's ID is still a programme dataset.
	only := &store.Catalog{Datasets: map[string]*store.DatasetEntry{"udir_laerekontrakter": entry("region", "period", "Utdprogram")}}
	if p, tot := findSupply(only, prog), findSupply(only, total); p != "udir_laerekontrakter" || tot != "" {
		t.Errorf("findSupply = %q (programmes), %q (total); want udir_laerekontrakter, none", p, tot)
	}
}

// TestNAVGroupsCoverRealFile: every occupation group in NAV's real
// yrkespraksis extract (testdata/demo/nav/yrkespraksis-telemark.csv, from
// the Telemark county's repository, see its PROVENANCE.md) is mapped by
// navGroups or is one of the two groups deliberately in no area, so a
// spelling of NAV's is never silently unmapped.
func TestNAVGroupsCoverRealFile(t *testing.T) {
	f, err := os.Open("../../testdata/demo/nav/yrkespraksis-telemark.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	noArea := map[string]bool{"Akademiske yrker": true, "Ingen yrkesbakgrunn eller uoppgitt": true}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		g := r[3] // Dato,Nivå,Geografisk enhet,Yrke,...
		seen[g] = true
		if _, ok := navGroups[g]; !ok && !noArea[g] {
			t.Errorf("NAV occupation group %q is neither in navGroups nor deliberately unmapped", g)
		}
	}
	if len(seen) != 15 {
		t.Errorf("%d occupation groups in the file, want NAV's 15", len(seen))
	}
	for g := range navGroups {
		if !seen[g] {
			t.Errorf("navGroups has %q, which NAV's file does not use", g)
		}
	}
}

// TestSupplyNoRespondents: needs_vs_supply's need rows where no firm
// answered. Hand-made estimates for the total (_T) of two Trøndelag
// municipalities: 5001 with 5 respondents (weighted 8, of which 2 with a
// need, 10 people needed) and 5006 with none. Expected: 5001 published
// (10 people, share 2/8 = 0.25); 5006 missing with ".."; the grouping
// {5001, 5006} missing with ".." (a member without respondents); the
// grouping {5001} published as 5001.
func TestSupplyNoRespondents(t *testing.T) {
	opt := demoOptions(t)
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	est := map[Key]*Estimate{
		needKey("5001", Total): {Cell: &Cell{Respondents: 5, Firms: 2, People: 7}, Share: 0.25, PeopleW: 10, WithNeedW: 2, RespondentsW: 8},
		needKey("5006", Total): {Cell: &Cell{}},
	}
	groups := []regions.Group{{ID: "begge", Name: "Begge", Members: []string{"5001", "5006"}}, {ID: "bare_5001", Name: "Bare 5001", Members: []string{"5001"}}}
	rec, _, err := SupplyRecord(memoryAllocator(), st, "2024", est, opt.Model, opt.Model.Latest(), opt.Crosswalk, groups,
		func(kind, code string) string { return code })
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	reg, area, maal, status := col(t, rec, "region"), col(t, rec, "kompetanseomrade"), col(t, rec, "maal"), col(t, rec, "status")
	vals := rec.Column(rec.Schema().FieldIndices("value")[0]).(*array.Float64)
	got := map[string]string{}
	for i := range reg {
		if area[i] == Total && strings.HasPrefix(maal[i], "behov_") {
			v := "null"
			if vals.IsValid(i) {
				v = strconv.FormatFloat(vals.Value(i), 'g', -1, 64)
			}
			got[reg[i]+" "+maal[i]] = v + "/" + status[i]
		}
	}
	for k, want := range map[string]string{
		"5001 behov_personer_vektet": "10/", "5001 behov_andel_virksomheter": "0.25/",
		"5006 behov_personer_vektet": "null/..", "5006 behov_andel_virksomheter": "null/..",
		"begge behov_personer_vektet": "null/..", "begge behov_andel_virksomheter": "null/..",
		"bare_5001 behov_personer_vektet": "10/", "bare_5001 behov_andel_virksomheter": "0.25/",
	} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
}

// TestFindSupplySSBByDatasetID: the SSB series of the join are the
// config's datasets sysselsatte_naering and arbeidsledige, whatever table
// the config fetches them from (here a made-up successor of 13470 and a
// dataset without a table); a dataset the config names otherwise is not
// taken for them, even from table 13470.
func TestFindSupplySSBByDatasetID(t *testing.T) {
	entry := func(table string, keys ...string) *store.DatasetEntry {
		return &store.DatasetEntry{Current: "s", Versions: []store.Version{{Stamp: "s", Table: table, Keys: keys}}}
	}
	bySSB := map[string]supplyTable{}
	for _, s := range supplyTables {
		bySSB[s.measure] = s
	}
	emp, unemp := bySSB["sysselsatte_i_matchende_naeringer"], bySSB["helt_ledige"]
	cat := &store.Catalog{Datasets: map[string]*store.DatasetEntry{
		"sysselsatte_naering": entry("13470-ny", "Region", "NACE2007", "ContentsCode", "Tid"),
		"arbeidsledige":       entry("", "Region", "ContentsCode", "Tid")}}
	if e, u := findSupply(cat, emp), findSupply(cat, unemp); e != "sysselsatte_naering" || u != "arbeidsledige" {
		t.Errorf("findSupply = %q, %q; want sysselsatte_naering, arbeidsledige", e, u)
	}
	other := &store.Catalog{Datasets: map[string]*store.DatasetEntry{"sysselsatte_arbeidssted": entry("13470", "Region", "NACE2007", "ContentsCode", "Tid")}}
	if e := findSupply(other, emp); e != "" {
		t.Errorf("findSupply(only sysselsatte_arbeidssted) = %q, want none", e)
	}
}

// TestSupplyDatasets: the datasets the join may read are those findSupply
// picks for the supply tables, fallbacks included, and nothing else. The
// catalog is SYNTHETIC: by hand, sysselsatte_naering and arbeidsledige
// are found by ID; lk_prog (report FOY_LK_FylkUtdprogAar with Utdprogram)
// by table for the programme entry and lk_total (without it) for the
// total-only fallback; nav_mangel_naering and befolkning are in no supply
// table.
func TestSupplyDatasets(t *testing.T) {
	entry := func(table string, keys ...string) *store.DatasetEntry {
		return &store.DatasetEntry{Current: "s", Versions: []store.Version{{Stamp: "s", Table: table, Keys: keys}}}
	}
	tests := []struct {
		name string
		cat  map[string]*store.DatasetEntry
		want []string
	}{
		{"empty", map[string]*store.DatasetEntry{}, nil},
		{"not supply", map[string]*store.DatasetEntry{"nav_mangel_naering": entry("nav-mangel", "Region", "Naering"), "befolkning": entry("07459", "Region", "Tid")}, nil},
		{"by id and table", map[string]*store.DatasetEntry{
			"sysselsatte_naering": entry("13470", "Region", "NACE2007", "ContentsCode", "Tid"),
			"arbeidsledige":       entry("10540", "Region", "ContentsCode", "Tid"),
			"lk_prog":             entry("FOY_LK_FylkUtdprogAar", "region", "period", "Utdprogram"),
			"lk_total":            entry("FOY_LK_FylkUtdprogAar", "region", "period"),
			"nav_mangel_naering":  entry("nav-mangel", "Region", "Naering"),
		}, []string{"arbeidsledige", "lk_prog", "lk_total", "sysselsatte_naering"}},
		// nav_yrkespraksis gives two measures: listed once.
		{"one dataset, two measures", map[string]*store.DatasetEntry{"nav_yrkespraksis": entry("nav-yrkespraksis", "Region", "Yrke", "ContentsCode")}, []string{"nav_yrkespraksis"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SupplyDatasets(&store.Catalog{Datasets: tc.cat}); !slices.Equal(got, tc.want) {
				t.Errorf("SupplyDatasets = %v, want %v", got, tc.want)
			}
		})
	}
}
