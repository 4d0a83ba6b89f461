package publish

import (
	"fmt"
	"math"
	"strings"

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
	str := map[string]func(int) string{}
	for _, name := range []string{"indicator", "region", "region_label", "region_level", "period", "category", "category_label", "unit", "comparator", "comparator_region", "flags", "sources"} {
		f, err := store.StringColumn(rec, name)
		if err != nil {
			switch name {
			case "indicator", "region", "region_level", "period":
				return nil, fmt.Errorf("publish: indicator table: %w", err)
			}
			f = func(int) string { return "" }
		}
		str[name] = f
	}
	num := map[string]func(int) float64{}
	for _, name := range []string{"value", "numerator", "denominator", "comparator_value", "gap_abs", "gap_index", "z_score", "ci_low", "ci_high", "rank", "n_ranked", "n_units"} {
		f, err := store.FloatColumn(rec, name)
		if err != nil {
			if name == "value" {
				return nil, fmt.Errorf("publish: indicator table: %w", err)
			}
			f = func(int) float64 { return math.NaN() }
		}
		num[name] = f
	}
	boolean := map[string]func(int) bool{}
	for _, name := range []string{"synthetic", "computed"} {
		boolean[name] = boolColumn(rec, name)
	}
	toInt := func(x float64) int {
		if math.IsNaN(x) {
			return 0
		}
		return int(x)
	}
	rows := make([]book.Row, n)
	for i := range n {
		var flags []string
		if s := str["flags"](i); s != "" {
			flags = strings.Split(s, ",")
		}
		rows[i] = book.Row{
			Indicator: str["indicator"](i), Region: str["region"](i), RegionLabel: str["region_label"](i),
			RegionLevel: str["region_level"](i), Period: str["period"](i), Category: str["category"](i),
			CategoryLabel: str["category_label"](i), Value: num["value"](i), Unit: str["unit"](i),
			Numerator: num["numerator"](i), Denominator: num["denominator"](i),
			Comparator: str["comparator"](i), ComparatorRegion: str["comparator_region"](i),
			ComparatorValue: num["comparator_value"](i), GapAbs: num["gap_abs"](i), GapIndex: num["gap_index"](i),
			Rank: toInt(num["rank"](i)), NRanked: toInt(num["n_ranked"](i)), Z: num["z_score"](i),
			CILow: num["ci_low"](i), CIHigh: num["ci_high"](i), NUnits: toInt(num["n_units"](i)),
			Flags: flags, Sources: str["sources"](i),
			Synthetic: boolean["synthetic"](i), Computed: boolean["computed"](i),
		}
	}
	return rows, nil
}

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

// cellKey identifies a value in the table (the comparator does not change
// the value).
func cellKey(r *book.Row) string {
	return r.Indicator + "\x1f" + r.Region + "\x1f" + r.Period + "\x1f" + r.Category
}

// diffRows counts, per indicator, the values added, removed and revised
// (value changed; both missing counts as equal) from old to new, leaving
// out the indicators in skip (without copying the rows: the tables are
// the largest things the book holds).
func diffRows(old, cur []book.Row, skip map[string]bool) map[string]*book.Change {
	type v struct {
		ind string
		x   float64
	}
	index := func(rows []book.Row) map[string]v {
		m := make(map[string]v, len(rows))
		for i := range rows {
			if !skip[rows[i].Indicator] {
				m[cellKey(&rows[i])] = v{rows[i].Indicator, rows[i].Value}
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
