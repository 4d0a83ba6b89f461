package publish

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/grunnlag/grunnlag/charts"
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

// exportIndicator is what an indicator's export rows take from the
// catalog: its book entry (title in the publisher's language, unit,
// decimals, direction, the synthetic mark of its input datasets) and its
// theme's title.
type exportIndicator struct {
	book       book.Indicator
	theme      string // theme ID
	themeTitle string
	direction  string // in the export's language
}

// exportIndicators describes every catalog indicator for the exports (the
// rows of an indicator the catalog does not have are left out, as in the
// book).
func (p *Publisher) exportIndicators(cat *store.Catalog, w exportWords) map[string]*exportIndicator {
	themes := Themes(string(p.Lang))
	out := make(map[string]*exportIndicator, len(p.Indicators))
	for _, ind := range p.Indicators {
		bi := book.Indicator{ID: ind.ID, Title: ind.Title, Unit: ind.Unit, Theme: ind.Theme, Decimals: ind.Decimals, Direction: string(ind.Direction)}
		if p.Lang == charts.English {
			bi.Title = ind.TitleEN
		}
		for _, in := range ind.Inputs {
			if v := cat.Datasets[in.Dataset].CurrentVersion(); v != nil && v.Synthetic {
				bi.Synthetic = true
			}
		}
		out[ind.ID] = &exportIndicator{book: bi, theme: ind.Theme, themeTitle: themeTitle(themes, ind.Theme), direction: w.direction(bi.Direction)}
	}
	return out
}

// exportRow is one row of the indicator exports: the first table row of an
// (indicator, region, period, category) with the national and county
// comparators of all its rows (the last of each, as the table has one).
type exportRow struct {
	indicator, region, regionLabel, level, period, category, categoryLabel string
	unit, flags, sources, countyRegion                                     string
	value, numerator, denominator, ciLow, ciHigh                           float64
	natValue, natGap, natIndex, countyValue, countyGap                     float64
	rank, nRanked, nUnits                                                  int
	synthetic, computed                                                    bool
}

// reset starts the row from a table row without comparators.
func (r *exportRow) reset() {
	*r = exportRow{natValue: math.NaN(), natGap: math.NaN(), natIndex: math.NaN(), countyValue: math.NaN(), countyGap: math.NaN()}
}

// from starts the row from the book row r without comparators; flags are
// r.Flags as the table holds them (joined by commas).
func (r *exportRow) from(b *book.Row, flags string) {
	r.reset()
	r.indicator, r.region, r.regionLabel, r.level, r.period = b.Indicator, b.Region, b.RegionLabel, b.RegionLevel, b.Period
	r.category, r.categoryLabel, r.unit, r.flags, r.sources = b.Category, b.CategoryLabel, b.Unit, flags, b.Sources
	r.value, r.numerator, r.denominator, r.ciLow, r.ciHigh = b.Value, b.Numerator, b.Denominator, b.CILow, b.CIHigh
	r.rank, r.nRanked, r.nUnits, r.synthetic, r.computed = b.Rank, b.NRanked, b.NUnits, b.Synthetic, b.Computed
}

// compare takes a comparator row's comparison.
func (r *exportRow) compare(comparator, region string, value, gap, index float64) {
	switch comparator {
	case "national":
		r.natValue, r.natGap, r.natIndex = value, gap, index
	case "county":
		r.countyRegion, r.countyValue, r.countyGap = region, value, gap
	}
}

// clone copies the row's strings out of the batch they point into.
func (r *exportRow) clone() {
	for _, s := range []*string{&r.indicator, &r.region, &r.regionLabel, &r.level, &r.period, &r.category, &r.categoryLabel,
		&r.unit, &r.flags, &r.sources, &r.countyRegion} {
		*s = strings.Clone(*s)
	}
}

// cells appends the row's cells (indicatorColumns) to out.
func (r *exportRow) cells(ind *exportIndicator, w exportWords, out []export.Cell) []export.Cell {
	dec := ind.book.ShownDecimals(r.value)
	num := func(x float64) export.Cell { return export.FixedCell(x, dec) }
	count := func(n int) export.Cell {
		if n == 0 {
			return export.EmptyCell()
		}
		return export.IntCell(int64(n))
	}
	return append(out[:0],
		export.TextCell(ind.themeTitle), export.TextCell(r.indicator), export.TextCell(ind.book.Title),
		export.TextCell(r.region), export.TextCell(r.regionLabel), export.TextCell(w.level(r.level)), export.TextCell(r.period),
		export.TextCell(r.category), export.TextCell(r.categoryLabel), num(r.value), export.TextCell(w.unit(r.unit)),
		export.NumberCell(r.numerator), export.NumberCell(r.denominator), num(r.natValue), num(r.natGap), export.NumberCell(r.natIndex),
		export.TextCell(r.countyRegion), num(r.countyValue), num(r.countyGap), count(r.rank), count(r.nRanked),
		num(r.ciLow), num(r.ciHigh), count(r.nUnits), export.TextCell(r.flags), export.TextCell(r.sources),
		export.TextCell(ind.direction), export.TextCell(w.yesNo(r.synthetic || ind.book.Synthetic)), export.TextCell(w.yesNo(r.computed)))
}

// IndicatorSheets turns the book input into one sheet per theme (themes in
// order, rows in table order), plus the rows of all themes for CSV: the
// rows the indicator exports hold, for any order of in.Rows (Export
// streams them from the table instead, in one pass, when the table is
// sorted as pipelines/build writes it).
func IndicatorSheets(in *book.Input) (sheets []export.Sheet, all export.Sheet) {
	w := wordsFor(in.Lang)
	inds := map[string]*exportIndicator{}
	for i := range in.Indicators {
		bi := in.Indicators[i]
		inds[bi.ID] = &exportIndicator{book: bi, theme: bi.Theme, themeTitle: themeTitle(in.Themes, bi.Theme), direction: w.direction(bi.Direction)}
	}
	themeRows := map[string][][]any{}
	all = export.Sheet{Name: w.allSheet(), Columns: w.columns()}
	var cells []export.Cell
	err := groupBookRows(in.Rows, inds, func(ind *exportIndicator, r *exportRow) error {
		cells = r.cells(ind, w, cells)
		row := make([]any, len(cells))
		for i, c := range cells {
			row[i] = c.Value()
		}
		themeRows[ind.theme] = append(themeRows[ind.theme], row)
		all.Rows = append(all.Rows, row)
		return nil
	})
	if err != nil {
		panic(err) // the callback returns none
	}
	for _, t := range sheetOrder(in.Themes, func(id string) int { return len(themeRows[id]) }, themeIDs(inds)) {
		sheets = append(sheets, export.Sheet{Name: t.Title, Columns: w.columns(), Rows: themeRows[t.ID]})
	}
	return sheets, all
}

// themeIDs are the theme IDs of inds.
func themeIDs(inds map[string]*exportIndicator) []string {
	var ids []string
	seen := map[string]bool{}
	for _, ind := range inds {
		if !seen[ind.theme] {
			seen[ind.theme] = true
			ids = append(ids, ind.theme)
		}
	}
	return ids
}

// sheetOrder lists the themes that have rows (rows(id) > 0) in the order of
// themes, then the other theme IDs of ids that have rows, sorted, titled by
// their ID.
func sheetOrder(themes []book.Theme, rows func(id string) int, ids []string) []book.Theme {
	var out []book.Theme
	known := map[string]bool{}
	for _, t := range themes {
		known[t.ID] = true
		if rows(t.ID) > 0 {
			out = append(out, t)
		}
	}
	var rest []string
	for _, id := range ids {
		if !known[id] && rows(id) > 0 {
			rest = append(rest, id)
			known[id] = true
		}
	}
	sort.Strings(rest)
	for _, id := range rest {
		out = append(out, book.Theme{ID: id, Title: id})
	}
	return out
}

// groupBookRows calls fn with the export row of every (indicator, region,
// period, category) of rows, in the order of their first row, whatever the
// order of rows (in memory: every key of the table at once).
func groupBookRows(rows []book.Row, inds map[string]*exportIndicator, fn func(*exportIndicator, *exportRow) error) error {
	byKey := map[string]*exportRow{}
	var order []*exportRow
	for i := range rows {
		r := &rows[i]
		if inds[r.Indicator] == nil {
			continue
		}
		k := cellKey(r)
		a := byKey[k]
		if a == nil {
			a = &exportRow{}
			a.from(r, strings.Join(r.Flags, ","))
			byKey[k] = a
			order = append(order, a)
		}
		a.compare(r.Comparator, r.ComparatorRegion, r.ComparatorValue, r.GapAbs, r.GapIndex)
	}
	for _, a := range order {
		if err := fn(inds[a.indicator], a); err != nil {
			return err
		}
	}
	return nil
}

// errUnsorted says the indicator table is not grouped by (indicator,
// period) and, within that, by (region, category): it cannot be exported
// in one streaming pass.
var errUnsorted = errors.New("publish: indicator table not sorted by indicator and period")

// tableColumns reads one batch of the indicator table (the long schema of
// pipelines/build; absent optional columns read as missing).
type tableColumns struct {
	str map[string]func(int) string
	num map[string]func(int) float64
	bl  map[string]func(int) bool
}

func newTableColumns(rec arrow.Record) (*tableColumns, error) {
	c := &tableColumns{str: map[string]func(int) string{}, num: map[string]func(int) float64{}, bl: map[string]func(int) bool{}}
	for _, name := range []string{"indicator", "region", "region_label", "region_level", "period", "category", "category_label", "unit", "comparator", "comparator_region", "flags", "sources"} {
		f, err := store.StringColumn(rec, name)
		if err != nil {
			switch name {
			case "indicator", "region", "region_level", "period":
				return nil, fmt.Errorf("publish: indicator table: %w", err)
			}
			f = func(int) string { return "" }
		}
		c.str[name] = f
	}
	for _, name := range []string{"value", "numerator", "denominator", "comparator_value", "gap_abs", "gap_index", "ci_low", "ci_high", "rank", "n_ranked", "n_units"} {
		f, err := store.FloatColumn(rec, name)
		if err != nil {
			if name == "value" {
				return nil, fmt.Errorf("publish: indicator table: %w", err)
			}
			f = func(int) float64 { return math.NaN() }
		}
		c.num[name] = f
	}
	for _, name := range []string{"synthetic", "computed"} {
		c.bl[name] = boolColumn(rec, name)
	}
	return c, nil
}

// streamGroups calls fn with the export row of every (indicator, region,
// period, category) of the indicator table version stamp, reading it in
// record batches: rows of a key must be adjacent, and the keys of an
// (indicator, period) together, as pipelines/build sorts the table; a
// table that is not is refused with errUnsorted (before fn sees a row
// out of order). Memory: one batch, one row and the keys of one
// (indicator, period). batchDone, when set, is called after each record
// batch's rows: until it returns, the strings of the rows fn was given
// may point into that batch (memoryGroups' rows stay; it never calls it).
func (p *Publisher) streamGroups(stamp string, inds map[string]*exportIndicator, fn func(*exportIndicator, *exportRow) error, batchDone func() error) error {
	g := &grouper{inds: inds, fn: fn}
	rowIndex := 0
	toInt := func(x float64) int {
		if math.IsNaN(x) {
			return 0
		}
		return int(x)
	}
	err := p.Store.ScanIndicators(stamp, 0, func(rec arrow.Record) error {
		c, err := newTableColumns(rec)
		if err != nil {
			return err
		}
		ind, region, period, category := c.str["indicator"], c.str["region"], c.str["period"], c.str["category"]
		comparator, compRegion := c.str["comparator"], c.str["comparator_region"]
		compValue, gapAbs, gapIndex := c.num["comparator_value"], c.num["gap_abs"], c.num["gap_index"]
		n := int(rec.NumRows())
		for i := 0; i < n; i, rowIndex = i+1, rowIndex+1 {
			id := ind(i)
			if inds[id] == nil {
				continue
			}
			r, pd, cat := region(i), period(i), category(i)
			start, err := g.next(rowIndex, id, r, pd, cat)
			if err != nil {
				return err
			}
			if start {
				cur := &g.cur
				cur.reset()
				cur.indicator, cur.region, cur.regionLabel, cur.level, cur.period = id, r, c.str["region_label"](i), c.str["region_level"](i), pd
				cur.category, cur.categoryLabel, cur.unit, cur.flags, cur.sources = cat, c.str["category_label"](i), c.str["unit"](i), c.str["flags"](i), c.str["sources"](i)
				cur.value, cur.numerator, cur.denominator = c.num["value"](i), c.num["numerator"](i), c.num["denominator"](i)
				cur.ciLow, cur.ciHigh = c.num["ci_low"](i), c.num["ci_high"](i)
				cur.rank, cur.nRanked, cur.nUnits = toInt(c.num["rank"](i)), toInt(c.num["n_ranked"](i)), toInt(c.num["n_units"](i))
				cur.synthetic, cur.computed = c.bl["synthetic"](i), c.bl["computed"](i)
			}
			g.cur.compare(comparator(i), compRegion(i), compValue(i), gapAbs(i), gapIndex(i))
		}
		if g.pending {
			g.cur.clone() // the next batch does not hold these strings
		}
		if batchDone != nil {
			return batchDone()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return g.flush()
}

// grouper gathers the rows of a table, in the table's order, into export
// rows (streamGroups, rowsGroups): the rows of a key must be adjacent and
// the keys of an (indicator, period) together.
type grouper struct {
	inds map[string]*exportIndicator
	fn   func(*exportIndicator, *exportRow) error
	// cur is the key's export row, pending once a row has started it.
	cur     exportRow
	pending bool
	// block is the (indicator, period) of cur, blockKeys its (region,
	// category) keys seen so far, doneBlocks the blocks left behind.
	block                 string
	blockKeys, doneBlocks map[string]bool
}

// next is called with every row to export, numbered rowIndex from 0 in
// the table. It returns true when the row starts a new key: the previous
// key's row has gone to fn, and the caller fills cur from this row (reset
// first) before the row's comparison is taken. A key or an (indicator,
// period) that came before and was left is errUnsorted, naming the row.
func (g *grouper) next(rowIndex int, indicator, region, period, category string) (bool, error) {
	c := &g.cur
	if g.pending && indicator == c.indicator && region == c.region && period == c.period && category == c.category {
		return false, nil
	}
	if err := g.flush(); err != nil {
		return false, err
	}
	if err := g.order(rowIndex, indicator, region, period, category); err != nil {
		return false, err
	}
	g.pending = true
	return true, nil
}

// flush hands the pending key's row to fn.
func (g *grouper) flush() error {
	if !g.pending {
		return nil
	}
	g.pending = false
	return g.fn(g.inds[g.cur.indicator], &g.cur)
}

// order checks the place of a new key (see next).
func (g *grouper) order(rowIndex int, indicator, region, period, category string) error {
	if g.blockKeys == nil {
		g.blockKeys, g.doneBlocks = map[string]bool{}, map[string]bool{}
	}
	if b := indicator + "\x1f" + period; b != g.block {
		g.doneBlocks[g.block] = true
		if g.doneBlocks[b] {
			return fmt.Errorf("%w: row %d (%s, %s) after other periods", errUnsorted, rowIndex+1, indicator, period)
		}
		g.block = b
		clear(g.blockKeys)
	}
	key := region + "\x1f" + category
	if g.blockKeys[key] {
		return fmt.Errorf("%w: row %d (%s, %s, %s, %s) apart from its key's other rows", errUnsorted, rowIndex+1, indicator, region, period, category)
	}
	g.blockKeys[key] = true
	return nil
}

// rowsGroups is streamGroups over the table's rows already in memory, in
// their order (the run's shared rows: see InputCache and Export): fn gets
// the same export rows in the same order, and a table streamGroups
// refuses is refused here too, at the same row, with errUnsorted. The
// rows' strings stay, so batchDone is never called; stamp is not read.
func rowsGroups(rows []book.Row) groupsFunc {
	return func(_ string, inds map[string]*exportIndicator, fn func(*exportIndicator, *exportRow) error, _ func() error) error {
		g := &grouper{inds: inds, fn: fn}
		// A table has few distinct flag lists, each one slice shared by
		// its rows (see Rows): each is joined once.
		joined := map[flagList]string{}
		for i := range rows {
			r := &rows[i]
			if inds[r.Indicator] == nil {
				continue
			}
			start, err := g.next(i, r.Indicator, r.Region, r.Period, r.Category)
			if err != nil {
				return err
			}
			if start {
				var flags string
				if len(r.Flags) > 0 {
					var ok bool
					l := flagList{&r.Flags[0], len(r.Flags)}
					if flags, ok = joined[l]; !ok {
						flags = strings.Join(r.Flags, ",")
						joined[l] = flags
					}
				}
				g.cur.from(r, flags)
			}
			g.cur.compare(r.Comparator, r.ComparatorRegion, r.ComparatorValue, r.GapAbs, r.GapIndex)
		}
		return g.flush()
	}
}

// flagList identifies a Flags slice that no one modifies: the same array
// and length hold the same flags.
type flagList struct {
	first *string
	n     int
}

// groupsFunc calls fn with the export row of every (indicator, region,
// period, category) of the indicator table version stamp, in the table's
// order (streamGroups, rowsGroups) or in the order of each key's first
// row (memoryGroups); see streamGroups for batchDone.
type groupsFunc func(stamp string, inds map[string]*exportIndicator, fn func(*exportIndicator, *exportRow) error, batchDone func() error) error

// memoryGroups is streamGroups for a table in any order: it reads the
// table whole (as the book does) and groups it in memory.
func (p *Publisher) memoryGroups(stamp string, inds map[string]*exportIndicator, fn func(*exportIndicator, *exportRow) error, _ func() error) error {
	rec, err := p.Store.ReadIndicators(stamp)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	rows, err := Rows(rec)
	rec.Release()
	if err != nil {
		return err
	}
	return groupBookRows(rows, inds, fn)
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

// recordCells reads the cells of any dataset record: utf8 and dictionary
// columns as text, float64 as numbers (2 decimals shown), integers as
// integers; nulls are empty cells. It returns the columns and a function
// that appends row i's cells to a slice.
func recordCells(rec arrow.Record) ([]export.Column, func(i int, out []export.Cell) []export.Cell) {
	var cols []export.Column
	getters := make([]func(int) export.Cell, rec.NumCols())
	for c := range int(rec.NumCols()) {
		f := rec.Schema().Field(c)
		switch a := rec.Column(c).(type) {
		case *array.Float64:
			cols = append(cols, export.Column{Name: f.Name, Kind: export.Number, Decimals: 2})
			getters[c] = func(i int) export.Cell {
				if a.IsNull(i) {
					return export.EmptyCell()
				}
				return export.NumberCell(a.Value(i))
			}
		case *array.Int64:
			cols = append(cols, export.Column{Name: f.Name, Kind: export.Integer})
			getters[c] = func(i int) export.Cell {
				if a.IsNull(i) {
					return export.EmptyCell()
				}
				return export.IntCell(a.Value(i))
			}
		default:
			col := rec.Column(c)
			get, err := store.StringColumn(rec, f.Name)
			if err != nil {
				// Any other type (bool, int32, timestamps) as its text.
				get = col.ValueStr
			}
			cols = append(cols, export.Column{Name: f.Name, Kind: export.Text})
			getters[c] = func(i int) export.Cell {
				if col.IsNull(i) {
					return export.EmptyCell()
				}
				return export.TextCell(get(i))
			}
		}
	}
	return cols, func(i int, out []export.Cell) []export.Cell {
		out = out[:0]
		for _, g := range getters {
			out = append(out, g(i))
		}
		return out
	}
}

// RecordSheet turns any dataset record into a sheet: utf8 and dictionary
// columns as text, float64 as numbers (2 decimals shown), integers as
// integers; nulls are empty cells.
func RecordSheet(name string, rec arrow.Record) (export.Sheet, error) {
	cols, cells := recordCells(rec)
	s := export.Sheet{Name: name, Columns: cols}
	var buf []export.Cell
	for i := range int(rec.NumRows()) {
		buf = cells(i, buf)
		row := make([]any, len(buf))
		for c, x := range buf {
			row[c] = x.Value()
		}
		s.Rows = append(s.Rows, row)
	}
	return s, nil
}

// Export writes <kb>/exports atomically: indikatorer.xlsx (one sheet per
// theme, then «Definisjoner»: one row per catalog indicator),
// indikatorer.csv (Norwegian flavour), indikatorer-plain.csv, and
// needs_vs_supply.xlsx/.csv/-plain.csv when the dataset exists, and the
// planners' workbook planlegging.xlsx (PlanningSheets) when the catalog has
// behov_tilbud or tilbud.
//
// The indicator table is read twice in record batches and never held
// whole: a first pass counts the rows of every sheet (a sheet's
// <dimension> comes before its rows), the second writes each row once to
// the two CSV files and its theme's sheet. With Inputs, both passes walk
// the rows held there for the charts and the book instead (rowsGroups),
// reading them into it if it holds none. A table not sorted as
// pipelines/build writes it is read whole and grouped in memory instead,
// with the same output. With Lang English the headers, units, levels,
// directions, yes/no and sheet names are English; the default bokmål CSV
// files are as they always were.
func (p *Publisher) Export(ctx context.Context) (*Result, error) {
	start := time.Now()
	cat, err := p.Store.Catalog()
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if cat.Indicators == nil || cat.Indicators.Current == "" {
		return nil, ErrNoIndicators
	}
	version := cat.Indicators.Current
	w := wordsFor(p.Lang)
	lang := string(p.Lang)
	inds := p.exportIndicators(cat, w)
	// In a run, the charts and the book hold the table's rows in memory
	// (InputCache): reading them there, not twice from the file, saves two
	// decodes of the table (ScanIndicators: 1.7 s of CPU per run in the
	// profile of BenchmarkOneCellChange, 2026-12-07).
	var groups groupsFunc = p.streamGroups
	if rows, err := p.sharedRows(version); err != nil {
		return nil, err
	} else if rows != nil {
		groups = rowsGroups(rows)
	}
	counts := map[string]int{}
	units := map[string][]string{}
	// The first pass also keys every indicator's export rows (see
	// ExportNodesFile), in the order the rows come; without a Code no
	// node can be carried over, now or by a later export, and nothing is
	// keyed.
	keyed := p.Code != ""
	type indicatorRows struct {
		key   hash.Hash
		rows  int
		theme string
	}
	byInd := map[string]*indicatorRows{}
	var (
		indOrder  []string
		scattered bool // an indicator's rows are not together
		cells     []export.Cell
		ch        cellHasher
	)
	csvCols := fmt.Sprintf("%#v", w.columns())
	count := func(groups groupsFunc) error {
		clear(counts)
		clear(units)
		clear(byInd)
		indOrder, scattered = nil, false
		return groups(version, inds, func(ind *exportIndicator, r *exportRow) error {
			counts[ind.theme]++
			if !slices.Contains(units[ind.theme], ind.book.Unit) {
				units[ind.theme] = append(units[ind.theme], ind.book.Unit)
			}
			ir := byInd[r.indicator]
			if ir == nil {
				ir = &indicatorRows{key: newExportKey(p.Code, lang, "indicator", r.indicator, csvCols), theme: ind.theme}
				byInd[r.indicator] = ir
				indOrder = append(indOrder, r.indicator)
			} else if indOrder[len(indOrder)-1] != r.indicator {
				scattered = true
			}
			ir.rows++
			if keyed {
				cells = r.cells(ind, w, cells)
				ch.row(ir.key, cells)
			}
			return ctx.Err()
		}, nil)
	}
	reusable := true
	if err := count(groups); errors.Is(err, errUnsorted) {
		p.log().Warn("indicator table not sorted; exported from memory", "version", version, "err", err)
		groups, reusable = p.memoryGroups, false
		err = count(groups)
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	res := &Result{Dir: filepath.Join(p.Store.Root(), "exports"), Version: version}
	themes := sheetOrder(Themes(lang), func(id string) int { return counts[id] }, themeIDs(inds))
	next := &exportManifest{Version: exportNodesVersion, Lang: lang, Files: map[string]string{},
		Sheets: map[string]exportSheetNode{}, Indicators: map[string]exportIndicatorNode{}}
	indKeys := map[string]string{}
	for _, id := range indOrder {
		indKeys[id] = hex.EncodeToString(byInd[id].key.Sum(nil))
	}
	sheetKeys := map[string]string{}
	for _, t := range themes {
		h := newExportKey(p.Code, lang, "sheet", t.Title, fmt.Sprintf("%#v", w.sheetColumns(units[t.ID])), strconv.Itoa(counts[t.ID]))
		for _, id := range indOrder {
			if byInd[id].theme == t.ID {
				fmt.Fprintf(h, "%s\x00%s\x00", id, indKeys[id])
			}
		}
		sheetKeys[t.ID] = hex.EncodeToString(h.Sum(nil))
	}
	var prev *exportManifest
	if reusable = keyed && reusable && !scattered; reusable {
		prev = readExportManifest(res.Dir, lang, p.log())
	}
	err = replaceDir(res.Dir, func(tmp string) error {
		write := func(name string, fn func(io.Writer) error) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := store.WriteFileAtomic(filepath.Join(tmp, name), fn); err != nil {
				return fmt.Errorf("publish: %s: %w", name, err)
			}
			res.Files++
			return nil
		}
		err := write(indicatorWorkbook, func(xw io.Writer) error {
			wb, err := export.NewWorkbook()
			if err != nil {
				return err
			}
			defer wb.Close()
			var prevWB *export.Previous
			if prev != nil {
				if prevWB, err = export.OpenPrevious(filepath.Join(res.Dir, indicatorWorkbook)); err != nil {
					p.log().Warn("previous workbook not readable; every sheet written", "err", err)
					prevWB = nil
				} else {
					// Open until WriteTo has copied the carried sheets.
					defer prevWB.Close()
				}
			}
			sheets := map[string]*export.SheetWriter{}
			carried := map[string]bool{}
			for _, t := range themes {
				sw, err := wb.AddSheet(t.Title, w.sheetColumns(units[t.ID]), counts[t.ID])
				if err != nil {
					return err
				}
				sheets[t.ID] = sw
				part, err := sw.Part()
				if err != nil {
					return err
				}
				next.Sheets[t.ID] = exportSheetNode{Key: sheetKeys[t.ID], Part: part}
				if n, ok := prev.sheet(t.ID); ok && prevWB != nil && n.Key == sheetKeys[t.ID] && n.Part == part {
					if err := sw.Carry(prevWB, part); err != nil {
						p.log().Warn("sheet not carried over; written", "sheet", t.Title, "err", err)
					} else {
						carried[t.ID] = true
						res.Carried = append(res.Carried, "sheet:"+t.ID)
						continue
					}
				}
				res.Drawn = append(res.Drawn, "sheet:"+t.ID)
			}
			if len(themes) == 0 {
				// No indicator has a row: the (empty) workbook says so
				// rather than fail with "no sheets".
				if err := wb.WriteSheet(w.emptyNote()); err != nil {
					return err
				}
			}
			// Both CSV files are written while the workbook's rows are:
			// one pass over the table for all three.
			err = write(indicatorCSV, func(nw io.Writer) error {
				return write(indicatorPlainCSV, func(pw io.Writer) error {
					var hn, hp fileSum
					nb, err := export.NewCSVWriter(io.MultiWriter(nw, &hn), indicatorCSV, w.columns(), export.Norwegian)
					if err != nil {
						return err
					}
					pl, err := export.NewCSVWriter(io.MultiWriter(pw, &hp), indicatorPlainCSV, w.columns(), export.Plain)
					if err != nil {
						return err
					}
					var prevCSV, prevPlain *os.File
					if prev != nil {
						if prevCSV, prevPlain, err = openPair(res.Dir); err != nil {
							p.log().Warn("previous CSV files not readable; every row written", "err", err)
						} else {
							defer prevCSV.Close()
							defer prevPlain.Close()
						}
					}
					// The sheets' rows are written beside the CSV
					// files (see sheetFeed).
					feed := newSheetFeed()
					defer feed.close()
					// The indicator whose rows come now, where they
					// start, and whether they are copied.
					var (
						cur       string
						node      exportIndicatorNode
						copying   bool
						rows      int
						offsetErr error
					)
					offsets := func() (int64, int64) {
						a, err := nb.Offset()
						b, err2 := pl.Offset()
						offsetErr = errors.Join(offsetErr, err, err2)
						return a, b
					}
					end := func() {
						if cur != "" {
							node.CSV[1], node.Plain[1] = offsets()
							next.Indicators[cur] = node
						}
					}
					err = groups(version, inds, func(ind *exportIndicator, r *exportRow) error {
						if rows++; rows%4096 == 0 {
							if err := ctx.Err(); err != nil {
								return err
							}
						}
						if r.indicator != cur {
							end()
							cur, copying = r.indicator, false
							node = exportIndicatorNode{Key: indKeys[cur], Rows: byInd[cur].rows}
							node.CSV[0], node.Plain[0] = offsets()
							if n, ok := prev.indicator(cur); ok && prevCSV != nil && n.Key == node.Key && n.Rows == node.Rows {
								if err := copyRows(nb, prevCSV, n.CSV, n.Rows, cur); err != nil {
									return err
								}
								if err := copyRows(pl, prevPlain, n.Plain, n.Rows, cur); err != nil {
									return err
								}
								copying = true
								res.Carried = append(res.Carried, "csv:"+cur)
							} else {
								res.Drawn = append(res.Drawn, "csv:"+cur)
							}
						}
						if copying && carried[ind.theme] {
							return nil
						}
						cells = r.cells(ind, w, cells)
						if !copying {
							if err := nb.WriteRow(cells); err != nil {
								return err
							}
							if err := pl.WriteRow(cells); err != nil {
								return err
							}
						}
						if carried[ind.theme] {
							return nil
						}
						feed.write(sheets[ind.theme], cells)
						return nil
					}, feed.wait)
					if ferr := feed.close(); err == nil {
						err = ferr
					}
					if err != nil {
						return err
					}
					end()
					if offsetErr != nil {
						return offsetErr
					}
					if err := nb.Close(); err != nil {
						return err
					}
					if err := pl.Close(); err != nil {
						return err
					}
					next.Files[indicatorCSV], next.Files[indicatorPlainCSV] = hn.String(), hp.String()
					return nil
				})
			})
			if err != nil {
				return err
			}
			if err := p.definitionsSheet(wb, cat, w); err != nil {
				return err
			}
			var hx fileSum
			if _, err = wb.WriteTo(io.MultiWriter(xw, &hx)); err != nil {
				return err
			}
			next.Files[indicatorWorkbook] = hx.String()
			return nil
		})
		if err != nil {
			return err
		}
		if reusable {
			if err := store.WriteJSON(filepath.Join(tmp, ExportNodesFile), next); err != nil {
				return fmt.Errorf("publish: %s: %w", ExportNodesFile, err)
			}
		}
		if v := cat.Datasets[NeedsDataset].CurrentVersion(); v != nil {
			if err := p.exportNeeds(ctx, v, w, write); err != nil {
				return err
			}
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
	p.log().Info("exports written", "dir", res.Dir, "version", version, "files", res.Files,
		"parts_written", len(res.Drawn), "parts_carried", len(res.Carried), "duration", res.Duration)
	return res, nil
}

// exportNeeds writes the needs-versus-supply table v (read in batches) to
// its XLSX and two CSV files in one pass. Every row of the needs table is
// grunnlag's own estimate (weighted survey answers beside register
// supply): computed, and synthetic when the survey is.
func (p *Publisher) exportNeeds(ctx context.Context, v *store.Version, w exportWords, write func(string, func(io.Writer) error) error) error {
	return write(NeedsDataset+".xlsx", func(xw io.Writer) error {
		wb, err := export.NewWorkbook()
		if err != nil {
			return err
		}
		defer wb.Close()
		err = write(NeedsDataset+".csv", func(nw io.Writer) error {
			return write(NeedsDataset+"-plain.csv", func(pw io.Writer) error {
				var (
					sheet  *export.SheetWriter
					nb, pl *export.CSVWriter
					buf    []export.Cell
				)
				synth, comp := w.flagColumns()
				err := p.Store.ScanVersion(NeedsDataset, v.Stamp, 0, func(rec arrow.Record) error {
					cols, cells := recordCells(rec)
					cols = append(cols, export.Column{Name: synth, Kind: export.Text}, export.Column{Name: comp, Kind: export.Text})
					if sheet == nil {
						var err error
						if sheet, err = wb.AddSheet(w.needsSheet(), cols, int(v.Rows)); err != nil {
							return err
						}
						if nb, err = export.NewCSVWriter(nw, NeedsDataset+".csv", cols, export.Norwegian); err != nil {
							return err
						}
						if pl, err = export.NewCSVWriter(pw, NeedsDataset+"-plain.csv", cols, export.Plain); err != nil {
							return err
						}
					}
					for i := range int(rec.NumRows()) {
						buf = append(cells(i, buf), export.TextCell(w.yesNo(v.Synthetic)), export.TextCell(w.yesNo(true)))
						if err := nb.WriteRow(buf); err != nil {
							return err
						}
						if err := pl.WriteRow(buf); err != nil {
							return err
						}
						if err := sheet.WriteRow(buf); err != nil {
							return err
						}
					}
					return ctx.Err()
				})
				if err != nil {
					return fmt.Errorf("publish: %w", err)
				}
				if err := nb.Close(); err != nil {
					return err
				}
				return pl.Close()
			})
		})
		if err != nil {
			return err
		}
		_, err = wb.WriteTo(xw)
		return err
	})
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
		sum, err := book.Charts(ctx, in, book.Options{Workers: p.Workers}, fileWriter(tmp, &folderMaker{}))
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
