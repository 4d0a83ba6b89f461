package store

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// WriteCSV writes rec as UTF-8 CSV (RFC 4180, comma-separated, "\n" line
// ends) with a header row of the column names, then one line per row in
// record order: the record's columns in order, which for a parsed dataset is
// <dim>,<dim>_label for each dimension, then value and status. Floats are
// formatted with strconv 'g' and the shortest precision that round-trips;
// a null (or NaN) is an empty cell. Supported column types are those of
// WriteParquet.
func WriteCSV(w io.Writer, rec arrow.Record) error {
	ncol := int(rec.NumCols())
	cells := make([]func(i int) string, ncol)
	header := make([]string, ncol)
	for j, f := range rec.Schema().Fields() {
		header[j] = f.Name
		fn, err := csvCell(rec.Column(j))
		if err != nil {
			return fmt.Errorf("store: write csv: column %q: %w", f.Name, err)
		}
		cells[j] = fn
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("store: write csv: %w", err)
	}
	line := make([]string, ncol)
	for i := 0; i < int(rec.NumRows()); i++ {
		for j, fn := range cells {
			line[j] = fn(i)
		}
		if err := cw.Write(line); err != nil {
			return fmt.Errorf("store: write csv: row %d: %w", i, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("store: write csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("store: write csv: %w", err)
	}
	return nil
}

func csvCell(a arrow.Array) (func(i int) string, error) {
	switch a := a.(type) {
	case *array.Dictionary:
		var dict func(int) string
		switch d := a.Dictionary().(type) {
		case *array.String:
			dict = d.Value
		case *array.LargeString:
			dict = d.Value
		default:
			return nil, fmt.Errorf("dictionary values of type %s, want utf8", d.DataType())
		}
		return func(i int) string {
			if a.IsNull(i) {
				return ""
			}
			return dict(a.GetValueIndex(i))
		}, nil
	case *array.String:
		return func(i int) string {
			if a.IsNull(i) {
				return ""
			}
			return a.Value(i)
		}, nil
	case *array.LargeString:
		return func(i int) string {
			if a.IsNull(i) {
				return ""
			}
			return a.Value(i)
		}, nil
	case *array.Float64:
		return func(i int) string {
			if a.IsNull(i) || math.IsNaN(a.Value(i)) {
				return ""
			}
			return strconv.FormatFloat(a.Value(i), 'g', -1, 64)
		}, nil
	case *array.Int64:
		return func(i int) string {
			if a.IsNull(i) {
				return ""
			}
			return strconv.FormatInt(a.Value(i), 10)
		}, nil
	case *array.Int32:
		return func(i int) string {
			if a.IsNull(i) {
				return ""
			}
			return strconv.FormatInt(int64(a.Value(i)), 10)
		}, nil
	case *array.Boolean:
		return func(i int) string {
			if a.IsNull(i) {
				return ""
			}
			return strconv.FormatBool(a.Value(i))
		}, nil
	}
	return nil, fmt.Errorf("unsupported arrow type %s", a.DataType())
}
