package offers

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// builder writes a long record of dictionary-encoded string columns, then
// value (nullable double) and status (nullable string).
type builder struct {
	names []string
	dict  []*array.BinaryDictionaryBuilder
	val   *array.Float64Builder
	stat  *array.StringBuilder
}

var dictType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

func newBuilder(mem memory.Allocator, names ...string) *builder {
	b := &builder{names: names, val: array.NewFloat64Builder(mem), stat: array.NewStringBuilder(mem)}
	for range names {
		b.dict = append(b.dict, array.NewDictionaryBuilder(mem, dictType).(*array.BinaryDictionaryBuilder))
	}
	return b
}

// add appends one row: the value when ok (else null) and the status
// ("" is null), then the string columns in order.
func (b *builder) add(v float64, ok bool, status string, cols ...string) {
	for i, c := range cols {
		_ = b.dict[i].AppendString(c)
	}
	if ok {
		b.val.Append(v)
	} else {
		b.val.AppendNull()
	}
	if status == "" {
		b.stat.AppendNull()
	} else {
		b.stat.Append(status)
	}
}

func (b *builder) record() arrow.Record {
	var fields []arrow.Field
	var cols []arrow.Array
	for i, n := range b.names {
		fields = append(fields, arrow.Field{Name: n, Type: dictType})
		cols = append(cols, b.dict[i].NewArray())
		b.dict[i].Release()
	}
	fields = append(fields, arrow.Field{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true}, arrow.Field{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true})
	cols = append(cols, b.val.NewArray(), b.stat.NewArray())
	b.val.Release()
	b.stat.Release()
	rec := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(cols[0].Len()))
	for _, c := range cols {
		c.Release()
	}
	return rec
}
