package regions_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
)

// The offline KLASS bundle and the groupings file (see PROVENANCE.md in
// testdata/klass and testdata/regions).
const (
	klassDir   = "../../testdata/klass"
	groupsFile = "../../testdata/regions/grupper-trondelag.yaml"
)

func date(s string) time.Time {
	t, err := time.Parse(klass.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func loadModel(tb testing.TB) *regions.Model {
	tb.Helper()
	c := klass.New("https://data.ssb.no/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: klasstest.Transport(klassDir)}})
	m, err := regions.Load(context.Background(), c, date("2013-01-01"), date("2025-01-02"))
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

type cellWant struct {
	code  string
	value float64
	valid bool
	flag  regions.Flag
}

func harmonised(t *testing.T, hs []regions.Harmonised) map[string]regions.Harmonised {
	t.Helper()
	out := map[string]regions.Harmonised{}
	for _, h := range hs {
		out[h.Region.Code] = h
	}
	return out
}

func checkCells(t *testing.T, name string, hs []regions.Harmonised, want []cellWant) {
	t.Helper()
	got := harmonised(t, hs)
	if len(got) != len(want) {
		t.Errorf("%s: %d outputs %v, want %d", name, len(got), hs, len(want))
	}
	for _, w := range want {
		h, ok := got[w.code]
		if !ok {
			t.Errorf("%s: no output for %s", name, w.code)
			continue
		}
		if h.Valid != w.valid || math.Abs(h.Value-w.value) > 1e-9 || h.Flag != w.flag {
			t.Errorf("%s: %s = {%g valid=%v %s}, want {%g valid=%v %s}", name, w.code, h.Value, h.Valid, h.Flag, w.value, w.valid, w.flag)
		}
	}
}

func TestLatestAndRegions(t *testing.T) {
	m := loadModel(t)
	if got := m.Latest(); !got.Equal(date("2024-01-01")) {
		t.Errorf("Latest() = %s, want 2024-01-01", got)
	}
	// 357 municipalities and 15 counties in 2024 (DOMAIN.md 3.1; geo-norge-2024).
	if got := len(m.Regions(regions.Municipality, date("2024-06-01"))); got != 357 {
		t.Errorf("Regions(kommune, 2024-06-01) = %d, want 357", got)
	}
	if got := len(m.Regions(regions.County, date("2024-06-01"))); got != 15 {
		t.Errorf("Regions(fylke, 2024-06-01) = %d, want 15", got)
	}
	// 11 counties 2020-2023, 18 in 2018-2019, 19 before (DOMAIN.md 3.1).
	for _, tt := range []struct {
		d    string
		want int
	}{{"2017-06-01", 19}, {"2019-06-01", 18}, {"2022-06-01", 11}} {
		if got := len(m.Regions(regions.County, date(tt.d))); got != tt.want {
			t.Errorf("Regions(fylke, %s) = %d, want %d", tt.d, got, tt.want)
		}
	}
	// 5001 is two regions: before and after Klæbu joined on 2020-01-01.
	vs := m.Versions("5001")
	if len(vs) != 2 || vs[0].ID() != "5001@2018-01-01" || vs[1].ID() != "5001@2020-01-01" || !vs[0].To.Equal(date("2020-01-01")) {
		t.Errorf("Versions(5001) = %v, want 5001@2018-01-01..2020-01-01 and 5001@2020-01-01", vs)
	}
}

// A merge chain: 0219 Bærum → 3024 (2020) → 3201 (2024) and 1601 Trondheim
// → 5001 (2018), joined by 5030 Klæbu (ex 1662) in 2020.
func TestMergeChain(t *testing.T) {
	m := loadModel(t)
	tests := []struct {
		name  string
		at    string
		cells []regions.Cell
		want  []cellWant
	}{
		{
			name:  "Bærum 2019 followed to 3201 (pure recode chain, exact: merged)",
			at:    "2019-10-01",
			cells: []regions.Cell{{Code: "0219", Value: 100, Valid: true}},
			want:  []cellWant{{"3201", 100, true, regions.Merged}},
		},
		{
			name:  "Bærum 2022 (3024)",
			at:    "2022-10-01",
			cells: []regions.Cell{{Code: "3024", Value: 7, Valid: true}},
			want:  []cellWant{{"3201", 7, true, regions.Merged}},
		},
		{
			name:  "Bærum 2024 is native",
			at:    "2024-10-01",
			cells: []regions.Cell{{Code: "3201", Value: 5, Valid: true}},
			want:  []cellWant{{"3201", 5, true, regions.Native}},
		},
		{
			// hand: 200 (1601 Trondheim) + 50 (1662 Klæbu) = 250
			name:  "Trondheim 2017 + Klæbu 2017 into 5001 on 2024 boundaries",
			at:    "2017-10-01",
			cells: []regions.Cell{{Code: "1601", Value: 200, Valid: true}, {Code: "1662", Value: 50, Valid: true}},
			want:  []cellWant{{"5001", 250, true, regions.Merged}},
		},
		{
			// 5001 (2018-2019) + 5030 = 5001 (2020-): 300 + 60 = 360
			name:  "Trondheim 2019 + Klæbu 2019",
			at:    "2019-10-01",
			cells: []regions.Cell{{Code: "5001", Value: 300, Valid: true}, {Code: "5030", Value: 60, Valid: true}},
			want:  []cellWant{{"5001", 360, true, regions.Merged}},
		},
		{
			// Klæbu (valid in 2019, rolls into 5001) is absent: the sum would be
			// partial, so it is missing, never presented as a total.
			name:  "Trondheim 2019 without Klæbu is missing",
			at:    "2019-10-01",
			cells: []regions.Cell{{Code: "5001", Value: 300, Valid: true}},
			want:  []cellWant{{"5001", 0, false, regions.Merged}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, err := m.HarmoniseCells(tt.cells, date(tt.at), regions.Options{Dataset: "test"})
			if err != nil {
				t.Fatal(err)
			}
			checkCells(t, tt.name, hs, tt.want)
		})
	}
}

// A three-way split: Snillfjord (5012) went to Heim (5055), Hitra (5056) and
// Orkland (5059) on 2020-01-01, apportioned by caller weights.
func TestThreeWaySplit(t *testing.T) {
	m := loadModel(t)
	cells := []regions.Cell{
		{Code: "5011", Value: 10, Valid: true}, // Hemne → Heim
		{Code: "5012", Value: 90, Valid: true}, // Snillfjord → split
		{Code: "1571", Value: 20, Valid: true}, // Halsa → Heim
		{Code: "5024", Value: 30, Valid: true}, // Orkdal → Orkland
		{Code: "5023", Value: 40, Valid: true}, // Meldal → Orkland
		{Code: "5016", Value: 50, Valid: true}, // Agdenes → Orkland
		{Code: "5013", Value: 5, Valid: true},  // Hitra → Hitra (5013 → 5056 in the real changes)
	}
	// Synthetic weights 1:2:6 (normalised to 1/9, 2/9, 6/9): Snillfjord's 90
	// goes 10 to Heim, 20 to Hitra, 60 to Orkland.
	w := regions.Weights{regions.SplitKey("5012", date("2020-01-01")): {"5055": 1, "5056": 2, "5059": 6}}
	hs, err := m.HarmoniseCells(cells, date("2019-10-01"), regions.Options{Weights: w, Dataset: "test"})
	if err != nil {
		t.Fatal(err)
	}
	checkCells(t, "Snillfjord split", hs, []cellWant{
		{"5055", 10 + 10 + 20, true, regions.Apportioned},      // Hemne + 1/9 Snillfjord + Halsa
		{"5056", 5 + 20, true, regions.Apportioned},            // Hitra 5013 + 2/9 Snillfjord
		{"5059", 30 + 40 + 50 + 60, true, regions.Apportioned}, // Orkdal + Meldal + Agdenes + 6/9 Snillfjord
	})

	// The split is listed.
	found := false
	for _, s := range m.Splits() {
		if s.Key == "5012@2020-01-01" && strings.Join(s.NewCodes, " ") == "5055 5056 5059" {
			found = true
		}
	}
	if !found {
		t.Errorf("Splits() = %v, want one with key 5012@2020-01-01 into 5055 5056 5059", m.Splits())
	}

	errTests := []struct {
		name string
		w    regions.Weights
		want string
	}{
		{"no weights", nil, `no weights for split "5012@2020-01-01"`},
		{"weight missing for one successor", regions.Weights{"5012@2020-01-01": {"5055": 1, "5059": 1}}, "weight for 5056 missing"},
		{"weight for a stranger", regions.Weights{"5012@2020-01-01": {"5055": 1, "5056": 1, "5059": 1, "5001": 1}}, "weight for 5001, which is not a successor"},
		{"zero weights", regions.Weights{"5012@2020-01-01": {"5055": 0, "5056": 0, "5059": 0}}, "weights sum to 0"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.HarmoniseCells(cells, date("2019-10-01"), regions.Options{Weights: tt.w, Dataset: "09429", Period: "2019"})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "dataset 09429: period 2019: code 5012") {
				t.Errorf("HarmoniseCells(%s) error = %v, want naming dataset, period, code and %q", tt.name, err, tt.want)
			}
		})
	}
}

func TestAlesundHaramSplit(t *testing.T) {
	m := loadModel(t)
	// Synthetic weights 3:1: 400 → 300 Ålesund (1508), 100 Haram (1580).
	w := regions.Weights{regions.SplitKey("1507", date("2024-01-01")): {"1508": 3, "1580": 1}}
	codes, values, valid, flags, err := m.Harmonise([]string{"1507"}, []float64{400}, nil, date("2023-10-01"), regions.Options{Weights: w})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(codes, " ")
	if got != "1508 1580" || values[0] != 300 || values[1] != 100 || !valid[0] || !valid[1] || flags[0] != regions.Apportioned || flags[1] != regions.Apportioned {
		t.Errorf("Harmonise(1507=400, 2023) = %v %v %v %v, want [1508 1580] [300 100] valid apportioned", codes, values, valid, flags)
	}
}

func TestUnknownCode(t *testing.T) {
	m := loadModel(t)
	tests := []struct {
		code, at string
	}{
		{"3201", "2019-10-01"}, // a 2024 code before it existed
		{"0219", "2021-10-01"}, // Bærum's old code after it ceased
		{"12345", "2024-10-01"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			_, err := m.HarmoniseCells([]regions.Cell{{Code: tt.code, Value: 1, Valid: true}}, date(tt.at), regions.Options{Dataset: "09429", Period: tt.at[:4]})
			var ue *regions.UnknownCodeError
			if !errors.As(err, &ue) || ue.Dataset != "09429" || ue.Code != tt.code || ue.Period != tt.at[:4] {
				t.Fatalf("HarmoniseCells(%s at %s) error = %#v, want *UnknownCodeError naming dataset 09429, code and period", tt.code, tt.at, err)
			}
		})
	}
}

func TestMissingPropagates(t *testing.T) {
	m := loadModel(t)
	// Bø is suppressed (":"), Sauherad is not: Midt-Telemark is missing with
	// status ":", never 0 + Sauherad.
	hs, err := m.HarmoniseCells([]regions.Cell{
		{Code: "0821", Valid: false, Status: ":"},
		{Code: "0822", Value: 50, Valid: true},
	}, date("2019-10-01"), regions.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 1 || hs[0].Region.Code != "4020" || hs[0].Valid || hs[0].Status != ":" {
		t.Errorf("HarmoniseCells(0821 missing ':', 0822=50) = %+v, want 4020 missing with status ':'", hs)
	}
	// Provisional status shared by all contributors is kept on a valid sum.
	hs, err = m.HarmoniseCells([]regions.Cell{
		{Code: "0821", Value: 100, Valid: true, Status: "p"},
		{Code: "0822", Value: 50, Valid: true, Status: "p"},
	}, date("2019-10-01"), regions.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 1 || !hs[0].Valid || hs[0].Value != 150 || hs[0].Status != "p" || hs[0].Flag != regions.Merged {
		t.Errorf("HarmoniseCells(0821=100p, 0822=50p) = %+v, want 4020 = 150 status p merged", hs)
	}
}

// A rate recomputed after a merge: Bø 30/100 and Sauherad 10/50 merge into
// Midt-Telemark. The average of the rates (30 % and 20 %) would be 25 %; the
// recomputed rate is (30+10)/(100+50) = 26.666… %.
func TestRateAfterMerge(t *testing.T) {
	m := loadModel(t)
	at := date("2019-10-01")
	codes := []string{"0821", "0822"}
	_, num, numOK, _, err := m.Harmonise(codes, []float64{30, 10}, nil, at, regions.Options{})
	if err != nil {
		t.Fatal(err)
	}
	outCodes, den, denOK, _, err := m.Harmonise(codes, []float64{100, 50}, nil, at, regions.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rate, ok := regions.Ratio(num, den, numOK, denOK, 100)
	want := 40.0 / 150 * 100
	if len(rate) != 1 || outCodes[0] != "4020" || !ok[0] || math.Abs(rate[0]-want) > 1e-12 {
		t.Errorf("Ratio after merge = %v %v %v, want [4020] [%g]", outCodes, rate, ok, want)
	}
}

func TestDefaultPeriodDate(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"2019", "2019-01-01"}, {"2019M03", "2019-03-01"}, {"2019K2", "2019-04-01"}, {"2019Q4", "2019-10-01"},
		{"2019H2", "2019-07-01"}, {"2019-03", "2019-03-01"}, {"2019-10-01", "2019-10-01"},
		{"2019-2025", "2019-01-01"}, {"2025-2026", "2025-01-01"}, // a cohort, a school year: their start
	}
	for _, tt := range tests {
		got, err := regions.DefaultPeriodDate(tt.in)
		if err != nil || !got.Equal(date(tt.want)) {
			t.Errorf("DefaultPeriodDate(%q) = %s, %v, want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "19", "2019M13", "2019K5", "2019X1", "abcd", "2019-13-01", "2019-20x5", "19-2025", "2025-2019"} {
		if _, err := regions.DefaultPeriodDate(bad); err == nil {
			t.Errorf("DefaultPeriodDate(%q) = nil error, want error", bad)
		}
	}
}

func FuzzDefaultPeriodDate(f *testing.F) {
	for _, s := range []string{"2019", "2019M03", "2019K2", "2019H1", "2019-03", "2019-03-15", "2019-2025"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := regions.DefaultPeriodDate(s)
		if err != nil {
			return
		}
		if got := d.Format("2006"); got != s[:4] {
			t.Errorf("DefaultPeriodDate(%q) = %s, year differs from the period", s, d)
		}
	})
}

func TestTrace(t *testing.T) {
	m := loadModel(t)
	tests := []struct {
		code string
		want []string
	}{
		{"5001", []string{"2018-01-01 recode 1601 > 5001", "2018-01-01 recode 1662 > 5030", "2020-01-01 merge 5001 5030 > 5001"}},
		{"3201", []string{"2020-01-01 recode 0219 > 3024", "2024-01-01 recode 3024 > 3201"}},
		// The real changes: 1504 Ålesund, 1523 Ørskog, 1529 Skodje, 1534 Haram
		// and 1546 Sandøy → 1507 Ålesund (2020), then 1507 → 1508 + 1580 (2024).
		{"1580", []string{"2020-01-01 merge 1504 1523 1529 1534 1546 > 1507", "2024-01-01 split 1507 > 1508 1580"}},
		// County 07 Vestfold lost 0711 Svelvik to 3005 Drammen (county 30) in
		// 2020, so 07 split into 30 and 38 at county level.
		{"40", []string{"2020-01-01 split 07 > 30 38", "2020-01-01 merge 07 08 > 38", "2024-01-01 split 38 > 39 40"}},
		{"0301", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, ev := range m.Trace(tt.code) {
			got = append(got, ev.Date.Format(klass.DateLayout)+" "+string(ev.Kind)+" "+strings.Join(ev.Old, " ")+" > "+strings.Join(ev.New, " "))
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("Trace(%s) =\n%s\nwant\n%s", tt.code, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}
