package build

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/grunnlag/grunnlag/indicators"
)

// TestCatalogComputesFromDeclarations: every catalog indicator takes its
// datasets and filters from its declared inputs, so that a dataset ID or a
// filter is written once. On the SYNTHETIC inputs of BenchmarkCatalog
// (catalogInputs) for the nation, one county and one municipality:
//
//   - with every series under another ID and the indicator's inputs
//     declaring those IDs, Compute gives exactly the values it gives on
//     the original IDs; and the original IDs then give no valid value;
//   - with any one declared code of a dimension the series has replaced by
//     a code the series lacks, Compute gives other values.
func TestCatalogComputesFromDeclarations(t *testing.T) {
	units := []indicators.Region{
		{Code: "0", Name: "Hele landet", Level: indicators.LevelNation, Units: 357},
		{Code: "50", Name: "Trøndelag", Level: indicators.LevelCounty, Units: 38},
		{Code: "5001", Name: "Trondheim", Level: indicators.LevelMunicipality, County: "50", Units: 1},
	}
	in, _ := catalogInputs(t, units)
	renamed := &indicators.Inputs{Regions: units, Series: map[string]*indicators.Series{}}
	for id, s := range in.Series {
		renamed.Series["omdopt_"+id] = s
	}
	compute := func(ind *indicators.Indicator, in *indicators.Inputs) (string, int) {
		t.Helper()
		vals, err := ind.Compute(in)
		if err != nil {
			t.Fatalf("%s: Compute = %v", ind.ID, err)
		}
		valid := 0
		for _, v := range vals {
			if v.Valid {
				valid++
			}
		}
		return fmt.Sprintf("%+v", vals), valid // NaN prints as NaN: comparable
	}
	for _, ind := range indicators.Catalog() {
		t.Run(ind.ID, func(t *testing.T) {
			want, valid := compute(ind, in)
			if valid == 0 {
				t.Fatalf("no valid value on the synthetic inputs")
			}
			// Filters: one code at a time.
			for i, x := range ind.Inputs {
				s := in.Series[x.Dataset]
				for _, dim := range slices.Sorted(maps.Keys(x.Filter)) {
					if s == nil || !slices.Contains(s.Dims, dim) {
						continue // a dimension the series lacks is not read (stramhet_naering's ContentsCode)
					}
					code := x.Filter[dim]
					ind.Inputs[i].Filter = x.Filter.With(dim, "finnes_ikke")
					if got, _ := compute(ind, in); got == want {
						t.Errorf("input %d (%s) with %s=finnes_ikke instead of %s: same values", i, x.Dataset, dim, code)
					}
					ind.Inputs[i].Filter = x.Filter
				}
			}
			// Datasets.
			for i := range ind.Inputs {
				ind.Inputs[i].Dataset = "omdopt_" + ind.Inputs[i].Dataset
			}
			if got, _ := compute(ind, renamed); got != want {
				t.Errorf("on renamed datasets: other values than on the original ones")
			}
			if _, n := compute(ind, in); n != 0 {
				t.Errorf("declaring renamed datasets, %d valid values from the original IDs", n)
			}
		})
	}
}
