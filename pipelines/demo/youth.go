package demo

import (
	"fmt"
	"math"
)

// fileNEET is the real share of young people outside work and education,
// Telemark municipalities 2024 (SSB 13556 via evensrii/Telemark).
const fileNEET = "andel_unge_utenfor_kommuner.csv"

// neetYear is the year of the real NEET shares.
const neetYear = 2024

// readNEET reads andel_unge_utenfor_kommuner.csv (Kommune,Andel
// (2024),Label): 2024 municipality code -> share in per cent. The rows
// "Telemark" and "Hele landet" (the county's and the nation's published
// shares) are returned separately.
func readNEET(dir string, xs []*xwalk) (map[string]float64, map[string]float64, error) {
	rows, err := readCSV(dir, fileNEET, ',')
	if err != nil {
		return nil, nil, err
	}
	const col = "Andel (2024)"
	h, err := header(fileNEET, rows[0], "Kommune", col)
	if err != nil {
		return nil, nil, err
	}
	munis, totals := map[string]float64{}, map[string]float64{}
	for i, r := range rows[1:] {
		name := r[h["Kommune"]]
		c, err := parseNumber(r[h[col]])
		if err != nil || !c.ok {
			return nil, nil, fmt.Errorf("demo: %s: line %d: column %s: bad share %q", fileNEET, i+2, col, r[h[col]])
		}
		if name == "Telemark" || name == "Hele landet" {
			totals[name] = c.v
			continue
		}
		code := ""
		for _, x := range xs {
			if x.name24 == name {
				code = x.code24
			}
		}
		if code == "" {
			return nil, nil, fmt.Errorf("demo: %s: line %d: column Kommune: unknown municipality %q", fileNEET, i+2, name)
		}
		munis[code] = c.v
	}
	return munis, totals, nil
}

// neetBase is the synthetic national NEET share 15-29 (%), with a bump in
// the pandemic years; not a published series.
func neetBase(year int) float64 {
	b := 9.9 - 0.05*float64(year-neetYear)
	if year == 2020 || year == 2021 {
		b += 0.6
	}
	return b
}

// pop1529 is the population 15-29 of a code in year (both sexes), from the
// demo's 07459 age groups 15-19, 20-24 and 25-29.
func (m *model) pop1529(r *region, year int) (int, bool) {
	n := 0
	for s := 1; s <= 2; s++ {
		a, ok := m.ageCounts(r, year, s)
		if !ok {
			return 0, false
		}
		n += a[3] + a[4] + a[5]
	}
	return n, true
}

// neet returns the NEET count, the population 15-29 and the share of a
// municipality code in year; real is true for the 2024 share of a
// Telemark municipality (the count is then that share × the synthetic
// population, rounded).
func (m *model) neet(r *region, year int) (count, pop int, pct float64, real, ok bool) {
	pop, ok = m.pop1529(r, year)
	if !ok || pop == 0 {
		return 0, 0, 0, false, false
	}
	mu := r.muni
	tilt := clamp(-0.8*math.Log10(mu.size/8000)+1.5*m.rng("neet", mu.code).NormFloat64(), -5, 6)
	if s, has := m.neetReal[mu.code]; has {
		tilt = s - neetBase(neetYear) // anchor Telemark's synthetic years on the real share
		if year == neetYear {
			return int(math.Round(float64(pop) * s / 100)), pop, s, true, true
		}
	}
	share := clamp(neetBase(year)+tilt+0.5*m.rng("neet", r.code, year).NormFloat64(), 2, 25)
	count = int(math.Round(float64(pop) * share / 100))
	return count, pop, halfUp(count, pop), false, true
}

// t13556 is "Hovedaktivitet" for young people: residents 15-29 in total
// and neither in work nor in education (NEET), count and share.
func (m *model) t13556(refs []obj) (*table, error) {
	y0 := m.from(2016)
	ys := years(y0, neetYear)
	c := newCube(m.regionDim(refs),
		plainDim("HovArbStyrkStatus", "hovedaktivitet", []string{"TOT", "NEET"},
			[]string{"I alt", "Verken i arbeid eller utdanning (NEET)"}, true, "TOT"),
		plainDim("Alder", "alder", []string{"15-29"}, []string{"15-29 år"}, false, ""),
		contentsDim(
			content{"Bosatte", "Bosatte (antall)", "personer", 0, "Stock", "4. kvartal"},
			content{"BosatteProsent", "Bosatte (prosent)", "prosent", 1, "Stock", "4. kvartal"}),
		timeDim("år", ys))
	type sums struct{ neet, pop int }
	agg := map[[2]int]*sums{} // region, year
	for ri, r := range m.regions {
		if r.kind != kindMuni {
			continue
		}
		for yi := range ys {
			n, pop, pct, _, ok := m.neet(r, y0+yi)
			if !ok {
				continue
			}
			c.set(float64(pop), ri, 0, 0, 0, yi)
			c.set(100, ri, 0, 0, 1, yi)
			c.set(float64(n), ri, 1, 0, 0, yi)
			c.set(pct, ri, 1, 0, 1, yi)
			for _, ai := range m.aggIndexes(r) {
				s := agg[[2]int{ai, yi}]
				if s == nil {
					s = &sums{}
					agg[[2]int{ai, yi}] = s
				}
				s.neet += n
				s.pop += pop
			}
		}
	}
	for ri, r := range m.regions {
		if r.kind == kindMuni {
			continue
		}
		for yi := range ys {
			if s := agg[[2]int{ri, yi}]; s != nil && s.pop > 0 {
				c.set(float64(s.pop), ri, 0, 0, 0, yi)
				c.set(100, ri, 0, 0, 1, yi)
				c.set(float64(s.neet), ri, 1, 0, 0, yi)
				c.set(halfUp(s.neet, s.pop), ri, 1, 0, 1, yi)
			}
		}
	}
	return &table{
		id:        "13556",
		title:     fmt.Sprintf("13556: Personer 15-29 år, etter hovedaktivitet (NEET) (K) %d - %d", y0, neetYear),
		updated:   "2025-11-20T07:00:00Z",
		subject:   [2]string{"arbeid", "Arbeid og lønn"},
		timeUnit:  "Annual",
		synthetic: "partial",
		realCells: fmt.Sprintf("Bosatte (prosent), NEET, 15-29 år, %d, for de 17 kommunene i Telemark (40xx), ", neetYear) +
			"fra Telemark fylkeskommune (github.com/evensrii/Telemark), testdata/demo/source/" + fileNEET + "; " +
			"antall i de samme cellene er syntetiske (den ekte prosenten × syntetisk befolkning 15-29 år, avrundet)",
		notes: []string{
			"Bosatte 15-29 år (I alt) er summen av aldersgruppene 15-19, 20-24 og 25-29 år i demoutgaven av 07459. " +
				fmt.Sprintf("Publiserte andeler %d: Telemark %.1f, hele landet %.1f; i demoen er fylkes- og landstallene ", neetYear, m.neetTotals["Telemark"], m.neetTotals["Hele landet"]) +
				"summer over kommunene, og prosenten er beregnet av summene.",
			noteSums,
		},
		contents: "Bosatte",
		cube:     c,
	}, nil
}

// ageGroups07984 are the age groups of 07984.
var (
	ageGroups07984 = []string{"15-19", "20-24", "25-39", "40-54", "55-66", "67-74"}
	ageLabels07984 = []string{"15-19 år", "20-24 år", "25-39 år", "40-54 år", "55-66 år", "67-74 år"}
	// ageBase07984 is the synthetic national age profile (%) of the
	// employed, and ageTiltNace how much older (> 0) or younger each
	// industry of naceCodes[1:] is; plausible shapes, not published.
	ageBase07984 = [6]float64{3, 8, 33, 33, 21, 2}
	ageTiltNace  = [16]float64{0.5, 0, 0.1, 0.2, -0.1, -0.4, 0.2, -0.8, -0.3, 0, 0, -0.2, 0.3, 0.3, 0, -0.1}
)

// employedByAge splits a municipality code's employed residents 15-74 in
// year (06445's synthetic count) by industry (the municipality's profile)
// and age group: [industry][age]. ok is false outside the code's validity.
func (m *model) employedByAge(r *region, year int) ([16][6]int, bool) {
	var out [16][6]int
	e, _, _, _, ok := m.employed(r, year, 0)
	if !ok {
		return out, false
	}
	parts := allocate(e, r.muni.industry[:])
	rng := m.rng("07984", r.muni.code)
	old := r.muni.ageTilt + 0.1*rng.NormFloat64()
	for g, n := range parts {
		w := ageBase07984
		f := ageTiltNace[g] + old
		w[4] *= math.Exp(f)
		w[5] *= math.Exp(1.5 * f)
		w[0] *= math.Exp(-f)
		w[1] *= math.Exp(-f)
		a := allocate(n, w[:])
		copy(out[g][:], a)
	}
	return out, true
}

// t07984 is employed residents by age group and industry (fully
// synthetic).
func (m *model) t07984(refs []obj) (*table, error) {
	from, to := m.from(2020), 2024
	ys := years(from, to)
	c := newCube(m.regionDim(refs),
		plainDim("NACE2007", "næring (SN2007)", naceCodes, naceLabels, true, "00-99"),
		plainDim("Alder", "alder", ageGroups07984, ageLabels07984, false, ""),
		contentsDim(content{"Sysselsatte", "Sysselsatte per 4. kvartal", "personer", 0, "Stock", "4. kvartal"}),
		timeDim("år", ys))
	type key struct{ region, nace, age, year int }
	agg := map[key]int{}
	has := map[[2]int]bool{}
	for ri, r := range m.regions {
		if r.kind != kindMuni {
			continue
		}
		for yi := range ys {
			e, ok := m.employedByAge(r, from+yi)
			if !ok {
				continue
			}
			into := m.aggIndexes(r)
			for a := range ageGroups07984 {
				tot := 0
				for g := range e {
					n := e[g][a]
					tot += n
					c.set(float64(n), ri, g+1, a, 0, yi)
					for _, ai := range into {
						agg[key{ai, g + 1, a, yi}] += n
					}
				}
				c.set(float64(tot), ri, 0, a, 0, yi)
				for _, ai := range into {
					agg[key{ai, 0, a, yi}] += tot
					has[[2]int{ai, yi}] = true
				}
			}
		}
	}
	for ri, r := range m.regions {
		if r.kind == kindMuni {
			continue
		}
		for yi := range ys {
			if !has[[2]int{ri, yi}] {
				continue
			}
			for g := range naceCodes {
				for a := range ageGroups07984 {
					c.set(float64(agg[key{ri, g, a, yi}]), ri, g, a, 0, yi)
				}
			}
		}
	}
	return &table{
		id:        "07984",
		title:     fmt.Sprintf("07984: Sysselsatte per 4. kvartal, etter bostedskommune, næring (SN2007) og alder (K) %d - %d", from, to),
		updated:   "2025-06-24T06:00:00Z",
		subject:   [2]string{"arbeid", "Arbeid og lønn"},
		timeUnit:  "Annual",
		synthetic: "full",
		realCells: "ingen",
		notes: []string{
			"Sysselsatte etter bosted. Summen over næringer og aldersgrupper er antallet sysselsatte 15-74 år i demoutgaven av 06445; " +
				"«Alle næringer» (00-99) er summen av de 16 næringsgruppene.",
			noteSums,
		},
		contents: "Sysselsatte",
		cube:     c,
	}, nil
}
