package regions_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// TestRegionsCached: Regions is served from a cache after the first call
// for a level and date: a repeated call allocates only the caller's copy
// (the uncached path built and sorted every code: a few dozen
// allocations), gives the same answer as the first, and a caller changing
// its copy changes nothing for the next. The same instant in another
// location is the same key.
func TestRegionsCached(t *testing.T) {
	m := loadModel(t)
	d := date("2024-06-01")
	first := m.Regions(regions.Municipality, d)
	if len(first) != 357 {
		t.Fatalf("Regions(kommune, %s) = %d regions, want 357", d.Format(time.DateOnly), len(first))
	}
	want := fmt.Sprint(first)
	if allocs := testing.AllocsPerRun(20, func() { m.Regions(regions.Municipality, d) }); allocs > 1 {
		t.Errorf("a repeated Regions call allocates %v times, want 1 (the copy)", allocs)
	}
	first[0].Name = "endret av kalleren"
	first = append(first[:1], first[5:]...)
	if got := fmt.Sprint(m.Regions(regions.Municipality, d.In(time.FixedZone("CET", 3600)))); got != want {
		t.Errorf("Regions after a caller changed its copy differs from the first answer")
	}
	_ = first
}

// TestRegionsConcurrent asks many goroutines for the regions of several
// levels and dates at once (run with -race) and requires every answer to
// equal the one computed alone, before any concurrency.
func TestRegionsConcurrent(t *testing.T) {
	m := loadModel(t)
	dates := []string{"2017-06-01", "2019-06-01", "2022-06-01", "2024-06-01"}
	levels := []regions.Level{"", regions.County, regions.Municipality, regions.Nation}
	// Reference answers from a second model, so the cache under test starts
	// empty and is filled by the goroutines.
	ref := loadModel(t)
	want := map[string]string{}
	for _, ds := range dates {
		for _, lv := range levels {
			want[ds+string(lv)] = fmt.Sprint(ref.Regions(lv, date(ds)))
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				ds, lv := dates[(g+i)%len(dates)], levels[(g*3+i)%len(levels)]
				if got := fmt.Sprint(m.Regions(lv, date(ds))); got != want[ds+string(lv)] {
					select {
					case errs <- fmt.Sprintf("Regions(%q, %s) differs from the answer computed alone", lv, ds):
					default:
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// BenchmarkRegions is the call the build makes per table and year: the
// municipalities valid on a date.
func BenchmarkRegions(b *testing.B) {
	m := loadModel(b)
	d := date("2024-06-01")
	b.ReportAllocs()
	for b.Loop() {
		m.Regions(regions.Municipality, d)
	}
}
