package indicators

import (
	"math"
	"strings"
	"testing"
)

// TestSysselsettingsgrad2066: synthetic counts. Skien 4003: 30000
// employed 20-66 of a recovered population of 40000 → 75 %; county 40
// (sum, as the build step gives it) 50000 / 65000 * 100 = 76.923076…;
// Vinje 4036 has SSB status ":" on the employed → missing.
func TestSysselsettingsgrad2066(t *testing.T) {
	s := NewSeries("sysselsettingsgrad", "Kjonn", "Alder", "ContentsCode")
	set := func(r, c string, x float64) { s.Set(r, "2024", []string{"0", "20-66", c}, Cell{Value: x, Valid: true}) }
	set("4003", "Sysselsatte", 30000)
	set("4003", "Sysselsatte_nevner", 40000)
	set("40", "Sysselsatte", 50000)
	set("40", "Sysselsatte_nevner", 65000)
	s.Set("4036", "2024", []string{"0", "20-66", "Sysselsatte"}, Cell{Status: ":"})
	set("4036", "Sysselsatte_nevner", 2500)
	// A 15-74 cell must not leak into the 20-66 rate.
	s.Set("4003", "2024", []string{"0", "15-74", "Sysselsatte"}, Cell{Value: 1, Valid: true})
	in := &Inputs{Regions: []Region{{Code: "40", Level: LevelCounty, Units: 17}, {Code: "4003", Level: LevelMunicipality, Units: 1},
		{Code: "4036", Level: LevelMunicipality, Units: 1}}, Series: map[string]*Series{"sysselsettingsgrad": s}}
	vals, err := sysselsettingsgrad2066().Compute(in)
	if err != nil || len(vals) != 3 {
		t.Fatalf("Compute = %+v, %v; want 3 values", vals, err)
	}
	tests := []struct {
		region string
		valid  bool
		want   float64
	}{{"40", true, 50000.0 / 65000 * 100}, {"4003", true, 75}, {"4036", false, 0}}
	for i, tc := range tests {
		t.Run(tc.region, func(t *testing.T) {
			v := vals[i]
			if v.Region != tc.region || v.Valid != tc.valid || math.Abs(v.Value-tc.want) > 1e-9 {
				t.Errorf("sysselsettingsgrad_20_66(%s) = %v (valid %v), want %v (valid %v)", v.Region, v.Value, v.Valid, tc.want, tc.valid)
			}
			if !tc.valid && !strings.Contains(strings.Join(v.Flags, ","), FlagMissingInput) {
				t.Errorf("sysselsettingsgrad_20_66(%s).Flags = %v, want missing_input", v.Region, v.Flags)
			}
		})
	}
}

// TestSkiftandel: synthetic counts, two industry groups. Nation 2015: A
// 100, B 100; 2024: A 120, B 90 → g = 210/200 - 1 = 0.05, g_A = 0.2,
// g_B = -0.1. Region 4003 2015: A 10, B 30 (E0 40); 2024: A 15, B 27
// (E1 42). By hand: NS = 40*0.05 = 2; IM = 10*(0.2-0.05) + 30*(-0.1-0.05)
// = 1.5 - 4.5 = -3; RS = 10*(0.5-0.2) + 30*(-0.1+0.1) = 3; NS+IM+RS = 2 =
// E1 - E0. The nation: NS = 10, IM = RS = 0. 2020 and the 00-99 total
// (deliberately inconsistent) are not used. 4036 has B ".." in 2024 → all
// three components missing.
func TestSkiftandel(t *testing.T) {
	s := NewSeries("sysselsatte_naering", "NACE2007", "ContentsCode")
	set := func(r, p, g string, x float64) {
		s.Set(r, p, []string{g, "SysselsatteArb"}, Cell{Value: x, Valid: true})
	}
	for _, c := range []struct {
		r, p  string
		a, b  float64
		total float64
	}{{"0", "2015", 100, 100, 999}, {"0", "2020", 1, 1, 1}, {"0", "2024", 120, 90, 999},
		{"4003", "2015", 10, 30, 999}, {"4003", "2024", 15, 27, 999}, {"4036", "2015", 5, 5, 10}} {
		set(c.r, c.p, "A", c.a)
		set(c.r, c.p, "B", c.b)
		set(c.r, c.p, "00-99", c.total)
	}
	set("4036", "2024", "A", 6)
	s.Set("4036", "2024", []string{"B", "SysselsatteArb"}, Cell{Status: ".."})
	in := &Inputs{Regions: []Region{{Code: "0", Level: LevelNation, Units: 3}, {Code: "4003", Level: LevelMunicipality, Units: 1},
		{Code: "4036", Level: LevelMunicipality, Units: 1}, {Code: "9999", Level: LevelMunicipality, Units: 1}},
		Series: map[string]*Series{"sysselsatte_naering": s}}
	vals, err := sysselsettingSkiftandel().Compute(in)
	if err != nil || len(vals) != 9 {
		t.Fatalf("Compute = %+v, %v; want 9 values (3 regions × 3 components, 9999 not covered)", vals, err)
	}
	want := map[string][3]float64{"0": {10, 0, 0}, "4003": {2, -3, 3}}
	for _, v := range vals {
		t.Run(v.Region+"/"+v.Category, func(t *testing.T) {
			if v.Period != "2015-2024" {
				t.Errorf("Period = %q, want 2015-2024", v.Period)
			}
			w, ok := want[v.Region]
			if !ok {
				if v.Valid || !strings.Contains(strings.Join(v.Flags, ","), FlagMissingInput) {
					t.Errorf("skiftandel(%s, %s) = %v valid %v flags %v, want missing", v.Region, v.Category, v.Value, v.Valid, v.Flags)
				}
				return
			}
			i := map[string]int{ShiftNational: 0, ShiftIndustryMix: 1, ShiftRegional: 2}[v.Category]
			if !v.Valid || math.Abs(v.Value-w[i]) > 1e-9 {
				t.Errorf("skiftandel(%s, %s) = %v, want %v", v.Region, v.Category, v.Value, w[i])
			}
		})
	}
	// The identity NS + IM + RS = E1 - E0 (42 - 40 for 4003, 210 - 200 for the nation).
	sum := map[string]float64{}
	for _, v := range vals {
		sum[v.Region] += v.Value
	}
	for r, want := range map[string]float64{"0": 10, "4003": 2} {
		if math.Abs(sum[r]-want) > 1e-9 {
			t.Errorf("NS+IM+RS(%s) = %v, want E1-E0 = %v", r, sum[r], want)
		}
	}
}

// TestLaerekontrakterPer1000: Telemark 40 2025 has 1702 contracts in the
// demo Udir file (testdata/demo/udir, synthetic); with a made-up
// population of 9000 men + 11000 women aged 15-24 (15-19 and 20-24 split
// 5000/4000 and 5500/5500), 1702 / 20000 * 1000 = 85.1 by hand. Udir's
// suppressed "*" for Vestland 46 → missing. The 25-29 group is not used.
func TestLaerekontrakterPer1000(t *testing.T) {
	lk := NewSeries(apprenticeDataset)
	lk.Set("40", "2025", nil, Cell{Value: 1702, Valid: true})
	lk.Set("46", "2025", nil, Cell{Status: "*"})
	pop := NewSeries("befolkning", "Kjonn", "Alder", "ContentsCode")
	for _, c := range []struct {
		r, k, a string
		x       float64
	}{{"40", "1", "015-019", 5000}, {"40", "1", "020-024", 4000}, {"40", "2", "015-019", 5500}, {"40", "2", "020-024", 5500},
		{"40", "1", "025-029", 1e6}, {"46", "1", "015-019", 1}, {"46", "2", "015-019", 1}, {"46", "1", "020-024", 1}, {"46", "2", "020-024", 1}} {
		pop.Set(c.r, "2025", []string{c.k, c.a, "Personer1"}, Cell{Value: c.x, Valid: true})
	}
	in := &Inputs{Regions: []Region{{Code: "40", Level: LevelCounty, Units: 17}, {Code: "46", Level: LevelCounty, Units: 43}},
		Series: map[string]*Series{apprenticeDataset: lk, "befolkning": pop}}
	vals, err := laerekontrakterPer1000().Compute(in)
	if err != nil || len(vals) != 2 {
		t.Fatalf("Compute = %+v, %v; want 2 values", vals, err)
	}
	if v := vals[0]; v.Region != "40" || !v.Valid || math.Abs(v.Value-85.1) > 1e-9 || v.Den != 20000 {
		t.Errorf("laerekontrakter_per_1000(40) = %v (den %v), want 85.1 (den 20000)", v.Value, v.Den)
	}
	if v := vals[1]; v.Region != "46" || v.Valid || !strings.Contains(strings.Join(v.Flags, ","), FlagMissingInput) {
		t.Errorf("laerekontrakter_per_1000(46) = %+v, want missing (Udir '*')", v)
	}
}

// TestVGSForsteonske: without its input the build skips it; made-up
// counts 600 vocational of 1200 first choices → 50 %.
func TestVGSForsteonske(t *testing.T) {
	ind := vgsForsteonskeAndel()
	demo := func(d string) bool { return d == "befolkning" || d == apprenticeDataset }
	if got := strings.Join(ind.MissingInputs(demo), ","); got != applicantDataset {
		t.Errorf("vgs_forsteonske_andel.MissingInputs(demo) = %q, want %q", got, applicantDataset)
	}
	s := NewSeries(applicantDataset, "Utdprogram")
	s.Set("40", "2025", []string{"YF"}, Cell{Value: 600, Valid: true})
	s.Set("40", "2025", []string{"-10"}, Cell{Value: 1200, Valid: true})
	vals, err := ind.Compute(&Inputs{Regions: []Region{{Code: "40", Level: LevelCounty}}, Series: map[string]*Series{applicantDataset: s}})
	if err != nil || len(vals) != 1 || !vals[0].Valid || vals[0].Value != 50 {
		t.Errorf("vgs_forsteonske_andel(40) = %+v, %v; want 50", vals, err)
	}
}

// TestBehovPersonerPer100: Telemark 40, 2024, total row of the demo's
// kompetansebehov (pipelines/needs on the synthetic demo survey):
// personer_vektet 1929.4428571428568, interval 1622.9057142857143 to
// 2209.2396428571424, 85 respondents; 84716 employed (13470, 2024, the
// needs_vs_supply row). By hand: 1929.44/84716*100 ≈ 2.2775, interval ≈
// [1.9157, 2.6078]. Area ikt is suppressed (":") → missing, not 0; area
// elektro has 2 respondents → suppressed.
func TestBehovPersonerPer100(t *testing.T) {
	s := NewSeries(needsDataset, "inndeling", "kategori", "maal")
	set := func(ind, kat, m string, x float64) {
		s.Set("40", "2024", []string{ind, kat, m}, Cell{Value: x, Valid: true})
	}
	set("_T", "_T", "personer_vektet", 1929.4428571428568)
	set("_T", "_T", "personer_ci_lav", 1622.9057142857143)
	set("_T", "_T", "personer_ci_hoy", 2209.2396428571424)
	set("_T", "_T", "respondenter", 85)
	for _, m := range []string{"personer_vektet", "personer_ci_lav", "personer_ci_hoy", "respondenter"} {
		s.Set("40", "2024", []string{"kompetanseomrade", "ikt", m}, Cell{Status: ":"})
	}
	set("kompetanseomrade", "elektro", "personer_vektet", 40)
	set("kompetanseomrade", "elektro", "respondenter", 2)
	e := NewSeries(industryDataset, "NACE2007", "ContentsCode")
	e.Set("40", "2024", []string{"00-99", "SysselsatteArb"}, Cell{Value: 84716, Valid: true})
	in := &Inputs{Regions: []Region{{Code: "40", Level: LevelCounty, Units: 17}}, Series: map[string]*Series{needsDataset: s, industryDataset: e}}
	vals, err := behovPersonerPer100().Compute(in)
	if err != nil || len(vals) != 3 {
		t.Fatalf("Compute = %+v, %v; want 3 values (total, elektro, ikt)", vals, err)
	}
	byCat := map[string]Value{}
	for _, v := range vals {
		byCat[v.Category] = v
	}
	tot := byCat[""]
	want, lo, hi := 1929.4428571428568/84716*100, 1622.9057142857143/84716*100, 2209.2396428571424/84716*100
	if !tot.Valid || math.Abs(tot.Value-want) > 1e-9 || math.Abs(tot.CILow-lo) > 1e-9 || math.Abs(tot.CIHigh-hi) > 1e-9 || tot.NUnits != 85 {
		t.Errorf("total = %v [%v, %v] n %d, want %v [%v, %v] n 85", tot.Value, tot.CILow, tot.CIHigh, tot.NUnits, want, lo, hi)
	}
	if math.Abs(want-2.2775) > 1e-4 {
		t.Errorf("hand check: 1929.44/84716*100 = %v, want ≈ 2.2775", want)
	}
	for cat, flag := range map[string]string{"ikt": FlagMissingInput, "elektro": FlagSuppressed} {
		v := byCat[cat]
		if v.Valid || v.Value != 0 || !strings.Contains(strings.Join(v.Flags, ","), flag) {
			t.Errorf("%s = %+v, want missing with flag %s", cat, v, flag)
		}
	}
}

// TestBehovMotTilbudGap: Telemark 40, 2024. helse_oppvekst from the demo
// (pipelines/needs on the synthetic demo survey): need 146.82857142857142,
// interval 70.45857142857143 to 225.2385714285714, 85 respondents, 440
// fagskole students (needs_vs_supply). By hand: gap = 146.83 - 440 =
// -293.17, interval [-369.54, -214.76] excludes 0 → significant. Made up:
// bygg_anlegg need 300 [200, 400], supply 285 → 15 [-85, 115], not
// significant; elektro need suppressed (":") → missing; ikt has no
// fagskole field → no value.
func TestBehovMotTilbudGap(t *testing.T) {
	s := NewSeries(supplyDataset, "region_level", "kompetanseomrade", "maal", "kilde", "kilde_periode")
	sup := func(a, m, k, kp string, c Cell) { s.Set("40", "2024", []string{"fylke", a, m, k, kp}, c) }
	ok := func(x float64) Cell { return Cell{Value: x, Valid: true} }
	sup("helse_oppvekst", "behov_personer_vektet", "kompetansebehov", "2024", ok(146.82857142857142))
	sup("helse_oppvekst", "fagskolestudenter", "dbh_fagskolestudenter", "2024", ok(440))
	sup("bygg_anlegg", "behov_personer_vektet", "kompetansebehov", "2024", ok(300))
	sup("bygg_anlegg", "fagskolestudenter", "dbh_fagskolestudenter", "2024", ok(285))
	sup("elektro", "behov_personer_vektet", "kompetansebehov", "2024", Cell{Status: ":"})
	sup("elektro", "fagskolestudenter", "dbh_fagskolestudenter", "2024", ok(285))
	sup("ikt", "behov_personer_vektet", "kompetansebehov", "2024", ok(250))
	ns := NewSeries(needsDataset, "inndeling", "kategori", "maal")
	need := func(a, m string, x float64) { ns.Set("40", "2024", []string{"kompetanseomrade", a, m}, ok(x)) }
	need("helse_oppvekst", "personer_ci_lav", 70.45857142857143)
	need("helse_oppvekst", "personer_ci_hoy", 225.2385714285714)
	need("helse_oppvekst", "respondenter", 85)
	need("bygg_anlegg", "personer_ci_lav", 200)
	need("bygg_anlegg", "personer_ci_hoy", 400)
	need("bygg_anlegg", "respondenter", 85)
	in := &Inputs{Regions: []Region{{Code: "0", Level: LevelNation}, {Code: "40", Level: LevelCounty, Units: 17}},
		Series: map[string]*Series{supplyDataset: s, needsDataset: ns}}
	vals, err := behovMotTilbudGap().Compute(in)
	if err != nil || len(vals) != 3 {
		t.Fatalf("Compute = %+v, %v; want 3 values (bygg_anlegg, elektro, helse_oppvekst)", vals, err)
	}
	tests := []struct {
		area         string
		valid        bool
		want, lo, hi float64
		flag         string
	}{
		{"bygg_anlegg", true, 15, -85, 115, FlagNotSignif},
		{"elektro", false, 0, math.NaN(), math.NaN(), FlagMissingInput},
		{"helse_oppvekst", true, 146.82857142857142 - 440, 70.45857142857143 - 440, 225.2385714285714 - 440, FlagSignificant},
	}
	for i, tc := range tests {
		t.Run(tc.area, func(t *testing.T) {
			v := vals[i]
			if v.Category != tc.area || v.Valid != tc.valid || math.Abs(v.Value-tc.want) > 1e-9 ||
				!strings.Contains(strings.Join(v.Flags, ","), tc.flag) {
				t.Errorf("behov_mot_tilbud_gap(40, %s) = %+v, want %v valid %v flag %s", v.Category, v, tc.want, tc.valid, tc.flag)
			}
			if tc.valid && (math.Abs(v.CILow-tc.lo) > 1e-9 || math.Abs(v.CIHigh-tc.hi) > 1e-9) {
				t.Errorf("behov_mot_tilbud_gap(40, %s) interval = [%v, %v], want [%v, %v]", tc.area, v.CILow, v.CIHigh, tc.lo, tc.hi)
			}
		})
	}
	if math.Abs(tests[2].want-(-293.17142857142858)) > 1e-9 {
		t.Errorf("hand check: 146.83 - 440 = %v, want -293.17", tests[2].want)
	}
}
