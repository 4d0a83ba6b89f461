package indicators

import (
	"sort"
	"strconv"
)

// Break is a series break: from Year on, values of the affected series are
// not comparable with earlier ones. Datasets lists the dataset IDs it
// affects; nil means every regional series (boundary reforms). Regions
// lists the region codes it touches: a county code touches the county and
// its municipalities, a municipality code that municipality; a grouping or
// a rebuilt county is touched when one of its members is. Nil means every
// region, the nation included.
type Break struct {
	ID       string
	Year     int
	Title    string // bokmål
	TitleEN  string // English, for the book in --lang en
	Datasets []string
	Regions  []string
}

// Breaks is the series-break registry, oldest first. A series of an
// indicator reading an affected dataset carries the flag
// "series_break:<id>" once: at its first period in the break's year, for
// the regions the break touches, and only when the series has a period
// before the break (see [Break.FirstPeriod] and [Break.Touches]).
func Breaks() []Break {
	return []Break{
		{ID: "styrk08_2012", Year: 2012, Title: "Yrkeskoder: STYRK-98 erstattet av STYRK-08 i NAVs statistikk", TitleEN: "Occupation codes: STYRK-98 replaced by STYRK-08 in NAV's statistics", Datasets: []string{"ledige_stillinger", "sokere_stillinger_yrke", "nav_stillinger", "nav_yrkespraksis", "sysselsatte_yrke_alder"}},
		{ID: "nav_stillinger_2017", Year: 2017, Title: "NAV: ny metode for ledige stillinger (alle utlyste, ikke bare meldte)", TitleEN: "NAV: new method for vacancies (all advertised, not only reported)", Datasets: []string{"ledige_stillinger", "sokere_stillinger_yrke", "nav_stillinger", "nav_yrkespraksis"}},
		// Sør- and Nord-Trøndelag merged into 50; its municipalities got
		// new numbers.
		{ID: "region_2018", Year: 2018, Title: "Regionreform: Sør- og Nord-Trøndelag slått sammen til Trøndelag (50); nye kommunenumre", TitleEN: "Regional reform: Sør- and Nord-Trøndelag merged into Trøndelag (50); new municipality numbers", Regions: []string{"50"}},
		{ID: "region_2020", Year: 2020, Title: "Kommune- og regionreformen: 356 kommuner, 11 fylker", TitleEN: "Municipal and regional reform: 356 municipalities, 11 counties"},
		{ID: "aku_2021", Year: 2021, Title: "AKU: ny arbeidskraftundersøkelse (EU-forordning), brudd i nivå", TitleEN: "LFS: new Labour Force Survey (EU regulation), break in level", Datasets: []string{"aku", "unge_utenfor"}},
		{ID: "statistikkloven_2021", Year: 2021, Title: "Ny statistikklov: SSBs nye regler for prikking av små tall", TitleEN: "New Statistics Act: Statistics Norway's new rules for suppressing small numbers", Datasets: []string{"sysselsatte_naering", "sysselsettingsgrad", "unge_utenfor", "sysselsatte_yrke_alder", "sysselsatte_alder_naering"}},
		// The counties split in 2024 (Viken into 31, 32, 33; Vestfold og
		// Telemark into 39, 40; Troms og Finnmark into 55, 56) and the
		// municipalities split (Ålesund 1508 and Haram 1580). Other
		// counties, Trøndelag among them, and the nation kept their
		// territory.
		{ID: "region_2024", Year: 2024, Title: "Fylkesdelingen: Viken, Vestfold og Telemark og Troms og Finnmark delt; Ålesund og Haram delt", TitleEN: "County split: Viken, Vestfold og Telemark and Troms og Finnmark split; Ålesund and Haram split",
			Regions: []string{"31", "32", "33", "39", "40", "55", "56", "1508", "1580"}},
	}
}

// Affects reports whether the break affects a series computed from
// datasets (every series when b.Datasets is nil).
func (b Break) Affects(datasets []string) bool {
	if b.Datasets == nil {
		return true
	}
	for _, d := range b.Datasets {
		for _, x := range datasets {
			if d == x {
				return true
			}
		}
	}
	return false
}

// Touches reports whether the break touches the unit code: true for
// every unit when b.Regions is nil; else when code is listed, when county
// (a municipality's county code) is listed, or when one of members (the
// municipalities of a grouping or of a rebuilt county) is touched.
func (b Break) Touches(code, county string, members []string) bool {
	if b.Regions == nil {
		return true
	}
	for _, x := range b.Regions {
		if x == code || (county != "" && x == county) {
			return true
		}
		for _, m := range members {
			if x == m || (len(m) >= 2 && x == m[:2]) {
				return true
			}
		}
	}
	return false
}

// FirstPeriod returns the period at which a series with the given periods
// (sorted) shows the break: the first one in or after the break's year (a
// series without a value in that year breaks at its next period),
// provided an earlier period exists (a series that starts in or after the
// break year has nothing to break from). A monthly series breaks once, at
// its first month of the year, not every month. ok is false when the series does not
// show the break. Periods whose first four characters are not a year are
// ignored.
func (b Break) FirstPeriod(periods []string) (period string, ok bool) {
	before := false
	for _, p := range periods {
		y, yok := periodYear(p)
		if !yok {
			continue
		}
		if y < b.Year {
			before = true
			continue
		}
		if !before {
			return "", false
		}
		return p, true
	}
	return "", false
}

func periodYear(period string) (int, bool) {
	if len(period) < 4 {
		return 0, false
	}
	y, err := strconv.Atoi(period[:4])
	return y, err == nil
}

// BreakFlags returns the series-break flags of the breaks in period's year
// (its first four characters) that affect datasets, unscoped: every period
// of the year and every region. The build scopes them with
// [Break.FirstPeriod] and [Break.Touches].
func BreakFlags(breaks []Break, period string, datasets []string) []string {
	y, ok := periodYear(period)
	if !ok {
		return nil
	}
	var out []string
	for _, b := range breaks {
		if b.Year == y && b.Affects(datasets) {
			out = append(out, FlagSeriesBreak+":"+b.ID)
		}
	}
	sort.Strings(out)
	return out
}
