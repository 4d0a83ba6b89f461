package book

import (
	"strings"

	"github.com/grunnlag/grunnlag/charts"
)

// Definition is what the indicator catalog knows of an indicator (the
// fields `grunnlag indicators show` prints), carried into the book so its
// "Om indikatoren" page shows it where readers look. The caller
// (pipelines/publish) fills it from the catalog and the knowledge base;
// the book only lays it out, so the text exists once, in the catalog. The
// caller gives it in the book's language (Input.Lang): the catalog words
// every field in bokmål and in English.
type Definition struct {
	Formula     string // "sum{høyere utdanning} / sum{befolkning 16+} * 100"
	Numerator   string
	Denominator string
	Inputs      []DefinitionInput
	Levels      []string // region levels it is computed for (Level*)
	Comparators []string // national, county, rest_of_country, region_group
	Basis       string   // register | survey
	Disclosure  string   // the disclosure rule in words
	Sources     []string // the catalog's source list
	Citation    string
	Licence     string // the licences of the input datasets, joined
	// Breaks are the titles of the series breaks that can affect the
	// indicator (the breaks registry, filtered by its datasets).
	Breaks []string
	// Caveats are what a reader must know: the indicator's own caveats
	// and remarks on how the inputs are read (the inputs' notes:
	// "utledet: ...").
	Caveats []string
}

// DefinitionInput is one input dataset of an indicator with what the
// knowledge base knows of its current version.
type DefinitionInput struct {
	Dataset  string // dataset ID
	Role     string // teller, nevner, ...
	Filter   string // the cells read, in words (indicators.Input.FilterText)
	Optional bool
	Title    string // the dataset's title
	Source   string // attribution
	Table    string // the source's table ID
	Updated  string // the source's updated date
	Fetched  string // when grunnlag fetched it (date)
	Licence  string
}

// defRow is one labelled line of the definition list on an indicator page.
type defRow struct {
	Label string
	Value string
	List  []string // several values, shown as a list
}

// definitionRows lays out an indicator's definition in the book's
// language: unit, direction, formula, numerator, denominator, basis,
// levels, comparators, disclosure, sources, licence, citation, breaks and
// caveats, each only when known. The inputs are a table of their own
// (definitionTable).
func (d *dataset) definitionRows(ind *Indicator) []defRow {
	t := d.text()
	var out []defRow
	add := func(label, v string) {
		if strings.TrimSpace(v) != "" {
			out = append(out, defRow{Label: label, Value: v})
		}
	}
	addList := func(label string, vs []string) {
		if len(vs) > 0 {
			out = append(out, defRow{Label: label, List: vs})
		}
	}
	add(t.DefUnit, charts.UnitName(ind.Unit, d.lang))
	add(t.DefDirection, d.directionWords(ind.Direction))
	def := ind.Definition
	if def == nil {
		add(t.DefSource, ind.Source)
		return out
	}
	add(t.DefFormula, def.Formula)
	add(t.DefNumerator, def.Numerator)
	add(t.DefDenominator, def.Denominator)
	add(t.DefBasis, d.basisWords(def.Basis))
	var levels []string
	for _, l := range def.Levels {
		levels = append(levels, d.levelPlural(l))
	}
	add(t.DefLevels, strings.Join(levels, ", "))
	var comps []string
	for _, c := range def.Comparators {
		comps = append(comps, d.comparatorWords(c))
	}
	add(t.DefComparators, strings.Join(comps, ", "))
	add(t.DefDisclosure, def.Disclosure)
	src := ind.Source
	if src == "" {
		src = strings.Join(def.Sources, "; ")
	}
	add(t.DefSource, src)
	add(t.DefLicence, def.Licence)
	add(t.DefCitation, def.Citation)
	addList(t.DefBreaks, def.Breaks)
	addList(t.DefCaveats, def.Caveats)
	return out
}

// definitionTable is the table of an indicator's inputs: dataset, role,
// cells read, source table, updated and fetched dates, licence.
func (d *dataset) definitionTable(ind *Indicator) *dataTable {
	if ind.Definition == nil || len(ind.Definition.Inputs) == 0 {
		return nil
	}
	t := d.text()
	tbl := &dataTable{Caption: t.DefInputs, Header: []string{t.Dataset, t.DefRole, t.DefCells, t.DefTable, t.DefUpdated, t.DefFetched, t.DefLicence}}
	for _, in := range ind.Definition.Inputs {
		name := in.Dataset
		if in.Title != "" {
			name = in.Title + " (" + in.Dataset + ")"
		}
		role := in.Role
		if r, ok := t.Roles[role]; ok {
			role = r
		}
		if in.Optional {
			role += " (" + t.DefOptional + ")"
		}
		table := in.Table
		if in.Source != "" && table != "" {
			table = in.Source + " " + table
		} else if in.Source != "" {
			table = in.Source
		}
		tbl.Rows = append(tbl.Rows, []string{name, role, in.Filter, table, in.Updated, in.Fetched, in.Licence})
	}
	return tbl
}

func (d *dataset) directionWords(dir string) string {
	t := d.text()
	switch dir {
	case "higher_is_better":
		return t.DirHigher
	case "lower_is_better":
		return t.DirLower
	case "neutral":
		return t.DirNeutral
	}
	return dir
}

func (d *dataset) basisWords(b string) string {
	t := d.text()
	switch b {
	case "register":
		return t.BasisRegister
	case "survey":
		return t.BasisSurvey
	}
	return b
}

func (d *dataset) comparatorWords(c string) string {
	t := d.text()
	switch c {
	case "national":
		return t.CompNational
	case "rest_of_country":
		return t.CompRest
	case "county":
		return t.CompCounty
	case "region_group":
		return t.CompGroup
	}
	return c
}
