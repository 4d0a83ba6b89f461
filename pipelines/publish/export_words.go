package publish

import (
	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/export"
	"github.com/grunnlag/grunnlag/indicators"
)

// exportWords are the words the exports show in one language: bokmål (the
// default, what the exports always said) or English (--lang en).
type exportWords struct{ en bool }

func wordsFor(lang charts.Lang) exportWords { return exportWords{en: lang == charts.English} }

// indicatorColumnsEN are the English names of indicatorColumns, in the
// same order.
var indicatorColumnsEN = []string{"theme", "indicator", "indicator_name", "region", "region_name", "level", "period",
	"category", "category_name", "value", "unit", "numerator", "denominator", "nation", "gap_nation", "index_nation",
	"county", "county_value", "gap_county", "rank", "n_ranked", "ci_low", "ci_high", "n_units", "flags", "sources",
	"direction", "synthetic", "computed"}

// columns are the indicator columns named in w's language.
func (w exportWords) columns() []export.Column {
	if !w.en {
		return indicatorColumns
	}
	cols := make([]export.Column, len(indicatorColumns))
	for i, c := range indicatorColumns {
		c.Name = indicatorColumnsEN[i]
		cols[i] = c
	}
	return cols
}

func (w exportWords) yesNo(b bool) string {
	if w.en {
		if b {
			return "yes"
		}
		return "no"
	}
	return yesNo(b)
}

// direction is DirectionWords in w's language.
func (w exportWords) direction(dir string) string {
	if !w.en {
		return DirectionWords(dir)
	}
	switch dir {
	case "lower_is_better":
		return "lower is better"
	case "higher_is_better":
		return "higher is better"
	}
	return "neutral"
}

// unitsEN are the catalog's units (indicators.Indicator.Unit), the gap
// unit and the header notes in English (a test checks that every catalog
// unit is here).
var unitsEN = map[string]string{
	"prosent":                      "per cent",
	"prosentpoeng":                 "percentage points",
	"indeks":                       "index",
	"forhold":                      "ratio",
	"personer":                     "persons",
	"per 100 sysselsatte":          "per 100 employed",
	"per 1000 sysselsatte":         "per 1000 employed",
	"per 1000 innbyggere 15-24 år": "per 1000 inhabitants aged 15-24",
	"landet = 100":                 "nation = 100",
	"se enhet":                     "see unit",
}

// unit is a unit as w shows it: English from unitsEN, or as it is when
// unitsEN does not know it (a unit the catalog added later).
func (w exportWords) unit(u string) string {
	if !w.en || u == "" {
		return u
	}
	if en, ok := unitsEN[u]; ok {
		return en
	}
	return u
}

// levelsEN are the region levels (region_level) in English.
var levelsEN = map[string]string{
	indicators.LevelNation: "nation", indicators.LevelCounty: "county",
	indicators.LevelMunicipality: "municipality", indicators.LevelGrouping: "grouping",
}

func (w exportWords) level(l string) string {
	if w.en {
		if en, ok := levelsEN[l]; ok {
			return en
		}
	}
	return l
}

// gapUnit is the unit of a difference of two values in unit: percentage
// points for a share in per cent, the unit itself otherwise.
func gapUnit(unit string) string {
	if unit == "prosent" {
		return "prosentpoeng"
	}
	return unit
}

// withUnit is a column header with its unit: "verdi (prosent)".
func (w exportWords) withUnit(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + w.unit(unit) + ")"
}

// sheetColumns are the columns of a workbook sheet whose indicators have
// the units units: the value, comparator and interval columns name the
// unit when the sheet has one ("verdi (prosent)", "avvik_landet
// (prosentpoeng)"), or point to the unit column when it has several; the
// index column says its base. CSV keeps the bare names (w.columns()).
func (w exportWords) sheetColumns(units []string) []export.Column {
	cols := append([]export.Column(nil), w.columns()...)
	unit, gap := "se enhet", "se enhet"
	if len(units) == 1 {
		unit, gap = units[0], gapUnit(units[0])
	}
	for i := range cols {
		switch indicatorColumns[i].Name {
		case "verdi", "landet", "fylkesverdi", "ki_lav", "ki_hoy":
			cols[i].Name = w.withUnit(cols[i].Name, unit)
		case "avvik_landet", "avvik_fylke":
			cols[i].Name = w.withUnit(cols[i].Name, gap)
		case "indeks_landet":
			cols[i].Name = w.withUnit(cols[i].Name, "landet = 100")
		}
	}
	return cols
}

// sheet names and fixed texts in both languages.
func (w exportWords) allSheet() string {
	if w.en {
		return "Indicators"
	}
	return "Indikatorer"
}

func (w exportWords) needsSheet() string {
	if w.en {
		return "Needs and supply"
	}
	return "Behov og tilbud"
}

func (w exportWords) flagColumns() (synthetic, computed string) {
	if w.en {
		return "synthetic", "computed"
	}
	return "syntetisk", "beregnet"
}

// emptyNote is EmptyNote in w's language.
func (w exportWords) emptyNote() export.Sheet {
	if !w.en {
		return EmptyNote()
	}
	return export.Sheet{Name: "Note", Columns: []export.Column{{Name: "note", Kind: export.Text, Width: 90}},
		Rows: [][]any{{"No indicator has rows in the indicator table: all were skipped or found no rows matching the filter. See «grunnlag status» and the output of «grunnlag build»."}}}
}

// breakTitle is a series break's title in w's language (the catalog's
// TitleEN in English); a break with no English title is named by its ID
// in English.
func (w exportWords) breakTitle(b indicators.Break) string {
	if !w.en {
		return b.Title
	}
	if b.TitleEN != "" {
		return b.TitleEN
	}
	return b.ID
}
