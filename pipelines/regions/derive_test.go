package regions_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
	"github.com/grunnlag/grunnlag/sources/replay"
)

// loadModelFrom loads the model from the bundled KLASS answers over
// [from, 2025-01-02), the range of the bundled change table.
func loadModelFrom(tb testing.TB, from string) (*regions.Model, error) {
	tb.Helper()
	c := klass.New("https://data.ssb.no/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: klasstest.Transport(klassDir)}})
	return regions.Load(context.Background(), c, date(from), date("2025-01-02"))
}

// The bundle holds KLASS answers for the versions from 2013 on; the
// classification lists older ones (477 "Kommuneinndeling 2005" ...
// 474 "Kommuneinndeling 2012") that it has no answer for, so Load derives
// them from the real change table (testdata/klass/classifications/131/
// changes/from=1971-01-01&to=2025-01-02.json).
//
// Expected counts, by hand from that file: the 2013 version has 428
// municipalities without 9999 (PROVENANCE.md). Walking back, each merger
// undone adds one code: 2013-01-01 1901 Harstad + 1915 Bjarkøy → 1903
// gives 429 for 2012; 2012-01-01 1723 Mosvik + 1729 Inderøy → 1756 gives
// 430 for 2008-2011 (2011-01-01 is only 1736 Snåsa's rename, 2012-01-01
// also renames 1849 and 1850); 2008-01-01 1503 Kristiansund + 1556 Frei
// → 1505 gives 431 for 2006-2007; 2006-01-01 1154 + 1159 → 1160 and
// 1569 + 1572 → 1576 give 433 for 2005 (1842 Skjerstad joined 1804 Bodø
// on 2005-01-01 itself, so it is not in the 2005 set). These are all the
// entries of the file dated 2005-01-01 to 2013-01-01 (jq
// '.codeChanges[]|select(.changeOccurred>="2005" and .changeOccurred<="2013-01-01")').
// Counties: the distinct first two digits, 01-12 and 14-20, 19 in each year.
func TestDerivedHistoryCounts(t *testing.T) {
	m, err := loadModelFrom(t, "2005-01-01")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		date            string
		munis, counties int
	}{
		{"2005-01-01", 433, 19},
		{"2005-12-31", 433, 19},
		{"2006-01-01", 431, 19},
		{"2007-12-31", 431, 19},
		{"2008-01-01", 430, 19},
		{"2011-06-01", 430, 19},
		{"2011-12-31", 430, 19},
		{"2012-01-01", 429, 19},
		{"2012-12-31", 429, 19},
		{"2013-01-01", 428, 19},
	}
	for _, tt := range tests {
		if got := len(m.Regions(regions.Municipality, date(tt.date))); got != tt.munis {
			t.Errorf("Regions(kommune, %s) = %d, want %d", tt.date, got, tt.munis)
		}
		if got := len(m.Regions(regions.County, date(tt.date))); got != tt.counties {
			t.Errorf("Regions(fylke, %s) = %d, want %d", tt.date, got, tt.counties)
		}
	}
	if got := m.DerivedBefore(); !got.Equal(date("2013-01-01")) {
		t.Errorf("DerivedBefore() = %s, want 2013-01-01 (the first version the bundle answers)", got)
	}
	if got := loadModel(t).DerivedBefore(); !got.IsZero() {
		t.Errorf("DerivedBefore() from 2013 = %s, want zero (nothing derived)", got)
	}
}

// Named codes' validity and names, each from the change table entries
// quoted in TestDerivedHistoryCounts: a code that ceased on a change date
// is valid to the day before (To is exclusive); its name is the change
// table's oldName; a code valid across 2013 is one region from 2005.
func TestDerivedHistoryCodes(t *testing.T) {
	m, err := loadModelFrom(t, "2005-01-01")
	if err != nil {
		t.Fatal(err)
	}
	versions := func(code string) string {
		var out []string
		for _, r := range m.Versions(code) {
			out = append(out, r.ID()+".."+r.To.Format(klass.DateLayout)+" "+r.Name)
		}
		return strings.Join(out, "; ")
	}
	tests := []struct{ code, want string }{
		{"1556", "1556@2005-01-01..2008-01-01 Frei"},         // valid to 2007-12-31
		{"1503", "1503@2005-01-01..2008-01-01 Kristiansund"}, // likewise
		{"1505", "1505@2008-01-01..0001-01-01 Kristiansund"},
		{"1723", "1723@2005-01-01..2012-01-01 Mosvik"},  // valid to 2011-12-31
		{"1915", "1915@2005-01-01..2013-01-01 Bjarkøy"}, // valid to 2012-12-31
		{"1901", "1901@2005-01-01..2013-01-01 Harstad"},
		{"1154", "1154@2005-01-01..2006-01-01 Vindafjord"},
		{"1159", "1159@2005-01-01..2006-01-01 Ølen"},
		{"1572", "1572@2005-01-01..2006-01-01 Tustna"},
		{"1842", ""}, // Skjerstad ceased on 2005-01-01, the first derived day
		// A version's name is the newest within it, as for KLASS versions:
		// 1736 was "Snåsa" until 2011 and is one version 2005-2017.
		{"1736", "1736@2005-01-01..2018-01-01 Snåase - Snåsa"},
		{"17", "17@2005-01-01..2018-01-01 Nord-Trøndelag"},
	}
	for _, tt := range tests {
		if got := versions(tt.code); got != tt.want {
			t.Errorf("Versions(%s) = %q, want %q", tt.code, got, tt.want)
		}
	}
	var got []string
	for _, ev := range m.Trace("1505") {
		got = append(got, ev.Date.Format(klass.DateLayout)+" "+string(ev.Kind)+" "+strings.Join(ev.Old, " ")+" > "+strings.Join(ev.New, " "))
	}
	if want := "2008-01-01 merge 1503 1556 > 1505"; strings.Join(got, "\n") != want {
		t.Errorf("Trace(1505) = %q, want %q", strings.Join(got, "\n"), want)
	}
}

// A 2007 figure for 1503 Kristiansund and 1556 Frei goes onto the 2024
// boundaries as 1505 Kristiansund, their sum (10 + 5 = 15, synthetic
// values), flagged merged; 0301 Oslo, unchanged, stays native. A 2007
// figure for 1505 is unknown (the code begins in 2008), typed.
func TestDerivedHarmonise2007(t *testing.T) {
	m, err := loadModelFrom(t, "2006-01-01")
	if err != nil {
		t.Fatal(err)
	}
	at := date("2007-01-01")
	hs, err := m.HarmoniseCells([]regions.Cell{
		{Code: "1503", Value: 10, Valid: true},
		{Code: "1556", Value: 5, Valid: true},
		{Code: "0301", Value: 7, Valid: true},
	}, at, regions.Options{Target: date("2024-01-01"), Dataset: "syntetisk_2007"})
	if err != nil {
		t.Fatal(err)
	}
	checkCells(t, "2007 to 2024", hs, []cellWant{
		{"1505", 15, true, regions.Merged},
		{"0301", 7, true, regions.Native},
	})
	_, err = m.HarmoniseCells([]regions.Cell{{Code: "1505", Value: 1, Valid: true}}, at, regions.Options{Dataset: "syntetisk_2007"})
	var ue *regions.UnknownCodeError
	if !errors.As(err, &ue) || ue.Code != "1505" {
		t.Errorf("HarmoniseCells(1505 in 2007) error = %v, want *UnknownCodeError for 1505", err)
	}
}

// From 2013 on, the model with derived years holds exactly what the model
// from 2013 holds: on every KLASS version's start and mid-year, the same
// municipalities and counties with the same names and ends, and the same
// harmonised values and flags for every municipality of 2016 (value 1
// each, split weights 1 per new code).
func TestDerivedKeeps2013On(t *testing.T) {
	old := loadModel(t)
	m, err := loadModelFrom(t, "2005-01-01")
	if err != nil {
		t.Fatal(err)
	}
	strip := func(rs []regions.Region) []regions.Region {
		out := make([]regions.Region, len(rs))
		for i, r := range rs {
			if !r.From.IsZero() && r.From.Before(date("2013-01-01")) {
				r.From = date("2013-01-01") // a region valid across 2013 starts earlier; nothing else may differ
			}
			out[i] = r
		}
		return out
	}
	for _, d := range []string{"2013-01-01", "2014-06-01", "2015-01-01", "2017-01-01", "2018-01-01", "2019-01-01", "2020-01-01", "2022-01-01", "2023-01-01", "2024-01-01", "2024-12-31"} {
		if got, want := strip(m.Regions("", date(d))), old.Regions("", date(d)); !reflect.DeepEqual(got, want) {
			t.Errorf("Regions(%s) differs from the model from 2013 (%d vs %d regions)", d, len(got), len(want))
		}
	}
	w := regions.Weights{}
	for _, s := range old.Splits() {
		w[s.Key] = map[string]float64{}
		for _, c := range s.NewCodes {
			w[s.Key][c] = 1
		}
	}
	at := date("2016-01-01")
	var cells []regions.Cell
	for _, r := range old.Regions(regions.Municipality, at) {
		cells = append(cells, regions.Cell{Code: r.Code, Value: 1, Valid: true})
	}
	want, err := old.HarmoniseCells(cells, at, regions.Options{Weights: w})
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.HarmoniseCells(cells, at, regions.Options{Weights: w})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("HarmoniseCells(2016) = %d cells, want %d", len(got), len(want))
	}
	for i := range want {
		g, x := got[i], want[i]
		if g.Region.Code != x.Region.Code || g.Value != x.Value || g.Flag != x.Flag || g.Valid != x.Valid {
			t.Errorf("HarmoniseCells(2016)[%d] = %s %g %s, want %s %g %s", i, g.Region.Code, g.Value, g.Flag, x.Region.Code, x.Value, x.Flag)
		}
	}
}

// Asked for 2004, the version "Kommuneinndeling 2004" (2755) has no answer
// in the bundle and is before DeriveFloor: a typed error naming the date.
func TestDerivedBeforeFloor(t *testing.T) {
	_, err := loadModelFrom(t, "2004-06-01")
	var de *regions.DerivedVersionError
	if !errors.As(err, &de) || !de.Date.Equal(date("2004-01-01")) {
		t.Fatalf("Load(2004-06-01) error = %v, want *DerivedVersionError for 2004-01-01", err)
	}
	if !regions.DeriveFloor.Equal(time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("DeriveFloor = %s, want 2005-01-01", regions.DeriveFloor)
	}
}

// Served as the pipelines serve the bundle (replay.KLASS, which has no
// answer for an unrecorded request rather than a 404: *replay.MissError),
// the versions before 2013 are derived alike: 431 municipalities on
// 2007-06-01 (TestDerivedHistoryCounts).
func TestDerivedFromReplay(t *testing.T) {
	tr, err := replay.KLASS("https://data.ssb.no/api/klass/v1", klassDir)
	if err != nil {
		t.Fatal(err)
	}
	c := klass.New("https://data.ssb.no/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: tr}})
	m, err := regions.Load(context.Background(), c, date("2006-01-01"), date("2025-01-02"))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(m.Regions(regions.Municipality, date("2007-06-01"))); got != 431 {
		t.Errorf("Regions(kommune, 2007-06-01) = %d, want 431", got)
	}
	if got := m.DerivedBefore(); !got.Equal(date("2013-01-01")) {
		t.Errorf("DerivedBefore() = %s, want 2013-01-01", got)
	}
}
