package build

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Builder computes the indicator table.
type Builder struct {
	Store   *store.Store
	Model   *regions.Model
	Groups  []regions.Group
	Catalog *indicators.Registry
	Logger  *slog.Logger // nil => discard
	// Target is the boundary vintage; zero => Model.Latest().
	Target time.Time
	// Breaks is the series-break registry; nil => indicators.Breaks().
	Breaks []indicators.Break
}

// Skip is an indicator that was not computed, and why.
type Skip struct {
	ID      string
	Missing []string // input datasets absent from the knowledge base
}

// Result is what a build did.
type Result struct {
	Version  *store.Version // the published indicator table version
	Rows     int
	Computed []string // indicator IDs, catalog order
	Skipped  []Skip
	Warnings int // groups of cells left out because harmonisation failed (logged)
	Table    []Row
	Record   arrow.Record
}

// Build reads the current datasets, computes the catalog and publishes the
// indicator table. The caller holds the kb lock and releases
// Result.Record.
func (b *Builder) Build(ctx context.Context) (*Result, error) {
	log := b.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	target := b.Target
	if target.IsZero() {
		target = b.Model.Latest()
	}
	cat, err := b.Store.Catalog()
	if err != nil {
		return nil, err
	}
	have := func(ds string) bool { return cat.Datasets[ds].CurrentVersion() != nil }
	res := &Result{}
	var todo []*indicators.Indicator
	need := map[string]bool{}
	for _, ind := range b.Catalog.All() {
		if miss := ind.MissingInputs(have); len(miss) > 0 {
			res.Skipped = append(res.Skipped, Skip{ID: ind.ID, Missing: miss})
			log.Info("indicator skipped: input missing", "indicator", ind.ID, "dataset", strings.Join(miss, ","))
			continue
		}
		todo = append(todo, ind)
		for _, in := range ind.Inputs {
			if have(in.Dataset) {
				need[in.Dataset] = true
			}
		}
	}
	tables := map[string]*table{}
	versions := map[string]string{}
	ids := make([]string, 0, len(need))
	for ds := range need {
		ids = append(ids, ds)
	}
	if have("befolkning") && !need["befolkning"] {
		ids = append(ids, "befolkning") // split weights
	}
	sort.Strings(ids)
	for _, ds := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rec, err := b.Store.ReadVersion(ds, "")
		if err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
		t, err := readTable(ds, rec)
		rec.Release()
		if err != nil {
			return nil, err
		}
		tables[ds] = t
		versions[ds] = cat.Datasets[ds].Current
	}
	h := &harmoniser{model: b.Model, target: target, groups: b.Groups, weights: splitWeights(b.Model, tables["befolkning"]), log: log}
	in := &indicators.Inputs{Regions: Units(b.Model, target, b.Groups), Series: map[string]*indicators.Series{}}
	for _, ds := range ids {
		if !need[ds] {
			continue
		}
		s, warn, err := h.series(tables[ds], versions[ds])
		if err != nil {
			return nil, err
		}
		res.Warnings += warn
		in.Series[ds] = s
		log.Debug("dataset harmonised", "dataset", ds, "rows", s.Len())
	}
	in.Regions = append(in.Regions, histUnits(h.hist)...)
	rows, err := Compute(ctx, b.Model, target, b.Groups, todo, in, b.breaks())
	if err != nil {
		return nil, err
	}
	for _, ind := range todo {
		res.Computed = append(res.Computed, ind.ID)
	}
	rec, err := Record(rows)
	if err != nil {
		return nil, err
	}
	kv := map[string]string{
		"indicators.target":   target.Format("2006-01-02"),
		"indicators.computed": strings.Join(res.Computed, ","),
	}
	var sk []string
	for _, s := range res.Skipped {
		sk = append(sk, s.ID+"("+strings.Join(s.Missing, "+")+")")
	}
	kv["indicators.skipped"] = strings.Join(sk, ",")
	v, err := b.Store.PublishIndicators(ctx, rec, kv)
	if err != nil {
		rec.Release()
		return nil, fmt.Errorf("build: %w", err)
	}
	res.Version, res.Rows, res.Table, res.Record = v, len(rows), rows, rec
	log.Info("indicators published", "rows", len(rows), "version", v.Stamp)
	return res, nil
}

func (b *Builder) breaks() []indicators.Break {
	if b.Breaks != nil {
		return b.Breaks
	}
	return indicators.Breaks()
}

// Units returns the units to compute for on the target vintage: the
// nation, counties, groupings and municipalities, with membership.
func Units(m *regions.Model, target time.Time, groups []regions.Group) []indicators.Region {
	munis := m.Regions(regions.Municipality, target)
	inGroups := map[string][]string{}
	for _, g := range groups {
		for _, c := range g.Members {
			inGroups[c] = append(inGroups[c], g.ID)
		}
	}
	perCounty := map[string]int{}
	for _, r := range munis {
		perCounty[r.Code[:2]]++
	}
	out := []indicators.Region{{Code: regions.NationCode, Name: regions.NationName, Level: indicators.LevelNation, Units: len(munis)}}
	for _, r := range m.Regions(regions.County, target) {
		out = append(out, indicators.Region{Code: r.Code, Name: r.Name, Level: indicators.LevelCounty, Units: perCounty[r.Code]})
	}
	for _, g := range groups {
		out = append(out, indicators.Region{Code: g.ID, Name: g.Name, Level: indicators.LevelGrouping, County: groupCounty(g), Units: len(g.Members)})
	}
	for _, r := range munis {
		out = append(out, indicators.Region{Code: r.Code, Name: r.Name, Level: indicators.LevelMunicipality, County: r.Code[:2], Groups: inGroups[r.Code], Units: 1})
	}
	return out
}

// histUnits returns a county-level unit for every county code that a
// county-level dataset is published for but that is not valid on the
// target vintage, by code, with the target municipalities it covers.
func histUnits(hist map[string]histCounty) []indicators.Region {
	codes := make([]string, 0, len(hist))
	for c := range hist {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	out := make([]indicators.Region, 0, len(codes))
	for _, c := range codes {
		h := hist[c]
		out = append(out, indicators.Region{Code: c, Name: h.name, Level: indicators.LevelCounty, Units: len(h.members), Members: h.members})
	}
	return out
}

func groupCounty(g regions.Group) string {
	c := ""
	for i, m := range g.Members {
		if i == 0 {
			c = m[:2]
		} else if m[:2] != c {
			return ""
		}
	}
	return c
}

// Row is one row of the indicator table.
type Row struct {
	Indicator, Region, RegionLabel, RegionLevel, Period, Category, CategoryLabel string
	Value                                                                        float64 // NaN = null
	Unit                                                                         string
	Numerator, Denominator                                                       float64
	Comparator                                                                   string // "" = null
	ComparatorRegion                                                             string // code of the comparator unit; "" = null
	ComparatorValue, GapAbs, GapIndex                                            float64
	Rank, NRanked                                                                int // 0 = null
	Z, CILow, CIHigh                                                             float64
	NUnits                                                                       int
	Flags, Sources                                                               string
	order                                                                        int
}

var levelRank = map[string]int{indicators.LevelNation: 0, indicators.LevelCounty: 1, indicators.LevelGrouping: 2, indicators.LevelMunicipality: 3}

var comparatorRank = map[string]int{"": 0, string(indicators.National): 1, string(indicators.RestOfCountry): 2, string(indicators.County): 3, string(indicators.RegionGroup): 4}

func toRegionsLevel(l string) regions.Level { return regions.Level(l) }

// Compute runs the indicators on in and returns the rows of the long
// table with comparators, sorted.
func Compute(ctx context.Context, m *regions.Model, target time.Time, groups []regions.Group, list []*indicators.Indicator, in *indicators.Inputs, breaks []indicators.Break) ([]Row, error) {
	units := map[string]indicators.Region{}
	for _, r := range in.Regions {
		units[r.Code] = r
	}
	var rows []Row
	for order, ind := range list {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		vals, err := ind.Compute(in)
		if err != nil {
			return nil, fmt.Errorf("build: indicator %s: %w", ind.ID, err)
		}
		rows = slices.Grow(rows, 3*len(vals))
		var datasets, sources []string
		seen := map[string]bool{}
		for _, x := range ind.Inputs {
			if s := in.Series[x.Dataset]; s != nil && !seen[x.Dataset] {
				seen[x.Dataset] = true
				datasets = append(datasets, x.Dataset)
				sources = append(sources, x.Dataset+"@"+s.Version)
			}
		}
		src := strings.Join(sources, ",")
		declared := map[indicators.Comparator]bool{}
		for _, c := range ind.Comparators {
			declared[c] = true
		}
		levelOK := map[string]bool{}
		for _, l := range ind.Levels {
			levelOK[l] = true
		}
		type gk struct{ period, cat string }
		byGroup := map[gk][]int{}
		var gorder []gk
		for i, v := range vals {
			if r, ok := units[v.Region]; ok && !levelOK[r.Level] {
				continue
			}
			k := gk{v.Period, v.Category}
			if _, ok := byGroup[k]; !ok {
				gorder = append(gorder, k)
			}
			byGroup[k] = append(byGroup[k], i)
		}
		for _, k := range gorder {
			idx := byGroup[k]
			isRate := ind.Scale > 0
			aggs := make([]regions.Aggregate, 0, len(idx))
			byCode := map[string]*indicators.Value{}
			for _, i := range idx {
				v := &vals[i]
				r := units[v.Region]
				if r.Code == "" {
					r = indicators.Region{Code: v.Region, Name: v.Region, Level: levelOfCode(v.Region)}
				}
				byCode[v.Region] = v
				a := regions.Aggregate{Region: regions.Region{Code: r.Code, Name: r.Name, Level: toRegionsLevel(r.Level)},
					Num: v.Num, Den: v.Den, IsRate: isRate && !math.IsNaN(v.Num) && !math.IsNaN(v.Den), Value: v.Value, Valid: v.Valid}
				aggs = append(aggs, a)
			}
			comps := map[string]regions.Comparison{}
			for _, c := range m.Compare(target, aggs, ind.Scale, groups) {
				comps[c.Region.Code] = c
			}
			for _, i := range idx {
				v := vals[i]
				r := units[v.Region]
				if r.Code == "" {
					r = indicators.Region{Code: v.Region, Name: v.Region, Level: levelOfCode(v.Region)}
				}
				base := Row{Indicator: ind.ID, Region: v.Region, RegionLabel: r.Name, RegionLevel: r.Level, Period: v.Period,
					Category: v.Category, CategoryLabel: v.CategoryLabel, Value: math.NaN(), Unit: ind.Unit,
					Numerator: v.Num, Denominator: v.Den, ComparatorValue: math.NaN(), GapAbs: math.NaN(), GapIndex: math.NaN(),
					Z: math.NaN(), CILow: v.CILow, CIHigh: v.CIHigh, NUnits: v.NUnits, Sources: src, order: order}
				if !isRate {
					base.Numerator, base.Denominator = math.NaN(), math.NaN()
				}
				flags := append(append([]string(nil), v.Flags...), indicators.BreakFlags(breaks, v.Period, datasets)...)
				c, hasComp := comps[v.Region]
				if v.Valid {
					base.Value = v.Value
					if hasComp {
						base.Rank, base.NRanked, base.Z = c.Rank, c.NRanked, c.Z
					}
				}
				type cmp struct {
					name, region string
					val          float64
					ref          *indicators.Value
				}
				var cs []cmp
				if hasComp && v.Valid {
					if declared[indicators.National] && r.Level != indicators.LevelNation {
						cs = append(cs, cmp{string(indicators.National), regions.NationCode, c.Nation, byCode[regions.NationCode]})
					}
					if declared[indicators.RestOfCountry] && r.Level != indicators.LevelNation && isRate {
						cs = append(cs, cmp{string(indicators.RestOfCountry), "", c.RestOfCountry, nil})
					}
					if declared[indicators.County] && r.County != "" && (r.Level == indicators.LevelMunicipality || r.Level == indicators.LevelGrouping) {
						cs = append(cs, cmp{string(indicators.County), r.County, c.County, byCode[r.County]})
					}
					if declared[indicators.RegionGroup] && r.Level == indicators.LevelMunicipality {
						for _, g := range r.Groups {
							gv := byCode[g]
							x := math.NaN()
							if gv != nil && gv.Valid {
								x = gv.Value
							}
							cs = append(cs, cmp{string(indicators.RegionGroup), g, x, gv})
						}
					}
				}
				emitted := false
				for _, x := range cs {
					if math.IsNaN(x.val) {
						continue
					}
					row := base
					row.Comparator, row.ComparatorRegion, row.ComparatorValue = x.name, x.region, x.val
					if abs, idx, ok := indicators.Gap(v.Value, x.val); ok {
						row.GapAbs, row.GapIndex = abs, idx
					}
					f := flags
					if ind.Basis == indicators.Survey && !math.IsNaN(v.CILow) && x.ref != nil && !math.IsNaN(x.ref.CILow) {
						if lo, hi, err := indicators.DiffInterval(v.Value, v.CILow, v.CIHigh, x.ref.Value, x.ref.CILow, x.ref.CIHigh); err == nil {
							if indicators.Significant(lo, hi) {
								f = append(append([]string(nil), f...), indicators.FlagSignificant)
							} else {
								f = append(append([]string(nil), f...), indicators.FlagNotSignif)
							}
						}
					}
					row.Flags = joinFlags(f)
					rows = append(rows, row)
					emitted = true
				}
				if !emitted {
					base.Flags = joinFlags(flags)
					rows = append(rows, base)
				}
			}
		}
	}
	sortRows(rows)
	return rows, nil
}

func levelOfCode(code string) string {
	lv, ok := regions.LevelOf(code)
	if !ok {
		return indicators.LevelGrouping
	}
	return string(lv)
}

func joinFlags(f []string) string {
	if len(f) == 0 {
		return ""
	}
	s := append([]string(nil), f...)
	sort.Strings(s)
	out := s[:1]
	for _, x := range s[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return strings.Join(out, ",")
}

func sortRows(rows []Row) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := &rows[i], &rows[j]
		if a.order != b.order {
			return a.order < b.order
		}
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		if la, lb := levelRank[a.RegionLevel], levelRank[b.RegionLevel]; la != lb {
			return la < lb
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		if ca, cb := comparatorRank[a.Comparator], comparatorRank[b.Comparator]; ca != cb {
			return ca < cb
		}
		return a.ComparatorRegion < b.ComparatorRegion
	})
}
