package build

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Columns of the indicator table, in order.
var Columns = []string{"indicator", "region", "region_label", "region_level", "period", "category", "category_label",
	"value", "unit", "numerator", "denominator", "comparator", "comparator_region", "comparator_value", "gap_abs", "gap_index",
	"rank", "n_ranked", "z_score", "ci_low", "ci_high", "n_units", "flags", "sources", "synthetic", "computed"}

// Record builds the arrow record of the long table. Strings are
// dictionary-encoded; NaN floats and zero ranks are nulls; empty category,
// comparator, flags are nulls; synthetic and computed are booleans, never
// null.
func Record(rows []Row) (arrow.Record, error) {
	return recordOf([][]Row{rows})
}

// recordOf is Record of the rows of every chunk, in order. It lets each
// chunk go (chunks[i] = nil) once its rows are in the record, so that the
// rows need not outlive their copy.
func recordOf(chunks [][]Row) (arrow.Record, error) {
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	f64, i64, boolean := arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Int64, arrow.FixedWidthTypes.Boolean
	types := map[string]arrow.DataType{"synthetic": boolean, "computed": boolean, "value": f64, "numerator": f64, "denominator": f64, "comparator_value": f64,
		"gap_abs": f64, "gap_index": f64, "z_score": f64, "ci_low": f64, "ci_high": f64, "rank": i64, "n_ranked": i64, "n_units": i64}
	required := map[string]bool{"indicator": true, "region": true, "region_label": true, "region_level": true, "period": true, "unit": true, "n_units": true,
		"synthetic": true, "computed": true}
	var fields []arrow.Field
	for _, c := range Columns {
		t := types[c]
		if t == nil {
			t = dict
		}
		fields = append(fields, arrow.Field{Name: c, Type: t, Nullable: !required[c]})
	}
	md := arrow.NewMetadata([]string{"grunnlag.table"}, []string{"indicators"})
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, &md))
	defer b.Release()
	total := 0
	for _, c := range chunks {
		total += len(c)
	}
	b.Reserve(total)
	str := func(i int, s string, nullable bool) error {
		db := b.Field(i).(*array.BinaryDictionaryBuilder)
		if s == "" && nullable {
			db.AppendNull()
			return nil
		}
		return db.AppendString(s)
	}
	num := func(i int, x float64) {
		fb := b.Field(i).(*array.Float64Builder)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			fb.AppendNull()
		} else {
			fb.Append(x)
		}
	}
	integer := func(i, x int, nullable bool) {
		ib := b.Field(i).(*array.Int64Builder)
		if x == 0 && nullable {
			ib.AppendNull()
		} else {
			ib.Append(int64(x))
		}
	}
	for k, rows := range chunks {
		chunks[k] = nil
		if err := appendRows(b, rows, str, num, integer); err != nil {
			return nil, err
		}
	}
	return b.NewRecord(), nil
}

// appendRows appends rows to the record builder of Record.
func appendRows(b *array.RecordBuilder, rows []Row, str func(int, string, bool) error, num func(int, float64), integer func(int, int, bool)) error {
	for _, r := range rows {
		for i, s := range []string{r.Indicator, r.Region, r.RegionLabel, r.RegionLevel, r.Period, r.Category, r.CategoryLabel} {
			if err := str(i, s, i >= 5); err != nil {
				return fmt.Errorf("build: record: %w", err)
			}
		}
		num(7, r.Value)
		if err := str(8, r.Unit, false); err != nil {
			return err
		}
		num(9, r.Numerator)
		num(10, r.Denominator)
		if err := str(11, r.Comparator, true); err != nil {
			return err
		}
		if err := str(12, r.ComparatorRegion, true); err != nil {
			return err
		}
		num(13, r.ComparatorValue)
		num(14, r.GapAbs)
		num(15, r.GapIndex)
		integer(16, r.Rank, true)
		integer(17, r.NRanked, true)
		num(18, r.Z)
		num(19, r.CILow)
		num(20, r.CIHigh)
		integer(21, r.NUnits, false)
		if err := str(22, r.Flags, true); err != nil {
			return err
		}
		if err := str(23, r.Sources, true); err != nil {
			return err
		}
		b.Field(24).(*array.BooleanBuilder).Append(r.Synthetic)
		b.Field(25).(*array.BooleanBuilder).Append(r.Computed)
	}
	return nil
}

// WriteSummary writes a tab-separated summary of the rows, one line per
// indicator in row order: rows, distinct regions, periods (count, first,
// last), valid values, and min, median and max of the distinct valid values
// (one per region, period and category), rounded to 4 significant
// decimals. It is what the golden file holds.
func WriteSummary(w io.Writer, rows []Row) error {
	type acc struct {
		rows             int
		regions, periods map[string]bool
		vals             map[string]float64
	}
	var order []string
	accs := map[string]*acc{}
	for _, r := range rows {
		a := accs[r.Indicator]
		if a == nil {
			a = &acc{regions: map[string]bool{}, periods: map[string]bool{}, vals: map[string]float64{}}
			accs[r.Indicator] = a
			order = append(order, r.Indicator)
		}
		a.rows++
		a.regions[r.Region] = true
		a.periods[r.Period] = true
		if !math.IsNaN(r.Value) {
			a.vals[r.Region+"\x1f"+r.Period+"\x1f"+r.Category] = r.Value
		}
	}
	if _, err := fmt.Fprintln(w, "indicator\trows\tregions\tperiods\tfirst\tlast\tvalues\tmin\tmedian\tmax"); err != nil {
		return err
	}
	for _, id := range order {
		a := accs[id]
		ps := keys(a.periods)
		vs := make([]float64, 0, len(a.vals))
		for _, v := range a.vals {
			vs = append(vs, v)
		}
		sort.Float64s(vs)
		mn, md, mx := "", "", ""
		if n := len(vs); n > 0 {
			med := vs[n/2]
			if n%2 == 0 {
				med = (vs[n/2-1] + vs[n/2]) / 2
			}
			mn, md, mx = fmt4(vs[0]), fmt4(med), fmt4(vs[n-1])
		}
		if _, err := fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%s\t%s\t%d\t%s\t%s\t%s\n", id, a.rows, len(a.regions), len(ps), ps[0], ps[len(ps)-1], len(vs), mn, md, mx); err != nil {
			return err
		}
	}
	return nil
}

func fmt4(x float64) string {
	s := fmt.Sprintf("%.4f", x)
	if s == "-0.0000" {
		s = "0.0000"
	}
	return strings.TrimSpace(s)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
