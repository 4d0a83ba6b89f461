package publish

import (
	"slices"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/charts/export"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// definitionColumns are the columns of the workbook's definitions sheet,
// bokmål and English: what `grunnlag indicators show` prints, with each
// input's table and dates from the catalog.
var definitionColumns = []struct {
	nb, en string
	width  float64
}{
	{"id", "id", 30}, {"tittel", "title", 40}, {"tema", "theme", 24}, {"beskrivelse", "description", 60},
	{"enhet", "unit", 18}, {"desimaler", "decimals", 10}, {"formel", "formula", 50}, {"teller", "numerator", 40},
	{"nevner", "denominator", 40}, {"inndata", "inputs", 80}, {"nivåer", "levels", 28}, {"sammenligninger", "comparators", 30},
	{"retning", "direction", 18}, {"grunnlag", "basis", 12}, {"prikking", "disclosure", 40}, {"brudd", "breaks", 60},
	{"kilder", "sources", 40}, {"lisens", "licence", 16}, {"sitering", "citation", 40}, {"merknader", "caveats", 50},
}

// definitionsSheetName is the definitions sheet's name.
func (w exportWords) definitionsSheetName() string {
	if w.en {
		return "Definitions"
	}
	return "Definisjoner"
}

// definitionsSheet adds the sheet «Definisjoner» to wb: one row per
// catalog indicator (p.Indicators, in catalog order) with its definition
// from the catalog (indicators.Indicator: title, description, unit,
// decimals, formula, numerator, denominator, levels, comparators,
// direction, basis, disclosure rule, sources, citation, in the export's
// language: indicators.Indicator.ProseIn), its inputs with the current
// version's table ID, source update date, fetch date and licence from the
// knowledge base's catalog, the series breaks that can affect it
// (indicators.Breaks), and caveats (the indicator's own, the inputs'
// notes, and a synthetic mark when an input dataset is synthetic).
func (p *Publisher) definitionsSheet(wb *export.Workbook, cat *store.Catalog, w exportWords) error {
	cols := make([]export.Column, len(definitionColumns))
	for i, c := range definitionColumns {
		cols[i] = export.Column{Name: c.nb, Kind: export.Text, Width: c.width}
		if w.en {
			cols[i].Name = c.en
		}
		if c.nb == "desimaler" {
			cols[i].Kind = export.Integer
		}
	}
	sw, err := wb.AddSheet(w.definitionsSheetName(), cols, len(p.Indicators))
	if err != nil {
		return err
	}
	themes := Themes(string(p.Lang))
	var cells []export.Cell
	for _, ind := range p.Indicators {
		cells = definitionCells(ind, cat, themes, w, p.Lang, cells[:0])
		if err := sw.WriteRow(cells); err != nil {
			return err
		}
	}
	return nil
}

// definitionCells appends ind's row of the definitions sheet to out.
func definitionCells(ind *indicators.Indicator, cat *store.Catalog, themes []book.Theme, w exportWords, lang charts.Lang, out []export.Cell) []export.Cell {
	prose := ind.ProseIn(lang == charts.English)
	var inputs, datasets, licences, caveats []string
	if prose.Caveats != "" {
		caveats = append(caveats, prose.Caveats)
	}
	synthetic := false
	for _, in := range ind.Inputs {
		text := in.Dataset
		var about []string
		if in.Role != "" {
			about = append(about, in.RoleIn(w.en))
		}
		if f := in.FilterTextIn(w.en); f != "" {
			about = append(about, f)
		}
		if in.Optional {
			about = append(about, w.word("valgfri", "optional"))
		}
		if len(about) > 0 {
			text += " (" + strings.Join(about, "; ") + ")"
		}
		if v := cat.Datasets[in.Dataset].CurrentVersion(); v != nil {
			var facts []string
			if v.Table != "" {
				facts = append(facts, w.word("tabell ", "table ")+v.Table)
			}
			if len(v.SourceUpdated) >= 10 {
				facts = append(facts, w.word("oppdatert ", "updated ")+v.SourceUpdated[:10])
			}
			if !v.FetchedAt.IsZero() {
				facts = append(facts, w.word("hentet ", "fetched ")+v.FetchedAt.UTC().Format("2006-01-02"))
			}
			if len(facts) > 0 {
				text += ": " + strings.Join(facts, ", ")
			}
			if v.Licence != "" && !slices.Contains(licences, v.Licence) {
				licences = append(licences, v.Licence)
			}
			synthetic = synthetic || v.Synthetic
		} else {
			text += ": " + w.word("ikke i kunnskapsbasen", "not in the knowledge base")
		}
		inputs = append(inputs, text)
		if !slices.Contains(datasets, in.Dataset) {
			datasets = append(datasets, in.Dataset)
		}
		if note := in.NoteIn(w.en); note != "" && !slices.Contains(caveats, note) {
			caveats = append(caveats, note)
		}
	}
	if synthetic {
		caveats = append(caveats, w.word("syntetiske demodata i minst ett av datasettene", "synthetic demo data in at least one of the datasets"))
	}
	var breaks []string
	for _, b := range indicators.Breaks() {
		if b.Affects(datasets) {
			breaks = append(breaks, strconv.Itoa(b.Year)+": "+w.breakTitle(b))
		}
	}
	var comparators, levels []string
	for _, c := range ind.Comparators {
		comparators = append(comparators, string(c))
	}
	for _, l := range ind.Levels {
		levels = append(levels, w.level(l))
	}
	txt := export.TextCell
	return append(out,
		txt(ind.ID), txt(prose.Title), txt(themeTitle(themes, ind.Theme)), txt(prose.Description),
		txt(w.unit(ind.Unit)), export.IntCell(int64(ind.Decimals)), txt(prose.Formula), txt(prose.Numerator),
		txt(prose.Denominator), txt(strings.Join(inputs, "; ")), txt(strings.Join(levels, ", ")), txt(strings.Join(comparators, ", ")),
		txt(w.direction(string(ind.Direction))), txt(string(ind.Basis)), txt(prose.Disclosure), txt(strings.Join(breaks, "; ")),
		txt(strings.Join(prose.Sources, "; ")), txt(strings.Join(licences, "; ")), txt(prose.Citation), txt(strings.Join(caveats, "; ")))
}

// word is nb or en as w speaks.
func (w exportWords) word(nb, en string) string {
	if w.en {
		return en
	}
	return nb
}
