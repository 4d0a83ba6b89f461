package book

import (
	"math"
	"strings"

	"github.com/grunnlag/grunnlag/charts"
)

// guide is what a chart tells its reader besides its data: the titles of
// its axes and the entries of its legend (line names, the sexes of a
// pyramid, a heatmap's colour scale with its class bounds, a map's unit),
// as the chart draws them. The book writes it on the <figure>
// (data-axes, data-legend) so a reader's tools and the browser test can
// see that every chart explains itself.
type guide struct {
	Axes, Legend []string
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// chartGuide returns the guide of c.
func chartGuide(c charts.Chart) guide {
	switch c := c.(type) {
	case *charts.TimeSeries:
		g := guide{Axes: nonEmpty(c.YLabel, c.XLabel)}
		for _, l := range c.Lines {
			for i := range l.XY.Len() {
				if _, y := l.XY.XY(i); !math.IsNaN(y) && !math.IsInf(y, 0) {
					g.Legend = append(g.Legend, l.Name)
					break
				}
			}
		}
		return g
	case *charts.RankedBars:
		g := guide{Axes: nonEmpty(c.XLabel, c.YLabel)}
		if !math.IsNaN(c.Reference) && c.RefLabel != "" {
			g.Legend = []string{c.RefLabel}
		}
		return g
	case *charts.DivergingBars:
		return guide{Axes: nonEmpty(c.XLabel, c.YLabel)}
	case *charts.DotInterval:
		g := guide{Axes: nonEmpty(c.XLabel, c.YLabel)}
		if !math.IsNaN(c.Reference) && c.RefLabel != "" {
			g.Legend = []string{c.RefLabel}
		}
		return g
	case *charts.Pyramid:
		g := guide{Axes: nonEmpty(c.XLabel, c.YLabel), Legend: nonEmpty(c.LeftLabel, c.RightLabel)}
		if c.CompareLeft != nil {
			g.Legend = append(g.Legend, nonEmpty(c.CompareLabel)...)
		}
		return g
	case *charts.Heatmap:
		dec := c.Decimals
		if dec <= 0 {
			dec = charts.DecimalsFor(c.Unit, c.Mid)
		}
		g := guide{Legend: nonEmpty(c.ScaleLabel)}
		for _, b := range c.LegendBounds() {
			g.Legend = append(g.Legend, charts.FormatNumber(b, dec, c.Lang))
		}
		return g
	case *charts.Choropleth:
		return guide{Legend: nonEmpty(charts.UnitName(c.Unit, c.Lang))}
	}
	return guide{}
}
