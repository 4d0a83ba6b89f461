package indicators

import (
	"sort"
	"strconv"
)

// Break is a series break: from Year on, values of the affected series are
// not comparable with earlier ones. Datasets lists the dataset IDs it
// affects; nil means every regional series (boundary reforms).
type Break struct {
	ID       string
	Year     int
	Title    string // bokmål
	Datasets []string
}

// Breaks is the series-break registry, oldest first. A value whose period
// falls in a break's year carries the flag "series_break:<id>" when one of
// its inputs is affected, so charts can mark the break.
func Breaks() []Break {
	return []Break{
		{ID: "styrk08_2012", Year: 2012, Title: "Yrkeskoder: STYRK-98 erstattet av STYRK-08 i NAVs statistikk", Datasets: []string{"ledige_stillinger", "sokere_stillinger_yrke", "nav_stillinger", "nav_yrkespraksis", "sysselsatte_yrke_alder"}},
		{ID: "nav_stillinger_2017", Year: 2017, Title: "NAV: ny metode for ledige stillinger (alle utlyste, ikke bare meldte)", Datasets: []string{"ledige_stillinger", "sokere_stillinger_yrke", "nav_stillinger", "nav_yrkespraksis"}},
		{ID: "region_2018", Year: 2018, Title: "Regionreform: Sør- og Nord-Trøndelag slått sammen til Trøndelag (50); nye kommunenumre"},
		{ID: "region_2020", Year: 2020, Title: "Kommune- og regionreformen: 356 kommuner, 11 fylker"},
		{ID: "aku_2021", Year: 2021, Title: "AKU: ny arbeidskraftundersøkelse (EU-forordning), brudd i nivå", Datasets: []string{"aku", "unge_utenfor"}},
		{ID: "statistikkloven_2021", Year: 2021, Title: "Ny statistikklov: SSBs nye regler for prikking av små tall", Datasets: []string{"sysselsatte_naering", "sysselsettingsgrad", "unge_utenfor", "sysselsatte_yrke_alder", "sysselsatte_alder_naering"}},
		{ID: "region_2024", Year: 2024, Title: "Fylkesdelingen: Viken, Vestfold og Telemark og Troms og Finnmark delt; Ålesund og Haram delt"},
	}
}

// BreakFlags returns the series-break flags of a value of period (its
// first four characters are the year) computed from datasets.
func BreakFlags(breaks []Break, period string, datasets []string) []string {
	if len(period) < 4 {
		return nil
	}
	y, err := strconv.Atoi(period[:4])
	if err != nil {
		return nil
	}
	var out []string
	for _, b := range breaks {
		if b.Year != y {
			continue
		}
		hit := b.Datasets == nil
		for _, d := range b.Datasets {
			for _, x := range datasets {
				hit = hit || d == x
			}
		}
		if hit {
			out = append(out, FlagSeriesBreak+":"+b.ID)
		}
	}
	sort.Strings(out)
	return out
}
