package planning

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// The fixture is SYNTHETIC: county 50 with three municipalities, grouping
// g of 5001 and 5006, grouping h of 5006 and 5007.
var fixtureUnits = []Unit{
	{Code: "50", Name: "Trøndelag", Level: regions.County, Members: []string{"5001", "5006", "5007"}},
	{Code: "g", Name: "Gruppe G", Level: regions.Grouping, Members: []string{"5001", "5006"}},
	{Code: "h", Name: "Gruppe H", Level: regions.Grouping, Members: []string{"5006", "5007"}},
}

func val(region string, lv regions.Level, period string, v float64, key ...string) harmonise.Cell {
	return harmonise.Cell{Region: region, Level: lv, Period: period, Key: key, Value: v, Valid: true}
}

func masked(region string, lv regions.Level, period string, status string, key ...string) harmonise.Cell {
	return harmonise.Cell{Region: region, Level: lv, Period: period, Key: key, Status: status}
}

const (
	muni   = regions.Municipality
	county = regions.County
)

// udir is a Udir programme layer with county rows only (as the report API
// gives): cells are (county, period, programme, value).
func udir(id string, cells ...harmonise.Cell) *harmonise.Layer {
	return &harmonise.Layer{Dataset: id, Dims: []string{DimProgramme}, Published: cells}
}

func fixtureInputs() Inputs {
	employed := &harmonise.Layer{Dataset: "sysselsatte_alder_naering", Dims: []string{"NACE2007", "Alder", "ContentsCode"},
		Cells: []harmonise.Cell{
			val("5001", muni, "2024", 100, "41-43", "55-66", "Sysselsatte"),
			val("5001", muni, "2024", 10, "41-43", "67-74", "Sysselsatte"),
			val("5001", muni, "2024", 60, "41-43", "40-54", "Sysselsatte"),  // not 55+: never counted
			val("5001", muni, "2024", 999, "10-33", "55-66", "Sysselsatte"), // not BA's industry
			val("5006", muni, "2024", 40, "41-43", "55-66", "Sysselsatte"),
			val("5006", muni, "2024", 5, "41-43", "67-74", "Sysselsatte"),
			masked("5007", muni, "2024", ":", "41-43", "55-66", "Sysselsatte"),
			val("5007", muni, "2024", 3, "41-43", "67-74", "Sysselsatte"),
		},
		Published: []harmonise.Cell{
			val("50", county, "2024", 200, "41-43", "55-66", "Sysselsatte"),
			val("50", county, "2024", 30, "41-43", "67-74", "Sysselsatte"),
		}}
	shortage := &harmonise.Layer{Dataset: "nav_mangel_naering", Dims: []string{"Naering"}, Published: []harmonise.Cell{
		val("50", county, "2021", 300, "Bygge- og anleggsvirksomhet"),
		val("50", county, "2021", 0, "Industrien"),
		val("50", county, "2021", 500, "Helse- og sosialtjeneste"),
	}}
	return Inputs{
		Applicants: NewTable(true, udir("udir_vgo_soker",
			val("50", county, "2025", 100, "BA"), val("50", county, "2025", 80, "HS"), val("50", county, "2025", 100, "TP")),
			udir("udir_vgo_soker_fjor",
				val("50", county, "2024", 120, "BA"), val("50", county, "2024", 78, "HS"), val("50", county, "2024", 110, "TP"))),
		Places: NewTable(true, udir("udir_vg1_plasser",
			val("50", county, "2025", 90, "BA"), val("50", county, "2025", 88, "HS"), val("50", county, "2025", 109, "TP"))),
		Contracts: NewTable(true, udir("udir_laerekontrakter_program",
			val("50", county, "2025", 50, "BA"), val("50", county, "2025", 70, "TP"))),
		ApprenticeApplicants: NewTable(true, udir("udir_laereplass_sokere",
			val("50", county, "2025", 60, "BA"), val("50", county, "2025", 70, "TP"))),
		Completion: NewTable(true, udir("vgs_gjennomforing", val("50", county, "2019-2025", 78.5, "BA"))),
		Shortage:   NewTable(false, shortage),
		Employed:   NewTable(true, employed),
	}
}

func fixtureRows(t *testing.T) map[string]Row {
	t.Helper()
	all, err := DefaultProgrammes()
	if err != nil {
		t.Fatal(err)
	}
	var ps []Programme
	for _, p := range all {
		if slices.Contains([]string{"BA", "HS", "TP", "ST"}, p.Code) {
			ps = append(ps, p)
		}
	}
	out := map[string]Row{}
	for _, r := range Compute(fixtureInputs(), ps, fixtureUnits) {
		out[r.Period+"/"+r.Unit.Code+"/"+r.Programme.Code] = r
	}
	return out
}

func checkFigure(t *testing.T, name string, f Figure, want float64, status string, computed bool) {
	t.Helper()
	if math.IsNaN(want) {
		if f.Valid || f.Status != status {
			t.Errorf("%s = %v valid %v status %q, want missing with %q", name, f.Value, f.Valid, f.Status, status)
		}
		return
	}
	if !f.Valid || math.Abs(f.Value-want) > 1e-9 || f.Computed != computed {
		t.Errorf("%s = %v valid %v computed %v, want %v computed %v", name, f.Value, f.Valid, f.Computed, want, computed)
	}
}

// Official figures first, groupings summed, a masked member makes the sum
// missing. Expected values by hand from the fixture:
//   - 50 BA erstatningsbehov: the county's published 200 + 30 = 230 (our
//     sum would be missing: 5007's 55-66 is masked), not computed;
//   - g BA: 5001 (100 + 10) + 5006 (40 + 5) = 155, computed (the 40-54
//     and 10-33 cells are not BA's replacement demand);
//   - h BA: 5007's 55-66 is ":", so the sum is missing with ":";
//   - a grouping's Udir figures are missing with "..": the report API has
//     no municipality detail;
//   - ST (a general programme) has no apprenticeships: ".".
func TestFigures(t *testing.T) {
	rows := fixtureRows(t)
	nan := math.NaN()
	ba50 := rows["2025/50/BA"]
	checkFigure(t, "50 BA erstatningsbehov", ba50.Replacement, 230, "", false)
	checkFigure(t, "g BA erstatningsbehov", rows["2025/g/BA"].Replacement, 155, "", true)
	checkFigure(t, "h BA erstatningsbehov", rows["2025/h/BA"].Replacement, nan, StatusSuppressed, false)
	checkFigure(t, "50 BA forsteonske_sokere", ba50.Applicants, 100, "", false)
	checkFigure(t, "g BA forsteonske_sokere", rows["2025/g/BA"].Applicants, nan, StatusNoData, false)
	checkFigure(t, "50 BA fullfort_andel", ba50.Completion, 78.5, "", false)
	checkFigure(t, "g BA fullfort_andel", rows["2025/g/BA"].Completion, nan, StatusNoData, false)
	// 60 applicants for an apprenticeship / 50 contracts = 1.2.
	checkFigure(t, "50 BA sokere_per_laereplass", ba50.ApplicantsPerContract, 1.2, "", false)
	// 100 in 2025 - 120 in 2024 = -20.
	checkFigure(t, "50 BA sokere_endring", ba50.ApplicantsChange, -20, "", false)
	checkFigure(t, "50 BA mangel_personer", ba50.Shortage, 300, "", false)
	checkFigure(t, "50 ST laerekontrakter", rows["2025/50/ST"].Contracts, nan, StatusNotApplicable, false)
	checkFigure(t, "50 ST erstatningsbehov", rows["2025/50/ST"].Replacement, nan, StatusNotApplicable, false)
	// HS leads to 86-88 only; the fixture has no such 07984 group: "..".
	checkFigure(t, "50 HS erstatningsbehov", rows["2025/50/HS"].Replacement, nan, StatusNoData, false)
	// 2024 has applicants only (the year before): no earlier year to compare.
	checkFigure(t, "50 BA 2024 sokere_endring", rows["2024/50/BA"].ApplicantsChange, nan, StatusNoData, false)
	if ba50.Replacement.Period != "2024" || ba50.Shortage.Period != "2021" || ba50.Completion.Period != "2019-2025" {
		t.Errorf("50 BA periods = %s, %s, %s, want 2024, 2021, 2019-2025", ba50.Replacement.Period, ba50.Shortage.Period, ba50.Completion.Period)
	}
	if len(rows) != 2*3*4 {
		t.Errorf("Compute() gave %d rows, want 24 (2 years × county 50 and groupings g, h × 4 programmes)", len(rows))
	}
}

// Each signal fires on one fixture row and not on another (thresholds in
// the package doc; values by hand from the fixture):
func TestSignals(t *testing.T) {
	rows := fixtureRows(t)
	for _, c := range []struct {
		row, signal string
		want        bool
		why         string
	}{
		{"2025/50/BA", SignalMoreApplicantsThanPlaces, true, "100 applicants > 90 places"},
		{"2025/50/TP", SignalMoreApplicantsThanPlaces, false, "100 applicants < 109 places"},
		{"2025/50/HS", SignalMorePlacesThanApplicants, true, "88 places = 1.10 × 80 applicants (the threshold is inclusive)"},
		{"2025/50/TP", SignalMorePlacesThanApplicants, false, "109 places < 1.10 × 100 = 110"},
		{"2025/50/BA", SignalMoreApprenticeApplicants, true, "60 applicants for an apprenticeship > 50 contracts"},
		{"2025/50/TP", SignalMoreApprenticeApplicants, false, "70 applicants = 70 contracts"},
		{"2025/50/BA", SignalShortageFallingApplicants, true, "shortage 300 > 0 and applicants 120 -> 100, -16.7 % <= -5 %"},
		{"2025/50/TP", SignalShortageFallingApplicants, false, "applicants 110 -> 100 (-9.1 %) but shortage in Industrien is 0"},
		{"2025/50/HS", SignalShortageFallingApplicants, false, "shortage 500 but applicants rose 78 -> 80"},
		{"2025/g/BA", SignalMoreApplicantsThanPlaces, false, "a grouping's figures are missing: no signal"},
	} {
		r := rows[c.row]
		got := false
		for _, s := range r.Signals {
			if s.Code == c.signal {
				got = true
				if s.Text == "" {
					t.Errorf("%s %s has no text", c.row, c.signal)
				}
			}
		}
		if got != c.want {
			t.Errorf("%s: signal %s = %v, want %v (%s); signals %v", c.row, c.signal, got, c.want, c.why, r.Signals)
		}
	}
	// The texts are bokmål with the figures: "Flere søkere til læreplass (60)
	// enn lærekontrakter (50)".
	var texts []string
	for _, s := range rows["2025/50/BA"].Signals {
		texts = append(texts, s.Text)
	}
	if j := strings.Join(texts, "; "); !strings.Contains(j, "Flere søkere til læreplass (60) enn lærekontrakter (50)") || !strings.Contains(j, "(−20, −16,7 %)") {
		t.Errorf("50 BA signal texts = %q", j)
	}
}

// The record has a bokmål label on every field, keeps missing values null
// with their status, lists computed columns, and the labels survive the
// store (Parquet) round trip.
func TestRecordLabels(t *testing.T) {
	rows := fixtureRows(t)
	var list []Row
	for _, k := range []string{"2025/50/BA", "2025/g/BA", "2025/h/BA"} {
		list = append(list, rows[k])
	}
	rec := Record(memory.NewGoAllocator(), list)
	defer rec.Release()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Publish(t.Context(), Dataset, rec, store.DatasetMeta{Source: "planning", Title: "test (syntetisk)", Synthetic: true,
		Keys: []string{"periode", "region", "program"}}); err != nil {
		t.Fatal(err)
	}
	got, err := st.ReadVersion(Dataset, "")
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	for i, c := range Columns {
		f := got.Schema().Field(i)
		if l, _ := f.Metadata.GetValue("label"); f.Name != c.Name || l != c.Label || l == "" {
			t.Errorf("field %d = %s label %q, want %s label %q", i, f.Name, l, c.Name, c.Label)
		}
	}
	status, err := store.StringColumn(got, "status")
	if err != nil {
		t.Fatal(err)
	}
	computed, err := store.StringColumn(got, "computed_columns")
	if err != nil {
		t.Fatal(err)
	}
	repl, err := store.FloatColumn(got, "erstatningsbehov")
	if err != nil {
		t.Fatal(err)
	}
	// Rows in order: 50 (230, published), g (155, computed), h (missing, ":").
	if repl(0) != 230 || strings.Contains(computed(0), "erstatningsbehov") {
		t.Errorf("row 50: erstatningsbehov %v computed %q, want 230 not computed", repl(0), computed(0))
	}
	if repl(1) != 155 || !strings.Contains(computed(1), "erstatningsbehov") {
		t.Errorf("row g: erstatningsbehov %v computed %q, want 155 computed", repl(1), computed(1))
	}
	if !math.IsNaN(repl(2)) || !strings.Contains(status(2), "erstatningsbehov=:") {
		t.Errorf("row h: erstatningsbehov %v status %q, want null with erstatningsbehov=:", repl(2), status(2))
	}
}

// Without any Udir programme dataset nothing is built or published.
func TestBuildSkipped(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(t.Context(), st, Options{Model: &regions.Model{}})
	if err != nil || !res.Skipped || res.Version != nil {
		t.Fatalf("Build() on an empty kb = %+v, %v, want skipped", res, err)
	}
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if cat.Datasets[Dataset] != nil {
		t.Errorf("an empty kb got %s", Dataset)
	}
}
