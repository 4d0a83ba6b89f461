package build

import (
	"context"
	"fmt"
	"math"

	"github.com/grunnlag/grunnlag/indicators"
)

// Compute turns an indicator's values into the long table: one row per
// comparator, with gaps, rank and z-score among units of the same level.
// Hand-made shares: three Telemark municipalities 1/10, 2/10, 3/10 and
// the nation 6/30 (as if they were the whole country); the rest of the
// country for Porsgrunn (4001) is (6-1)/(30-10) = 25 %.
func ExampleCompute() {
	m := loadModel(nil)
	target := m.Latest()
	ind := &indicators.Indicator{ID: "eksempel_andel", Unit: "prosent", Scale: 100, Levels: indicators.AllLevels,
		Comparators: []indicators.Comparator{indicators.National, indicators.RestOfCountry}, Basis: indicators.Register}
	nan := math.NaN()
	vals := []indicators.Value{
		{Region: "0", Period: "2025", Num: 6, Den: 30, Value: 20, Valid: true, CILow: nan, CIHigh: nan},
		{Region: "4001", Period: "2025", Num: 1, Den: 10, Value: 10, Valid: true, CILow: nan, CIHigh: nan},
		{Region: "4003", Period: "2025", Num: 2, Den: 10, Value: 20, Valid: true, CILow: nan, CIHigh: nan},
		{Region: "4005", Period: "2025", Num: 3, Den: 10, Value: 30, Valid: true, CILow: nan, CIHigh: nan},
	}
	ind.Compute = func(*indicators.Inputs) ([]indicators.Value, error) { return vals, nil }
	in := &indicators.Inputs{Regions: Units(m, target, nil)}
	rows, _, err := Compute(context.Background(), m, target, nil, []*indicators.Indicator{ind}, in, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		cmp := r.Comparator
		if cmp == "" {
			cmp = "-"
		}
		fmt.Printf("%-4s %-15s value %4.1f comparator %4.1f gap %5.1f rank %d/%d\n",
			r.Region, cmp, r.Value, r.ComparatorValue, r.GapAbs, r.Rank, r.NRanked)
	}
	// Output:
	// 0    -               value 20.0 comparator  NaN gap   NaN rank 1/1
	// 4001 national        value 10.0 comparator 20.0 gap -10.0 rank 3/3
	// 4001 rest_of_country value 10.0 comparator 25.0 gap -15.0 rank 3/3
	// 4003 national        value 20.0 comparator 20.0 gap   0.0 rank 2/3
	// 4003 rest_of_country value 20.0 comparator 20.0 gap   0.0 rank 2/3
	// 4005 national        value 30.0 comparator 20.0 gap  10.0 rank 1/3
	// 4005 rest_of_country value 30.0 comparator 15.0 gap  15.0 rank 1/3
}
