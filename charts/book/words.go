package book

import (
	"fmt"
	"math"
	"strings"

	"github.com/grunnlag/grunnlag/charts"
)

// GapWords says how far value lies from the comparator in words:
// "4,2 prosentpoeng lavere enn landet" for a share in per cent (unit
// "prosent"), "0,12 høyere enn Telemark" for other units (the unit is
// named unless it is an index or ratio), "på nivå med landet" when the
// gap rounds to zero at the given decimals. English: "4.2 percentage
// points lower than the nation". NaN gives "".
func GapWords(gap float64, unit string, decimals int, comparator string, lang charts.Lang) string {
	if math.IsNaN(gap) || math.IsInf(gap, 0) {
		return ""
	}
	abs := charts.FormatNumber(math.Abs(gap), decimals, lang)
	zero := strings.Trim(charts.FormatNumber(0, decimals, lang), "0,.") == strings.Trim(abs, "0,.")
	en := lang == charts.English
	if zero {
		if en {
			return "level with " + comparator
		}
		return "på nivå med " + comparator
	}
	var u string
	switch {
	case strings.Contains(unit, "prosent") || unit == "percent":
		u = " prosentpoeng"
		if en {
			u = " percentage points"
		}
	case unit == "indeks" || unit == "forhold" || unit == "":
		u = ""
	default:
		u = " " + charts.UnitName(unit, lang)
	}
	dir := "høyere enn"
	if gap < 0 {
		dir = "lavere enn"
	}
	if en {
		dir = "higher than"
		if gap < 0 {
			dir = "lower than"
		}
	}
	return fmt.Sprintf("%s%s %s %s", abs, u, dir, comparator)
}

// TrendWords describes the change from the value of an earlier period to
// the latest: "økt med 1,2 prosentpoeng siden 2020", "gått ned med …",
// "uendret siden 2020".
func TrendWords(from, to float64, fromPeriod, unit string, decimals int, lang charts.Lang) string {
	if math.IsNaN(from) || math.IsNaN(to) {
		return ""
	}
	d := to - from
	abs := charts.FormatNumber(math.Abs(d), decimals, lang)
	en := lang == charts.English
	if strings.Trim(abs, "0,.") == "" {
		if en {
			return "unchanged since " + fromPeriod
		}
		return "uendret siden " + fromPeriod
	}
	u := ""
	switch {
	case strings.Contains(unit, "prosent"):
		u = " prosentpoeng"
		if en {
			u = " percentage points"
		}
	case unit == "indeks" || unit == "forhold" || unit == "":
	default:
		u = " " + charts.UnitName(unit, lang)
	}
	if en {
		w := "up"
		if d < 0 {
			w = "down"
		}
		return fmt.Sprintf("%s %s%s since %s", w, abs, u, fromPeriod)
	}
	w := "økt med"
	if d < 0 {
		w = "gått ned med"
	}
	return fmt.Sprintf("%s %s%s siden %s", w, abs, u, fromPeriod)
}

// unitWords is UnitWords in lang: other units by their English name in
// English (charts.UnitName).
func unitWords(unit string, lang charts.Lang) string {
	return charts.UnitName(UnitWords(unit), lang)
}

// UnitWords is the unit as shown after a key number: "prosent" → "%",
// nothing for an index or a ratio.
func UnitWords(unit string) string {
	switch unit {
	case "prosent":
		return "%"
	case "indeks", "forhold":
		return ""
	}
	return unit
}

// RankWords says a rank with the order it is ranked in, so that rank 1
// reads right: rank 1 is the best by the indicator's direction (the lowest
// value when lower is better, the highest otherwise; a neutral indicator
// ranks the highest first). "nummer 1 av 15 fylker (lavest andel)",
// "nummer 4 av 15 fylker (1 = høyest andel)"; the quantity is "andel" for
// a unit in per cent, else "verdi". English: "rank 1 of 15 counties
// (lowest share)".
func RankWords(rank, n int, levelPlural, direction, unit string, lang charts.Lang) string {
	t := nb
	if lang == charts.English {
		t = en
	}
	extreme := t.RankHighest
	if direction == "lower_is_better" {
		extreme = t.RankLowest
	}
	what := t.ValueWord
	if strings.Contains(unit, "prosent") || unit == "percent" {
		what = t.ShareWord
	}
	s := fmt.Sprintf(t.Rank, rank, n, levelPlural)
	if rank == 1 {
		return s + " (" + fmt.Sprintf(t.RankBest, extreme, what) + ")"
	}
	return s + " " + fmt.Sprintf(t.RankOrder, extreme, what)
}
