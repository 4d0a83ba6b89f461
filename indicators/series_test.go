package indicators

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
)

// TestSeriesLookups checks Get, Query.Get and GetUnit against hand-made
// cells, before and after the cells are laid out densely (the first
// lookup) and after a later Set (which must be seen).
func TestSeriesLookups(t *testing.T) {
	s := NewSeries("x", "Nivaa", "ContentsCode")
	set := func(r, p, lv string, c Cell) {
		if err := s.Set(r, p, []string{lv, "Personer"}, c); err != nil {
			t.Fatal(err)
		}
	}
	set("A", "2025", "03a", Cell{Value: 10, Valid: true})
	set("A", "2025", "04a", Cell{Value: 5, Valid: true, Apportioned: true})
	set("B", "2025", "03a", Cell{Valid: false, Status: ":"})
	set("B", "2025", "04a", Cell{Value: 7, Valid: true, Provisional: true})
	tests := []struct {
		region, nivaa string
		ok, valid     bool
		value         float64
		status        string
		apport, prov  bool
	}{
		{"A", "03a", true, true, 10, "", false, false},
		{"A", "03a+04a", true, true, 15, "", true, false}, // 10 + 5
		{"B", "03a+04a", true, false, 0, ":", false, true},
		{"B", "04a", true, true, 7, "", false, true},
		{"A", "09a", false, false, 0, "..", false, false},      // unknown code
		{"A", "03a+09a", true, false, 0, "..", false, false},   // a term absent: missing
		{"C", "03a", false, false, 0, "..", false, false},      // unknown region
		{"A", "09a+11", false, false, 0, "..", false, false},   // no term present
		{"B", "03a+04a+04a", true, false, 0, ":", false, true}, // repeated term
	}
	for round := 0; round < 2; round++ {
		for _, tc := range tests {
			f := Filter{"Nivaa": tc.nivaa, "ContentsCode": "Personer"}
			for name, get := range map[string]func() (Cell, bool){
				"Get":   func() (Cell, bool) { return s.Get(tc.region, "2025", f) },
				"Query": func() (Cell, bool) { return s.Query(f).Get(tc.region, "2025") },
			} {
				c, ok := get()
				if ok != tc.ok || c.Valid != tc.valid || c.Value != tc.value || c.Status != tc.status || c.Apportioned != tc.apport || c.Provisional != tc.prov {
					t.Errorf("round %d: %s(%s, %s) = %+v, %v; want value %g valid %v status %q apportioned %v provisional %v, %v",
						round, name, tc.region, tc.nivaa, c, ok, tc.value, tc.valid, tc.status, tc.apport, tc.prov, tc.ok)
				}
			}
		}
		// A Set after lookups is seen by the next lookup.
		set("A", "2025", "03a", Cell{Value: 10, Valid: true})
	}
	set("C", "2025", "03a", Cell{Value: 1, Valid: true})
	if c, ok := s.Get("C", "2025", Filter{"Nivaa": "03a", "ContentsCode": "Personer"}); !ok || c.Value != 1 {
		t.Errorf("Get(C) after Set = %+v, %v, want 1", c, ok)
	}
	// A filter that does not fix every dimension finds nothing.
	if _, ok := s.Get("A", "2025", Filter{"Nivaa": "03a"}); ok {
		t.Errorf("Get without ContentsCode = ok, want not found")
	}
	// GetUnit sums members for a unit the series lacks: A + B = 10 + 7.
	u := Region{Code: "38", Members: []string{"A", "B"}}
	f := Filter{"Nivaa": "04a", "ContentsCode": "Personer"}
	if c, ok := s.GetUnit(u, "2025", f); !ok || !c.Valid || c.Value != 12 || !c.Apportioned || !c.Provisional {
		t.Errorf("GetUnit(38 = A+B, 04a) = %+v, %v; want 5 + 7 = 12, apportioned and provisional", c, ok)
	}
	if c, ok := s.GetUnit(u, "2025", Filter{"Nivaa": "03a", "ContentsCode": "Personer"}); !ok || c.Valid || c.Status != ":" {
		t.Errorf("GetUnit(38, 03a) = %+v, %v; want missing with B's status", c, ok)
	}
}

func TestSpanBreakFlags(t *testing.T) {
	tests := []struct{ period, want string }{
		{"2019-2025", "series_break:region_2020,series_break:region_2024"}, // cohort from 2019
		{"2020-2026", "series_break:region_2024"},                          // starts on the 2020 map
		{"2024", ""},      // not a span: BreakFlags' business
		{"2015-2017", ""}, // no regional break after 2015 up to 2017
		{"20x9-2025", ""}, // not a span
	}
	for _, tc := range tests {
		if got := strings.Join(spanBreakFlags(Breaks(), tc.period), ","); got != tc.want {
			t.Errorf("spanBreakFlags(%q) = %q, want %q", tc.period, got, tc.want)
		}
	}
}

// TestVacanciesSparse: NAV's vacancy cube is sparse (an occupation without
// a vacancy is empty). Made-up cells: Skien 2024M03 has 3 + 2 positions
// in two occupations and an empty third; Vinje has only empty cells.
// 5 / 25000 * 1000 = 0.2 by hand; Vinje gets no value.
func TestVacanciesSparse(t *testing.T) {
	v := NewSeries("nav_stillinger", "Yrke")
	v.Set("4003", "2024M03", []string{"2223"}, Cell{Value: 3, Valid: true})
	v.Set("4003", "2024M03", []string{"7126"}, Cell{Value: 2, Valid: true})
	v.Set("4003", "2024M03", []string{"5120"}, Cell{Status: ".."})
	v.Set("4036", "2024M03", []string{"5120"}, Cell{Status: ".."})
	e := NewSeries("sysselsatte_naering", "NACE2007", "ContentsCode")
	e.Set("4003", "2024", []string{"00-99", "SysselsatteArb"}, Cell{Value: 25000, Valid: true})
	e.Set("4036", "2024", []string{"00-99", "SysselsatteArb"}, Cell{Value: 2000, Valid: true})
	in := &Inputs{Regions: []Region{{Code: "4003", Level: LevelMunicipality, Units: 1}, {Code: "4036", Level: LevelMunicipality, Units: 1}},
		Series: map[string]*Series{"nav_stillinger": v, "sysselsatte_naering": e}}
	vals, err := ledigeStillingerPer1000().Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 1 || vals[0].Region != "4003" || !vals[0].Valid || math.Abs(vals[0].Value-0.2) > 1e-12 || vals[0].Num != 5 {
		t.Errorf("ledige_stillinger_per_1000 = %+v, want one value 4003: 5/25000*1000 = 0.2", vals)
	}
}

// TestVGSFromUdir: Udir's published shares (testdata/demo/udir, 2019
// cohort: Telemark 08 all programmes 79.4, HS suppressed "*") become values
// as published; the suppressed one is missing.
func TestVGSFromUdir(t *testing.T) {
	s := NewSeries("vgs_gjennomforing", "Utdprogram")
	s.Set("08", "2019-2025", []string{"-10"}, Cell{Value: 79.4, Valid: true})
	s.Set("08", "2019-2025", []string{"HS"}, Cell{Status: "*"})
	s.SetLabel("Utdprogram", "HS", "Helse- og oppvekstfag")
	in := &Inputs{Regions: []Region{{Code: "08", Level: LevelCounty, Units: 17}}, Series: map[string]*Series{"vgs_gjennomforing": s}}
	vals, err := vgsFullfortAndel().Compute(in)
	if err != nil || len(vals) != 2 {
		t.Fatalf("Compute = %+v, %v; want 2 values", vals, err)
	}
	all, hs := vals[0], vals[1]
	if all.Category != "" || !all.Valid || all.Value != 79.4 || !math.IsNaN(all.Num) ||
		strings.Join(all.Flags, ",") != "series_break:region_2020,series_break:region_2024" {
		t.Errorf("all programmes = %+v, want 79.4 as published with the cohort's break flags", all)
	}
	if hs.Category != "HS" || hs.CategoryLabel != "Helse- og oppvekstfag" || hs.Valid || !strings.Contains(strings.Join(hs.Flags, ","), FlagMissingInput) {
		t.Errorf("HS = %+v, want missing (Udir '*')", hs)
	}
}

// TestSeriesConcurrentReads: indicators may compute concurrently, so the
// first reads (which lay the cells out) race each other; run with -race.
func TestSeriesConcurrentReads(t *testing.T) {
	s := NewSeries("x", "K")
	for i := range 100 {
		s.Set(fmt.Sprint(i), "2025", []string{"a"}, Cell{Value: float64(i), Valid: true})
	}
	var wg sync.WaitGroup
	sums := make([]float64, 4)
	for g := range sums {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				c, _ := s.Get(fmt.Sprint(i), "2025", Filter{"K": "a"})
				sums[g] += c.Value
			}
		}()
	}
	wg.Wait()
	for g, x := range sums {
		if x != 4950 { // 0 + 1 + … + 99
			t.Errorf("reader %d: sum = %g, want 4950", g, x)
		}
	}
}
