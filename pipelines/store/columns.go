package store

import (
	"fmt"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// StringColumn returns an accessor for the string column name of rec, plain
// utf8 or dictionary-encoded as ReadVersion gives dimensions back; a null
// cell reads as "". The error names the column and its type.
func StringColumn(rec arrow.Record, name string) (func(i int) string, error) {
	idx := rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		return nil, fmt.Errorf("no column %q", name)
	}
	switch a := rec.Column(idx[0]).(type) {
	case *array.String:
		return func(i int) string {
			if a.IsNull(i) {
				return ""
			}
			return a.Value(i)
		}, nil
	case *array.Dictionary:
		d, ok := a.Dictionary().(*array.String)
		if !ok {
			return nil, fmt.Errorf("column %q: dictionary of %s, want utf8", name, a.Dictionary().DataType())
		}
		return func(i int) string {
			if a.IsNull(i) {
				return ""
			}
			return d.Value(a.GetValueIndex(i))
		}, nil
	}
	return nil, fmt.Errorf("column %q has type %s, want utf8 or dictionary<utf8>", name, rec.Column(idx[0]).DataType())
}

// FloatColumn returns an accessor for the numeric column name of rec
// (float64, int64 or int32). A null cell reads as NaN: this is for
// computing, never for storing, where missing stays null.
func FloatColumn(rec arrow.Record, name string) (func(i int) float64, error) {
	idx := rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		return nil, fmt.Errorf("no column %q", name)
	}
	nullable := func(valid func(int) bool, v func(int) float64) func(int) float64 {
		return func(i int) float64 {
			if !valid(i) {
				return math.NaN()
			}
			return v(i)
		}
	}
	switch a := rec.Column(idx[0]).(type) {
	case *array.Float64:
		return nullable(a.IsValid, a.Value), nil
	case *array.Int64:
		return nullable(a.IsValid, func(i int) float64 { return float64(a.Value(i)) }), nil
	case *array.Int32:
		return nullable(a.IsValid, func(i int) float64 { return float64(a.Value(i)) }), nil
	}
	return nil, fmt.Errorf("column %q has type %s, want float64 or int", name, rec.Column(idx[0]).DataType())
}

// SchemaValue returns the schema metadata value of key, or "".
func SchemaValue(sc *arrow.Schema, key string) string {
	md := sc.Metadata()
	if i := md.FindKey(key); i >= 0 {
		return md.Values()[i]
	}
	return ""
}
