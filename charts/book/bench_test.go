package book

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"
	"testing"

	"github.com/grunnlag/grunnlag/charts"
)

// demoSizeInput is a SYNTHETIC book input of the demo's size: the nation,
// 15 counties, 7 groupings and 357 municipalities (380 regions), 10
// indicators × 10 yearly periods with national and county comparators.
func demoSizeInput() *Input {
	in := synthInput()
	in.Rows = nil
	var inds []Indicator
	for k := range 10 {
		inds = append(inds, Indicator{ID: fmt.Sprintf("ind_%02d", k), Title: fmt.Sprintf("Indikator %d", k), Unit: "prosent",
			Theme: []string{"utdanning", "naering"}[k%2], Source: "SSB", Table: "09429", Updated: "2025-06-11", Synthetic: true})
	}
	in.Indicators = inds
	nan := math.NaN()
	for _, ind := range inds {
		for y := 2016; y <= 2025; y++ {
			p := fmt.Sprint(y)
			nat := 30 + float64(y-2016)*0.3
			add := func(code, name, level, county string, v float64) {
				r := Row{Indicator: ind.ID, Region: code, RegionLabel: name, RegionLevel: level, Period: p, Value: v, Unit: "prosent",
					Numerator: nan, Denominator: nan, ComparatorValue: nan, GapAbs: nan, GapIndex: nan, Z: nan, CILow: nan, CIHigh: nan}
				if code == "0" {
					in.Rows = append(in.Rows, r)
					return
				}
				n := r
				n.Comparator, n.ComparatorRegion, n.ComparatorValue, n.GapAbs, n.GapIndex = "national", "0", nat, v-nat, v/nat*100
				in.Rows = append(in.Rows, n)
				if county != "" {
					c := r
					c.Comparator, c.ComparatorRegion, c.ComparatorValue, c.GapAbs = "county", county, nat, v-nat
					in.Rows = append(in.Rows, c)
				}
			}
			add("0", "Hele landet", "land", "", nat)
			for c := range 15 {
				add(fmt.Sprintf("%02d", 31+c), fmt.Sprintf("Fylke %d", c), "fylke", "", nat+float64(c%5)-2)
			}
			for g := range 7 {
				add(fmt.Sprintf("gruppe_%d", g), fmt.Sprintf("Gruppe %d", g), "gruppe", "", nat+float64(g%3)-1)
			}
			for m := range 357 {
				add(fmt.Sprintf("%02d%02d", 31+m%15, m/15), fmt.Sprintf("Kommune %d", m), "kommune", fmt.Sprintf("%02d", 31+m%15),
					nat+float64((m*37)%21)/2-5)
			}
		}
	}
	return in
}

// BenchmarkBookDemoSize builds the whole book of a demo-sized synthetic
// table in memory (rendering and HTML, no disk): reports seconds per book
// and pages per second.
func BenchmarkBookDemoSize(b *testing.B) {
	in := demoSizeInput()
	b.ResetTimer()
	var pages int
	for b.Loop() {
		sum, err := Build(context.Background(), in, Options{}, func(string, []byte) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		pages = sum.Pages
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sec, "s/book")
	b.ReportMetric(float64(pages)/sec, "pages/s")
}

// BenchmarkPages is BenchmarkBookDemoSize without the figures (every one
// offered to Carry is taken, as after an incremental change): the pages'
// models and HTML, indexed once. It reports pages per second and MB/s of
// HTML.
func BenchmarkPages(b *testing.B) {
	in := demoSizeInput()
	idx, err := NewIndex(in)
	if err != nil {
		b.Fatal(err)
	}
	var pages, bytes int64
	for b.Loop() {
		var n atomic.Int64
		sum, err := Build(context.Background(), in, Options{Index: idx, Carry: func(charts.Job) bool { return true }}, func(rel string, data []byte) error {
			n.Add(int64(len(data)))
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		pages, bytes = int64(sum.Pages), n.Load()
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(pages)/sec, "pages/s")
	b.ReportMetric(float64(bytes)/sec/1e6, "MB/s")
}
