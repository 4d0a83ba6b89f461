package book

import (
	"html"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/charts"
)

// synthDefinition is a SYNTHETIC definition in the catalog's shape
// (indicators' utdanning_hoyere_andel, dates made up).
func synthDefinition() *Definition {
	return &Definition{
		Formula: "sum{høyere utdanning} / sum{befolkning 16+} * 100", Numerator: "personer 16 år+ med høyere utdanning",
		Denominator: "befolkning 16 år+", Levels: []string{LevelMunicipality, LevelCounty}, Comparators: []string{"national", "county"},
		Basis: "register", Disclosure: "registertall: ingen prikking utover SSBs egen",
		Citation: "Statistisk sentralbyrå (SSB), tabell 09429, CC BY 4.0", Licence: "CC BY 4.0",
		Breaks:  []string{"Fylkesdelingen: Viken delt"},
		Caveats: []string{"utledet: summen av nivå 03a og 04a"},
		Inputs: []DefinitionInput{{Dataset: "utdanningsniva", Role: "teller", Filter: "Nivaa=03a+04a, Kjonn=0", Title: "Utdanningsnivå",
			Source: "Statistisk sentralbyrå (SSB)", Table: "09429", Updated: "2025-06-11", Fetched: "2025-06-12", Licence: "CC BY 4.0"}},
	}
}

// synthDefinitionEN is synthDefinition as pipelines/publish fills it for
// the English book: the catalog's English words (indicators'
// utdanning_hoyere_andel, FormulaEN and so on), the codes unchanged.
func synthDefinitionEN() *Definition {
	def := synthDefinition()
	def.Formula = "sum{higher education} / sum{population 16+} * 100"
	def.Numerator, def.Denominator = "persons aged 16 and over with higher education", "population aged 16 and over"
	def.Disclosure = "register data: no suppression beyond Statistics Norway's own"
	def.Citation = "Statistics Norway (SSB), table 09429, CC BY 4.0"
	def.Breaks = []string{"County split: Viken split"}
	def.Caveats = []string{"derived: the sum of levels 03a and 04a"}
	def.Inputs[0].Title, def.Inputs[0].Source = "Educational attainment", "Statistics Norway (SSB)"
	return def
}

// TestIndicatorDefinition checks that the "Om indikatoren" section of an
// indicator page shows every field of the definition it was given, in
// bokmål and in English, with the labels in the book's language; the
// English page shows the English definition whole (formula, numerator,
// denominator, disclosure, citation and caveats included), with no note
// that anything is left out.
func TestIndicatorDefinition(t *testing.T) {
	in := synthInput()
	in.Indicators[0].Definition = synthDefinition()
	// html/template writes "+" as "&#43;": compare the text.
	page := html.UnescapeString(string(build(t, in)["indikator/utdanning_hoyere_andel.html"]))
	for _, want := range []string{`<h2 id="om">Om indikatoren</h2>`,
		"<dt>Formel</dt><dd>sum{høyere utdanning} / sum{befolkning 16+} * 100</dd>",
		"<dt>Teller</dt><dd>personer 16 år+ med høyere utdanning</dd>",
		"<dt>Nevner</dt><dd>befolkning 16 år+</dd>",
		"<dt>Enhet</dt><dd>prosent</dd>",
		"<dt>Nivåer</dt><dd>kommuner, fylker</dd>",
		"<dt>Sammenlignes med</dt><dd>landet, fylket</dd>",
		"<dt>Prikking</dt><dd>registertall: ingen prikking utover SSBs egen</dd>",
		"<dt>Lisens</dt><dd>CC BY 4.0</dd>",
		"<li>Fylkesdelingen: Viken delt</li>", "<li>utledet: summen av nivå 03a og 04a</li>",
		"<caption>Datagrunnlag</caption>",
		"<th scope=\"row\">Utdanningsnivå (utdanningsniva)</th><td>teller</td><td>Nivaa=03a+04a, Kjonn=0</td><td>Statistisk sentralbyrå (SSB) 09429</td><td>2025-06-11</td><td>2025-06-12</td><td>CC BY 4.0</td>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("indikator/utdanning_hoyere_andel.html lacks %q", want)
		}
	}
	// The region pages' "Om indikatoren" links go to the section.
	if r := string(build(t, in)["region/4001.html"]); !strings.Contains(r, `href="../indikator/utdanning_hoyere_andel.html#om"`) {
		t.Errorf("region/4001.html does not link the indicator's definition")
	}
	// An indicator without a definition still says unit and source.
	lq := string(build(t, in)["indikator/sysselsatte_naering_lq.html"])
	if !strings.Contains(lq, "<dt>Kilde</dt><dd>Statistisk sentralbyrå (SSB)</dd>") {
		t.Errorf("indikator/sysselsatte_naering_lq.html has no source in its definition")
	}

	in.Lang = charts.English
	in.Indicators[0].Definition = synthDefinitionEN()
	page = html.UnescapeString(string(build(t, in)["indikator/utdanning_hoyere_andel.html"]))
	for _, want := range []string{"About the indicator", "<td>numerator</td>", "<dt>Levels</dt><dd>municipalities, counties</dd>",
		"<dt>Compared with</dt><dd>the nation, the county</dd>",
		"<dt>Formula</dt><dd>sum{higher education} / sum{population 16+} * 100</dd>",
		"<dt>Numerator</dt><dd>persons aged 16 and over with higher education</dd>",
		"<dt>Denominator</dt><dd>population aged 16 and over</dd>",
		"<dt>Disclosure control</dt><dd>register data: no suppression beyond Statistics Norway's own</dd>",
		"<dt>Citation</dt><dd>Statistics Norway (SSB), table 09429, CC BY 4.0</dd>",
		"<li>derived: the sum of levels 03a and 04a</li>"} {
		if !strings.Contains(page, want) {
			t.Errorf("English indicator page lacks %q", want)
		}
	}
	for _, bad := range []string{"<dt>Teller", "<dt>Formel", "prikking", "utledet", "Norwegian only"} {
		if strings.Contains(page, bad) {
			t.Errorf("English indicator page has %q", bad)
		}
	}
}

// TestRunningHead checks the print rule every page carries: the running
// head "<page> · <date of the version>" (synthInput's version
// 20260115T081500Z is 15 January 2026) and "Side N av M" from the page
// counters.
func TestRunningHead(t *testing.T) {
	for _, c := range []struct {
		lang       charts.Lang
		page, head string
		number     string
	}{
		{charts.Bokmal, "region/4001.html", "Porsgrunn · 15. januar 2026", `"Side " counter(page) " av " counter(pages)`},
		{charts.Bokmal, "indikator/utdanning_hoyere_andel.html", "Høyere utdanning · 15. januar 2026", `"Side " counter(page)`},
		{charts.English, "region/4001.html", "Porsgrunn · 15 January 2026", `"Page " counter(page) " of " counter(pages)`},
		{charts.English, "index.html", "Testbok · 15 January 2026", `"Page " counter(page)`},
	} {
		in := synthInput()
		in.Lang = c.lang
		page := string(build(t, in)[c.page])
		want := `@top-left { content: "` + c.head + `"; }`
		if !strings.Contains(page, want) || !strings.Contains(page, c.number) {
			t.Errorf("%s %s: no running head %q and page number %q in\n%.600s", c.lang, c.page, want, c.number, page)
		}
	}
}

// TestMonthlyPeriods checks that monthly period codes read as dates on a
// region page: synthInput's years 2020–2025 renamed to the months
// 2025M01–2025M06, so the trend runs from January (the earliest of the
// ten periods before the latest) and the break flagged in the fifth
// period is in May.
func TestMonthlyPeriods(t *testing.T) {
	in := synthInput()
	month := map[string]string{"2020": "2025M01", "2021": "2025M02", "2022": "2025M03", "2023": "2025M04", "2024": "2025M05", "2025": "2025M06"}
	for i := range in.Rows {
		if m, ok := month[in.Rows[i].Period]; ok {
			in.Rows[i].Period = m
		}
	}
	page := string(build(t, in)["region/4001.html"])
	for _, want := range []string{"siden januar 2025", "(merk brudd i serien mai 2025)", "Nøkkeltall juni 2025", "Brudd i serien mai 2025: Fylkesdelingen."} {
		if !strings.Contains(page, want) {
			t.Errorf("region/4001.html lacks %q", want)
		}
	}
	if strings.Contains(page, "siden 2025M") {
		t.Errorf("region/4001.html has a period code in its trend text")
	}
}

// TestHeatmapBlankColumn checks that a heatmap column with no gap index
// says why in the chart: a SYNTHETIC Krugman-like indicator compared with
// the county only (as indicators' naering_krugman) has no index against
// the nation for any municipality of Telemark.
func TestHeatmapBlankColumn(t *testing.T) {
	in := synthInput()
	in.Indicators = append(in.Indicators, Indicator{ID: "naering_krugman", Title: "Spesialisering (Krugman-indeks mot landet)", Unit: "indeks", Theme: "naering"})
	for _, code := range []string{"40", "4001", "4003", "4005"} {
		r := Row{Indicator: "naering_krugman", Region: code, RegionLevel: LevelMunicipality, Period: "2025", Value: 0.3, Unit: "indeks",
			ComparatorValue: 0.2, GapAbs: 0.1, GapIndex: 150}
		if code == "40" {
			r.RegionLevel = LevelCounty
		} else {
			r.Comparator, r.ComparatorRegion = "county", "40"
		}
		in.Rows = append(in.Rows, r)
	}
	svg := string(build(t, in)["fig/r/40.varmekart.svg"])
	if !strings.Contains(svg, "Spesialisering: sammenlignes ikke med landet, så det finnes ingen avviksindeks.") {
		t.Errorf("fig/r/40.varmekart.svg does not say why the Krugman column is blank")
	}
	if !strings.Contains(svg, "Avviksindeks (landet = 100)") {
		t.Errorf("fig/r/40.varmekart.svg has no colour legend title")
	}
}
