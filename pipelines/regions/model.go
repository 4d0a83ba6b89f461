package regions

import (
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/sources/klass"
)

// Level is the level of a region.
type Level string

// Region levels. The strings are the values of the region_level column.
const (
	Nation       Level = "land"    // code "0"
	County       Level = "fylke"   // two digits, KLASS 104
	Municipality Level = "kommune" // four digits, KLASS 131
	Grouping     Level = "gruppe"  // custom groupings from config
)

// NationCode and NationName identify the nation.
const (
	NationCode = "0"
	NationName = "Hele landet"
)

// Region is one region version: a code with the boundary it had in
// [From, To). The same code with another validity is another region.
type Region struct {
	Code  string
	Name  string
	Level Level
	From  time.Time // zero: valid since before anything the model knows
	To    time.Time // exclusive; zero: still valid
}

// ValidAt reports whether the region is valid on d.
func (r Region) ValidAt(d time.Time) bool {
	return (r.From.IsZero() || !d.Before(r.From)) && (r.To.IsZero() || d.Before(r.To))
}

// ID is the stable identifier "code@from" ("5001@2020-01-01"); "code@" when
// From is zero.
func (r Region) ID() string {
	if r.From.IsZero() {
		return r.Code + "@"
	}
	return r.Code + "@" + r.From.Format(klass.DateLayout)
}

// version is a Region plus its transitions.
type version struct {
	Region
	out []edge // to successors, all at date To
	in  []edge // from predecessors, all at date From
}

type edge struct {
	from, to *version
	date     time.Time
	change   bool // false: continuity of a code whose boundary changed
}

// Model is the regional classification over time: municipality and county
// versions and the changes that connect them. It is immutable after New and
// safe for concurrent use.
type Model struct {
	byCode  map[Level]map[string][]*version // sorted by From
	all     []*version
	latest  time.Time
	changes map[Level][]klass.Change
	// derivedCounties is true when the counties were derived from the
	// municipality codes (Load) rather than given by KLASS 104.
	derivedCounties bool
	// derivedBefore is the start of the first KLASS version read when the
	// municipality sets before it were derived from the change table
	// (Load with an earlier from); zero when nothing was derived.
	derivedBefore time.Time
	// cache holds the answers of Regions (nil: not cached, a Model not
	// made by New).
	cache *regionCache
}

// maxCachedDates bounds the Regions answers kept per model: a run asks
// for a few dates (one per year of data and the target), never thousands.
const maxCachedDates = 512

// regionCache memoises Regions. It is filled lazily, on first use, so the
// names FromVersions gives versions after New are those cached; a model is
// not changed after it is returned, so nothing is ever invalidated.
type regionCache struct {
	sortOnce sync.Once
	sorted   map[Level][][]*version // a level's versions by code, codes sorted

	mu    sync.RWMutex
	byKey map[regionsKey][]Region
}

type regionsKey struct {
	lv   Level
	sec  int64 // d's instant: two Times of the same instant are one key
	nsec int
}

// sortedCodes returns the versions of level l grouped by code, codes in
// order, sorting them once per model.
func (m *Model) sortedCodes(l Level) [][]*version {
	build := func() map[Level][][]*version {
		out := map[Level][][]*version{}
		for _, l := range []Level{County, Municipality} {
			codes := make([]string, 0, len(m.byCode[l]))
			for c := range m.byCode[l] {
				codes = append(codes, c)
			}
			sort.Strings(codes)
			vs := make([][]*version, len(codes))
			for i, c := range codes {
				vs[i] = m.byCode[l][c]
			}
			out[l] = vs
		}
		return out
	}
	if m.cache == nil {
		return build()[l]
	}
	m.cache.sortOnce.Do(func() { m.cache.sorted = build() })
	return m.cache.sorted[l]
}

// CountiesDerived reports whether the model's counties were derived from
// the municipality codes of KLASS 131 (Load, FromVersions) rather than read
// from KLASS 104 (New with county codes).
func (m *Model) CountiesDerived() bool { return m.derivedCounties }

// DerivedBefore is the date before which the model's municipalities (codes,
// names, validity, and so counties) were derived from KLASS's change table
// rather than read from a KLASS version: the start of the first version
// Load read, when Load was asked for earlier dates (see Load). It is zero
// when nothing was derived. A region valid across it is a KLASS answer from
// it on and derived before it.
func (m *Model) DerivedBefore() time.Time { return m.derivedBefore }

// New builds a model from KLASS codes (with validity, from the codes
// endpoint) and changes of classifications 131 (municipalities) and 104
// (counties). A code receiving or losing territory while keeping its code is
// split into two versions at the change date. Every change must connect a
// code valid the day before to a code valid on the day; otherwise New
// returns an error naming the change.
func New(municipalities, counties []klass.Code, muniChanges, countyChanges []klass.Change) (*Model, error) {
	m := &Model{byCode: map[Level]map[string][]*version{}, changes: map[Level][]klass.Change{},
		cache: &regionCache{byKey: map[regionsKey][]Region{}}}
	if err := m.add(Municipality, municipalities, muniChanges); err != nil {
		return nil, err
	}
	if err := m.add(County, counties, countyChanges); err != nil {
		return nil, err
	}
	for _, v := range m.all {
		if v.From.After(m.latest) {
			m.latest = v.From
		}
	}
	return m, nil
}

func (m *Model) add(lv Level, codes []klass.Code, changes []klass.Change) error {
	by := map[string][]*version{}
	for _, c := range codes {
		if c.Code == "" {
			return fmt.Errorf("regions: %s: empty code", lv)
		}
		by[c.Code] = append(by[c.Code], &version{Region: Region{Code: c.Code, Name: c.Name, Level: lv, From: c.ValidFrom, To: c.ValidTo}})
	}
	// Split a version at every change date strictly inside it that involves
	// its code: the code kept its number but its boundary changed.
	for _, ch := range changes {
		for _, code := range []string{ch.OldCode, ch.NewCode} {
			if code == "" {
				continue
			}
			vs := by[code]
			for i, v := range vs {
				d := ch.Occurred
				if v.From.Before(d) && (v.To.IsZero() || d.Before(v.To)) {
					after := &version{Region: v.Region}
					after.From = d
					v.To = d
					vs = append(vs[:i+1], append([]*version{after}, vs[i+1:]...)...)
					link(v, after, d, false)
					break
				}
			}
			by[code] = vs
		}
	}
	for code, vs := range by {
		sort.Slice(vs, func(i, j int) bool { return vs[i].From.Before(vs[j].From) })
		for i := 1; i < len(vs); i++ {
			if vs[i-1].To.IsZero() || vs[i-1].To.After(vs[i].From) {
				return fmt.Errorf("regions: %s %s: overlapping validity %s and %s", lv, code, vs[i-1].ID(), vs[i].ID())
			}
		}
		by[code] = vs
		m.all = append(m.all, vs...)
	}
	m.byCode[lv] = by
	for _, ch := range changes {
		if ch.OldCode == "" || ch.NewCode == "" {
			continue // a code created or ceased without successor: validity says it all
		}
		before := ch.Occurred.AddDate(0, 0, -1)
		from := find(by[ch.OldCode], before)
		to := find(by[ch.NewCode], ch.Occurred)
		if from == nil || to == nil {
			return fmt.Errorf("regions: %s change %s -> %s on %s: old code not valid the day before or new code not valid on the day",
				lv, ch.OldCode, ch.NewCode, ch.Occurred.Format(klass.DateLayout))
		}
		if from == to {
			continue
		}
		if ch.OldCode == ch.NewCode {
			// explicit continuity; the split above already linked them
			continue
		}
		link(from, to, ch.Occurred, true)
	}
	m.changes[lv] = append([]klass.Change(nil), changes...)
	sort.Slice(m.all, func(i, j int) bool {
		a, b := m.all[i], m.all[j]
		if a.Level != b.Level {
			return a.Level < b.Level
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.From.Before(b.From)
	})
	return nil
}

func link(from, to *version, d time.Time, change bool) {
	e := edge{from: from, to: to, date: d, change: change}
	from.out = append(from.out, e)
	to.in = append(to.in, e)
}

func find(vs []*version, d time.Time) *version {
	for _, v := range vs {
		if v.ValidAt(d) {
			return v
		}
	}
	return nil
}

// Latest is the start of the newest boundary vintage the model knows (the
// default harmonisation target).
func (m *Model) Latest() time.Time { return m.latest }

// LevelOf returns the level a code belongs to by its form: "0" nation, two
// digits county, four digits municipality. ok is false for anything else.
func LevelOf(code string) (Level, bool) {
	if code == NationCode {
		return Nation, true
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	switch len(code) {
	case 2:
		return County, true
	case 4:
		return Municipality, true
	}
	return "", false
}

// UnknownCodeError reports a code the model does not know on a date.
type UnknownCodeError struct {
	Dataset, Period, Code string
	Date                  time.Time
}

func (e *UnknownCodeError) Error() string {
	ds := e.Dataset
	if ds == "" {
		ds = "-"
	}
	return fmt.Sprintf("regions: dataset %s: period %s: code %q is not a region the model knows on %s",
		ds, e.Period, e.Code, e.Date.Format(klass.DateLayout))
}

// Resolve returns the region with code valid on d. Code "0" is the nation,
// valid always.
func (m *Model) Resolve(code string, d time.Time) (Region, error) {
	v, err := m.resolve(code, d)
	if err != nil {
		return Region{}, err
	}
	return v.Region, nil
}

func (m *Model) resolve(code string, d time.Time) (*version, error) {
	lv, ok := LevelOf(code)
	if ok && lv == Nation {
		return &version{Region: Region{Code: NationCode, Name: NationName, Level: Nation}}, nil
	}
	if ok {
		if v := find(m.byCode[lv][code], d); v != nil {
			return v, nil
		}
	}
	return nil, &UnknownCodeError{Code: code, Date: d, Period: d.Format(klass.DateLayout)}
}

// Regions returns the regions of level lv valid on d, sorted by code
// (lv "" means nation, counties and municipalities). The answer is
// computed once per level and date and then served from a cache (safe for
// concurrent use); every call gets its own copy, free to change.
func (m *Model) Regions(lv Level, d time.Time) []Region {
	if m.cache == nil {
		return m.regions(lv, d)
	}
	k := regionsKey{lv: lv, sec: d.Unix(), nsec: d.Nanosecond()}
	m.cache.mu.RLock()
	out, ok := m.cache.byKey[k]
	m.cache.mu.RUnlock()
	if !ok {
		out = m.regions(lv, d)
		m.cache.mu.Lock()
		if len(m.cache.byKey) < maxCachedDates {
			m.cache.byKey[k] = out
		}
		m.cache.mu.Unlock()
	}
	return slices.Clone(out)
}

// regions computes Regions.
func (m *Model) regions(lv Level, d time.Time) []Region {
	var out []Region
	if lv == "" || lv == Nation {
		out = append(out, Region{Code: NationCode, Name: NationName, Level: Nation})
	}
	for _, l := range []Level{County, Municipality} {
		if lv != "" && lv != l {
			continue
		}
		for _, vs := range m.sortedCodes(l) {
			if v := find(vs, d); v != nil {
				out = append(out, v.Region)
			}
		}
	}
	return out
}

// Versions returns every version of code, oldest first.
func (m *Model) Versions(code string) []Region {
	lv, ok := LevelOf(code)
	if !ok {
		return nil
	}
	var out []Region
	for _, v := range m.byCode[lv][code] {
		out = append(out, v.Region)
	}
	return out
}

// CountyOf returns the county a municipality valid on d belongs to: the
// county whose code is the municipality's first two digits and that is
// valid on d (true of every Norwegian municipality code).
func (m *Model) CountyOf(code string, d time.Time) (Region, error) {
	if lv, ok := LevelOf(code); !ok || lv != Municipality {
		return Region{}, fmt.Errorf("regions: %q is not a municipality code", code)
	}
	if _, err := m.resolve(code, d); err != nil {
		return Region{}, err
	}
	c, err := m.resolve(code[:2], d)
	if err != nil {
		return Region{}, fmt.Errorf("regions: county of %s on %s: %w", code, d.Format(klass.DateLayout), err)
	}
	return c.Region, nil
}
