package needs

import (
	"fmt"
	"sort"

	"github.com/grunnlag/grunnlag/sources/brreg"
	"github.com/grunnlag/grunnlag/sources/survey"
)

// Views (breakdowns) of the published table. Firm-attribute views put
// every firm in exactly one category; need-attribute views put a firm in
// every category it has a need in.
const (
	ViewArea     = "kompetanseomrade" // need attribute
	ViewLevel    = "utdanningsniva"   // need attribute
	ViewIndustry = "naering"          // firm attribute: SN2007 section
	ViewSize     = "storrelse"        // firm attribute: size band
)

// DefaultViews are the breakdowns published by default.
var DefaultViews = []string{ViewArea, ViewLevel, ViewIndustry, ViewSize}

func firmView(v string) bool { return v == ViewIndustry || v == ViewSize }

// Estimate is a published cell with its estimates.
type Estimate struct {
	*Cell
	// WithNeed is the number of responding firms with a need in the cell.
	WithNeed int
	// Share is the weighted share of firms in the cell's domain with a
	// need in the cell; ShareLow, ShareHigh its Wilson interval.
	Share, ShareLow, ShareHigh float64
	// PeopleW is the weighted number of people needed; PeopleLow,
	// PeopleHigh its bootstrap interval.
	PeopleW, PeopleLow, PeopleHigh float64
	// WithNeedW and RespondentsW are the weighted numbers of firms with a
	// need in the cell and of responding firms in its domain (Share =
	// WithNeedW / RespondentsW); both add up over regions.
	WithNeedW, RespondentsW float64
}

// AggregateOptions control Aggregate.
type AggregateOptions struct {
	Views     []string // nil: DefaultViews
	Areas     []string // categories of ViewArea (crosswalk order, then Unmapped)
	Replicas  int      // bootstrap replicates (default 999)
	Seed      uint64   // bootstrap seed
	Z         float64  // normal quantile for Wilson (default 1.959964)
	Level     float64  // interval level (default 0.95)
	Rule      Rule
	Previous  map[Key]bool // cells suppressed in the previous refresh
	CountyOrd []string     // county order; nil: sorted codes
	// Municipalities, when set, adds a row for every municipality of every
	// surveyed county (county code to its municipality codes on the target
	// vintage; municipalities without respondents get cells with zero counts) for the
	// total and the ViewArea breakdown, and the relations municipalities →
	// county to the disclosure table, so municipality cells are suppressed
	// jointly with the county table.
	Municipalities map[string][]string
}

// Aggregate builds the table of counties (and their total) by each view,
// estimates shares and totals, and applies disclosure control.
func Aggregate(firms []*Firm, opt AggregateOptions) (*Table, map[Key]*Estimate, error) {
	if opt.Views == nil {
		opt.Views = DefaultViews
	}
	if opt.Replicas == 0 {
		opt.Replicas = 999
	}
	if opt.Z == 0 {
		opt.Z = 1.959964
	}
	if opt.Level == 0 {
		opt.Level = 0.95
	}
	counties := map[string]bool{}
	cats := map[string]map[string]bool{}
	for _, v := range opt.Views {
		cats[v] = map[string]bool{}
	}
	for _, f := range firms {
		counties[f.County] = true
		if cats[ViewIndustry] != nil {
			cats[ViewIndustry][sectionOrUnknown(f.Section)] = true
		}
		if cats[ViewSize] != nil {
			cats[ViewSize][f.Band] = true
		}
	}
	if cats[ViewArea] != nil {
		for _, a := range opt.Areas {
			cats[ViewArea][a] = true
		}
		for _, f := range firms {
			for _, n := range f.Needs {
				cats[ViewArea][n.Area] = true
			}
		}
	}
	if cats[ViewLevel] != nil {
		for _, l := range survey.Levels {
			cats[ViewLevel][l] = true
		}
	}
	regs := opt.CountyOrd
	if regs == nil {
		for c := range counties {
			regs = append(regs, c)
		}
		sort.Strings(regs)
	}
	allRegs := append(append([]string(nil), regs...), Total)
	var munis []string
	muniViews := []string{}
	if opt.Municipalities != nil {
		for _, v := range opt.Views {
			if v == ViewArea {
				muniViews = append(muniViews, v)
			}
		}
		for _, c := range regs {
			munis = append(munis, opt.Municipalities[c]...)
		}
	}
	catList := map[string][]string{}
	for v, m := range cats {
		for c := range m {
			catList[v] = append(catList[v], c)
		}
		sort.Strings(catList[v])
	}
	if opt.Areas != nil && cats[ViewArea] != nil {
		catList[ViewArea] = orderedCats(opt.Areas, cats[ViewArea])
	}
	if cats[ViewSize] != nil {
		catList[ViewSize] = orderedCats(append(append([]string(nil), brreg.SizeBands...), brreg.BandUnknown), cats[ViewSize])
	}

	t := &Table{Cells: map[Key]*Cell{}}
	var keys []Key
	// Municipality cells are estimated like the others but are not part
	// of the disclosure table: protectMunicipalities decides on them.
	muniCells := map[Key]*Cell{}
	add := func(k Key) {
		if len(munis) > 0 && len(k.Region) == 4 {
			muniCells[k] = &Cell{Key: k}
		} else {
			t.Cells[k] = &Cell{Key: k}
		}
		keys = append(keys, k)
	}
	for _, r := range allRegs {
		add(Key{r, Total, Total})
		for _, v := range opt.Views {
			for _, c := range catList[v] {
				add(Key{r, v, c})
			}
		}
	}
	for _, m := range munis {
		add(Key{m, Total, Total})
		for _, v := range muniViews {
			for _, c := range catList[v] {
				add(Key{m, v, c})
			}
		}
	}
	for _, r := range allRegs {
		for _, v := range opt.Views {
			l := Line{Total: Key{r, Total, Total}, FirmsAdditive: firmView(v)}
			for _, c := range catList[v] {
				l.Members = append(l.Members, Key{r, v, c})
			}
			t.Lines = append(t.Lines, l)
		}
	}
	colKeys := [][2]string{{Total, Total}}
	for _, v := range opt.Views {
		for _, c := range catList[v] {
			colKeys = append(colKeys, [2]string{v, c})
		}
	}
	for _, ck := range colKeys {
		l := Line{Total: Key{Total, ck[0], ck[1]}, FirmsAdditive: true}
		for _, r := range regs {
			l.Members = append(l.Members, Key{r, ck[0], ck[1]})
		}
		t.Lines = append(t.Lines, l)
	}
	index := map[Key]int{}
	for i, k := range keys {
		index[k] = i
	}

	// Per firm contributions.
	est := map[Key]*Estimate{}
	for _, k := range keys {
		c := t.Cells[k]
		if c == nil {
			c = muniCells[k]
		}
		est[k] = &Estimate{Cell: c}
	}
	wNeed := make([]float64, len(keys))
	wResp := make([]float64, len(keys))
	resp := make([]int, len(keys))
	contribs := make([][]contribution, len(firms))
	strata := make([]Stratum, len(firms))
	weights := make([]float64, len(firms))
	for i, f := range firms {
		strata[i], weights[i] = f.Stratum, f.Weight
		cell := map[Key]*contribution{}
		touch := func(k Key, people float64, need bool) {
			if _, ok := index[k]; !ok {
				return // a breakdown not published for this region
			}
			c, ok := cell[k]
			if !ok {
				c = &contribution{cell: index[k]}
				cell[k] = c
			}
			c.people += people
			c.withNeed = c.withNeed || need
		}
		for _, r := range []string{f.County, Total, f.Municipality} {
			if r == f.Municipality && len(munis) == 0 {
				continue
			}
			total := 0.0
			for _, n := range f.Needs {
				total += float64(n.People)
			}
			has := len(f.Needs) > 0
			touch(Key{r, Total, Total}, total, has)
			for _, v := range opt.Views {
				switch v {
				case ViewIndustry:
					touch(Key{r, v, sectionOrUnknown(f.Section)}, total, has)
				case ViewSize:
					touch(Key{r, v, f.Band}, total, has)
				case ViewArea, ViewLevel:
					for _, n := range f.Needs {
						c := n.Area
						if v == ViewLevel {
							c = n.Level
						}
						touch(Key{r, v, c}, float64(n.People), true)
					}
				}
			}
		}
		for k, c := range cell {
			contribs[i] = append(contribs[i], *c)
			e := est[k]
			if c.withNeed {
				e.WithNeed++
				wNeed[index[k]] += f.Weight
			}
			e.People += c.people
			e.PeopleW += f.Weight * c.people
			if c.people > e.MaxFirmPeople {
				e.MaxFirmPeople = c.people
			}
			if firmView(k.View) || k.View == Total {
				resp[index[k]]++
				wResp[index[k]] += f.Weight
			}
		}
		sort.Slice(contribs[i], func(a, b int) bool { return contribs[i][a].cell < contribs[i][b].cell })
	}
	for _, k := range keys {
		e := est[k]
		i := index[k]
		if !firmView(k.View) && k.View != Total {
			// Need-attribute cells: the domain is the region's firms.
			j := index[Key{k.Region, Total, Total}]
			resp[i], wResp[i] = resp[j], wResp[j]
			e.Firms = e.WithNeed
		} else {
			e.Firms = resp[i]
		}
		e.Respondents = resp[i]
		e.WithNeedW, e.RespondentsW = wNeed[i], wResp[i]
		if wResp[i] > 0 {
			e.Share = wNeed[i] / wResp[i]
		}
		e.ShareLow, e.ShareHigh = Wilson(e.Share, resp[i], opt.Z)
	}
	ci, err := Bootstrap(len(keys), contribs, strata, weights, func(c contribution) float64 { return c.people }, opt.Replicas, opt.Level, opt.Seed)
	if err != nil {
		return nil, nil, err
	}
	for _, k := range keys {
		est[k].PeopleLow, est[k].PeopleHigh = ci[index[k]][0], ci[index[k]][1]
	}
	if _, _, err := t.Suppress(opt.Rule, opt.Previous); err != nil {
		return nil, nil, fmt.Errorf("needs: %w", err)
	}
	if len(munis) > 0 {
		var mcols [][2]string
		mcols = append(mcols, [2]string{Total, Total})
		for _, v := range muniViews {
			for _, c := range catList[v] {
				mcols = append(mcols, [2]string{v, c})
			}
		}
		if err := protectMunicipalities(t, est, regs, opt.Municipalities, mcols, opt.Rule); err != nil {
			return nil, nil, fmt.Errorf("needs: municipalities: %w", err)
		}
	}
	return t, est, nil
}

func sectionOrUnknown(s string) string {
	if s == "" {
		return "ukjent"
	}
	return s
}

// orderedCats returns the members of present in the order of want, then
// the rest sorted.
func orderedCats(want []string, present map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range want {
		if present[c] && !seen[c] {
			out = append(out, c)
			seen[c] = true
		}
	}
	var rest []string
	for c := range present {
		if !seen[c] {
			rest = append(rest, c)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
