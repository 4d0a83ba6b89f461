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

// TestVGSFullfortProgramType: SYNTHETIC counts for one cohort "2018-2024".
// Telemark 40, studieforberedende (01): 1a 800, 2a 70, 4b 10 completed,
// 3a 20, 4a 40, 5a 60 not → (800+70+10) / 1000 * 100 = 88 %; yrkesfag
// (02): 500+170+30 = 700 of 1000 (3a 60, 4a 70, 5a 170) → 70 %. The
// nation has 5a ":" for yrkesfag → that share is missing (a status is
// never 0), while its studieforberedende share is 9000/10000 = 90 %. The
// all-programmes cells (00, deliberately 50 %) must not leak in.
func TestVGSFullfortProgramType(t *testing.T) {
	s := NewSeries(programTypeDataset, "FullforingVGO", "UtdProgram", "Kjonn", "ContentsCode")
	const p = "2018-2024"
	set := func(r, prog string, counts [6]float64) {
		for i, code := range []string{"1a", "2a", "4b", "3a", "4a", "5a"} {
			s.Set(r, p, []string{code, prog, "0", "Personer"}, Cell{Value: counts[i], Valid: true})
		}
	}
	set("40", "01", [6]float64{800, 70, 10, 20, 40, 60})
	set("40", "02", [6]float64{500, 170, 30, 60, 70, 170})
	set("40", "00", [6]float64{1, 0, 0, 1, 0, 0})
	set("0", "01", [6]float64{8000, 900, 100, 200, 300, 500})
	set("0", "02", [6]float64{5000, 1500, 300, 600, 700, 1900})
	s.Set("0", p, []string{"5a", "02", "0", "Personer"}, Cell{Status: ":"})
	in := &Inputs{Regions: []Region{{Code: "0", Level: LevelNation, Units: 357}, {Code: "40", Level: LevelCounty, Units: 17}},
		Series: map[string]*Series{programTypeDataset: s}}
	tests := []struct {
		ind    *Indicator
		region string
		valid  bool
		want   float64
	}{
		{vgsFullfortStudieforberedende(), "0", true, 90},
		{vgsFullfortStudieforberedende(), "40", true, 88},
		{vgsFullfortYrkesfag(), "0", false, 0},
		{vgsFullfortYrkesfag(), "40", true, 70},
	}
	for _, tc := range tests {
		vals, err := tc.ind.Compute(in)
		if err != nil {
			t.Fatalf("%s: Compute = %v", tc.ind.ID, err)
		}
		i := slices.IndexFunc(vals, func(v Value) bool { return v.Region == tc.region && v.Period == p })
		if i < 0 {
			t.Errorf("%s(%s, %s): no value", tc.ind.ID, tc.region, p)
			continue
		}
		v := vals[i]
		if v.Valid != tc.valid || math.Abs(v.Value-tc.want) > 1e-9 {
			t.Errorf("%s(%s, %s) = %v (valid %v), want %v (valid %v)", tc.ind.ID, tc.region, p, v.Value, v.Valid, tc.want, tc.valid)
		}
		if !tc.valid && !slices.Contains(v.Flags, FlagMissingInput) {
			t.Errorf("%s(%s).Flags = %v, want %s", tc.ind.ID, tc.region, v.Flags, FlagMissingInput)
		}
	}
}

// TestWelfareAndAdultLearningShares: SYNTHETIC counts, one year/period per
// indicator, computed by hand:
//   - ufore_andel, 2024: Skien 4003 4285 recipients of 36994 aged 18-66 →
//     4285/36994*100 = 11.5829594...; county 40 (the sum) 14233/115485*100
//     = 12.3245443...; Vinje 4036 recipients ":" → missing.
//   - vedvarende_lavinntekt_andel, 2022-2024: Skien 1000 persons of a
//     derived denominator 12500 → 8 %; county 40 3000/40000 → 7.5 %. The
//     0-17 cells (deliberately 50 %) must not leak into all ages (999A).
//   - evu_deltakelse_andel, 2024: Skien 2631 of 30356 →
//     8.6671498...; Vinje 4036 has no population cell at all → missing.
func TestWelfareAndAdultLearningShares(t *testing.T) {
	ufore := NewSeries("ufore", "Alder", "ContentsCode")
	set2 := func(s *Series, r, p, age, cc string, x float64) {
		s.Set(r, p, []string{age, cc}, Cell{Value: x, Valid: true})
	}
	set2(ufore, "4003", "2024", "18-66", "UforeMottakere", 4285)
	set2(ufore, "4003", "2024", "18-66", "Befolkning", 36994)
	set2(ufore, "40", "2024", "18-66", "UforeMottakere", 14233)
	set2(ufore, "40", "2024", "18-66", "Befolkning", 115485)
	ufore.Set("4036", "2024", []string{"18-66", "UforeMottakere"}, Cell{Status: ":"})
	set2(ufore, "4036", "2024", "18-66", "Befolkning", 2400)

	low := NewSeries("vedvarende_lavinntekt", "Alder", "ContentsCode")
	set2(low, "4003", "2022-2024", "999A", "VedvarendeLav", 1000)
	set2(low, "4003", "2022-2024", "999A", "VedvarendeLav_nevner", 12500)
	set2(low, "4003", "2022-2024", "00-17", "VedvarendeLav", 500)
	set2(low, "4003", "2022-2024", "00-17", "VedvarendeLav_nevner", 1000)
	set2(low, "40", "2022-2024", "999A", "VedvarendeLav", 3000)
	set2(low, "40", "2022-2024", "999A", "VedvarendeLav_nevner", 40000)

	evu := NewSeries("evu_deltakelse", "Alder", "ContentsCode")
	set2(evu, "4003", "2024", "25-64", "IUtdanning", 2631)
	set2(evu, "4003", "2024", "25-64", "Befolkning", 30356)
	set2(evu, "4036", "2024", "25-64", "IUtdanning", 150)

	in := &Inputs{Regions: []Region{{Code: "40", Level: LevelCounty, Units: 17}, {Code: "4003", Level: LevelMunicipality, Units: 1},
		{Code: "4036", Level: LevelMunicipality, Units: 1}},
		Series: map[string]*Series{"ufore": ufore, "vedvarende_lavinntekt": low, "evu_deltakelse": evu}}
	tests := []struct {
		ind            *Indicator
		region, period string
		valid          bool
		want           float64
	}{
		{uforeAndel(), "4003", "2024", true, 4285.0 / 36994 * 100},
		{uforeAndel(), "40", "2024", true, 14233.0 / 115485 * 100},
		{uforeAndel(), "4036", "2024", false, 0},
		{vedvarendeLavinntektAndel(), "4003", "2022-2024", true, 8},
		{vedvarendeLavinntektAndel(), "40", "2022-2024", true, 7.5},
		{evuDeltakelseAndel(), "4003", "2024", true, 2631.0 / 30356 * 100},
		{evuDeltakelseAndel(), "4036", "2024", false, 0},
	}
	for _, tc := range tests {
		vals, err := tc.ind.Compute(in)
		if err != nil {
			t.Fatalf("%s: Compute = %v", tc.ind.ID, err)
		}
		i := slices.IndexFunc(vals, func(v Value) bool { return v.Region == tc.region && v.Period == tc.period })
		if i < 0 {
			t.Errorf("%s(%s, %s): no value", tc.ind.ID, tc.region, tc.period)
			continue
		}
		v := vals[i]
		if v.Valid != tc.valid || math.Abs(v.Value-tc.want) > 1e-9 {
			t.Errorf("%s(%s, %s) = %v (valid %v), want %v (valid %v)", tc.ind.ID, tc.region, tc.period, v.Value, v.Valid, tc.want, tc.valid)
		}
		if !tc.valid && !slices.Contains(v.Flags, FlagMissingInput) {
			t.Errorf("%s(%s).Flags = %v, want %s", tc.ind.ID, tc.region, v.Flags, FlagMissingInput)
		}
	}
}
