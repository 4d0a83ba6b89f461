package demo

import (
	"fmt"
	"math"
	"strconv"
)

// Tables of the welfare and adult-learning indicators. None of their IDs
// or codes is verified against SSB or NAV (DOMAIN.md names no table for
// them); see each table's notes.
const (
	// uforeID is a demo table of disability-benefit recipients by
	// municipality: NAV publishes the figures (nav.no, "Mottakere av
	// uføretrygd"), but no SSB StatBank table for them is verified here, so
	// the ID cannot be mistaken for a StatBank number.
	uforeID = "demo-ufore"
	// evuID is a demo table of residents 25-64 registered in formal
	// education (SSB's register of pupils and students); no StatBank table
	// for it is verified here.
	evuID = "demo-evu"
	// lowIncomeID is SSB 12944, persons in households with persistent low
	// income (EU-60), three-year periods: the ID, the Alder codes and the
	// period format are from third-party code (not verified); the
	// ContentsCode codes are the demo's.
	lowIncomeID = "12944"
)

// popBand is the population of a code in year (both sexes) aged from..to
// inclusive, from the demo's 07459 five-year groups (a group cut by the
// band counts by its share of single years, rounded per sex).
func (m *model) popBand(r *region, year, from, to int) (int, bool) {
	n := 0
	for s := 1; s <= 2; s++ {
		a, ok := m.ageCounts(r, year, s)
		if !ok {
			return 0, false
		}
		var x float64
		for g, v := range a {
			lo, hi := 5*g, 5*g+4
			if g == len(a)-1 {
				hi = 120
			}
			l, h := max(lo, from), min(hi, to)
			if l > h {
				continue
			}
			x += float64(v) * float64(h-l+1) / float64(hi-lo+1)
		}
		n += int(math.Round(x))
	}
	return n, true
}

// shareCounts returns a synthetic count of pop at a national share base
// (%) with a municipality tilt (spread sd, more in small places when small
// > 0) and yearly noise, clamped to [lo, hi] per cent.
func (m *model) shareCounts(key string, r *region, period string, pop int, base, sd, small, lo, hi float64) int {
	mu := r.muni
	tilt := -small*math.Log10(mu.size/8000) + sd*m.rng(key, mu.code).NormFloat64()
	share := clamp(base+tilt+0.15*sd*m.rng(key, r.code, period).NormFloat64(), lo, hi)
	return int(math.Round(float64(pop) * share / 100))
}

// countTable is a municipal table of counts whose counties and nation are
// the sums of their municipality codes: cells[region][period][k] for the
// k-th non-region, non-time cell.
type countTable struct {
	m       *model
	periods []string
	k       int
	sums    map[[3]int]int
	has     map[[2]int]bool
}

func (m *model) newCountTable(periods []string, k int) *countTable {
	return &countTable{m: m, periods: periods, k: k, sums: map[[3]int]int{}, has: map[[2]int]bool{}}
}

// add records a municipality code's count of cell k in period pi into its
// county and the nation.
func (t *countTable) add(r *region, pi, k, n int) {
	for _, ai := range t.m.aggIndexes(r) {
		t.sums[[3]int{ai, pi, k}] += n
		t.has[[2]int{ai, pi}] = true
	}
}

// sum returns the aggregate of region index ri.
func (t *countTable) sum(ri, pi, k int) (int, bool) {
	return t.sums[[3]int{ri, pi, k}], t.has[[2]int{ri, pi}]
}

// fillBandShare fills a cube of two contents (a synthetic count of persons
// aged lo-hi, then that population) over years ys: each municipality's
// count from shareCounts around base(year) per cent (sd, small, loPct and
// hiPct as shareCounts takes them), each county and the nation the sum of
// their municipalities.
func (m *model) fillBandShare(c *cube, ys []string, key string, lo, hi int, base func(year int) float64, sd, small, loPct, hiPct float64) {
	t := m.newCountTable(ys, 2)
	for ri, r := range m.regions {
		if r.kind != kindMuni {
			continue
		}
		for yi, y := range ys {
			year, _ := strconv.Atoi(y)
			pop, ok := m.popBand(r, year, lo, hi)
			if !ok || pop == 0 {
				continue
			}
			n := m.shareCounts(key, r, y, pop, base(year), sd, small, loPct, hiPct)
			c.set(float64(n), ri, 0, 0, yi)
			c.set(float64(pop), ri, 0, 1, yi)
			t.add(r, yi, 0, n)
			t.add(r, yi, 1, pop)
		}
	}
	for ri, r := range m.regions {
		if r.kind == kindMuni {
			continue
		}
		for yi := range ys {
			for k := range 2 {
				if n, ok := t.sum(ri, yi, k); ok {
					c.set(float64(n), ri, 0, k, yi)
				}
			}
		}
	}
}

// tUfore is recipients of disability benefit (uføretrygd) aged 18-66 and
// the population 18-66 at the end of the year, by municipality (fully
// synthetic, demo-ufore).
func (m *model) tUfore(refs []obj) (*table, error) {
	ys := years(m.from(2016), 2024)
	c := newCube(m.regionDim(refs),
		plainDim("Alder", "alder", []string{"18-66"}, []string{"18-66 år"}, false, ""),
		contentsDim(
			content{"UforeMottakere", "Mottakere av uføretrygd", "personer", 0, "Stock", "31. desember"},
			content{"Befolkning", "Befolkning", "personer", 0, "Stock", "31. desember"}),
		timeDim("år", ys))
	m.fillBandShare(c, ys, "ufore", 18, 66, func(year int) float64 { return 10.0 + 0.08*float64(year-2016) }, 2.2, 0.8, 3, 22)
	return &table{
		id:        uforeID,
		title:     "demo-ufore: Mottakere av uføretrygd 18-66 år og befolkningen 18-66 år, etter bostedskommune (K) " + ys[0] + " - 2024",
		updated:   "2025-03-20T07:00:00Z",
		subject:   [2]string{"sosiale forhold", "Sosiale forhold og kriminalitet"},
		timeUnit:  "Annual",
		synthetic: "full",
		realCells: "ingen",
		notes: []string{
			"IKKE EN SSB-TABELL: tabellnummeret er laget for demoen. NAV publiserer mottakere av uføretrygd etter fylke og kommune " +
				"(nav.no, statistikk om uføretrygd), men ingen SSB-tabell med dem er verifisert her.",
			"Befolkning 18-66 år er fordelt fra femårsgruppene i demoutgaven av 07459 (enkeltår jevnt fordelt i gruppen). " +
				"Andelen mottakere er syntetisk (landsnivå rundt 10-11 prosent). Fylkestall og tallet for hele landet er summer over kommunene.",
		},
		contents: "Mottakere av uføretrygd",
		cube:     c,
	}, nil
}

// tEVU is residents aged 25-64 registered in formal education on 1
// October (upper secondary, fagskole or higher education) and the
// population 25-64, by municipality (fully synthetic, demo-evu).
func (m *model) tEVU(refs []obj) (*table, error) {
	ys := years(m.from(2016), 2024)
	c := newCube(m.regionDim(refs),
		plainDim("Alder", "alder", []string{"25-64"}, []string{"25-64 år"}, false, ""),
		contentsDim(
			content{"IUtdanning", "Personer i formell utdanning", "personer", 0, "Stock", "1. oktober"},
			content{"Befolkning", "Befolkning", "personer", 0, "Stock", "1. oktober"}),
		timeDim("år", ys))
	m.fillBandShare(c, ys, "evu", 25, 64, func(year int) float64 { return 7.5 + 0.1*float64(year-2016) }, 1.2, -0.6, 2, 16)
	return &table{
		id:        evuID,
		title:     "demo-evu: Personer 25-64 år i formell utdanning og befolkningen 25-64 år, etter bostedskommune (K) " + ys[0] + " - 2024",
		updated:   "2025-06-10T06:00:00Z",
		subject:   [2]string{"utdanning", "Utdanning"},
		timeUnit:  "Annual",
		synthetic: "full",
		realCells: "ingen",
		notes: []string{
			"IKKE EN SSB-TABELL: tabellnummeret er laget for demoen. Registertall over personer 25-64 år registrert i formell utdanning " +
				"(videregående, fagskole, universitet og høyskole) per 1. oktober finnes i SSBs utdanningsregistre, men ingen tabell er verifisert her. " +
				"Ikke-formell opplæring (kurs) måles bare i Lærevilkårsmonitoren, en utvalgsundersøkelse uten kommunetall.",
			"Befolkning 25-64 år er femårsgruppene 25-29 til 60-64 år i demoutgaven av 07459. Andelen i utdanning er syntetisk " +
				"(landsnivå rundt 8 prosent). Fylkestall og tallet for hele landet er summer over kommunene.",
		},
		contents: "Personer i formell utdanning",
		cube:     c,
	}, nil
}

// Age groups of 12944 (third-party code: 999A all ages, 00-17, 18-34,
// 35-49, 50-66, 067+) and their bands in years.
var (
	lowIncomeAges      = []string{"999A", "00-17", "18-34", "35-49", "50-66", "067+"}
	lowIncomeAgeLabels = []string{"Alle aldre", "0-17 år", "18-34 år", "35-49 år", "50-66 år", "67 år eller eldre"}
	lowIncomeBands     = [][2]int{{0, 120}, {0, 17}, {18, 34}, {35, 49}, {50, 66}, {67, 120}}
	// lowIncomeBase is the synthetic national share (%) in persistent low
	// income of each age group; plausible, not published.
	lowIncomeBase = []float64{0, 10.5, 12, 8, 5.5, 7}
)

// tLowIncome is persons in households with persistent low income (EU-60,
// three-year periods) and the share, by municipality and age group (SSB
// 12944's shape; fully synthetic).
func (m *model) tLowIncome(refs []obj) (*table, error) {
	var ps []string
	for y := m.from(2016); y <= 2022; y++ {
		ps = append(ps, fmt.Sprintf("%d-%d", y, y+2))
	}
	c := newCube(m.regionDim(refs),
		plainDim("Alder", "alder", lowIncomeAges, lowIncomeAgeLabels, true, "999A"),
		contentsDim(
			content{"VedvarendeLav", "Personer i husholdninger med vedvarende lavinntekt (EU-60)", "personer", 0, "Stock", "31. desember i siste år"},
			content{"VedvarendeLavProsent", "Personer i husholdninger med vedvarende lavinntekt (EU-60) (prosent)", "prosent", 1, "Stock", "31. desember i siste år"}),
		timeDim("treårsperiode", ps))
	// k: 0..5 low-income counts by age, 6..11 the base population by age.
	t := m.newCountTable(ps, 12)
	for ri, r := range m.regions {
		if r.kind != kindMuni {
			continue
		}
		for pi, p := range ps {
			start, _ := strconv.Atoi(p[:4])
			// A period is published on the boundaries of its first year
			// (grunnlag's default period date).
			if !r.validIn(start) {
				continue
			}
			var tot, totPop int
			ok := true
			var n, pop [6]int
			for a := 1; a < len(lowIncomeAges); a++ {
				// Persons in private households, students' households
				// excluded: a synthetic 96 % of the population.
				x, has := m.popBand(r, start, lowIncomeBands[a][0], lowIncomeBands[a][1])
				if !has {
					ok = false
					break
				}
				pop[a] = int(math.Round(0.96 * float64(x)))
				n[a] = m.shareCounts("lavinntekt"+lowIncomeAges[a], r, p, pop[a], lowIncomeBase[a]-0.05*float64(start-2016), 2.5, 0.3, 0.5, 30)
				tot += n[a]
				totPop += pop[a]
			}
			if !ok || totPop == 0 {
				continue
			}
			n[0], pop[0] = tot, totPop
			for a := range lowIncomeAges {
				c.set(float64(n[a]), ri, a, 0, pi)
				if pop[a] > 0 {
					c.set(halfUp(n[a], pop[a]), ri, a, 1, pi)
				}
				t.add(r, pi, a, n[a])
				t.add(r, pi, 6+a, pop[a])
			}
		}
	}
	for ri, r := range m.regions {
		if r.kind == kindMuni {
			continue
		}
		for pi := range ps {
			for a := range lowIncomeAges {
				n, ok := t.sum(ri, pi, a)
				pop, _ := t.sum(ri, pi, 6+a)
				if ok && pop > 0 {
					c.set(float64(n), ri, a, 0, pi)
					c.set(halfUp(n, pop), ri, a, 1, pi)
				}
			}
		}
	}
	return &table{
		id:        lowIncomeID,
		title:     fmt.Sprintf("12944: Personer i husholdninger med vedvarende lavinntekt (EU-60), etter kommune og alder. Treårsperiode (K) %s - %s", ps[0], ps[len(ps)-1]),
		updated:   "2025-12-11T07:00:00Z",
		subject:   [2]string{"inntekt og forbruk", "Inntekt og forbruk"},
		timeUnit:  "Annual",
		synthetic: "full",
		realCells: "ingen",
		notes: []string{
			"Vedvarende lavinntekt: inntekt etter skatt per forbruksenhet (EU-skala) under 60 prosent av medianen i gjennomsnitt over treårsperioden. " +
				"Personer i studenthusholdninger er ikke med.",
			"Tabellnummeret 12944, Alder-kodene og periodeformatet er fra tredjepartskode, ikke verifisert mot SSB; ContentsCode-kodene " +
				"(VedvarendeLav, VedvarendeLavProsent) er demoens egne. Nevneren (personer i privathusholdninger unntatt studenthusholdninger) er " +
				"syntetisk 96 prosent av befolkningen i aldersgruppen i periodens første år i demoutgaven av 07459; andelene er syntetiske.",
			"Kommunetall står under kommunenummeret som gjaldt i periodens første år. Alle aldre (999A) er summen av aldersgruppene; " +
				"fylkestall og tallet for hele landet er summer over kommunene, og prosenten er beregnet av summene.",
		},
		contents: "Personer",
		cube:     c,
	}, nil
}
