package px_test

import (
	"fmt"
	"strings"

	"github.com/grunnlag/grunnlag/sources/px"
)

// A small synthetic PX file: two regions by two years, one cell missing.
func ExampleDecode() {
	const file = `CODEPAGE="utf-8";
LANGUAGE="no";
DECIMALS=0;
TITLE="Sysselsatte etter region og år";
CONTENTS="Sysselsatte";
STUB="region";
HEADING="år";
VALUES("region")="Oslo","Bergen";
CODES("region")="0301","4601";
VALUES("år")="2023","2024";
TIMEVAL("år")=TLIST(A1),"2023","2024";
UNITS="personer";
DATA=
1 2
3 "..";
`
	ds, err := px.Decode(strings.NewReader(file), px.Options{Name: "syss.px"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ds.Label, ds.Role.Time, ds.Role.Geo)
	for i := range ds.Values {
		r, y := ds.Dims[0], ds.Dims[1]
		code, year := r.Codes[i/2], y.Codes[i%2]
		if ds.Present[i] {
			fmt.Println(code, year, ds.Values[i])
		} else {
			fmt.Println(code, year, "missing", ds.Status[i])
		}
	}
	// Output:
	// Sysselsatte etter region og år [år] [region]
	// 0301 2023 1
	// 0301 2024 2
	// 4601 2023 3
	// 4601 2024 missing ..
}
