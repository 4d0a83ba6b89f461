package demo

import (
	"fmt"
	"math"
)

// eduAgeID is the ID of the synthetic education-by-age table. It is not an
// SSB table number, and cannot be mistaken for one: SSB publishes education
// level by age, but its table is not verified here (DOMAIN.md §1.1 lists
// none), so the demo does not borrow a real-looking number. PxWebApi v2
// table IDs are path segments; the client escapes them and the emulator
// (replay.Cubes in sources/replay) accepts any ID its table.json names.
const eduAgeID = "demo-utdanning-alder"

// Age groups of the education-by-age table: 16-19, five-year groups from 20
// to 64, 65-66 and 67+, written as 07984 and 06445 write theirs (no leading
// zeros).
var (
	eduAgeCodes  = []string{"16-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65-66", "67+"}
	eduAgeLabels = []string{"16-19 år", "20-24 år", "25-29 år", "30-34 år", "35-39 år", "40-44 år", "45-49 år", "50-54 år",
		"55-59 år", "60-64 år", "65-66 år", "67 år eller eldre"}
	// eduAgeProfile is how likely (relative) each level of nivaaCodes is
	// in each age group of eduAgeCodes: few under 20 have more than
	// grunnskole, higher education is commonest at 25-44, the oldest
	// have more grunnskole. A plausible shape, not a published
	// distribution.
	eduAgeProfile = [6][12]float64{
		{8.0, 1.4, 1.0, 0.9, 0.9, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.9},     // 01 grunnskole
		{0.25, 1.1, 0.85, 0.8, 0.85, 0.9, 1.0, 1.1, 1.15, 1.2, 1.2, 1.1}, // 02a videregående
		{0, 0.3, 0.8, 1.0, 1.1, 1.2, 1.2, 1.2, 1.1, 1.0, 0.9, 0.6},       // 11 fagskole
		{0, 0.6, 1.2, 1.3, 1.3, 1.25, 1.15, 1.05, 1.0, 0.95, 0.85, 0.55}, // 03a UH kort
		{0, 0.15, 1.1, 1.5, 1.5, 1.4, 1.2, 1.0, 0.9, 0.8, 0.7, 0.4},      // 04a UH lang
		{1.0, 1.6, 1.6, 1.5, 1.3, 1.1, 0.9, 0.7, 0.6, 0.5, 0.5, 0.8},     // 09a uoppgitt
	}
)

// eduBoth is the 09429 count (both sexes, Personer) of a municipality code
// by level, exactly as t09429 writes it: the real cells for Telemark codes,
// the sum of the two sexes' synthetic counts otherwise. ok is false for a
// level without a number (outside the code's validity, or missing in the
// real file).
func (m *model) eduBoth(r *region, year int) (n [6]int, ok [6]bool) {
	if !r.validIn(year) {
		return n, ok
	}
	if m.realEdu(r, year) {
		for l := range nivaaCodes {
			if c := m.edu[eduKey{code: r.code, level: l, sex: 0, period: year}]; c.ok {
				n[l], ok[l] = int(c.v), true
			}
		}
		return n, ok
	}
	for s := 1; s <= 2; s++ {
		x := m.eduCounts(r, year, s)
		for l := range x {
			n[l] += x[l]
			ok[l] = true
		}
	}
	return n, ok
}

// eduAgeWeights is the synthetic population 16+ of a code by the age
// groups of eduAgeCodes, as weights: the municipality's age profile (as
// 07459, four fifths of 15-19 and two fifths of 65-69 for 65-66) for each
// sex, scaled to the sex's population 16+.
func (m *model) eduAgeWeights(r *region, year int) [12]float64 {
	var w [12]float64
	for s := 1; s <= 2; s++ {
		sh := m.ageShares(r.muni, year, s)
		var g [12]float64
		g[0] = 0.8 * sh[3]
		for i := 1; i <= 9; i++ { // 20-24 … 60-64 are 07459 groups 4 … 12
			g[i] = sh[i+3]
		}
		g[10] = 0.4 * sh[13]
		g[11] = 0.6 * sh[13]
		for _, x := range sh[14:] {
			g[11] += x
		}
		var sum float64
		for _, x := range g {
			sum += x
		}
		pop := float64(m.pop16(r, year, s))
		if m.pop16(r, year, 1)+m.pop16(r, year, 2) == 0 {
			pop = 1 // no sex split known: the profile alone
		}
		for i := range w {
			w[i] += pop * g[i] / sum
		}
	}
	return w
}

// eduAgeSplit splits a code's 09429 counts by age group: [level][age], with
// ok per level. Every level's age groups sum exactly to its 09429 count.
func (m *model) eduAgeSplit(r *region, year int) (out [6][12]int, ok [6]bool) {
	n, ok := m.eduBoth(r, year)
	pop := m.eduAgeWeights(r, year)
	rng := m.rng(eduAgeID, r.code, year)
	for l := range nivaaCodes {
		var w [12]float64
		for a := range w {
			w[a] = pop[a] * eduAgeProfile[l][a] * math.Exp(0.05*rng.NormFloat64())
		}
		if ok[l] {
			copy(out[l][:], allocate(n[l], w[:]))
		}
	}
	return out, ok
}

// tEduAge is the synthetic education-by-age table: 09429's persons 16+ by
// level (both sexes), split by age group. Fully synthetic, but consistent
// with 09429: for every region code, year and level, the age groups sum to
// 09429's Personer (the real ones for Telemark); counties and the nation
// are sums of their municipality codes, as in 09429.
func (m *model) tEduAge(refs []obj) (*table, error) {
	y0 := m.from(firstYear)
	ys := years(y0, lastYear)
	c := newCube(m.regionDim(refs),
		plainDim("Nivaa", "nivå", nivaaCodes, eduLevelLabels, true, ""),
		plainDim("Kjonn", "kjønn", kjonnCodes[:1], kjonnLabels[:1], true, "0"),
		plainDim("Alder", "alder", eduAgeCodes, eduAgeLabels, false, ""),
		contentsDim(content{"Personer", "Personer 16 år og over", "personer", 0, "Stock", "1. oktober"}),
		timeDim("år", ys))
	type key struct{ region, level, year int }
	agg := map[key]*[12]int{}
	for ri, r := range m.regions {
		if r.kind != kindMuni {
			continue
		}
		for yi := range ys {
			split, ok := m.eduAgeSplit(r, y0+yi)
			for l := range nivaaCodes {
				if !ok[l] {
					continue
				}
				for a, n := range split[l] {
					c.set(float64(n), ri, l, 0, a, 0, yi)
				}
				for _, ai := range m.aggIndexes(r) {
					s := agg[key{ai, l, yi}]
					if s == nil {
						s = &[12]int{}
						agg[key{ai, l, yi}] = s
					}
					for a, n := range split[l] {
						s[a] += n
					}
				}
			}
		}
	}
	for ri, r := range m.regions {
		if r.kind == kindMuni {
			continue
		}
		for yi := range ys {
			for l := range nivaaCodes {
				if s := agg[key{ri, l, yi}]; s != nil {
					for a, n := range s {
						c.set(float64(n), ri, l, 0, a, 0, yi)
					}
				}
			}
		}
	}
	return &table{
		id:        eduAgeID,
		title:     fmt.Sprintf("%s: Utdanningsnivå, etter kommune, kjønn og alder (K) %d - %d", eduAgeID, y0, lastYear),
		updated:   "2026-06-11T06:00:00Z",
		subject:   [2]string{"utdanning", "Utdanning"},
		timeUnit:  "Annual",
		synthetic: "full",
		realCells: "ingen",
		notes: []string{
			"Ikke en SSB-tabell: tabellnummeret " + eduAgeID + " er laget for demoen. SSB publiserer utdanningsnivå etter alder, " +
				"men den tabellen er ikke slått opp her; en ekte konfigurasjon må oppgi SSBs tabell og sjekke at aldersgruppene " +
				"til sammen dekker 25-64 år nøyaktig.",
			"Personer 16 år og over per 1. oktober, begge kjønn. For hver kommune, hvert år og hvert nivå er summen over " +
				"aldersgruppene lik Personer i demoutgaven av 09429 (for kommunene i Telemark SSBs ekte tall); fordelingen på alder " +
				"er syntetisk (kommunens syntetiske aldersprofil fra 07459 ganget med en tenkt aldersprofil per nivå). " +
				"Summen over nivåene i en aldersgruppe er ikke tilpasset befolkningen i 07459.",
			noteSums,
		},
		contents: "Personer 16 år og over",
		cube:     c,
	}, nil
}
