package charts_test

import (
	"fmt"
	"math"
	"os"

	"gonum.org/v1/plot/plotter"

	"github.com/grunnlag/grunnlag/charts"
)

// The thousands separator in the output is a thin space (U+2009).
func ExampleFormatNumber() {
	fmt.Println(charts.FormatNumber(12345.67, 1, charts.Bokmal))
	fmt.Println(charts.FormatNumber(-4.2, 1, charts.Bokmal))
	fmt.Println(charts.FormatNumber(12345.67, 1, charts.English))
	// Output:
	// 12 345,7
	// −4,2
	// 12,345.7
}

// A ranked bar chart of four (synthetic) municipalities with the nation as
// reference; its CSV holds exactly the drawn numbers, and Render would
// write the PNG or SVG.
func ExampleRankedBars() {
	c := &charts.RankedBars{
		Meta: charts.Meta{Title: "Høyere utdanning", Unit: "prosent", Source: "SSB", Table: "09429",
			Updated: "2025-06-11", Synthetic: true},
		Labels:    []string{"Porsgrunn", "Skien", "Bamble", "Siljan"},
		Values:    plotter.Values{31.5, 35.5, 26, math.NaN()},
		Highlight: []int{0},
		Reference: 37.5,
		RefLabel:  "Landet",
	}
	if err := charts.Render(os.Stdout, c, charts.CSV); err != nil {
		fmt.Println(err)
	}
	fmt.Println(c.AltText())
	// Output:
	// rang,enhet,verdi,uthevet
	// 1,Skien,35.5,
	// 2,Porsgrunn,31.5,ja
	// 3,Bamble,26,
	// ,Landet,37.5,referanse
	// Rangert stolpediagram: Høyere utdanning. 3 enheter fra 35,5 (Skien) til 26,0 (Bamble). Porsgrunn: 31,5, nummer 2 av 3. Landet: 37,5. 1 uten tall.
}
