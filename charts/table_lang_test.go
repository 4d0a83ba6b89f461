package charts

import (
	"slices"
	"testing"
)

// TestTableHeadersEnglish: the data table behind every chart (its CSV)
// names its own columns in the chart's language: bokmål by default, as
// before, and English for Lang English. The labels that come from the
// data (a pyramid's sides, units' names) are the chart's as given.
func TestTableHeadersEnglish(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chart  func() Chart
		nb, en []string
	}{
		{"ranked", func() Chart { return fixtureRanked(5) }, []string{"rang", "enhet", "verdi", "uthevet"}, []string{"rank", "unit", "value", "highlighted"}},
		{"diverging", func() Chart { return fixtureDiverging() }, []string{"enhet", "avvik"}, []string{"unit", "gap"}},
		{"dot", func() Chart { return fixtureDot() }, []string{"enhet", "verdi", "ki_lav", "ki_hoy"}, []string{"unit", "value", "ci_low", "ci_high"}},
		{"map", func() Chart { return fixtureMap(t) }, []string{"kode", "navn", "verdi", "klasse"}, []string{"code", "name", "value", "class"}},
		{"heatmap", func() Chart { return fixtureHeatmap() }, []string{"rad", "kolonne", "verdi"}, []string{"row", "column", "value"}},
		{"timeseries", func() Chart { return fixtureTimeSeries() }, []string{"serie", "periode", "verdi"}, []string{"series", "period", "value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.chart()
			if got := c.Table().Header; !slices.Equal(got, tc.nb) {
				t.Errorf("bokmål header = %v, want %v", got, tc.nb)
			}
			c.Info().Lang = English
			if got := c.Table().Header; !slices.Equal(got, tc.en) {
				t.Errorf("English header = %v, want %v", got, tc.en)
			}
		})
	}
	p := fixturePyramid()
	p.Lang = English
	if h := p.Table().Header; len(h) < 3 || h[0] != "group" || h[1] != p.LeftLabel || h[2] != p.RightLabel {
		t.Errorf("English pyramid header = %v, want group, %s, %s", h, p.LeftLabel, p.RightLabel)
	}
	// The ranked bars' marker cells too.
	r := fixtureRanked(5)
	r.Lang = English
	marked := 0
	for _, row := range r.Table().Rows {
		switch v := row[3]; v {
		case "yes", "reference":
			marked++
		case "":
		default:
			t.Errorf("English ranked bars marker %q, want yes, reference or empty", v)
		}
	}
	if marked == 0 {
		t.Error("the ranked bars fixture has no highlighted unit or reference: the marker check saw nothing")
	}
}
