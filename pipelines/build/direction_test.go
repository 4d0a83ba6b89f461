package build

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// TestRankDirection: rank 1 is the best by the indicator's direction.
// Hand-made: three counties with 10, 20, 30 (per cent). Lower is better:
// 10 is rank 1, 30 rank 3; higher is better (and neutral): the reverse.
// Ties share the better rank (two at 20 are both rank 2 of 4 when lower
// is better: one value, 10, is strictly lower).
func TestRankDirection(t *testing.T) {
	m := loadModel(t)
	target := m.Latest()
	in := &indicators.Inputs{Regions: Units(m, target, nil)}
	mk := func(dir indicators.Direction, vals map[string]float64) map[string]int {
		ind := &indicators.Indicator{ID: "x", Unit: "prosent", Scale: 100, Levels: indicators.AllLevels, Direction: dir, Basis: indicators.Register}
		ind.Compute = func(*indicators.Inputs) ([]indicators.Value, error) {
			var out []indicators.Value
			for code, v := range vals {
				out = append(out, indicators.Value{Region: code, Period: "2025", Value: v, Valid: true, Num: math.NaN(), Den: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()})
			}
			return out, nil
		}
		rows, _, err := Compute(context.Background(), m, target, nil, []*indicators.Indicator{ind}, in, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, r := range rows {
			got[r.Region] = r.Rank
		}
		return got
	}
	three := map[string]float64{"03": 10, "40": 20, "50": 30}
	tests := []struct {
		dir  indicators.Direction
		vals map[string]float64
		want map[string]int
	}{
		{indicators.LowerIsBetter, three, map[string]int{"03": 1, "40": 2, "50": 3}},
		{indicators.HigherIsBetter, three, map[string]int{"03": 3, "40": 2, "50": 1}},
		{indicators.Neutral, three, map[string]int{"03": 3, "40": 2, "50": 1}},
		{indicators.LowerIsBetter, map[string]float64{"03": 10, "40": 20, "50": 20, "11": 30}, map[string]int{"03": 1, "40": 2, "50": 2, "11": 4}},
	}
	for _, tc := range tests {
		got := mk(tc.dir, tc.vals)
		for code, w := range tc.want {
			if got[code] != w {
				t.Errorf("%s: rank of %s (%v) = %d, want %d", tc.dir, code, tc.vals[code], got[code], w)
			}
		}
	}
}

// TestBreakScoping: the 2024 county split is noted once, at the first
// month of 2024, for the split counties and their municipalities only:
// not for Trøndelag, its municipalities or groupings (Namdal), not for the
// nation, and not for the other months of 2024. A series that starts in
// 2024 has no break. Values are SYNTHETIC (all 1 %).
func TestBreakScoping(t *testing.T) {
	m := loadModel(t)
	target := m.Latest()
	groups, err := regions.LoadGroups("../../testdata/regions/grupper-trondelag.yaml", m, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	in := &indicators.Inputs{Regions: Units(m, target, groups), Series: map[string]*indicators.Series{"arbeidsledige": indicators.NewSeries("arbeidsledige")}}
	namdal := ""
	for _, g := range groups {
		if strings.HasPrefix(strings.ToLower(g.Name), "namdal") {
			namdal = g.ID
		}
	}
	if namdal == "" {
		t.Fatal("no Namdal grouping in grupper-trondelag.yaml")
	}
	periods := []string{"2023M11", "2023M12", "2024M01", "2024M02", "2024M03"}
	regionsIn := []string{"0", "40", "4003", "50", "5001", namdal}
	ind := &indicators.Indicator{ID: "x", Unit: "prosent", Scale: 100, Levels: indicators.AllLevels, Direction: indicators.LowerIsBetter, Basis: indicators.Register,
		Inputs: []indicators.Input{{Dataset: "arbeidsledige"}}}
	ind.Compute = func(*indicators.Inputs) ([]indicators.Value, error) {
		var out []indicators.Value
		for _, p := range periods {
			for _, r := range regionsIn {
				out = append(out, indicators.Value{Region: r, Period: p, Value: 1, Valid: true, Num: math.NaN(), Den: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()})
			}
		}
		return out, nil
	}
	rows, _, err := Compute(context.Background(), m, target, groups, []*indicators.Indicator{ind}, in, indicators.Breaks())
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[string]bool{}
	for _, r := range rows {
		if strings.Contains(r.Flags, "series_break:region_2024") {
			flagged[r.Region+"/"+r.Period] = true
		}
	}
	want := map[string]bool{"40/2024M01": true, "4003/2024M01": true}
	for k := range flagged {
		if !want[k] {
			t.Errorf("series_break:region_2024 on %s, want only %v", k, want)
		}
	}
	for k := range want {
		if !flagged[k] {
			t.Errorf("series_break:region_2024 missing on %s", k)
		}
	}
	// A series that starts in 2024 has nothing to break from.
	periods = []string{"2024M01", "2024M02"}
	rows, _, err = Compute(context.Background(), m, target, groups, []*indicators.Indicator{ind}, in, indicators.Breaks())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if strings.Contains(r.Flags, "series_break") {
			t.Errorf("series starting 2024M01: %s/%s flagged %s, want no break", r.Region, r.Period, r.Flags)
		}
	}
}
