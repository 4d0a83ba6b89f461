package build

// refCompare is a reference implementation of the comparators, written
// independently of compare (build.go) and kept here, in the tests only, as
// the oracle that compare is checked against on random inputs (production
// computes comparators once, in compare). TestRefCompare pins the oracle
// itself to hand-computed values.

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// refComparison holds a region's value and its comparators.
type refComparison struct {
	Region regions.Region
	Value  float64
	// Nation is the nation's value; RestOfCountry the nation minus the
	// region (for rates (N_num - r_num)/(N_den - r_den)*scale, for counts
	// N - r); County the value of the municipality's county (or of the one
	// county holding every member of a grouping). NaN where not applicable
	// or not available.
	Nation, RestOfCountry, County float64
	// Rank among valid units of the same level, 1 = highest value, ties
	// share the lowest rank; NRanked is the number of units ranked.
	Rank, NRanked int
	// Z is (value - mean)/sd over the units of the same level, with sd the
	// sample standard deviation (n-1 denominator, gonum stat.StdDev). NaN
	// with fewer than two units or sd zero.
	Z float64
}

// refCompare computes comparators for every valid aggregate (output of
// regions.Aggregate, with scale as used there; 0 => 1).
func refCompare(aggs []regions.Aggregate, scale float64, groups []regions.Group) []refComparison {
	if scale == 0 {
		scale = 1
	}
	nan := math.NaN()
	var nation *regions.Aggregate
	county := map[string]*regions.Aggregate{}
	byLevel := map[regions.Level][]int{}
	for i := range aggs {
		a := &aggs[i]
		if !a.Valid {
			continue
		}
		switch a.Region.Level {
		case regions.Nation:
			nation = a
		case regions.County:
			county[a.Region.Code] = a
		}
		byLevel[a.Region.Level] = append(byLevel[a.Region.Level], i)
	}
	type stats struct{ mean, sd float64 }
	st := map[regions.Level]stats{}
	for lv, idx := range byLevel {
		xs := make([]float64, len(idx))
		for k, i := range idx {
			xs[k] = aggs[i].Value
		}
		s := stats{mean: stat.Mean(xs, nil), sd: nan}
		if len(xs) > 1 {
			s.sd = stat.StdDev(xs, nil)
		}
		st[lv] = s
	}
	groupCounty := map[string]string{}
	for _, g := range groups {
		c := ""
		for i, mcode := range g.Members {
			if i == 0 {
				c = mcode[:2]
			} else if mcode[:2] != c {
				c = ""
				break
			}
		}
		groupCounty[g.ID] = c
	}
	var out []refComparison
	for i := range aggs {
		a := aggs[i]
		if !a.Valid {
			continue
		}
		c := refComparison{Region: a.Region, Value: a.Value, Nation: nan, RestOfCountry: nan, County: nan, Z: nan}
		if nation != nil && a.Region.Level != regions.Nation {
			c.Nation = nation.Value
			if a.IsRate {
				if den := nation.Den - a.Den; den != 0 {
					c.RestOfCountry = (nation.Num - a.Num) / den * scale
				}
			} else {
				c.RestOfCountry = nation.Num - a.Num
			}
		}
		cc := ""
		switch a.Region.Level {
		case regions.Municipality:
			cc = a.Region.Code[:2]
		case regions.Grouping:
			cc = groupCounty[a.Region.Code]
		}
		if ca, ok := county[cc]; ok && cc != "" {
			c.County = ca.Value
		}
		idx := byLevel[a.Region.Level]
		c.NRanked = len(idx)
		c.Rank = 1
		for _, j := range idx {
			if aggs[j].Value > a.Value {
				c.Rank++
			}
		}
		if s := st[a.Region.Level]; s.sd > 0 {
			c.Z = (a.Value - s.mean) / s.sd
		}
		out = append(out, c)
	}
	return out
}

// Comparators on hand-made aggregates: nation 60/200; counties A 30/100,
// B 20/50, C 10/50 (rates ×100: 30, 40, 20); municipality a1 in A 6/10.
func TestRefCompare(t *testing.T) {
	aggs := []regions.Aggregate{
		{Region: regions.Region{Code: "0", Level: regions.Nation}, Num: 60, Den: 200, Value: 30, Valid: true, IsRate: true},
		{Region: regions.Region{Code: "31", Level: regions.County}, Num: 30, Den: 100, Value: 30, Valid: true, IsRate: true},
		{Region: regions.Region{Code: "32", Level: regions.County}, Num: 20, Den: 50, Value: 40, Valid: true, IsRate: true},
		{Region: regions.Region{Code: "33", Level: regions.County}, Num: 10, Den: 50, Value: 20, Valid: true, IsRate: true},
		{Region: regions.Region{Code: "3101", Level: regions.Municipality}, Num: 6, Den: 10, Value: 60, Valid: true, IsRate: true},
	}
	cs := refCompare(aggs, 100, nil)
	got := map[string]refComparison{}
	for _, c := range cs {
		got[c.Region.Code] = c
	}
	// Counties: mean 30, sample sd sqrt((0² + 10² + 10²)/2) = 10.
	tests := []struct {
		code                 string
		nation, rest, county float64
		rank, n              int
		z                    float64
	}{
		{"31", 30, (60.0 - 30) / (200 - 100) * 100, math.NaN(), 2, 3, 0},
		{"32", 30, (60.0 - 20) / (200 - 50) * 100, math.NaN(), 1, 3, 1},
		{"33", 30, (60.0 - 10) / (200 - 50) * 100, math.NaN(), 3, 3, -1},
		{"3101", 30, (60.0 - 6) / (200 - 10) * 100, 30, 1, 1, math.NaN()},
	}
	same := func(a, b float64) bool { return (math.IsNaN(a) && math.IsNaN(b)) || math.Abs(a-b) < 1e-12 }
	for _, tt := range tests {
		c := got[tt.code]
		if !same(c.Nation, tt.nation) || !same(c.RestOfCountry, tt.rest) || !same(c.County, tt.county) || c.Rank != tt.rank || c.NRanked != tt.n || !same(c.Z, tt.z) {
			t.Errorf("refCompare %s = nation %g rest %g county %g rank %d/%d z %g, want %g %g %g %d/%d %g",
				tt.code, c.Nation, c.RestOfCountry, c.County, c.Rank, c.NRanked, c.Z, tt.nation, tt.rest, tt.county, tt.rank, tt.n, tt.z)
		}
	}
}
