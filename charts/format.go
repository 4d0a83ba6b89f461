package charts

import (
	"math"
	"strconv"
	"strings"
)

// Typographic characters of Norwegian number formatting.
const (
	ThinSpace = "\u2009" // thousands separator
	Minus     = "\u2212" // minus sign
)

// Lang is the language of the text a chart or page shows.
type Lang string

// Languages.
const (
	Bokmal  Lang = "nb" // the default
	English Lang = "en"
)

// FormatNumber formats v with the given number of decimals in lang's
// convention. Bokmål: decimal comma, thin-space thousands and a true
// minus sign: 12345.67 → "12 345,7", 1234 → "1 234" (thin spaces),
// -0.5 → "−0,5". English: 12,345.7 and -0.5. NaN and infinities give "–"
// (missing). A value that rounds to zero never gets a sign.
func FormatNumber(v float64, decimals int, lang Lang) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	if decimals < 0 {
		decimals = 0
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	neg := v < 0 && strings.Trim(s, "0.") != ""
	intPart, frac, _ := strings.Cut(s, ".")
	sep, dec, minus := ThinSpace, ",", Minus
	if lang == English {
		sep, dec, minus = ",", ".", "-"
	}
	if len(intPart) > 3 {
		var b strings.Builder
		first := len(intPart) % 3
		if first > 0 {
			b.WriteString(intPart[:first])
		}
		for i := first; i < len(intPart); i += 3 {
			if b.Len() > 0 {
				b.WriteString(sep)
			}
			b.WriteString(intPart[i : i+3])
		}
		intPart = b.String()
	}
	out := intPart
	if frac != "" {
		out += dec + frac
	}
	if neg {
		out = minus + out
	}
	return out
}

// FormatPlain formats v for a data file: shortest round-trip
// representation, '.' as decimal separator, "" for NaN.
func FormatPlain(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// DecimalsFor returns a sensible number of decimals for a unit: one for
// per cent, per thousand and indices of ratios, two for quotients
// ("forhold", "indeks" below 10), none for counts ("personer").
func DecimalsFor(unit string, typical float64) int {
	switch {
	case strings.Contains(unit, "person"), strings.Contains(unit, "antall"):
		return 0
	case strings.Contains(unit, "prosent"), strings.Contains(unit, "per 1000"), strings.Contains(unit, "promille"):
		return 1
	}
	if math.Abs(typical) >= 100 {
		return 0
	}
	if math.Abs(typical) >= 10 {
		return 1
	}
	return 2
}

// PeriodX places a period on a time axis: "2024" → 2024, "2024M03" →
// 2024 + 2/12, "2024K2" (quarter) → 2024.25, "2024H2" → 2024.5, a school
// year "2023-2024" → 2023. ok is false for anything else.
func PeriodX(p string) (x float64, ok bool) {
	if len(p) < 4 {
		return 0, false
	}
	y, err := strconv.Atoi(p[:4])
	if err != nil || p[0] == '-' || p[0] == '+' {
		return 0, false
	}
	rest := p[4:]
	if rest == "" {
		return float64(y), true
	}
	if len(rest) == 5 && rest[0] == '-' {
		if _, err := strconv.Atoi(rest[1:]); err == nil {
			return float64(y), true
		}
		return 0, false
	}
	n, err := strconv.Atoi(rest[1:])
	if err != nil || len(rest) < 2 {
		return 0, false
	}
	switch rest[0] {
	case 'M':
		if n >= 1 && n <= 12 && len(rest) == 3 {
			return float64(y) + float64(n-1)/12, true
		}
	case 'K', 'Q':
		if n >= 1 && n <= 4 && len(rest) == 2 {
			return float64(y) + float64(n-1)/4, true
		}
	case 'H':
		if n >= 1 && n <= 2 && len(rest) == 2 {
			return float64(y) + float64(n-1)/2, true
		}
	}
	return 0, false
}

var monthNames = map[Lang][12]string{
	Bokmal:  {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"},
	English: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// MonthName returns the name of month m (1–12) in lang: 3 → "mars"
// ("March"); "" outside 1–12.
func MonthName(m int, lang Lang) string {
	if m < 1 || m > 12 {
		return ""
	}
	if lang != English {
		lang = Bokmal
	}
	return monthNames[lang][m-1]
}

// PeriodWords returns a period code as readers say it: "2025M03" →
// "mars 2025" ("March 2025"), "2025K2" or "2025Q2" → "2. kvartal 2025"
// ("Q2 2025"), "2025H1" → "1. halvår 2025" ("H1 2025"); a year, a school
// year ("2023-2024") and anything [PeriodX] does not know are returned
// as they are.
func PeriodWords(p string, lang Lang) string {
	if _, ok := PeriodX(p); !ok || len(p) < 6 {
		return p
	}
	y, kind, n := p[:4], p[4], p[5:]
	k, err := strconv.Atoi(n)
	if err != nil {
		return p
	}
	en := lang == English
	switch kind {
	case 'M':
		return MonthName(k, lang) + " " + y
	case 'K', 'Q':
		if en {
			return "Q" + n + " " + y
		}
		return n + ". kvartal " + y
	case 'H':
		if en {
			return "H" + n + " " + y
		}
		return n + ". halvår " + y
	}
	return p
}

// unitNames are the English names of the catalog's units (bokmål).
var unitNames = map[string]string{
	"prosent":                      "per cent",
	"personer":                     "persons",
	"antall":                       "number",
	"indeks":                       "index",
	"forhold":                      "ratio",
	"per 100 sysselsatte":          "per 100 employed",
	"per 1000 sysselsatte":         "per 1,000 employed",
	"per 1000 innbyggere 15-24 år": "per 1,000 inhabitants aged 15-24",
	"promille":                     "per thousand",
}

// UnitName returns a unit as shown to readers in lang: the catalog's
// bokmål unit itself, or its English name ("prosent" → "per cent",
// "per 1000 sysselsatte" → "per 1,000 employed"); a unit without an
// English name is returned as it is. Meta.Unit keeps the catalog's unit
// (DecimalsFor reads it); only what is shown is translated.
func UnitName(unit string, lang Lang) string {
	if lang == English {
		if n, ok := unitNames[unit]; ok {
			return n
		}
	}
	return unit
}
