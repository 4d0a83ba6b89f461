package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"
)

// ArrowTypesKey is the Parquet key-value metadata key under which
// WriteParquet records the arrow type of each column (comma-separated, in
// column order: dictionary, utf8, float64, int64, int32, bool).
const ArrowTypesKey = "grunnlag.arrow_types"

// FieldMetadataKey is the Parquet key-value metadata key under which
// WriteParquet keeps the arrow fields' own metadata (such as a column's
// bokmål "label"), as a JSON object from column name to its key-value
// pairs; ReadParquet puts it back on the fields. Parquet has no per-column
// key-value metadata, so it travels in the file's. Absent when no field
// has metadata.
const FieldMetadataKey = "grunnlag.field_metadata"

// column type tokens, as stored under ArrowTypesKey.
const (
	tDict    = "dictionary"
	tUTF8    = "utf8"
	tFloat64 = "float64"
	tInt64   = "int64"
	tInt32   = "int32"
	tBool    = "bool"
)

// orderedGroup is a Parquet group whose fields keep the given order
// (parquet.Group sorts its fields by name).
type orderedGroup []parquet.Field

func (g orderedGroup) ID() int                     { return 0 }
func (g orderedGroup) String() string              { return parquet.NewSchema("record", g).String() }
func (g orderedGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g orderedGroup) Optional() bool              { return false }
func (g orderedGroup) Repeated() bool              { return false }
func (g orderedGroup) Required() bool              { return true }
func (g orderedGroup) Leaf() bool                  { return false }
func (g orderedGroup) Fields() []parquet.Field     { return g }
func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }

// GoType returns a struct type with one field per column, as parquet.Group
// does. It is not used when writing rows.
func (g orderedGroup) GoType() reflect.Type {
	fields := make([]reflect.StructField, len(g))
	for i, f := range g {
		fields[i] = reflect.StructField{
			Name: "F" + strconv.Itoa(i),
			Type: f.GoType(),
			Tag:  reflect.StructTag(`parquet:` + strconv.Quote(f.Name())),
		}
	}
	return reflect.StructOf(fields)
}

type namedField struct {
	parquet.Node
	name string
}

func (f namedField) Name() string { return f.name }

func (f namedField) Value(base reflect.Value) reflect.Value {
	if base.Kind() == reflect.Map {
		return base.MapIndex(reflect.ValueOf(f.name))
	}
	return reflect.Value{}
}

// column is one arrow column as WriteParquet writes it.
type column struct {
	name     string
	token    string
	optional bool
	node     parquet.Node
	arr      arrow.Array
	// dict holds the utf8 values of a dictionary column's dictionary.
	dict [][]byte
}

// dictValues returns the values of a dictionary column's dictionary,
// sharing the arrow buffer (parquet-go copies a value when it enters its
// own dictionary).
func dictValues(d arrow.Array) ([][]byte, error) {
	out := make([][]byte, d.Len())
	switch d := d.(type) {
	case *array.String:
		offs, data := d.ValueOffsets(), d.ValueBytes()
		for i := range out {
			out[i] = data[offs[i]-offs[0] : offs[i+1]-offs[0]]
		}
	case *array.LargeString:
		offs, data := d.ValueOffsets(), d.ValueBytes()
		for i := range out {
			out[i] = data[offs[i]-offs[0] : offs[i+1]-offs[0]]
		}
	default:
		return nil, fmt.Errorf("dictionary values of type %s, want utf8", d.DataType())
	}
	return out, nil
}

// maxDoubleDict is the most distinct values a float64 column may have to
// be dictionary-encoded; it also must have at most one distinct value per
// two rows. Above that, PLAIN is smaller.
const maxDoubleDict = 1 << 16

// sampleRows is how many rows fewDistinct looks at before it gives up on
// a column whose values are mostly distinct.
const sampleRows = 4096

// fewDistinct reports whether the valid, non-NaN values of a have at most
// min(maxDoubleDict, len/2) distinct bit patterns (so -0 and 0 are two),
// stopping as soon as they have more, or when more than 7/8 of the first
// sampleRows rows are distinct.
func fewDistinct(a *array.Float64) bool {
	limit := min(maxDoubleDict, a.Len()/2)
	if limit == 0 {
		return false
	}
	seen := make(map[uint64]struct{}, min(limit, 1024))
	vals := a.Float64Values()
	for i, v := range vals {
		if math.IsNaN(v) || (a.NullN() > 0 && a.IsNull(i)) {
			continue
		}
		seen[math.Float64bits(v)] = struct{}{}
		if len(seen) > limit || (i == sampleRows-1 && len(seen) > sampleRows*7/8) {
			return false
		}
	}
	return true
}

func columnOf(f arrow.Field, a arrow.Array) (*column, error) {
	c := &column{name: f.Name, optional: f.Nullable, arr: a}
	str := parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
	switch a := a.(type) {
	case *array.Dictionary:
		dict, err := dictValues(a.Dictionary())
		if err != nil {
			return nil, err
		}
		switch a.Indices().(type) {
		case *array.Int8, *array.Int16, *array.Int32, *array.Int64,
			*array.Uint8, *array.Uint16, *array.Uint32, *array.Uint64:
		default:
			return nil, fmt.Errorf("dictionary indices of type %s", a.Indices().DataType())
		}
		c.token, c.node, c.dict = tDict, str, dict
	case *array.String, *array.LargeString:
		c.token, c.node = tUTF8, str
	case *array.Float64:
		c.token, c.node, c.optional = tFloat64, parquet.Leaf(parquet.DoubleType), true
		if fewDistinct(a) {
			// Measures (counts, shares rounded by the source) repeat: a
			// dictionary with bit-packed indices is far smaller than PLAIN
			// doubles, as DuckDB writes them.
			c.node = parquet.Encoded(c.node, &parquet.RLEDictionary)
		}
	case *array.Int64:
		c.token, c.node = tInt64, parquet.Leaf(parquet.Int64Type)
	case *array.Int32:
		c.token, c.node = tInt32, parquet.Leaf(parquet.Int32Type)
	case *array.Boolean:
		c.token, c.node = tBool, parquet.Leaf(parquet.BooleanType)
	default:
		return nil, fmt.Errorf("unsupported arrow type %s", a.DataType())
	}
	if c.optional {
		c.node = parquet.Optional(c.node)
	}
	return c, nil
}

// ParquetSchema returns the Parquet schema WriteParquet writes for an arrow
// schema (see the package doc for the type mapping). Nullability of columns
// follows the arrow fields, except that float64 columns are always optional.
func ParquetSchema(schema *arrow.Schema) (*parquet.Schema, error) {
	fields := make([]parquet.Field, schema.NumFields())
	for i, f := range schema.Fields() {
		b := array.NewBuilder(memory.DefaultAllocator, f.Type)
		a := b.NewArray()
		b.Release()
		c, err := columnOf(f, a)
		a.Release()
		if err != nil {
			return nil, fmt.Errorf("store: parquet schema: column %q: %w", f.Name, err)
		}
		fields[i] = namedField{Node: c.node, name: f.Name}
	}
	return parquet.NewSchema("record", orderedGroup(fields)), nil
}

// rowBatch is how many values of a column WriteParquet hands to parquet-go
// at once.
const rowBatch = 4096

// zstdCodec compresses the pages of every WriteParquet: its pool of
// encoders (each with a window of history) is kept across files.
var zstdCodec = &zstd.Codec{Level: zstd.SpeedDefault}

// pageBufferSize is the size of the values buffered per data page.
const pageBufferSize = 1 << 20

// WriteParquet writes rec to w as one Parquet file (see the package doc for
// the schema mapping). Columns are in schema order and rows in record order;
// the key-value metadata is rec's schema metadata overlaid by kv, plus
// ArrowTypesKey. A null in a non-nullable column is an error naming the
// column and row.
func WriteParquet(w io.Writer, rec arrow.Record, kv map[string]string) error {
	schema := rec.Schema()
	cols := make([]*column, rec.NumCols())
	fields := make([]parquet.Field, rec.NumCols())
	tokens := make([]string, rec.NumCols())
	seen := map[string]bool{}
	for i, f := range schema.Fields() {
		if seen[f.Name] {
			return fmt.Errorf("store: write parquet: duplicate column %q", f.Name)
		}
		seen[f.Name] = true
		if f.Name == "" || strings.ContainsRune(f.Name, ',') {
			return fmt.Errorf("store: write parquet: invalid column name %q", f.Name)
		}
		c, err := columnOf(f, rec.Column(i))
		if err != nil {
			return fmt.Errorf("store: write parquet: column %q: %w", f.Name, err)
		}
		cols[i], fields[i], tokens[i] = c, namedField{Node: c.node, name: f.Name}, c.token
	}

	meta := map[string]string{}
	if md := schema.Metadata(); md.Len() > 0 {
		for i, k := range md.Keys() {
			meta[k] = md.Values()[i]
		}
	}
	for k, v := range kv {
		meta[k] = v
	}
	meta[ArrowTypesKey] = strings.Join(tokens, ",")
	delete(meta, FieldMetadataKey)
	if fm := fieldMetadata(schema); fm != "" {
		meta[FieldMetadataKey] = fm
	}
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	opts := []parquet.WriterOption{
		parquet.NewSchema("record", orderedGroup(fields)),
		parquet.Compression(zstdCodec),
		parquet.CreatedBy("grunnlag", "", ""),
		// Page bounds stay in the column index and the chunk statistics;
		// repeating them in every page header cost a second pass over
		// the page's values (a string comparison per value) and bytes.
		parquet.DataPageStatistics(false),
		// Pages of up to 1 MiB of buffered values (parquet-go's default is
		// 256 KiB): zstd then sees whole periods of the bit-packed
		// dictionary indices of a dimension, a fifth smaller file.
		parquet.PageBufferSize(pageBufferSize),
	}

	for _, k := range keys {
		opts = append(opts, parquet.KeyValueMetadata(k, meta[k]))
	}
	pw := parquet.NewWriter(w, opts...)

	// Columns are written column by column through parquet-go's column
	// writers (no row assembly), concurrently, one goroutine per column up
	// to GOMAXPROCS at a time: the writers of different columns share
	// nothing until the row group is flushed on Close.
	writers := pw.ColumnWriters()
	errs := make([]error, len(cols))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for j, c := range cols {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[j] = writeColumn(writers[j], c, j)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("store: write parquet: %w", err)
	}
	return nil
}

// fieldMetadata renders the metadata of schema's fields as FieldMetadataKey
// holds it, or "" when no field has any.
func fieldMetadata(schema *arrow.Schema) string {
	fm := map[string]map[string]string{}
	for _, f := range schema.Fields() {
		if f.Metadata.Len() == 0 {
			continue
		}
		kv := map[string]string{}
		for i, k := range f.Metadata.Keys() {
			kv[k] = f.Metadata.Values()[i]
		}
		fm[f.Name] = kv
	}
	if len(fm) == 0 {
		return ""
	}
	b, _ := json.Marshal(fm) // map keys are sorted: byte-stable
	return string(b)
}

// writeColumn writes the values of column c (the j-th) to cw in batches of
// rowBatch values with their definition levels. The values of a
// dictionary column are made once per dictionary entry and copied by
// index; strings are handed over without copying (parquet-go copies what
// it keeps).
func writeColumn(cw *parquet.ColumnWriter, c *column, j int) error {
	def := 0
	if c.optional {
		def = 1
	}
	null := parquet.NullValue().Level(0, 0, j)
	a := c.arr
	n := a.Len()
	hasNulls := a.NullN() > 0
	var fill func(vals []parquet.Value, start int) (bad int, reason string)
	switch a := a.(type) {
	case *array.Dictionary:
		dv := make([]parquet.Value, len(c.dict))
		for k, s := range c.dict {
			dv[k] = parquet.ByteArrayValue(s).Level(0, def, j)
		}
		switch ix := a.Indices().(type) {
		case *array.Int8:
			fill = dictFill(ix.Int8Values(), dv, null, a, hasNulls)
		case *array.Int16:
			fill = dictFill(ix.Int16Values(), dv, null, a, hasNulls)
		case *array.Int32:
			fill = dictFill(ix.Int32Values(), dv, null, a, hasNulls)
		case *array.Int64:
			fill = dictFill(ix.Int64Values(), dv, null, a, hasNulls)
		case *array.Uint8:
			fill = dictFill(ix.Uint8Values(), dv, null, a, hasNulls)
		case *array.Uint16:
			fill = dictFill(ix.Uint16Values(), dv, null, a, hasNulls)
		case *array.Uint32:
			fill = dictFill(ix.Uint32Values(), dv, null, a, hasNulls)
		case *array.Uint64:
			fill = dictFill(ix.Uint64Values(), dv, null, a, hasNulls)
		}
	case *array.String:
		fill = stringFill(a.ValueOffsets(), a.ValueBytes(), def, j, null, a, hasNulls)
	case *array.LargeString:
		fill = stringFill(a.ValueOffsets(), a.ValueBytes(), def, j, null, a, hasNulls)
	case *array.Float64:
		xs := a.Float64Values()
		fill = func(vals []parquet.Value, start int) (int, string) {
			for r := range vals {
				x := xs[start+r]
				if math.IsNaN(x) || (hasNulls && a.IsNull(start+r)) {
					vals[r] = null
				} else {
					vals[r] = parquet.DoubleValue(x).Level(0, 1, j)
				}
			}
			return -1, ""
		}
	case *array.Int64:
		xs := a.Int64Values()
		fill = scalarFill(xs, parquet.Int64Value, def, j, null, a, hasNulls)
	case *array.Int32:
		xs := a.Int32Values()
		fill = scalarFill(xs, parquet.Int32Value, def, j, null, a, hasNulls)
	case *array.Boolean:
		fill = func(vals []parquet.Value, start int) (int, string) {
			for r := range vals {
				if hasNulls && a.IsNull(start+r) {
					vals[r] = null
				} else {
					vals[r] = parquet.BooleanValue(a.Value(start+r)).Level(0, def, j)
				}
			}
			return -1, ""
		}
	}
	if hasNulls && !c.optional {
		for r := 0; r < n; r++ {
			if a.IsNull(r) {
				return fmt.Errorf("store: write parquet: column %q: row %d: null in a non-nullable column", c.name, r)
			}
		}
	}
	batch := make([]parquet.Value, min(rowBatch, max(n, 1)))
	for start := 0; start < n; start += len(batch) {
		end := min(start+len(batch), n)
		vals := batch[:end-start]
		if bad, reason := fill(vals, start); bad >= 0 {
			return fmt.Errorf("store: write parquet: column %q: row %d: %s", c.name, bad, reason)
		}
		if _, err := cw.WriteRowValues(vals); err != nil {
			return fmt.Errorf("store: write parquet: column %q: rows %d-%d: %w", c.name, start, end-1, err)
		}
	}
	return nil
}

// dictFill returns a batch filler for a dictionary column with indices idx
// and per-entry values dv.
func dictFill[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64](idx []T, dv []parquet.Value, null parquet.Value, a arrow.Array, hasNulls bool) func([]parquet.Value, int) (int, string) {
	return func(vals []parquet.Value, start int) (int, string) {
		ix := idx[start : start+len(vals)]
		for r, k := range ix {
			if hasNulls && a.IsNull(start+r) {
				vals[r] = null
				continue
			}
			if uint64(k) >= uint64(len(dv)) {
				return start + r, fmt.Sprintf("dictionary index %d outside the dictionary of %d values", k, len(dv))
			}
			vals[r] = dv[k]
		}
		return -1, ""
	}
}

// stringFill returns a batch filler for a utf8 column given its offsets
// (relative to data's start at offs[0]) and bytes.
func stringFill[O int32 | int64](offs []O, data []byte, def, j int, null parquet.Value, a arrow.Array, hasNulls bool) func([]parquet.Value, int) (int, string) {
	base := offs[0]
	return func(vals []parquet.Value, start int) (int, string) {
		for r := range vals {
			i := start + r
			if hasNulls && a.IsNull(i) {
				vals[r] = null
				continue
			}
			vals[r] = parquet.ByteArrayValue(data[offs[i]-base:offs[i+1]-base]).Level(0, def, j)
		}
		return -1, ""
	}
}

// scalarFill returns a batch filler for an int64 or int32 column.
func scalarFill[T int32 | int64](xs []T, value func(T) parquet.Value, def, j int, null parquet.Value, a arrow.Array, hasNulls bool) func([]parquet.Value, int) (int, string) {
	return func(vals []parquet.Value, start int) (int, string) {
		for r := range vals {
			if hasNulls && a.IsNull(start+r) {
				vals[r] = null
			} else {
				vals[r] = value(xs[start+r]).Level(0, def, j)
			}
		}
		return -1, ""
	}
}

// ReadParquet reads a whole Parquet file with a flat schema of BYTE_ARRAY,
// DOUBLE, INT64, INT32 and BOOLEAN columns into an arrow.Record. Column types
// come from ArrowTypesKey when the file has it (so a file written by
// WriteParquet reads back with the types it was written from); otherwise
// strings become utf8. The record's schema metadata is the file's key-value
// metadata without ArrowTypesKey. Fields are nullable when the column is
// optional. The caller releases the record.
//
// Pages must be uncompressed or compressed with snappy, gzip or zstd (LZ4 is
// refused: parquet-go's decoder does not terminate on some corrupt LZ4
// pages). A malformed file is an error, never a panic: parquet-go may panic on
// corrupt input, and ReadParquet turns that into an error.
func ReadParquet(r io.ReaderAt, size int64, mem memory.Allocator) (rec arrow.Record, err error) {
	defer func() {
		if p := recover(); p != nil {
			if rec != nil {
				rec.Release()
			}
			rec, err = nil, fmt.Errorf("store: read parquet: malformed file: %v", p)
		}
	}()
	if err := checkFooter(r, size); err != nil {
		return nil, fmt.Errorf("store: read parquet: %w", err)
	}
	f, err := parquet.OpenFile(r, size)
	if err != nil {
		return nil, fmt.Errorf("store: read parquet: %w", err)
	}
	if err := checkCodecs(f); err != nil {
		return nil, err
	}
	schema, err := arrowSchema(f)
	if err != nil {
		return nil, err
	}
	err = readBatches(f, schema, mem, math.MaxInt, func(r arrow.Record) error {
		rec = r
		return nil
	})
	if err != nil {
		if rec != nil {
			rec.Release()
		}
		return nil, err
	}
	return rec, nil
}

// checkCodecs refuses a file with a column chunk compressed other than
// with snappy, gzip, zstd or not at all.
func checkCodecs(f *parquet.File) error {
	for i, rg := range f.Metadata().RowGroups {
		for j, cc := range rg.Columns {
			switch cc.MetaData.Codec {
			case format.Uncompressed, format.Snappy, format.Gzip, format.Zstd:
			default:
				// parquet-go v0.32's LZ4 decoder doubles its buffer forever on
				// corrupt input; accept only codecs that fail cleanly.
				return fmt.Errorf("store: read parquet: row group %d: column %d: compression %s is not accepted (use zstd, snappy, gzip or none)", i, j, cc.MetaData.Codec)
			}
		}
	}
	return nil
}

// arrowSchema is the Arrow schema of a flat Parquet file: a field per
// column, typed by ArrowTypesKey when the file has it, with the file's
// key-value metadata (without ArrowTypesKey).
func arrowSchema(f *parquet.File) (*arrow.Schema, error) {
	pfields := f.Schema().Fields()
	var tokens []string
	if s, ok := f.Lookup(ArrowTypesKey); ok && s != "" {
		tokens = strings.Split(s, ",")
		if len(tokens) != len(pfields) {
			return nil, fmt.Errorf("store: read parquet: %s names %d columns, file has %d", ArrowTypesKey, len(tokens), len(pfields))
		}
	}
	fields := make([]arrow.Field, len(pfields))
	for i, pf := range pfields {
		if !pf.Leaf() || pf.Repeated() {
			return nil, fmt.Errorf("store: read parquet: column %q: nested or repeated columns are not supported", pf.Name())
		}
		tok := ""
		if tokens != nil {
			tok = tokens[i]
		}
		var dt arrow.DataType
		switch kind := pf.Type().Kind(); {
		case kind == parquet.ByteArray && tok == tDict:
			dt = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
		case kind == parquet.ByteArray && (tok == tUTF8 || tok == ""):
			dt = arrow.BinaryTypes.String
		case kind == parquet.Double && (tok == tFloat64 || tok == ""):
			dt = arrow.PrimitiveTypes.Float64
		case kind == parquet.Int64 && (tok == tInt64 || tok == ""):
			dt = arrow.PrimitiveTypes.Int64
		case kind == parquet.Int32 && (tok == tInt32 || tok == ""):
			dt = arrow.PrimitiveTypes.Int32
		case kind == parquet.Boolean && (tok == tBool || tok == ""):
			dt = arrow.FixedWidthTypes.Boolean
		default:
			return nil, fmt.Errorf("store: read parquet: column %q: parquet type %s with arrow type %q is not supported", pf.Name(), kind, tok)
		}
		fields[i] = arrow.Field{Name: pf.Name(), Type: dt, Nullable: pf.Optional()}
	}
	if s, ok := f.Lookup(FieldMetadataKey); ok && s != "" {
		var fm map[string]map[string]string
		if err := json.Unmarshal([]byte(s), &fm); err != nil {
			return nil, fmt.Errorf("store: read parquet: %s: %w", FieldMetadataKey, err)
		}
		for i := range fields {
			if kv := fm[fields[i].Name]; len(kv) > 0 {
				ks := slices.Sorted(maps.Keys(kv))
				vs := make([]string, len(ks))
				for j, k := range ks {
					vs[j] = kv[k]
				}
				fields[i].Metadata = arrow.NewMetadata(ks, vs)
			}
		}
	}
	var mdKeys, mdVals []string
	for _, kv := range f.Metadata().KeyValueMetadata {
		if kv.Key == ArrowTypesKey || kv.Key == FieldMetadataKey {
			continue
		}
		mdKeys = append(mdKeys, kv.Key)
		mdVals = append(mdVals, kv.Value)
	}
	md := arrow.NewMetadata(mdKeys, mdVals)
	return arrow.NewSchema(fields, &md), nil
}

// checkFooter checks the magic bytes and that the footer length fits in the
// file, before parquet-go allocates a buffer of that length.
func checkFooter(r io.ReaderAt, size int64) error {
	const magic = "PAR1"
	if size < 12 {
		return fmt.Errorf("file of %d bytes is too small to be Parquet", size)
	}
	var head [4]byte
	if _, err := r.ReadAt(head[:], 0); err != nil {
		return err
	}
	var tail [8]byte
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return err
	}
	if string(head[:]) != magic || string(tail[4:]) != magic {
		return fmt.Errorf("not a Parquet file (no PAR1 magic)")
	}
	if n := int64(binary.LittleEndian.Uint32(tail[:4])); n > size-12 {
		return fmt.Errorf("footer length %d exceeds the file (%d bytes)", n, size)
	}
	return nil
}
