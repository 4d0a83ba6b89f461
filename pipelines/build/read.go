package build

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// row is one cell of a dataset's harmonised layer: a municipality on the
// target vintage, or a county or nation row as published.
type row struct {
	code, period string
	key          []string // codes of the other dimensions
	value        float64
	valid        bool
	status       string
	published    bool // a county or nation total as published
	apportioned  bool // a municipality's value apportioned across a split
	grouping     bool // a grouping's own row (by its ID), as published
}

type table struct {
	dataset string
	dims    []string          // other dimensions, in schema order
	labels  map[string]string // "dim\x1fcode" → label
	rows    []row             // municipality cells, on the target vintage
	// published are county and nation totals as published: fallbacks where
	// no total can be computed from municipalities, and the only cells of a
	// county-level dataset (one without municipality rows).
	published []row
	warnings  int // groups of cells the harmonisation left out
}

// tableOf turns a dataset's harmonised layer into a table.
func tableOf(l *harmonise.Layer) *table {
	t := &table{dataset: l.Dataset, dims: l.Dims, labels: l.Labels, warnings: l.Warnings}
	conv := func(c harmonise.Cell) row {
		return row{code: c.Region, period: c.Period, key: c.Key, value: c.Value, valid: c.Valid, status: c.Status,
			published: c.Flag == harmonise.Published, apportioned: c.Flag == regions.Apportioned,
			grouping: c.Flag == harmonise.Published && c.Level == regions.Grouping}
	}
	t.rows = make([]row, 0, len(l.Cells))
	for _, c := range l.Cells {
		t.rows = append(t.rows, conv(c))
	}
	t.published = make([]row, 0, len(l.Published))
	for _, c := range l.Published {
		t.published = append(t.published, conv(c))
	}
	return t
}

// MaskedStatus is the status given to a count that the source masked
// but wrote as 0 beside a positive rate: ":" as SSB's "confidential".
const MaskedStatus = harmonise.MaskedStatus

// harmoniser sums harmonised tables to every unit and applies "official
// figures first".
type harmoniser struct {
	model   *regions.Model
	target  time.Time
	groups  []regions.Group
	weights regions.Weights // for the members of a county (Roll)
	// hist are the counties no longer valid on the target vintage that a
	// county-level dataset is published for, by code.
	hist map[string]histCounty
	// territory caches sameTerritory by "county@date".
	territory map[string]bool
}

// isGroup reports whether code is the ID of one of the model's groupings.
func (h *harmoniser) isGroup(code string) bool {
	for _, g := range h.groups {
		if g.ID == code {
			return true
		}
	}
	return false
}

// histCounty is a county code published by a county-level dataset that is
// not valid on the target vintage (Vestfold og Telemark 38, Telemark 08):
// it becomes a unit of its own, with the target municipalities it covers.
type histCounty struct {
	name    string
	members []string
}

// series harmonises and aggregates a table into an indicators.Series.
//
// Official figures first: a published county or nation row is the value
// of that unit (masked ones stay missing) whenever its code is one of
// today's units and, for a county whose municipalities are published too
// (or that changed KLASS version), it covers the same municipalities on
// the period's date as today; a code valid today but unknown on the
// period's date is taken as published on today's boundaries. Every other
// county, nation and grouping is summed from the municipalities and marked
// computed (valid only when every member is). A county-level dataset
// without a national row gets the nation as the sum of today's counties,
// computed. A county-level dataset's county that is not valid on the
// target vintage is kept under its own code and recorded in h.hist.
func (h *harmoniser) series(t *table, version string) (*indicators.Series, int, error) {
	s := indicators.NewSeries(t.dataset, t.dims...)
	s.Version = version
	for k, l := range t.labels {
		dim, code, _ := strings.Cut(k, "\x1f")
		s.SetLabel(dim, code, l)
	}
	type gk struct{ period, key string }
	type group struct{ rows, published []row }
	groups := map[gk]*group{}
	var order []gk
	get := func(r row) *group {
		k := gk{r.period, strings.Join(r.key, "\x1f")}
		g, ok := groups[k]
		if !ok {
			g = &group{}
			groups[k] = g
			order = append(order, k)
		}
		return g
	}
	for _, r := range t.rows {
		g := get(r)
		g.rows = append(g.rows, r)
	}
	for _, r := range t.published {
		g := get(r)
		g.published = append(g.published, r)
	}
	countyLevel := len(t.rows) == 0
	sort.Slice(order, func(i, j int) bool {
		if order[i].period != order[j].period {
			return order[i].period < order[j].period
		}
		return order[i].key < order[j].key
	})
	warnings := t.warnings
	for _, k := range order {
		grp := groups[k]
		at, err := regions.DefaultPeriodDate(k.period)
		if err != nil {
			return nil, 0, fmt.Errorf("build: dataset %s: %w", t.dataset, err)
		}
		key := strings.Split(k.key, "\x1f")
		if k.key == "" && len(t.dims) == 0 {
			key = nil
		}
		present := map[string]bool{} // codes with a computed total (members present)
		if len(grp.rows) > 0 {
			aggs, apport, status, err := h.aggregate(t.dataset, k.period, grp.rows)
			if err != nil {
				return nil, 0, err
			}
			for _, ag := range aggs {
				present[ag.Region.Code] = true
				c := indicators.Cell{Value: ag.Value, Valid: ag.Valid, Computed: ag.TotalKind == regions.Computed}
				for _, m := range ag.Members {
					c.Apportioned = c.Apportioned || apport[m]
					if st := status[m]; st == "p" {
						c.Provisional = true
					}
				}
				if !c.Valid {
					c.Value, c.Status = 0, regions.MissingStatus
					if ag.TotalKind == regions.Unit && status[ag.Region.Code] != "" {
						c.Status = status[ag.Region.Code]
					}
				}
				if err := s.Set(ag.Region.Code, k.period, key, c); err != nil {
					return nil, 0, err
				}
			}
		}
		nationPublished, err := h.setPublished(s, t.dataset, k.period, at, key, grp.published, present, countyLevel)
		if err != nil {
			return nil, 0, err
		}
		if countyLevel && !nationPublished {
			if err := h.nationFromCounties(s, k.period, key, grp.published); err != nil {
				return nil, 0, err
			}
		}
	}
	return s, warnings, nil
}

// setPublished sets the published county and nation rows of one (period,
// key) group that are the value of their unit (see series); present are
// the codes with a computed total. nationPublished says the nation was set.
func (h *harmoniser) setPublished(s *indicators.Series, dataset, period string, at time.Time, key []string, published []row, present map[string]bool, countyLevel bool) (nationPublished bool, err error) {
	for _, r := range published {
		c := indicators.Cell{Value: r.value, Valid: r.valid, Status: r.status, Provisional: r.status == "p"}
		if !c.Valid {
			c.Value = 0
			if c.Status == "" {
				c.Status = regions.MissingStatus
			}
		}
		if r.grouping {
			// A grouping's own published figure is its value (official
			// figures first), not the sum of its members; a code that is
			// no grouping of the model is left out.
			if h.isGroup(r.code) {
				if err := s.Set(r.code, period, key, c); err != nil {
					return false, err
				}
			}
			continue
		}
		now, nowErr := h.model.Resolve(r.code, h.target)
		then, err := h.model.Resolve(r.code, at)
		if err != nil {
			// Not a region on the period's date but one of today's: the
			// figure is published on today's boundaries (as NAV gives
			// 2023 figures for the counties of 2024), like a municipal
			// code of the target vintage. An empty cell is skipped.
			if nowErr == nil && r.valid {
				if err := s.Set(r.code, period, key, c); err != nil {
					return false, err
				}
				nationPublished = nationPublished || r.code == regions.NationCode
			}
			continue
		}
		if nowErr == nil {
			if r.code != regions.NationCode && (present[r.code] || !countyLevel && !now.From.Equal(then.From)) {
				// A county code can keep its number while its territory
				// changes (Rindal joined Trøndelag in 2019): where a sum
				// of members is the alternative, the published figure is
				// today's county's only on the same territory. A
				// county-level dataset has no alternative: its figure is
				// kept.
				same, err := h.sameTerritory(r.code, at)
				if err != nil {
					return false, fmt.Errorf("build: dataset %s: period %s: %w", dataset, period, err)
				}
				if !same {
					continue
				}
			}
			// The published figure is the value, even where a sum of the
			// members could be computed (and even when it is masked: a
			// masked official figure stays missing).
			if err := s.Set(r.code, period, key, c); err != nil {
				return false, err
			}
			nationPublished = nationPublished || r.code == regions.NationCode
			continue
		}
		if !countyLevel || then.Level != regions.County {
			continue
		}
		if _, err := h.model.Resolve(r.code, h.target); err == nil {
			// The code is still a county on the target, on another
			// territory (50 before Halsa and Rindal joined): a unit of
			// its own would duplicate the current county's code. Its
			// total for the old territory is left out.
			continue
		}
		if _, ok := h.hist[r.code]; !ok {
			members, err := h.members(r.code, at)
			if err != nil {
				return false, fmt.Errorf("build: dataset %s: period %s: %w", dataset, period, err)
			}
			if h.hist == nil {
				h.hist = map[string]histCounty{}
			}
			h.hist[r.code] = histCounty{name: then.Name, members: members}
		}
		if err := s.Set(r.code, period, key, c); err != nil {
			return false, err
		}
	}
	return nationPublished, nil
}

// nationFromCounties sets the nation of a county-level dataset that does
// not publish it to the sum of today's counties, marked computed: valid
// only when every county of the target vintage is published with a valid
// number for the period (a county missing or masked makes the nation
// missing, never a smaller sum). Nothing is set when no county of the
// target vintage is published at all.
func (h *harmoniser) nationFromCounties(s *indicators.Series, period string, key []string, published []row) error {
	byCode := map[string]row{}
	for _, r := range published {
		byCode[r.code] = r
	}
	c := indicators.Cell{Valid: true, Computed: true}
	any := false
	for _, cty := range h.model.Regions(regions.County, h.target) {
		r, ok := byCode[cty.Code]
		if !ok {
			c.Valid = false
			continue
		}
		any = true
		if !r.valid {
			c.Valid = false
			continue
		}
		c.Value += r.value
		c.Provisional = c.Provisional || r.status == "p"
	}
	if !any {
		return nil
	}
	if !c.Valid {
		c.Value, c.Status = 0, regions.MissingStatus
	}
	return s.Set(regions.NationCode, period, key, c)
}

// sameTerritory reports whether county, valid on at and on the target
// vintage, covers the same municipalities on both (its municipalities on at
// roll into exactly the target county's municipalities). Cached per county
// and date.
func (h *harmoniser) sameTerritory(county string, at time.Time) (bool, error) {
	key := county + "@" + at.Format("2006-01-02")
	if v, ok := h.territory[key]; ok {
		return v, nil
	}
	then, err := h.members(county, at)
	if err != nil {
		return false, err
	}
	var now []string
	for _, m := range h.model.Regions(regions.Municipality, h.target) {
		if m.Code[:2] == county {
			now = append(now, m.Code)
		}
	}
	sort.Strings(now)
	same := slices.Equal(then, now)
	if h.territory == nil {
		h.territory = map[string]bool{}
	}
	h.territory[key] = same
	return same, nil
}

// members returns the target municipalities that the municipalities of
// county (valid on at) roll into, sorted.
func (h *harmoniser) members(county string, at time.Time) ([]string, error) {
	seen := map[string]bool{}
	for _, m := range h.model.Regions(regions.Municipality, at) {
		if m.Code[:2] != county {
			continue
		}
		rs, _, _, err := h.model.Roll(m.Code, at, regions.Options{Target: h.target, Weights: h.weights})
		if err != nil {
			return nil, fmt.Errorf("members of county %s: %w", county, err)
		}
		for _, r := range rs {
			seen[r.Code] = true
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out, nil
}

// aggregate sums one (period, key) group of harmonised municipality rows
// to every unit of the target vintage.
func (h *harmoniser) aggregate(dataset, period string, rows []row) ([]regions.Aggregate, map[string]bool, map[string]string, error) {
	in := make([]regions.Input, 0, len(rows))
	apport := make(map[string]bool, len(rows))
	status := make(map[string]string, len(rows))
	for _, r := range rows {
		in = append(in, regions.Input{Code: r.code, Num: r.value, NumValid: r.valid})
		apport[r.code] = r.apportioned
		status[r.code] = r.status
	}
	aggs, err := h.model.Aggregate(h.target, in, regions.AggregateOptions{Groups: h.groups})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("build: dataset %s: period %s: %w", dataset, period, err)
	}
	return aggs, apport, status, nil
}
