package tabular

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// Marker reports whether a trimmed cell is a suppression or missing-value
// marker: "*" (NAV and Udir suppression) or one of the symbols
// jsonstat.MissingStatus treats as missing (".", "..", "...", ":", "-").
// Such a cell is kept as the cell's status and its value is missing, never
// zero.
func Marker(s string) bool {
	return s == "*" || s == "**" || jsonstat.MissingStatus(s)
}

// ParseNumber parses a number as written in Norwegian statistics files.
// decimal is the decimal mark, '.' or ','. Spaces, no-break spaces
// (U+00A0), narrow no-break spaces (U+202F) and thin spaces (U+2009) are
// thousands separators and are dropped ("1 400" -> 1400). The other mark
// (',' when decimal is '.', '.' when it is ',') is accepted as a thousands
// separator only between groups of exactly three digits ("1.400,5" with
// decimal ',' -> 1400.5). A leading '+' or '-' (or U+2212 minus) and an
// exponent are accepted; a trailing '%' is not (the unit is the mapping's
// business).
func ParseNumber(s string, decimal byte) (float64, error) {
	return parseNumberExp(s, decimal, 0)
}

// parseNumberExp is ParseNumber scaled by 10^exp, done exactly by giving
// strconv an exponent.
func parseNumberExp(s string, decimal byte, exp int) (float64, error) {
	var b strings.Builder
	b.Grow(len(s) + 4)
	other := byte(',')
	if decimal == ',' {
		other = '.'
	}
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, fmt.Errorf("empty number")
	}
	// First pass: drop space-like separators, map the minus sign.
	var digits strings.Builder
	for _, r := range in {
		switch {
		case r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\u2007':
			continue
		case r == '\u2212':
			digits.WriteByte('-')
		case r < unicode.MaxASCII:
			digits.WriteRune(r)
		default:
			return 0, fmt.Errorf("%q is not a number", s)
		}
	}
	t := digits.String()
	if strings.IndexByte(t, other) >= 0 {
		if !groupedThousands(t, other, decimal) {
			return 0, fmt.Errorf("%q is not a number (decimal mark is %q)", s, string(decimal))
		}
		t = strings.ReplaceAll(t, string(other), "")
	}
	if decimal == ',' {
		t = strings.Replace(t, ",", ".", 1)
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, fmt.Errorf("%q is not a number", s)
		}
	}
	b.WriteString(t)
	if exp != 0 {
		if strings.ContainsAny(t, "eE") {
			f, err := strconv.ParseFloat(t, 64)
			if err != nil {
				return 0, fmt.Errorf("%q is not a number", s)
			}
			return f * pow10(exp), nil
		}
		fmt.Fprintf(&b, "e%d", exp)
	}
	f, err := strconv.ParseFloat(b.String(), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return f, nil
}

func pow10(n int) float64 {
	f := 1.0
	for ; n > 0; n-- {
		f *= 10
	}
	for ; n < 0; n++ {
		f /= 10
	}
	return f
}

// groupedThousands reports whether every sep in t separates groups of
// exactly three digits after a first group of one to three digits, before
// any decimal mark.
func groupedThousands(t string, sep, decimal byte) bool {
	if i := strings.IndexByte(t, decimal); i >= 0 {
		t = t[:i]
	}
	t = strings.TrimLeft(t, "+-")
	parts := strings.Split(t, string(sep))
	if len(parts) < 2 || len(parts[0]) < 1 || len(parts[0]) > 3 || parts[0][0] == '0' {
		return false
	}
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return false
			}
		}
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}
