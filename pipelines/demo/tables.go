package demo

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Category codes of the demo tables (DOMAIN.md §1).
var (
	nivaaCodes  = []string{"01", "02a", "11", "03a", "04a", "09a"}
	kjonnCodes  = []string{"0", "1", "2"}
	kjonnLabels = []string{"Begge kjønn", "Menn", "Kvinner"}
	naceCodes   = []string{"00-99", "01-03", "05-09", "10-33", "35-39", "41-43", "45-47", "49-53",
		"55-56", "58-63", "64-66", "68-75", "77-82", "84", "85", "86-88", "90-99"}
	naceLabels = []string{"Alle næringer", "Jordbruk, skogbruk og fiske", "Bergverksdrift og utvinning",
		"Industri", "Elektrisitet, vann og renovasjon", "Bygge- og anleggsvirksomhet",
		"Varehandel, reparasjon av motorvogner", "Transport og lagring",
		"Overnattings- og serveringsvirksomhet", "Informasjon og kommunikasjon",
		"Finansiering og forsikring", "Teknisk tjenesteyting, eiendomsdrift",
		"Forretningsmessig tjenesteyting",
		"Offentlig administrasjon og forsvar, og trygdeordninger underlagt offentlig forvaltning",
		"Undervisning", "Helse- og sosialtjenester", "Personlig tjenesteyting"}
	// naceBase is the synthetic national share (%) of each group of
	// naceCodes[1:], a plausible profile, not a published distribution.
	naceBase = [16]float64{2, 2, 8, 1.5, 8, 13, 5, 3.5, 4, 2, 7, 5, 6, 8, 22, 3}
	// 07459 age groups.
	ageCodes, ageLabels = ageGroups()
	// ageBase is the synthetic share (%) of each age group, a plausible
	// Norwegian-looking profile, not a published distribution.
	ageBase = [19]float64{5.3, 5.8, 6.2, 6.1, 6.3, 6.6, 6.9, 6.8, 6.5, 6.6, 6.8, 6.5, 5.8, 5.3, 5.0, 4.2, 2.6, 1.3, 0.8}
)

// Level indices into nivaaCodes.
const (
	lvlGrunn = iota
	lvlVgs
	lvlFag
	lvlUHKort
	lvlUHLang
	lvlUoppgitt
)

func ageGroups() (codes, labels []string) {
	for a := 0; a < 90; a += 5 {
		codes = append(codes, fmt.Sprintf("%03d-%03d", a, a+4))
		labels = append(labels, fmt.Sprintf("%d-%d år", a, a+4))
	}
	return append(codes, "090+"), append(labels, "90 år eller eldre")
}

func years(from, to int) []string {
	var out []string
	for y := from; y <= to; y++ {
		out = append(out, strconv.Itoa(y))
	}
	return out
}

func months(fromY, fromM, toY, toM int) []string {
	var out []string
	for y, mo := fromY, fromM; y < toY || (y == toY && mo <= toM); {
		out = append(out, fmt.Sprintf("%dM%02d", y, mo))
		if mo++; mo > 12 {
			y, mo = y+1, 1
		}
	}
	return out
}

// codelists builds the Region codelists referenced by every table.
func (m *model) codelists() []*codelist {
	summer := &codelist{id: "agg_KommSummer", label: "Kommuner 2024, summert tidsserie", typ: "Aggregation"}
	for _, mu := range m.munis {
		var vm []string
		for _, r := range m.muniRegions() {
			if r.muni == mu {
				vm = append(vm, r.code)
			}
		}
		summer.values = append(summer.values, clValue{code: "K-" + mu.code, label: mu.name, valueMap: vm})
	}
	fylker := &codelist{id: "agg_KommFylker", label: "Fylker 2024, summert tidsserie", typ: "Aggregation"}
	vsFylker := &codelist{id: "vs_Fylker", label: "Fylker", typ: "Valueset"}
	for _, c := range m.counties {
		var vm []string
		for _, r := range m.memberCodes(c.code) {
			vm = append(vm, r.code)
		}
		fylker.values = append(fylker.values, clValue{code: "F-" + c.code, label: c.name, valueMap: vm})
		vsFylker.values = append(vsFylker.values, clValue{code: c.code, label: c.name, valueMap: []string{c.code}})
	}
	kommun := &codelist{id: "vs_Kommun", label: "Kommuner", typ: "Valueset"}
	for _, mu := range m.munis {
		kommun.values = append(kommun.values, clValue{code: mu.code, label: mu.name, valueMap: []string{mu.code}})
	}
	landet := &codelist{id: "vs_Landet", label: "Hele landet", typ: "Valueset",
		values: []clValue{{code: "0", label: "Hele landet", valueMap: []string{"0"}}}}
	return []*codelist{summer, fylker, kommun, vsFylker, landet}
}

func (m *model) regionDim(refs []obj) *dimension {
	d := &dimension{id: "Region", label: "region",
		ext: obj{{"elimination", false}, {"show", "value"}, {"codelists", refs}}}
	for _, r := range m.regions {
		d.codes = append(d.codes, r.code)
		d.labels = append(d.labels, r.label)
	}
	return d
}

func plainDim(id, label string, codes, labels []string, elim bool, elimCode string) *dimension {
	ext := obj{{"elimination", elim}}
	if elimCode != "" {
		ext = append(ext, kv{"eliminationValueCode", elimCode})
	}
	ext = append(ext, kv{"show", "value"}, kv{"codelists", []obj{}})
	return &dimension{id: id, label: label, codes: codes, labels: labels, ext: ext}
}

func timeDim(label string, codes []string) *dimension {
	return &dimension{id: "Tid", label: label, codes: codes, labels: codes,
		ext: obj{{"elimination", false}, {"show", "code"}, {"codelists", []obj{}}}}
}

// content describes one ContentsCode category.
type content struct {
	code, label, base string
	decimals          int
	measuring         string // "Stock" or "Flow"
	refperiod         string
}

func contentsDim(cs ...content) *dimension {
	d := &dimension{id: "ContentsCode", label: "statistikkvariabel"}
	var unit, mt, pt, adj, ref obj
	for _, c := range cs {
		d.codes = append(d.codes, c.code)
		d.labels = append(d.labels, c.label)
		unit = append(unit, kv{c.code, obj{{"base", c.base}, {"decimals", c.decimals}}})
		mt = append(mt, kv{c.code, c.measuring})
		pt = append(pt, kv{c.code, "NotApplicable"})
		adj = append(adj, kv{c.code, "None"})
		ref = append(ref, kv{c.code, c.refperiod})
	}
	d.unit = unit
	d.ext = obj{{"elimination", false}, {"refperiod", ref}, {"show", "value"}, {"codelists", []obj{}},
		{"measuringType", mt}, {"priceType", pt}, {"adjustment", adj}}
	return d
}

// tables builds the thirteen tables.
func (m *model) tables(refs []obj) ([]*table, error) {
	var out []*table
	for _, f := range []func([]obj) (*table, error){m.t09429, m.t13470, m.t06445, m.t10540, m.t07459, m.t13556, m.t07984, m.tEduAge, m.t13563, m.t14863, m.tUfore, m.tLowIncome, m.tEVU} {
		t, err := f(refs)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

const noteSums = "Fylkestall og tallet for hele landet er summer over kommunene i demo-kuben " +
	"(alle kommunenummer som tilhører fylket, uansett gyldighetsperiode)."

// pctRule applies 09429's percentage rule to six level counts.
func pctRule(n [6]int, ok [6]bool, year int) [6]realCell {
	var out [6]realCell
	d := 0
	for l := range n {
		if ok[l] && (year >= lastYear || l != lvlUoppgitt) {
			d += n[l]
		}
	}
	if d == 0 {
		return out
	}
	for l := range n {
		if ok[l] && (year >= lastYear || l != lvlUoppgitt) {
			out[l] = realCell{v: halfUp(n[l], d), ok: true}
		}
	}
	return out
}

// eduCounts is the synthetic education of one municipality code by sex (1, 2).
func (m *model) eduCounts(r *region, year, sex int) [6]int {
	pop := m.pop16(r, year, sex)
	mu := r.muni
	base := [6]float64{25, 36, 3, 24, 10, 2}
	trend := [6]float64{0.45, 0.10, 0, -0.40, -0.25, 0.10} // per year before 2025
	women := [6]float64{-0.5, -5, -1.5, 6.5, 0.5, 0}
	tilt := [6]float64{-0.5, -0.5, 0, 0.6, 0.4, 0}
	sign := 1.0
	if sex == 1 {
		sign = -1
	}
	var sh [6]float64
	var sum float64
	for l := range sh {
		sh[l] = base[l] + float64(lastYear-year)*trend[l] + sign*women[l] + mu.eduTilt*tilt[l] + mu.eduNoise[l]
		sh[l] = math.Max(sh[l], 0.3)
		sum += sh[l]
	}
	var n [6]int
	left := pop
	for l := 0; l < lvlUoppgitt; l++ {
		n[l] = int(math.Round(float64(pop) * sh[l] / sum))
		left -= n[l]
	}
	if left < 0 {
		n[lvlVgs] += left
		left = 0
	}
	n[lvlUoppgitt] = left
	return n
}

func (m *model) t09429(refs []obj) (*table, error) {
	y0 := m.from(firstYear)
	ys := years(y0, lastYear)
	c := newCube(m.regionDim(refs),
		plainDim("Nivaa", "nivå", nivaaCodes, eduLevelLabels, true, ""),
		plainDim("Kjonn", "kjønn", kjonnCodes, kjonnLabels, true, "0"),
		contentsDim(
			content{"Personer", "Personer 16 år og over", "personer", 0, "Stock", "1. oktober"},
			content{"PersonerProsent", "Personer 16 år og over (prosent)", "prosent", 1, "Stock", "1. oktober"}),
		timeDim("år", ys))
	// counts[region][sex][year] for the aggregates
	type key struct {
		ri, sex, yi, l int
	}
	cnt := map[key]int{}
	has := map[key]bool{}
	for ri, r := range m.regions {
		if r.kind != kindMuni {
			continue
		}
		for yi := range ys {
			year := y0 + yi
			if !r.validIn(year) {
				continue
			}
			if m.realEdu(r, year) {
				for s := range kjonnCodes {
					for l := range nivaaCodes {
						k := eduKey{code: r.code, level: l, sex: s, period: year}
						v := m.edu[k]
						c.setCell(v, ri, l, s, 0, yi)
						k.pct = true
						c.setCell(m.edu[k], ri, l, s, 1, yi)
						if v.ok {
							cnt[key{ri, s, yi, l}] = int(v.v)
							has[key{ri, s, yi, l}] = true
						}
					}
				}
				continue
			}
			var both [6]int
			for s := 1; s <= 2; s++ {
				n := m.eduCounts(r, year, s)
				for l := range n {
					both[l] += n[l]
					cnt[key{ri, s, yi, l}] = n[l]
					has[key{ri, s, yi, l}] = true
				}
				m.setLevels(c, n, [6]bool{true, true, true, true, true, true}, year, ri, s, yi)
			}
			for l := range both {
				cnt[key{ri, 0, yi, l}] = both[l]
				has[key{ri, 0, yi, l}] = true
			}
			m.setLevels(c, both, [6]bool{true, true, true, true, true, true}, year, ri, 0, yi)
		}
	}
	// Aggregates: counties over their members, the nation over all.
	for ri, r := range m.regions {
		if r.kind == kindMuni {
			continue
		}
		for yi := range ys {
			for s := range kjonnCodes {
				var n [6]int
				var ok [6]bool
				for mi, mr := range m.regions {
					if mr.kind != kindMuni || (r.kind == kindCounty && mr.county != r.code) {
						continue
					}
					for l := range n {
						if has[key{mi, s, yi, l}] {
							n[l] += cnt[key{mi, s, yi, l}]
							ok[l] = true
						}
					}
				}
				m.setLevels(c, n, ok, y0+yi, ri, s, yi)
			}
		}
	}
	return &table{
		id:        "09429",
		title:     fmt.Sprintf("09429: Utdanningsnivå, etter kommune og kjønn (K) %d - %d", y0, lastYear),
		updated:   "2026-06-11T06:00:00Z",
		subject:   [2]string{"utdanning", "Utdanning"},
		timeUnit:  "Annual",
		synthetic: "partial",
		realCells: "alle celler for kommunene i Telemark under kommunenummeret som gjaldt det året " +
			"(08xx til og med 2019, 38xx 2020-2023, 40xx fra 2024), 2015-2025, fra SSB tabell 09429 " +
			"slik Telemark fylkeskommune (github.com/evensrii/Telemark) har lagret dem " +
			"(testdata/demo/source/utdanningsnivaa.csv); fylkestallet for Telemark (40) er summen av dem",
		notes: []string{
			"Personer 16 år og over per 1. oktober. Prosent er personer på nivået delt på summen av nivåene, " +
				"avrundet til én desimal: til og med 2024 uten «Uoppgitt eller ingen fullført utdanning» i nevneren " +
				"(og uten prosent for den gruppen), fra 2025 med alle seks nivåene. Regelen er den samme som i de ekte tallene for Telemark.",
			noteSums,
		},
		contents: "Personer 16 år og over",
		cube:     c,
	}, nil
}

// setLevels writes six counts and their percentages into 09429.
func (m *model) setLevels(c *cube, n [6]int, ok [6]bool, year, ri, s, yi int) {
	pct := pctRule(n, ok, year)
	for l := range n {
		if ok[l] {
			c.set(float64(n[l]), ri, l, s, 0, yi)
		}
		c.setCell(pct[l], ri, l, s, 1, yi)
	}
}

// ageShares is the synthetic age profile (sums to 1) of a municipality.
func (m *model) ageShares(mu *muni, year, sex int) [19]float64 {
	old := [5]float64{0.95, 0.88, 0.78, 0.65, 0.45} // 70-74 … 90+, men
	tilt := mu.ageTilt + 0.004*float64(year-lastYear)
	var sh [19]float64
	var sum float64
	for g := range sh {
		mid := float64(5*g) + 2
		sh[g] = ageBase[g] * math.Exp(tilt*(mid-40)/20)
		if g >= 14 {
			f := old[g-14]
			if sex == 2 {
				f = 2 - f
			}
			sh[g] *= f
		}
		sum += sh[g]
	}
	for g := range sh {
		sh[g] /= sum
	}
	return sh
}

// ageCounts is the synthetic population by age group of one municipality
// code and sex (1, 2), fitted so that ages 16+ (four fifths of 15-19 and all
// older groups) match the population 16+ of 09429.
func (m *model) ageCounts(r *region, year, sex int) ([19]int, bool) {
	var out [19]int
	pop := m.pop16(r, year, sex)
	if pop == 0 {
		return out, false
	}
	sh := m.ageShares(r.muni, year, sex)
	f := 0.8 * sh[3]
	for g := 4; g < len(sh); g++ {
		f += sh[g]
	}
	n := allocate(int(math.Round(float64(pop)/f)), sh[:])
	copy(out[:], n)
	return out, true
}

// popAge returns the population 15-74 and 20-66 (both sexes) of a code.
func (m *model) popAge(r *region, year int) (p1574, p2066 int, ok bool) {
	for s := 1; s <= 2; s++ {
		a, has := m.ageCounts(r, year, s)
		if !has {
			return 0, 0, false
		}
		for g := 3; g <= 14; g++ {
			p1574 += a[g]
		}
		for g := 4; g <= 12; g++ {
			p2066 += a[g]
		}
		p2066 += int(math.Round(0.4 * float64(a[13]))) // ages 65 and 66
	}
	return p1574, p2066, true
}

func (m *model) t07459(refs []obj) (*table, error) {
	y0 := m.from(2016)
	ys := years(y0, lastYear)
	c := newCube(m.regionDim(refs),
		plainDim("Kjonn", "kjønn", kjonnCodes[1:], kjonnLabels[1:], true, ""),
		plainDim("Alder", "alder", ageCodes, ageLabels, true, ""),
		contentsDim(content{"Personer1", "Personer", "personer", 0, "Stock", "1. januar"}),
		timeDim("år", ys))
	agg := make([][2][19][]int, len(m.regions)) // [region][sex][age][year]
	for ri := range agg {
		for s := range agg[ri] {
			for g := range agg[ri][s] {
				agg[ri][s][g] = make([]int, len(ys))
			}
		}
	}
	present := make([][]bool, len(m.regions))
	for ri := range present {
		present[ri] = make([]bool, len(ys))
	}
	for ri, r := range m.regions {
		if r.kind != kindMuni {
			continue
		}
		into := m.aggIndexes(r)
		for yi := range ys {
			for s := 1; s <= 2; s++ {
				a, ok := m.ageCounts(r, y0+yi, s)
				if !ok {
					continue
				}
				for g, n := range a {
					c.set(float64(n), ri, s-1, g, 0, yi)
					for _, ai := range into {
						agg[ai][s-1][g][yi] += n
						present[ai][yi] = true
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
			if !present[ri][yi] {
				continue
			}
			for s := range 2 {
				for g := range ageCodes {
					c.set(float64(agg[ri][s][g][yi]), ri, s, g, 0, yi)
				}
			}
		}
	}
	return &table{
		id:        "07459",
		title:     fmt.Sprintf("07459: Befolkning, etter kommune, kjønn og alder (K) %d - %d", y0, lastYear),
		updated:   "2026-02-21T07:00:00Z",
		subject:   [2]string{"befolkning", "Befolkning"},
		timeUnit:  "Annual",
		synthetic: "full",
		realCells: "ingen",
		notes: []string{
			"Folkemengde per 1. januar. Syntetisk aldersfordeling, tilpasset slik at personer 16 år og over " +
				"(fire femdeler av 15-19 år og alle eldre) er omtrent lik befolkningen 16 år og over i demoutgaven av 09429.",
			noteSums,
		},
		contents: "Personer",
		cube:     c,
	}, nil
}

// aggIndexes are the region indexes a municipality code adds up into: its
// county and the nation.
func (m *model) aggIndexes(r *region) []int {
	var out []int
	for i, x := range m.regions {
		if x.kind == kindNation || (x.kind == kindCounty && x.code == r.county) {
			out = append(out, i)
		}
	}
	return out
}

// empBase is the synthetic national employment rate 15-74 (%).
func empBase(year int) float64 {
	b := 66.6 + 0.14*float64(year-firstYear)
	if year == 2020 || year == 2021 {
		b -= 0.7
	}
	return b
}

// employed returns the synthetic employed count and rate of a code, age
// group 0 (15-74) or 1 (20-66). The 2025 15-74 rate of a Telemark
// municipality is the real one.
func (m *model) employed(r *region, year, age int) (count, pop int, pct float64, real, ok bool) {
	p1574, p2066, has := m.popAge(r, year)
	if !has {
		return 0, 0, 0, false, false
	}
	mu := r.muni
	rate := empBase(year) + mu.empTilt + 0.4*m.rng("emp", r.code, year).NormFloat64()
	pop = p1574
	if age == 1 {
		pop = p2066
		rate += mu.emp2066
	}
	if real, ok := m.emp[r.code]; ok && age == 0 && year == lastYear {
		return int(math.Round(float64(pop) * real / 100)), pop, real, true, true
	}
	count = int(math.Round(float64(pop) * rate / 100))
	return count, pop, halfUp(count, pop), false, true
}

func (m *model) t06445(refs []obj) (*table, error) {
	y0 := m.from(firstYear)
	ys := years(y0, lastYear)
	c := newCube(m.regionDim(refs),
		plainDim("Kjonn", "kjønn", kjonnCodes[:1], kjonnLabels[:1], true, "0"),
		plainDim("Alder", "alder", []string{"15-74", "20-66"}, []string{"15-74 år", "20-66 år"}, false, ""),
		contentsDim(
			content{"Sysselsatte", "Sysselsatte (antall)", "personer", 0, "Stock", "4. kvartal"},
			content{"SysselsatteProsent", "Sysselsatte i prosent av befolkningen", "prosent", 1, "Stock", "4. kvartal"}),
		timeDim("år", ys))
	type sums struct{ n, pop int }
	agg := map[[3]int]*sums{} // region, age, year
	for ri, r := range m.regions {
		if r.kind != kindMuni {
			continue
		}
		for yi := range ys {
			for age := range 2 {
				n, pop, pct, _, ok := m.employed(r, y0+yi, age)
				if !ok {
					continue
				}
				c.set(float64(n), ri, 0, age, 0, yi)
				c.set(pct, ri, 0, age, 1, yi)
				for _, ai := range m.aggIndexes(r) {
					s := agg[[3]int{ai, age, yi}]
					if s == nil {
						s = &sums{}
						agg[[3]int{ai, age, yi}] = s
					}
					s.n += n
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
					c.set(float64(s.n), ri, 0, age, 0, yi)
					c.set(halfUp(s.n, s.pop), ri, 0, age, 1, yi)
				}
			}
		}
	}
	// Suppress 20-66 in 2015 and 2016 for the three smallest municipalities
	// outside Telemark, as SSB marks cells without a basis ("..").
	var small []*region
	for _, r := range m.muniRegions() {
		if !r.real09429 {
			small = append(small, r)
		}
	}
	slices.SortStableFunc(small, func(a, b *region) int {
		if d := a.muni.size - b.muni.size; d != 0 {
			return int(math.Copysign(1, d))
		}
		return 0
	})
	for _, r := range small[:3] {
		ri := slices.Index(m.regions, r)
		for yi := 2015 - y0; yi <= 2016-y0; yi++ {
			c.suppress("..", ri, 0, 1, 0, yi)
			c.suppress("..", ri, 0, 1, 1, yi)
		}
	}
	return &table{
		id:        "06445",
		title:     fmt.Sprintf("06445: Sysselsatte i prosent av befolkningen, etter bostedskommune, kjønn og alder (K) %d - %d", y0, lastYear),
		updated:   "2026-03-13T07:00:00Z",
		subject:   [2]string{"arbeid", "Arbeid og lønn"},
		timeUnit:  "Annual",
		synthetic: "partial",
		realCells: "Sysselsatte i prosent av befolkningen, 15-74 år, begge kjønn, 2025, for de 17 kommunene i Telemark (40xx), " +
			"fra Telemark fylkeskommune (github.com/evensrii/Telemark), testdata/demo/source/sysselsetting_i_kommunene.csv; " +
			"antall sysselsatte i de samme cellene er syntetiske (beregnet fra den ekte prosenten og syntetisk befolkning)",
		notes: []string{
			"..: Tallgrunnlag mangler. I demoen gjelder dette 20-66 år i 2015 og 2016 for de tre minste kommunene; " +
				"fylkes- og landstallene inneholder likevel disse kommunene.",
			"Befolkningen i nevneren er den syntetiske befolkningen i demoutgaven av 07459. " +
				"Fylkestall og tallet for hele landet er summer over kommunene, og prosenten er beregnet av summene.",
		},
		contents: "Sysselsatte",
		cube:     c,
	}, nil
}

func (m *model) t13470(refs []obj) (*table, error) {
	y0 := m.from(firstYear)
	ys := years(y0, 2024)
	c := newCube(m.regionDim(refs),
		plainDim("NACE2007", "næring (SN2007)", naceCodes, naceLabels, true, "00-99"),
		contentsDim(content{"SysselsatteArb", "Sysselsatte per 4. kvartal", "personer", 0, "Stock", "4. kvartal"}),
		timeDim("år", ys))
	agg := map[[3]int]int{} // region, nace, year
	has := map[[2]int]bool{}
	for ri, r := range m.regions {
		if r.kind != kindMuni {
			continue
		}
		for yi := range ys {
			year := y0 + yi
			e, _, _, _, ok := m.employed(r, year, 0)
			if !ok {
				continue
			}
			total := int(math.Round(float64(e) * r.muni.commute))
			w := r.muni.industry
			w[14] *= 1 + 0.01*float64(year-2024) // health grows
			parts := allocate(total, w[:])
			c.set(float64(total), ri, 0, 0, yi)
			for g, n := range parts {
				c.set(float64(n), ri, g+1, 0, yi)
			}
			for _, ai := range m.aggIndexes(r) {
				agg[[3]int{ai, 0, yi}] += total
				for g, n := range parts {
					agg[[3]int{ai, g + 1, yi}] += n
				}
				has[[2]int{ai, yi}] = true
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
				c.set(float64(agg[[3]int{ri, g, yi}]), ri, g, 0, yi)
			}
		}
	}
	return &table{
		id:        "13470",
		title:     fmt.Sprintf("13470: Sysselsatte per 4. kvartal, etter arbeidsstedskommune og næring (SN2007) (K) %d - 2024", y0),
		updated:   "2025-06-24T06:00:00Z",
		subject:   [2]string{"arbeid", "Arbeid og lønn"},
		timeUnit:  "Annual",
		synthetic: "full",
		realCells: "ingen",
		notes: []string{
			"Sysselsatte etter arbeidssted. «Alle næringer» (00-99) er summen av de 16 næringsgruppene.",
			noteSums,
		},
		contents: "Sysselsatte",
		cube:     c,
	}, nil
}

func (m *model) t10540(refs []obj) (*table, error) {
	ms := months(2023, 1, 2026, 1)
	c := newCube(m.regionDim(refs),
		contentsDim(
			content{"HeltLedige", "Helt ledige", "personer", 0, "Stock", "Utgangen av måneden"},
			content{"HeltLedigeProsent", "Helt ledige i prosent av arbeidsstyrken", "prosent", 1, "Stock", "Utgangen av måneden"}),
		timeDim("måned", ms))
	for ti, month := range ms {
		year, _ := strconv.Atoi(month[:4])
		for ri, r := range m.regions {
			if r.kind == kindMuni {
				continue
			}
			v := m.nav[navKey{region: r.code, month: month}]
			c.setCell(v.count, ri, 0, ti)
			c.setCell(v.pct, ri, 1, ti)
			if r.kind != kindCounty {
				continue
			}
			// Municipalities of the county.
			var syn []*region
			for _, mr := range m.memberCodes(r.code) {
				if !mr.validIn(year) {
					continue
				}
				if mr.real09429 { // Telemark: NAV's own figures, under the code valid that year
					w := m.nav[navKey{region: mr.muni.code, month: month}]
					c.setCell(w.count, slices.Index(m.regions, mr), 0, ti)
					c.setCell(w.pct, slices.Index(m.regions, mr), 1, ti)
					continue
				}
				syn = append(syn, mr)
			}
			if len(syn) == 0 || !v.count.ok {
				continue
			}
			if len(syn) == 1 && len(m.memberCodes(r.code)) == 1 { // Oslo
				c.setCell(v.count, slices.Index(m.regions, syn[0]), 0, ti)
				c.setCell(v.pct, slices.Index(m.regions, syn[0]), 1, ti)
				continue
			}
			pops := make([]float64, len(syn))
			var sumPop float64
			for i, mr := range syn {
				p, _, _ := m.popAge(mr, min(year, lastYear))
				pops[i] = float64(p)
				sumPop += pops[i]
			}
			lf := 0.72 * sumPop
			rate := 0.025
			if v.pct.ok && v.pct.v > 0 {
				rate = v.pct.v / 100
				lf = v.count.v / rate
			}
			w := make([]float64, len(syn))
			for i, mr := range syn {
				w[i] = pops[i] * rate * math.Exp(mr.muni.unemp+0.08*m.rng("nav", mr.code, month).NormFloat64())
			}
			counts := allocate(int(v.count.v), w)
			for i, mr := range syn {
				ri := slices.Index(m.regions, mr)
				lfm := int(math.Round(lf * pops[i] / sumPop))
				c.set(float64(counts[i]), ri, 0, ti)
				if lfm > 0 {
					c.set(halfUp(counts[i], lfm), ri, 1, ti)
				}
			}
		}
	}
	return &table{
		id:        "10540",
		title:     "10540: Registrerte helt ledige, etter bostedskommune (K) 2023M01 - 2026M01",
		updated:   "2026-02-06T07:00:00Z",
		subject:   [2]string{"arbeid", "Arbeid og lønn"},
		timeUnit:  "Monthly",
		synthetic: "partial",
		realCells: "helt ledige (antall og prosent av arbeidsstyrken), begge kjønn, for fylkene (2024-inndeling), " +
			"hele landet og kommunene i Telemark (38xx i 2023, 40xx fra 2024), NAVs tall slik Telemark fylkeskommune " +
			"(github.com/evensrii/Telemark) har lagret dem (testdata/demo/source/arbeidsledighet.csv)",
		notes: []string{
			"Helt ledige ved utgangen av måneden, NAVs tall. Prosent av arbeidsstyrken slik NAV publiserer den (én desimal).",
			"Fylkestall og tallet for hele landet er NAVs publiserte tall. Syntetiske kommunetall er fordelt slik at de " +
				"summerer seg til fylkestallet; hele landet inneholder også personer med ukjent bosted og Svalbard.",
		},
		contents: "Helt ledige",
		cube:     c,
	}, nil
}
