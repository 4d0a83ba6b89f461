package indicators

import (
	"math"
	"slices"
	"testing"
)

// TestUtenfor3061Andel: synthetic counts (SYNTHETIC fixture, not SSB's).
// Skien 4003 2024: NEET2 30-61 = 2400 of TOT3 30-61 = 20000 → 12 %;
// county 40 (the sum, as the build step gives it): 7000 / 56000 * 100 =
// 12.5 %; Vinje 4036 has SSB status ".." on NEET2 → missing, not 0. The
// 15-29 cells (deliberately 50 %) must not leak into the 30-61 share.
func TestUtenfor3061Andel(t *testing.T) {
	s := NewSeries("utenfor_alder", "HovArbStyrkStatus", "Alder", "ContentsCode")
	set := func(r, st, age string, x float64) {
		s.Set(r, "2024", []string{st, age, "Bosatte"}, Cell{Value: x, Valid: true})
	}
	set("4003", "NEET2", "30-61", 2400)
	set("4003", "TOT3", "30-61", 20000)
	set("40", "NEET2", "30-61", 7000)
	set("40", "TOT3", "30-61", 56000)
	s.Set("4036", "2024", []string{"NEET2", "30-61", "Bosatte"}, Cell{Status: ".."})
	set("4036", "TOT3", "30-61", 1500)
	set("4003", "NEET2", "15-29", 5000)
	set("4003", "TOT3", "15-29", 10000)
	in := &Inputs{Regions: []Region{{Code: "40", Level: LevelCounty, Units: 17}, {Code: "4003", Level: LevelMunicipality, Units: 1},
		{Code: "4036", Level: LevelMunicipality, Units: 1}}, Series: map[string]*Series{"utenfor_alder": s}}
	vals, err := utenfor3061Andel().Compute(in)
	if err != nil || len(vals) != 3 {
		t.Fatalf("Compute = %+v, %v; want 3 values", vals, err)
	}
	tests := []struct {
		region string
		valid  bool
		want   float64
	}{{"40", true, 12.5}, {"4003", true, 12}, {"4036", false, 0}}
	for i, tc := range tests {
		v := vals[i]
		if v.Region != tc.region || v.Valid != tc.valid || math.Abs(v.Value-tc.want) > 1e-9 {
			t.Errorf("unge_utenfor_30_61_andel(%s) = %v (valid %v), want %v (valid %v)", v.Region, v.Value, v.Valid, tc.want, tc.valid)
		}
		if !tc.valid && !slices.Contains(v.Flags, FlagMissingInput) {
			t.Errorf("unge_utenfor_30_61_andel(%s).Flags = %v, want %s", v.Region, v.Flags, FlagMissingInput)
		}
	}
}
