package tabular

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// months maps Norwegian month names and their common abbreviations (and
// the English ones that differ) to month numbers.
var months = map[string]int{
	"januar": 1, "jan": 1, "january": 1,
	"februar": 2, "feb": 2, "february": 2,
	"mars": 3, "mar": 3, "march": 3,
	"april": 4, "apr": 4,
	"mai": 5, "may": 5,
	"juni": 6, "jun": 6, "june": 6,
	"juli": 7, "jul": 7, "july": 7,
	"august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "october": 10, "oct": 10,
	"november": 11, "nov": 11,
	"desember": 12, "des": 12, "december": 12, "dec": 12,
}

var (
	reYear       = regexp.MustCompile(`^(\d{4})$`)
	reMonth      = regexp.MustCompile(`^(\d{4})\s*[Mm](\d{1,2})$`)
	reQuarter    = regexp.MustCompile(`^(\d{4})\s*-?\s*[KkQq](\d)$`)
	reQuarterTxt = regexp.MustCompile(`^(?:(\d{4})\s+)?([1-4])\.?\s*kvartal(?:\s+(\d{4}))?$`)
	reSpan       = regexp.MustCompile(`^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$`)
	reISODate    = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$`)
	reYearMonth  = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	reNODate     = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})$`)
	reYearNum    = regexp.MustCompile(`^(\d{4})\s+(\d{1,2})$`)
	reYearWord   = regexp.MustCompile(`^(\d{4})\s+(\p{L}+)\.?$`)
	reWordYear   = regexp.MustCompile(`^(\p{L}+)\.?\s+(\d{4})$`)
	reSerial     = regexp.MustCompile(`^(\d{5})(?:\.\d+)?$`)
)

// ParsePeriod normalises a period as written in a file to the PxWeb-style
// code and returns the date the period starts (used to resolve region
// names and codes on that date). granularity ("", "month", "quarter",
// "year") says what a date becomes ("" is month). The rules:
//
//	"2024"                               -> "2024"        (starts 1 January)
//	"2024M03", "2024M3", "2024-03"       -> "2024M03"     ("2011-12" is a school year, below, unless granularity is "month")
//	"2024 mars", "mars 2024", "2024 3"   -> "2024M03"     (Norwegian or English month names, abbreviations)
//	"2024K4", "2024Q4", "2024-K4",
//	"4. kvartal 2024", "2024 4. kvartal" -> "2024K4"      (starts on the quarter's first day)
//	"2017-2023", "2017/2023"             -> "2017-2023"   (a span such as a completion cohort; starts 1 January of the first year)
//	"2020-21", "2020/21"                 -> "2020-2021"   (a school year; the label keeps the file's text)
//	"2024-03-15", "15.03.2024",
//	"2024-03-15T00:00:00Z"               -> "2024M03" by default, "2024K1" or "2024" by granularity
//	"45352" (an Excel serial date)       -> as a date
//
// Anything else is an error.
func ParsePeriod(s, granularity string) (code string, start time.Time, err error) {
	t := strings.Join(strings.Fields(s), " ")
	date := func(y, mo, d int) (string, time.Time, error) {
		if mo < 1 || mo > 12 || d < 1 || d > 31 {
			return "", time.Time{}, fmt.Errorf("period %q: not a valid date", s)
		}
		switch granularity {
		case "year":
			return fmt.Sprintf("%04d", y), ymd(y, 1, 1), nil
		case "quarter":
			q := (mo-1)/3 + 1
			return fmt.Sprintf("%04dK%d", y, q), ymd(y, 3*(q-1)+1, 1), nil
		}
		return fmt.Sprintf("%04dM%02d", y, mo), ymd(y, mo, 1), nil
	}
	month := func(y, mo int) (string, time.Time, error) {
		if mo < 1 || mo > 12 {
			return "", time.Time{}, fmt.Errorf("period %q: month %d is not 1-12", s, mo)
		}
		return fmt.Sprintf("%04dM%02d", y, mo), ymd(y, mo, 1), nil
	}
	if m := reYear.FindStringSubmatch(t); m != nil {
		y := atoi(m[1])
		return m[1], ymd(y, 1, 1), nil
	}
	if m := reMonth.FindStringSubmatch(t); m != nil {
		return month(atoi(m[1]), atoi(m[2]))
	}
	if m := reYearMonth.FindStringSubmatch(t); m != nil {
		y, mo := atoi(m[1]), atoi(m[2])
		if granularity == "month" || mo != (y+1)%100 {
			return month(y, mo)
		}
		// "2011-12" is the school year 2011-2012 unless granularity is month.
	}
	if m := reQuarter.FindStringSubmatch(t); m != nil {
		q := atoi(m[2])
		if q < 1 || q > 4 {
			return "", time.Time{}, fmt.Errorf("period %q: quarter %d is not 1-4", s, q)
		}
		y := atoi(m[1])
		return fmt.Sprintf("%04dK%d", y, q), ymd(y, 3*(q-1)+1, 1), nil
	}
	if m := reQuarterTxt.FindStringSubmatch(strings.ToLower(t)); m != nil && (m[1] == "") != (m[3] == "") {
		ys := m[1] + m[3]
		q := atoi(m[2])
		y := atoi(ys)
		return fmt.Sprintf("%04dK%d", y, q), ymd(y, 3*(q-1)+1, 1), nil
	}
	if m := reSpan.FindStringSubmatch(t); m != nil {
		a := atoi(m[1])
		b := atoi(m[2])
		if len(m[2]) == 2 {
			b = a/100*100 + b
			if b < a {
				b += 100
			}
		}
		if b <= a {
			return "", time.Time{}, fmt.Errorf("period %q: the span ends before it starts", s)
		}
		return fmt.Sprintf("%04d-%04d", a, b), ymd(a, 1, 1), nil
	}
	if m := reISODate.FindStringSubmatch(t); m != nil {
		return date(atoi(m[1]), atoi(m[2]), atoi(m[3]))
	}
	if m := reNODate.FindStringSubmatch(t); m != nil {
		return date(atoi(m[3]), atoi(m[2]), atoi(m[1]))
	}
	if m := reYearNum.FindStringSubmatch(t); m != nil {
		return month(atoi(m[1]), atoi(m[2]))
	}
	if m := reYearWord.FindStringSubmatch(t); m != nil {
		if mo, ok := months[strings.ToLower(m[2])]; ok {
			return month(atoi(m[1]), mo)
		}
	}
	if m := reWordYear.FindStringSubmatch(t); m != nil {
		if mo, ok := months[strings.ToLower(m[1])]; ok {
			return month(atoi(m[2]), mo)
		}
	}
	if m := reSerial.FindStringSubmatch(t); m != nil {
		// Excel's 1900 date system: serial 1 is 1900-01-01 and the fake
		// 1900-02-29 (serial 60) is counted, so from March 1900 on the
		// epoch is 1899-12-30. Accept 1950-2150 only.
		n := atoi(m[1])
		if n >= 18264 && n <= 91311 {
			d := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)
			return date(d.Year(), int(d.Month()), d.Day())
		}
	}
	return "", time.Time{}, fmt.Errorf("period %q: not a year, month, quarter, span or date", s)
}

func ymd(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
