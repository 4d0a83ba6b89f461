package indicators

import (
	"math"
	"slices"
	"testing"
)

// TestErstatningsbehov10aar: made-up 07984 counts (dataset
// sysselsatte_alder_naering), 2024, by age group 15-19, 20-24, 25-39,
// 40-54, 55-66, 67-74:
//
//	4003 41-43:  10, 30, 200, 180, 120, 15 → count 120+15 = 135 (15-74: 555)
//	4003 86-88:  55-66 has SSB status ":" → missing
//	4036 41-43:   0,  1,   3,   2,   2,  0 → 15-74: 8 < 10 → suppressed
//	4036 86-88:   0,  1,   3,   2,   3,  1 → 15-74: exactly 10 → count 3+1 = 4
//	4010 41-43:  15-19 has status ".." (only in the 15-74 total) → missing:
//	             the disclosure rule cannot be checked
//	40   41-43: 100,300,2000,1800,1200,150 → count 1350
//
// 4021 has no cells: no value. The share erstatning_55pluss_andel on the
// same series must have the count as its numerator wherever it is valid,
// and be suppressed or missing exactly where the count is.
func TestErstatningsbehov10aar(t *testing.T) {
	s := NewSeries("sysselsatte_alder_naering", "NACE2007", "Alder", "ContentsCode")
	ages := []string{"15-19", "20-24", "25-39", "40-54", "55-66", "67-74"}
	set := func(r, nace string, xs ...float64) {
		for i, x := range xs {
			c := Cell{Value: x, Valid: true}
			if x < 0 { // -1: SSB ":", -2: SSB ".."
				c = Cell{Status: map[float64]string{-1: ":", -2: ".."}[x]}
			}
			if err := s.Set(r, "2024", []string{nace, ages[i], "Sysselsatte"}, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	set("4003", "41-43", 10, 30, 200, 180, 120, 15)
	set("4003", "86-88", 5, 20, 300, 300, -1, 10)
	set("4036", "41-43", 0, 1, 3, 2, 2, 0)
	set("4036", "86-88", 0, 1, 3, 2, 3, 1)
	set("4010", "41-43", -2, 4, 30, 30, 20, 2)
	set("4010", "86-88", 1, 2, 3, 4, 5, 6)
	set("40", "41-43", 100, 300, 2000, 1800, 1200, 150)
	set("40", "86-88", 50, 200, 3000, 3000, 2000, 100)
	s.SetLabel("NACE2007", "41-43", "Bygge- og anleggsvirksomhet")
	in := &Inputs{Regions: []Region{{Code: "40", Level: LevelCounty, Units: 17}, {Code: "4003", Level: LevelMunicipality, Units: 1},
		{Code: "4010", Level: LevelMunicipality, Units: 1}, {Code: "4021", Level: LevelMunicipality, Units: 1},
		{Code: "4036", Level: LevelMunicipality, Units: 1}},
		Series: map[string]*Series{"sysselsatte_alder_naering": s}}
	ind := erstatningsbehov10aar()
	if _, err := NewCatalog(ind); err != nil {
		t.Fatalf("NewCatalog(erstatningsbehov_10aar) = %v", err)
	}
	if ind.Scale != 0 || ind.Unit != "personer" || len(ind.Comparators) != 0 || ind.Direction != Neutral || ind.Basis != Register {
		t.Errorf("declared scale %v, unit %q, comparators %v, direction %s, basis %s; want a count: 0, personer, none, neutral, register",
			ind.Scale, ind.Unit, ind.Comparators, ind.Direction, ind.Basis)
	}
	vals, err := ind.Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ region, nace string }
	got := map[key]Value{}
	for _, v := range vals {
		got[key{v.Region, v.Category}] = v
	}
	if len(vals) != 8 {
		t.Errorf("Compute gave %d values, want 8 (4 regions × 2 industries; 4021 has no cells)", len(vals))
	}
	tests := []struct {
		region, nace string
		valid        bool
		want         float64
		flag         string
	}{
		{"40", "41-43", true, 1350, ""},
		{"4003", "41-43", true, 135, ""},
		{"4003", "86-88", false, 0, FlagMissingInput},
		{"4036", "41-43", false, 0, FlagSuppressed},
		{"4036", "86-88", true, 4, ""},
		{"4010", "41-43", false, 0, FlagMissingInput},
		{"4010", "86-88", true, 11, ""}, // 5 + 6; 15-74: 21
	}
	for _, tc := range tests {
		t.Run(tc.region+"/"+tc.nace, func(t *testing.T) {
			v, ok := got[key{tc.region, tc.nace}]
			if !ok {
				t.Fatalf("no value")
			}
			if v.Valid != tc.valid || v.Value != tc.want || (tc.flag != "" && !slices.Contains(v.Flags, tc.flag)) || (tc.flag == "" && len(v.Flags) > 0) {
				t.Errorf("erstatningsbehov_10aar(%s, %s) = %v valid %v flags %v, want %v valid %v flag %q",
					tc.region, tc.nace, v.Value, v.Valid, v.Flags, tc.want, tc.valid, tc.flag)
			}
			if !math.IsNaN(v.Num) || !math.IsNaN(v.Den) || !math.IsNaN(v.CILow) {
				t.Errorf("num, den, ci_low = %v, %v, %v; want NaN (a register count)", v.Num, v.Den, v.CILow)
			}
		})
	}
	if v := got[key{"4003", "41-43"}]; v.CategoryLabel != "Bygge- og anleggsvirksomhet" {
		t.Errorf("category label = %q, want the series' label", v.CategoryLabel)
	}
	// The count is the share's numerator, cell by cell.
	shares, err := erstatning55plussAndel().Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(shares) != len(vals) {
		t.Fatalf("share has %d values, count %d", len(shares), len(vals))
	}
	for _, sh := range shares {
		v := got[key{sh.Region, sh.Category}]
		if v.Valid != sh.Valid || (v.Valid && v.Value != sh.Num) ||
			slices.Contains(v.Flags, FlagSuppressed) != slices.Contains(sh.Flags, FlagSuppressed) {
			t.Errorf("%s %s: count %v (valid %v, flags %v), share numerator %v (valid %v, flags %v); want the same cell",
				sh.Region, sh.Category, v.Value, v.Valid, v.Flags, sh.Num, sh.Valid, sh.Flags)
		}
	}
	// Hand check of one share: 135 / 555 * 100.
	for _, sh := range shares {
		if sh.Region == "4003" && sh.Category == "41-43" && !near(sh.Value, 135.0/555*100, 1e-12) {
			t.Errorf("erstatning_55pluss_andel(4003, 41-43) = %v, want 135/555*100 = 24.32", sh.Value)
		}
	}
}
