package build

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// row is one tidy cell read from a dataset version.
type row struct {
	code, period string
	key          []string // codes of the other dimensions
	value        float64
	valid        bool
	status       string
	target       bool // the code is on the target vintage already (K- prefix)
	published    bool // a county or nation total as published
	grouping     bool // a region that is no code: a grouping's own row (by ID)
}

type table struct {
	dataset string
	dims    []string          // other dimensions, in schema order
	labels  map[string]string // "dim\x1fcode" → label
	rows    []row             // municipality cells
	// published are county and nation totals as published: fallbacks where
	// no total can be computed from municipalities, and the only cells of a
	// county-level dataset (one without municipality rows).
	published []row
}

// readTable turns a dataset record into rows, applying the derived
// denominators and dropping rates, county and nation rows.
func readTable(dataset string, rec arrow.Record) (*table, error) {
	sc := rec.Schema()
	geo, tid := "Region", "Tid"
	if g := store.SchemaValue(sc, "jsonstat.role.geo"); g != "" && !strings.Contains(g, ",") {
		geo = g
	}
	if t := store.SchemaValue(sc, "jsonstat.role.time"); t != "" && !strings.Contains(t, ",") {
		tid = t
	}
	regionCol, err := store.StringColumn(rec, geo)
	if err != nil {
		return nil, fmt.Errorf("build: dataset %s: %w", dataset, err)
	}
	timeCol, err := store.StringColumn(rec, tid)
	if err != nil {
		return nil, fmt.Errorf("build: dataset %s: %w", dataset, err)
	}
	vi := sc.FieldIndices("value")
	if len(vi) != 1 {
		return nil, fmt.Errorf("build: dataset %s: no value column", dataset)
	}
	values, ok := rec.Column(vi[0]).(*array.Float64)
	if !ok {
		return nil, fmt.Errorf("build: dataset %s: value column is %s, want float64", dataset, rec.Column(vi[0]).DataType())
	}
	statusCol := func(int) string { return "" }
	if len(sc.FieldIndices("status")) == 1 {
		if statusCol, err = store.StringColumn(rec, "status"); err != nil {
			return nil, fmt.Errorf("build: dataset %s: %w", dataset, err)
		}
	}
	t := &table{dataset: dataset, labels: map[string]string{}}
	var cols, labelCols []func(int) string
	for _, f := range sc.Fields() {
		switch {
		case f.Name == geo || f.Name == tid || f.Name == "value" || f.Name == "status" || strings.HasSuffix(f.Name, "_label"):
			continue
		}
		c, err := store.StringColumn(rec, f.Name)
		if err != nil {
			return nil, fmt.Errorf("build: dataset %s: %w", dataset, err)
		}
		lc, lerr := store.StringColumn(rec, f.Name+"_label")
		if lerr != nil {
			lc = func(int) string { return "" }
		}
		t.dims = append(t.dims, f.Name)
		cols = append(cols, c)
		labelCols = append(labelCols, lc)
	}
	contents := -1
	for i, d := range t.dims {
		if d == "ContentsCode" {
			contents = i
		}
	}
	n := int(rec.NumRows())
	// rate cells by (code, period, key with ContentsCode X) for X_nevner.
	type rk struct{ code, period, key string }
	rates := map[rk]row{}
	var counts []row
	for i := 0; i < n; i++ {
		code := regionCol(i)
		r := row{code: code, period: timeCol(i), value: values.Value(i), valid: values.IsValid(i), status: statusCol(i)}
		if strings.HasPrefix(code, "K-") {
			r.code, r.target = code[2:], true
		}
		lv, ok := regions.LevelOf(r.code)
		switch {
		case !ok && r.code != "" && !r.target:
			// Perhaps a grouping's own figure (the survey's rows for
			// groupings, disclosure-controlled as a whole): kept as
			// published when the code is a grouping's ID (series).
			r.grouping, r.published = true, true
		case !ok || lv == regions.Grouping:
			continue
		default:
			r.published = lv != regions.Municipality
		}
		if jsonstat.MissingStatus(r.status) {
			r.valid = false
		}
		r.key = make([]string, len(cols))
		for j, c := range cols {
			r.key[j] = c(i)
			if l := labelCols[j](i); l != "" {
				t.labels[t.dims[j]+"\x1f"+r.key[j]] = l
			}
		}
		if contents >= 0 && strings.HasSuffix(r.key[contents], "Prosent") {
			k := append([]string(nil), r.key...)
			k[contents] = strings.TrimSuffix(k[contents], "Prosent")
			rates[rk{r.code, r.period, strings.Join(k, "\x1f")}] = r
			continue
		}
		counts = append(counts, r)
	}
	add := func(r row) {
		if r.published {
			t.published = append(t.published, r)
		} else {
			t.rows = append(t.rows, r)
		}
	}
	for _, r := range counts {
		var rate row
		hasRate := false
		if contents >= 0 {
			rate, hasRate = rates[rk{r.code, r.period, strings.Join(r.key, "\x1f")}]
		}
		if hasRate && maskedCount(r, rate) {
			// NAV writes a masked count (1-4 persons) as 0 beside a
			// positive rate: the count is unknown, not zero.
			r.valid, r.status = false, MaskedStatus
		}
		add(r)
		if !hasRate {
			continue
		}
		d := r
		d.key = append([]string(nil), r.key...)
		d.key[contents] = r.key[contents] + "_nevner"
		d.valid = r.valid && rate.valid && rate.value != 0
		if d.valid {
			d.value = r.value * 100 / rate.value
		} else {
			d.value = 0
			if d.status == "" {
				d.status = rate.status
			}
		}
		t.labels["ContentsCode\x1f"+d.key[contents]] = "Nevner utledet av " + r.key[contents] + "Prosent"
		add(d)
	}
	return t, nil
}

// MaskedStatus is the status given to a count that the source masked
// but wrote as 0 (see maskedCount): ":" as SSB's "confidential".
const MaskedStatus = ":"

// maskedCount reports whether a count published as 0 beside a positive
// rate of the same cell is a masked count: no labour force has 0 persons
// at a rate above 0 (NAV masks small municipal counts this way, e.g.
// Fyresdal 2024-03: 0 persons, 0.5 %).
func maskedCount(count, rate row) bool {
	return count.valid && count.value == 0 && rate.valid && rate.value > 0
}

// harmoniser puts tables on the target vintage and sums them to every unit.
type harmoniser struct {
	model   *regions.Model
	target  time.Time
	groups  []regions.Group
	weights regions.Weights
	log     *slog.Logger
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
	warnings := 0
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
			aggs, apport, status, warn, err := h.aggregate(t.dataset, k.period, at, grp.rows)
			if err != nil {
				return nil, 0, err
			}
			warnings += warn
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
		nationPublished := false
		for _, r := range grp.published {
			c := indicators.Cell{Value: r.value, Valid: r.valid, Status: r.status, Provisional: r.status == "p"}
			if !c.Valid {
				c.Value = 0
				if c.Status == "" {
					c.Status = regions.MissingStatus
				}
			}
			if r.grouping {
				// A grouping's own published figure is its value (official
				// figures first), not the sum of its members; a code that
				// is no grouping of the model is left out.
				if h.isGroup(r.code) {
					if err := s.Set(r.code, k.period, key, c); err != nil {
						return nil, 0, err
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
					if err := s.Set(r.code, k.period, key, c); err != nil {
						return nil, 0, err
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
						return nil, 0, fmt.Errorf("build: dataset %s: period %s: %w", t.dataset, k.period, err)
					}
					if !same {
						continue
					}
				}
				// The published figure is the value, even where a sum of the
				// members could be computed (and even when it is masked: a
				// masked official figure stays missing).
				if err := s.Set(r.code, k.period, key, c); err != nil {
					return nil, 0, err
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
					return nil, 0, fmt.Errorf("build: dataset %s: period %s: %w", t.dataset, k.period, err)
				}
				if h.hist == nil {
					h.hist = map[string]histCounty{}
				}
				h.hist[r.code] = histCounty{name: then.Name, members: members}
			}
			if err := s.Set(r.code, k.period, key, c); err != nil {
				return nil, 0, err
			}
		}
		if countyLevel && !nationPublished {
			if err := h.nationFromCounties(s, k.period, key, grp.published); err != nil {
				return nil, 0, err
			}
		}
	}
	return s, warnings, nil
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

// aggregate harmonises one (period, key) group of municipality rows to the
// target vintage and sums it to every unit.
func (h *harmoniser) aggregate(dataset, period string, at time.Time, rows []row) ([]regions.Aggregate, map[string]bool, map[string]string, int, error) {
	warnings := 0
	var a, b []regions.Cell
	for _, r := range rows {
		c := regions.Cell{Code: r.code, Value: r.value, Valid: r.valid, Status: r.status}
		if r.target {
			b = append(b, c)
			continue
		}
		if _, err := h.model.Resolve(r.code, at); err == nil {
			a = append(a, c)
			continue
		}
		if _, err := h.model.Resolve(r.code, h.target); err == nil && r.valid {
			b = append(b, c)
		}
		// else: an empty cell of a code not valid then: skipped.
	}
	out := map[string]regions.Harmonised{}
	opt := regions.Options{Target: h.target, Weights: h.weights, Dataset: dataset, Period: period}
	if len(a) > 0 {
		hs, err := h.model.HarmoniseCells(a, at, opt)
		if err != nil {
			var ue *regions.UnknownCodeError
			if errors.As(err, &ue) {
				return nil, nil, nil, 0, fmt.Errorf("build: %w", err)
			}
			warnings++
			h.log.Warn("harmonisation failed; cells left out", "dataset", dataset, "period", period, "err", err)
		}
		for _, x := range hs {
			out[x.Region.Code] = x
		}
	}
	if len(b) > 0 {
		hs, err := h.model.HarmoniseCells(b, h.target, opt)
		if err != nil {
			return nil, nil, nil, 0, fmt.Errorf("build: %w", err)
		}
		for _, x := range hs {
			if _, dup := out[x.Region.Code]; !dup {
				out[x.Region.Code] = x
			}
		}
	}
	in := make([]regions.Input, 0, len(out))
	apport := make(map[string]bool, len(out))
	status := make(map[string]string, len(out))
	for code, x := range out {
		in = append(in, regions.Input{Code: code, Num: x.Value, NumValid: x.Valid})
		apport[code] = x.Flag == regions.Apportioned
		status[code] = x.Status
	}
	aggs, err := h.model.Aggregate(h.target, in, regions.AggregateOptions{Groups: h.groups})
	if err != nil {
		return nil, nil, nil, 0, fmt.Errorf("build: dataset %s: period %s: %w", dataset, period, err)
	}
	return aggs, apport, status, warnings, nil
}

// splitWeights returns population weights for every split the model knows,
// from the befolkning table (sum of every cell of a municipality in the
// year of the split). Splits without population are left out (harmonising
// across them fails and is logged).
func splitWeights(m *regions.Model, pop *table) regions.Weights {
	w := regions.Weights{}
	if pop == nil {
		return w
	}
	sum := map[string]float64{} // code\x1fyear
	for _, r := range pop.rows {
		if r.valid {
			sum[r.code+"\x1f"+r.period[:min(4, len(r.period))]] += r.value
		}
	}
	for _, sp := range m.Splits() {
		year := sp.Date.Format("2006")
		ws := map[string]float64{}
		ok := true
		for _, c := range sp.NewCodes {
			v, has := sum[c+"\x1f"+year]
			if !has || v <= 0 {
				ok = false
				break
			}
			ws[c] = v
		}
		if ok {
			w[sp.Key] = ws
		}
	}
	return w
}
