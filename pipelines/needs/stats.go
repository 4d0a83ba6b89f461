package needs

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Wilson returns the Wilson score interval for a share p observed on n
// units at normal quantile z (1.959964 for 95 %); see WilsonEff, which it
// calls with n_eff = n. n = 0 gives (0, 1).
func Wilson(p float64, n int, z float64) (lo, hi float64) {
	return WilsonEff(p, float64(n), z)
}

// WilsonEff is the Wilson score interval for a share p on an effective
// sample size n (Kish for a weighted share, which may be fractional):
//
//	centre = (p + z²/(2n)) / (1 + z²/n)
//	half   = z/(1 + z²/n) * sqrt(p(1-p)/n + z²/(4n²))
//
// n <= 0 gives (0, 1).
func WilsonEff(p, n, z float64) (lo, hi float64) {
	if n <= 0 || math.IsNaN(n) {
		return 0, 1
	}
	z2 := z * z
	d := 1 + z2/n
	c := (p + z2/(2*n)) / d
	h := z / d * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return math.Max(0, c-h), math.Min(1, c+h)
}

// Kish returns the effective sample size of a weighted estimate from the
// sum of the weights and the sum of their squares:
//
//	n_eff = (Σw)² / Σw²
//
// It equals the number of units when every weight is the same and is
// smaller the more the weights vary. sumW2 <= 0 gives 0.
func Kish(sumW, sumW2 float64) float64 {
	if sumW2 <= 0 {
		return 0
	}
	return sumW * sumW / sumW2
}

// Stratum is a post-stratification cell: region (municipality or grouping),
// SN2007 section and size band.
type Stratum struct {
	Region, Section, Band string
}

func (s Stratum) String() string { return s.Region + "/" + s.Section + "/" + s.Band }

// Weights are post-stratification weights: every responding firm in
// stratum h gets N_h / n_h, where N_h is the register count of
// enterprises in h and n_h the number of responding firms in h, so the
// weighted firm count of every stratum equals the register's.
type Weights struct {
	// ByStratum is N_h / n_h for every stratum with respondents and a
	// register count.
	ByStratum map[Stratum]float64
	// Empty are strata with a register count and no respondents (their
	// firms are not represented), sorted.
	Empty []Stratum
	// NotInRegister are strata with respondents but no register count;
	// their firms get weight 1 (counted as themselves), sorted.
	NotInRegister []Stratum
}

// PostStratify computes weights from the respondents' strata (one entry
// per firm) and the register counts.
func PostStratify(firms []Stratum, population map[Stratum]float64) *Weights {
	n := map[Stratum]int{}
	for _, s := range firms {
		n[s]++
	}
	w := &Weights{ByStratum: map[Stratum]float64{}}
	for s, k := range n {
		N, ok := population[s]
		if !ok || N <= 0 {
			w.ByStratum[s] = 1
			w.NotInRegister = append(w.NotInRegister, s)
			continue
		}
		w.ByStratum[s] = N / float64(k)
	}
	for s, N := range population {
		if N > 0 && n[s] == 0 {
			w.Empty = append(w.Empty, s)
		}
	}
	less := func(l []Stratum) func(i, j int) bool {
		return func(i, j int) bool { return l[i].String() < l[j].String() }
	}
	sort.Slice(w.Empty, less(w.Empty))
	sort.Slice(w.NotInRegister, less(w.NotInRegister))
	return w
}

// contribution is what one firm adds to one cell.
type contribution struct {
	cell     int
	people   float64
	withNeed bool
}

// Bootstrap returns percentile intervals [lo, hi] at level (0.95) of the
// weighted totals per cell, resampling firms with replacement within
// strata (collapsed by CollapseStrata, so no stratum has one firm) B times with a PCG seeded by seed (reproducible). firms[i] lists
// firm i's contributions, strata[i] its stratum, weight[i] its weight;
// value(c) is what a contribution adds (before weighting).
func Bootstrap(ncells int, firms [][]contribution, strata []Stratum, weight []float64, value func(contribution) float64, B int, level float64, seed uint64) ([][2]float64, error) {
	if len(firms) != len(strata) || len(firms) != len(weight) {
		return nil, fmt.Errorf("needs: bootstrap: %d firms, %d strata, %d weights", len(firms), len(strata), len(weight))
	}
	if B < 1 {
		return nil, fmt.Errorf("needs: bootstrap: %d replicates", B)
	}
	byStratum := map[Stratum][]int{}
	var order []Stratum
	for i, s := range CollapseStrata(strata) {
		if _, ok := byStratum[s]; !ok {
			order = append(order, s)
		}
		byStratum[s] = append(byStratum[s], i)
	}
	sort.Slice(order, func(i, j int) bool { return order[i].String() < order[j].String() })
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	reps := make([][]float64, ncells)
	for c := range reps {
		reps[c] = make([]float64, B)
	}
	for b := 0; b < B; b++ {
		for _, s := range order {
			members := byStratum[s]
			for range members {
				i := members[rng.IntN(len(members))]
				for _, ct := range firms[i] {
					reps[ct.cell][b] += weight[i] * value(ct)
				}
			}
		}
	}
	out := make([][2]float64, ncells)
	a := (1 - level) / 2
	for c, r := range reps {
		sort.Float64s(r)
		out[c] = [2]float64{quantile(r, a), quantile(r, 1-a)}
	}
	return out, nil
}

// quantile is the type-7 (linear interpolation) quantile of sorted x.
func quantile(x []float64, p float64) float64 {
	if len(x) == 1 {
		return x[0]
	}
	h := p * float64(len(x)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[i] + (h-lo)*(x[i+1]-x[i])
}

// collapsedBand is the size band of a stratum pooled from one-firm strata.
const collapsedBand = "samlet"

// CollapseStrata returns, for every firm (strata[i] its stratum), the
// stratum it is resampled in by Bootstrap. Resampling a stratum with one
// firm always draws that firm, so it would add no variance at all; such
// strata are collapsed instead:
//
//  1. The one-firm strata of a region (Stratum.Region) are pooled into one
//     stratum {Region, "_T", "samlet"} when there are two or more.
//  2. A region's only one-firm stratum joins the region's smallest other
//     stratum (fewest firms, then name).
//  3. A one-firm stratum alone in its region joins the smallest stratum of
//     the whole sample with two or more firms (fewest firms, then name), or,
//     when there is none, the pool of every such firm.
//
// Pooling treats firms of different strata as exchangeable, which widens
// the interval (a conservative variance), never narrows it to zero.
func CollapseStrata(strata []Stratum) []Stratum {
	n := map[Stratum]int{}
	for _, s := range strata {
		n[s]++
	}
	singles := map[string][]Stratum{} // region -> its one-firm strata
	others := map[string][]Stratum{}  // region -> its strata with 2+ firms
	var all []Stratum
	for s, k := range n {
		if k == 1 {
			singles[s.Region] = append(singles[s.Region], s)
		} else {
			others[s.Region] = append(others[s.Region], s)
			all = append(all, s)
		}
	}
	smallest := func(ss []Stratum) (Stratum, bool) {
		if len(ss) == 0 {
			return Stratum{}, false
		}
		best := ss[0]
		for _, s := range ss[1:] {
			if n[s] < n[best] || (n[s] == n[best] && s.String() < best.String()) {
				best = s
			}
		}
		return best, true
	}
	to := map[Stratum]Stratum{}
	pool := Stratum{Region: Total, Section: Total, Band: collapsedBand}
	for region, ss := range singles {
		switch {
		case len(ss) >= 2:
			for _, s := range ss {
				to[s] = Stratum{Region: region, Section: Total, Band: collapsedBand}
			}
		default:
			if t, ok := smallest(others[region]); ok {
				to[ss[0]] = t
			} else if t, ok := smallest(all); ok {
				to[ss[0]] = t
			} else {
				to[ss[0]] = pool
			}
		}
	}
	out := make([]Stratum, len(strata))
	for i, s := range strata {
		if t, ok := to[s]; ok {
			out[i] = t
		} else {
			out[i] = s
		}
	}
	return out
}
