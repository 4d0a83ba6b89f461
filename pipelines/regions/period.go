package regions

import (
	"fmt"
	"strconv"
	"time"

	"github.com/grunnlag/grunnlag/sources/klass"
)

// DefaultPeriodDate is the period → date rule: a period's date is its
// reference date, and a code is resolved on that date. Without more
// knowledge the reference date is the first day of the period: "2019" →
// 2019-01-01, "2019M03" → 2019-03-01, "2019K2"/"2019Q2" → 2019-04-01,
// "2019H2" → 2019-07-01, "2019-03" → 2019-03-01, "2019-03-15" as is, and a
// span of years (a cohort "2019-2025", a school year "2025-2026") its first
// year's 1 January.
//
// SSB table 09429 counts persons on 1 October but publishes each year on
// that year's boundaries; since Norwegian boundary changes take effect on 1
// January, 1 January and 1 October of a year resolve to the same vintage,
// and the default is right for it. A table published on next year's
// boundaries (for example population at 1 January of the next year) needs
// its own PeriodDate.
func DefaultPeriodDate(p string) (time.Time, error) {
	bad := fmt.Errorf("regions: period %q: not YYYY, YYYYMmm, YYYYKq, YYYYQq, YYYYHh, YYYY-MM, YYYY-MM-DD or YYYY-YYYY", p)
	if len(p) < 4 {
		return time.Time{}, bad
	}
	y, err := strconv.Atoi(p[:4])
	if err != nil || y < 1000 {
		return time.Time{}, bad
	}
	rest := p[4:]
	month := 1
	switch {
	case rest == "":
	case len(rest) == 3 && rest[0] == 'M':
		month, err = strconv.Atoi(rest[1:])
		if err != nil || month < 1 || month > 12 {
			return time.Time{}, bad
		}
	case len(rest) == 2 && (rest[0] == 'K' || rest[0] == 'Q'):
		q, err := strconv.Atoi(rest[1:])
		if err != nil || q < 1 || q > 4 {
			return time.Time{}, bad
		}
		month = 3*(q-1) + 1
	case len(rest) == 2 && rest[0] == 'H':
		h, err := strconv.Atoi(rest[1:])
		if err != nil || h < 1 || h > 2 {
			return time.Time{}, bad
		}
		month = 6*(h-1) + 1
	case len(rest) == 3 && rest[0] == '-':
		t, err := time.Parse("2006-01", p)
		if err != nil {
			return time.Time{}, bad
		}
		return t, nil
	case len(rest) == 5 && rest[0] == '-':
		y2, err := strconv.Atoi(rest[1:])
		if err != nil || y2 < y {
			return time.Time{}, bad
		}
	case len(rest) == 6 && rest[0] == '-':
		t, err := time.Parse(klass.DateLayout, p)
		if err != nil {
			return time.Time{}, bad
		}
		return t, nil
	default:
		return time.Time{}, bad
	}
	return time.Date(y, time.Month(month), 1, 0, 0, 0, 0, time.UTC), nil
}
