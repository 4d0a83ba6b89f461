package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/parquet-go/parquet-go"
)

// DefaultBatchRows is the number of rows a scan hands over at a time when
// the caller asks for 0.
const DefaultBatchRows = 16384

// ScanIndicators reads a version of the indicator table (stamp "" = the
// current one) in record batches of at most batch rows (0 =
// DefaultBatchRows), in file order, calling fn with each; a batch is
// released when fn returns, so fn must not keep it (nor strings read from
// it beyond the next batch without copying). The file's sha256 is checked
// against the catalog, by reading it once as a stream, before the first
// batch. An error of fn stops the scan and is returned as it is.
//
// Unlike [Store.ReadIndicators], the table is never held whole: memory is
// one batch plus the dictionaries of its dictionary columns.
func (s *Store) ScanIndicators(stamp string, batch int, fn func(arrow.Record) error) error {
	cat, err := s.Catalog()
	if err != nil {
		return err
	}
	e := cat.Indicators
	if e == nil {
		return fmt.Errorf("store: no indicator table in the catalog")
	}
	if stamp == "" {
		stamp = e.Current
	}
	v := e.Version(stamp)
	if v == nil {
		return fmt.Errorf("store: indicators: no version %q in the catalog", stamp)
	}
	return s.scanVersionFile("indicators", v, batch, fn)
}

// ScanVersion reads a version of dataset id (stamp "" = the current one)
// in record batches, as [Store.ScanIndicators] does.
func (s *Store) ScanVersion(id, stamp string, batch int, fn func(arrow.Record) error) error {
	cat, err := s.Catalog()
	if err != nil {
		return err
	}
	e := cat.Datasets[id]
	if e == nil {
		return fmt.Errorf("store: dataset %q not in the catalog", id)
	}
	if stamp == "" {
		stamp = e.Current
	}
	v := e.Version(stamp)
	if v == nil {
		return fmt.Errorf("store: dataset %s: no version %q in the catalog", id, stamp)
	}
	return s.scanVersionFile(id, v, batch, fn)
}

// fnError marks an error returned by a scan's callback, so that it is
// returned unwrapped.
type fnError struct{ err error }

func (e *fnError) Error() string { return e.err.Error() }

func (s *Store) scanVersionFile(id string, v *Version, batch int, fn func(arrow.Record) error) error {
	path, err := s.versionFile(v)
	if err != nil {
		return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	defer f.Close()
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	if hex.EncodeToString(h.Sum(nil)) != v.SHA256 {
		return fmt.Errorf("store: dataset %s version %s: %s does not match the sha256 in the catalog", id, v.Stamp, v.Path)
	}
	err = ScanParquet(f, size, memory.DefaultAllocator, batch, func(rec arrow.Record) error {
		if err := fn(rec); err != nil {
			return &fnError{err}
		}
		return nil
	})
	var fe *fnError
	if errors.As(err, &fe) {
		return fe.err
	}
	if err != nil {
		return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	return nil
}

// ScanParquet reads a file written by [WriteParquet] as [ReadParquet]
// does, but in records of at most batch rows (0 = DefaultBatchRows), each
// released after fn returns. All batches have the file's schema. An error
// of fn stops the scan and is returned as it is; a malformed file is an
// error, never a panic.
func ScanParquet(r io.ReaderAt, size int64, mem memory.Allocator, batch int, fn func(arrow.Record) error) (err error) {
	if batch <= 0 {
		batch = DefaultBatchRows
	}
	var fe *fnError
	inFn := false
	defer func() {
		if p := recover(); p != nil {
			if inFn {
				panic(p) // the callback's own panic, not the file's
			}
			err = fmt.Errorf("store: read parquet: malformed file: %v", p)
		}
	}()
	if err := checkFooter(r, size); err != nil {
		return fmt.Errorf("store: read parquet: %w", err)
	}
	f, err := parquet.OpenFile(r, size)
	if err != nil {
		return fmt.Errorf("store: read parquet: %w", err)
	}
	if err := checkCodecs(f); err != nil {
		return err
	}
	schema, err := arrowSchema(f)
	if err != nil {
		return err
	}
	err = readBatches(f, schema, mem, batch, func(rec arrow.Record) error {
		defer rec.Release()
		inFn = true
		err := fn(rec)
		inFn = false
		if err != nil {
			return &fnError{err}
		}
		return nil
	})
	if errors.As(err, &fe) {
		return fe.err
	}
	return err
}

// colReader reads one column of a flat Parquet file into arrow arrays,
// row group by row group and page by page, taking each page's values in
// bulk: a dictionary page's indices go through a table from the page's
// dictionary to the arrow dictionary (each distinct string is hashed once
// per row group, not once per row), definition levels give the nulls.
type colReader struct {
	name     string
	kind     parquet.Kind
	dt       arrow.DataType
	optional bool
	chunks   []parquet.ColumnChunk
	rgRows   []int64

	ci        int           // the current row group
	pages     parquet.Pages // of row group ci, nil before the first
	chunkRows int64         // rows taken from row group ci's pages so far
	pageNum   int           // index of the current page in its chunk

	// The current page: rows prow.. of pn are left, pval is the next of
	// its (non-null) values.
	page       parquet.Page
	defs       []byte
	prow, pn   int
	pval       int
	idx        []int32   // dictionary indices (dictionary pages)
	f64        []float64 // PLAIN pages by type
	i64        []int64
	i32        []int32
	bvals      []byte
	boffs      []uint32
	bits       []byte // bit-packed booleans
	dict       parquet.Dictionary
	dictLen    int
	trans      []int32   // tDict: dictionary index -> arrow dictionary id, -1 = not seen
	dictBytes  [][]byte  // byte-array dictionary entries
	dictF64    []float64 // numeric dictionary entries
	dictI64    []int64
	dictI32    []int32
	dictAppend bool

	// The arrow dictionary of a tDict column: every distinct value seen so
	// far in the scan, in order of first appearance (as arrow's dictionary
	// builder keeps it across batches).
	ids   map[string]int32
	dvals []byte
	doffs []int32

	// The batch being built.
	valid   []bool
	oidx    []int32
	of64    []float64
	oi64    []int64
	oi32    []int32
	obool   []bool
	ostr    []byte
	ooffs   []int32
	anyNull bool
}

// errorf is a read error of column c in its current row group.
func (c *colReader) errorf(format string, args ...any) error {
	return fmt.Errorf("store: read parquet: column %q: row group %d: "+format, append([]any{c.name, c.ci}, args...)...)
}

func newColReaders(f *parquet.File, schema *arrow.Schema) []*colReader {
	rgs := f.RowGroups()
	cols := make([]*colReader, schema.NumFields())
	for j, fld := range schema.Fields() {
		c := &colReader{
			name: fld.Name, dt: fld.Type, optional: fld.Nullable,
			kind: f.Schema().Fields()[j].Type().Kind(),
		}
		for _, rg := range rgs {
			c.chunks = append(c.chunks, rg.ColumnChunks()[j])
			c.rgRows = append(c.rgRows, rg.NumRows())
		}
		if _, ok := fld.Type.(*arrow.DictionaryType); ok {
			c.ids = map[string]int32{}
			c.doffs = []int32{0}
			c.dictAppend = true
		}
		cols[j] = c
	}
	return cols
}

func (c *colReader) close() {
	c.releasePage()
	if c.pages != nil {
		_ = c.pages.Close()
		c.pages = nil
	}
}

func (c *colReader) releasePage() {
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	c.prow, c.pn = 0, 0
}

// nextPage makes the next page with rows current, moving to the next row
// group when one ends; io.EOF after the last.
func (c *colReader) nextPage() error {
	c.releasePage()
	for {
		if c.pages == nil {
			if c.ci >= len(c.chunks) {
				return io.EOF
			}
			c.pages, c.chunkRows, c.pageNum = c.chunks[c.ci].Pages(), 0, 0
			c.dict = nil // a row group's dictionary is its own
		}
		p, err := c.pages.ReadPage()
		if errors.Is(err, io.EOF) {
			if c.chunkRows != c.rgRows[c.ci] {
				return c.errorf("its pages hold %d rows, the row group %d rows", c.chunkRows, c.rgRows[c.ci])
			}
			_ = c.pages.Close()
			c.pages = nil
			c.ci++
			continue
		}
		if err != nil {
			return c.errorf("%w", err)
		}
		c.pageNum++
		if err := c.load(p); err != nil {
			return err // p is c.page: close releases it
		}
		if c.pn == 0 {
			c.releasePage()
			continue
		}
		if c.chunkRows += int64(c.pn); c.chunkRows > c.rgRows[c.ci] {
			return c.errorf("its pages hold more rows than the row group's %d", c.rgRows[c.ci])
		}
		return nil
	}
}

// load makes p the current page, checking that its levels and values
// agree.
func (c *colReader) load(p parquet.Page) error {
	c.page, c.prow, c.pval = p, 0, 0
	c.idx, c.f64, c.i64, c.i32, c.bvals, c.boffs, c.bits = nil, nil, nil, nil, nil, nil, nil
	rows := p.NumRows()
	if rows < 0 || rows > math.MaxInt32 {
		return c.errorf("page %d: %d rows", c.pageNum, rows)
	}
	c.pn = int(rows)
	values := c.pn
	c.defs = nil
	if c.optional {
		c.defs = p.DefinitionLevels()
		if len(c.defs) != c.pn {
			return c.errorf("page %d: %d definition levels for %d rows", c.pageNum, len(c.defs), c.pn)
		}
		values = 0
		for _, d := range c.defs {
			if d > 1 {
				return c.errorf("page %d: definition level %d in a flat column", c.pageNum, d)
			}
			values += int(d)
		}
	}
	data := p.Data()
	n := 0
	if d := p.Dictionary(); d != nil {
		if d != c.dict {
			c.setDictionary(d)
		}
		c.idx = data.Int32()
		n = len(c.idx)
	} else {
		switch c.kind {
		case parquet.ByteArray:
			c.bvals, c.boffs = data.ByteArray()
			n = max(len(c.boffs)-1, 0)
			if n > 0 && (c.boffs[0] > c.boffs[n] || int(c.boffs[n]) > len(c.bvals)) {
				return c.errorf("page %d: byte array offsets outside the page", c.pageNum)
			}
		case parquet.Double:
			c.f64 = data.Double()
			n = len(c.f64)
		case parquet.Int64:
			c.i64 = data.Int64()
			n = len(c.i64)
		case parquet.Int32:
			c.i32 = data.Int32()
			n = len(c.i32)
		case parquet.Boolean:
			c.bits = data.Boolean()
			n = min(len(c.bits)*8, values) // bit-packed: whole bytes
		default:
			return c.errorf("page %d: parquet type %s is not supported", c.pageNum, c.kind)
		}
	}
	if n != values {
		return c.errorf("page %d: %d values for %d non-null rows", c.pageNum, n, values)
	}
	return nil
}

// setDictionary takes the entries of a row group's dictionary once.
func (c *colReader) setDictionary(d parquet.Dictionary) {
	c.dict, c.dictLen = d, d.Len()
	c.dictBytes, c.dictF64, c.dictI64, c.dictI32 = nil, nil, nil, nil
	switch c.kind {
	case parquet.ByteArray:
		c.dictBytes = make([][]byte, c.dictLen)
		for i := range c.dictBytes {
			c.dictBytes[i] = d.Index(int32(i)).ByteArray()
		}
		if c.dictAppend {
			c.trans = slices.Repeat([]int32{-1}, c.dictLen)
		}
	case parquet.Double:
		c.dictF64 = make([]float64, c.dictLen)
		for i := range c.dictF64 {
			c.dictF64[i] = d.Index(int32(i)).Double()
		}
	case parquet.Int64:
		c.dictI64 = make([]int64, c.dictLen)
		for i := range c.dictI64 {
			c.dictI64[i] = d.Index(int32(i)).Int64()
		}
	case parquet.Int32:
		c.dictI32 = make([]int32, c.dictLen)
		for i := range c.dictI32 {
			c.dictI32[i] = d.Index(int32(i)).Int32()
		}
	}
}

// maxReserve is the most rows a batch reserves room for up front: the
// row count comes from the file.
const maxReserve = 1 << 21

// reserve makes room for k more rows in the batch.
func (c *colReader) reserve(k int) {
	k = min(k, maxReserve)
	if c.optional {
		c.valid = slices.Grow(c.valid, k)
	}
	switch c.dt.ID() {
	case arrow.DICTIONARY:
		c.oidx = slices.Grow(c.oidx, k)
	case arrow.STRING:
		c.ooffs = slices.Grow(c.ooffs, k)
	case arrow.FLOAT64:
		c.of64 = slices.Grow(c.of64, k)
	case arrow.INT64:
		c.oi64 = slices.Grow(c.oi64, k)
	case arrow.INT32:
		c.oi32 = slices.Grow(c.oi32, k)
	case arrow.BOOL:
		c.obool = slices.Grow(c.obool, k)
	}
}

// read appends the next k rows to the batch.
func (c *colReader) read(k int) error {
	c.reserve(k)
	for k > 0 {
		if c.prow >= c.pn {
			if err := c.nextPage(); err != nil {
				if errors.Is(err, io.EOF) {
					return fmt.Errorf("store: read parquet: column %q: the pages end %d rows short of the file's row count", c.name, k)
				}
				return err
			}
		}
		m := min(k, c.pn-c.prow)
		if err := c.take(m); err != nil {
			return err
		}
		c.prow += m
		k -= m
	}
	return nil
}

// take appends rows prow..prow+m of the current page to the batch, the
// loop specialised by the output type and the page's encoding.
func (c *colReader) take(m int) error {
	lo, hi := c.prow, c.prow+m
	if c.optional {
		for _, d := range c.defs[lo:hi] {
			c.valid = append(c.valid, d != 0)
			c.anyNull = c.anyNull || d == 0
		}
	}
	base := len(c.valid) - m // c.valid[base+r-lo] is row r's
	if c.idx != nil {
		for r := lo; r < hi; r++ {
			if c.optional && !c.valid[base+r-lo] {
				c.appendZero()
				continue
			}
			k := c.idx[c.pval]
			c.pval++
			if uint32(k) >= uint32(c.dictLen) {
				return c.errorf("page %d: dictionary index %d outside the dictionary of %d values", c.pageNum, k, c.dictLen)
			}
			if err := c.appendDictValue(k); err != nil {
				return err
			}
		}
		return nil
	}
	for r := lo; r < hi; r++ {
		if c.optional && !c.valid[base+r-lo] {
			c.appendZero()
			continue
		}
		v := c.pval
		c.pval++
		switch c.dt.ID() {
		case arrow.DICTIONARY:
			if err := c.appendDictString(c.bvals[c.boffs[v]:c.boffs[v+1]]); err != nil {
				return err
			}
		case arrow.STRING:
			if err := c.appendString(c.bvals[c.boffs[v]:c.boffs[v+1]]); err != nil {
				return err
			}
		case arrow.FLOAT64:
			c.of64 = append(c.of64, c.f64[v])
		case arrow.INT64:
			c.oi64 = append(c.oi64, c.i64[v])
		case arrow.INT32:
			c.oi32 = append(c.oi32, c.i32[v])
		case arrow.BOOL:
			c.obool = append(c.obool, c.bits[v/8]>>(v%8)&1 != 0)
		}
	}
	return nil
}

// appendDictValue appends entry k of the page's dictionary.
func (c *colReader) appendDictValue(k int32) error {
	switch c.dt.ID() {
	case arrow.DICTIONARY:
		if t := c.trans[k]; t >= 0 {
			c.oidx = append(c.oidx, t)
			return nil
		}
		if err := c.appendDictString(c.dictBytes[k]); err != nil {
			return err
		}
		c.trans[k] = c.oidx[len(c.oidx)-1]
	case arrow.STRING:
		return c.appendString(c.dictBytes[k])
	case arrow.FLOAT64:
		c.of64 = append(c.of64, c.dictF64[k])
	case arrow.INT64:
		c.oi64 = append(c.oi64, c.dictI64[k])
	case arrow.INT32:
		c.oi32 = append(c.oi32, c.dictI32[k])
	}
	return nil
}

// appendDictString appends s to a tDict column, adding it to the arrow
// dictionary when it is new.
func (c *colReader) appendDictString(s []byte) error {
	id, ok := c.ids[string(s)]
	if !ok {
		if len(c.dvals)+len(s) > math.MaxInt32 {
			return c.errorf("a dictionary of more than 2 GiB")
		}
		id = int32(len(c.ids))
		c.ids[string(s)] = id
		c.dvals = append(c.dvals, s...)
		c.doffs = append(c.doffs, int32(len(c.dvals)))
	}
	c.oidx = append(c.oidx, id)
	return nil
}

// appendString appends s to a utf8 column.
func (c *colReader) appendString(s []byte) error {
	if len(c.ostr)+len(s) > math.MaxInt32 {
		return c.errorf("more than 2 GiB of strings in one batch")
	}
	c.ostr = append(c.ostr, s...)
	c.ooffs = append(c.ooffs, int32(len(c.ostr)))
	return nil
}

// appendZero appends the placeholder of a null.
func (c *colReader) appendZero() {
	switch c.dt.ID() {
	case arrow.DICTIONARY:
		c.oidx = append(c.oidx, 0)
	case arrow.STRING:
		c.ooffs = append(c.ooffs, int32(len(c.ostr)))
	case arrow.FLOAT64:
		c.of64 = append(c.of64, 0)
	case arrow.INT64:
		c.oi64 = append(c.oi64, 0)
	case arrow.INT32:
		c.oi32 = append(c.oi32, 0)
	case arrow.BOOL:
		c.obool = append(c.obool, false)
	}
}

// array builds the batch's arrow array and empties the batch (the arrow
// dictionary of a tDict column stays).
func (c *colReader) array(mem memory.Allocator) arrow.Array {
	var valid []bool
	if c.anyNull {
		valid = c.valid
	}
	_, goMem := mem.(*memory.GoAllocator)
	var a arrow.Array
	switch c.dt.ID() {
	case arrow.DICTIONARY:
		var idx arrow.Array
		if goMem {
			idx = c.handOver(arrow.PrimitiveTypes.Int32, len(c.oidx), arrow.Int32Traits.CastToBytes(c.oidx))
			c.oidx = nil
		} else {
			ib := array.NewInt32Builder(mem)
			ib.AppendValues(c.oidx, valid)
			idx = ib.NewArray()
			ib.Release()
		}
		db := array.NewStringBuilder(mem)
		db.Reserve(len(c.doffs) - 1)
		db.ReserveData(len(c.dvals))
		for i := 1; i < len(c.doffs); i++ {
			db.BinaryBuilder.Append(c.dvals[c.doffs[i-1]:c.doffs[i]])
		}
		dict := db.NewArray()
		db.Release()
		a = array.NewDictionaryArray(c.dt, idx, dict)
		idx.Release()
		dict.Release()
	case arrow.STRING:
		if goMem {
			offs := make([]int32, len(c.ooffs)+1)
			copy(offs[1:], c.ooffs)
			a = c.handOver(c.dt, len(c.ooffs), arrow.Int32Traits.CastToBytes(offs), c.ostr)
			c.ostr = nil
			break
		}
		sb := array.NewStringBuilder(mem)
		sb.Reserve(len(c.ooffs))
		sb.ReserveData(len(c.ostr))
		prev := int32(0)
		for i, end := range c.ooffs {
			if valid != nil && !valid[i] {
				sb.AppendNull()
			} else {
				sb.BinaryBuilder.Append(c.ostr[prev:end])
			}
			prev = end
		}
		a = sb.NewArray()
		sb.Release()
	case arrow.FLOAT64:
		if goMem {
			a = c.handOver(c.dt, len(c.of64), arrow.Float64Traits.CastToBytes(c.of64))
			c.of64 = nil
			break
		}
		b := array.NewFloat64Builder(mem)
		b.AppendValues(c.of64, valid)
		a = b.NewArray()
		b.Release()
	case arrow.INT64:
		if goMem {
			a = c.handOver(c.dt, len(c.oi64), arrow.Int64Traits.CastToBytes(c.oi64))
			c.oi64 = nil
			break
		}
		b := array.NewInt64Builder(mem)
		b.AppendValues(c.oi64, valid)
		a = b.NewArray()
		b.Release()
	case arrow.INT32:
		if goMem {
			a = c.handOver(c.dt, len(c.oi32), arrow.Int32Traits.CastToBytes(c.oi32))
			c.oi32 = nil
			break
		}
		b := array.NewInt32Builder(mem)
		b.AppendValues(c.oi32, valid)
		a = b.NewArray()
		b.Release()
	case arrow.BOOL:
		b := array.NewBooleanBuilder(mem)
		b.AppendValues(c.obool, valid)
		a = b.NewArray()
		b.Release()
	}
	c.valid, c.oidx, c.of64, c.oi64, c.oi32, c.obool = c.valid[:0], c.oidx[:0], c.of64[:0], c.oi64[:0], c.oi32[:0], c.obool[:0]
	c.ostr, c.ooffs, c.anyNull = c.ostr[:0], c.ooffs[:0], false
	return a
}

// handOver makes an arrow array of n values of type dt from the batch's
// validity and its own buffers (values, or offsets and bytes), without
// copying: with a Go allocator arrow's buffers are Go memory too. The
// caller drops its slices of bufs.
func (c *colReader) handOver(dt arrow.DataType, n int, bufs ...[]byte) arrow.Array {
	var bitmap *memory.Buffer
	nulls := 0
	if c.anyNull {
		bm := make([]byte, bitutil.BytesForBits(int64(n)))
		for i, ok := range c.valid[:n] {
			if ok {
				bitutil.SetBit(bm, i)
			} else {
				nulls++
			}
		}
		bitmap = memory.NewBufferBytes(bm)
	}
	buffers := []*memory.Buffer{bitmap}
	for _, b := range bufs {
		buffers = append(buffers, memory.NewBufferBytes(b))
	}
	data := array.NewData(dt, n, buffers, nil, nulls, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// readColumns reads the next k rows of every column into arrs, the
// columns shared out among up to workers goroutines: each column has
// its own pages and state, and reading them one after another was most of
// a table read (the indicator table that every publishing step waits
// for). The result is the one-by-one read's: the error of the first
// column (in schema order) that fails, and a panic of parquet-go on
// corrupt input raised again here, in the caller's goroutine, when that
// column is the first to fail (ReadParquet and ScanParquet turn it into
// an error).
func readColumns(cols []*colReader, k int, mem memory.Allocator, arrs []arrow.Array, workers int) error {
	workers = min(workers, len(cols))
	if workers <= 1 {
		for j, c := range cols {
			if err := c.read(k); err != nil {
				return err
			}
			arrs[j] = c.array(mem)
		}
		return nil
	}
	type outcome struct {
		err      error
		panicked bool
		panic    any
	}
	out := make([]outcome, len(cols))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j := int(next.Add(1) - 1)
				if j >= len(cols) {
					return
				}
				func() {
					defer func() {
						if p := recover(); p != nil {
							out[j] = outcome{panicked: true, panic: p}
						}
					}()
					if err := cols[j].read(k); err != nil {
						out[j].err = err
						return
					}
					arrs[j] = cols[j].array(mem)
				}()
			}
		}()
	}
	wg.Wait()
	for _, o := range out {
		if o.panicked {
			panic(o.panic)
		}
		if o.err != nil {
			return o.err
		}
	}
	return nil
}

// parallelReadRows is the smallest batch whose columns readBatches reads
// at the same time (readColumns): below it (most datasets are a few
// hundred rows) the goroutines cost more than they save.
const parallelReadRows = 4096

// readBatches reads every row of f as records of at most batch rows (one
// empty record for a file of no rows), calling emit with each; emit
// releases it.
func readBatches(f *parquet.File, schema *arrow.Schema, mem memory.Allocator, batch int, emit func(arrow.Record) error) error {
	cols := newColReaders(f, schema)
	defer func() {
		for _, c := range cols {
			c.close()
		}
	}()
	total := int64(0)
	for _, rg := range f.RowGroups() {
		if rg.NumRows() < 0 {
			return fmt.Errorf("store: read parquet: a row group of %d rows", rg.NumRows())
		}
		total += rg.NumRows()
	}
	done := int64(0)
	for first := true; first || done < total; first = false {
		k := int(min(int64(batch), total-done))
		arrs := make([]arrow.Array, len(cols))
		release := func() {
			for _, a := range arrs {
				if a != nil {
					a.Release()
				}
			}
		}
		workers := 1
		if k >= parallelReadRows {
			workers = runtime.GOMAXPROCS(0)
		}
		if err := readColumns(cols, k, mem, arrs, workers); err != nil {
			release()
			return err
		}
		rec := array.NewRecord(schema, arrs, int64(k))
		release()
		done += int64(k)
		if err := emit(rec); err != nil {
			return err
		}
	}
	// Pages beyond the row count are an error, as rows of unequal length
	// were.
	for _, c := range cols {
		if c.prow < c.pn {
			return c.errorf("its pages hold more rows than the row group's %d", c.rgRows[c.ci])
		}
		if err := c.nextPage(); !errors.Is(err, io.EOF) {
			if err == nil {
				err = c.errorf("its pages hold more rows than the file's %d", total)
			}
			return err
		}
	}
	return nil
}
