package publish

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Rows converts an indicator table record (pipelines/build's long schema)
// into book rows. Required columns: indicator, region, region_level,
// period, value; every other column is optional (absent = missing).
// Strings may be utf8 or dictionary<utf8>; numbers float64 or int64.
func Rows(rec arrow.Record) ([]book.Row, error) {
	n := int(rec.NumRows())
	str := func(name string, required bool) (func(int) string, error) {
		f, err := store.StringColumn(rec, name)
		if err != nil {
			if required {
				return nil, fmt.Errorf("publish: indicator table: %w", err)
			}
			f = func(int) string { return "" }
		}
		return f, nil
	}
	num := func(name string, required bool) (func(int) float64, error) {
		f, err := store.FloatColumn(rec, name)
		if err != nil {
			if required {
				return nil, fmt.Errorf("publish: indicator table: %w", err)
			}
			f = func(int) float64 { return math.NaN() }
		}
		return f, nil
	}
	// The accessors are looked up once, not per cell: the table has about
	// half a million rows of 26 cells.
	var (
		sInd, sReg, sRegLabel, sLevel, sPeriod, sCat, sCatLabel, sUnit, sComp, sCompReg, sFlags, sSources func(int) string
		nValue, nNum, nDen, nCompValue, nGapAbs, nGapIndex, nZ, nCILow, nCIHigh, nRank, nRanked, nUnits   func(int) float64
	)
	for _, c := range []struct {
		name     string
		required bool
		f        *func(int) string
	}{
		{"indicator", true, &sInd}, {"region", true, &sReg}, {"region_label", false, &sRegLabel},
		{"region_level", true, &sLevel}, {"period", true, &sPeriod}, {"category", false, &sCat},
		{"category_label", false, &sCatLabel}, {"unit", false, &sUnit}, {"comparator", false, &sComp},
		{"comparator_region", false, &sCompReg}, {"flags", false, &sFlags}, {"sources", false, &sSources},
	} {
		f, err := str(c.name, c.required)
		if err != nil {
			return nil, err
		}
		*c.f = f
	}
	for _, c := range []struct {
		name     string
		required bool
		f        *func(int) float64
	}{
		{"value", true, &nValue}, {"numerator", false, &nNum}, {"denominator", false, &nDen},
		{"comparator_value", false, &nCompValue}, {"gap_abs", false, &nGapAbs}, {"gap_index", false, &nGapIndex},
		{"z_score", false, &nZ}, {"ci_low", false, &nCILow}, {"ci_high", false, &nCIHigh},
		{"rank", false, &nRank}, {"n_ranked", false, &nRanked}, {"n_units", false, &nUnits},
	} {
		f, err := num(c.name, c.required)
		if err != nil {
			return nil, err
		}
		*c.f = f
	}
	bSynthetic, bComputed := boolColumn(rec, "synthetic"), boolColumn(rec, "computed")
	toInt := func(x float64) int {
		if math.IsNaN(x) {
			return 0
		}
		return int(x)
	}
	// The rows are made in parts on every core (all of them wait for this
	// table: 0.48 s of a one-cell run's CPU on one, profile of
	// BenchmarkOneCellChange, 2026-12-07). A table has few distinct flag
	// lists: each part splits each once and shares its slice between its
	// rows that carry it (readers never modify Flags).
	row := func(i int, split map[string][]string) book.Row {
		var flags []string
		if s := sFlags(i); s != "" {
			var ok bool
			if flags, ok = split[s]; !ok {
				flags = strings.Split(s, ",")
				split[s] = flags
			}
		}
		return book.Row{
			Indicator: sInd(i), Region: sReg(i), RegionLabel: sRegLabel(i),
			RegionLevel: sLevel(i), Period: sPeriod(i), Category: sCat(i),
			CategoryLabel: sCatLabel(i), Value: nValue(i), Unit: sUnit(i),
			Numerator: nNum(i), Denominator: nDen(i),
			Comparator: sComp(i), ComparatorRegion: sCompReg(i),
			ComparatorValue: nCompValue(i), GapAbs: nGapAbs(i), GapIndex: nGapIndex(i),
			Rank: toInt(nRank(i)), NRanked: toInt(nRanked(i)), Z: nZ(i),
			CILow: nCILow(i), CIHigh: nCIHigh(i), NUnits: toInt(nUnits(i)),
			Flags: flags, Sources: sSources(i),
			Synthetic: bSynthetic(i), Computed: bComputed(i),
		}
	}
	rows := make([]book.Row, n)
	fill := func(from, to int) {
		split := map[string][]string{}
		for i := from; i < to; i++ {
			rows[i] = row(i, split)
		}
	}
	parts := min(runtime.GOMAXPROCS(0), 1+n/rowsPerPart)
	if parts <= 1 {
		fill(0, n)
		return rows, nil
	}
	var wg sync.WaitGroup
	for k := range parts {
		wg.Go(func() { fill(n*k/parts, n*(k+1)/parts) })
	}
	wg.Wait()
	return rows, nil
}

// rowsPerPart is the fewest rows Rows gives a goroutine of their own.
const rowsPerPart = 32768

// boolColumn returns a reader of the boolean column name; an absent column
// (a table written before the column existed) or a null reads false.
func boolColumn(rec arrow.Record, name string) func(int) bool {
	idx := rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		return func(int) bool { return false }
	}
	col, ok := rec.Column(idx[0]).(*array.Boolean)
	if !ok {
		return func(int) bool { return false }
	}
	return func(i int) bool { return col.IsValid(i) && col.Value(i) }
}

// cell is what diffRows compares of a row: where the value is and the
// value (the comparator does not change it). A table's cells take a
// quarter of its book rows' memory.
type cell struct {
	Indicator, Region, Period, Category string
	Value                               float64
}

// cellsOfRows returns the cells of book rows.
func cellsOfRows(rows []book.Row) []cell {
	out := make([]cell, len(rows))
	for i := range rows {
		r := &rows[i]
		out[i] = cell{r.Indicator, r.Region, r.Period, r.Category, r.Value}
	}
	return out
}

// cellsOfRecord returns the cells of an indicator table record (as Rows
// reads it: indicator, region, period and value required, category
// optional), without making its book rows.
func cellsOfRecord(rec arrow.Record) ([]cell, error) {
	var get [4]func(int) string
	for i, name := range []string{"indicator", "region", "period", "category"} {
		f, err := store.StringColumn(rec, name)
		if err != nil {
			if name != "category" {
				return nil, fmt.Errorf("publish: indicator table: %w", err)
			}
			f = func(int) string { return "" }
		}
		get[i] = f
	}
	value, err := store.FloatColumn(rec, "value")
	if err != nil {
		return nil, fmt.Errorf("publish: indicator table: %w", err)
	}
	out := make([]cell, rec.NumRows())
	for i := range out {
		out[i] = cell{get[0](i), get[1](i), get[2](i), get[3](i), value(i)}
	}
	return out, nil
}

// cellKey identifies a value in the table (the comparator does not change
// the value).
func cellKey(r *book.Row) string {
	return r.Indicator + "\x1f" + r.Region + "\x1f" + r.Period + "\x1f" + r.Category
}

// key is the cellKey of the row c is a cell of.
func (c *cell) key() string {
	return c.Indicator + "\x1f" + c.Region + "\x1f" + c.Period + "\x1f" + c.Category
}

// diffRows counts, per indicator, the values added, removed and revised
// (value changed; both missing counts as equal) from old to new, leaving
// out the indicators in skip (without copying the rows: the tables are
// the largest things the book holds).
func diffRows(old, cur []cell, skip map[string]bool) map[string]*book.Change {
	// The table is sorted by indicator, so each indicator's rows are one
	// run, and an unchanged indicator (most of them, in an incremental
	// run) has the same run in both versions: those are compared in
	// order, without indexing them. Tables that are not in runs, and the
	// indicators that differ, are compared by key.
	oldRuns, okOld := indicatorRuns(old)
	curRuns, okCur := indicatorRuns(cur)
	if !okOld || !okCur {
		return diffRowsByKey(old, cur, skip)
	}
	out := map[string]*book.Change{}
	merge := func(m map[string]*book.Change) {
		for k, c := range m {
			out[k] = c
		}
	}
	for ind, c := range curRuns {
		if skip[ind] {
			continue
		}
		o, ok := oldRuns[ind]
		if ok && sameCells(old[o[0]:o[1]], cur[c[0]:c[1]]) {
			continue
		}
		if !ok {
			o = [2]int{}
		}
		merge(diffRowsByKey(old[o[0]:o[1]], cur[c[0]:c[1]], skip))
	}
	for ind, o := range oldRuns {
		if _, ok := curRuns[ind]; !ok && !skip[ind] {
			merge(diffRowsByKey(old[o[0]:o[1]], nil, skip))
		}
	}
	return out
}

// indicatorRuns returns, per indicator, the [start, end) of its rows;
// false when an indicator's rows are not contiguous.
func indicatorRuns(rows []cell) (map[string][2]int, bool) {
	runs := map[string][2]int{}
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j].Indicator == rows[i].Indicator {
			j++
		}
		if _, dup := runs[rows[i].Indicator]; dup {
			return nil, false
		}
		runs[rows[i].Indicator] = [2]int{i, j}
		i = j
	}
	return runs, true
}

// sameCells reports whether a and b hold the same cells (cellKey) with the
// same values (both missing counts as equal), in the same order.
func sameCells(a, b []cell) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := &a[i], &b[i]
		if x.Region != y.Region || x.Period != y.Period || x.Category != y.Category ||
			!(x.Value == y.Value || math.IsNaN(x.Value) && math.IsNaN(y.Value)) {
			return false
		}
	}
	return true
}

// diffRowsByKey is diffRows by an index of every cell's key.
func diffRowsByKey(old, cur []cell, skip map[string]bool) map[string]*book.Change {
	type v struct {
		ind string
		x   float64
	}
	index := func(rows []cell) map[string]v {
		m := make(map[string]v, len(rows))
		for i := range rows {
			if !skip[rows[i].Indicator] {
				m[rows[i].key()] = v{rows[i].Indicator, rows[i].Value}
			}
		}
		return m
	}
	om, nm := index(old), index(cur)
	out := map[string]*book.Change{}
	get := func(ind string) *book.Change {
		c := out[ind]
		if c == nil {
			c = &book.Change{Name: ind}
			out[ind] = c
		}
		return c
	}
	for k, nv := range nm {
		ov, ok := om[k]
		switch {
		case !ok:
			get(nv.ind).Added++
		case !(ov.x == nv.x || math.IsNaN(ov.x) && math.IsNaN(nv.x)):
			get(nv.ind).Revised++
		}
	}
	for k, ov := range om {
		if _, ok := nm[k]; !ok {
			get(ov.ind).Removed++
		}
	}
	return out
}
