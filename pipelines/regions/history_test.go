package regions_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
)

// The region model on the real KLASS 131 answers of the bundle
// (testdata/klass/PROVENANCE.md). Expected counts were counted in the
// bundled version files: the classificationItems of each version without
// 9999 Uoppgitt (2013: 429 items, 2018: 423, 2020 and 2022: 357, 2024: 358;
// shared PROVENANCE.md gives the same 428, 422, 356, 356, 357). County
// counts are the distinct first two digits of those codes (19, 18, 11, 11,
// 15), which DOMAIN.md §3.1 gives too.
func TestRealHistoryCounts(t *testing.T) {
	m := loadModel(t)
	tests := []struct {
		date            string
		munis, counties int
	}{
		{"2013-06-01", 428, 19},
		{"2016-06-01", 428, 19},
		{"2017-06-01", 426, 19},
		{"2018-06-01", 422, 18},
		{"2019-06-01", 422, 18},
		{"2020-01-01", 356, 11},
		{"2022-06-01", 356, 11},
		{"2023-12-31", 356, 11},
		{"2024-01-01", 357, 15},
	}
	for _, tt := range tests {
		if got := len(m.Regions(regions.Municipality, date(tt.date))); got != tt.munis {
			t.Errorf("Regions(kommune, %s) = %d, want %d", tt.date, got, tt.munis)
		}
		if got := len(m.Regions(regions.County, date(tt.date))); got != tt.counties {
			t.Errorf("Regions(fylke, %s) = %d, want %d", tt.date, got, tt.counties)
		}
		if _, err := m.Resolve(regions.Unspecified, date(tt.date)); err == nil {
			t.Errorf("Resolve(9999, %s) succeeded, want unknown: Uoppgitt is not a region", tt.date)
		}
	}
	if !m.CountiesDerived() {
		t.Error("CountiesDerived() = false, want true (no KLASS 104 answers are read)")
	}
}

// Halden: 0101 until 2020, 3001 Viken 2020-2023, 3101 Østfold from 2024
// (real changes: 0101 → 3001 on 2020-01-01, 3001 → 3101 on 2024-01-01).
// Kvitsøy 1144 and Træna 1835 are in every version 2013-2024, so each is one
// region valid from the first version on.
func TestRealHistoryCodes(t *testing.T) {
	m := loadModel(t)
	versions := func(code string) string {
		var out []string
		for _, r := range m.Versions(code) {
			out = append(out, r.ID()+".."+r.To.Format(klass.DateLayout)+" "+r.Name)
		}
		return strings.Join(out, "; ")
	}
	tests := []struct{ code, want string }{
		{"0101", "0101@2013-01-01..2020-01-01 Halden"},
		{"3001", "3001@2020-01-01..2024-01-01 Halden"},
		{"3101", "3101@2024-01-01..0001-01-01 Halden"},
		{"1144", "1144@2013-01-01..0001-01-01 Kvitsøy"},
		{"1835", "1835@2013-01-01..0001-01-01 Træna"},
		// Names per region version from the newest KLASS version within it:
		// "Trondheim" in version 2019, "Trondheim - Tråante" in 2024.
		{"5001", "5001@2018-01-01..2020-01-01 Trondheim; 5001@2020-01-01..0001-01-01 Trondheim - Tråante"},
		// Counties: 30 Viken and 54 Troms og Finnmark 2020-2023 (names from
		// geo-norge-2020/Fylker-small.json).
		{"30", "30@2020-01-01..2024-01-01 Viken"},
		{"54", "54@2020-01-01..2024-01-01 Troms og Finnmark"},
		{"01", "01@2013-01-01..2020-01-01 Østfold"},
		{"31", "31@2024-01-01..0001-01-01 Østfold"},
	}
	for _, tt := range tests {
		if got := versions(tt.code); got != tt.want {
			t.Errorf("Versions(%s) = %s, want %s", tt.code, got, tt.want)
		}
	}
	var got []string
	for _, ev := range m.Trace("3101") {
		got = append(got, ev.Date.Format(klass.DateLayout)+" "+string(ev.Kind)+" "+strings.Join(ev.Old, " ")+" > "+strings.Join(ev.New, " "))
	}
	if want := "2020-01-01 recode 0101 > 3001\n2024-01-01 recode 3001 > 3101"; strings.Join(got, "\n") != want {
		t.Errorf("Trace(3101) =\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}

// County data of 2020 (the 11 counties of 2020-2023) resolves, and rolls to
// 2024: 30 Viken was split into 31, 32 and 33, 38 into 39 and 40, 54 into 55
// and 56 (the real municipality changes of 2024-01-01 move 30xx codes to
// 31xx, 32xx and 33xx only, and so on); the others are kept.
func TestCounties2020Resolve(t *testing.T) {
	m := loadModel(t)
	at := date("2020-10-01")
	codes := []string{"03", "11", "15", "18", "30", "34", "38", "42", "46", "50", "54"}
	for _, c := range codes {
		if _, err := m.Resolve(c, at); err != nil {
			t.Errorf("Resolve(%s, 2020-10-01) error = %v", c, err)
		}
	}
	// Which splits does the 2020 county data cross on its way to 2024?
	var splits []string
	for _, s := range m.Splits() {
		if s.Old.Level == regions.County && s.Date.Equal(date("2024-01-01")) {
			splits = append(splits, s.Key+" > "+strings.Join(s.NewCodes, " "))
		}
	}
	want := "30@2024-01-01 > 31 32 33; 38@2024-01-01 > 39 40; 54@2024-01-01 > 55 56"
	if got := strings.Join(splits, "; "); got != want {
		t.Errorf("county splits on 2024-01-01 = %s, want %s", got, want)
	}
	// With weights for the three splits, every 2020 county value reaches the
	// 15 counties of 2024. Synthetic values: 1 per county, weights 1:1(:1).
	w := regions.Weights{
		"30@2024-01-01": {"31": 1, "32": 1, "33": 1},
		"38@2024-01-01": {"39": 1, "40": 1},
		"54@2024-01-01": {"55": 1, "56": 1},
	}
	var cells []regions.Cell
	for _, c := range codes {
		cells = append(cells, regions.Cell{Code: c, Value: 6, Valid: true})
	}
	hs, err := m.HarmoniseCells(cells, at, regions.Options{Weights: w, Dataset: "fylke_2020"})
	if err != nil {
		t.Fatal(err)
	}
	// 30's 6 goes 2 to each of 31-33; 38's 3 to each of 39-40; 54's likewise.
	checkCells(t, "2020 counties to 2024", hs, []cellWant{
		{"03", 6, true, regions.Native}, {"11", 6, true, regions.Native}, {"15", 6, true, regions.Native},
		{"18", 6, true, regions.Native}, {"34", 6, true, regions.Native}, {"42", 6, true, regions.Native},
		{"46", 6, true, regions.Native}, {"50", 6, true, regions.Native},
		{"31", 2, true, regions.Apportioned}, {"32", 2, true, regions.Apportioned}, {"33", 2, true, regions.Apportioned},
		{"39", 3, true, regions.Apportioned}, {"40", 3, true, regions.Apportioned},
		{"55", 3, true, regions.Apportioned}, {"56", 3, true, regions.Apportioned},
	})
	// A 2019 county code in 2020 data is unknown, typed.
	_, err = m.HarmoniseCells([]regions.Cell{{Code: "01", Value: 1, Valid: true}}, at, regions.Options{Dataset: "fylke_2020"})
	var ue *regions.UnknownCodeError
	if !errors.As(err, &ue) || ue.Code != "01" {
		t.Errorf("HarmoniseCells(01 in 2020) error = %v, want *UnknownCodeError for 01", err)
	}
}

func ExampleLoad() {
	// The offline bundle of real KLASS 131 answers, in process (no network).
	c := klass.New("https://data.ssb.no/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: klasstest.Transport(klassDir)}})
	m, err := regions.Load(context.Background(), c, date("2013-01-01"), date("2025-01-02"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range []string{"2019-06-01", "2022-06-01", "2024-06-01"} {
		fmt.Println(d, len(m.Regions(regions.Municipality, date(d))), "kommuner,", len(m.Regions(regions.County, date(d))), "fylker")
	}
	for _, ev := range m.Trace("3101") {
		fmt.Println(ev.Date.Format(klass.DateLayout), ev.Kind, ev.Old, "->", ev.New)
	}
	// Output:
	// 2019-06-01 422 kommuner, 18 fylker
	// 2022-06-01 356 kommuner, 11 fylker
	// 2024-06-01 357 kommuner, 15 fylker
	// 2020-01-01 recode [0101] -> [3001]
	// 2024-01-01 recode [3001] -> [3101]
}
