package pxweb

import (
	"fmt"
	"strconv"
	"strings"
)

// VarSelection selects the values of one variable.
type VarSelection struct {
	// Variable is the variable (dimension) code, e.g. "Region".
	Variable string
	// Codelist names a codelist of the variable ("agg_KommSummer",
	// "vs_Landet"); "" selects among the variable's own values.
	Codelist string
	// OutputValues is "aggregated" or "single" for an aggregation codelist;
	// "" means aggregated for an aggregation and single for a valueset.
	OutputValues string
	// ValueCodes are value codes and selection expressions (see ParseExpr),
	// resolved against the variable's values or, with Codelist, against the
	// codelist's values. The selection is their union.
	ValueCodes []string
}

// Selection is a query: one VarSelection per selected variable. A variable
// left out is eliminated by the server if its metadata allows elimination;
// otherwise Fetch reports an error before any data request.
type Selection []VarSelection

// ExprKind is the kind of a selection expression.
type ExprKind int

// The selection expression kinds.
const (
	ExprCode   ExprKind = iota // a value code
	ExprAll                    // *
	ExprMask                   // a pattern with * (any run) and ? (one character), e.g. 2020*, 202?M12
	ExprTop                    // top(n) or top(n,offset)
	ExprBottom                 // bottom(n) or bottom(n,offset)
	ExprFrom                   // from(x): x and every value after it
	ExprTo                     // to(x): every value up to and including x
	ExprRange                  // range(a,b): a to b inclusive
)

// Expr is a parsed selection expression.
type Expr struct {
	Kind   ExprKind
	Code   string // ExprCode, ExprMask (the pattern), ExprFrom, ExprTo, ExprRange (first bound)
	Code2  string // ExprRange: the second bound
	N      int    // ExprTop, ExprBottom: the count
	Offset int    // ExprTop, ExprBottom: values skipped first
}

// ParseExpr parses one selection expression of PxWebApi v2:
//
//	0301          the value code 0301
//	*             all values
//	2020*, 202?M1 a mask: * matches any run of characters, ? exactly one
//	top(3)        the first 3 values; for the time variable the 3 latest periods
//	top(3,1)      the same after skipping 1 value (period)
//	bottom(3)     the last 3 values; for the time variable the 3 earliest periods
//	from(2020)    2020 and every value after it
//	to(2020)      every value up to and including 2020
//	range(a,b)    a to b inclusive, in metadata order
//
// Function names are case-insensitive; arguments are trimmed of spaces;
// range splits its argument at the first comma. "Metadata order" is the
// order of the values in the table's metadata (for a codelist, the
// codelist's order).
func ParseExpr(s string) (Expr, error) {
	if s == "" {
		return Expr{}, fmt.Errorf("pxweb: empty selection expression")
	}
	if s == "*" {
		return Expr{Kind: ExprAll}, nil
	}
	if open := strings.IndexByte(s, '('); open > 0 && strings.HasSuffix(s, ")") {
		name := strings.ToLower(s[:open])
		arg := s[open+1 : len(s)-1]
		switch name {
		case "top", "bottom":
			k := ExprTop
			if name == "bottom" {
				k = ExprBottom
			}
			n, off, err := parseCount(arg)
			if err != nil {
				return Expr{}, fmt.Errorf("pxweb: expression %q: %w", s, err)
			}
			return Expr{Kind: k, N: n, Offset: off}, nil
		case "from", "to":
			arg = strings.TrimSpace(arg)
			if arg == "" {
				return Expr{}, fmt.Errorf("pxweb: expression %q: empty argument", s)
			}
			if name == "from" {
				return Expr{Kind: ExprFrom, Code: arg}, nil
			}
			return Expr{Kind: ExprTo, Code: arg}, nil
		case "range":
			a, b, ok := strings.Cut(arg, ",")
			a, b = strings.TrimSpace(a), strings.TrimSpace(b)
			if !ok || a == "" || b == "" {
				return Expr{}, fmt.Errorf("pxweb: expression %q: want range(a,b)", s)
			}
			return Expr{Kind: ExprRange, Code: a, Code2: b}, nil
		}
	}
	if strings.ContainsAny(s, "*?") {
		return Expr{Kind: ExprMask, Code: s}, nil
	}
	return Expr{Kind: ExprCode, Code: s}, nil
}

func parseCount(arg string) (n, off int, err error) {
	a, b, hasOff := strings.Cut(arg, ",")
	n, err = strconv.Atoi(strings.TrimSpace(a))
	if err != nil || n < 1 {
		return 0, 0, fmt.Errorf("count %q: want a positive integer", a)
	}
	if hasOff {
		off, err = strconv.Atoi(strings.TrimSpace(b))
		if err != nil || off < 0 {
			return 0, 0, fmt.Errorf("offset %q: want a non-negative integer", b)
		}
	}
	return n, off, nil
}

// matchMask reports whether code matches pattern, where * matches any run
// of characters (also empty) and ? exactly one character (rune).
func matchMask(pattern, code string) bool {
	p, c := []rune(pattern), []rune(code)
	// Iterative wildcard matching with backtracking to the last star.
	pi, ci, star, mark := 0, 0, -1, 0
	for ci < len(c) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == c[ci]):
			pi++
			ci++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ci
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ci = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// Resolve returns the positions in codes (ascending, without duplicates)
// selected by the union of exprs. isTime selects the time-variable meaning
// of top and bottom. A code or bound that is not in codes is an error
// naming it; so is a selection that selects nothing.
func Resolve(codes []string, isTime bool, exprs []string) ([]int, error) {
	pos := make(map[string]int, len(codes))
	for i, c := range codes {
		if _, dup := pos[c]; !dup {
			pos[c] = i
		}
	}
	sel := make([]bool, len(codes))
	mark := func(lo, hi int) { // inclusive, clipped
		lo, hi = max(lo, 0), min(hi, len(codes)-1)
		for i := lo; i <= hi; i++ {
			sel[i] = true
		}
	}
	find := func(code string) (int, error) {
		i, ok := pos[code]
		if !ok {
			return 0, fmt.Errorf("value %q is not a valid value code", code)
		}
		return i, nil
	}
	n := len(codes)
	for _, s := range exprs {
		if i, ok := pos[s]; ok { // an exact code wins over any reading as an expression
			sel[i] = true
			continue
		}
		e, err := ParseExpr(s)
		if err != nil {
			return nil, err
		}
		switch e.Kind {
		case ExprCode:
			return nil, fmt.Errorf("value %q is not a valid value code", e.Code)
		case ExprAll:
			mark(0, n-1)
		case ExprMask:
			for i, c := range codes {
				if matchMask(e.Code, c) {
					sel[i] = true
				}
			}
		case ExprTop, ExprBottom:
			fromStart := (e.Kind == ExprTop) != isTime
			if fromStart {
				mark(e.Offset, e.Offset+e.N-1)
			} else {
				mark(n-e.Offset-e.N, n-e.Offset-1)
			}
		case ExprFrom:
			i, err := find(e.Code)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s, err)
			}
			mark(i, n-1)
		case ExprTo:
			i, err := find(e.Code)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s, err)
			}
			mark(0, i)
		case ExprRange:
			i, err := find(e.Code)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s, err)
			}
			j, err := find(e.Code2)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s, err)
			}
			mark(min(i, j), max(i, j))
		}
	}
	var out []int
	for i, ok := range sel {
		if ok {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("selection %q selects no values", strings.Join(exprs, ","))
	}
	return out, nil
}
