package regions

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/sources/klass"
)

// RecordOptions controls HarmoniseRecord.
type RecordOptions struct {
	Dataset      string // for error messages
	RegionColumn string // e.g. "Region"
	TimeColumn   string // e.g. "Tid"
	Target       time.Time
	Weights      Weights
	// PeriodDate gives a period's reference date; nil => DefaultPeriodDate.
	PeriodDate func(period string) (time.Time, error)
	// SkipEmptyOutOfRange skips missing cells (null value) whose code is not
	// valid on the period's date: an SSB cube holds every code for every
	// period, and "Skien (-2019)" is necessarily empty in 2024. A non-null
	// value for such a code is still an error. Skipped cells are counted in
	// the schema metadata key "regions.skipped_empty".
	SkipEmptyOutOfRange bool
}

// DefaultPeriodDate is the period → date rule: a period's date is its
// reference date, and a code is resolved on that date. Without more
// knowledge the reference date is the first day of the period: "2019" →
// 2019-01-01, "2019M03" → 2019-03-01, "2019K2"/"2019Q2" → 2019-04-01,
// "2019H2" → 2019-07-01, "2019-03" → 2019-03-01, "2019-03-15" as is, and a
// span of years (a cohort "2019-2025", a school year "2025-2026") its first
// year's 1 January.
//
// SSB table 09429 counts persons on 1 October but publishes each year on
// that year's boundaries; since Norwegian boundary changes take effect on 1
// January, 1 January and 1 October of a year resolve to the same vintage,
// and the default is right for it. A table published on next year's
// boundaries (for example population at 1 January of the next year) needs
// its own PeriodDate.
func DefaultPeriodDate(p string) (time.Time, error) {
	bad := fmt.Errorf("regions: period %q: not YYYY, YYYYMmm, YYYYKq, YYYYQq, YYYYHh, YYYY-MM, YYYY-MM-DD or YYYY-YYYY", p)
	if len(p) < 4 {
		return time.Time{}, bad
	}
	y, err := strconv.Atoi(p[:4])
	if err != nil || y < 1000 {
		return time.Time{}, bad
	}
	rest := p[4:]
	month := 1
	switch {
	case rest == "":
	case len(rest) == 3 && rest[0] == 'M':
		month, err = strconv.Atoi(rest[1:])
		if err != nil || month < 1 || month > 12 {
			return time.Time{}, bad
		}
	case len(rest) == 2 && (rest[0] == 'K' || rest[0] == 'Q'):
		q, err := strconv.Atoi(rest[1:])
		if err != nil || q < 1 || q > 4 {
			return time.Time{}, bad
		}
		month = 3*(q-1) + 1
	case len(rest) == 2 && rest[0] == 'H':
		h, err := strconv.Atoi(rest[1:])
		if err != nil || h < 1 || h > 2 {
			return time.Time{}, bad
		}
		month = 6*(h-1) + 1
	case len(rest) == 3 && rest[0] == '-':
		t, err := time.Parse("2006-01", p)
		if err != nil {
			return time.Time{}, bad
		}
		return t, nil
	case len(rest) == 5 && rest[0] == '-':
		y2, err := strconv.Atoi(rest[1:])
		if err != nil || y2 < y {
			return time.Time{}, bad
		}
	case len(rest) == 6 && rest[0] == '-':
		t, err := time.Parse(klass.DateLayout, p)
		if err != nil {
			return time.Time{}, bad
		}
		return t, nil
	default:
		return time.Time{}, bad
	}
	return time.Date(y, time.Month(month), 1, 0, 0, 0, 0, time.UTC), nil
}

// Output column names added by HarmoniseRecord.
const (
	ColRegion      = "region"
	ColRegionLabel = "region_label"
	ColRegionLevel = "region_level"
	ColRegionFlag  = "region_flag"
)

type strColumn struct {
	name string
	get  func(i int) (string, bool)
}

func stringColumn(rec arrow.Record, idx int) (strColumn, error) {
	name := rec.Schema().Field(idx).Name
	col := rec.Column(idx)
	switch a := col.(type) {
	case *array.String:
		return strColumn{name, func(i int) (string, bool) { return a.Value(i), a.IsValid(i) }}, nil
	case *array.LargeString:
		return strColumn{name, func(i int) (string, bool) { return a.Value(i), a.IsValid(i) }}, nil
	case *array.Dictionary:
		switch d := a.Dictionary().(type) {
		case *array.String:
			return strColumn{name, func(i int) (string, bool) {
				if a.IsNull(i) {
					return "", false
				}
				return d.Value(a.GetValueIndex(i)), true
			}}, nil
		case *array.LargeString:
			return strColumn{name, func(i int) (string, bool) {
				if a.IsNull(i) {
					return "", false
				}
				return d.Value(a.GetValueIndex(i)), true
			}}, nil
		}
	}
	return strColumn{}, fmt.Errorf("column %q has type %s, want utf8 or dictionary<utf8>", name, col.DataType())
}

// HarmoniseRecord puts a tidy record (CONTRACTS.md shape: a code and a
// <dim>_label dictionary column per dimension, value float64 nullable,
// status utf8 nullable) onto the target vintage. Values must be additive
// (counts); recompute shares and rates afterwards from harmonised
// numerators and denominators (Ratio).
//
// Output: the input columns with the region column and its label replaced
// by region, region_label, region_level and region_flag; the other
// dimensions kept; value summed over the old codes that roll into one new
// code per (other dimensions, period), by the rule of HarmoniseCells. Rows
// are sorted by region level, region code, then the other columns in order.
// Schema metadata is kept, plus "regions.target" (the vintage date).
func (m *Model) HarmoniseRecord(mem memory.Allocator, rec arrow.Record, opt RecordOptions) (arrow.Record, error) {
	sc := rec.Schema()
	ds := opt.Dataset
	if ds == "" {
		ds = "-"
	}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("regions: dataset %s: "+format, append([]any{ds}, a...)...)
	}
	regIdx := sc.FieldIndices(opt.RegionColumn)
	timeIdx := sc.FieldIndices(opt.TimeColumn)
	valIdx := sc.FieldIndices("value")
	if len(regIdx) != 1 || len(timeIdx) != 1 || len(valIdx) != 1 {
		return nil, fail("need exactly one region column %q, time column %q and value column", opt.RegionColumn, opt.TimeColumn)
	}
	values, ok := rec.Column(valIdx[0]).(*array.Float64)
	if !ok {
		return nil, fail("value column has type %s, want float64", rec.Column(valIdx[0]).DataType())
	}
	var status *strColumn
	if si := sc.FieldIndices("status"); len(si) == 1 {
		c, err := stringColumn(rec, si[0])
		if err != nil {
			return nil, fail("%v", err)
		}
		status = &c
	}
	region, err := stringColumn(rec, regIdx[0])
	if err != nil {
		return nil, fail("%v", err)
	}
	timeCol, err := stringColumn(rec, timeIdx[0])
	if err != nil {
		return nil, fail("%v", err)
	}
	labelName := opt.RegionColumn + "_label"
	// Other columns, in input order; the region columns are replaced in place.
	type outCol struct {
		name   string
		src    *strColumn // nil for region columns
		region bool
	}
	var cols []outCol
	var others []strColumn
	placed := false
	for i, f := range sc.Fields() {
		switch f.Name {
		case opt.RegionColumn, labelName:
			if !placed {
				cols = append(cols, outCol{name: ColRegion, region: true}, outCol{name: ColRegionLabel, region: true},
					outCol{name: ColRegionLevel, region: true}, outCol{name: ColRegionFlag, region: true})
				placed = true
			}
		case "value", "status":
		case ColRegion, ColRegionLabel, ColRegionLevel, ColRegionFlag:
			return nil, fail("input already has a column %q", f.Name)
		default:
			c, err := stringColumn(rec, i)
			if err != nil {
				return nil, fail("%v", err)
			}
			others = append(others, c)
			cols = append(cols, outCol{name: f.Name, src: &others[len(others)-1]})
		}
	}
	// others may have been reallocated; rebind the pointers.
	k := 0
	for i := range cols {
		if !cols[i].region {
			cols[i].src = &others[k]
			k++
		}
	}
	periodDate := opt.PeriodDate
	if periodDate == nil {
		periodDate = DefaultPeriodDate
	}
	target := opt.Target
	if target.IsZero() {
		target = m.latest
	}
	type group struct {
		key    []string
		period string
		cells  []Cell
	}
	groups := map[string]*group{}
	var order []string
	n := int(rec.NumRows())
	for i := 0; i < n; i++ {
		key := make([]string, len(others))
		for j, c := range others {
			s, ok := c.get(i)
			if !ok {
				return nil, fail("row %d: column %q is null", i, c.name)
			}
			key[j] = s
		}
		code, ok := region.get(i)
		if !ok {
			return nil, fail("row %d: region column %q is null", i, opt.RegionColumn)
		}
		per, _ := timeCol.get(i)
		ks := strings.Join(key, "\x00")
		g := groups[ks]
		if g == nil {
			g = &group{key: key, period: per}
			groups[ks] = g
			order = append(order, ks)
		}
		c := Cell{Code: code, Value: values.Value(i), Valid: values.IsValid(i)}
		if status != nil {
			c.Status, _ = status.get(i)
		}
		g.cells = append(g.cells, c)
	}
	type outRow struct {
		h   Harmonised
		key []string
	}
	var rows []outRow
	reaches := map[time.Time]reach{}
	skipped := 0
	for _, ks := range order {
		g := groups[ks]
		at, err := periodDate(g.period)
		if err != nil {
			return nil, fail("%v", err)
		}
		if opt.SkipEmptyOutOfRange {
			kept := g.cells[:0]
			for _, c := range g.cells {
				if !c.Valid {
					if _, err := m.resolve(c.Code, at); err != nil {
						skipped++
						continue
					}
				}
				kept = append(kept, c)
			}
			g.cells = kept
		}
		rc := reaches[at]
		if rc == nil {
			rc = m.reachAt(at, target)
			reaches[at] = rc
		}
		hs, err := m.harmonise(g.cells, at, Options{Target: target, Weights: opt.Weights, Dataset: opt.Dataset, Period: g.period}, rc)
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			rows = append(rows, outRow{h, g.key})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if la, lb := levelOrder(a.h.Region.Level), levelOrder(b.h.Region.Level); la != lb {
			return la < lb
		}
		if a.h.Region.Code != b.h.Region.Code {
			return a.h.Region.Code < b.h.Region.Code
		}
		for x := range a.key {
			if a.key[x] != b.key[x] {
				return a.key[x] < b.key[x]
			}
		}
		return false
	})

	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	var fields []arrow.Field
	for _, c := range cols {
		fields = append(fields, arrow.Field{Name: c.name, Type: dict})
	}
	fields = append(fields, arrow.Field{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		arrow.Field{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true})
	md := sc.Metadata()
	keys := append(append([]string(nil), md.Keys()...), "regions.target")
	vals := append(append([]string(nil), md.Values()...), target.Format(klass.DateLayout))
	if opt.SkipEmptyOutOfRange {
		keys = append(keys, "regions.skipped_empty")
		vals = append(vals, strconv.Itoa(skipped))
	}
	meta := arrow.NewMetadata(keys, vals)
	outSchema := arrow.NewSchema(fields, &meta)
	b := array.NewRecordBuilder(mem, outSchema)
	defer b.Release()
	for _, r := range rows {
		k := 0
		for ci, c := range cols {
			db := b.Field(ci).(*array.BinaryDictionaryBuilder)
			var s string
			switch c.name {
			case ColRegion:
				if c.region {
					s = r.h.Region.Code
				}
			case ColRegionLabel:
				if c.region {
					s = r.h.Region.Name
				}
			case ColRegionLevel:
				if c.region {
					s = string(r.h.Region.Level)
				}
			case ColRegionFlag:
				if c.region {
					s = string(r.h.Flag)
				}
			}
			if !c.region {
				s = r.key[k]
				k++
			}
			if err := db.AppendString(s); err != nil {
				return nil, fail("%v", err)
			}
		}
		vb := b.Field(len(cols)).(*array.Float64Builder)
		if r.h.Valid {
			vb.Append(r.h.Value)
		} else {
			vb.AppendNull()
		}
		sb := b.Field(len(cols) + 1).(*array.StringBuilder)
		if r.h.Status == "" {
			sb.AppendNull()
		} else {
			sb.Append(r.h.Status)
		}
	}
	return b.NewRecord(), nil
}
