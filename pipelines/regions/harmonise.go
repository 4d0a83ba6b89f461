package regions

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/sources/klass"
)

// Flag says how a harmonised value relates to what the source published.
// The strings are the values of the region_flag column.
type Flag string

// Region flags.
const (
	// Native: the source published this very region version.
	Native Flag = "native"
	// Merged: the exact sum of one or more published cells after following
	// changes (a pure recode such as 0219 → 3024 → 3201 is "merged" too:
	// the value is exact, but it was not published under this code).
	Merged Flag = "merged"
	// Apportioned: at least one contributing cell was divided by a weight
	// because its region was split (Snillfjord 2020, Ålesund 2024).
	Apportioned Flag = "apportioned"
)

// MissingStatus is the status given to a harmonised cell that lacks a
// contributor the target region needs and has no status of its own.
const MissingStatus = ".."

// Weights holds, per split, the weight of each new code; the key is
// SplitKey(old code, date of the split). Weights need not sum to one; they
// are normalised (for example populations in the year of the split).
type Weights map[string]map[string]float64

// SplitKey is the key of a split in Weights: "5012@2020-01-01".
func SplitKey(oldCode string, date time.Time) string {
	return oldCode + "@" + date.Format(klass.DateLayout)
}

// Split describes one split: a region version whose territory went to more
// than one successor.
type Split struct {
	Key      string
	Old      Region
	Date     time.Time
	NewCodes []string
}

// Splits lists every split the model knows, oldest first.
func (m *Model) Splits() []Split {
	var out []Split
	for _, v := range m.all {
		if len(v.out) > 1 {
			s := Split{Key: SplitKey(v.Code, v.To), Old: v.Region, Date: v.To}
			for _, e := range v.out {
				s.NewCodes = append(s.NewCodes, e.to.Code)
			}
			sort.Strings(s.NewCodes)
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Date.Equal(out[j].Date) {
			return out[i].Date.Before(out[j].Date)
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Options controls harmonisation.
type Options struct {
	Target  time.Time // boundary vintage; zero => Model.Latest()
	Weights Weights   // per split; needed only for splits the data crosses
	Dataset string    // for error messages
	Period  string    // for error messages ("" => the date)
}

// Cell is one input value: a region code with its value. Valid false means
// missing (the value is ignored); Status is the source's symbol or "".
type Cell struct {
	Code   string
	Value  float64
	Valid  bool
	Status string
}

// Harmonised is one output value on the target vintage.
type Harmonised struct {
	Region  Region
	Value   float64
	Valid   bool
	Status  string
	Flag    Flag
	Sources []string // input codes that contributed, sorted
}

type share struct {
	to   *version
	frac float64
}

// roll follows v forward to the version(s) valid on target. With weights
// nil it only computes the reachable set (fractions are 0).
func (m *Model) roll(v *version, target time.Time, w Weights, needWeights bool) ([]share, bool, error) {
	type item struct {
		v    *version
		frac float64
	}
	apport := false
	frontier := []item{{v, 1}}
	var done []share
	for len(frontier) > 0 {
		it := frontier[0]
		frontier = frontier[1:]
		cur := it.v
		if cur.ValidAt(target) || cur.Level == Nation {
			done = append(done, share{cur, it.frac})
			continue
		}
		if !cur.From.IsZero() && target.Before(cur.From) {
			return nil, false, fmt.Errorf("region %s starts after the target %s: harmonising backwards is not supported", cur.ID(), target.Format(klass.DateLayout))
		}
		switch len(cur.out) {
		case 0:
			return nil, false, fmt.Errorf("region %s ended on %s with no successor the model knows", cur.ID(), cur.To.Format(klass.DateLayout))
		case 1:
			frontier = append(frontier, item{cur.out[0].to, it.frac})
		default:
			if !needWeights {
				for _, e := range cur.out {
					frontier = append(frontier, item{e.to, 0})
				}
				continue
			}
			key := SplitKey(cur.Code, cur.To)
			ws, ok := w[key]
			if !ok {
				return nil, false, fmt.Errorf("region %s was split on %s into %s: no weights for split %q", cur.ID(), cur.To.Format(klass.DateLayout), successors(cur), key)
			}
			sum := 0.0
			for _, e := range cur.out {
				x, ok := ws[e.to.Code]
				if !ok || x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
					return nil, false, fmt.Errorf("split %q: weight for %s missing or not a finite non-negative number", key, e.to.Code)
				}
				sum += x
			}
			if sum <= 0 {
				return nil, false, fmt.Errorf("split %q: weights sum to %g", key, sum)
			}
			for code := range ws {
				if !strings.Contains(" "+successors(cur)+" ", " "+code+" ") {
					return nil, false, fmt.Errorf("split %q: weight for %s, which is not a successor (%s)", key, code, successors(cur))
				}
			}
			apport = true
			for _, e := range cur.out {
				frontier = append(frontier, item{e.to, it.frac * ws[e.to.Code] / sum})
			}
		}
	}
	// Sum shares that reached the same version by different paths.
	sort.Slice(done, func(i, j int) bool { return done[i].to.ID() < done[j].to.ID() })
	var out []share
	for _, s := range done {
		if n := len(out); n > 0 && out[n-1].to == s.to {
			out[n-1].frac += s.frac
			continue
		}
		out = append(out, s)
	}
	return out, apport, nil
}

func successors(v *version) string {
	var cs []string
	for _, e := range v.out {
		cs = append(cs, e.to.Code)
	}
	sort.Strings(cs)
	return strings.Join(cs, " ")
}

// Roll returns the regions on the target vintage that the region with code
// valid on at rolls into, each with the fraction of its value it receives,
// and whether any split was apportioned.
func (m *Model) Roll(code string, at time.Time, opt Options) (regions []Region, fractions []float64, apportioned bool, err error) {
	target := opt.Target
	if target.IsZero() {
		target = m.latest
	}
	v, err := m.resolve(code, at)
	if err != nil {
		return nil, nil, false, m.unknown(err, opt, at)
	}
	sh, ap, err := m.roll(v, target, opt.Weights, true)
	if err != nil {
		return nil, nil, false, fmt.Errorf("regions: dataset %s: period %s: code %s: %w", dsName(opt), period(opt, at), code, err)
	}
	for _, s := range sh {
		regions = append(regions, s.to.Region)
		fractions = append(fractions, s.frac)
	}
	return regions, fractions, ap, nil
}

func dsName(opt Options) string {
	if opt.Dataset == "" {
		return "-"
	}
	return opt.Dataset
}

func period(opt Options, at time.Time) string {
	if opt.Period != "" {
		return opt.Period
	}
	return at.Format(klass.DateLayout)
}

func (m *Model) unknown(err error, opt Options, at time.Time) error {
	var ue *UnknownCodeError
	if errors.As(err, &ue) {
		ue.Dataset, ue.Period = opt.Dataset, period(opt, at)
		return ue
	}
	return err
}

// HarmoniseCells puts the cells of one period (codes valid on at, one level
// or several) onto the target vintage.
//
// Rule: the value of a target region is sum_i {f_i * x_i} over the input
// cells i that roll into it, where f_i is 1 for recodes and merges and the
// normalised weight for splits. A target is missing (Valid false) when any
// contributing cell is missing, keeping that cell's status, or when a region
// valid on at that rolls into the target is absent from the input (status
// MissingStatus): a partial sum is never presented as a total. The status of
// a valid output is the contributors' status if they all share it, else "".
// A code the model does not know on at is an *UnknownCodeError; a split
// without weights is an error naming the split. Outputs are sorted by level
// then code. Nation cells ("0") pass through as native.
func (m *Model) HarmoniseCells(cells []Cell, at time.Time, opt Options) ([]Harmonised, error) {
	return m.harmonise(cells, at, opt, nil)
}

// reach maps every region valid on a date to the target versions it rolls
// into (weights ignored).
type reach map[*version][]*version

func (m *Model) reachAt(at, target time.Time) reach {
	r := reach{}
	for _, v := range m.all {
		if !v.ValidAt(at) {
			continue
		}
		sh, _, err := m.roll(v, target, nil, false)
		if err != nil {
			continue // cannot reach the target vintage: contributes nowhere
		}
		for _, s := range sh {
			r[v] = append(r[v], s.to)
		}
	}
	return r
}

func (m *Model) harmonise(cells []Cell, at time.Time, opt Options, rc reach) ([]Harmonised, error) {
	target := opt.Target
	if target.IsZero() {
		target = m.latest
	}
	if rc == nil {
		rc = m.reachAt(at, target)
	}
	type acc struct {
		h        Harmonised
		statuses map[string]bool
		missing  bool
		status   string
		apport   bool
		native   bool // every contributor is the target version itself
	}
	accs := map[*version]*acc{}
	seen := map[string]bool{}
	present := map[*version]bool{}
	levels := map[Level]bool{}
	for _, c := range cells {
		if seen[c.Code] {
			return nil, fmt.Errorf("regions: dataset %s: period %s: code %s appears twice", dsName(opt), period(opt, at), c.Code)
		}
		seen[c.Code] = true
		v, err := m.resolve(c.Code, at)
		if err != nil {
			return nil, m.unknown(err, opt, at)
		}
		present[v] = true
		levels[v.Level] = true
		sh, ap, err := m.roll(v, target, opt.Weights, true)
		if err != nil {
			return nil, fmt.Errorf("regions: dataset %s: period %s: code %s: %w", dsName(opt), period(opt, at), c.Code, err)
		}
		for _, s := range sh {
			a := accs[s.to]
			if a == nil {
				a = &acc{h: Harmonised{Region: s.to.Region, Valid: true}, statuses: map[string]bool{}, native: true}
				accs[s.to] = a
			}
			a.apport = a.apport || ap
			a.native = a.native && v == s.to
			a.h.Sources = append(a.h.Sources, c.Code)
			a.statuses[c.Status] = true
			if !c.Valid {
				if !a.missing {
					a.missing, a.status = true, c.Status
				}
				continue
			}
			a.h.Value += s.frac * c.Value
		}
	}
	// Completeness: every region valid on at that rolls into a target hit
	// by the input must itself be in the input.
	for v, tos := range rc {
		if !levels[v.Level] || present[v] {
			continue
		}
		for _, to := range tos {
			if a := accs[to]; a != nil && !a.missing {
				a.missing, a.status = true, MissingStatus
			}
		}
	}
	out := make([]Harmonised, 0, len(accs))
	for _, a := range accs {
		sort.Strings(a.h.Sources)
		switch {
		case a.apport:
			a.h.Flag = Apportioned
		case a.native && len(a.h.Sources) == 1:
			a.h.Flag = Native
		default:
			a.h.Flag = Merged
		}
		if a.missing {
			a.h.Valid, a.h.Value, a.h.Status = false, 0, a.status
			if a.h.Status == "" {
				a.h.Status = MissingStatus
			}
		} else if len(a.statuses) == 1 {
			for s := range a.statuses {
				a.h.Status = s
			}
		}
		out = append(out, a.h)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Region, out[j].Region
		if a.Level != b.Level {
			return levelOrder(a.Level) < levelOrder(b.Level)
		}
		return a.Code < b.Code
	})
	return out, nil
}

func levelOrder(l Level) int {
	switch l {
	case Nation:
		return 0
	case County:
		return 1
	case Municipality:
		return 2
	}
	return 3
}

// Harmonise is HarmoniseCells on plain slices (gonum style): codes, values
// and valid (nil => all valid) of one period valid on at, in; harmonised
// codes, values, validity and flags on the target vintage, out.
func (m *Model) Harmonise(codes []string, values []float64, valid []bool, at time.Time, opt Options) (outCodes []string, outValues []float64, outValid []bool, flags []Flag, err error) {
	if len(values) != len(codes) || (valid != nil && len(valid) != len(codes)) {
		return nil, nil, nil, nil, fmt.Errorf("regions: Harmonise: %d codes, %d values, %d valid", len(codes), len(values), len(valid))
	}
	cells := make([]Cell, len(codes))
	for i := range codes {
		cells[i] = Cell{Code: codes[i], Value: values[i], Valid: valid == nil || valid[i]}
	}
	hs, err := m.HarmoniseCells(cells, at, opt)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	for _, h := range hs {
		outCodes = append(outCodes, h.Region.Code)
		outValues = append(outValues, h.Value)
		outValid = append(outValid, h.Valid)
		flags = append(flags, h.Flag)
	}
	return outCodes, outValues, outValid, flags, nil
}

// Ratio returns num[i]/den[i]*scale, valid where both are valid and den[i]
// is not zero: rates and shares are recomputed from harmonised numerators and
// denominators, never averaged.
func Ratio(num, den []float64, numValid, denValid []bool, scale float64) ([]float64, []bool) {
	out := make([]float64, len(num))
	ok := make([]bool, len(num))
	for i := range num {
		if (numValid != nil && !numValid[i]) || (denValid != nil && !denValid[i]) || den[i] == 0 {
			continue
		}
		out[i], ok[i] = num[i]/den[i]*scale, true
	}
	return out, ok
}
