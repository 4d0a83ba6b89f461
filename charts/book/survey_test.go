package book

import (
	"math"
	"strings"
	"testing"
)

// surveyRow is a SYNTHETIC row of a survey indicator by category.
func surveyRow(region, label, level, cat string, v, lo, hi float64, flags ...string) Row {
	return Row{Indicator: "behov_andel_test", Region: region, RegionLabel: label, RegionLevel: level, Period: "2024",
		Category: cat, CategoryLabel: "Område " + cat, Value: v, Unit: "prosent", Numerator: math.NaN(), Denominator: math.NaN(),
		ComparatorValue: math.NaN(), GapAbs: math.NaN(), GapIndex: math.NaN(), Z: math.NaN(), CILow: lo, CIHigh: hi, Flags: flags}
}

// TestBookSurveyIntervalsAndSuppressed: a region page draws a survey
// indicator's categories as dots with their intervals (and lists the
// interval in the table); a grouping whose every survey figure is
// suppressed says so, with the reason, instead of "ingen tall".
// SYNTHETIC values.
func TestBookSurveyIntervalsAndSuppressed(t *testing.T) {
	in := synthInput()
	in.Rows = append(in.Rows,
		surveyRow("4001", "Porsgrunn", LevelMunicipality, "a", 40, 25.5, 56.2),
		surveyRow("4001", "Porsgrunn", LevelMunicipality, "b", 10, 3.1, 27.4),
		surveyRow("grenland", "Grenland", LevelGrouping, "a", math.NaN(), math.NaN(), math.NaN(), "suppressed"),
		surveyRow("grenland", "Grenland", LevelGrouping, "b", math.NaN(), math.NaN(), math.NaN(), "suppressed"))
	in.Indicators = append(in.Indicators, Indicator{ID: "behov_andel_test", Title: "Behov (test)", Unit: "prosent", Theme: "utdanning",
		Source: "syntetisk", Synthetic: true, Survey: true})
	in.Map = nil
	files := build(t, in)
	page := string(files["region/4001.html"])
	if !strings.Contains(page, "25,5–56,2") || !strings.Contains(page, "95 % konfidensintervall") {
		t.Errorf("Porsgrunn's survey block has no interval (want 25,5–56,2 in the table)")
	}
	drawn := false
	for name, data := range files {
		if strings.Contains(name, "behov_andel_test") && strings.HasSuffix(name, ".svg") && strings.Contains(name, "4001") {
			drawn = drawn || len(data) > 0
		}
	}
	if !drawn {
		t.Error("no chart drawn for Porsgrunn's survey indicator")
	}
	g := string(files["region/grenland.html"])
	if !strings.Contains(g, "prikket (færre enn 3 virksomheter") {
		i := strings.Index(g, "Behov (test)")
		t.Errorf("Grenland's all-suppressed survey block: %q, want the suppression with its reason", g[max(0, i):min(len(g), i+400)])
	}
}

// TestIndexValidity: the index names each county and municipality with its
// code and validity, "Telemark (40, fra 2024)", and a code that is no
// longer valid with its span.
func TestIndexValidity(t *testing.T) {
	in := synthInput()
	in.Map = nil
	in.Validity = map[string]Validity{"40": {From: 2024}, "4001": {From: 2020}}
	idx := string(build(t, in)["index.html"])
	for _, want := range []string{"Telemark (40, fra 2024)", "Porsgrunn (4001, fra 2020)", "Notodden (4005)"} {
		if !strings.Contains(idx, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	in.Validity = map[string]Validity{"40": {From: 2020, To: 2023}}
	if idx := string(build(t, in)["index.html"]); !strings.Contains(idx, "Telemark (40, 2020–2023)") {
		t.Error("index lacks Telemark (40, 2020–2023)")
	}
}

// TestRegionHistory: the page of 40 Telemark draws the series published
// under 38 Vestfold og Telemark (2020–2023) beside its own, named with
// code and validity, and lists it in the figure's table. SYNTHETIC values.
func TestRegionHistory(t *testing.T) {
	in := synthInput()
	in.Map = nil
	for i, p := range []string{"2020", "2021", "2022", "2023"} {
		in.Rows = append(in.Rows, Row{Indicator: "utdanning_hoyere_andel", Region: "38", RegionLabel: "Vestfold og Telemark", RegionLevel: LevelCounty,
			Period: p, Value: 20.5 + float64(i), Unit: "prosent", Numerator: math.NaN(), Denominator: math.NaN(),
			ComparatorValue: math.NaN(), GapAbs: math.NaN(), GapIndex: math.NaN(), Z: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()})
	}
	in.History = map[string][]string{"40": {"38"}}
	in.Validity = map[string]Validity{"38": {From: 2020, To: 2023}}
	page := string(build(t, in)["region/40.html"])
	if !strings.Contains(page, "Vestfold og Telemark (38, 2020–2023)") || !strings.Contains(page, "23,5") {
		t.Error("Telemark's page lacks the 38 history (Vestfold og Telemark (38, 2020–2023), 2023: 23,5)")
	}
}
