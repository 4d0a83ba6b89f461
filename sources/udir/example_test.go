package udir_test

import (
	"fmt"

	"github.com/grunnlag/grunnlag/sources/udir"
)

func ExampleParse() {
	// A data response in the documented shape (made-up numbers).
	body := `{"metadata": {"rowHierarchy": [{"id": "F", "navn": "Fylke"}],
	                       "columns": [{"id": "202410", "navn": "2024"}]},
	          "rows": [{"navn": "Hele landet", "id": "-10", "data": ["47 312"]},
	                   {"navn": "Telemark", "id": "40", "data": ["*"]}]}`
	ds, err := udir.Parse(udir.Query{Report: "FOY_LK_FylkUtdprogAar"}, []byte(body), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := ds.Dim("region")
	for i := range ds.Values {
		fmt.Printf("%s %s: %v present=%v status=%q\n", r.Codes[i], r.Labels[i], ds.Values[i], ds.Present[i], ds.Status[i])
	}
	// Output:
	// 0 Hele landet: 47312 present=true status=""
	// 40 Telemark: 0 present=false status="*"
}
