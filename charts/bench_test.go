package charts

import (
	"io"
	"testing"
)

// BenchmarkRankedBars357 renders a ranked bar of all 357 municipalities
// (synthetic values) as PNG; reports charts/s.
func BenchmarkRankedBars357(b *testing.B) {
	c := fixtureRanked(357)
	benchRender(b, c, PNG)
}

// BenchmarkRankedBars357SVG is the same chart as SVG.
func BenchmarkRankedBars357SVG(b *testing.B) { benchRender(b, fixtureRanked(357), SVG) }

// BenchmarkChoropleth renders the municipality map (357 areas) as PNG.
func BenchmarkChoropleth(b *testing.B) { benchRender(b, fixtureMap(b), PNG) }

// BenchmarkTimeSeriesSVG renders a region page's line chart as SVG.
func BenchmarkTimeSeriesSVG(b *testing.B) { benchRender(b, fixtureTimeSeries(), SVG) }

// benchRender renders c in format f on GOMAXPROCS goroutines, as
// RenderAll does. Besides ns/op (wall time) it reports charts/s and
// cpu-ns/op, the process's CPU time per chart (garbage collection
// included), which moves less than wall time on a machine shared with
// other work.
func benchRender(b *testing.B, c Chart, f Format) {
	b.ReportAllocs()
	cpu0, cpuOK := processCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := Render(io.Discard, c, f); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "charts/s")
	if cpu1, ok := processCPU(); ok && cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}
