package tabular_test

import (
	"fmt"

	"github.com/grunnlag/grunnlag/sources/tabular"
)

func ExampleParse() {
	// A synthetic semicolon file with decimal commas, a space as thousands
	// separator and a suppressed cell.
	csv := "Fylke;År;Antall\n40 Telemark;2024;1 400\n03 Oslo;2024;*\n"
	m, err := tabular.ParseMapping([]byte(`
decimal: ","
region: {column: Fylke, code: prefix}
period: {column: År}
value: {column: Antall}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	ds, err := tabular.Parse("eksempel.csv", []byte(csv), m, tabular.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := ds.Dim("region")
	for i := range ds.Values {
		fmt.Printf("%s %s: value %v present %v status %q\n", r.Codes[i], r.Labels[i], ds.Values[i], ds.Present[i], ds.Status[i])
	}
	// Output:
	// 40 Telemark: value 1400 present true status ""
	// 03 Oslo: value 0 present false status "*"
}

func ExampleBuiltin() {
	m, err := tabular.Builtin("nav-hovedtall")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Name, m.Region.Code, m.Region.Column)
	// Output:
	// nav-hovedtall name Geografisk enhet
}

func ExampleParsePeriod() {
	for _, s := range []string{"2024-03-01", "mars 2024", "4. kvartal 2024", "2020-21", "2017-2023"} {
		code, start, _ := tabular.ParsePeriod(s, "")
		fmt.Println(s, "->", code, start.Format("2006-01-02"))
	}
	// Output:
	// 2024-03-01 -> 2024M03 2024-03-01
	// mars 2024 -> 2024M03 2024-03-01
	// 4. kvartal 2024 -> 2024K4 2024-10-01
	// 2020-21 -> 2020-2021 2020-01-01
	// 2017-2023 -> 2017-2023 2017-01-01
}
