package book

import "testing"

// DrawRegionCharts is drawRegionCharts for the external tests
// (demo_labels_test.go): the SVG charts of the region pages of codes in
// the book of in, and the chart kind of each, by path in the book.
func DrawRegionCharts(t *testing.T, in *Input, codes ...string) (svg map[string][]byte, kinds map[string]string) {
	t.Helper()
	rc := drawRegionCharts(t, in, codes...)
	return rc.svg, rc.kinds
}

// ClippedLabels is clippedLabels for the external tests.
var ClippedLabels = clippedLabels

// RegionChartKinds is regionChartKinds for the external tests.
var RegionChartKinds = regionChartKinds
