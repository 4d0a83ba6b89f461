package indicators

import (
	"errors"
	"strings"
	"testing"
)

func TestInputFilterText(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"subject, population, measure",
			Input{Filter: Filter{"ContentsCode": "Personer", "Kjonn": "0", "Nivaa": "03a+04a"}},
			"Nivaa=03a+04a, Kjonn=0, ContentsCode=Personer"},
		{"varied dimension among fixed ones",
			Input{Filter: Filter{"Nivaa": "02a", "Kjonn": "0", "ContentsCode": "Personer"}, Vary: map[string]string{"Alder": "gruppene som dekker 25-64"}},
			"Nivaa=02a, Kjonn=0, Alder=gruppene som dekker 25-64, ContentsCode=Personer"},
		{"subject dimensions sorted",
			Input{Filter: Filter{"maal": "respondenter", "inndeling": "kompetanseomrade"}, Vary: map[string]string{"kategori": "hvert område"}},
			"inndeling=kompetanseomrade, kategori=hvert område, maal=respondenter"},
		{"note in parentheses",
			Input{Filter: Filter{"ContentsCode": "HeltLedige_nevner"}, Note: "utledet: HeltLedige * 100 / HeltLedigeProsent"},
			"ContentsCode=HeltLedige_nevner (utledet: HeltLedige * 100 / HeltLedigeProsent)"},
		{"note alone", Input{Filter: Filter{}, Note: "UtdprogramID=-10 (alle programmer), oktober"}, "UtdprogramID=-10 (alle programmer), oktober"},
		{"nothing", Input{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.in.FilterText(); got != tc.want {
				t.Errorf("FilterText() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCatalogFilterTexts: the filters `grunnlag indicators show` printed
// when they were written as text by hand are derived unchanged from the
// structured declarations (the strings are the old Input.Filter literals).
func TestCatalogFilterTexts(t *testing.T) {
	reg, err := NewCatalog(Catalog()...)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id    string
		input int
		want  string
	}{
		{"utdanning_hoyere_andel", 0, "Nivaa=03a+04a, Kjonn=0, ContentsCode=Personer"},
		{"utdanning_hoyere_andel", 1, "Nivaa=01+02a+11+03a+04a+09a, Kjonn=0, ContentsCode=Personer"},
		{"utdanning_vgs_andel_25_64", 0, "Nivaa=02a, Kjonn=0, Alder=gruppene som dekker 25-64, ContentsCode=Personer"},
		{"ledighet_helt_andel", 1, "ContentsCode=HeltLedige_nevner (utledet: HeltLedige * 100 / HeltLedigeProsent)"},
		{"sysselsettingsgrad_20_66", 1, "Kjonn=0, Alder=20-66, ContentsCode=Sysselsatte_nevner (utledet: Sysselsatte * 100 / SysselsatteProsent)"},
		{"unge_utenfor_andel", 0, "HovArbStyrkStatus=NEET, Alder=15-29, ContentsCode=Bosatte"},
		{"sysselsatte_naering_lq", 0, "NACE2007=16 næringsgrupper og 00-99, ContentsCode=SysselsatteArb"},
		{"erstatning_55pluss_andel", 1, "NACE2007=hver gruppe, Alder=15-19+20-24+25-39+40-54+55-66+67-74, ContentsCode=Sysselsatte"},
		{"erstatningsbehov_10aar", 0, "NACE2007=hver gruppe, Alder=55-66+67-74, ContentsCode=Sysselsatte"},
		{"ledige_stillinger_per_1000", 0, "Yrke=sum av alle yrker (STYRK-08)"},
		{"ledige_stillinger_per_1000", 1, "NACE2007=00-99, ContentsCode=SysselsatteArb (årets tall)"},
		{"stillinger_per_ledig", 1, "Yrke=hver yrkesgruppe, ContentsCode=Sokere"},
		{"laerekontrakter_per_1000", 0, "UtdprogramID=-10 (alle programmer), oktober"},
		{"laerekontrakter_per_1000", 1, "Kjonn=1+2, Alder=015-019+020-024, ContentsCode=Personer1"},
	}
	for _, tc := range tests {
		ind, ok := reg.Lookup(tc.id)
		if !ok || tc.input >= len(ind.Inputs) {
			t.Fatalf("%s input %d: not in the catalog", tc.id, tc.input)
		}
		if got := ind.Inputs[tc.input].FilterText(); got != tc.want {
			t.Errorf("%s input %d FilterText() = %q, want %q", tc.id, tc.input, got, tc.want)
		}
	}
}

func TestFilterWith(t *testing.T) {
	f := Filter{"ContentsCode": "Sysselsatte"}
	g := f.With("NACE2007", "41-43")
	if len(f) != 1 || f["NACE2007"] != "" {
		t.Errorf("With changed the filter itself: %v", f)
	}
	if len(g) != 2 || g["NACE2007"] != "41-43" || g["ContentsCode"] != "Sysselsatte" {
		t.Errorf("With(NACE2007, 41-43) = %v, want both dimensions", g)
	}
	if h := g.With("NACE2007", "00-99"); h["NACE2007"] != "00-99" || g["NACE2007"] != "41-43" {
		t.Errorf("With replacing a code = %v (from %v)", h, g)
	}
}

// TestNewCatalogRefusesInputs: malformed input declarations are refused,
// each named.
func TestNewCatalogRefusesInputs(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Indicator)
		want   string
	}{
		{"dimension fixed and varied", func(ind *Indicator) { ind.Inputs[0].Vary = map[string]string{"Nivaa": "hvert nivå"} },
			"dimension Nivaa both fixed and varied"},
		{"no dataset", func(ind *Indicator) { ind.Inputs[1].Dataset = "" }, "no dataset"},
		{"empty code", func(ind *Indicator) { ind.Inputs[1].Filter = Filter{"Kjonn": ""} }, `empty dimension or code "Kjonn"=""`},
		{"no filter at all", func(ind *Indicator) { ind.Inputs[0].Filter = nil }, "no filter, varied dimension or note"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ind := utdanningHoyereAndel()
			tc.change(ind)
			_, err := NewCatalog(ind)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), ind.ID) {
				t.Errorf("NewCatalog(%s) = %v, want an error naming %s and %q", tc.name, err, ind.ID, tc.want)
			}
		})
	}
	if _, err := NewCatalog(utdanningHoyereAndel()); err != nil {
		t.Errorf("NewCatalog(unchanged) = %v", err)
	}
}

// TestComputeReadsItsDeclaration: changing the declared inputs changes what
// Compute reads. Synthetic counts (made up for the test): Skien 4003 has
// 30000 employed 20-66 of a recovered population of 40000 (75 %).
// Declaring the numerator's cells as the denominator gives 100 % by
// definition; putting the series under another dataset ID and declaring
// that ID gives 75 % again, and the old ID is then not read.
func TestComputeReadsItsDeclaration(t *testing.T) {
	s := NewSeries("sysselsettingsgrad", "Kjonn", "Alder", "ContentsCode")
	for c, x := range map[string]float64{"Sysselsatte": 30000, "Sysselsatte_nevner": 40000} {
		if err := s.Set("4003", "2024", []string{"0", "20-66", c}, Cell{Value: x, Valid: true}); err != nil {
			t.Fatal(err)
		}
	}
	regions := []Region{{Code: "4003", Level: LevelMunicipality, Units: 1}}
	value := func(ind *Indicator, series map[string]*Series) (float64, bool) {
		t.Helper()
		vals, err := ind.Compute(&Inputs{Regions: regions, Series: series})
		if err != nil {
			t.Fatal(err)
		}
		if len(vals) != 1 {
			return 0, false
		}
		return vals[0].Value, vals[0].Valid
	}
	ind := sysselsettingsgrad2066()
	if v, ok := value(ind, map[string]*Series{"sysselsettingsgrad": s}); !ok || v != 75 {
		t.Fatalf("sysselsettingsgrad_20_66 = %v (valid %v), want 75", v, ok)
	}
	ind.Inputs[1].Filter = ind.Inputs[0].Filter
	if v, ok := value(ind, map[string]*Series{"sysselsettingsgrad": s}); !ok || v != 100 {
		t.Errorf("with the numerator as denominator = %v (valid %v), want 100", v, ok)
	}
	ind = sysselsettingsgrad2066()
	for i := range ind.Inputs {
		ind.Inputs[i].Dataset = "sysselsetting_omdopt"
	}
	if v, ok := value(ind, map[string]*Series{"sysselsetting_omdopt": s}); !ok || v != 75 {
		t.Errorf("under the declared dataset sysselsetting_omdopt = %v (valid %v), want 75", v, ok)
	}
	if _, ok := value(ind, map[string]*Series{"sysselsettingsgrad": s}); ok {
		t.Errorf("declared sysselsetting_omdopt, computed from sysselsettingsgrad")
	}
	// The education indicator for 25-64 reports its declared dataset.
	edu := utdanningHoyereAndel2564()
	for i := range edu.Inputs {
		edu.Inputs[i].Dataset = "alder_omdopt"
	}
	bad := educationAgeSeries(t, "25-44", "45-59", "60-66")
	if _, err := edu.Compute(&Inputs{Regions: regions, Series: map[string]*Series{"alder_omdopt": bad}}); !errors.Is(err, ErrAgeGroups) ||
		!strings.Contains(err.Error(), "dataset alder_omdopt") {
		t.Errorf("Compute(60-66 groups under alder_omdopt) = %v, want an ErrAgeGroups error naming dataset alder_omdopt", err)
	}
}
