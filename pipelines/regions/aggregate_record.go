package regions

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/sources/klass"
)

// ColTotalKind is the column AggregateRecord adds.
const ColTotalKind = "total_kind"

// AggregateRecordOptions controls AggregateRecord.
type AggregateRecordOptions struct {
	Dataset string
	// Date is the boundary vintage of the input; zero => the record's
	// "regions.target" metadata (set by HarmoniseRecord).
	Date   time.Time
	Groups []Group
}

// AggregateRecord adds county, grouping and nation totals to a harmonised
// record of additive values (the output of HarmoniseRecord), per
// combination of the other columns, by the rule of Aggregate. It adds a
// total_kind column; output columns are region, region_label, region_level,
// region_flag, total_kind, the other columns in input order, value, status.
// total_kind is "unit" for municipalities,
// "published" for county and nation rows the input already had (kept as
// they are), "computed" for our sums. A computed row's region_flag is
// "apportioned" if any member was, else "merged"; an incomplete sum is
// missing with status "..". Rows are sorted by level (nation, counties,
// groupings, municipalities), code, then the other columns.
func (m *Model) AggregateRecord(mem memory.Allocator, rec arrow.Record, opt AggregateRecordOptions) (arrow.Record, error) {
	sc := rec.Schema()
	ds := opt.Dataset
	if ds == "" {
		ds = "-"
	}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("regions: aggregate: dataset %s: "+format, append([]any{ds}, a...)...)
	}
	d := opt.Date
	if d.IsZero() {
		md := sc.Metadata()
		i := md.FindKey("regions.target")
		if i < 0 {
			return nil, fail("no Date and no regions.target metadata")
		}
		var err error
		if d, err = time.Parse(klass.DateLayout, md.Values()[i]); err != nil {
			return nil, fail("regions.target: %v", err)
		}
	}
	get := func(name string) (strColumn, error) {
		ix := sc.FieldIndices(name)
		if len(ix) != 1 {
			return strColumn{}, fail("no column %q", name)
		}
		return stringColumn(rec, ix[0])
	}
	var cols [4]strColumn
	for i, n := range []string{ColRegion, ColRegionLabel, ColRegionLevel, ColRegionFlag} {
		c, err := get(n)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	vi := sc.FieldIndices("value")
	if len(vi) != 1 {
		return nil, fail("no value column")
	}
	values, ok := rec.Column(vi[0]).(*array.Float64)
	if !ok {
		return nil, fail("value column is not float64")
	}
	var status *strColumn
	if si := sc.FieldIndices("status"); len(si) == 1 {
		c, err := stringColumn(rec, si[0])
		if err != nil {
			return nil, fail("%v", err)
		}
		status = &c
	}
	var others []strColumn
	var otherNames []string
	for i, f := range sc.Fields() {
		switch f.Name {
		case ColRegion, ColRegionLabel, ColRegionLevel, ColRegionFlag, "value", "status":
			continue
		case ColTotalKind:
			return nil, fail("input already has a %s column", ColTotalKind)
		}
		c, err := stringColumn(rec, i)
		if err != nil {
			return nil, fail("%v", err)
		}
		others = append(others, c)
		otherNames = append(otherNames, f.Name)
	}
	type row struct {
		code, label, level, flag, kind, status string
		value                                  float64
		valid                                  bool
		key                                    []string
	}
	type group struct {
		key  []string
		rows []row
	}
	groups := map[string]*group{}
	var order []string
	for i := 0; i < int(rec.NumRows()); i++ {
		var r row
		r.code, _ = cols[0].get(i)
		r.label, _ = cols[1].get(i)
		r.level, _ = cols[2].get(i)
		r.flag, _ = cols[3].get(i)
		r.value, r.valid = values.Value(i), values.IsValid(i)
		if status != nil {
			r.status, _ = status.get(i)
		}
		for _, c := range others {
			s, _ := c.get(i)
			r.key = append(r.key, s)
		}
		ks := strings.Join(r.key, "\x00")
		g := groups[ks]
		if g == nil {
			g = &group{key: r.key}
			groups[ks] = g
			order = append(order, ks)
		}
		g.rows = append(g.rows, r)
	}
	var out []row
	for _, ks := range order {
		g := groups[ks]
		var in []Input
		byCode := map[string]row{}
		for _, r := range g.rows {
			if Level(r.level) == Grouping {
				return nil, fail("input already has grouping rows (%s)", r.code)
			}
			in = append(in, Input{Code: r.code, Num: r.value, NumValid: r.valid})
			byCode[r.code] = r
		}
		aggs, err := m.Aggregate(d, in, AggregateOptions{Groups: opt.Groups})
		if err != nil {
			return nil, fail("%v", err)
		}
		for _, a := range aggs {
			r := row{code: a.Region.Code, label: a.Region.Name, level: string(a.Region.Level), kind: string(a.TotalKind), key: g.key, value: a.Value, valid: a.Valid}
			switch a.TotalKind {
			case Unit, Published:
				src := byCode[a.Region.Code]
				r.label, r.flag, r.status, r.value, r.valid = src.label, src.flag, src.status, src.value, src.valid
			default:
				r.flag = string(Merged)
				for _, mcode := range a.Members {
					if byCode[mcode].flag == string(Apportioned) {
						r.flag = string(Apportioned)
					}
				}
				if !a.Valid {
					r.status = MissingStatus
					for _, mcode := range a.Members {
						if src := byCode[mcode]; !src.valid && src.status != "" {
							r.status = src.status
							break
						}
					}
				}
			}
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if la, lb := levelOrder(Level(a.level)), levelOrder(Level(b.level)); la != lb {
			return la < lb
		}
		if a.code != b.code {
			return a.code < b.code
		}
		for x := range a.key {
			if a.key[x] != b.key[x] {
				return a.key[x] < b.key[x]
			}
		}
		return false
	})
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	names := append([]string{ColRegion, ColRegionLabel, ColRegionLevel, ColRegionFlag, ColTotalKind}, otherNames...)
	var fields []arrow.Field
	for _, n := range names {
		fields = append(fields, arrow.Field{Name: n, Type: dict})
	}
	fields = append(fields, arrow.Field{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		arrow.Field{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true})
	md := sc.Metadata()
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, &md))
	defer b.Release()
	for _, r := range out {
		for i, s := range append([]string{r.code, r.label, r.level, r.flag, r.kind}, r.key...) {
			if err := b.Field(i).(*array.BinaryDictionaryBuilder).AppendString(s); err != nil {
				return nil, fail("%v", err)
			}
		}
		vb := b.Field(len(names)).(*array.Float64Builder)
		if r.valid {
			vb.Append(r.value)
		} else {
			vb.AppendNull()
		}
		sb := b.Field(len(names) + 1).(*array.StringBuilder)
		if r.status == "" {
			sb.AppendNull()
		} else {
			sb.Append(r.status)
		}
	}
	return b.NewRecord(), nil
}
