package regions

import (
	"sort"
	"time"
)

// EventKind classifies a change.
type EventKind string

// Event kinds.
const (
	MergeEvent  EventKind = "merge"  // several old regions → one new
	SplitEvent  EventKind = "split"  // one old region → several new
	RecodeEvent EventKind = "recode" // one old → one new, other code
	RenameEvent EventKind = "rename" // same code, other name
)

// Event is one change in a code's history.
type Event struct {
	Date  time.Time
	Kind  EventKind
	Level Level
	Old   []string // old codes, sorted
	New   []string // new codes, sorted
}

// Trace returns the history of code: every change on the paths leading to
// and from any version of it (ancestors and descendants), oldest first. A
// version that kept its code but gained territory appears among the old
// codes of the merge ("5001 5030 → 5001").
func (m *Model) Trace(code string) []Event {
	lv, ok := LevelOf(code)
	if !ok || lv == Nation {
		return nil
	}
	start := m.byCode[lv][code]
	onPath := map[*version]bool{}
	var walk func(v *version, forward bool)
	walk = func(v *version, forward bool) {
		if onPath[v] && v.Code != code {
			return
		}
		onPath[v] = true
		es := v.in
		if forward {
			es = v.out
		}
		for _, e := range es {
			next := e.from
			if forward {
				next = e.to
			}
			if !onPath[next] {
				walk(next, forward)
			}
		}
	}
	for _, v := range start {
		walk(v, true)
		walk(v, false)
	}
	// Edges between versions on the path, grouped by date.
	type pair struct{ from, to *version }
	dates := map[time.Time][]pair{}
	for v := range onPath {
		for _, e := range v.out {
			if onPath[e.to] {
				dates[e.date] = append(dates[e.date], pair{e.from, e.to})
			}
		}
	}
	var evs []Event
	for d, ps := range dates {
		// Include all predecessors of the new versions and all successors
		// of the old versions on that date, so merges and splits are whole.
		outs := map[*version][]*version{}
		ins := map[*version][]*version{}
		for _, p := range ps {
			for _, e := range p.to.in {
				if e.date.Equal(d) {
					ins[p.to] = appendOnce(ins[p.to], e.from)
					outs[e.from] = appendOnce(outs[e.from], p.to)
				}
			}
			for _, e := range p.from.out {
				outs[p.from] = appendOnce(outs[p.from], e.to)
				ins[e.to] = appendOnce(ins[e.to], p.from)
			}
		}
		for to, froms := range ins {
			if len(froms) > 1 {
				evs = append(evs, Event{Date: d, Kind: MergeEvent, Level: to.Level, Old: codesOf(froms), New: []string{to.Code}})
			}
		}
		for from, tos := range outs {
			if len(tos) > 1 {
				evs = append(evs, Event{Date: d, Kind: SplitEvent, Level: from.Level, Old: []string{from.Code}, New: codesOf(tos)})
			} else if len(tos) == 1 && len(ins[tos[0]]) == 1 {
				k := RecodeEvent
				if from.Code == tos[0].Code {
					if from.Name == tos[0].Name {
						continue
					}
					k = RenameEvent
				}
				evs = append(evs, Event{Date: d, Kind: k, Level: from.Level, Old: []string{from.Code}, New: []string{tos[0].Code}})
			}
		}
	}
	sort.Slice(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		if a.New[0] != b.New[0] {
			return a.New[0] < b.New[0]
		}
		if a.Old[0] != b.Old[0] {
			return a.Old[0] < b.Old[0]
		}
		return a.Kind < b.Kind
	})
	return evs
}

func appendOnce(vs []*version, v *version) []*version {
	for _, x := range vs {
		if x == v {
			return vs
		}
	}
	return append(vs, v)
}

func codesOf(vs []*version) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Code
	}
	sort.Strings(out)
	return out
}
