package publish

import (
	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/indicators"
)

// Themes are the sections of a region page and the sheets of the
// workbook, in order: indicators.Themes, titled in lang ("en" for
// English, bokmål otherwise). Each indicator's theme is its catalog
// entry's Theme.
func Themes(lang string) []book.Theme {
	var out []book.Theme
	for _, t := range indicators.Themes() {
		title := t.Title
		if lang == "en" {
			title = t.TitleEN
		}
		out = append(out, book.Theme{ID: t.ID, Title: title})
	}
	return out
}
