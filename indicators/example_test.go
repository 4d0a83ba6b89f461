package indicators_test

import (
	"fmt"

	"github.com/grunnlag/grunnlag/indicators"
)

// The catalog is validated once and looked up by the stable IDs planners
// cite.
func ExampleNewCatalog() {
	reg, err := indicators.NewCatalog(indicators.Catalog()...)
	if err != nil {
		fmt.Println(err)
		return
	}
	ind, ok := reg.Lookup("utdanning_hoyere_andel")
	fmt.Println(ok, ind.ID, ind.Unit, ind.Scale)
	fmt.Println(ind.Formula)
	_, ok = reg.Lookup("finnes_ikke")
	fmt.Println(ok)
	// Output:
	// true utdanning_hoyere_andel prosent 100
	// sum{personer 16+ med nivå 03a+04a} / sum{personer 16+, alle nivåer 01+02a+11+03a+04a+09a} * 100
	// false
}

// A share of a region is computed from its units' counts, never as an
// average of their shares: Skien 2025 (real SSB 09429 counts, see
// PROVENANCE.md), UH short 11432 + long 4033 of 47535 persons 16+.
func ExampleRatio() {
	share, err := indicators.Ratio([]float64{11432, 4033}, []float64{47535, 0}, 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f %%\n", share)
	// Output:
	// 32.53 %
}

// Location quotient by hand: 900 of 18 000 employed in construction in the
// region (5 %) against 200 000 of 2 800 000 in the reference (7.14 %):
// 0.05 / 0.0714 = 0.70, construction is under-represented.
func ExampleLocationQuotient() {
	lq, err := indicators.LocationQuotient(900, 18000, 200000, 2800000)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f\n", lq)
	// Output:
	// 0.70
}

// A Series holds counts keyed by region, period and codes; a Query
// resolves a filter once, with "+" summing codes.
func ExampleSeries_Query() {
	s := indicators.NewSeries("utdanningsniva", "Nivaa", "ContentsCode")
	s.Set("4003", "2025", []string{"03a", "Personer"}, indicators.Cell{Value: 11432, Valid: true})
	s.Set("4003", "2025", []string{"04a", "Personer"}, indicators.Cell{Value: 4033, Valid: true})
	s.Set("4010", "2025", []string{"03a", "Personer"}, indicators.Cell{Valid: false, Status: ":"})
	s.Set("4010", "2025", []string{"04a", "Personer"}, indicators.Cell{Value: 120, Valid: true})
	q := s.Query(indicators.Filter{"Nivaa": "03a+04a", "ContentsCode": "Personer"})
	for _, region := range []string{"4003", "4010", "4001"} {
		c, ok := q.Get(region, "2025")
		fmt.Printf("%s %v %v %g %q\n", region, ok, c.Valid, c.Value, c.Status)
	}
	// Output:
	// 4003 true true 15465 ""
	// 4010 true false 0 ":"
	// 4001 false false 0 ".."
}
