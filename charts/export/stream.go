package export

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// cellKind is what a [Cell] holds.
type cellKind uint8

const (
	cellEmpty cellKind = iota
	cellText
	cellNumber // float64 with the column's decimals
	cellFixed  // float64 with decimals of its own
	cellInt
)

// Cell is one typed cell of a streamed row ([CSVWriter.WriteRow],
// [SheetWriter.WriteRow]): text, a number, a number with decimals of its
// own (as [Fixed]), an integer, or empty (the zero Cell). A row of Cells is
// a plain slice the caller reuses from row to row: nothing is boxed.
type Cell struct {
	kind cellKind
	dec  int32
	text string
	num  float64
	n    int64
}

// TextCell is a text cell (neutralised on output, see [Neutralise]).
func TextCell(s string) Cell { return Cell{kind: cellText, text: s} }

// NumberCell is a number shown with its column's decimals; NaN and ±Inf
// are empty cells (missing is never 0).
func NumberCell(x float64) Cell { return Cell{kind: cellNumber, num: x} }

// FixedCell is a number shown with dec decimals in XLSX (CSV writes it in
// full precision), as [Fixed]; NaN and ±Inf are empty cells.
func FixedCell(x float64, dec int) Cell { return Cell{kind: cellFixed, num: x, dec: int32(dec)} }

// IntCell is an integer cell.
func IntCell(n int64) Cell { return Cell{kind: cellInt, n: n} }

// EmptyCell is an empty cell (the zero Cell).
func EmptyCell() Cell { return Cell{} }

// IsEmpty reports whether c writes as an empty cell: the zero Cell, or a
// number that is NaN or infinite. An empty text cell is not empty in this
// sense (XLSX writes it as a text cell).
func (c Cell) IsEmpty() bool {
	switch c.kind {
	case cellEmpty:
		return true
	case cellNumber, cellFixed:
		return math.IsNaN(c.num) || math.IsInf(c.num, 0)
	}
	return false
}

// AppendBinary appends a binary encoding of c to b (encoding.BinaryAppender):
// its kind, decimals, text and number, each text with its length, so
// that two rows of cells encode the same only when they are the same.
// pipelines/publish keys export nodes by it.
func (c Cell) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, byte(c.kind))
	b = binary.AppendVarint(b, int64(c.dec))
	b = binary.AppendUvarint(b, uint64(len(c.text)))
	b = append(b, c.text...)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(c.num))
	return binary.AppendVarint(b, c.n), nil
}

// CellOf converts a [Sheet] cell value (nil, string, float64, [Fixed],
// int, int64) to a Cell.
func CellOf(v any) (Cell, error) {
	switch x := v.(type) {
	case nil:
		return Cell{}, nil
	case string:
		return TextCell(x), nil
	case float64:
		return NumberCell(x), nil
	case Fixed:
		return FixedCell(x.Value, x.Decimals), nil
	case int:
		return IntCell(int64(x)), nil
	case int64:
		return IntCell(x), nil
	}
	return Cell{}, fmt.Errorf("unsupported cell type %T", v)
}

// appendCSV appends c's CSV text in dialect d to buf.
func (c Cell) appendCSV(buf []byte, d Dialect) []byte {
	switch c.kind {
	case cellText:
		if c.text != "" {
			switch c.text[0] {
			case '=', '+', '-', '@', '\t', '\r':
				buf = append(buf, '\'')
			}
		}
		return append(buf, c.text...)
	case cellNumber, cellFixed:
		if c.IsEmpty() {
			return buf
		}
		start := len(buf)
		buf = strconv.AppendFloat(buf, c.num, 'f', -1, 64)
		if d == Norwegian {
			for i := start; i < len(buf); i++ {
				if buf[i] == '.' {
					buf[i] = ','
					break
				}
			}
		}
		return buf
	case cellInt:
		return strconv.AppendInt(buf, c.n, 10)
	}
	return buf
}

// CSVWriter writes one table as CSV, a row at a time: the header when it
// is made, then each row as it comes. Close flushes it.
type CSVWriter struct {
	name string
	cols []Column
	d    Dialect
	out  *countWriter // what bw writes to
	bw   *bufio.Writer
	cw   *csv.Writer
	rec  []string
	buf  []byte
	offs []int
	rows int
}

// NewCSVWriter starts a CSV table named name (for error messages) with
// columns cols in dialect d on w, writing the byte-order mark (Norwegian)
// and the header row.
func NewCSVWriter(w io.Writer, name string, cols []Column, d Dialect) (*CSVWriter, error) {
	out := &countWriter{w: w}
	c := &CSVWriter{name: name, cols: cols, d: d, out: out, bw: bufio.NewWriterSize(out, 64<<10), rec: make([]string, len(cols))}
	if d == Norwegian {
		if _, err := c.bw.WriteString("\ufeff"); err != nil {
			return nil, fmt.Errorf("export: csv %s: %w", name, err)
		}
	}
	c.cw = csv.NewWriter(c.bw)
	if d == Norwegian {
		c.cw.Comma = ';'
		c.cw.UseCRLF = true
	}
	for i, col := range cols {
		c.rec[i] = Neutralise(col.Name)
	}
	if err := c.cw.Write(c.rec); err != nil {
		return nil, fmt.Errorf("export: csv %s: %w", name, err)
	}
	return c, nil
}

// WriteRow writes one row; it must have a cell per column.
func (c *CSVWriter) WriteRow(cells []Cell) error {
	c.rows++
	if len(cells) != len(c.cols) {
		return fmt.Errorf("export: csv %s: row %d: %d cells, want %d", c.name, c.rows, len(cells), len(c.cols))
	}
	// One buffer for the row's texts; the strings point into it until the
	// next row (csv.Writer copies them out in Write).
	c.buf = c.buf[:0]
	ends := c.rec[:0]
	offs := c.offs[:0]
	for _, cell := range cells {
		c.buf = cell.appendCSV(c.buf, c.d)
		offs = append(offs, len(c.buf))
	}
	c.offs = offs
	row := string(c.buf)
	prev := 0
	for _, end := range offs {
		ends = append(ends, row[prev:end])
		prev = end
	}
	if err := c.cw.Write(ends); err != nil {
		return fmt.Errorf("export: csv %s: %w", c.name, err)
	}
	return nil
}

// Rows is the number of rows written so far (the header not counted).
func (c *CSVWriter) Rows() int { return c.rows }

// Offset is the number of bytes of the table so far (the byte-order mark
// and header included): where the next row starts in the file. A caller
// that notes the offsets around a run of rows can copy that run from the
// file into a later table with CopyRows.
func (c *CSVWriter) Offset() (int64, error) {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return 0, fmt.Errorf("export: csv %s: %w", c.name, err)
	}
	return c.out.n + int64(c.bw.Buffered()), nil
}

// CopyRows writes n bytes of r as the next rows rows of the table: rows
// written before, in the same dialect and columns, by a CSVWriter (see
// Offset). It fails when r holds fewer than n bytes.
func (c *CSVWriter) CopyRows(r io.Reader, n int64, rows int) error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("export: csv %s: %w", c.name, err)
	}
	if err := c.bw.Flush(); err != nil {
		return fmt.Errorf("export: csv %s: %w", c.name, err)
	}
	got, err := io.Copy(c.out, io.LimitReader(r, n))
	if err == nil && got < n {
		err = fmt.Errorf("%d of %d bytes copied: %w", got, n, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return fmt.Errorf("export: csv %s: copying rows: %w", c.name, err)
	}
	c.rows += rows
	return nil
}

// Close flushes the table to the underlying writer (it does not close
// that).
func (c *CSVWriter) Close() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return fmt.Errorf("export: csv %s: %w", c.name, err)
	}
	if err := c.bw.Flush(); err != nil {
		return fmt.Errorf("export: csv %s: %w", c.name, err)
	}
	return nil
}

// Workbook writes an XLSX workbook a row at a time through excelize's
// stream writer (rows go to a temp file past excelize.StreamChunkSize, not
// to memory): sheets are added in order with [Workbook.AddSheet], each
// with a bold, frozen header row, column widths, number formats and an
// autofilter over its rows; [Workbook.WriteTo] finishes it. Close it in
// any case (it removes excelize's temp files).
type Workbook struct {
	f         *excelize.File
	bold      int
	intStyle  int
	numStyles map[int]int
	taken     map[string]bool
	sheets    []*SheetWriter
}

// fastZip is the workbook's ZIP writer: deflate at level 2 instead of the
// default 6. Compressing was half the time of writing the demo's
// indicator workbook; at level 2 `grunnlag export` on the demo used about
// 1.5-2.5 s less CPU (of 10) and the workbook grew 16 % (34.4 → 40.0 MB).
// Level 1 saved no more time and grew it 27 %. WriteTo gives it to
// excelize (directZip).
func fastZip(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, 2) // level 2: see above
	})
	return zw
}

// NewWorkbook starts an empty workbook.
func NewWorkbook() (*Workbook, error) {
	f := excelize.NewFile()
	wb := &Workbook{f: f, numStyles: map[int]int{}, taken: map[string]bool{}}
	var err error
	if wb.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E4E4E4"}}}); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	if wb.intStyle, err = f.NewStyle(&excelize.Style{NumFmt: 1}); err != nil { // "0"
		_ = f.Close()
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	// Every number style is made here, in one order, so that a style's
	// ID does not depend on which sheets were written: a carried sheet
	// ([SheetWriter.Carry]) names the IDs of the workbook it comes from.
	for dec := 0; dec <= MaxDecimals; dec++ {
		if _, err := wb.numStyle(dec); err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("export: xlsx: %w", err)
		}
	}
	return wb, nil
}

// MaxDecimals is the most decimals an XLSX number format shows; a column
// or [Fixed] cell asking for more gets MaxDecimals (CSV writes every
// number in full precision anyway).
const MaxDecimals = 10

// numStyle is the style of a number with dec decimals ("#,##0.0" style),
// dec clamped to 0..MaxDecimals.
func (wb *Workbook) numStyle(dec int) (int, error) {
	dec = min(max(dec, 0), MaxDecimals)
	if id, ok := wb.numStyles[dec]; ok {
		return id, nil
	}
	code := "#,##0"
	if dec > 0 {
		code += "." + strings.Repeat("0", dec)
	}
	id, err := wb.f.NewStyle(&excelize.Style{CustomNumFmt: &code})
	if err != nil {
		return 0, err
	}
	wb.numStyles[dec] = id
	return id, nil
}

// SheetWriter writes the rows of one sheet of a [Workbook].
type SheetWriter struct {
	wb     *Workbook
	name   string
	cols   []Column
	sw     *excelize.StreamWriter
	styles []int
	row    []any
	cells  []excelize.Cell
	rows   int
	want   int
	// carried is the entry of a workbook written before whose
	// compressed bytes WriteTo copies as this sheet's part (Carry).
	carried *zip.File
	part    string
}

// AddSheet adds a sheet after the ones added before, named by
// [SheetName] (unique in the workbook), with the header row written.
// rows is the number of data rows the sheet will get, which the sheet's
// <dimension> states before any row is written (a reader may size its
// grid by it): [Workbook.WriteTo] refuses a sheet that got another
// number. rows < 0 means unknown: the sheet then has no <dimension> (it is
// optional; readers compute the used range).
func (wb *Workbook) AddSheet(name string, cols []Column, rows int) (*SheetWriter, error) {
	name = SheetName(name, wb.taken)
	f := wb.f
	if len(wb.sheets) == 0 {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return nil, fmt.Errorf("export: xlsx %s: %w", name, err)
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return nil, fmt.Errorf("export: xlsx %s: %w", name, err)
	}
	dim := ""
	if rows >= 0 && len(cols) > 0 {
		last, err := excelize.CoordinatesToCellName(len(cols), rows+1)
		if err != nil {
			return nil, fmt.Errorf("export: xlsx %s: %w", name, err)
		}
		dim = "A1:" + last
	}
	if err := f.SetSheetDimension(name, dim); err != nil {
		return nil, fmt.Errorf("export: xlsx %s: %w", name, err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("export: xlsx %s: %w", name, err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("export: xlsx %s: %w", name, err)
	}
	s := &SheetWriter{wb: wb, name: name, cols: cols, sw: sw, styles: make([]int, len(cols)),
		row: make([]any, len(cols)), cells: make([]excelize.Cell, len(cols)), want: rows}
	for i, c := range cols {
		width := c.Width
		if width == 0 {
			width = math.Max(10, float64(len([]rune(c.Name)))+2)
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return nil, fmt.Errorf("export: xlsx %s: %w", name, err)
		}
		switch c.Kind {
		case Number:
			if s.styles[i], err = wb.numStyle(c.Decimals); err != nil {
				return nil, fmt.Errorf("export: xlsx %s: %w", name, err)
			}
		case Integer:
			s.styles[i] = wb.intStyle
		}
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: wb.bold, Value: Neutralise(c.Name)}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, fmt.Errorf("export: xlsx %s: %w", name, err)
	}
	wb.sheets = append(wb.sheets, s)
	return s, nil
}

// Name is the sheet's name in the workbook (after [SheetName]).
func (s *SheetWriter) Name() string { return s.name }

// WriteRow writes the next row; it must have a cell per column.
func (s *SheetWriter) WriteRow(cells []Cell) error {
	if s.carried != nil {
		return fmt.Errorf("export: xlsx %s: row written to a carried sheet", s.name)
	}
	s.rows++
	if len(cells) != len(s.cols) {
		return fmt.Errorf("export: xlsx %s: row %d: %d cells, want %d", s.name, s.rows, len(cells), len(s.cols))
	}
	for i, c := range cells {
		switch {
		case c.IsEmpty():
			s.row[i] = nil
		case c.kind == cellText:
			s.row[i] = Neutralise(c.text)
		case c.kind == cellNumber:
			s.cells[i] = excelize.Cell{StyleID: s.styles[i], Value: c.num}
			s.row[i] = &s.cells[i]
		case c.kind == cellFixed:
			style, err := s.wb.numStyle(int(c.dec))
			if err != nil {
				return fmt.Errorf("export: xlsx %s: %w", s.name, err)
			}
			s.cells[i] = excelize.Cell{StyleID: style, Value: c.num}
			s.row[i] = &s.cells[i]
		case c.kind == cellInt:
			s.cells[i] = excelize.Cell{StyleID: s.styles[i], Value: c.n}
			s.row[i] = &s.cells[i]
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, s.rows+1)
	if err != nil {
		return fmt.Errorf("export: xlsx %s: %w", s.name, err)
	}
	if err := s.sw.SetRow(cell, s.row); err != nil {
		return fmt.Errorf("export: xlsx %s: %w", s.name, err)
	}
	return nil
}

// Rows is the number of data rows written so far.
func (s *SheetWriter) Rows() int { return s.rows }

// Part is the name of the sheet's entry in the workbook's package
// ("xl/worksheets/sheet3.xml"): what [Previous.Sheet] is asked for when a
// later workbook carries this sheet over.
func (s *SheetWriter) Part() (string, error) {
	for id, name := range s.wb.f.GetSheetMap() {
		if name == s.name {
			return "xl/worksheets/sheet" + strconv.Itoa(id) + ".xml", nil
		}
	}
	return "", fmt.Errorf("export: xlsx %s: sheet not in the workbook", s.name)
}

// Previous is a workbook written before (by [Workbook.WriteTo]), open so
// that a new workbook can carry its unchanged sheets over ([SheetWriter.Carry])
// instead of writing their rows again. Close it after the new workbook's
// WriteTo.
type Previous struct {
	zr    *zip.ReadCloser
	parts map[string]*zip.File
}

// OpenPrevious opens the workbook at path (its central directory only).
func OpenPrevious(path string) (*Previous, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("export: xlsx %s: %w", path, err)
	}
	p := &Previous{zr: zr, parts: map[string]*zip.File{}}
	for _, f := range zr.File {
		p.parts[f.Name] = f
	}
	return p, nil
}

// Sheet returns the entry part of the workbook, or false when it has
// none. The entry can be read while p is open.
func (p *Previous) Sheet(part string) (*zip.File, bool) {
	f, ok := p.parts[part]
	return f, ok
}

// Close closes the workbook's file.
func (p *Previous) Close() error { return p.zr.Close() }

// Carry makes the sheet a copy of entry part of prev: WriteTo copies the
// entry's compressed bytes as they are, and no row is written to s
// (WriteRow refuses one). The caller must know that the entry is what the
// sheet would be: the same name, columns, announced rows and cells, in
// the same part (see Part), written by this version of the package (the
// number styles of every workbook have the same IDs, see NewWorkbook);
// pipelines/publish keys each sheet by all of that. The sheet must have
// announced its rows to AddSheet.
func (s *SheetWriter) Carry(prev *Previous, part string) error {
	if s.want < 0 {
		return fmt.Errorf("export: xlsx %s: a sheet of unknown length cannot be carried", s.name)
	}
	if s.rows > 0 {
		return fmt.Errorf("export: xlsx %s: rows already written; cannot carry", s.name)
	}
	own, err := s.Part()
	if err != nil {
		return err
	}
	if own != part {
		return fmt.Errorf("export: xlsx %s: is %s here, cannot carry %s", s.name, own, part)
	}
	f, ok := prev.Sheet(part)
	if !ok {
		return fmt.Errorf("export: xlsx %s: the previous workbook has no %s", s.name, part)
	}
	s.carried, s.part, s.rows = f, part, s.want
	return nil
}

// WriteTo finishes every sheet (an autofilter over its header and rows)
// and writes the workbook to w. It fails when the workbook has no sheet
// or a sheet got another number of rows than AddSheet was told.
func (wb *Workbook) WriteTo(w io.Writer) (int64, error) {
	if len(wb.sheets) == 0 {
		return 0, fmt.Errorf("export: xlsx: no sheets")
	}
	for _, s := range wb.sheets {
		if s.want >= 0 && s.rows != s.want {
			return 0, fmt.Errorf("export: xlsx %s: %d rows written, %d announced", s.name, s.rows, s.want)
		}
		// The autofilter goes on the stream writer's worksheet before
		// Flush writes the elements after <sheetData>: set after Flush,
		// excelize parses the sheet's buffered XML back (memory and time)
		// and writes only the workbook's filter name, not the sheet's
		// <autoFilter>.
		if len(s.cols) > 0 {
			last, _ := excelize.CoordinatesToCellName(len(s.cols), s.rows+1)
			if err := wb.f.AutoFilter(s.name, "A1:"+last, nil); err != nil {
				return 0, fmt.Errorf("export: xlsx %s: %w", s.name, err)
			}
		}
		if err := s.sw.Flush(); err != nil {
			return 0, fmt.Errorf("export: xlsx %s: %w", s.name, err)
		}
	}
	// excelize assembles the whole file in a bytes.Buffer before writing
	// it (WriteToBuffer: 64-110 MB for the demo's indicator workbook); the
	// zip writer given to it writes to w instead, and the buffer stays
	// empty.
	carried := map[string]*zip.File{}
	for _, s := range wb.sheets {
		if s.carried != nil {
			carried[s.part] = s.carried
		}
	}
	cw := &countWriter{w: w}
	var zw *directZip
	wb.f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw = &directZip{zw: fastZip(cw), carried: carried}
		return zw
	})
	if _, err := wb.f.WriteTo(io.Discard); err != nil {
		return cw.n, fmt.Errorf("export: xlsx: %w", err)
	}
	if zw == nil {
		return cw.n, fmt.Errorf("export: xlsx: the workbook was not written through its zip writer")
	}
	// directZip deletes each carried part it copies: one left was never
	// asked for by excelize.
	if len(carried) > 0 {
		return cw.n, fmt.Errorf("export: xlsx: carried sheets %v were not written", slices.Sorted(maps.Keys(carried)))
	}
	return cw.n, nil
}

// directZip is the zip writer of Workbook.WriteTo. excelize marks the
// local header of an entry over 4 GiB as Zip64 by patching its buffer
// afterwards, which a file written straight through cannot be; such an
// entry (a sheet far past Excel's 1,048,576 rows) is refused instead.
// An entry in carried is copied from the previous workbook, compressed
// as it is there, and what excelize writes for it is dropped.
type directZip struct {
	zw      *zip.Writer
	carried map[string]*zip.File
}

func (d *directZip) Create(name string) (io.Writer, error) {
	if f, ok := d.carried[name]; ok {
		delete(d.carried, name)
		if err := d.zw.Copy(f); err != nil {
			return nil, fmt.Errorf("%s: carried from the previous workbook: %w", name, err)
		}
		return io.Discard, nil
	}
	w, err := d.zw.Create(name)
	if err != nil {
		return nil, err
	}
	return &entryWriter{w: w, name: name}, nil
}

func (d *directZip) AddFS(fsys fs.FS) error { return d.zw.AddFS(fsys) }

func (d *directZip) Close() error { return d.zw.Close() }

// entryWriter counts an entry's bytes and refuses the 4 GiB one.
type entryWriter struct {
	w    io.Writer
	name string
	n    int64
}

func (e *entryWriter) Write(p []byte) (int, error) {
	if e.n+int64(len(p)) > math.MaxUint32 {
		return 0, fmt.Errorf("%s: over 4 GiB, more than a workbook entry written straight to its file can hold", e.name)
	}
	n, err := e.w.Write(p)
	e.n += int64(n)
	return n, err
}

// countWriter counts the bytes written to w.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Close releases the workbook's temp files.
func (wb *Workbook) Close() error {
	if err := wb.f.Close(); err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	return nil
}

// Value is c as a [Sheet] cell value: nil (empty), a string, a float64, a
// [Fixed] or an int.
func (c Cell) Value() any {
	switch c.kind {
	case cellText:
		return c.text
	case cellNumber:
		return c.num
	case cellFixed:
		return Fixed{Value: c.num, Decimals: int(c.dec)}
	case cellInt:
		return int(c.n)
	}
	return nil
}
