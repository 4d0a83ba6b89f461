package indicators

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestLocationQuotient(t *testing.T) {
	tests := []struct {
		name           string
		eri, er, Ei, E float64
		want           float64
	}{
		// Hand calculation: (30/100) / (200/2000) = 0.3 / 0.1 = 3.
		{"against nation", 30, 100, 200, 2000, 3},
		// Rest of country: (30/100) / ((200-30)/(2000-100)) = 0.3*1900/170 = 570/170.
		{"against rest", 30, 100, 170, 1900, 570.0 / 170},
		// Same share as the reference: 1.
		{"equal", 10, 100, 100, 1000, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LocationQuotient(tc.eri, tc.er, tc.Ei, tc.E)
			if err != nil || !near(got, tc.want, 1e-12) {
				t.Errorf("LocationQuotient(%g, %g, %g, %g) = %g, %v, want %g", tc.eri, tc.er, tc.Ei, tc.E, got, err, tc.want)
			}
		})
	}
	for _, bad := range [][4]float64{{1, 0, 1, 1}, {1, 1, 0, 1}, {-1, 1, 1, 1}, {math.NaN(), 1, 1, 1}} {
		if _, err := LocationQuotient(bad[0], bad[1], bad[2], bad[3]); err == nil {
			t.Errorf("LocationQuotient(%v) = nil error, want an error", bad)
		}
	}
}

func TestHerfindahlKrugman(t *testing.T) {
	// Hand calculation: shares 0.5, 0.3, 0.2 → 0.25 + 0.09 + 0.04 = 0.38.
	if got, err := Herfindahl([]float64{50, 30, 20}); err != nil || !near(got, 0.38, 1e-12) {
		t.Errorf("Herfindahl([50 30 20]) = %g, %v, want 0.38", got, err)
	}
	// Even over 4: 4 * (1/4)^2 = 0.25.
	if got, err := Herfindahl([]float64{7, 7, 7, 7}); err != nil || !near(got, 0.25, 1e-12) {
		t.Errorf("Herfindahl(even) = %g, %v, want 0.25", got, err)
	}
	// Hand calculation: s = 0.5, 0.3, 0.2; r = 0.25, 0.25, 0.5 →
	// 0.25 + 0.05 + 0.3 = 0.6.
	if got, err := Krugman([]float64{50, 30, 20}, []float64{100, 100, 200}); err != nil || !near(got, 0.6, 1e-12) {
		t.Errorf("Krugman = %g, %v, want 0.6", got, err)
	}
	// Disjoint structures: 2.
	if got, err := Krugman([]float64{1, 0}, []float64{0, 1}); err != nil || !near(got, 2, 1e-12) {
		t.Errorf("Krugman(disjoint) = %g, %v, want 2", got, err)
	}
	for name, f := range map[string]func() error{
		"herfindahl empty": func() error { _, err := Herfindahl(nil); return err },
		"herfindahl zero":  func() error { _, err := Herfindahl([]float64{0, 0}); return err },
		"herfindahl neg":   func() error { _, err := Herfindahl([]float64{3, -1}); return err },
		"krugman lengths":  func() error { _, err := Krugman([]float64{1}, []float64{1, 2}); return err },
		"ratio zero den":   func() error { _, err := Ratio([]float64{1}, []float64{0}, 100); return err },
		"ratio lengths":    func() error { _, err := Ratio([]float64{1}, nil, 100); return err },
	} {
		t.Run(name, func(t *testing.T) {
			if f() == nil {
				t.Errorf("%s: nil error, want an error", name)
			}
		})
	}
}

func TestRatioIsNotAnAverage(t *testing.T) {
	// Two units, 1/2 (50 %) and 90/100 (90 %): the average of the rates
	// would be 70 %; the ratio of sums is 91/102*100 = 89.2 %.
	got, err := Ratio([]float64{1, 90}, []float64{2, 100}, 100)
	if want := 91.0 / 102 * 100; err != nil || !near(got, want, 1e-12) {
		t.Errorf("Ratio = %g, %v, want %g", got, err, want)
	}
}

func TestGap(t *testing.T) {
	tests := []struct {
		v, c, abs, idx float64
		ok             bool
	}{
		// Telemark 2025 (31.04) against Norway 2017 (33.4, DOMAIN §7), for
		// the arithmetic only: -2.36 points, 31.04/33.4*100 = 92.934...
		{31.04, 33.4, 31.04 - 33.4, 31.04 / 33.4 * 100, true},
		{5, 0, 5, math.NaN(), true},
		{math.NaN(), 1, math.NaN(), math.NaN(), false},
	}
	for _, tc := range tests {
		abs, idx, ok := Gap(tc.v, tc.c)
		if ok != tc.ok || (ok && !near(abs, tc.abs, 1e-12)) || (math.IsNaN(tc.idx) != math.IsNaN(idx)) || (!math.IsNaN(idx) && !near(idx, tc.idx, 1e-9)) {
			t.Errorf("Gap(%g, %g) = %g, %g, %v, want %g, %g, %v", tc.v, tc.c, abs, idx, ok, tc.abs, tc.idx, tc.ok)
		}
	}
}

func TestDiffIntervalAndSignificance(t *testing.T) {
	tests := []struct {
		name                 string
		a, al, ah, b, bl, bh float64
		low, high            float64
		sig                  bool
	}{
		// d = 5, half = sqrt(2^2 + 1^2) = sqrt(5).
		{"significant", 10, 8, 12, 5, 4, 6, 5 - math.Sqrt(5), 5 + math.Sqrt(5), true},
		// d = 2, half = sqrt(4^2 + 3^2) = 5: [-3, 7] holds zero.
		{"not significant", 10, 6, 14, 8, 5, 11, -3, 7, false},
		// register comparator (zero width): d = -4, half = 1.
		{"register comparator", 6, 5, 7, 10, 10, 10, -5, -3, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi, err := DiffInterval(tc.a, tc.al, tc.ah, tc.b, tc.bl, tc.bh)
			if err != nil || !near(lo, tc.low, 1e-12) || !near(hi, tc.high, 1e-12) || Significant(lo, hi) != tc.sig {
				t.Errorf("DiffInterval = [%g, %g], %v, significant %v; want [%g, %g], %v", lo, hi, err, Significant(lo, hi), tc.low, tc.high, tc.sig)
			}
		})
	}
	if _, _, err := DiffInterval(10, 11, 12, 0, 0, 0); err == nil {
		t.Error("DiffInterval with an estimate outside its interval: nil error, want an error")
	}
}

func TestProportionInterval(t *testing.T) {
	// Wilson score interval for 50 of 100 at 95 %: [0.4038, 0.5962]
	// (textbook value, e.g. Newcombe 1998 method 3; hand check: z = 1.95996,
	// half = z/(1+z²/n) * sqrt(0.0025 + z²/40000) = 0.096168).
	lo, hi, err := ProportionInterval(0.5, 100, 0.95)
	if err != nil || !near(lo, 0.40383, 5e-5) || !near(hi, 0.59617, 5e-5) {
		t.Errorf("ProportionInterval(0.5, 100, 0.95) = [%g, %g], %v, want [0.40383, 0.59617]", lo, hi, err)
	}
	for _, bad := range [][3]float64{{1.5, 10, .95}, {.5, 0, .95}, {.5, 10, 1}} {
		if _, _, err := ProportionInterval(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("ProportionInterval(%v) = nil error, want an error", bad)
		}
	}
}

func TestBreakFlags(t *testing.T) {
	bs := Breaks()
	tests := []struct {
		period   string
		datasets []string
		want     string
	}{
		{"2020", []string{"utdanningsniva"}, "series_break:region_2020"},
		{"2021", []string{"sysselsatte_naering"}, "series_break:statistikkloven_2021"},
		{"2021", []string{"utdanningsniva"}, ""},
		{"2024M03", []string{"arbeidsledige"}, "series_break:region_2024"},
		{"2017", []string{"ledige_stillinger"}, "series_break:nav_stillinger_2017"},
	}
	for _, tc := range tests {
		got := BreakFlags(bs, tc.period, tc.datasets)
		s := ""
		if len(got) > 0 {
			s = got[0]
		}
		if s != tc.want || len(got) > 1 {
			t.Errorf("BreakFlags(%s, %v) = %v, want %q", tc.period, tc.datasets, got, tc.want)
		}
	}
	ids := map[string]bool{}
	for _, b := range bs {
		ids[b.ID] = true
	}
	for _, id := range []string{"styrk08_2012", "nav_stillinger_2017", "aku_2021", "statistikkloven_2021", "region_2018", "region_2020", "region_2024"} {
		if !ids[id] {
			t.Errorf("Breaks() lacks %s", id)
		}
	}
}

// TestBreakScope: the registry's regional scope and the first period of a
// series (hand-made cases from the 2024 county split).
func TestBreakScope(t *testing.T) {
	var b Break
	for _, x := range Breaks() {
		if x.ID == "region_2024" {
			b = x
		}
	}
	touch := []struct {
		code, county string
		members      []string
		want         bool
	}{
		{"40", "", nil, true},      // Telemark, split from Vestfold og Telemark
		{"4003", "40", nil, true},  // Skien, in Telemark
		{"50", "", nil, false},     // Trøndelag kept its territory
		{"5007", "50", nil, false}, // Namsos
		{"namdal", "50", []string{"5007", "5020"}, false},
		{"grenland", "40", []string{"4001", "4003"}, true},
		{"1508", "15", nil, true}, // Ålesund, split from Haram
		{"15", "", nil, false},    // Møre og Romsdal as a whole did not change
		{"0", "", nil, false},     // the nation
	}
	for _, tc := range touch {
		if got := b.Touches(tc.code, tc.county, tc.members); got != tc.want {
			t.Errorf("region_2024.Touches(%s, %s, %v) = %v, want %v", tc.code, tc.county, tc.members, got, tc.want)
		}
	}
	first := []struct {
		periods []string
		want    string
		ok      bool
	}{
		{[]string{"2023M11", "2023M12", "2024M01", "2024M02"}, "2024M01", true},
		{[]string{"2024M01", "2024M02"}, "", false},      // nothing before the break
		{[]string{"2022", "2023"}, "", false},            // ends before it
		{[]string{"2022", "2023", "2025"}, "2025", true}, // no 2024: the next period
		{[]string{"2023", "2024", "2025"}, "2024", true},
	}
	for _, tc := range first {
		if got, ok := b.FirstPeriod(tc.periods); got != tc.want || ok != tc.ok {
			t.Errorf("FirstPeriod(%v) = %q, %v; want %q, %v", tc.periods, got, ok, tc.want, tc.ok)
		}
	}
}
