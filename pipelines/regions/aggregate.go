package regions

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/grunnlag/grunnlag/sources/klass"
)

// TotalKind says where an aggregate's value comes from. The strings are the
// values of the total_kind column.
type TotalKind string

// Total kinds.
const (
	// Published: the source's own total, passed through unchanged.
	Published TotalKind = "published"
	// Computed: our sum of municipal values.
	Computed TotalKind = "computed"
	// Unit: a municipality's own value (not a total).
	Unit TotalKind = "unit"
)

// Input is one municipal (or published total) value for Aggregate. For
// counts leave Den zero and DenValid false; for rates give both.
type Input struct {
	Code     string
	Num      float64
	NumValid bool
	Den      float64
	DenValid bool
}

// Aggregate is one region's value: a municipality, a county, a grouping or
// the nation.
type Aggregate struct {
	Region    Region
	Num, Den  float64
	IsRate    bool    // Value = Num/Den*Scale; else Value = Num
	Value     float64 // meaningful when Valid
	Valid     bool
	TotalKind TotalKind
	Members   []string // contributing municipality codes (computed totals)
	// Computed is our own sum where a published total was kept instead
	// (NaN otherwise), so the two can be compared.
	Computed float64
}

// AggregateOptions controls Aggregate.
type AggregateOptions struct {
	Rate   bool    // inputs are numerator/denominator pairs
	Scale  float64 // multiply rates by this (100 for percent); 0 => 1
	Groups []Group // custom groupings to aggregate to
}

// Aggregate sums municipal values valid on d to counties, groupings and the
// nation: counts as sum_i {num_i}; rates as sum_i {num_i} / sum_i {den_i} *
// scale, never an average of member rates. A total is valid only when every
// municipality of the unit valid on d is present and valid; units with no
// member present are left out. Inputs with county codes or "0" are published
// totals: they are kept as the unit's value (TotalKind Published) and our sum
// goes to Computed. Output order: nation, counties, groupings, municipalities,
// each by code.
func (m *Model) Aggregate(d time.Time, in []Input, opt AggregateOptions) ([]Aggregate, error) {
	scale := opt.Scale
	if scale == 0 {
		scale = 1
	}
	muni := map[string]Input{}
	published := map[string]Input{}
	for _, x := range in {
		lv, ok := LevelOf(x.Code)
		if !ok {
			return nil, fmt.Errorf("regions: aggregate: code %q is not a region code", x.Code)
		}
		if _, err := m.resolve(x.Code, d); err != nil {
			return nil, fmt.Errorf("regions: aggregate on %s: %w", d.Format(klass.DateLayout), err)
		}
		dup := false
		if lv == Municipality {
			_, dup = muni[x.Code]
			muni[x.Code] = x
		} else {
			_, dup = published[x.Code]
			published[x.Code] = x
		}
		if dup {
			return nil, fmt.Errorf("regions: aggregate: code %s appears twice", x.Code)
		}
	}
	value := func(a *Aggregate) {
		a.IsRate = opt.Rate
		if !a.Valid {
			return
		}
		if !opt.Rate {
			a.Value = a.Num
			return
		}
		if a.Den == 0 {
			a.Valid = false
			return
		}
		a.Value = a.Num / a.Den * scale
	}
	valid := func(x Input) bool { return x.NumValid && (!opt.Rate || x.DenValid) }
	// sum over members; ok false if no member is present.
	sum := func(r Region, members []string) (Aggregate, bool) {
		a := Aggregate{Region: r, Valid: true, TotalKind: Computed, Computed: math.NaN()}
		any := false
		for _, c := range members {
			x, ok := muni[c]
			if !ok {
				a.Valid = false
				continue
			}
			any = true
			a.Members = append(a.Members, c)
			if !valid(x) {
				a.Valid = false
				continue
			}
			a.Num += x.Num
			a.Den += x.Den
		}
		return a, any
	}
	var out []Aggregate
	var allMunis []string
	byCounty := map[string][]string{}
	for _, r := range m.Regions(Municipality, d) {
		allMunis = append(allMunis, r.Code)
		byCounty[r.Code[:2]] = append(byCounty[r.Code[:2]], r.Code)
	}
	units := []Region{{Code: NationCode, Name: NationName, Level: Nation}}
	units = append(units, m.Regions(County, d)...)
	for _, g := range opt.Groups {
		units = append(units, Region{Code: g.ID, Name: g.Name, Level: Grouping})
	}
	members := func(r Region) []string {
		switch r.Level {
		case Nation:
			return allMunis
		case County:
			return byCounty[r.Code]
		}
		for _, g := range opt.Groups {
			if g.ID == r.Code {
				return g.Members
			}
		}
		return nil
	}
	for _, u := range units {
		a, any := sum(u, members(u))
		if p, ok := published[u.Code]; ok && u.Level != Grouping {
			comp := math.NaN()
			if any && a.Valid {
				value(&a)
				comp = a.Value
			}
			a = Aggregate{Region: u, Num: p.Num, Den: p.Den, Valid: valid(p), TotalKind: Published, Members: a.Members, Computed: comp}
			value(&a)
			out = append(out, a)
			continue
		}
		if !any {
			continue
		}
		value(&a)
		out = append(out, a)
	}
	var codes []string
	for c := range muni {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		x := muni[c]
		r, _ := m.Resolve(c, d)
		a := Aggregate{Region: r, Num: x.Num, Den: x.Den, Valid: valid(x), TotalKind: Unit, Members: []string{c}, Computed: math.NaN()}
		value(&a)
		out = append(out, a)
	}
	return out, nil
}
