package charts

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/plot/plotter"
)

// fixtureBookSeries is a SYNTHETIC figure of the kind the book draws most
// (one per indicator on every region page): a municipality's line
// against its county and the nation, ten yearly periods, at the default
// size, with a description as subtitle and the axis label of the unit.
func fixtureBookSeries() *TimeSeries {
	mk := func(base, step float64, gap int) (plotter.XYs, []string) {
		xy := make(plotter.XYs, 10)
		per := make([]string, 10)
		for i := range xy {
			xy[i] = plotter.XY{X: float64(2016 + i), Y: base + step*float64(i)}
			if i == gap {
				xy[i].Y = math.NaN()
			}
			per[i] = fmt.Sprint(2016 + i)
		}
		return xy, per
	}
	m := meta("Andel med høyere utdanning, Nærøysund",
		"Andelen av befolkningen 16 år og over med utdanning på universitets- og høgskolenivå, i prosent av alle i aldersgruppen",
		"", "Prosent")
	m.Decimals = 1
	r, rp := mk(24.5, 0.45, 2)
	c, cp := mk(31.2, 0.38, -1)
	n, np := mk(35.1, 0.41, -1)
	return &TimeSeries{
		Meta: m,
		Lines: []Line{
			{Name: "Nærøysund", XY: r, Periods: rp, Emphasis: true},
			{Name: "Trøndelag", XY: c, Periods: cp, Color: Orange},
			{Name: "Hele landet", XY: n, Periods: np, Color: Black},
		},
	}
}

// BenchmarkBookSeriesSVG renders the book's typical small figure (see
// fixtureBookSeries) as SVG, the format the region pages embed.
func BenchmarkBookSeriesSVG(b *testing.B) { benchRender(b, fixtureBookSeries(), SVG) }
