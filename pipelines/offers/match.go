package offers

import (
	"math"
	"slices"
	"sort"

	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/sources/offers"
)

// Region levels of a need, as in needs_vs_supply's region_level.
const (
	LevelMunicipality = "kommune"
	LevelGroup        = "gruppe"
	LevelCounty       = "fylke"
)

// Reach: how an offer is within reach of a need's region.
const (
	ReachInside = "i_regionen" // the offer's municipality is (in) the need's region
	ReachGroup  = "samme_gruppe"
	ReachCounty = "samme_fylke"
	ReachOnline = "nett"
)

// reachPoints are the points of each reach (see the package doc).
var reachPoints = map[string]int{ReachInside: 3, ReachGroup: 2, ReachCounty: 1, ReachOnline: 1}

// Need is one mapped need: a region, a competence area and the persons
// needed. A suppressed need has no persons (Suppressed true, Persons NaN).
type Need struct {
	Region      string
	RegionLabel string
	RegionLevel string // LevelMunicipality, LevelGroup or LevelCounty
	Area        string
	AreaLabel   string
	Persons     float64
	Suppressed  bool
	// Green is the area's green tag as needs_vs_supply carries it (ja,
	// nei; "" in one built before the tag).
	Green string
}

// Geography is what the rule needs to know about regions: the members of
// each grouping (municipality codes on the target vintage). A
// municipality's county is the first two digits of its code.
type Geography struct {
	Groups map[string][]string
}

// groupsOf returns the groupings a municipality is in, sorted.
func (g Geography) groupsOf(m string) []string {
	var out []string
	for id, ms := range g.Groups {
		if slices.Contains(ms, m) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// Reach returns how an offer in municipality m (mode mode) is within reach
// of the need region r of level lv, and false when it is not:
//
//   - ReachInside: r is m, or r is a grouping with m as member, or r is
//     m's county;
//   - ReachGroup: r is a municipality that shares a grouping with m (a
//     neighbour in the same regional council);
//   - ReachCounty: r (a municipality, or every member of grouping r) is in
//     m's county;
//   - ReachOnline: the offer is online (nett) and none of the above.
func (g Geography) Reach(r, lv, m, mode string) (string, bool) {
	if m != "" {
		switch lv {
		case LevelMunicipality:
			if r == m {
				return ReachInside, true
			}
			for _, id := range g.groupsOf(m) {
				if slices.Contains(g.Groups[id], r) {
					return ReachGroup, true
				}
			}
			if len(r) == 4 && r[:2] == m[:2] {
				return ReachCounty, true
			}
		case LevelGroup:
			mem := g.Groups[r]
			if slices.Contains(mem, m) {
				return ReachInside, true
			}
			if len(mem) > 0 && !slices.ContainsFunc(mem, func(x string) bool { return len(x) != 4 || x[:2] != m[:2] }) {
				return ReachCounty, true
			}
		case LevelCounty:
			if r == m[:2] {
				return ReachInside, true
			}
		}
	}
	if mode == offers.ModeOnline {
		return ReachOnline, true
	}
	return "", false
}

// FieldPoints scores an offer's field against a competence area through
// the crosswalk: 3 when the offer names the area or one of its STYRK-08
// codes maps to it (OccupationAreas, most specific level first), 2 when
// one of its SN2007 ranges overlaps the area's divisions, 1 when its NUS
// field is one of the area's, else 0 (no match).
func FieldPoints(o offers.Offer, area string, cw *needs.Crosswalk) int {
	if slices.Contains(o.Areas, area) {
		return 3
	}
	for _, s := range o.STYRK {
		if slices.Contains(cw.OccupationAreas(s), area) {
			return 3
		}
	}
	a, ok := cw.Area(area)
	if !ok {
		return 0
	}
	for _, rg := range o.Industries {
		if a.Overlaps(rg[0], rg[1]) {
			return 2
		}
	}
	if o.NUS != "" && slices.Contains(a.NUS, o.NUS) {
		return 1
	}
	return 0
}

// OfferAreas returns the crosswalk areas an offer serves (FieldPoints > 0),
// in crosswalk order.
func OfferAreas(o offers.Offer, cw *needs.Crosswalk) []string {
	var out []string
	for _, a := range cw.Areas {
		if FieldPoints(o, a.ID, cw) > 0 {
			out = append(out, a.ID)
		}
	}
	return out
}

// SurveyLevel maps the survey's utdanningsniva to an offer level:
// grunnskole and kurs to kurs, vgs and fagbrev to vgs, fagskole to
// fagskole, uh_kort and uh_lang to hoyere.
func SurveyLevel(l string) string {
	switch l {
	case "grunnskole", "kurs":
		return "kurs"
	case "vgs", "fagbrev":
		return "vgs"
	case "fagskole":
		return "fagskole"
	case "uh_kort", "uh_lang":
		return "hoyere"
	}
	return ""
}

// Match is one offer within reach of a need, with its score.
type Match struct {
	Offer               int // index into the offers
	Reach               string
	Field, Level, Place int // points
	Score               int // Field + Level + Place
}

// NeedMatch is a need with every offer within reach that serves its field,
// best first, and the capacity they offer.
type NeedMatch struct {
	Need    Need
	Matches []Match
	// Capacity is the sum of the known capacities of all matches;
	// UnknownCapacity counts matches without one.
	Capacity        int
	UnknownCapacity int
}

// Coverage is Capacity / Persons, NaN when the need is suppressed, has no
// persons, or any match has an unknown capacity (the sum would only be a
// lower bound).
func (nm NeedMatch) Coverage() float64 {
	if nm.Need.Suppressed || !(nm.Need.Persons > 0) || nm.UnknownCapacity > 0 {
		return math.NaN()
	}
	return float64(nm.Capacity) / nm.Need.Persons
}

// MatchAll matches every need to the offers (see the package doc for the
// rule). levels gives, per county code, the offer levels its firms asked
// for (published cells with persons > 0); a need's level points are 1
// when the offer's level is among its county's. It returns the needs in
// the given order and the indexes of offers that match no published need
// (offers with no mapped demand: a suppressed need's persons are unknown,
// so it is not counted as demand), ascending.
func MatchAll(ns []Need, os []offers.Offer, geo Geography, cw *needs.Crosswalk, levels map[string][]string) ([]NeedMatch, []int) {
	used := make([]bool, len(os))
	out := make([]NeedMatch, len(ns))
	for i, n := range ns {
		nm := NeedMatch{Need: n}
		county := needCounty(n, geo)
		for j, o := range os {
			f := FieldPoints(o, n.Area, cw)
			if f == 0 {
				continue
			}
			reach, ok := geo.Reach(n.Region, n.RegionLevel, o.Municipality, o.Mode)
			if !ok {
				continue
			}
			m := Match{Offer: j, Reach: reach, Field: f, Place: reachPoints[reach]}
			if slices.Contains(levels[county], o.Level) {
				m.Level = 1
			}
			m.Score = m.Field + m.Level + m.Place
			nm.Matches = append(nm.Matches, m)
			if o.Capacity >= 0 {
				nm.Capacity += o.Capacity
			} else {
				nm.UnknownCapacity++
			}
			if !n.Suppressed {
				used[j] = true
			}
		}
		sort.SliceStable(nm.Matches, func(a, b int) bool {
			x, y := nm.Matches[a], nm.Matches[b]
			if x.Score != y.Score {
				return x.Score > y.Score
			}
			if x.Field != y.Field {
				return x.Field > y.Field
			}
			if x.Place != y.Place {
				return x.Place > y.Place
			}
			sx, sy := os[x.Offer].Start, os[y.Offer].Start
			if !sx.Equal(sy) {
				if sx.IsZero() || sy.IsZero() {
					return sy.IsZero()
				}
				return sx.Before(sy)
			}
			return x.Offer < y.Offer
		})
		out[i] = nm
	}
	var idle []int
	for j, u := range used {
		if !u {
			idle = append(idle, j)
		}
	}
	return out, idle
}

// needCounty is the county of a need's region: a county itself, a
// municipality's first two digits, a grouping's members' county when they
// share one ("" otherwise).
func needCounty(n Need, geo Geography) string {
	switch n.RegionLevel {
	case LevelCounty:
		return n.Region
	case LevelMunicipality:
		if len(n.Region) == 4 {
			return n.Region[:2]
		}
	case LevelGroup:
		c := ""
		for _, m := range geo.Groups[n.Region] {
			if len(m) != 4 || (c != "" && m[:2] != c) {
				return ""
			}
			c = m[:2]
		}
		return c
	}
	return ""
}
