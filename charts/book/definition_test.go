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

// TestIndicatorDefinition checks that the "Om indikatoren" section of an
// indicator page shows every field of the definition it was given, in
// bokmål, and in English the fields the catalog words in English, with
// the note that the others are Norwegian only.
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
	// An indicator without a definition still says unit and source.
	lq := string(build(t, in)["indikator/sysselsatte_naering_lq.html"])
	if !strings.Contains(lq, "<dt>Kilde</dt><dd>Statistisk sentralbyrå (SSB)</dd>") {
		t.Errorf("indikator/sysselsatte_naering_lq.html has no source in its definition")
	}

	in.Lang = charts.English
	page = string(build(t, in)["indikator/utdanning_hoyere_andel.html"])
	for _, want := range []string{"About the indicator", "<dt>Formula</dt>", "<td>numerator</td>", "<dt>Levels</dt><dd>municipalities, counties</dd>",
		"<dt>Compared with</dt><dd>the nation, the county</dd>", "Norwegian only"} {
		if !strings.Contains(page, want) {
			t.Errorf("English indicator page lacks %q", want)
		}
	}
	for _, bad := range []string{"<dt>Teller", "prikking", "utledet"} {
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
