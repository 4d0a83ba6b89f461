package book

import (
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"
)

// synthPopulation is a SYNTHETIC population in two age groups: 4001
// Porsgrunn men 10, 30 and women 20, 40 (100 persons); 4003 Skien 5 in
// every cell (20); 4005 Notodden with a missing cell; the nation 100 in
// every cell.
func synthPopulation() []PopulationRow {
	var rows []PopulationRow
	add := func(region string, m0, m1, w0, w1 float64) {
		for _, c := range []struct {
			sex, age string
			v        float64
		}{{"1", "000-004", m0}, {"1", "005-009", m1}, {"2", "000-004", w0}, {"2", "005-009", w1}} {
			rows = append(rows, PopulationRow{Region: region, Period: "2025", Sex: c.sex, Age: c.age, Value: c.v})
		}
	}
	add("4001", 10, 30, 20, 40)
	add("4003", 5, 5, 5, 5)
	add("4005", 1, math.NaN(), 1, 1)
	add("0", 100, 100, 100, 100)
	// An older period of Porsgrunn is not drawn.
	rows = append(rows, PopulationRow{Region: "4001", Period: "2024", Sex: "1", Age: "000-004", Value: 999})
	return rows
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	return recs
}

// TestPyramid checks the population pyramid of every region page against
// shares computed by hand from synthPopulation: a municipality's own
// cells, a grouping summed from its municipalities, the nation as given
// (the outlines), and a note where the figures are incomplete.
func TestPyramid(t *testing.T) {
	in := synthInput()
	in.Population = synthPopulation()
	files := build(t, in)
	for _, c := range []struct {
		region string
		want   [][]float64 // per group: men, women, nation men, nation women (per cent)
	}{
		// 4001: 10/100, 20/100; 30/100, 40/100; nation 100/400 = 25 %.
		{"4001", [][]float64{{10, 20, 25, 25}, {30, 40, 25, 25}}},
		// grenland = 4001 + 4003: men 15, 35, women 25, 45 of 120.
		{"grenland", [][]float64{{12.5, 25.0 / 120 * 100, 25, 25}, {35.0 / 120 * 100, 37.5, 25, 25}}},
		// The nation draws no outline of itself.
		{"0", [][]float64{{25, 25}, {25, 25}}},
	} {
		recs := readCSV(t, files["fig/r/"+c.region+".befolkning.csv"])
		if len(recs) != 3 {
			t.Fatalf("%s: befolkning.csv has %d lines, want a header and 2 groups", c.region, len(recs))
		}
		for g, want := range c.want {
			row := recs[g+1]
			if len(row) != 1+len(want) {
				t.Fatalf("%s: row %v, want %d values", c.region, row, len(want))
			}
			for k, w := range want {
				got, err := strconv.ParseFloat(row[k+1], 64)
				if err != nil || math.Abs(got-w) > 1e-9 {
					t.Errorf("%s: group %s, column %s = %s, want %v", c.region, row[0], recs[0][k+1], row[k+1], w)
				}
			}
		}
		if got := recs[1][0]; got != "0–4" {
			t.Errorf("%s: first group %q, want 0–4", c.region, got)
		}
		page := string(files["region/"+c.region+".html"])
		if !strings.Contains(page, `src="../fig/r/`+c.region+`.befolkning.svg"`) {
			t.Errorf("region/%s.html does not show its pyramid", c.region)
		}
	}
	// Notodden has a missing cell, so Telemark (summed from its three
	// municipalities) has no complete figures either: notes, no charts.
	for _, r := range []string{"4005", "40"} {
		if _, ok := files["fig/r/"+r+".befolkning.svg"]; ok {
			t.Errorf("%s: a pyramid drawn from incomplete figures", r)
		}
		if page := string(files["region/"+r+".html"]); !strings.Contains(page, "Ingen fullstendige befolkningstall etter alder og kjønn for") {
			t.Errorf("region/%s.html has no note saying why there is no pyramid", r)
		}
	}
	svg := string(files["fig/r/grenland.befolkning.svg"])
	if !strings.Contains(svg, "Prosent av befolkningen, 2025 (120 personer)") {
		t.Errorf("grenland pyramid: subtitle lacks the period and the total")
	}
}

func TestAgeBand(t *testing.T) {
	for in, want := range map[string]string{"000": "000-004", "004": "000-004", "017": "015-019", "089": "085-089", "090": "090+", "105+": "090+", "000-004": "000-004", "090+": "090+"} {
		if got := ageBand(in); got != want {
			t.Errorf("ageBand(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"000-004": "0–4", "015-019": "15–19", "090+": "90+", "105+": "105+", "000": "0"} {
		if got := ageLabel(in); got != want {
			t.Errorf("ageLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
