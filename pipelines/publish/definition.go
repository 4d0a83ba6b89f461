package publish

import (
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Definition is the catalog's definition of ind for the book's "Om
// indikatoren" page: the fields `grunnlag indicators show` prints, with
// each input's current dataset version (title, source, table, updated and
// fetched dates, licence) from the catalog and the series breaks that can
// affect it (indicators.Breaks, in lang). Nothing is worded here: the text
// is the catalog's, in lang ([indicators.Indicator.ProseIn]). The caveats
// are the indicator's own (Indicator.Caveats), then its inputs' notes.
func Definition(ind *indicators.Indicator, cat *store.Catalog, lang charts.Lang) *book.Definition {
	en := lang == charts.English
	prose := ind.ProseIn(en)
	def := &book.Definition{Formula: prose.Formula, Numerator: prose.Numerator, Denominator: prose.Denominator,
		Levels: ind.Levels, Basis: string(ind.Basis), Disclosure: prose.Disclosure,
		Sources: prose.Sources, Citation: prose.Citation}
	if prose.Caveats != "" {
		def.Caveats = append(def.Caveats, prose.Caveats)
	}
	for _, c := range ind.Comparators {
		def.Comparators = append(def.Comparators, string(c))
	}
	var datasets, licences []string
	for _, in := range ind.Inputs {
		di := book.DefinitionInput{Dataset: in.Dataset, Role: in.Role, Filter: in.FilterTextIn(en), Optional: in.Optional}
		if cat != nil {
			if v := cat.Datasets[in.Dataset].CurrentVersion(); v != nil {
				di.Title, di.Source, di.Table, di.Licence = v.Title, v.Attribution, v.Table, v.Licence
				if len(v.SourceUpdated) >= 10 {
					di.Updated = v.SourceUpdated[:10]
				}
				if !v.FetchedAt.IsZero() {
					di.Fetched = v.FetchedAt.UTC().Format("2006-01-02")
				}
				if v.Licence != "" && !slices.Contains(licences, v.Licence) {
					licences = append(licences, v.Licence)
				}
			}
		}
		if note := in.NoteIn(en); note != "" && !slices.Contains(def.Caveats, note) {
			def.Caveats = append(def.Caveats, note)
		}
		if !slices.Contains(datasets, in.Dataset) {
			datasets = append(datasets, in.Dataset)
		}
		def.Inputs = append(def.Inputs, di)
	}
	def.Licence = strings.Join(licences, "; ")
	for _, b := range indicators.Breaks() {
		if !b.Affects(datasets) {
			continue
		}
		title := b.Title
		if en && b.TitleEN != "" {
			title = b.TitleEN
		}
		def.Breaks = append(def.Breaks, title)
	}
	return def
}
