package build

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// span is the rows [off, off+n) of a record: one indicator's rows in the
// previous table or in the table of the indicators computed now.
type span struct {
	rec    arrow.Record
	off, n int
}

// tableSchema is the schema Record gives the indicator table.
func tableSchema() (*arrow.Schema, error) {
	rec, err := Record(nil)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	return rec.Schema(), nil
}

// previousTable reads the current indicator table (its sha256 checked
// against the catalog) and returns it with the span of each indicator's
// rows. A table whose columns are not those Record writes, or whose rows
// of one indicator are not together, is an error. The caller releases
// the record.
func previousTable(st *store.Store, schema *arrow.Schema) (arrow.Record, map[string]span, error) {
	rec, err := st.ReadIndicators("")
	if err != nil {
		return nil, nil, err
	}
	fail := func(format string, args ...any) (arrow.Record, map[string]span, error) {
		rec.Release()
		return nil, nil, fmt.Errorf("build: previous table: "+format, args...)
	}
	if int(rec.NumCols()) != schema.NumFields() {
		return fail("%d columns, want %d", rec.NumCols(), schema.NumFields())
	}
	for j, f := range schema.Fields() {
		got := rec.Schema().Field(j)
		if got.Name != f.Name || !arrow.TypeEqual(got.Type, f.Type) {
			return fail("column %d is %s %s, want %s %s", j, got.Name, got.Type, f.Name, f.Type)
		}
	}
	out, err := spansOf(rec)
	if err != nil {
		return fail("%w", err)
	}
	return rec, out, nil
}

// spansOf returns the span of each indicator's rows in rec; rows of one
// indicator that are not together are an error.
func spansOf(rec arrow.Record) (map[string]span, error) {
	ind, err := store.StringColumn(rec, "indicator")
	if err != nil {
		return nil, err
	}
	out := map[string]span{}
	n := int(rec.NumRows())
	for i := 0; i < n; {
		id := ind(i)
		j := i + 1
		for j < n && ind(j) == id {
			j++
		}
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("rows of %s are not together", id)
		}
		out[id] = span{rec: rec, off: i, n: j - i}
		i = j
	}
	return out, nil
}

// assemble returns the record of schema made of the rows of spans, in
// order. Dictionary columns get one dictionary of the values the rows use,
// in the order of their first use, as Record builds it (so the table is
// the one Record would give for the same rows); other columns are
// concatenated.
func assemble(schema *arrow.Schema, spans []span) (arrow.Record, error) {
	mem := memory.DefaultAllocator
	total := 0
	for _, s := range spans {
		total += s.n
	}
	cols := make([]arrow.Array, schema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for j, f := range schema.Fields() {
		var err error
		if dt, ok := f.Type.(*arrow.DictionaryType); ok {
			cols[j], err = assembleDict(mem, dt, j, spans, total)
		} else {
			parts := make([]arrow.Array, 0, len(spans))
			for _, s := range spans {
				parts = append(parts, array.NewSlice(s.rec.Column(j), int64(s.off), int64(s.off+s.n)))
			}
			if len(parts) == 0 {
				b := array.NewBuilder(mem, f.Type)
				cols[j] = b.NewArray()
				b.Release()
			} else {
				cols[j], err = array.Concatenate(parts, mem)
			}
			for _, p := range parts {
				p.Release()
			}
		}
		if err != nil {
			return nil, fmt.Errorf("build: table: column %s: %w", f.Name, err)
		}
	}
	return array.NewRecord(schema, cols, int64(total)), nil
}

// assembleDict builds dictionary column j of the spans' rows: int32
// indices into a new dictionary of the strings used, in order of first
// use (a null stays null).
func assembleDict(mem memory.Allocator, dt *arrow.DictionaryType, j int, spans []span, total int) (arrow.Array, error) {
	idx := make([]int32, total)
	var valid []byte // nil while no row is null
	nulls := 0
	dict := array.NewStringBuilder(mem)
	defer dict.Release()
	byValue := map[string]int32{} // the new dictionary's indices
	// remap maps each source dictionary (by its array) to the new indices.
	remap := map[arrow.Array][]int32{}
	pos := 0
	for _, s := range spans {
		col, ok := s.rec.Column(j).(*array.Dictionary)
		if !ok {
			return nil, fmt.Errorf("column type %s, want a dictionary", s.rec.Column(j).DataType())
		}
		src, ok := col.Dictionary().(*array.String)
		if !ok {
			return nil, fmt.Errorf("dictionary values %s, want utf8", col.Dictionary().DataType())
		}
		m, ok := remap[col.Dictionary()]
		if !ok {
			m = make([]int32, src.Len())
			for k := range m {
				m[k] = -1
			}
			remap[col.Dictionary()] = m
		}
		for i := s.off; i < s.off+s.n; i++ {
			if col.IsNull(i) {
				if valid == nil {
					valid = make([]byte, bitutil.BytesForBits(int64(total)))
					bitutil.SetBitsTo(valid, 0, int64(total), true)
				}
				bitutil.ClearBit(valid, pos)
				nulls++
				pos++
				continue
			}
			k := col.GetValueIndex(i)
			if m[k] < 0 {
				v := src.Value(k)
				n, seen := byValue[v]
				if !seen {
					n = int32(len(byValue))
					byValue[v] = n
					dict.Append(v)
				}
				m[k] = n
			}
			idx[pos] = m[k]
			pos++
		}
	}
	var nullBuf *memory.Buffer
	if valid != nil {
		nullBuf = memory.NewBufferBytes(valid)
	}
	data := array.NewData(dt.IndexType, total, []*memory.Buffer{nullBuf, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(idx))}, nil, nulls, 0)
	defer data.Release()
	indices := array.MakeFromData(data)
	defer indices.Release()
	values := dict.NewArray()
	defer values.Release()
	return array.NewDictionaryArray(dt, indices, values), nil
}
