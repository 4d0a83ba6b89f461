package planning_test

import (
	"fmt"

	"github.com/grunnlag/grunnlag/pipelines/planning"
)

// An industry category counts for a programme only when it lies wholly
// within the programme's SN2007 divisions: Restaurant- og matfag (10-11,
// 55-56) gets the 07984 group 55-56, not all of manufacturing (10-33).
func ExampleProgramme_Covers() {
	ps, err := planning.DefaultProgrammes()
	if err != nil {
		panic(err)
	}
	for _, p := range ps {
		if p.Code != "RM" {
			continue
		}
		for _, c := range []string{"55-56", "10-33"} {
			r, _ := planning.ParseRange(c)
			fmt.Println(p.Code, r, p.Covers(r))
		}
	}
	// Output:
	// RM 55-56 true
	// RM 10-33 false
}
