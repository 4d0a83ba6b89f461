package publish

import (
	"context"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/indicators"
)

// TestEnglishCaveatShown: with --lang en, the book's page of
// sysselsatte_gronn_andel (the catalog indicator with a caveat of its own)
// and the workbook's «Definitions» sheet show the catalog's English caveat
// and formula and neither the bokmål caveat nor a note that the
// definition is Norwegian only; in bokmål (the default) both show the
// bokmål caveat and no English one. The rows are synthRows (SYNTHETIC)
// under the indicator's ID.
func TestEnglishCaveatShown(t *testing.T) {
	ind := catalogIndicator(t, "sysselsatte_gronn_andel")
	if ind.Caveats == "" || ind.CaveatsEN == "" {
		t.Fatalf("%s has no caveats in bokmål or English", ind.ID)
	}
	rows := synthRows(31)
	for i := range rows {
		rows[i].Indicator = ind.ID
	}
	st := publishRows(t, rows)
	ctx := context.Background()
	for _, c := range []struct {
		lang                charts.Lang
		sheet, col, formCol string
		want, bad, wantForm string
		badPage             []string
	}{
		{charts.English, "Definitions", "caveats", "formula", ind.CaveatsEN, ind.Caveats, ind.FormulaEN, []string{"Norwegian only", "Forbehold"}},
		{charts.Bokmal, "Definisjoner", "merknader", "formel", ind.Caveats, ind.CaveatsEN, ind.Formula, []string{"Caveats"}},
	} {
		p := &Publisher{Store: st, Indicators: indicators.Catalog(), Lang: c.lang, Workers: 1}
		res, err := p.Book(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(res.Dir, "indikator", ind.ID+".html"))
		if err != nil {
			t.Fatal(err)
		}
		page := html.UnescapeString(string(b))
		for _, w := range []string{"<li>" + c.want + "</li>", "<dd>" + c.wantForm + "</dd>"} {
			if !strings.Contains(page, w) {
				t.Errorf("%s book: indikator/%s.html lacks %.80q", c.lang, ind.ID, w)
			}
		}
		for _, w := range append([]string{c.bad}, c.badPage...) {
			if strings.Contains(page, w) {
				t.Errorf("%s book: indikator/%s.html has %.80q", c.lang, ind.ID, w)
			}
		}

		res, err = p.Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(filepath.Join(res.Dir, "indikatorer.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		defs, err := f.GetRows(c.sheet)
		f.Close()
		if err != nil || len(defs) < 2 {
			t.Fatalf("%s: sheet %s: %d rows, %v", c.lang, c.sheet, len(defs), err)
		}
		ci, fi := slices.Index(defs[0], c.col), slices.Index(defs[0], c.formCol)
		var row []string
		for _, r := range defs[1:] {
			if len(r) > 0 && r[0] == ind.ID {
				row = r
			}
		}
		if ci < 0 || fi < 0 || row == nil || ci >= len(row) {
			t.Fatalf("%s: sheet %s: no %s row with columns %s and %s (header %q)", c.lang, c.sheet, ind.ID, c.col, c.formCol, defs[0])
		}
		if !strings.Contains(row[ci], c.want) || strings.Contains(row[ci], c.bad) {
			t.Errorf("%s: %s %s = %.120q, want the caveat %.60q and not %.60q", c.lang, c.sheet, c.col, row[ci], c.want, c.bad)
		}
		if row[fi] != c.wantForm {
			t.Errorf("%s: %s %s = %q, want %q", c.lang, c.sheet, c.formCol, row[fi], c.wantForm)
		}
		if c.lang == charts.English {
			checkEnglishDefinitions(t, defs)
		}
	}
}

// checkEnglishDefinitions checks every row of the English «Definitions»
// sheet: its formula, numerator, denominator, disclosure and citation are
// the catalog's English texts (indicators.Indicator.ProseIn(true)).
func checkEnglishDefinitions(t *testing.T, defs [][]string) {
	t.Helper()
	col := func(r []string, name string) string {
		if i := slices.Index(defs[0], name); i >= 0 && i < len(r) {
			return r[i]
		}
		return ""
	}
	byID := map[string][]string{}
	for _, r := range defs[1:] {
		byID[col(r, "id")] = r
	}
	for _, ind := range indicators.Catalog() {
		r, ok := byID[ind.ID]
		if !ok {
			t.Errorf("Definitions: no row %s", ind.ID)
			continue
		}
		p := ind.ProseIn(true)
		for name, want := range map[string]string{"title": p.Title, "formula": p.Formula, "numerator": p.Numerator,
			"denominator": p.Denominator, "disclosure": p.Disclosure, "citation": p.Citation, "sources": strings.Join(p.Sources, "; ")} {
			if got := col(r, name); got != want {
				t.Errorf("Definitions %s %s = %q, want %q", ind.ID, name, got, want)
			}
		}
	}
}
