package publish

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// BenchmarkExport writes the exports of a SYNTHETIC indicator table the
// size of a full build: every catalog indicator, 20 periods, the nation,
// 15 counties and 357 municipalities (made-up codes), each county and
// municipality with its national comparator row and each municipality
// with its county's, values drawn from a formula (no meaning). It reports
// the table's rows, the export rows per second and the peak heap in use
// during Export (sampled every 10 ms; the table is built and published
// before, and collected).
func BenchmarkExport(b *testing.B) {
	st, err := store.Open(filepath.Join(b.TempDir(), "kb"))
	if err != nil {
		b.Fatal(err)
	}
	n := publishSyntheticTable(b, st)
	runtime.GC()
	p := &Publisher{Store: st, Indicators: indicators.Catalog()}
	b.ResetTimer()
	var peak float64
	for range b.N {
		stop := samplePeakHeap()
		if _, err := p.Export(context.Background()); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, stop())
	}
	b.ReportMetric(float64(n), "table-rows")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peak, "peak-heap-MB")
}

// publishSyntheticTable publishes the table of BenchmarkExport and
// returns its number of rows.
func publishSyntheticTable(b *testing.B, st *store.Store) int {
	b.Helper()
	nan := math.NaN()
	var rows []build.Row
	for k, ind := range indicators.Catalog() {
		for year := 2005; year < 2025; year++ {
			period := fmt.Sprint(year)
			v := func(i int) float64 { return float64((i*7919+k*104729+year)%1000) / 10 }
			row := func(region, level string, i int) build.Row {
				return build.Row{Indicator: ind.ID, Region: region, RegionLabel: "Region " + region, RegionLevel: level, Period: period,
					Value: v(i), Unit: ind.Unit, Numerator: float64(i * 10), Denominator: float64(i*10 + 1000), ComparatorValue: nan,
					GapAbs: nan, GapIndex: nan, Z: nan, CILow: nan, CIHigh: nan, NUnits: 1, Sources: "synthetic@1", Synthetic: true}
			}
			with := func(r build.Row, comp, region string, cv float64) build.Row {
				r.Comparator, r.ComparatorRegion, r.ComparatorValue = comp, region, cv
				r.GapAbs, r.GapIndex = r.Value-cv, r.Value/cv*100
				return r
			}
			nation := v(0)
			rows = append(rows, row("0", "land", 0))
			for c := 1; c <= 15; c++ {
				county := fmt.Sprintf("%02d", c)
				rows = append(rows, with(row(county, "fylke", c), "national", "0", nation))
			}
			for m := 0; m < 357; m++ {
				county := fmt.Sprintf("%02d", 1+m%15)
				r := row(fmt.Sprintf("%s%02d", county, m/15), "kommune", 100+m)
				r.Rank, r.NRanked = 1+m, 357
				rows = append(rows, with(r, "national", "0", nation), with(r, "county", county, v(1+m%15)))
			}
		}
	}
	rec, err := build.Record(rows)
	if err != nil {
		b.Fatal(err)
	}
	defer rec.Release()
	if _, err := st.PublishIndicators(context.Background(), rec, nil); err != nil {
		b.Fatal(err)
	}
	return len(rows)
}

// samplePeakHeap samples runtime.MemStats.HeapInuse every 10 ms until
// stop is called and returns the highest value seen, in MB.
func samplePeakHeap() (stop func() float64) {
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		mu.Lock()
		peak = max(peak, ms.HeapInuse)
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() float64 {
		close(done)
		wg.Wait()
		sample()
		return float64(peak) / (1 << 20)
	}
}
