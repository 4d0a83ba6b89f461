package demo

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
)

// Seed is the fixed seed of the synthetic generator. Changing it changes
// every synthetic cell of the bundle.
const Seed uint64 = 20260115

// nationPop16 is the synthetic national population aged 16 and over in 2025,
// the scale the municipality sizes are fitted to (a round figure of the right
// order, not a published number).
const nationPop16 = 4_600_000

// bigCities gives the largest municipalities a hand-set share of nationPop16
// so that the synthetic ranking looks like Norway (rough orders of magnitude,
// not published figures). All other sizes are lognormal draws.
var bigCities = map[string]float64{
	"0301": 0.118, "4601": 0.054, "5001": 0.040, "1103": 0.027, "3201": 0.024,
	"4204": 0.022, "3301": 0.019, "3203": 0.018, "3107": 0.016, "1108": 0.016,
	"5501": 0.015, "3105": 0.011,
}

// Region kinds.
const (
	kindNation = iota
	kindCounty
	kindMuni
)

// region is one category of the Region dimension.
type region struct {
	code, label string
	kind        int
	county      string // 2024 county of a municipality (any vintage)
	muni        *muni  // the 2024 municipality a municipality code belongs to
	from, to    int    // validity years, inclusive; 0 = open
	real09429   bool   // 09429 cells come from utdanningsnivaa.csv
}

func (r *region) validIn(year int) bool {
	return (r.from == 0 || year >= r.from) && (r.to == 0 || year <= r.to)
}

// muni is the synthetic model of one 2024 municipality. Older Telemark codes
// share the parameters of the municipality they became.
type muni struct {
	code, name, county string
	x                  *xwalk  // nil outside Telemark
	size               float64 // population 16+ in 2025
	growth             float64 // yearly growth of the population 16+
	female             float64 // share of women among 16+
	eduTilt            float64 // percentage points moved from grunnskole/vgs to UH
	eduNoise           [6]float64
	ageTilt            float64 // > 0: older population
	empTilt            float64 // employment rate 15-74 minus the national base
	emp2066            float64 // rate 20-66 minus rate 15-74
	commute            float64 // jobs at workplace per employed resident
	unemp              float64 // log factor on the county unemployment rate
	industry           [16]float64
}

// model holds the real inputs and the synthetic municipality models.
type model struct {
	seed uint64
	// first is Options.FirstYear: 0 for the bundled demo, else the first
	// year of every annual table that starts later (see Options).
	first    int
	counties []nameCode
	munis    []*muni // 2024 code order
	regions  []*region
	byCode   map[string]*region
	edu      map[eduKey]realCell
	emp      map[string]float64
	nav      map[navKey]navCell
	// neetReal is the real 2024 NEET share by Telemark municipality,
	// neetTotals the published Telemark and national shares.
	neetReal, neetTotals map[string]float64
}

// rng returns a PCG stream for key: the same key always gives the same
// numbers, whatever else was drawn before.
func (m *model) rng(key ...any) *rand.Rand {
	h := fnv.New64a()
	fmt.Fprint(h, key...)
	return rand.New(rand.NewPCG(m.seed, h.Sum64()))
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func sortBy[T any](xs []T, key func(T) string) {
	slices.SortStableFunc(xs, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
}

// newModel reads srcDir and draws the municipality parameters.
func newModel(srcDir string, seed uint64) (*model, error) {
	kom, err := readNameCodes(srcDir, fileKommuner, "kommunenummer", "kommunenavn", 4)
	if err != nil {
		return nil, err
	}
	fyl, err := readNameCodes(srcDir, fileFylker, "fylkesnummer", "fylkesnavn", 2)
	if err != nil {
		return nil, err
	}
	sortBy(kom, func(n nameCode) string { return n.code })
	sortBy(fyl, func(n nameCode) string { return n.code })
	xs, err := readCrosswalk(srcDir)
	if err != nil {
		return nil, err
	}
	edu, tele, err := readEducation(srcDir, xs)
	if err != nil {
		return nil, err
	}
	emp, err := readEmployment(srcDir, xs)
	if err != nil {
		return nil, err
	}
	nav, err := readUnemployment(srcDir, xs, fyl)
	if err != nil {
		return nil, err
	}
	neetReal, neetTotals, err := readNEET(srcDir, xs)
	if err != nil {
		return nil, err
	}
	m := &model{seed: seed, counties: fyl, edu: edu, emp: emp, nav: nav, neetReal: neetReal, neetTotals: neetTotals, byCode: map[string]*region{}}

	countyOK := map[string]bool{}
	for _, c := range fyl {
		countyOK[c.code] = true
	}
	byX := map[string]*xwalk{}
	for _, x := range xs {
		byX[x.code24] = x
	}
	add := func(r *region) error {
		if _, dup := m.byCode[r.code]; dup {
			return fmt.Errorf("demo: region code %s appears twice", r.code)
		}
		m.byCode[r.code] = r
		m.regions = append(m.regions, r)
		return nil
	}
	_ = add(&region{code: "0", label: "Hele landet", kind: kindNation})
	for _, c := range fyl {
		if err := add(&region{code: c.code, label: c.name, kind: kindCounty, county: c.code}); err != nil {
			return nil, err
		}
	}
	var munis []*region
	for _, k := range kom {
		c := k.code[:2]
		if !countyOK[c] {
			return nil, fmt.Errorf("demo: %s: municipality %s: county %s not in %s", fileKommuner, k.code, c, fileFylker)
		}
		mu := &muni{code: k.code, name: k.name, county: c, x: byX[k.code]}
		m.munis = append(m.munis, mu)
		if mu.x == nil {
			munis = append(munis, &region{code: k.code, label: k.name, kind: kindMuni, county: c, muni: mu})
			continue
		}
		x := mu.x
		if x.name24 != k.name {
			return nil, fmt.Errorf("demo: municipality %s is %q in %s but %q in %s", k.code, k.name, fileKommuner, x.name24, fileCrosswalk)
		}
		lab := func(code, fallback string) string {
			if l, ok := tele.label[code]; ok {
				return l
			}
			return fallback
		}
		munis = append(munis, &region{code: x.code24, label: lab(x.code24, x.name24), kind: kindMuni,
			county: c, muni: mu, from: vintage2023Last + 1, real09429: true})
		munis = append(munis, &region{code: x.code23, label: lab(x.code23, x.name23+" (2020-2023)"), kind: kindMuni,
			county: c, muni: mu, from: vintage2019Last + 1, to: vintage2023Last, real09429: true})
		for i, c19 := range x.codes19 {
			munis = append(munis, &region{code: c19, label: lab(c19, x.names19[i]+" (-2019)"), kind: kindMuni,
				county: c, muni: mu, to: vintage2019Last, real09429: true})
		}
	}
	for code := range tele.label {
		if !slices.ContainsFunc(munis, func(r *region) bool { return r.code == code }) {
			return nil, fmt.Errorf("demo: %s: region code %s is not a Telemark municipality", fileEducation, code)
		}
	}
	sortBy(munis, func(r *region) string { return r.code })
	for _, r := range munis {
		if err := add(r); err != nil {
			return nil, err
		}
	}
	if len(byX) != countTelemark(m.munis) {
		return nil, fmt.Errorf("demo: %s has %d Telemark municipalities, %s has %d", fileCrosswalk, len(byX), fileKommuner, countTelemark(m.munis))
	}
	m.drawParameters()
	return m, nil
}

func countTelemark(ms []*muni) int {
	n := 0
	for _, mu := range ms {
		if mu.x != nil {
			n++
		}
	}
	return n
}

// drawParameters sets the synthetic parameters of every municipality.
func (m *model) drawParameters() {
	// Sizes: Telemark from the real 2025 population 16+, the big cities by
	// hand, the rest lognormal weights sharing what is left.
	rest := float64(nationPop16)
	var weights float64
	w := map[string]float64{}
	for _, mu := range m.munis {
		switch share, big := bigCities[mu.code]; {
		case mu.x != nil:
			mu.size = float64(m.realPop16(mu.code, lastYear, 0))
			rest -= mu.size
		case big:
			mu.size = share * nationPop16
			rest -= mu.size
		default:
			w[mu.code] = math.Exp(1.15 * m.rng("size", mu.code).NormFloat64())
			weights += w[mu.code]
		}
	}
	for _, mu := range m.munis {
		if wt, ok := w[mu.code]; ok {
			mu.size = math.Max(150, rest*wt/weights)
		}
	}
	for _, mu := range m.munis {
		r := m.rng("params", mu.code)
		ls := math.Log10(mu.size / 8000) // > 0 for larger than a typical municipality
		mu.growth = clamp(0.006+0.004*ls+0.004*r.NormFloat64(), -0.015, 0.025)
		mu.female = clamp(0.5-0.004*(1-clamp(ls, -1, 1))+0.005*r.NormFloat64(), 0.46, 0.52)
		mu.eduTilt = clamp(7*ls+2.5*r.NormFloat64(), -9, 20)
		for i := range mu.eduNoise {
			sd := 0.8
			if i == lvlFag || i == lvlUoppgitt {
				sd = 0.3
			}
			mu.eduNoise[i] = sd * r.NormFloat64()
		}
		mu.ageTilt = clamp(-0.08*ls+0.05*r.NormFloat64(), -0.2, 0.3)
		mu.empTilt = clamp(1.0*ls+2.5*r.NormFloat64(), -8, 6)
		if rate, ok := m.emp[mu.code]; ok {
			// Anchor Telemark's synthetic years on the real 2025 rate.
			mu.empTilt = rate - empBase(lastYear)
		}
		mu.emp2066 = 11.5 + 0.8*r.NormFloat64()
		mu.commute = clamp(1+0.12*ls+0.07*r.NormFloat64(), 0.6, 1.35)
		mu.unemp = 0.25 * r.NormFloat64()
		for g := range mu.industry {
			f := 0.2 * r.NormFloat64()
			switch naceCodes[g+1] {
			case "01-03", "05-09":
				f -= 0.5 * ls
			case "58-63", "64-66", "68-75", "77-82":
				f += 0.4 * ls
			}
			mu.industry[g] = naceBase[g] * math.Exp(f)
		}
	}
	// Jobs at workplace add up to about the employed residents nationally:
	// scale the commuting factors to a size-weighted mean of 1.
	var sw, s float64
	for _, mu := range m.munis {
		sw += mu.size * mu.commute
		s += mu.size
	}
	for _, mu := range m.munis {
		mu.commute *= s / sw
	}
}

// realPop16 is the real population 16+ of a Telemark code in year (sum of
// the six levels; sex 0 both, 1 men, 2 women). Missing cells count as 0.
func (m *model) realPop16(code string, year, sex int) int {
	n := 0
	for l := range nivaaCodes {
		if c := m.edu[eduKey{code: code, level: l, sex: sex, period: year}]; c.ok {
			n += int(c.v)
		}
	}
	return n
}

// pop16 is the population 16+ of a region code in year by sex (0 both, 1
// men, 2 women): real for Telemark codes, synthetic otherwise. It is 0
// outside the code's validity.
func (m *model) pop16(r *region, year, sex int) int {
	if !r.validIn(year) {
		return 0
	}
	if m.realEdu(r, year) {
		return m.realPop16(r.code, year, sex)
	}
	mu := r.muni
	if r.real09429 {
		// A Telemark code before the real years (a longer bundle, Options):
		// its first real year's population 16+, grown back with the
		// municipality's synthetic growth. Synthetic.
		f := math.Pow(1+mu.growth, float64(year-firstYear))
		total := int(math.Round(float64(m.realPop16(r.code, firstYear, 0)) * f))
		men := int(math.Round(float64(m.realPop16(r.code, firstYear, 1)) * f))
		return bySex(total, men, sex)
	}
	total := int(math.Round(mu.size * math.Pow(1+mu.growth, float64(year-lastYear))))
	men := int(math.Round(float64(total) * (1 - mu.female)))
	return bySex(total, men, sex)
}

// bySex is the count of sex (1 men, 2 women, else both) of total people,
// men of them men.
func bySex(total, men, sex int) int {
	switch sex {
	case 1:
		return men
	case 2:
		return total - men
	}
	return total
}

// realEdu reports whether the 09429 cells of r in year are the real ones of
// utdanningsnivaa.csv (and r's population 16+ their sum): a Telemark code,
// in the bundled demo in any year (a year the file lacks has no cells), in
// a longer bundle (Options.FirstYear) only from the file's first year on;
// its earlier years are synthetic like every other municipality's.
func (m *model) realEdu(r *region, year int) bool {
	return r.real09429 && (m.first == 0 || year >= firstYear)
}

// from is the first year of a table whose own first year is def: def in
// the bundled demo, Options.FirstYear when that is earlier.
func (m *model) from(def int) int {
	if m.first != 0 && m.first < def {
		return m.first
	}
	return def
}

// halfUp returns 100*n/d rounded half up to one decimal, computed exactly in
// integers (1000*n/d tenths, rounded half up).
func halfUp(n, d int) float64 {
	return float64((2000*n+d)/(2*d)) / 10
}

// allocate splits total into integer parts proportional to w (largest
// remainder, ties to the lower index), so the parts always sum to total.
func allocate(total int, w []float64) []int {
	out := make([]int, len(w))
	var sum float64
	for _, x := range w {
		sum += x
	}
	if total <= 0 || sum <= 0 {
		return out
	}
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(w))
	left := total
	for i, x := range w {
		q := float64(total) * x / sum
		out[i] = int(math.Floor(q))
		left -= out[i]
		rems[i] = rem{i, q - math.Floor(q)}
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.r, a.r) })
	for k := 0; k < left; k++ {
		out[rems[k%len(rems)].i]++
	}
	return out
}

// memberCodes lists the municipality codes (all vintages) of a county, in
// region order.
func (m *model) memberCodes(county string) []*region {
	var out []*region
	for _, r := range m.regions {
		if r.kind == kindMuni && r.county == county {
			out = append(out, r)
		}
	}
	return out
}

// muniRegions lists all municipality codes, in region order.
func (m *model) muniRegions() []*region {
	var out []*region
	for _, r := range m.regions {
		if r.kind == kindMuni {
			out = append(out, r)
		}
	}
	return out
}
