package needs

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Wilson returns the Wilson score interval for a share p observed on n
// units at normal quantile z (1.959964 for 95 %):
//
//	centre = (p + z²/(2n)) / (1 + z²/n)
//	half   = z/(1 + z²/n) * sqrt(p(1-p)/n + z²/(4n²))
//
// For a weighted share, p is the weighted share and n the number of
// responding firms (the interval ignores the design effect of the
// weights; see the package doc). n = 0 gives (0, 1).
func Wilson(p float64, n int, z float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	nf := float64(n)
	z2 := z * z
	d := 1 + z2/nf
	c := (p + z2/(2*nf)) / d
	h := z / d * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return math.Max(0, c-h), math.Min(1, c+h)
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
// strata B times with a PCG seeded by seed (reproducible). firms[i] lists
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
	for i, s := range strata {
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
