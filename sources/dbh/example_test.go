package dbh_test

import (
	"fmt"

	"github.com/grunnlag/grunnlag/sources/dbh"
	"github.com/grunnlag/grunnlag/sources/tabular"
)

func ExampleParse() {
	q := dbh.Query{
		Table:  999, // placeholder ID
		Region: tabular.Region{Cell: tabular.Cell{Column: "Fylkesnr"}},
		Period: tabular.Period{Cell: tabular.Cell{Column: "Årstall"}},
		Value:  "Antall studenter",
	}
	body := `[{"Årstall": "2024", "Fylkesnr": "50", "Antall studenter": "1235"}]`
	ds, err := dbh.Parse(q, []byte(body), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ds.Dim("region").Codes[0], ds.Dim("period").Codes[0], ds.Values[0])
	fmt.Println(ds.Note[0])
	fmt.Println(string(ds.Extension))
	// Output:
	// 50 2024 1235
	// DBH runder av antall til nærmeste 5; summer av avrundede tall kan avvike fra avrundede totaler.
	// {"rounded_to":5}
}

func ExampleQuery_Body() {
	body, _ := dbh.Query{Table: 308, GroupBy: []string{"Institusjonskode", "Årstall"}, SortBy: []string{"Institusjonskode"},
		Filter: []dbh.Filter{{Variable: "Årstall", Selection: dbh.Selection{Filter: "item", Values: []string{"2024"}}}}}.Body()
	fmt.Println(string(body))
	// Output:
	// {"tabell_id":308,"api_versjon":1,"statuslinje":"N","begrensning":"1000","kodetekst":"J","desimal_separator":".","groupBy":["Institusjonskode","Årstall"],"sortBy":["Institusjonskode"],"filter":[{"variabel":"Årstall","selection":{"filter":"item","values":["2024"],"exclude":[""]}}]}
}
