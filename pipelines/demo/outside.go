package demo

import (
	"fmt"
	"math"
)

// outsideBase3061 is the synthetic national share (%) of residents 30-61
// neither in work nor in education, with a bump in the pandemic years; a
// plausible level, not a published series.
func outsideBase3061(year int) float64 {
	b := 11.5 - 0.05*float64(year-neetYear)
	if year == 2020 || year == 2021 {
		b += 0.4
	}
	return b
}

// pop3061 is the population 30-61 of a code in year (both sexes), from the
// demo's 07459 age groups 30-34 ... 55-59 and two fifths of 60-64 (ages 60
// and 61).
func (m *model) pop3061(r *region, year int) (int, bool) {
	n := 0
	for s := 1; s <= 2; s++ {
		a, ok := m.ageCounts(r, year, s)
		if !ok {
			return 0, false
		}
		for g := 6; g <= 11; g++ {
			n += a[g]
		}
		n += int(math.Round(0.4 * float64(a[12])))
	}
	return n, true
}

// outside3061 returns the synthetic count outside work and education and
// the population 30-61 of a municipality code in year. The share follows
// the municipality's 15-29 NEET tilt at half its strength.
func (m *model) outside3061(r *region, year int) (count, pop int, ok bool) {
	pop, ok = m.pop3061(r, year)
	if !ok || pop == 0 {
		return 0, 0, false
	}
	mu := r.muni
	tilt := clamp(-0.5*math.Log10(mu.size/8000)+1.0*m.rng("outside3061", mu.code).NormFloat64(), -4, 5)
	share := clamp(outsideBase3061(year)+tilt+0.4*m.rng("outside3061", r.code, year).NormFloat64(), 3, 25)
	return int(math.Round(float64(pop) * share / 100)), pop, true
}

// t13563 is residents by labour-force status and age (SSB 13563's shape:
// HovArbStyrkStatus TOT3 and NEET2, Alder 15-29 and 30-61, ContentsCode
// Bosatte and BosatteProsent). The 15-29 cells are 13556's (TOT = TOT3,
// NEET = NEET2, its real 2024 Telemark shares included); 30-61 is fully
// synthetic.
func (m *model) t13563(refs []obj) (*table, error) {
	y0 := m.from(2016)
	ys := years(y0, neetYear)
	c := newCube(m.regionDim(refs),
		plainDim("HovArbStyrkStatus", "arbeidsstyrkestatus", []string{"TOT3", "NEET2"},
			[]string{"I alt", "Verken i arbeid eller utdanning"}, true, "TOT3"),
		plainDim("Alder", "alder", []string{"15-29", "30-61"}, []string{"15-29 år", "30-61 år"}, false, ""),
		contentsDim(
			content{"Bosatte", "Bosatte (antall)", "personer", 0, "Stock", "4. kvartal"},
			content{"BosatteProsent", "Bosatte (prosent)", "prosent", 1, "Stock", "4. kvartal"}),
		timeDim("år", ys))
	type sums struct{ out, pop int }
	agg := map[[3]int]*sums{} // region, age, year
	for ri, r := range m.regions {
		if r.kind != kindMuni {
			continue
		}
		for yi := range ys {
			year := y0 + yi
			for age := range 2 {
				var n, pop int
				var ok bool
				if age == 0 {
					n, pop, _, _, ok = m.neet(r, year)
				} else {
					n, pop, ok = m.outside3061(r, year)
				}
				if !ok {
					continue
				}
				c.set(float64(pop), ri, 0, age, 0, yi)
				c.set(100, ri, 0, age, 1, yi)
				c.set(float64(n), ri, 1, age, 0, yi)
				c.set(halfUp(n, pop), ri, 1, age, 1, yi)
				for _, ai := range m.aggIndexes(r) {
					s := agg[[3]int{ai, age, yi}]
					if s == nil {
						s = &sums{}
						agg[[3]int{ai, age, yi}] = s
					}
					s.out += n
					s.pop += pop
				}
			}
		}
	}
	for ri, r := range m.regions {
		if r.kind == kindMuni {
			continue
		}
		for yi := range ys {
			for age := range 2 {
				if s := agg[[3]int{ri, age, yi}]; s != nil && s.pop > 0 {
					c.set(float64(s.pop), ri, 0, age, 0, yi)
					c.set(100, ri, 0, age, 1, yi)
					c.set(float64(s.out), ri, 1, age, 0, yi)
					c.set(halfUp(s.out, s.pop), ri, 1, age, 1, yi)
				}
			}
		}
	}
	return &table{
		id:        "13563",
		title:     fmt.Sprintf("13563: Personer 15-61 år, etter arbeidsstyrkestatus og alder (K) %d - %d", y0, neetYear),
		updated:   "2025-11-20T07:00:00Z",
		subject:   [2]string{"arbeid", "Arbeid og lønn"},
		timeUnit:  "Annual",
		synthetic: "partial",
		realCells: fmt.Sprintf("Bosatte (prosent), NEET2, 15-29 år, %d, for de 17 kommunene i Telemark (40xx), ", neetYear) +
			"de samme som i demoutgaven av 13556 (testdata/demo/source/" + fileNEET + "); " +
			"antall i de samme cellene og alle celler for 30-61 år er syntetiske",
		notes: []string{
			"15-29 år er de samme tallene som i demoutgaven av 13556 (TOT3 = TOT, NEET2 = NEET). " +
				"Bosatte 30-61 år (I alt) er aldersgruppene 30-34 til 55-59 år og to femdeler av 60-64 år i demoutgaven av 07459; " +
				"andelen utenfor arbeid og utdanning 30-61 år er syntetisk. Fylkes- og landstallene er summer over kommunene, " +
				"og prosenten er beregnet av summene.",
			"ContentsCode-kodene (Bosatte, BosatteProsent) er ikke verifisert mot SSBs tabell 13563; " +
				"HovArbStyrkStatus (TOT3, NEET2) og Alder (15-29, 30-61) er det (DOMAIN.md §1.1).",
			noteSums,
		},
		contents: "Bosatte",
		cube:     c,
	}, nil
}
