package publish

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/export"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// twoThemeRows is a SYNTHETIC table of two indicators in two themes:
// synthRows (utdanning_hoyere_andel, theme Utdanning) and the same rows as
// ledighet_helt_andel (theme Sysselsetting og ledighet), where Skien's
// label looks like a formula (it must stay neutralised in every export)
// and Porsgrunn 2025 carries a series-break flag.
func twoThemeRows() []build.Row {
	rows := synthRows(31)
	for _, r := range synthRows(31) {
		r.Indicator = "ledighet_helt_andel"
		if r.Region == "4003" {
			r.RegionLabel = "=cmd|' /C calc'!A0"
		}
		if r.Region == "4001" && r.Period == "2025" {
			r.Flags = "series_break:region_2020"
		}
		rows = append(rows, r)
	}
	return rows
}

func publishRows(t *testing.T, rows []build.Row) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "kb"))
	if err != nil {
		t.Fatal(err)
	}
	publishRowsTo(t, st, rows)
	return st
}

// wantText is how the CSV (plain) writes a Sheet cell value.
func wantText(v any) string {
	switch x := v.(type) {
	case string:
		return export.Neutralise(x)
	case float64:
		if math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case export.Fixed:
		return wantText(x.Value)
	case int:
		return strconv.Itoa(x)
	}
	return ""
}

// sameCell compares an XLSX raw cell with the expected value: numbers to
// 15 significant digits (excelize writes no more), text exactly.
func sameCell(raw string, v any) bool {
	want := wantText(v)
	switch v.(type) {
	case float64, export.Fixed:
		if want == "" || raw == "" {
			return want == raw
		}
		a, err1 := strconv.ParseFloat(raw, 64)
		b, err2 := strconv.ParseFloat(want, 64)
		return err1 == nil && err2 == nil && math.Abs(a-b) <= 1e-14*math.Max(1, math.Abs(b))
	}
	return raw == want
}

// TestExportStreamsTableRows: the streamed exports hold, row for row, the
// rows IndicatorSheets builds from the whole table in memory (the old
// export's grouping): both CSV files byte for byte as WriteCSV writes
// them, each theme's sheet cell by cell, with a <dimension> that is its
// used range (29 columns, A-AC; 8 rows per indicator: 4 regions × 2
// periods, plus the header), and the formula-like label neutralised
// everywhere. In reverse order the table is still grouped by key and
// (indicator, period) and streams; with one row moved to the end it is
// not (its indicator and period come back), so the streaming pass refuses
// it and the export groups it in memory, with the same rows in its own
// first-seen order.
func TestExportStreamsTableRows(t *testing.T) {
	rows := twoThemeRows()
	reversed := slices.Clone(rows)
	slices.Reverse(reversed)
	// The nation's 2024 row of the first indicator moved to the end: its
	// (indicator, period) comes back after the others.
	rotated := append(slices.Clone(rows[1:]), rows[0])
	for _, tt := range []struct {
		name     string
		rows     []build.Row
		unsorted bool
	}{{"sorted", rows, false}, {"reversed", reversed, false}, {"rotated", rotated, true}} {
		t.Run(tt.name, func(t *testing.T) {
			st := publishRows(t, tt.rows)
			p := &Publisher{Store: st, Indicators: indicators.Catalog()}
			in, err := p.Input()
			if err != nil {
				t.Fatal(err)
			}
			sheets, all := IndicatorSheets(in)
			if len(all.Rows) != 16 || len(sheets) != 2 {
				t.Fatalf("IndicatorSheets: %d rows in %d sheets, want 16 in 2", len(all.Rows), len(sheets))
			}
			cat, _ := st.Catalog()
			err = p.streamGroups(cat.Indicators.Current, p.exportIndicators(cat, exportWords{}), func(*exportIndicator, *exportRow) error { return nil }, nil)
			if got := errors.Is(err, errUnsorted); got != tt.unsorted {
				t.Fatalf("streamGroups() = %v, want errUnsorted: %v", err, tt.unsorted)
			}
			// The rows in memory (a run's shared rows) are refused at the
			// same row, and give the same export rows in the same order.
			var streamed, walked []exportRow
			collect := func(to *[]exportRow) func(*exportIndicator, *exportRow) error {
				return func(_ *exportIndicator, r *exportRow) error { *to = append(*to, *r); return nil }
			}
			inds := p.exportIndicators(cat, exportWords{})
			serr := p.streamGroups(cat.Indicators.Current, inds, collect(&streamed), nil)
			werr := rowsGroups(in.Rows)(cat.Indicators.Current, inds, collect(&walked), nil)
			if fmt.Sprint(werr) != fmt.Sprint(serr) {
				t.Errorf("rowsGroups() = %v, streamGroups() = %v", werr, serr)
			}
			if !tt.unsorted && (len(walked) != 16 || !slices.EqualFunc(walked, streamed, sameExportRow)) {
				t.Errorf("rowsGroups gave %d rows, streamGroups %d, or they differ:\n%+v\n%+v", len(walked), len(streamed), walked, streamed)
			}
			res, err := p.Export(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			// The same export from the rows of a run's InputCache.
			shared := &Publisher{Store: st, Indicators: indicators.Catalog(), Inputs: &InputCache{}}
			if _, err := shared.Input(); err != nil {
				t.Fatal(err)
			}
			before := exportedFiles(t, res.Dir)
			if !tt.unsorted {
				// A sorted table is not read from the file again: with the
				// file gone, the export is still whole.
				files, _ := filepath.Glob(filepath.Join(st.Root(), "indicators", "*", "*.parquet"))
				if len(files) == 0 {
					t.Fatal("no indicator table file to move away")
				}
				for _, f := range files {
					if err := os.Rename(f, f+".away"); err != nil {
						t.Fatal(err)
					}
					defer os.Rename(f+".away", f)
				}
			}
			if _, err := shared.Export(context.Background()); err != nil {
				t.Fatal(err)
			}
			sameExport(t, "from shared rows", exportedFiles(t, res.Dir), before)
			for name, d := range map[string]export.Dialect{"indikatorer.csv": export.Norwegian, "indikatorer-plain.csv": export.Plain} {
				var want bytes.Buffer
				if err := export.WriteCSV(&want, all, d); err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(filepath.Join(res.Dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want.Bytes()) {
					t.Errorf("%s =\n%s\nwant\n%s", name, got, want.Bytes())
				}
			}
			// Read back the plain CSV as a reader would.
			f, err := os.Open(filepath.Join(res.Dir, "indikatorer-plain.csv"))
			if err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(f).ReadAll()
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(all.Rows)+1 {
				t.Fatalf("indikatorer-plain.csv has %d records, want %d", len(recs), len(all.Rows)+1)
			}
			for i, r := range all.Rows {
				for c, v := range r {
					if recs[i+1][c] != wantText(v) {
						t.Errorf("indikatorer-plain.csv row %d %s = %q, want %q", i+1, all.Columns[c].Name, recs[i+1][c], wantText(v))
					}
				}
			}
			checkWorkbook(t, filepath.Join(res.Dir, "indikatorer.xlsx"), sheets)
			if b, _ := os.ReadFile(filepath.Join(res.Dir, "indikatorer-plain.csv")); !strings.Contains(string(b), ",'=cmd|' /C calc'!A0,") {
				t.Error("indikatorer-plain.csv lacks Skien's neutralised label '=cmd…")
			}
		})
	}
}

// sameExportRow: a and b hold the same values, NaN equal to NaN.
func sameExportRow(a, b exportRow) bool {
	for _, f := range []*float64{&a.value, &a.numerator, &a.denominator, &a.ciLow, &a.ciHigh, &a.natValue, &a.natGap, &a.natIndex, &a.countyValue, &a.countyGap,
		&b.value, &b.numerator, &b.denominator, &b.ciLow, &b.ciHigh, &b.natValue, &b.natGap, &b.natIndex, &b.countyValue, &b.countyGap} {
		if math.IsNaN(*f) {
			*f = -1e300
		}
	}
	return a == b
}

// checkWorkbook compares the theme sheets of the workbook at path with
// sheets, cell by cell, and checks their dimensions.
func checkWorkbook(t *testing.T, path string, sheets []export.Sheet) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list := f.GetSheetList()
	if len(list) != len(sheets)+1 || list[len(list)-1] != "Definisjoner" {
		t.Errorf("sheets = %v, want the %d theme sheets and Definisjoner", list, len(sheets))
	}
	for _, s := range sheets {
		got, err := f.GetRows(s.Name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(s.Rows)+1 {
			t.Fatalf("sheet %s: %d rows, want %d", s.Name, len(got), len(s.Rows)+1)
		}
		for i, r := range s.Rows {
			cells := got[i+1]
			for c, v := range r {
				raw := ""
				if c < len(cells) {
					raw = cells[c]
				}
				if !sameCell(raw, v) {
					t.Errorf("sheet %s row %d %s = %q, want %v", s.Name, i+1, s.Columns[c].Name, raw, v)
				}
			}
		}
		dim, err := f.GetSheetDimension(s.Name)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("A1:AC%d", len(s.Rows)+1); dim != want {
			t.Errorf("sheet %s dimension = %q, want %q", s.Name, dim, want)
		}
	}
}

// TestDefinitionsSheet: the workbook's «Definisjoner» has one row per
// catalog indicator, in catalog order, with the catalog's unit and
// decimals, its inputs (a dataset the knowledge base lacks is said to be
// missing) and the series breaks that can affect it: region_2020 affects
// every series (Datasets nil in indicators.Breaks), so every row names it.
// Its dimension is 20 columns (A-T) by the header plus one row each.
func TestDefinitionsSheet(t *testing.T) {
	st := publishRows(t, synthRows(31))
	res, err := (&Publisher{Store: st, Indicators: indicators.Catalog()}).Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(res.Dir, "indikatorer.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Definisjoner")
	if err != nil {
		t.Fatal(err)
	}
	cat := indicators.Catalog()
	if len(rows) != len(cat)+1 {
		t.Fatalf("Definisjoner has %d rows, want %d (header + one per catalog indicator)", len(rows), len(cat)+1)
	}
	head := rows[0]
	col := func(r []string, name string) string {
		i := slices.Index(head, name)
		if i < 0 || i >= len(r) {
			return ""
		}
		return r[i]
	}
	for i, ind := range cat {
		r := rows[i+1]
		if col(r, "id") != ind.ID || col(r, "enhet") != ind.Unit || col(r, "desimaler") != strconv.Itoa(ind.Decimals) || col(r, "tittel") != ind.Title {
			t.Errorf("Definisjoner row %d = %s / %s / %s / %s, want %s / %s / %d / %s", i+1, col(r, "id"), col(r, "enhet"), col(r, "desimaler"), col(r, "tittel"),
				ind.ID, ind.Unit, ind.Decimals, ind.Title)
		}
		if !strings.Contains(col(r, "brudd"), "2020: Kommune- og regionreformen") {
			t.Errorf("Definisjoner %s brudd = %q, want the 2020 reform", ind.ID, col(r, "brudd"))
		}
		if !strings.Contains(col(r, "inndata"), ind.Inputs[0].Dataset+" (") || !strings.Contains(col(r, "inndata"), "ikke i kunnskapsbasen") {
			t.Errorf("Definisjoner %s inndata = %q, want %s named and missing from this kb", ind.ID, col(r, "inndata"), ind.Inputs[0].Dataset)
		}
	}
	if dim, _ := f.GetSheetDimension("Definisjoner"); dim != fmt.Sprintf("A1:T%d", len(cat)+1) {
		t.Errorf("Definisjoner dimension = %q, want A1:T%d", dim, len(cat)+1)
	}
}

// TestExportEnglish: under --lang en the exports' headers, units, levels,
// directions, yes/no, sheet names and definitions are English (no bokmål
// word of the default exports is left in them); the data (codes, labels,
// numbers) are the same.
func TestExportEnglish(t *testing.T) {
	st := publishRows(t, twoThemeRows())
	res, err := (&Publisher{Store: st, Indicators: indicators.Catalog(), Lang: charts.English}).Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(res.Dir, "indikatorer-plain.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(recs[0], ","), strings.Join(indicatorColumnsEN, ","); got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
	var porsgrunn []string
	for _, r := range recs[1:] {
		if r[1] == "utdanning_hoyere_andel" && r[3] == "4001" && r[6] == "2025" {
			porsgrunn = r
		}
	}
	// utdanning_hoyere_andel: higher is better, a share in per cent; the
	// synthetic rows are not marked synthetic or computed.
	want := map[int]string{0: "Education", 5: "municipality", 9: "31", 10: "per cent", 13: "37", 26: "higher is better", 27: "no", 28: "no"}
	for c, w := range want {
		if porsgrunn == nil || porsgrunn[c] != w {
			t.Errorf("Porsgrunn 2025 %s = %v, want %q", indicatorColumnsEN[c], porsgrunn, w)
		}
	}
	bokmal := []string{"prosent", "kommune", "høyere er bedre", "nei", "Utdanning", "Sysselsetting"}
	for _, r := range recs {
		for _, c := range []int{0, 5, 10, 26, 27, 28} {
			if slices.Contains(bokmal, r[c]) {
				t.Errorf("English export has the bokmål word %q in %s", r[c], recs[0][c])
			}
		}
	}
	f, err := excelize.OpenFile(filepath.Join(res.Dir, "indikatorer.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Education,Employment and unemployment,Definitions" {
		t.Errorf("sheets = %s, want Education,Employment and unemployment,Definitions", got)
	}
	head, _ := f.GetRows("Education")
	if len(head) == 0 || !slices.Contains(head[0], "value (per cent)") || !slices.Contains(head[0], "gap_nation (percentage points)") {
		t.Errorf("Education header = %v, want value (per cent) and gap_nation (percentage points)", head)
	}
	defs, _ := f.GetRows("Definitions")
	if len(defs) < 2 || defs[0][0] != "id" || defs[0][4] != "unit" || !strings.Contains(strings.Join(defs[1], "|"), "Municipal and regional reform") {
		t.Errorf("Definitions = %v, want English headers and break titles", defs[:min(2, len(defs))])
	}
}

// TestEnglishWordsComplete: every unit of the catalog and every series
// break has an English word in the exports' tables, so --lang en never
// shows a bokmål unit or break title.
func TestEnglishWordsComplete(t *testing.T) {
	for _, ind := range indicators.Catalog() {
		if _, ok := unitsEN[ind.Unit]; !ok {
			t.Errorf("unit %q of %s has no English word in unitsEN", ind.Unit, ind.ID)
		}
	}
	for _, b := range indicators.Breaks() {
		if b.TitleEN == "" {
			t.Errorf("break %s has no English title (TitleEN)", b.ID)
		}
	}
	if len(indicatorColumnsEN) != len(indicatorColumns) {
		t.Errorf("indicatorColumnsEN has %d names, indicatorColumns %d", len(indicatorColumnsEN), len(indicatorColumns))
	}
}
