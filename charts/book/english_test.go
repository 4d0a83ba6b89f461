package book

import (
	"html"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/charts"
)

// bokmalWords are words of the book's and the charts' own bokmål text
// that no English page may show (region names are proper names and not
// in the list).
var bokmalWords = []string{
	"Kilde", "kilde", "prikket", "prikking", "Side", "tabell", "oppdatert", "Merknader", "Nøkkeltall", "Menn", "Kvinner",
	"brudd", "Brudd", "Skraverte", "mangler", "siden", "Avvik", "avvik", "kommuner", "fylker", "Befolkning", "befolkningen",
	"prosent", "Prosent", "personer", "indeks", "Utvikling", "Versjon", "Syntetiske", "SYNTETISKE", "syntetiske", "landet", "Landet",
	"høyere", "lavere", "enn", "Rangering", "nummer", "ingen", "Ingen", "beregnet", "Beregnet", "Tall", "tall", "Hele", "og", "mot",
	"Enhet", "Retning", "Formel", "Nivåer", "Lisens", "Hentet", "Datagrunnlag", "Varmekart", "Linjediagram", "Befolkningspyramide",
	"Rangert", "stolpediagram", "Om", "indikatoren", "Hopp", "innholdet", "Innhold", "Periode", "Kategori", "endret",
}

var (
	tagRe       = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]*>`)
	shownAttrRe = regexp.MustCompile(`(?:alt|aria-label|title)="([^"]*)"`)
	svgTxtRe    = regexp.MustCompile(`(?s)<text[^>]*>([^<]*)</text>`)
	wordRe      = regexp.MustCompile(`[\p{L}]+`)
)

// shownText is what a reader sees of a page: its text, the alt texts and
// labels, and the CSS content of the print margins (the running head and
// "Page N of M").
func shownText(name string, b []byte) string {
	s := string(b)
	var out []string
	if strings.HasSuffix(name, ".svg") {
		for _, m := range svgTxtRe.FindAllStringSubmatch(s, -1) {
			out = append(out, html.UnescapeString(m[1]))
		}
		return strings.Join(out, "\n")
	}
	for _, m := range shownAttrRe.FindAllStringSubmatch(s, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	for _, m := range regexp.MustCompile(`content: "([^"]*)"`).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	out = append(out, html.UnescapeString(tagRe.ReplaceAllString(s, " ")))
	return strings.Join(out, "\n")
}

// englishInput is synthInput in English as pipelines/publish makes it:
// English titles and themes from the catalog, English break titles, a
// definition and a population.
func englishInput() *Input {
	in := synthInput()
	in.Lang = charts.English
	in.Title = ""
	in.Themes = []Theme{{ID: "utdanning", Title: "Education"}, {ID: "naering", Title: "Industry structure"}}
	in.Indicators[0].Title, in.Indicators[0].Description = "Higher education", "Share aged 16 and over with a university or college degree."
	in.Indicators[1].Title = "Location quotient by industry"
	in.Changes[0].Title = "Educational attainment (09429)"
	in.Breaks = map[string]string{"region_2024": "County split"}
	def := synthDefinitionEN()
	def.Breaks = []string{"County split"}
	in.Indicators[0].Definition = def
	in.Population = synthPopulation()
	for i := range in.Rows {
		switch in.Rows[i].CategoryLabel {
		case "Industri":
			in.Rows[i].CategoryLabel = "Manufacturing"
		case "Bygg og anlegg":
			in.Rows[i].CategoryLabel = "Construction"
		case "Helse":
			in.Rows[i].CategoryLabel = "Health"
		}
	}
	return in
}

// TestEnglishShowsNoBokmal builds the synthetic book in English and
// checks every page (text, alt texts, print margins) and every chart
// (the SVG's texts) for the bokmål words of bokmalWords.
func TestEnglishShowsNoBokmal(t *testing.T) {
	files := build(t, englishInput())
	bad := map[string]bool{}
	for _, w := range bokmalWords {
		bad[w] = true
	}
	var names []string
	for n := range files {
		if strings.HasSuffix(n, ".html") || strings.HasSuffix(n, ".svg") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) < 10 {
		t.Fatalf("only %d pages and charts", len(names))
	}
	for _, n := range names {
		text := shownText(n, files[n])
		found := map[string]bool{}
		for _, w := range wordRe.FindAllString(text, -1) {
			if bad[w] {
				found[w] = true
			}
		}
		if len(found) > 0 {
			var ws []string
			for w := range found {
				ws = append(ws, w)
			}
			sort.Strings(ws)
			t.Errorf("%s shows bokmål: %s", n, strings.Join(ws, ", "))
		}
	}
	// The list does catch the bokmål book.
	nb := build(t, synthInput())
	if text := shownText("region/4001.html", nb["region/4001.html"]); !strings.Contains(text, "Nøkkeltall") || !strings.Contains(text, "Side") {
		t.Errorf("the bokmål page lacks words of the list; the check would not catch them")
	}
}
