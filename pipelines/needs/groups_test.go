package needs

import (
	"math"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// TestKish: n_eff = (Σw)² / Σw², by hand.
func TestKish(t *testing.T) {
	for _, tt := range []struct {
		name    string
		weights []float64
		want    float64
	}{
		// Equal weights: n_eff is the number of units.
		{"equal", []float64{3, 3, 3}, 3},
		// Σw = 8, Σw² = 1+1+4+16 = 22: 64/22 = 2.909090...
		{"unequal", []float64{1, 1, 2, 4}, 64.0 / 22},
		// One dominant weight: Σw = 11, Σw² = 1+100 = 101: 121/101.
		{"dominant", []float64{1, 10}, 121.0 / 101},
		{"none", nil, 0},
	} {
		var s, s2 float64
		for _, w := range tt.weights {
			s += w
			s2 += w * w
		}
		if got := Kish(s, s2); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: Kish = %g, want %g", tt.name, got, tt.want)
		}
	}
}

// TestWilsonEff: the Wilson interval on a fractional n, values by hand
// from the formula in WilsonEff (z = 1.959964): p = 0.5, n = 64/22 gives
// centre 0.5 and half 0.377180; on n = 4 the narrower [0.150039, 0.849961].
func TestWilsonEff(t *testing.T) {
	for _, tt := range []struct {
		p, n, lo, hi float64
	}{
		{0.5, 64.0 / 22, 0.1228201, 0.8771799},
		{0.5, 4, 0.1500390, 0.8499610},
		{0.3, 0, 0, 1},
	} {
		lo, hi := WilsonEff(tt.p, tt.n, 1.959964)
		if math.Abs(lo-tt.lo) > 1e-6 || math.Abs(hi-tt.hi) > 1e-6 {
			t.Errorf("WilsonEff(%g, %g) = [%.7f, %.7f], want [%.7f, %.7f]", tt.p, tt.n, lo, hi, tt.lo, tt.hi)
		}
	}
	if lo, hi := Wilson(0.5, 4, 1.959964); math.Abs(lo-0.1500390) > 1e-6 || math.Abs(hi-0.8499610) > 1e-6 {
		t.Errorf("Wilson(0.5, 4) = [%g, %g], want WilsonEff(0.5, 4)", lo, hi)
	}
}

// TestCollapseStrata: every one-firm stratum is pooled (rules 1-3 of
// CollapseStrata).
func TestCollapseStrata(t *testing.T) {
	a := Stratum{"50", "C", "10-49"} // 2 firms
	b := Stratum{"50", "F", "0-4"}   // 1 firm: the region's only single
	c := Stratum{"40", "C", "0-4"}   // 1 firm
	d := Stratum{"40", "G", "0-4"}   // 1 firm: with c, pooled
	e := Stratum{"03", "J", "50+"}   // 1 firm alone in its region
	got := CollapseStrata([]Stratum{a, a, b, c, d, e})
	pool40 := Stratum{"40", Total, collapsedBand}
	want := []Stratum{a, a, a, pool40, pool40, a}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("firm %d: stratum %v, want %v", i, got[i], want[i])
		}
	}
}

// TestBootstrapOneFirmStratum: a stratum with one firm gave a zero-width
// interval (the only draw is that firm); collapsed into its region's other
// stratum it does not. Stratum A has two firms with 0 people, B one firm
// with 10, weight 1; the cell holds B's people only. Pooled, the 3 draws
// of a replicate take B k times, k ~ Binomial(3, 1/3): P(k = 0) = 8/27 =
// 0.296 > 0.025, so the 2.5 % quantile is 0; P(k = 3) = 1/27 = 0.037 >
// 0.025, so the 97.5 % quantile is 30 (with 999 replicates about 37 of
// them are 30, far above the 25 the quantile needs).
func TestBootstrapOneFirmStratum(t *testing.T) {
	sa, sb := Stratum{"50", "C", "0-4"}, Stratum{"50", "F", "0-4"}
	firms := [][]contribution{{{cell: 0, people: 0}}, {{cell: 0, people: 0}}, {{cell: 0, people: 10}}}
	ci, err := Bootstrap(1, firms, []Stratum{sa, sa, sb}, []float64{1, 1, 1}, func(c contribution) float64 { return c.people }, 999, 0.95, 7)
	if err != nil {
		t.Fatal(err)
	}
	if ci[0] != [2]float64{0, 30} {
		t.Errorf("interval %v, want [0 30] (a lone stratum would give [10 10])", ci[0])
	}
}

// groupFirms is a synthetic county 50 of three municipalities, every firm
// weight 1 with one need of 1 person in area "a": 5001 has 3 firms with a
// need and one (weight 4 with the others 1, 1, 2) without; 5002 has 2 firms
// (primary n<3); 5003 has 3.
func groupFirms() []*Firm {
	var fs []*Firm
	add := func(m string, w float64, need bool) {
		f := &Firm{Municipality: m, County: "50", Weight: w, Stratum: Stratum{m, "C", "0-4"}}
		if need {
			f.Needs = []Need{{Area: "a", People: 1, Level: "fagskole"}}
		}
		fs = append(fs, f)
	}
	add("5001", 1, true)
	add("5001", 1, true)
	add("5001", 2, true)
	add("5001", 4, false)
	add("5002", 1, true)
	add("5002", 1, true)
	for range 3 {
		add("5003", 1, true)
	}
	return fs
}

// TestAggregateGroups: overlapping groupings get rows; differencing two
// published cells (sentrum ⊂ nord: nord − sentrum = 5002) would reveal a
// suppressed municipality, so nord is withheld, and the exact audit over
// counties, municipalities and groupings together finds nothing; the same
// audit does find 5002 once nord is published (so it can fail).
func TestAggregateGroups(t *testing.T) {
	groups := []regions.Group{
		{ID: "nord", Name: "Nord", Members: []string{"5001", "5002"}},
		{ID: "sor", Name: "Sør", Members: []string{"5001", "5003"}},
		{ID: "sentrum", Name: "Sentrum", Members: []string{"5001"}},
		{ID: "vest", Name: "Vest", Members: []string{"5001", "1576"}}, // 1576 not surveyed
	}
	_, est, err := Aggregate(groupFirms(), AggregateOptions{Views: []string{ViewArea}, Areas: []string{"a"}, Replicas: 19,
		Municipalities: map[string][]string{"50": {"5001", "5002", "5003"}}, Groups: groups})
	if err != nil {
		t.Fatal(err)
	}
	// protectMunicipalities: 5002 fails the primary rule; a remainder of
	// one municipality would be 5002 itself, so 5003 (3 respondents, fewer
	// than 5001's 4) is withheld too; 5001 is published.
	for m, want := range map[string]bool{"5001": false, "5002": true, "5003": true} {
		if got := est[Key{m, Total, Total}].Suppressed(); got != want {
			t.Fatalf("%s suppressed = %v, want %v", m, got, want)
		}
	}
	for _, g := range groups {
		for _, k := range []Key{{g.ID, Total, Total}, {g.ID, ViewArea, "a"}} {
			if est[k] == nil {
				t.Fatalf("no cell %s", k)
			}
		}
	}
	// Kish on 5001's total: weights 1, 1, 2, 4: n_eff = 64/22; share =
	// (1+1+2)/8 = 0.5; Wilson on 2.909 (TestWilsonEff): [0.1228, 0.8772].
	e := est[Key{"5001", Total, Total}]
	if math.Abs(e.NEff-64.0/22) > 1e-12 || e.Share != 0.5 || math.Abs(e.ShareLow-0.1228201) > 1e-6 || math.Abs(e.ShareHigh-0.8771799) > 1e-6 {
		t.Errorf("5001 total: n_eff %g share %g [%g, %g], want 2.909 0.5 [0.1228, 0.8772]", e.NEff, e.Share, e.ShareLow, e.ShareHigh)
	}
	// sentrum = 5001 (published): published, 4 respondents, 3 people.
	if s := est[Key{"sentrum", Total, Total}]; s.Suppressed() || s.Respondents != 4 || s.People != 3 {
		t.Errorf("sentrum: suppressed %v respondents %d people %g, want published, 4, 3", s.Suppressed(), s.Respondents, s.People)
	}
	for _, g := range []string{"nord", "sor"} {
		for _, k := range []Key{{g, Total, Total}, {g, ViewArea, "a"}} {
			if c := est[k]; !c.Suppressed() || c.Reason != "gruppe" {
				t.Errorf("%s: suppressed %v reason %q, want withheld (gruppe)", k, c.Suppressed(), c.Reason)
			}
		}
	}
	if !est[Key{"vest", Total, Total}].Uncovered {
		t.Error("vest reaches 1576 outside the surveyed county: want Uncovered")
	}
	ex, err := AuditVersions([]*PublishedVersion{publishedOf("t", est, groups)}, Rule{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) > 0 {
		t.Errorf("audit of the published set: %v, want nothing", ex)
	}
	// Negative control: publish nord (2 + 4 = 6 respondents, 3 + 2 = 5
	// people: it passes the primary rule by itself); nord − sentrum pins
	// 5002 at 2 respondents and 2 people.
	for _, k := range []Key{{"nord", Total, Total}, {"nord", ViewArea, "a"}} {
		est[k].Secondary = false
	}
	ex, err = AuditVersions([]*PublishedVersion{publishedOf("t", est, groups)}, Rule{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range ex {
		if x.Key == (Key{"5002", Total, Total}) && x.Measure == "personer" && math.Abs(x.Low-2) < 1e-6 && math.Abs(x.High-2) < 1e-6 {
			found = true
		}
	}
	if !found {
		t.Errorf("audit with nord published: %v, want 5002/_T/_T personer pinned at 2", ex)
	}
}
