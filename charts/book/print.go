package book

import (
	"strconv"

	"github.com/grunnlag/grunnlag/charts"
)

// runningHead is the head of every printed page of a page about what:
// "Porsgrunn · 15. januar 2026", the date of the indicator table version
// (Input.Version, a UTC stamp "20260115T081500Z"); what alone when the
// version is not a stamp.
func (d *dataset) runningHead(what string) string {
	if date := d.versionDate(); date != "" {
		return what + " · " + date
	}
	return what
}

// versionDate is the date of Input.Version in words, "15. januar 2026"
// ("15 January 2026"), or "" when the version does not start with a
// date YYYYMMDD.
func (d *dataset) versionDate() string {
	v := d.in.Version
	if len(v) < 8 {
		return ""
	}
	y, err1 := strconv.Atoi(v[:4])
	m, err2 := strconv.Atoi(v[4:6])
	day, err3 := strconv.Atoi(v[6:8])
	if err1 != nil || err2 != nil || err3 != nil || m < 1 || m > 12 || day < 1 || day > 31 {
		return ""
	}
	if d.lang == charts.English {
		return strconv.Itoa(day) + " " + charts.MonthName(m, d.lang) + " " + strconv.Itoa(y)
	}
	return strconv.Itoa(day) + ". " + charts.MonthName(m, d.lang) + " " + strconv.Itoa(y)
}

// period is a period code as readers say it (charts.PeriodWords):
// "2025M03" → "mars 2025".
func (d *dataset) period(p string) string { return charts.PeriodWords(p, d.lang) }
