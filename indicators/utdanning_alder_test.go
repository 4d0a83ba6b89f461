package indicators

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestParseAgeGroup(t *testing.T) {
	tests := []struct {
		code   string
		lo, hi int
		ok     bool
	}{
		{"25-29", 25, 29, true},
		{"025-029", 25, 29, true}, // 07459 style
		{"60-64", 60, 64, true},
		{"25-64", 25, 64, true},
		{"25", 25, 25, true},
		{"025", 25, 25, true},
		{"67+", 67, openAge, true},
		{"090+", 90, openAge, true},
		{"999", 999, 999, true}, // a total code parses as a year far outside any range
		{"TOT", 0, 0, false},
		{"-15", 0, 0, false},
		{"25-20", 0, 0, false},
		{"+5", 0, 0, false},
		{"25--29", 0, 0, false},
		{"", 0, 0, false},
		{"2 5", 0, 0, false},
	}
	for _, tc := range tests {
		lo, hi, ok := parseAgeGroup(tc.code)
		if ok != tc.ok || (ok && (lo != tc.lo || hi != tc.hi)) {
			t.Errorf("parseAgeGroup(%q) = %d, %d, %v, want %d, %d, %v", tc.code, lo, hi, ok, tc.lo, tc.hi, tc.ok)
		}
	}
}

func FuzzParseAgeGroup(f *testing.F) {
	for _, s := range []string{"25-29", "025-029", "67+", "090+", "25", "TOT", "-", "+", "1-2-3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		lo, hi, ok := parseAgeGroup(code)
		if ok && (lo < 0 || hi < lo) {
			t.Errorf("parseAgeGroup(%q) = %d, %d, true: want 0 <= lo <= hi", code, lo, hi)
		}
	})
}

func TestAgeTiling(t *testing.T) {
	demo := []string{"16-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65-66", "67+"}
	var single []string
	for a := 0; a <= 99; a++ {
		single = append(single, fmt.Sprintf("%03d", a))
	}
	tests := []struct {
		name  string
		codes []string
		want  []string // nil: an error
		errs  []string // substrings of the error
	}{
		{"demo groups", demo, demo[2:10], nil},
		{"one group", []string{"16-24", "25-64", "65+", "TOT"}, []string{"25-64"}, nil},
		{"unordered, padded", []string{"045-064", "025-044", "999"}, []string{"025-044", "045-064"}, nil},
		{"single years 000-099", single, single[25:65], nil},
		{"07984 groups: 55-66 crosses 64", []string{"15-19", "20-24", "25-39", "40-54", "55-66", "67-74"}, nil,
			[]string{"no group covers 55-64", `"55-66"`}},
		{"gap", []string{"25-29", "35-64"}, nil, []string{"no group covers 30-34"}},
		{"overlap", []string{"25-64", "25-44", "45-64"}, nil, []string{`"25-64" overlaps "25-44"`}},
		{"nothing", []string{"TOT"}, nil, []string{"no group covers 25-64"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ageTiling(tc.codes, 25, 64)
			if tc.want != nil {
				if err != nil || !slices.Equal(got, tc.want) {
					t.Errorf("ageTiling(%v) = %v, %v, want %v", tc.codes, got, err, tc.want)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrAgeGroups) || got != nil {
				t.Fatalf("ageTiling(%v) = %v, %v, want an ErrAgeGroups error", tc.codes, got, err)
			}
			for _, s := range tc.errs {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("ageTiling(%v) error %q does not say %q", tc.codes, err, s)
				}
			}
		})
	}
}

// educationAgeSeries is a made-up utdanningsniva_alder series, 2025, both
// sexes, Alder 16-24, 25-44, 45-64, 65+ (counts by level 01, 02a, 11,
// 03a, 04a, 09a):
//
//	A 25-44: 10, 40, 5, 30, 10, 5   (100)
//	A 45-64: 30, 50, 5, 10,  4, 1   (100)
//	A 16-24 and 65+: 1000 at every level (must not be counted)
//	B: as A, but 45-64 fagskole (11) has SSB status ":"
//
// By hand, A, 25-64 (denominator 200): grunnskole 40/200 = 20 %, vgs
// 90/200 = 45 %, fagskole 10/200 = 5 %, høyere (30+10+10+4)/200 = 27 %.
// B: every share is missing (the denominator holds the ":" cell).
func educationAgeSeries(t *testing.T, ages ...string) *Series {
	t.Helper()
	s := NewSeries("utdanningsniva_alder", "Nivaa", "Kjonn", "Alder", "ContentsCode")
	byAge := map[string][]float64{
		"25-44": {10, 40, 5, 30, 10, 5},
		"45-64": {30, 50, 5, 10, 4, 1},
	}
	for _, r := range []string{"A", "B"} {
		for _, a := range ages {
			for l, lv := range []string{"01", "02a", "11", "03a", "04a", "09a"} {
				c := Cell{Value: 1000, Valid: true}
				if xs, ok := byAge[a]; ok {
					c.Value = xs[l]
				}
				if r == "B" && a == "45-64" && lv == "11" {
					c = Cell{Status: ":"}
				}
				if err := s.Set(r, "2025", []string{lv, "0", a, "Personer"}, c); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return s
}

func TestEducationShares2564(t *testing.T) {
	s := educationAgeSeries(t, "16-24", "25-44", "45-64", "65+")
	in := &Inputs{Regions: []Region{{Code: "A", Level: LevelMunicipality, Units: 1}, {Code: "B", Level: LevelMunicipality, Units: 1}},
		Series: map[string]*Series{"utdanningsniva_alder": s}}
	tests := []struct {
		ind       *Indicator
		want, num float64
	}{
		{utdanningGrunnskoleAndel2564(), 20, 40},
		{utdanningVGSAndel2564(), 45, 90},
		{utdanningFagskoleAndel2564(), 5, 10},
		{utdanningHoyereAndel2564(), 27, 54},
	}
	for _, tc := range tests {
		t.Run(tc.ind.ID, func(t *testing.T) {
			if _, err := NewCatalog(tc.ind); err != nil {
				t.Fatalf("NewCatalog = %v", err)
			}
			if got := tc.ind.MissingInputs(func(d string) bool { return d == "utdanningsniva" }); !slices.Equal(got, []string{"utdanningsniva_alder"}) {
				t.Errorf("MissingInputs(only utdanningsniva) = %v, want [utdanningsniva_alder]", got)
			}
			vals, err := tc.ind.Compute(in)
			if err != nil || len(vals) != 2 {
				t.Fatalf("Compute = %+v, %v; want 2 values", vals, err)
			}
			a, b := vals[0], vals[1]
			if a.Region != "A" || !a.Valid || !near(a.Value, tc.want, 1e-12) || a.Num != tc.num || a.Den != 200 {
				t.Errorf("A = %v (%v/%v, valid %v), want %v (%v/200)", a.Value, a.Num, a.Den, a.Valid, tc.want, tc.num)
			}
			if b.Region != "B" || b.Valid || !slices.Contains(b.Flags, FlagMissingInput) || !math.IsNaN(b.Den) {
				t.Errorf("B = %+v, want missing (45-64 fagskole has status \":\") with a null denominator", b)
			}
		})
	}
}

// TestEducationShares2564Tiling: a dataset whose age groups cannot make up
// 25-64 (07984-like groups, 55-66 crossing 64) computes nothing and says
// which dataset and codes; so does one with overlapping groups.
func TestEducationShares2564Tiling(t *testing.T) {
	for _, tc := range []struct {
		name string
		ages []string
		want []string
	}{
		{"60-66", []string{"25-44", "45-59", "60-66"}, []string{`"60-66"`, "60-64"}},
		{"overlap", []string{"25-44", "45-64", "25-64"}, []string{`"25-64" overlaps`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := educationAgeSeries(t, tc.ages...)
			in := &Inputs{Regions: []Region{{Code: "A", Level: LevelMunicipality, Units: 1}}, Series: map[string]*Series{"utdanningsniva_alder": s}}
			vals, err := utdanningHoyereAndel2564().Compute(in)
			if err == nil || !errors.Is(err, ErrAgeGroups) || vals != nil {
				t.Fatalf("Compute = %v, %v; want no values and an ErrAgeGroups error", vals, err)
			}
			for _, w := range append([]string{"utdanning_hoyere_andel_25_64", "utdanningsniva_alder"}, tc.want...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %s", err, w)
				}
			}
		})
	}
	// Without the dataset: no values, no error (the build skips the
	// indicator on its missing input).
	if vals, err := utdanningHoyereAndel2564().Compute(&Inputs{}); vals != nil || err != nil {
		t.Errorf("Compute(no dataset) = %v, %v; want nothing", vals, err)
	}
}
