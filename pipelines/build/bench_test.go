package build

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// BenchmarkCatalog computes the whole catalog, with comparators, for all
// 357 municipalities, 15 counties, 7 groupings and the nation over 20
// years (monthly unemployment: 240 months). Inputs are SYNTHETIC, generated
// here (PCG, fixed seed), already summed to every unit.
func BenchmarkCatalog(b *testing.B) {
	m := loadModel(b)
	target := m.Latest()
	groups := []regions.Group{}
	for i := 0; i < 7; i++ {
		groups = append(groups, regions.Group{ID: fmt.Sprintf("gruppe_%d", i), Name: "g", Members: []string{"5001", "5006", "5007"}[:1+i%3]})
	}
	units := Units(m, target, groups)
	rng := rand.New(rand.NewPCG(1, 2))
	in := &indicators.Inputs{Regions: units, Series: map[string]*indicators.Series{}}
	edu := indicators.NewSeries("utdanningsniva", "Nivaa", "Kjonn", "ContentsCode")
	ind := indicators.NewSeries("sysselsatte_naering", "NACE2007", "ContentsCode")
	emp := indicators.NewSeries("sysselsettingsgrad", "Kjonn", "Alder", "ContentsCode")
	pop := indicators.NewSeries("befolkning", "Kjonn", "Alder", "ContentsCode")
	unemp := indicators.NewSeries("arbeidsledige", "ContentsCode")
	nace := []string{"01-03", "05-09", "10-33", "35-39", "41-43", "45-47", "49-53", "55-56", "58-63", "64-66", "68-75", "77-82", "84", "85", "86-88", "90-99"}
	ages := []string{"015-019", "020-024", "025-029", "030-034", "035-039", "040-044", "045-049", "050-054", "055-059", "060-064", "065-069", "070-074"}
	cells := 0
	set := func(s *indicators.Series, r, p string, codes []string, v float64) {
		s.Set(r, p, codes, indicators.Cell{Value: v, Valid: true})
		cells++
	}
	for y := 2005; y < 2025; y++ {
		p := fmt.Sprint(y)
		for _, u := range units {
			size := float64(u.Units) * (500 + rng.Float64()*5000)
			for _, lv := range []string{"01", "02a", "11", "03a", "04a", "09a"} {
				set(edu, u.Code, p, []string{lv, "0", "Personer"}, size*rng.Float64())
			}
			tot := 0.0
			for _, n := range nace {
				x := size * rng.Float64() / 8
				tot += x
				set(ind, u.Code, p, []string{n, "SysselsatteArb"}, x)
			}
			set(ind, u.Code, p, []string{"00-99", "SysselsatteArb"}, tot)
			set(emp, u.Code, p, []string{"0", "15-74", "Sysselsatte"}, size*0.6)
			for _, k := range []string{"1", "2"} {
				for _, a := range ages {
					set(pop, u.Code, p, []string{k, a, "Personer1"}, size/24)
				}
			}
			for mo := 1; mo <= 12; mo++ {
				pm := fmt.Sprintf("%sM%02d", p, mo)
				set(unemp, u.Code, pm, []string{"HeltLedige"}, size*0.02*rng.Float64())
				set(unemp, u.Code, pm, []string{"HeltLedige_nevner"}, size*0.7)
			}
		}
	}
	for _, s := range []*indicators.Series{edu, ind, emp, pop, unemp} {
		in.Series[s.Dataset] = s
	}
	reg, err := indicators.NewCatalog(indicators.Catalog()...)
	if err != nil {
		b.Fatal(err)
	}
	var list []*indicators.Indicator
	for _, x := range reg.All() {
		if len(x.MissingInputs(func(d string) bool { return in.Series[d] != nil })) == 0 {
			list = append(list, x)
		}
	}
	b.ResetTimer()
	rows := 0
	for i := 0; i < b.N; i++ {
		rs, _, err := Compute(context.Background(), m, target, groups, list, in, indicators.Breaks())
		if err != nil {
			b.Fatal(err)
		}
		rows = len(rs)
	}
	b.ReportMetric(float64(rows), "rows/op")
	b.ReportMetric(float64(cells)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
