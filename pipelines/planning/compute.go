package planning

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// Missing-value symbols (SSB's).
const (
	// StatusNoData: the figure is not there: no such cell, a member
	// municipality without one, or an input without municipality detail.
	StatusNoData = ".."
	// StatusNotApplicable: the figure cannot exist (a general programme has
	// no apprenticeships and no linked occupations; a ratio over zero).
	StatusNotApplicable = "."
	// StatusSuppressed: a contributing cell is suppressed (masked).
	StatusSuppressed = ":"
)

// Unit is a region a row is made for: a county or a grouping, with the
// municipalities (on the target vintage) its sums run over.
type Unit struct {
	Code, Name string
	Level      regions.Level
	Members    []string
}

// Table is one measure's input: the harmonised layers of its datasets
// (several for one measure, e.g. one per application year), indexed.
type Table struct {
	ID        string // the datasets, joined by "+"
	Synthetic bool   // any of them is synthetic
	dims      map[string]int
	muni      map[string]harmonise.Cell // region \x1e period \x1e key
	pub       map[string]harmonise.Cell
	keys      map[string][][]string // period -> distinct keys
	hasMuni   map[string]bool       // period -> any municipality cell
	periods   []string
	pubUnits  map[string]string // county code -> label (published rows)
}

// NewTable indexes layers (the same dimensions in each) as one measure's
// input. A cell that appears in two layers is taken from the first.
func NewTable(synthetic bool, layers ...*harmonise.Layer) *Table {
	t := &Table{Synthetic: synthetic, dims: map[string]int{}, muni: map[string]harmonise.Cell{}, pub: map[string]harmonise.Cell{},
		keys: map[string][][]string{}, hasMuni: map[string]bool{}, pubUnits: map[string]string{}}
	var ids []string
	seenKey := map[string]bool{}
	for _, l := range layers {
		if l == nil {
			continue
		}
		ids = append(ids, l.Dataset)
		for i, d := range l.Dims {
			if _, ok := t.dims[d]; !ok {
				t.dims[d] = i
			}
		}
		add := func(into map[string]harmonise.Cell, c harmonise.Cell) {
			k := cellKey(c.Region, c.Period, c.Key)
			if _, dup := into[k]; dup {
				return
			}
			into[k] = c
			pk := c.Period + "\x1e" + strings.Join(c.Key, "\x1f")
			if !seenKey[pk] {
				seenKey[pk] = true
				t.keys[c.Period] = append(t.keys[c.Period], c.Key)
			}
		}
		for _, c := range l.Cells {
			add(t.muni, c)
			t.hasMuni[c.Period] = true
		}
		for _, c := range l.Published {
			add(t.pub, c)
			if c.Level == regions.County {
				t.pubUnits[c.Region] = c.Label
			}
		}
	}
	for p := range t.keys {
		t.periods = append(t.periods, p)
	}
	sort.Strings(t.periods)
	t.ID = strings.Join(ids, "+")
	return t
}

func cellKey(region, period string, key []string) string {
	return region + "\x1e" + period + "\x1e" + strings.Join(key, "\x1f")
}

// match returns the keys of period whose dimension codes satisfy want
// (dimension -> accepted code predicate). A table without one of the
// dimensions matches nothing.
func (t *Table) match(period string, want map[string]func(string) bool) [][]string {
	if t == nil {
		return nil
	}
	var out [][]string
	for _, k := range t.keys[period] {
		ok := true
		for d, f := range want {
			i, has := t.dims[d]
			if !has || i >= len(k) || !f(k[i]) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.Join(out[i], "\x1f") < strings.Join(out[j], "\x1f") })
	return out
}

// Figure is one value of a row: a number, or missing with a status.
type Figure struct {
	Value    float64
	Valid    bool
	Status   string // when not Valid
	Computed bool   // our sum over the unit's municipalities
	Period   string // the input period it comes from
	Inputs   []string
}

func missing(status string) Figure { return Figure{Status: status, Value: math.NaN()} }

// worse returns the status to keep of two: suppression first, then any
// source symbol, then "..".
func worse(a, b string) string {
	rank := func(s string) int {
		switch s {
		case "":
			return 0
		case StatusNoData:
			return 1
		case StatusSuppressed:
			return 3
		}
		return 2
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// cell returns the figure of one key for unit u in period p: the unit's
// published row when the source has one (official figures first), else
// the sum over its municipalities (computed): missing when the input has
// no municipality cells in p, when a member has no cell, or, keeping its
// status, when a member's cell has no value.
func (t *Table) cell(u Unit, p string, key []string) Figure {
	if c, ok := t.pub[cellKey(u.Code, p, key)]; ok {
		if !c.Valid {
			return missing(firstStatus(c.Status))
		}
		return Figure{Value: c.Value, Valid: true}
	}
	if !t.hasMuni[p] || len(u.Members) == 0 {
		return missing(StatusNoData)
	}
	f := Figure{Valid: true, Computed: true}
	for _, m := range u.Members {
		c, ok := t.muni[cellKey(m, p, key)]
		switch {
		case !ok:
			f.Valid, f.Status = false, worse(f.Status, StatusNoData)
		case !c.Valid:
			f.Valid, f.Status = false, worse(f.Status, firstStatus(c.Status))
		default:
			f.Value += c.Value
		}
	}
	if !f.Valid {
		f.Value = math.NaN()
	}
	return f
}

func firstStatus(s string) string {
	if s == "" {
		return StatusNoData
	}
	return s
}

// sum adds the figures of keys for unit u in period p: missing (with the
// worst status) when any is missing, or when there is no key.
func (t *Table) sum(u Unit, p string, keys [][]string) Figure {
	if len(keys) == 0 {
		return missing(StatusNoData)
	}
	f := Figure{Valid: true, Period: p, Inputs: []string{t.ID}}
	for _, k := range keys {
		c := t.cell(u, p, k)
		f.Computed = f.Computed || c.Computed
		if !c.Valid {
			f.Valid, f.Status = false, worse(f.Status, c.Status)
			continue
		}
		f.Value += c.Value
	}
	if !f.Valid {
		f.Value = math.NaN()
		f.Inputs = nil
	}
	return f
}

// startYear is the first year of a period: "2025", "2025-2026", "2025M06"
// and "2025K4" give 2025; 0 when there is none.
func startYear(p string) int {
	if len(p) < 4 {
		return 0
	}
	y, err := strconv.Atoi(p[:4])
	if err != nil {
		return 0
	}
	return y
}

// endYear is the last year of a period: "2019-2025" gives 2025, other
// periods their start year.
func endYear(p string) int {
	if len(p) == 9 && p[4] == '-' {
		if y, err := strconv.Atoi(p[5:]); err == nil {
			return y
		}
	}
	return startYear(p)
}

// periodOf returns the period of t in year y (by start year: the school
// year 2025-2026 is the 2025 round), or "".
func (t *Table) periodOf(y int) string {
	if t == nil {
		return ""
	}
	for _, p := range t.periods {
		if startYear(p) == y {
			return p
		}
	}
	return ""
}

// latest returns the latest period of t that ended by year y (by end
// year: the 2019-2025 cohort counts for 2025), or "".
func (t *Table) latest(y int) string {
	if t == nil {
		return ""
	}
	best := ""
	for _, p := range t.periods {
		if endYear(p) <= y && (best == "" || p > best) {
			best = p
		}
	}
	return best
}

// counties returns the county codes with a published row in any of ts,
// with their labels.
func counties(ts ...*Table) map[string]string {
	out := map[string]string{}
	for _, t := range ts {
		if t == nil {
			continue
		}
		for c, l := range t.pubUnits {
			if _, ok := out[c]; !ok {
				out[c] = l
			}
		}
	}
	return out
}

// Alias makes the published rows of county code from count as those of
// county to, for every period where to has none of its own: used for a
// county code of an earlier vintage that covers exactly today's county's
// territory (Telemark 08 before 2020 and 40 from 2024), never for one
// that covers more or less (Vestfold og Telemark 38).
func (t *Table) Alias(from, to string) {
	if t == nil {
		return
	}
	has := map[string]bool{}
	for _, c := range t.pub {
		if c.Region == to {
			has[c.Period] = true
		}
	}
	var add []harmonise.Cell
	for _, c := range t.pub {
		if c.Region == from && !has[c.Period] {
			c.Region = to
			add = append(add, c)
		}
	}
	for _, c := range add {
		t.pub[cellKey(c.Region, c.Period, c.Key)] = c
	}
	if len(add) > 0 {
		if _, ok := t.pubUnits[to]; !ok {
			t.pubUnits[to] = t.pubUnits[from]
		}
	}
}

// oldCounties returns the published county codes of t that are not among
// current (today's county codes), with a period each was published for.
func (t *Table) oldCounties(current map[string]bool) map[string]string {
	out := map[string]string{}
	if t == nil {
		return out
	}
	for _, c := range t.pub {
		if c.Level == regions.County && !current[c.Region] {
			if p, ok := out[c.Region]; !ok || c.Period < p {
				out[c.Region] = c.Period
			}
		}
	}
	return out
}
