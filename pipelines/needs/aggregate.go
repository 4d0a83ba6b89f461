package needs

import (
	"fmt"
	"sort"

	"github.com/grunnlag/grunnlag/pipelines/regions"
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
	// need in the cell; ShareLow, ShareHigh its Wilson interval on the
	// Kish effective sample size NEff of the domain's weights.
	Share, ShareLow, ShareHigh float64
	// NEff is the Kish effective sample size of the cell's domain:
	// (Σw)² / Σw² over its responding firms.
	NEff float64
	// Uncovered marks a grouping with a member municipality outside the
	// surveyed counties: it has no estimate at all (every measure "..").
	Uncovered bool
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
	// Groups, when set, adds a row for every grouping (regions.Group, by
	// ID; groupings may overlap) for the total and the ViewArea breakdown,
	// counted from the firms in its member municipalities. Grouping cells
	// are disclosure-controlled by protectGroups together with the county
	// and municipality cells. A grouping with a member outside the
	// surveyed counties (opt.Municipalities) is Uncovered.
	Groups []regions.Group
}

// Aggregate builds the table of counties (and their total) by each view,
// estimates shares and totals, and applies disclosure control.
func Aggregate(firms []*Firm, opt AggregateOptions) (*Table, map[Key]*Estimate, error) {
	opt = opt.withDefaults()
	lay := newLayout(firms, opt)
	est := lay.estimates(firms, opt)
	if err := lay.intervals(firms, est, opt); err != nil {
		return nil, nil, err
	}
	t := lay.table
	if _, _, err := t.Suppress(opt.Rule, opt.Previous); err != nil {
		return nil, nil, fmt.Errorf("needs: %w", err)
	}
	if len(lay.munis) > 0 {
		mcols := [][2]string{{Total, Total}}
		for _, v := range lay.muniViews {
			for _, c := range lay.cats[v] {
				mcols = append(mcols, [2]string{v, c})
			}
		}
		if err := protectMunicipalities(t, est, lay.regs, opt.Municipalities, mcols, opt.Rule); err != nil {
			return nil, nil, fmt.Errorf("needs: municipalities: %w", err)
		}
	}
	if len(lay.groups) > 0 {
		gcols := [][2]string{{Total, Total}}
		for _, v := range lay.muniViews {
			for _, c := range lay.cats[v] {
				gcols = append(gcols, [2]string{v, c})
			}
		}
		if err := protectGroups(est, lay.groups, gcols, opt.Rule); err != nil {
			return nil, nil, fmt.Errorf("needs: groupings: %w", err)
		}
	}
	return t, est, nil
}

// withDefaults fills the zero fields of opt with their documented defaults.
func (opt AggregateOptions) withDefaults() AggregateOptions {
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
	return opt
}

// layout is the shape of the aggregate table: its regions, categories,
// cells in order and the disclosure table's lines.
type layout struct {
	regs       []string            // counties, in order (without Total)
	munis      []string            // municipalities published (none without opt.Municipalities)
	muniViews  []string            // the views published for municipalities
	cats       map[string][]string // view -> categories, in order
	table      *Table
	muniCells  map[Key]*Cell       // municipality cells: protectMunicipalities decides on them
	groups     []regions.Group     // groupings published (opt.Groups)
	groupOf    map[string][]string // municipality -> the IDs of its groupings
	uncovered  map[string]bool     // groupings with a member outside the surveyed counties
	groupCells map[Key]*Cell       // grouping cells: protectGroups decides on them
	keys       []Key               // every cell, in order
	index      map[Key]int         // position of each key in keys
}

// categories returns, per view, the categories the firms and opt give, in
// their published order.
func categories(firms []*Firm, opt AggregateOptions) map[string][]string {
	cats := map[string]map[string]bool{}
	for _, v := range opt.Views {
		cats[v] = map[string]bool{}
	}
	for _, f := range firms {
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
	return catList
}

// newLayout lays out the cells and the disclosure lines of the table.
func newLayout(firms []*Firm, opt AggregateOptions) *layout {
	lay := &layout{cats: categories(firms, opt), table: &Table{Cells: map[Key]*Cell{}}, muniCells: map[Key]*Cell{}, index: map[Key]int{},
		groupOf: map[string][]string{}, uncovered: map[string]bool{}, groupCells: map[Key]*Cell{}}
	lay.regs = opt.CountyOrd
	if lay.regs == nil {
		counties := map[string]bool{}
		for _, f := range firms {
			counties[f.County] = true
		}
		for c := range counties {
			lay.regs = append(lay.regs, c)
		}
		sort.Strings(lay.regs)
	}
	allRegs := append(append([]string(nil), lay.regs...), Total)
	if opt.Municipalities != nil || len(opt.Groups) > 0 {
		for _, v := range opt.Views {
			if v == ViewArea {
				lay.muniViews = append(lay.muniViews, v)
			}
		}
	}
	if opt.Municipalities != nil {
		for _, c := range lay.regs {
			lay.munis = append(lay.munis, opt.Municipalities[c]...)
		}
	}
	surveyed := map[string]bool{}
	for _, m := range lay.munis {
		surveyed[m] = true
	}
	for _, g := range opt.Groups {
		lay.groups = append(lay.groups, g)
		for _, m := range g.Members {
			lay.groupOf[m] = append(lay.groupOf[m], g.ID)
			if opt.Municipalities != nil && !surveyed[m] {
				lay.uncovered[g.ID] = true
			}
		}
	}
	isGroup := map[string]bool{}
	for _, g := range opt.Groups {
		isGroup[g.ID] = true
	}
	add := func(k Key) {
		if isGroup[k.Region] {
			lay.groupCells[k] = &Cell{Key: k}
		} else if len(lay.munis) > 0 && len(k.Region) == 4 {
			lay.muniCells[k] = &Cell{Key: k}
		} else {
			lay.table.Cells[k] = &Cell{Key: k}
		}
		lay.index[k] = len(lay.keys)
		lay.keys = append(lay.keys, k)
	}
	for _, r := range allRegs {
		add(Key{r, Total, Total})
		for _, v := range opt.Views {
			for _, c := range lay.cats[v] {
				add(Key{r, v, c})
			}
		}
	}
	for _, m := range lay.munis {
		add(Key{m, Total, Total})
		for _, v := range lay.muniViews {
			for _, c := range lay.cats[v] {
				add(Key{m, v, c})
			}
		}
	}
	for _, g := range lay.groups {
		add(Key{g.ID, Total, Total})
		for _, v := range lay.muniViews {
			for _, c := range lay.cats[v] {
				add(Key{g.ID, v, c})
			}
		}
	}
	t := lay.table
	for _, r := range allRegs {
		for _, v := range opt.Views {
			l := Line{Total: Key{r, Total, Total}, FirmsAdditive: firmView(v)}
			for _, c := range lay.cats[v] {
				l.Members = append(l.Members, Key{r, v, c})
			}
			t.Lines = append(t.Lines, l)
		}
	}
	colKeys := [][2]string{{Total, Total}}
	for _, v := range opt.Views {
		for _, c := range lay.cats[v] {
			colKeys = append(colKeys, [2]string{v, c})
		}
	}
	for _, ck := range colKeys {
		l := Line{Total: Key{Total, ck[0], ck[1]}, FirmsAdditive: true}
		for _, r := range lay.regs {
			l.Members = append(l.Members, Key{r, ck[0], ck[1]})
		}
		t.Lines = append(t.Lines, l)
	}
	return lay
}

// firmCells returns firm f's contribution to each cell of the layout
// (people and whether it has a need there), sorted by cell.
func (lay *layout) firmCells(f *Firm, opt AggregateOptions) []contribution {
	cell := map[Key]*contribution{}
	touch := func(k Key, people float64, need bool) {
		i, ok := lay.index[k]
		if !ok {
			return // a breakdown not published for this region
		}
		c, ok := cell[k]
		if !ok {
			c = &contribution{cell: i}
			cell[k] = c
		}
		c.people += people
		c.withNeed = c.withNeed || need
	}
	total := 0.0
	for _, n := range f.Needs {
		total += float64(n.People)
	}
	has := len(f.Needs) > 0
	regs := append([]string{f.County, Total, f.Municipality}, lay.groupOf[f.Municipality]...)
	for i, r := range regs {
		if i == 2 && len(lay.munis) == 0 {
			continue
		}
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
	out := make([]contribution, 0, len(cell))
	for _, c := range cell {
		out = append(out, *c)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].cell < out[b].cell })
	return out
}

// estimates counts and weights the firms into every cell: firms with a
// need, respondents, people (unweighted and weighted), the largest single
// firm's people, and the share with its Wilson interval.
func (lay *layout) estimates(firms []*Firm, opt AggregateOptions) map[Key]*Estimate {
	est := map[Key]*Estimate{}
	for _, k := range lay.keys {
		c := lay.table.Cells[k]
		if c == nil {
			c = lay.muniCells[k]
		}
		if c == nil {
			c = lay.groupCells[k]
		}
		est[k] = &Estimate{Cell: c, Uncovered: lay.uncovered[k.Region]}
	}
	n := len(lay.keys)
	wNeed, wResp, w2Resp, resp := make([]float64, n), make([]float64, n), make([]float64, n), make([]int, n)
	for _, f := range firms {
		for _, c := range lay.firmCells(f, opt) {
			k := lay.keys[c.cell]
			e := est[k]
			if c.withNeed {
				e.WithNeed++
				wNeed[c.cell] += f.Weight
			}
			e.People += c.people
			e.PeopleW += f.Weight * c.people
			if c.people > e.MaxFirmPeople {
				e.MaxFirmPeople = c.people
			}
			if firmView(k.View) || k.View == Total {
				resp[c.cell]++
				wResp[c.cell] += f.Weight
				w2Resp[c.cell] += f.Weight * f.Weight
			}
		}
	}
	for i, k := range lay.keys {
		e := est[k]
		if !firmView(k.View) && k.View != Total {
			// Need-attribute cells: the domain is the region's firms.
			j := lay.index[Key{k.Region, Total, Total}]
			resp[i], wResp[i], w2Resp[i] = resp[j], wResp[j], w2Resp[j]
			e.Firms = e.WithNeed
		} else {
			e.Firms = resp[i]
		}
		e.Respondents = resp[i]
		e.WithNeedW, e.RespondentsW = wNeed[i], wResp[i]
		if wResp[i] > 0 {
			e.Share = wNeed[i] / wResp[i]
		}
		// The design effect of the weights: the interval is on the Kish
		// effective sample size of the domain, not on its respondents.
		e.NEff = Kish(wResp[i], w2Resp[i])
		e.ShareLow, e.ShareHigh = WilsonEff(e.Share, e.NEff, opt.Z)
	}
	return est
}

// intervals sets the bootstrap interval of the people in every cell.
func (lay *layout) intervals(firms []*Firm, est map[Key]*Estimate, opt AggregateOptions) error {
	contribs := make([][]contribution, len(firms))
	strata := make([]Stratum, len(firms))
	weights := make([]float64, len(firms))
	for i, f := range firms {
		strata[i], weights[i] = f.Stratum, f.Weight
		contribs[i] = lay.firmCells(f, opt)
	}
	ci, err := Bootstrap(len(lay.keys), contribs, strata, weights, func(c contribution) float64 { return c.people }, opt.Replicas, opt.Level, opt.Seed)
	if err != nil {
		return err
	}
	for i, k := range lay.keys {
		est[k].PeopleLow, est[k].PeopleHigh = ci[i][0], ci[i][1]
	}
	return nil
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
