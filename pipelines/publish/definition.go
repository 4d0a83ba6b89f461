package publish

import (
	"maps"
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
// is the catalog's.
func Definition(ind *indicators.Indicator, cat *store.Catalog, lang charts.Lang) *book.Definition {
	def := &book.Definition{Formula: ind.Formula, Numerator: ind.Numerator, Denominator: ind.Denominator,
		Levels: ind.Levels, Basis: string(ind.Basis), Disclosure: ind.Disclosure.Rule,
		Sources: ind.Sources, Citation: ind.Citation}
	for _, c := range ind.Comparators {
		def.Comparators = append(def.Comparators, string(c))
	}
	var datasets, licences []string
	for _, in := range ind.Inputs {
		di := book.DefinitionInput{Dataset: in.Dataset, Role: in.Role, Filter: in.FilterText(), Optional: in.Optional}
		if lang == charts.English {
			di.Filter = filterCodes(in)
		}
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
		if in.Note != "" && !slices.Contains(def.Caveats, in.Note) {
			def.Caveats = append(def.Caveats, in.Note)
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
		if lang == charts.English && b.TitleEN != "" {
			title = b.TitleEN
		}
		def.Breaks = append(def.Breaks, title)
	}
	return def
}

// filterCodes is an input's filter as codes only, "dim=code" sorted by
// dimension ("dim=*" for a dimension that varies), for the English book
// and definitions sheet: the words of [indicators.Input.FilterText] (how a
// varying dimension is chosen, the note) are bokmål.
func filterCodes(in indicators.Input) string {
	var parts []string
	for _, d := range slices.Sorted(maps.Keys(in.Filter)) {
		parts = append(parts, d+"="+in.Filter[d])
	}
	for _, d := range slices.Sorted(maps.Keys(in.Vary)) {
		parts = append(parts, d+"=*")
	}
	return strings.Join(parts, ", ")
}
