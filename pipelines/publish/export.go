package publish

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/charts/export"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// NeedsDataset is the dataset ID of the needs-versus-supply table, exported
// when the catalog has it.
const NeedsDataset = "needs_vs_supply"

// indicatorColumns are the columns of the planners' indicator sheets: one
// row per indicator, region, period and category, with the national and
// county comparators side by side. The value, comparator, gap and
// interval columns have no decimals of their own: each row's cells carry
// its indicator's (export.Fixed, book.Indicator.ShownDecimals), shown in
// XLSX; CSV has every number in full precision.
var indicatorColumns = []export.Column{
	{Name: "tema", Kind: export.Text},
	{Name: "indikator", Kind: export.Text, Width: 26},
	{Name: "indikatornavn", Kind: export.Text, Width: 36},
	{Name: "region", Kind: export.Text},
	{Name: "regionnavn", Kind: export.Text, Width: 22},
	{Name: "nivå", Kind: export.Text},
	{Name: "periode", Kind: export.Text},
	{Name: "kategori", Kind: export.Text},
	{Name: "kategorinavn", Kind: export.Text, Width: 22},
	{Name: "verdi", Kind: export.Number},
	{Name: "enhet", Kind: export.Text},
	{Name: "teller", Kind: export.Number, Decimals: 0},
	{Name: "nevner", Kind: export.Number, Decimals: 0},
	{Name: "landet", Kind: export.Number},
	{Name: "avvik_landet", Kind: export.Number},
	{Name: "indeks_landet", Kind: export.Number, Decimals: 1},
	{Name: "fylke", Kind: export.Text},
	{Name: "fylkesverdi", Kind: export.Number},
	{Name: "avvik_fylke", Kind: export.Number},
	{Name: "rang", Kind: export.Integer},
	{Name: "antall_rangert", Kind: export.Integer},
	{Name: "ki_lav", Kind: export.Number},
	{Name: "ki_hoy", Kind: export.Number},
	{Name: "antall_enheter", Kind: export.Integer},
	{Name: "flagg", Kind: export.Text},
	{Name: "kilder", Kind: export.Text, Width: 30},
	// What a reader needs to read the row right: the direction the rank
	// follows, whether the data are synthetic, and whether grunnlag
	// computed the value because the source does not publish it.
	{Name: "retning", Kind: export.Text, Width: 18},
	{Name: "syntetisk", Kind: export.Text},
	{Name: "beregnet", Kind: export.Text},
}

// DirectionWords says an indicator's direction as the exports name it
// (bokmål): "lavere er bedre" (rank 1 = lowest), "høyere er bedre" (rank 1
// = highest), "nøytral" (rank 1 = highest, no judgement).
func DirectionWords(dir string) string {
	switch dir {
	case "lower_is_better":
		return "lavere er bedre"
	case "higher_is_better":
		return "høyere er bedre"
	}
	return "nøytral"
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nei"
}

// IndicatorSheets turns the book input into one sheet per theme (themes in
// order, rows in table order), plus the rows of all themes for CSV.
func IndicatorSheets(in *book.Input) (sheets []export.Sheet, all export.Sheet) {
	type acc struct {
		row  book.Row
		comp map[string]book.Row
	}
	inds := map[string]*book.Indicator{}
	for i := range in.Indicators {
		inds[in.Indicators[i].ID] = &in.Indicators[i]
	}
	byKey := map[string]*acc{}
	var order []string
	for i := range in.Rows {
		r := &in.Rows[i]
		if inds[r.Indicator] == nil {
			continue
		}
		k := cellKey(r)
		a := byKey[k]
		if a == nil {
			a = &acc{row: *r, comp: map[string]book.Row{}}
			byKey[k] = a
			order = append(order, k)
		}
		if r.Comparator != "" {
			a.comp[r.Comparator] = *r
		}
	}
	intOrNil := func(x int) any {
		if x == 0 {
			return nil
		}
		return x
	}
	themeRows := map[string][][]any{}
	all = export.Sheet{Name: "Indikatorer", Columns: indicatorColumns}
	for _, k := range order {
		a := byKey[k]
		r := a.row
		ind := inds[r.Indicator]
		nat, cty := a.comp["national"], a.comp["county"]
		natV, natG, natI := math.NaN(), math.NaN(), math.NaN()
		if nat.Comparator != "" {
			natV, natG, natI = nat.ComparatorValue, nat.GapAbs, nat.GapIndex
		}
		ctyV, ctyG := math.NaN(), math.NaN()
		if cty.Comparator != "" {
			ctyV, ctyG = cty.ComparatorValue, cty.GapAbs
		}
		flags := ""
		for i, f := range r.Flags {
			if i > 0 {
				flags += ","
			}
			flags += f
		}
		dec := ind.ShownDecimals(r.Value)
		num := func(x float64) export.Fixed { return export.Fixed{Value: x, Decimals: dec} }
		row := []any{themeTitle(in.Themes, ind.Theme), r.Indicator, ind.Title, r.Region, r.RegionLabel, r.RegionLevel, r.Period,
			r.Category, r.CategoryLabel, num(r.Value), r.Unit, r.Numerator, r.Denominator, num(natV), num(natG), natI,
			cty.ComparatorRegion, num(ctyV), num(ctyG), intOrNil(r.Rank), intOrNil(r.NRanked), num(r.CILow), num(r.CIHigh), intOrNil(r.NUnits), flags, r.Sources,
			DirectionWords(ind.Direction), yesNo(r.Synthetic || ind.Synthetic), yesNo(r.Computed)}
		themeRows[ind.Theme] = append(themeRows[ind.Theme], row)
		all.Rows = append(all.Rows, row)
	}
	for _, t := range in.Themes {
		if rows := themeRows[t.ID]; len(rows) > 0 {
			sheets = append(sheets, export.Sheet{Name: t.Title, Columns: indicatorColumns, Rows: rows})
			delete(themeRows, t.ID)
		}
	}
	rest := make([]string, 0, len(themeRows))
	for id := range themeRows {
		rest = append(rest, id)
	}
	sort.Strings(rest)
	for _, id := range rest {
		sheets = append(sheets, export.Sheet{Name: id, Columns: indicatorColumns, Rows: themeRows[id]})
	}
	return sheets, all
}

func themeTitle(themes []book.Theme, id string) string {
	for _, t := range themes {
		if t.ID == id {
			return t.Title
		}
	}
	return id
}

// EmptyNote is the sheet the indicator workbook holds when no indicator
// has a row (every indicator skipped or empty; see `grunnlag status`).
func EmptyNote() export.Sheet {
	return export.Sheet{Name: "Merknad", Columns: []export.Column{{Name: "merknad", Kind: export.Text, Width: 90}},
		Rows: [][]any{{"Ingen indikator har rader i indikatortabellen: alle ble hoppet over eller fant ingen rader som passet filteret. Se «grunnlag status» og utskriften fra «grunnlag build»."}}}
}

// addFlagColumns appends the columns syntetisk and beregnet with the same
// value on every row of s.
func addFlagColumns(s *export.Sheet, synthetic, computed bool) {
	s.Columns = append(s.Columns, export.Column{Name: "syntetisk", Kind: export.Text}, export.Column{Name: "beregnet", Kind: export.Text})
	for i := range s.Rows {
		s.Rows[i] = append(s.Rows[i], yesNo(synthetic), yesNo(computed))
	}
}

// RecordSheet turns any dataset record into a sheet: utf8 and dictionary
// columns as text, float64 as numbers (2 decimals shown), integers as
// integers; nulls are empty cells.
func RecordSheet(name string, rec arrow.Record) (export.Sheet, error) {
	s := export.Sheet{Name: name}
	n := int(rec.NumRows())
	getters := make([]func(int) any, rec.NumCols())
	for c := range int(rec.NumCols()) {
		f := rec.Schema().Field(c)
		switch a := rec.Column(c).(type) {
		case *array.Float64:
			s.Columns = append(s.Columns, export.Column{Name: f.Name, Kind: export.Number, Decimals: 2})
			getters[c] = func(i int) any {
				if a.IsNull(i) {
					return nil
				}
				return a.Value(i)
			}
		case *array.Int64:
			s.Columns = append(s.Columns, export.Column{Name: f.Name, Kind: export.Integer})
			getters[c] = func(i int) any {
				if a.IsNull(i) {
					return nil
				}
				return int(a.Value(i))
			}
		default:
			get, err := store.StringColumn(rec, f.Name)
			if err != nil {
				// Any other type (bool, int32, timestamps) as its text.
				col := rec.Column(c)
				get = col.ValueStr
			}
			s.Columns = append(s.Columns, export.Column{Name: f.Name, Kind: export.Text})
			getters[c] = func(i int) any {
				if rec.Column(c).IsNull(i) {
					return nil
				}
				return get(i)
			}
		}
	}
	for i := range n {
		row := make([]any, len(getters))
		for c, g := range getters {
			row[c] = g(i)
		}
		s.Rows = append(s.Rows, row)
	}
	return s, nil
}

// Export writes <kb>/exports atomically: indikatorer.xlsx (one sheet per
// theme), indikatorer.csv (Norwegian flavour), indikatorer-plain.csv, and
// needs_vs_supply.xlsx/.csv/-plain.csv when the dataset exists, and the
// planners' workbook planlegging.xlsx (PlanningSheets) when the catalog has
// behov_tilbud or tilbud.
func (p *Publisher) Export(ctx context.Context) (*Result, error) {
	start := time.Now()
	in, err := p.Input()
	if err != nil {
		return nil, err
	}
	sheets, all := IndicatorSheets(in)
	if len(sheets) == 0 {
		// No indicator has a row: write the (empty) sheet with a note
		// rather than fail with "no sheets".
		sheets = []export.Sheet{EmptyNote()}
	}
	var needs *export.Sheet
	cat, err := p.Store.Catalog()
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if v := cat.Datasets[NeedsDataset].CurrentVersion(); v != nil {
		rec, err := p.Store.ReadVersion(NeedsDataset, v.Stamp)
		if err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
		s, err := RecordSheet("Behov og tilbud", rec)
		rec.Release()
		if err != nil {
			return nil, err
		}
		// Every row of the needs table is grunnlag's own estimate (weighted
		// survey answers beside register supply): computed, and synthetic
		// when the survey is.
		addFlagColumns(&s, v.Synthetic, true)
		needs = &s
	}
	res := &Result{Dir: filepath.Join(p.Store.Root(), "exports"), Version: in.Version}
	err = replaceDir(res.Dir, func(tmp string) error {
		files := []struct {
			name  string
			write func(io.Writer) error
		}{
			{"indikatorer.xlsx", func(w io.Writer) error { return export.WriteXLSX(w, sheets) }},
			{"indikatorer.csv", func(w io.Writer) error { return export.WriteCSV(w, all, export.Norwegian) }},
			{"indikatorer-plain.csv", func(w io.Writer) error { return export.WriteCSV(w, all, export.Plain) }},
		}
		if needs != nil {
			files = append(files,
				struct {
					name  string
					write func(io.Writer) error
				}{NeedsDataset + ".xlsx", func(w io.Writer) error { return export.WriteXLSX(w, []export.Sheet{*needs}) }},
				struct {
					name  string
					write func(io.Writer) error
				}{NeedsDataset + ".csv", func(w io.Writer) error { return export.WriteCSV(w, *needs, export.Norwegian) }},
				struct {
					name  string
					write func(io.Writer) error
				}{NeedsDataset + "-plain.csv", func(w io.Writer) error { return export.WriteCSV(w, *needs, export.Plain) }})
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := store.WriteFileAtomic(filepath.Join(tmp, f.name), f.write); err != nil {
				return fmt.Errorf("publish: %s: %w", f.name, err)
			}
			res.Files++
		}
		if wrote, err := p.writePlanningWorkbook(ctx, tmp); err != nil {
			return err
		} else if wrote {
			res.Files++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	p.log().Info("exports written", "dir", res.Dir, "version", in.Version, "files", res.Files, "duration", res.Duration)
	return res, nil
}

// Charts writes <kb>/charts atomically: the national chart set of
// book.Charts, PNG + SVG + CSV per chart.
func (p *Publisher) Charts(ctx context.Context) (*Result, error) {
	start := time.Now()
	in, err := p.Input()
	if err != nil {
		return nil, err
	}
	res := &Result{Dir: filepath.Join(p.Store.Root(), "charts"), Version: in.Version}
	err = replaceDir(res.Dir, func(tmp string) error {
		sum, err := book.Charts(ctx, in, book.Options{Workers: p.Workers}, fileWriter(tmp))
		if err != nil {
			return err
		}
		res.Files, res.Charts = sum.Files, sum.Charts
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	p.log().Info("charts written", "dir", res.Dir, "version", in.Version, "charts", res.Charts, "duration", res.Duration)
	return res, nil
}
