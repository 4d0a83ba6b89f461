package demo

import (
	"fmt"
	"math"
	"strconv"
)

// Codes of the completion table (SSB 14863, in the shape of 12971).
// FullforingVGO 1a, 2a and 4b are the completed categories and UtdProgram
// 00 is all programmes (DOMAIN.md §1.1, verified for 12971); the other
// FullforingVGO codes, the programme-type codes 01 and 02 and the
// ContentsCode Personer are NOT verified against SSB (the demo's guess).
var (
	fullforingCodes  = []string{"1a", "2a", "4b", "3a", "4a", "5a"}
	fullforingLabels = []string{"Fullført på normert tid", "Fullført på mer enn normert tid",
		"Fullført med kompetanse på lavere nivå", "Fortsatt i videregående opplæring",
		"Fullført, ikke bestått", "Sluttet underveis"}
	progTypeCodes  = []string{"00", "01", "02"}
	progTypeLabels = []string{"Alle utdanningsprogram", "Studieforberedende utdanningsprogram", "Yrkesfaglige utdanningsprogram"}
	// completionProfile is the synthetic national split (%) of a cohort
	// over fullforingCodes, for studieforberedende and yrkesfag; plausible
	// shapes (completed within five years about 88 and 70 %), not
	// published figures.
	completionProfile = [2][6]float64{
		{80, 7, 1, 2, 4, 6},
		{50, 17, 3, 6, 7, 17},
	}
)

// completionCohorts are the cohort spans of the table: start year to the
// year six years after (five for pupils, six for apprentices), as SSB
// writes them; the start years are 2014-2018 in the bundled demo
// ("2014-2020" ... "2018-2024").
func (m *model) completionCohorts() []string {
	var out []string
	for y := m.from(2014); y <= 2018; y++ {
		out = append(out, fmt.Sprintf("%d-%d", y, y+6))
	}
	return out
}

// cohortSize is the synthetic number of pupils of a county starting upper
// secondary in year: a fifth of its population 15-19 (07459's model, all
// municipality codes of the county valid that year).
func (m *model) cohortSize(county string, year int) int {
	n := 0
	for _, r := range m.regions {
		if r.kind != kindMuni || r.county != county || !r.validIn(year) {
			continue
		}
		for s := 1; s <= 2; s++ {
			if a, ok := m.ageCounts(r, year, s); ok {
				n += a[3]
			}
		}
	}
	return int(math.Round(float64(n) / 5))
}

// t14863 is completion of upper secondary by county (today's counties),
// programme type and outcome, counts and shares, for five cohorts; fully
// synthetic.
func (m *model) t14863(refs []obj) (*table, error) {
	completionCohorts := m.completionCohorts()
	var codes, labels []string
	var idx []int
	for i, r := range m.regions {
		if r.kind != kindMuni {
			codes, labels, idx = append(codes, r.code), append(labels, r.label), append(idx, i)
		}
	}
	region := &dimension{id: "Region", label: "region", codes: codes, labels: labels,
		ext: obj{{"elimination", false}, {"show", "value"}, {"codelists", refs}}}
	c := newCube(region,
		plainDim("FullforingVGO", "fullføringsgrad", fullforingCodes, fullforingLabels, false, ""),
		plainDim("UtdProgram", "utdanningsprogram", progTypeCodes, progTypeLabels, true, "00"),
		plainDim("Kjonn", "kjønn", kjonnCodes[:1], kjonnLabels[:1], true, "0"),
		contentsDim(
			content{"Personer", "Elever og lærlinger (antall)", "personer", 0, "Stock", "1. oktober i startåret"},
			content{"Prosent", "Elever og lærlinger (prosent)", "prosent", 1, "Stock", "1. oktober i startåret"}),
		timeDim("kull", completionCohorts))
	nation := make([][3][6]int, len(completionCohorts))
	nationRow := -1
	for ri, i := range idx {
		r := m.regions[i]
		if r.kind == kindNation {
			nationRow = ri
			continue
		}
		for ti, span := range completionCohorts {
			start, _ := strconv.Atoi(span[:4])
			size := m.cohortSize(r.code, start)
			if size == 0 {
				continue
			}
			rng := m.rng("14863", r.code, span)
			studie := clamp(0.5+0.05*m.rng("14863", r.code).NormFloat64()+0.01*rng.NormFloat64(), 0.3, 0.7)
			split := allocate(size, []float64{studie, 1 - studie})
			var n [3][6]int
			for p := range 2 {
				w := completionProfile[p]
				shift := 0.06*m.rng("14863", r.code, p).NormFloat64() + 0.02*rng.NormFloat64() + 0.004*float64(start-2018)
				for k := range w {
					if k < 3 {
						w[k] *= math.Exp(shift)
					} else {
						w[k] *= math.Exp(-shift)
					}
				}
				copy(n[p+1][:], allocate(split[p], w[:]))
			}
			for k := range n[0] {
				n[0][k] = n[1][k] + n[2][k]
			}
			m.setCompletion(c, n, ri, ti)
			for p := range n {
				for k := range n[p] {
					nation[ti][p][k] += n[p][k]
				}
			}
		}
	}
	for ti := range completionCohorts {
		m.setCompletion(c, nation[ti], nationRow, ti)
	}
	return &table{
		id:        "14863",
		title:     fmt.Sprintf("14863: Gjennomføring i videregående opplæring, etter fylke, utdanningsprogram og fullføringsgrad (F) %s - %s", completionCohorts[0], completionCohorts[len(completionCohorts)-1]),
		updated:   "2025-06-05T06:00:00Z",
		subject:   [2]string{"utdanning", "Utdanning"},
		timeUnit:  "Annual",
		synthetic: "full",
		realCells: "ingen",
		notes: []string{
			"Elever og lærlinger som startet i videregående opplæring for første gang i startåret, etter status fem år etter (seks for lærlinger), " +
				"etter dagens fylker. Fullført (1a, 2a, 4b) er summen av de tre første kategoriene. Kullstørrelsen er en femdel av befolkningen " +
				"15-19 år i fylket i startåret i demoutgaven av 07459; fordelingen på programtyper og kategorier er syntetisk. " +
				"Alle utdanningsprogram (00) er summen av 01 og 02; hele landet er summen av fylkene. Prosent er antall delt på kullet i programtypen, avrundet til én desimal.",
			"Tabellnummeret 14863 (etter dagens fylker) er fra tredjepartskilder, ikke verifisert. Kodene FullforingVGO 1a, 2a, 4b og UtdProgram 00 " +
				"er verifisert for SSB 12971; kodene 3a, 4a, 5a, UtdProgram 01 (studieforberedende) og 02 (yrkesfag) og ContentsCode Personer er ikke verifisert.",
		},
		contents: "Elever og lærlinger",
		cube:     c,
	}, nil
}

// setCompletion writes one region's counts and shares of a cohort.
func (m *model) setCompletion(c *cube, n [3][6]int, ri, ti int) {
	for p := range n {
		total := 0
		for _, x := range n[p] {
			total += x
		}
		if total == 0 {
			continue
		}
		for k, x := range n[p] {
			c.set(float64(x), ri, k, p, 0, 0, ti)
			c.set(halfUp(x, total), ri, k, p, 0, 1, ti)
		}
	}
}
