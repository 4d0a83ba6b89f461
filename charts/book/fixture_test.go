package book

import (
	"math"
	"strconv"

	"github.com/grunnlag/grunnlag/charts"
)

// synthInput is a SYNTHETIC indicator table in the long schema: the
// nation, one county (40 Telemark), one grouping (grenland) and three
// municipalities, two indicators (a share with comparators, and one by
// industry), periods 2020–2025. Values are made up; gaps are computed
// here as value − comparator, as the build step does.
func synthInput() *Input {
	nation := map[string]float64{}
	county := map[string]float64{}
	muni := map[string]map[string]float64{"4001": {}, "4003": {}, "4005": {}}
	periods := []string{"2020", "2021", "2022", "2023", "2024", "2025"}
	for i, p := range periods {
		f := float64(i)
		nation[p] = 35 + 0.5*f
		county[p] = 31 + 0.4*f
		muni["4001"][p] = 30 + 0.3*f
		muni["4003"][p] = 33 + 0.5*f
		muni["4005"][p] = 25 + 0.2*f
	}
	muni["4005"]["2023"] = math.NaN() // suppressed
	var rows []Row
	add := func(region, label, level, period string, v float64, comps [][3]string, flags ...string) {
		base := Row{Indicator: "utdanning_hoyere_andel", Region: region, RegionLabel: label, RegionLevel: level,
			Period: period, Value: v, Unit: "prosent", Numerator: math.NaN(), Denominator: math.NaN(),
			ComparatorValue: math.NaN(), GapAbs: math.NaN(), GapIndex: math.NaN(), Z: math.NaN(),
			CILow: math.NaN(), CIHigh: math.NaN(), NUnits: 1, Flags: flags}
		if len(comps) == 0 {
			rows = append(rows, base)
			return
		}
		for _, c := range comps {
			r := base
			r.Comparator, r.ComparatorRegion = c[0], c[1]
			cv, _ := strconv.ParseFloat(c[2], 64)
			r.ComparatorValue = cv
			r.GapAbs = v - cv
			r.GapIndex = v / cv * 100
			rows = append(rows, r)
		}
	}
	ff := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, p := range periods {
		var br []string
		if p == "2024" {
			br = []string{"series_break:region_2024"}
		}
		add("0", "Hele landet", "land", p, nation[p], nil, br...)
		add("40", "Telemark", "fylke", p, county[p], [][3]string{{"national", "0", ff(nation[p])}}, br...)
		g := (muni["4001"][p] + muni["4003"][p]) / 2
		add("grenland", "Grenland", "gruppe", p, g, [][3]string{{"national", "0", ff(nation[p])}, {"county", "40", ff(county[p])}}, br...)
		for _, code := range []string{"4001", "4003", "4005"} {
			name := map[string]string{"4001": "Porsgrunn", "4003": "Skien", "4005": "Notodden"}[code]
			fl := br
			if math.IsNaN(muni[code][p]) {
				fl = append(append([]string(nil), br...), "suppressed")
			}
			comps := [][3]string{{"national", "0", ff(nation[p])}, {"county", "40", ff(county[p])}}
			if code != "4005" {
				comps = append(comps, [3]string{"region_group", "grenland", ff(g)})
			}
			add(code, name, "kommune", p, muni[code][p], comps, fl...)
		}
	}
	// An indicator by industry (category), latest period only.
	for _, c := range []struct {
		code, label string
		v           float64
	}{{"C", "Industri", 1.4}, {"F", "Bygg og anlegg", 0.9}, {"Q", "Helse", math.NaN()}} {
		rows = append(rows, Row{Indicator: "sysselsatte_naering_lq", Region: "4001", RegionLabel: "Porsgrunn", RegionLevel: "kommune",
			Period: "2025", Category: c.code, CategoryLabel: c.label, Value: c.v, Unit: "indeks", Numerator: math.NaN(), Denominator: math.NaN(),
			ComparatorValue: math.NaN(), GapAbs: math.NaN(), GapIndex: math.NaN(), Z: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()})
	}
	return &Input{
		Title:     "Testbok",
		Lang:      charts.Bokmal,
		Version:   "20260115T081500Z",
		Previous:  "20251201T080000Z",
		Synthetic: true,
		Themes:    []Theme{{ID: "utdanning", Title: "Utdanning"}, {ID: "naering", Title: "Næringsstruktur"}},
		Indicators: []Indicator{
			{ID: "utdanning_hoyere_andel", Title: "Høyere utdanning", Description: "Andel 16 år og over med universitets- eller høgskoleutdanning.",
				Unit: "prosent", Theme: "utdanning", Source: "Statistisk sentralbyrå (SSB)", Table: "09429", Updated: "2025-06-11", Synthetic: true},
			{ID: "sysselsatte_naering_lq", Title: "Lokaliseringskvotient etter næring", Unit: "indeks", Theme: "naering", Decimals: 2,
				Source: "Statistisk sentralbyrå (SSB)", Table: "13470", Updated: "2025-03-01", Synthetic: true},
		},
		Rows:    rows,
		Changes: []Change{{Name: "utdanningsniva", Title: "Utdanningsnivå (09429)", Stamp: "20260115T081500Z", Added: 357, Revised: 12}},
		Breaks:  map[string]string{"region_2024": "Fylkesdelingen"},
	}
}
