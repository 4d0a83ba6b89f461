package indicators

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// applicantSeries builds a made-up udir_vgo_soker series: one row of
// Utdprogram cells per region (period 2025); a value < 0 stores Udir's
// suppression "*" (missing), and a code absent from a row has no cell.
func applicantSeries(t *testing.T, rows map[string]map[string]float64) *Series {
	t.Helper()
	s := NewSeries(applicantDataset, "Utdprogram")
	for r, cells := range rows {
		for code, x := range cells {
			c := Cell{Value: x, Valid: true}
			if x < 0 {
				c = Cell{Status: "*"}
			}
			if err := s.Set(r, "2025", []string{code}, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s
}

func applicantInputs(s *Series, codes ...string) *Inputs {
	in := &Inputs{Series: map[string]*Series{applicantDataset: s}}
	for _, c := range codes {
		lvl := LevelCounty
		if c == "0" {
			lvl = LevelNation
		}
		in.Regions = append(in.Regions, Region{Code: c, Level: lvl, Units: 1})
	}
	return in
}

// TestVGSForsteonskeYF: a series with a "YF" column uses it, not the sum of
// the programme columns (deliberately inconsistent here: BA 999 alone is
// more than YF). Made-up counts, Telemark 40: YF 540 of -10 1200 → 540 /
// 1200 * 100 = 45 by hand.
func TestVGSForsteonskeYF(t *testing.T) {
	s := applicantSeries(t, map[string]map[string]float64{
		"40": {"YF": 540, "-10": 1200, "BA": 999, "EL": 1, "ST": 600},
	})
	vals, err := vgsForsteonskeAndel().Compute(applicantInputs(s, "40"))
	if err != nil || len(vals) != 1 {
		t.Fatalf("Compute = %+v, %v; want 1 value", vals, err)
	}
	if v := vals[0]; !v.Valid || math.Abs(v.Value-45) > 1e-9 || v.Num != 540 || v.Den != 1200 {
		t.Errorf("vgs_forsteonske_andel(40) = %v (num %v, den %v, valid %v), want 45 (540/1200)", v.Value, v.Num, v.Den, v.Valid)
	}
}

// TestVGSForsteonskeSum: without "YF" the numerator is the sum of the
// vocational columns present; study-preparation columns (ST, ID, MK) count
// in -10 only. Made-up counts, by hand:
//
//	0  (LK06-style HS, TP): BA 100 + EL 200 + HS 300 + TP 250 + RM 50 + NA 60
//	   + SR 70 + IM 80 + HDP 20 + FBIE 70 = 1200; -10 = 1200 + ST 700 + ID 60
//	   + MK 40 = 2000 → 1200 / 2000 * 100 = 60
//	40 (LK06-style): 10 + 20 + 30 + 25 + 5 + 6 + 7 + 8 + 2 + 7 = 120;
//	   -10 = 120 + ST 90 + ID 10 + MK 30 = 250 → 120 / 250 * 100 = 48
//	50: HDP is "*" → the numerator is missing, not 10 + ... without HDP
//	46: no FBIE cell → the numerator is missing ("..")
//
// A second series with the LK20 codes HO and TIF instead of HS and TP
// (Telemark's counts under the new names) gives the same 48.
func TestVGSForsteonskeSum(t *testing.T) {
	row := func(scale float64, hdp, fbie float64, lk20 bool) map[string]float64 {
		ho, tif := "HS", "TP"
		if lk20 {
			ho, tif = "HO", "TIF"
		}
		m := map[string]float64{"BA": 10 * scale, "EL": 20 * scale, ho: 30 * scale, tif: 25 * scale, "RM": 5 * scale,
			"NA": 6 * scale, "SR": 7 * scale, "IM": 8 * scale, "HDP": hdp, "FBIE": fbie}
		return m
	}
	nation := row(10, 20, 70, false)
	nation["ST"], nation["ID"], nation["MK"], nation["-10"] = 700, 60, 40, 2000
	telemark := row(1, 2, 7, false)
	telemark["ST"], telemark["ID"], telemark["MK"], telemark["-10"] = 90, 10, 30, 250
	trondelag := row(3, -1, 21, false) // HDP "*"
	trondelag["ST"], trondelag["-10"] = 300, 700
	vestland := row(4, 8, 0, false)
	delete(vestland, "FBIE")
	vestland["ST"], vestland["-10"] = 500, 1000
	s := applicantSeries(t, map[string]map[string]float64{"0": nation, "40": telemark, "50": trondelag, "46": vestland})

	vals, err := vgsForsteonskeAndel().Compute(applicantInputs(s, "0", "40", "46", "50"))
	if err != nil || len(vals) != 4 {
		t.Fatalf("Compute = %+v, %v; want 4 values", vals, err)
	}
	tests := []struct {
		region   string
		valid    bool
		want     float64
		num, den float64
	}{{"0", true, 60, 1200, 2000}, {"40", true, 48, 120, 250}, {"46", false, 0, math.NaN(), 1000}, {"50", false, 0, math.NaN(), 700}}
	for i, tc := range tests {
		t.Run(tc.region, func(t *testing.T) {
			v := vals[i]
			if v.Region != tc.region || v.Valid != tc.valid || math.Abs(v.Value-tc.want) > 1e-9 {
				t.Errorf("vgs_forsteonske_andel(%s) = %v (valid %v), want %v (valid %v)", v.Region, v.Value, v.Valid, tc.want, tc.valid)
			}
			if !(v.Num == tc.num || math.IsNaN(v.Num) && math.IsNaN(tc.num)) || v.Den != tc.den {
				t.Errorf("vgs_forsteonske_andel(%s): num %v, den %v; want %v, %v", v.Region, v.Num, v.Den, tc.num, tc.den)
			}
			if !tc.valid && !strings.Contains(strings.Join(v.Flags, ","), FlagMissingInput) {
				t.Errorf("vgs_forsteonske_andel(%s).Flags = %v, want missing_input", v.Region, v.Flags)
			}
		})
	}
	// The sum itself: Udir's "*" on a term is the sum's status, and an
	// absent term makes it "..", never a partial sum.
	num := "BA+EL+FBIE+HDP+IM+NA+RM+SR+HS+TP" // vocationalProgrammes order, as Compute builds it
	if got, err := vocationalNumerator(s); err != nil || got != num {
		t.Errorf("vocationalNumerator = %q, %v; want %q", got, err, num)
	}
	if c, ok := s.Get("50", "2025", Filter{"Utdprogram": num}); !ok || c.Valid || c.Status != "*" || c.Value != 0 {
		t.Errorf("Get(50, %s) = %+v, %v; want present, missing with status *", num, c, ok)
	}
	if c, ok := s.Get("46", "2025", Filter{"Utdprogram": num}); !ok || c.Valid || c.Status != ".." {
		t.Errorf("Get(46, %s) = %+v, %v; want present, missing with status ..", num, c, ok)
	}

	lk20 := row(1, 2, 7, true)
	lk20["ST"], lk20["ID"], lk20["MK"], lk20["-10"] = 90, 10, 30, 250
	s20 := applicantSeries(t, map[string]map[string]float64{"40": lk20})
	vals, err = vgsForsteonskeAndel().Compute(applicantInputs(s20, "40"))
	if err != nil || len(vals) != 1 || !vals[0].Valid || math.Abs(vals[0].Value-48) > 1e-9 || vals[0].Num != 120 {
		t.Errorf("vgs_forsteonske_andel(40, LK20 codes) = %+v, %v; want 48 (120/250)", vals, err)
	}
}

// TestVGSForsteonskeUnsuitable: one programme under both its LK20 and its
// LK06-style code (HO and HS, TIF and TP) would be counted twice, and a
// series with no vocational code at all has no numerator: both are errors
// wrapping ErrUnsuitable that name the codes, and nothing is computed.
func TestVGSForsteonskeUnsuitable(t *testing.T) {
	tests := []struct {
		name  string
		codes []string
		want  []string // in the error text
	}{
		{"HO and HS", []string{"-10", "BA", "HO", "HS", "ST"}, []string{`"HO"`, `"HS"`}},
		{"TIF and TP", []string{"-10", "EL", "TIF", "TP"}, []string{`"TIF"`, `"TP"`}},
		{"no vocational code", []string{"-10", "ST", "ID"}, []string{`"-10"`, `"ST"`, `"ID"`, "YF"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cells := map[string]float64{}
			for _, c := range tc.codes {
				cells[c] = 10
			}
			s := applicantSeries(t, map[string]map[string]float64{"40": cells})
			vals, err := vgsForsteonskeAndel().Compute(applicantInputs(s, "40"))
			if !errors.Is(err, ErrUnsuitable) || vals != nil {
				t.Fatalf("Compute = %+v, %v; want no values and an error wrapping ErrUnsuitable", vals, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %s", err, w)
				}
			}
		})
	}
}

// TestVGSForsteonskeLK06: a round coded with the LK06 programmes (BA, DH,
// EL, HS, NA, RM, SS, TP vocational; ST, ID, MK study-preparation) counts
// SS and DH as vocational. Made-up counts, by hand: 100 + 40 + 120 + 300 +
// 50 + 60 + 180 + 150 = 1000 vocational; -10 = 1000 + 900 + 60 + 40 = 2000
// → 1000 / 2000 * 100 = 50 (without SS and DH it would be 780 / 2000 = 39).
func TestVGSForsteonskeLK06(t *testing.T) {
	s := applicantSeries(t, map[string]map[string]float64{
		"40": {"-10": 2000, "BA": 100, "DH": 40, "EL": 120, "HS": 300, "NA": 50, "RM": 60, "SS": 180, "TP": 150,
			"ST": 900, "ID": 60, "MK": 40},
	})
	vals, err := vgsForsteonskeAndel().Compute(applicantInputs(s, "40"))
	if err != nil || len(vals) != 1 {
		t.Fatalf("Compute = %+v, %v; want 1 value", vals, err)
	}
	if v := vals[0]; !v.Valid || math.Abs(v.Value-50) > 1e-9 || v.Num != 1000 {
		t.Errorf("vgs_forsteonske_andel(40) = %v (num %v, valid %v), want 50 (1000/2000)", v.Value, v.Num, v.Valid)
	}
}

// TestProgrammeCodesAndTotals: Udir's LK06-style codes HS and TP name the
// LK20 programmes HO and TIF (DOMAIN.md §6); other codes are themselves.
// The totals of the breakdowns are SN2007 00-99, Udir -10 and the survey's
// _T; a programme or an industry group is not a total.
func TestProgrammeCodesAndTotals(t *testing.T) {
	for code, want := range map[string]string{"HS": "HO", "TP": "TIF", "HO": "HO", "SS": "SS", "ST": "ST"} {
		if got := LK20Programme(code); got != want {
			t.Errorf("LK20Programme(%q) = %q, want %q", code, got, want)
		}
	}
	for code, want := range map[string]bool{"00-99": true, "-10": true, "_T": true, "41-43": false, "HS": false, "": false} {
		if got := IsTotalCategory(code); got != want {
			t.Errorf("IsTotalCategory(%q) = %v, want %v", code, got, want)
		}
	}
}
