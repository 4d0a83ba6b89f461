package indicators

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ErrAgeGroups is returned (wrapped, with the dataset and the offending
// codes) by an indicator whose input's age groups cannot make up the
// indicator's age range exactly.
var ErrAgeGroups = fmt.Errorf("age groups do not cover the age range exactly: %w", ErrUnsuitable)

// openAge is the upper end of an open age group ("67+").
const openAge = math.MaxInt32

// parseAgeGroup reads an age code as SSB writes them: a range "25-29" or
// "025-029", a single year "25" or "025", an open group "67+" or "090+".
// ok is false for anything else (totals such as "999" parse as the single
// year 999; "TOT", "-15" and "25-20" do not parse).
func parseAgeGroup(code string) (lo, hi int, ok bool) {
	num := func(s string) (int, bool) {
		if s == "" || len(s) > 4 {
			return 0, false
		}
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	if a, open := strings.CutSuffix(code, "+"); open {
		lo, ok = num(a)
		return lo, openAge, ok
	}
	if a, b, isRange := strings.Cut(code, "-"); isRange {
		lo, okA := num(a)
		hi, okB := num(b)
		if !okA || !okB || hi < lo {
			return 0, 0, false
		}
		return lo, hi, true
	}
	lo, ok = num(code)
	return lo, lo, ok
}

// ageTiling picks, from the age codes of a dataset, the codes whose ranges
// lie inside [lo, hi] and checks that together they cover every year from
// lo to hi once: no gap and no overlap. It returns them from youngest to
// oldest, or an error wrapping [ErrAgeGroups] that names the gap, the
// overlapping codes and the codes that straddle lo or hi. Codes that do
// not parse ([parseAgeGroup]) are ignored.
func ageTiling(codes []string, lo, hi int) ([]string, error) {
	type group struct {
		code   string
		lo, hi int
	}
	var in []group
	var straddle []string
	for _, c := range codes {
		a, b, ok := parseAgeGroup(c)
		switch {
		case !ok || b < lo || a > hi:
		case a >= lo && b <= hi:
			in = append(in, group{c, a, b})
		default:
			straddle = append(straddle, c)
		}
	}
	slices.SortStableFunc(in, func(x, y group) int {
		if x.lo != y.lo {
			return x.lo - y.lo
		}
		return x.hi - y.hi
	})
	var problems []string
	next := lo // the first year not yet covered
	var prev *group
	for i := range in {
		g := &in[i]
		switch {
		case g.lo > next:
			problems = append(problems, fmt.Sprintf("no group covers %s", span(next, g.lo-1)))
		case g.lo < next:
			problems = append(problems, fmt.Sprintf("%q overlaps %q", g.code, prev.code))
		}
		if g.hi+1 > next {
			next, prev = g.hi+1, g
		}
	}
	if next <= hi {
		problems = append(problems, fmt.Sprintf("no group covers %s", span(next, hi)))
	}
	if len(problems) == 0 {
		out := make([]string, len(in))
		for i, g := range in {
			out[i] = g.code
		}
		return out, nil
	}
	if len(straddle) > 0 {
		problems = append(problems, fmt.Sprintf("groups across the limits: %s", quoteAll(straddle)))
	}
	return nil, fmt.Errorf("ages %d-%d from Alder codes %s: %s: %w", lo, hi, quoteAll(codes), strings.Join(problems, "; "), ErrAgeGroups)
}

func span(a, b int) string {
	if a == b {
		return strconv.Itoa(a)
	}
	return fmt.Sprintf("%d-%d", a, b)
}

func quoteAll(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return "[" + strings.Join(q, " ") + "]"
}
