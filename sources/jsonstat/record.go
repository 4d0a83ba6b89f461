package jsonstat

import (
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Schema metadata keys set by Record.
const (
	MetaLabel      = "jsonstat.label"
	MetaSource     = "jsonstat.source"
	MetaUpdated    = "jsonstat.updated"
	MetaRoleTime   = "jsonstat.role.time"
	MetaRoleGeo    = "jsonstat.role.geo"
	MetaRoleMetric = "jsonstat.role.metric"
)

// Record returns the dataset as one Arrow record with one row per cell, in
// row-major order. The schema is, in order: for each dimension <id> (the
// category code) and <id>_label (the category label), both
// dictionary<values=utf8, indices=int32> whose dictionary is the
// dimension's category list; then value (float64, null where the cell is
// missing) and status (utf8, null where the cell has no status). The schema
// metadata holds jsonstat.label, jsonstat.source, jsonstat.updated and
// jsonstat.role.{time,geo,metric} (comma-joined dimension IDs).
//
// It is an error to call Record on a metadata-only dataset (see HasValues)
// or on one whose column names collide. The caller must Release the record.
func (d *Dataset) Record(mem memory.Allocator) (arrow.Record, error) {
	name := displayName(d.Name, d.Label, d.Href)
	if !d.HasValues() {
		return nil, &Error{Dataset: name, Index: -1, Msg: "dataset has no values (metadata only); cannot build a record"}
	}
	n := d.Size()
	if len(d.Values) != n || len(d.Present) != n || (d.Status != nil && len(d.Status) != n) {
		return nil, &Error{Dataset: name, Index: -1, Msg: "values, present and status do not all have Size() entries"}
	}

	dictType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	fields := make([]arrow.Field, 0, 2*len(d.Dims)+2)
	cols := make([]arrow.Array, 0, cap(fields))
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	names := map[string]bool{"value": true, "status": true}
	for _, dim := range d.Dims {
		for _, f := range []string{dim.ID, dim.ID + "_label"} {
			if names[f] {
				return nil, &Error{Dataset: name, Dimension: dim.ID, Index: -1, Msg: "column name " + f + " is used twice"}
			}
			names[f] = true
		}
	}

	strides := make([]int, len(d.Dims))
	stride := 1
	for k := len(d.Dims) - 1; k >= 0; k-- {
		strides[k] = stride
		stride *= len(d.Dims[k].Codes)
	}
	for k, dim := range d.Dims {
		size, stride := len(dim.Codes), strides[k]
		idx := indexArray(mem, n, size, stride)
		codes := stringArray(mem, dim.Codes)
		labels := stringArray(mem, dim.Labels)
		cols = append(cols,
			array.NewDictionaryArray(dictType, idx, codes),
			array.NewDictionaryArray(dictType, idx, labels))
		idx.Release()
		codes.Release()
		labels.Release()
		fields = append(fields,
			arrow.Field{Name: dim.ID, Type: dictType},
			arrow.Field{Name: dim.ID + "_label", Type: dictType})
	}

	vb := array.NewFloat64Builder(mem)
	defer vb.Release()
	vb.AppendValues(d.Values, d.Present)
	cols = append(cols, vb.NewArray())
	fields = append(fields, arrow.Field{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true})

	sb := array.NewStringBuilder(mem)
	defer sb.Release()
	if d.Status == nil {
		sb.AppendNulls(n)
	} else {
		total := 0
		for _, s := range d.Status {
			total += len(s)
		}
		sb.Reserve(n)
		sb.ReserveData(total)
		for _, s := range d.Status {
			if s == "" {
				sb.AppendNull()
			} else {
				sb.Append(s)
			}
		}
	}
	cols = append(cols, sb.NewArray())
	fields = append(fields, arrow.Field{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true})

	md := arrow.NewMetadata(
		[]string{MetaLabel, MetaSource, MetaUpdated, MetaRoleTime, MetaRoleGeo, MetaRoleMetric},
		[]string{d.Label, d.Source, d.Updated,
			strings.Join(d.Role.Time, ","), strings.Join(d.Role.Geo, ","), strings.Join(d.Role.Metric, ",")})
	schema := arrow.NewSchema(fields, &md)
	return array.NewRecord(schema, cols, int64(n)), nil
}

// indexArray returns the int32 category positions of one dimension for all
// n cells in row-major order: each position repeats stride times, and the
// block of size*stride repeats until n. No strings are hashed.
func indexArray(mem memory.Allocator, n, size, stride int) arrow.Array {
	buf := memory.NewResizableBuffer(mem)
	defer buf.Release()
	buf.Resize(n * arrow.Int32SizeBytes)
	out := arrow.Int32Traits.CastFromBytes(buf.Bytes())
	block := size * stride
	if n > 0 {
		for c := 0; c < size; c++ {
			v := int32(c)
			seg := out[c*stride : (c+1)*stride]
			for i := range seg {
				seg[i] = v
			}
		}
		for filled := block; filled < n; filled *= 2 {
			copy(out[filled:], out[:filled])
		}
	}
	data := array.NewData(arrow.PrimitiveTypes.Int32, n, []*memory.Buffer{nil, buf}, nil, 0, 0)
	defer data.Release()
	return array.NewInt32Data(data)
}

func stringArray(mem memory.Allocator, s []string) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.AppendValues(s, nil)
	return b.NewArray()
}
