package book

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/charts"
	"gonum.org/v1/plot/plotter"
)

// PopulationRow is one cell of the population by sex and age (the
// befolkning dataset, SSB table 07459, harmonised to today's regions):
// Sex "1" (men) or "2" (women), Age an age-group code as SSB writes it
// ("000-004", "090+", or single years "000", "105+"), Value the number of
// persons, NaN when missing (a status such as ".." or ":").
type PopulationRow struct {
	Region, Period, Sex, Age string
	Value                    float64
}

// pyramidData is the population of one region in one period by age group:
// persons by sex, summed from municipalities when computed.
type pyramidData struct {
	period     string
	groups     []string // age-group codes, youngest first
	men, women []float64
	computed   bool
}

// population indexes Input.Population: region → period → sex → age →
// persons.
type population map[string]map[string]map[string]map[string]float64

func indexPopulation(rows []PopulationRow) population {
	p := population{}
	for _, r := range rows {
		if r.Sex != "1" && r.Sex != "2" {
			continue
		}
		byPer := p[r.Region]
		if byPer == nil {
			byPer = map[string]map[string]map[string]float64{}
			p[r.Region] = byPer
		}
		bySex := byPer[r.Period]
		if bySex == nil {
			bySex = map[string]map[string]float64{"1": {}, "2": {}}
			byPer[r.Period] = bySex
		}
		bySex[r.Sex][r.Age] = r.Value
	}
	return p
}

// ageBand is the five-year band of an age code: single years "000"–"089"
// go to "000-004" … "085-089", "090" and older (and "105+") to "090+";
// band codes are kept.
func ageBand(code string) string {
	if strings.ContainsAny(code, "-") || len(code) != 3 && !strings.HasSuffix(code, "+") {
		return code
	}
	n, err := strconv.Atoi(strings.TrimSuffix(code, "+"))
	if err != nil {
		return code
	}
	if n >= 90 {
		return "090+"
	}
	lo := n / 5 * 5
	return fmt.Sprintf("%03d-%03d", lo, lo+4)
}

// ageLabel is an age-group code as readers say it: "000-004" → "0–4",
// "090+" → "90+".
func ageLabel(code string) string {
	trim := func(s string) string {
		t := strings.TrimLeft(s, "0")
		if t == "" || t[0] == '+' {
			t = "0" + t
		}
		return t
	}
	if lo, hi, ok := strings.Cut(code, "-"); ok {
		return trim(lo) + "–" + trim(hi)
	}
	return trim(code)
}

// of returns the pyramid of region code in the latest period where every
// age group of both sexes has a value; ok false when there is none.
func (p population) of(code string) (pyramidData, bool) {
	byPer := p[code]
	var periods []string
	for per := range byPer {
		periods = append(periods, per)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(periods)))
	for _, per := range periods {
		if d, ok := bandData(per, byPer[per]); ok {
			return d, true
		}
	}
	return pyramidData{}, false
}

// bandData sums a period's cells into five-year bands; ok false when a
// cell is missing (a band with a missing cell is unknown, not smaller) or
// there is no cell.
func bandData(per string, bySex map[string]map[string]float64) (pyramidData, bool) {
	sums := map[string]map[string]float64{"1": {}, "2": {}}
	seen := map[string]bool{}
	for sex, byAge := range bySex {
		for age, v := range byAge {
			if math.IsNaN(v) {
				return pyramidData{}, false
			}
			b := ageBand(age)
			sums[sex][b] += v
			seen[b] = true
		}
	}
	if len(seen) == 0 {
		return pyramidData{}, false
	}
	d := pyramidData{period: per}
	for b := range seen {
		d.groups = append(d.groups, b)
	}
	sort.Strings(d.groups)
	for _, b := range d.groups {
		m, okm := sums["1"][b]
		w, okw := sums["2"][b]
		if !okm || !okw {
			return pyramidData{}, false
		}
		d.men, d.women = append(d.men, m), append(d.women, w)
	}
	return d, true
}

// pyramidOf returns the population pyramid of r: its own cells (a
// municipality, or a county or the nation as published), else the sum of
// its municipalities in the latest period all of them have (computed).
func (d *dataset) pyramidOf(r *Region) (pyramidData, bool) {
	if pd, ok := d.pop.of(r.Code); ok {
		return pd, true
	}
	var members []*Region
	for _, m := range d.regions {
		if m.Level != LevelMunicipality || m.Code == r.Code {
			continue
		}
		if r.Level == LevelNation || r.Level == LevelCounty && m.County == r.Code || r.Level == LevelGrouping && containsStr(m.Groups, r.Code) {
			members = append(members, m)
		}
	}
	if len(members) == 0 {
		return pyramidData{}, false
	}
	// The periods every member has, latest first.
	count := map[string]int{}
	for _, m := range members {
		for per := range d.pop[m.Code] {
			count[per]++
		}
	}
	var periods []string
	for per, n := range count {
		if n == len(members) {
			periods = append(periods, per)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(periods)))
	for _, per := range periods {
		sum := map[string]map[string]float64{"1": {}, "2": {}}
		for _, m := range members {
			for sex, byAge := range d.pop[m.Code][per] {
				for age, v := range byAge {
					if old, ok := sum[sex][age]; ok {
						v += old
					}
					sum[sex][age] = v // NaN stays NaN: the sum is unknown
				}
			}
		}
		if pd, ok := bandData(per, sum); ok {
			pd.computed = true
			return pd, true
		}
	}
	return pyramidData{}, false
}

// shares returns men and women by group in per cent of the total.
func (p pyramidData) shares() (men, women plotter.Values) {
	total := 0.0
	for i := range p.groups {
		total += p.men[i] + p.women[i]
	}
	for i := range p.groups {
		men = append(men, p.men[i]/total*100)
		women = append(women, p.women[i]/total*100)
	}
	return men, women
}

// pyramid is the population pyramid of r as shares of its population,
// with the nation's shares as outlines (the same age groups, the same
// period) on any other page; the note says why there is none.
func (d *dataset) pyramid(r *Region, dir string) (*figure, *charts.Job, string) {
	t := d.text()
	pd, ok := d.pyramidOf(r)
	if !ok {
		return nil, nil, fmt.Sprintf(t.PyramidNone, r.Name)
	}
	var total float64
	for i := range pd.groups {
		total += pd.men[i] + pd.women[i]
	}
	if total <= 0 {
		return nil, nil, fmt.Sprintf(t.PyramidNone, r.Name)
	}
	men, women := pd.shares()
	labels := make([]string, len(pd.groups))
	for i, g := range pd.groups {
		labels[i] = ageLabel(g)
	}
	c := &charts.Pyramid{
		Meta: charts.Meta{Title: fmt.Sprintf(t.PyramidTitle, r.Name), Subtitle: fmt.Sprintf(t.PyramidSub, d.period(pd.period), charts.FormatNumber(total, 0, d.lang)),
			XLabel: t.PyramidAxis, Unit: "prosent", Decimals: 1, Source: d.in.PopulationSource, Table: d.in.PopulationTable,
			Synthetic: d.in.Synthetic, Computed: pd.computed, Lang: d.lang},
		Groups: labels, Left: men, Right: women, LeftLabel: t.Men, RightLabel: t.Women,
	}
	if r.Code != NationCode {
		if nd, ok := d.pyramidOf(&Region{Code: NationCode, Level: LevelNation}); ok && nd.period == pd.period && equalStrings(nd.groups, pd.groups) {
			c.CompareLeft, c.CompareRight = nd.shares()
			c.CompareLabel = d.nationLabel()
		}
	}
	c.Height = charts.DefaultHeight + vgLines(len(labels)/2)
	name := dir + "befolkning"
	return newFigure(rel(name), charts.SVG, c), &charts.Job{Name: name, Chart: c, Formats: []charts.Format{charts.SVG, charts.CSV}}, ""
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
