package dbh

import "github.com/grunnlag/grunnlag/sources/tabular"

// DemoURL is the endpoint the offline demo bundle (testdata/demo/dbh,
// served by Bundle) answers.
const DemoURL = "https://dbh.offline/api/Tabeller/hentJSONTabellData"

// DemoQuery is the query the demo bundle holds a (synthetic) answer for:
// fagskole students by county and field, 2024, for Telemark (40) and
// Trøndelag (50). Table 999 is a placeholder: DBH's student and fagskole
// table IDs are still to be looked up (DOMAIN.md §8, item 7).
func DemoQuery() Query {
	return Query{
		Table:   999,
		GroupBy: []string{"Årstall", "Fylkesnr", "Fagområdekode"},
		SortBy:  []string{"Fylkesnr"},
		Filter:  []Filter{{Variable: "Årstall", Selection: Selection{Filter: "item", Values: []string{"2024"}}}},
		Region:  tabular.Region{Cell: tabular.Cell{Column: "Fylkesnr", LabelColumn: "Fylkesnavn"}},
		Period:  tabular.Period{Cell: tabular.Cell{Column: "Årstall"}},
		Dims:    tabular.Dims{{ID: "Fagomrade", DimLabel: "Fagområde", Cell: tabular.Cell{Column: "Fagområdekode", LabelColumn: "Fagområde"}}},
		Value:   "Antall studenter",
		Label:   "Fagskolestudenter etter fylke og fagområde (demo, syntetisk)",
	}
}
