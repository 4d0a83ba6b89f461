package publish

import (
	"testing"

	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/indicators"
)

// TestThemesFromCatalog: the book's sections and the workbook's sheets are
// the catalog's themes, in its order and language, and every catalog
// indicator's theme is one of them (none left to a section titled by its
// bare ID).
func TestThemesFromCatalog(t *testing.T) {
	for _, lang := range []string{"nb", "en"} {
		got := Themes(lang)
		want := indicators.Themes()
		if len(got) != len(want) {
			t.Fatalf("Themes(%s) = %v, want %d themes", lang, got, len(want))
		}
		ids := map[string]bool{}
		for i, th := range got {
			title := want[i].Title
			if lang == "en" {
				title = want[i].TitleEN
			}
			if th.ID != want[i].ID || th.Title != title {
				t.Errorf("Themes(%s)[%d] = %+v, want {%s %s}", lang, i, th, want[i].ID, title)
			}
			ids[th.ID] = true
		}
		for _, ind := range indicators.Catalog() {
			if !ids[ind.Theme] {
				t.Errorf("%s: theme %q is not a section of the book (%s)", ind.ID, ind.Theme, lang)
			}
		}
	}
	if got := Themes("nb")[0].Title; got != "Utdanning" {
		t.Errorf("Themes(nb)[0].Title = %q, want Utdanning", got)
	}
}

// TestCatalogDecimalsShown: the book, its charts and the exports show an
// indicator with the decimals its catalog entry declares, whatever the
// size of its values. The book reads Decimals 0 as "from the unit"
// (charts.DecimalsFor), so an indicator declaring 0 must have a unit
// counted in whole numbers.
func TestCatalogDecimalsShown(t *testing.T) {
	for _, ind := range indicators.Catalog() {
		bi := book.Indicator{ID: ind.ID, Unit: ind.Unit, Decimals: ind.Decimals}
		for _, typical := range []float64{0.05, 0.5, 5, 50, 500, 5000} {
			if got := bi.ShownDecimals(typical); got != ind.Decimals {
				t.Errorf("%s (%s): shown with %d decimals at %g, declared %d", ind.ID, ind.Unit, got, typical, ind.Decimals)
			}
		}
	}
}
