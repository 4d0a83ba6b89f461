package tabular

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Table is a file read into header lines and data rows of text cells.
type Table struct {
	// File names the file in errors.
	File string
	// Header holds the header lines (HeaderRows of them), cells trimmed.
	Header [][]string
	// Rows are the data rows; Line[i] is the 1-based line (CSV) or row
	// (XLSX) of Rows[i] in the file.
	Rows [][]string
	Line []int
	// End[i] is the last line of Rows[i]: Line[i], or later when a quoted
	// cell holds line breaks (CSV).
	End []int
	// Lines is the number of file lines the data rows span: len(Rows)
	// plus the line breaks inside quoted cells (always len(Rows) for
	// XLSX). Far more lines than rows means quotes that join rows.
	Lines int
	// Encoding and Delimiter are what was used (detected or given).
	Encoding  string
	Delimiter string
}

// ErrNoRegions is the class of the error for a region given by name when
// Options.Regions is nil, so the name cannot be resolved.
var ErrNoRegions = errors.New("no regions model was given")

// ParseError is a problem at a position in a file. Row is the 1-based
// line (CSV) or sheet row (XLSX), 0 when not about one row; Column is the
// column name (or "" when not about one column).
type ParseError struct {
	File   string
	Row    int
	Column string
	// Pos is the 1-based byte position in the line (CSV quote errors), 0
	// when not known.
	Pos int
	Err error
}

// Error formats as `tabular: FILE: row N: column "C": message`, or with
// `row N, position P` where the byte position in the line is known.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("tabular: ")
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	switch {
	case e.Row > 0 && e.Pos > 0:
		fmt.Fprintf(&b, "row %d, position %d: ", e.Row, e.Pos)
	case e.Row > 0:
		fmt.Fprintf(&b, "row %d: ", e.Row)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, "column %q: ", e.Column)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// DetectEncoding guesses the encoding of a text file: a byte-order mark
// (UTF-8, UTF-16LE, UTF-16BE) decides; else a NUL in every second byte of
// the start of the file means UTF-16 without BOM (NULs at odd offsets:
// little-endian, at even offsets: big-endian); else valid UTF-8 is UTF-8;
// else windows-1252 (a superset of the printable ISO-8859-1 range).
func DetectEncoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return "utf-16le"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return "utf-16be"
	}
	n := min(len(data), 4096) &^ 1
	if n >= 4 {
		var odd, even int
		for i := 0; i < n; i += 2 {
			if data[i] == 0 {
				even++
			}
			if data[i+1] == 0 {
				odd++
			}
		}
		half := n / 2
		switch {
		case odd*10 >= half*7 && even*10 < half:
			return "utf-16le"
		case even*10 >= half*7 && odd*10 < half:
			return "utf-16be"
		}
	}
	if utf8.Valid(data) {
		return "utf-8"
	}
	return "windows-1252"
}

// DecodeText turns data in the given encoding ("auto" or "" to detect) into
// UTF-8 without a BOM, and returns the encoding used.
func DecodeText(data []byte, enc string) (string, string, error) {
	enc = strings.ToLower(enc)
	if enc == "" || enc == "auto" {
		enc = DetectEncoding(data)
	}
	var e encoding.Encoding
	switch enc {
	case "utf-8", "utf8":
		enc = "utf-8"
		for bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) { // every leading BOM (skipBOMs)
			data = data[3:]
		}
		if !utf8.Valid(data) {
			return "", enc, errors.New("the file is not valid UTF-8 (set encoding: windows-1252?)")
		}
		return string(data), enc, nil
	case "windows-1252", "cp1252":
		enc, e = "windows-1252", charmap.Windows1252
	case "iso-8859-1", "latin1":
		enc, e = "iso-8859-1", charmap.ISO8859_1
	case "utf-16le":
		e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case "utf-16be":
		e = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	default:
		return "", enc, fmt.Errorf("unknown encoding %q", enc)
	}
	out, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return "", enc, fmt.Errorf("decode %s: %w", enc, err)
	}
	return strings.TrimLeft(string(out), "\uFEFF"), enc, nil // every leading BOM (skipBOMs)
}

// DetectDelimiter picks the delimiter of a header line: the most frequent
// of ';', '\t', ',' outside double quotes (ties in that order); ',' when
// none occurs.
func DetectDelimiter(line string) rune {
	counts := map[rune]int{}
	inQ := false
	for _, r := range line {
		switch {
		case r == '"':
			inQ = !inQ
		case !inQ && (r == ';' || r == '\t' || r == ','):
			counts[r]++
		}
	}
	best, n := ',', 0
	for _, r := range []rune{';', '\t', ','} {
		if counts[r] > n {
			best, n = r, counts[r]
		}
	}
	return best
}

// ReadCSV reads delimited text per the mapping's encoding, delimiter,
// skip_rows and header_rows, with the default Limits. A first line "sep=X"
// sets the delimiter and is dropped. Rows whose cells are all empty are
// dropped. Cells keep their inner spaces; header cells are trimmed.
func ReadCSV(file string, data []byte, m *Mapping) (*Table, error) {
	return ReadCSVFrom(file, bytes.NewReader(data), m, Limits{})
}

// ReadCSVFrom is ReadCSV on a stream, within lim. With encoding auto the
// stream is read twice (once to detect the encoding, then from the start),
// so it must be seekable; with a given encoding it is read once. Memory
// stays within the table read plus one row.
//
// Quotes are strict (RFC 4180): a quote inside a field that does not start
// with one, or a quoted field that is not closed, is an error naming the
// row and the position in the line. A data row with fewer cells than the
// header, or with a non-empty cell past the header, is an error.
func ReadCSVFrom(file string, r io.ReadSeeker, m *Mapping, lim Limits) (*Table, error) {
	lim = lim.withDefaults()
	fail := func(row int, err error) error { return &ParseError{File: file, Row: row, Err: err} }
	enc := strings.ToLower(m.Encoding)
	if enc == "" || enc == "auto" {
		var err error
		if enc, err = detectStream(&capReader{r: r, max: lim.MaxBytes, what: LimitFile}); err != nil {
			return nil, fail(0, err)
		}
		if _, err := r.Seek(0, io.SeekStart); err != nil {
			return nil, fail(0, err)
		}
	}
	text, enc, err := decodeStream(&capReader{r: r, max: lim.MaxBytes, what: LimitFile}, enc)
	if err != nil {
		return nil, fail(0, err)
	}
	br := bufio.NewReaderSize(text, 64<<10)
	t := &Table{File: file, Encoding: enc}
	lineOffset := 0
	var sep rune
	// pending is a line read ahead that the csv reader must still see.
	pending, err := readLine(br, lim.MaxRowBytes)
	if err != nil {
		return nil, fail(1, err)
	}
	if v, ok := strings.CutPrefix(strings.TrimRight(pending, "\r\n"), "sep="); ok && utf8.RuneCountInString(v) == 1 {
		sep, _ = utf8.DecodeRuneInString(v)
		pending = ""
		lineOffset = 1
	}
	// Skip lines before the header.
	for i := 0; i < m.SkipRows; i++ {
		if pending == "" {
			if pending, err = readLine(br, lim.MaxRowBytes); err != nil {
				return nil, fail(lineOffset+1, err)
			}
			if pending == "" {
				break
			}
		}
		pending = ""
		lineOffset++
	}
	switch m.Delimiter {
	case ";", ",", "|":
		sep = rune(m.Delimiter[0])
	case "\t", "tab":
		sep = '\t'
	case "", "auto":
		if sep == 0 {
			if pending == "" {
				if pending, err = readLine(br, lim.MaxRowBytes); err != nil {
					return nil, fail(lineOffset+1, err)
				}
			}
			sep = DetectDelimiter(strings.TrimRight(pending, "\n"))
		}
	}
	t.Delimiter = string(sep)
	rr := &rowReader{r: io.MultiReader(strings.NewReader(pending), br), max: lim.MaxRowBytes}
	r2 := csv.NewReader(rr)
	r2.Comma = sep
	r2.FieldsPerRecord = -1
	hr := m.headerRows()
	width := len(m.Columns) // cells a data row must have (0: not known)
	cells := 0
	lastLine := 0 // the line the last record read ends on
	for {
		rec, err := r2.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, csvError(file, pe, lineOffset)
			}
			return nil, fail(lastLine+lineOffset+1, err)
		}
		rr.n = 0
		line, _ := r2.FieldPos(0)
		last, _ := r2.FieldPos(len(rec) - 1)
		lastLine = last + strings.Count(rec[len(rec)-1], "\n")
		line += lineOffset
		if cells += len(rec); cells > lim.MaxCells {
			return nil, fail(line, &LimitError{What: LimitCells, Limit: int64(lim.MaxCells)})
		}
		for i, c := range rec {
			if len(c) > lim.MaxCellBytes {
				return nil, &ParseError{File: file, Row: line, Column: t.columnName(i),
					Err: &LimitError{What: LimitCell, Limit: int64(lim.MaxCellBytes)}}
			}
		}
		if len(t.Header) < hr {
			h := make([]string, len(rec))
			for i, c := range rec {
				h[i] = strings.TrimSpace(c)
			}
			t.Header = append(t.Header, h)
			// The named columns: trailing empty header cells (a
			// delimiter at the end of the line) do not count.
			named := len(h)
			for named > 0 && h[named-1] == "" {
				named--
			}
			width = max(width, named)
			continue
		}
		if allEmpty(rec) {
			continue
		}
		if err := t.checkWidth(line, rec, width); err != nil {
			return nil, err
		}
		t.Rows = append(t.Rows, rec)
		t.Line = append(t.Line, line)
		t.End = append(t.End, lastLine+lineOffset)
		t.Lines += lastLine + lineOffset - line + 1
	}
	if len(t.Header) < hr {
		return nil, &ParseError{File: file, Err: fmt.Errorf("the file has fewer than %d header lines", hr)}
	}
	return t, nil
}

// checkWidth refuses a row with fewer cells than the header has, or with a
// non-empty cell beyond them (a value without a column would be lost). A
// width of 0 (no header, no columns) checks nothing.
func (t *Table) checkWidth(line int, rec []string, width int) error {
	if width == 0 {
		return nil
	}
	if len(rec) < width {
		return &ParseError{File: t.File, Row: line, Err: &WidthError{Cells: len(rec), Want: width}}
	}
	for i := width; i < len(rec); i++ {
		if strings.TrimSpace(rec[i]) != "" {
			return &ParseError{File: t.File, Row: line, Column: t.columnName(i), Err: &WidthError{Cells: len(rec), Want: width}}
		}
	}
	return nil
}

// WidthError is a CSV row whose number of cells does not match the header
// (too few, or a non-empty cell past the last column).
type WidthError struct {
	Cells, Want int
}

// Error says how many cells the row has and should have.
func (e *WidthError) Error() string {
	if e.Cells < e.Want {
		return fmt.Sprintf("the row has %d cells, the header %d (a missing delimiter, or a quote that joins cells?)", e.Cells, e.Want)
	}
	return fmt.Sprintf("the row has %d cells, the header %d, and a value past the last column", e.Cells, e.Want)
}

// columnName names cell i (0-based) in errors: its header, else its
// 1-based number.
func (t *Table) columnName(i int) string {
	if len(t.Header) > 0 && i < len(t.Header[0]) && t.Header[0][i] != "" {
		return t.Header[0][i]
	}
	return fmt.Sprintf("#%d", i+1)
}

// QuoteError is a quoting mistake in a CSV file: a quote inside a field
// that does not start with one, a quoted field that is never closed, or
// text after a closing quote. It wraps csv.ErrBareQuote or csv.ErrQuote.
type QuoteError struct {
	// StartRow is the line where the record starts (the quote that is not
	// closed, for an unclosed quote).
	StartRow int
	// Err is csv.ErrBareQuote or csv.ErrQuote.
	Err error
}

// Error explains the mistake in words.
func (e *QuoteError) Error() string {
	if errors.Is(e.Err, csv.ErrBareQuote) {
		return `a quote (") inside a field that does not start with one (quote the whole field and write the quote as "")`
	}
	return fmt.Sprintf(`the quoted field that starts in row %d is not closed, or has text after its closing quote (write a quote inside it as "")`, e.StartRow)
}

// Unwrap returns csv.ErrBareQuote or csv.ErrQuote.
func (e *QuoteError) Unwrap() error { return e.Err }

func csvError(file string, pe *csv.ParseError, lineOffset int) error {
	if errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrQuote) {
		return &ParseError{File: file, Row: pe.Line + lineOffset, Pos: pe.Column,
			Err: &QuoteError{StartRow: pe.StartLine + lineOffset, Err: pe.Err}}
	}
	return &ParseError{File: file, Row: pe.Line + lineOffset, Pos: pe.Column, Err: pe.Err}
}

// readLine reads one line, its "\n" included, and "" at the end of the
// input. A line longer than max is a *LimitError.
func readLine(br *bufio.Reader, max int) (string, error) {
	var b []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(b)+len(chunk) > max+1 {
			return "", &LimitError{What: LimitRow, Limit: int64(max)}
		}
		b = append(b, chunk...)
		switch err {
		case nil, io.EOF:
			return string(b), nil
		case bufio.ErrBufferFull:
			continue
		default:
			return "", err
		}
	}
}

// detectStream is DetectEncoding on a stream: the first 4 KiB decide a BOM
// or UTF-16; else the whole stream is checked for valid UTF-8, a chunk at
// a time.
func detectStream(r io.Reader) (string, error) {
	buf := make([]byte, 64<<10)
	n, err := io.ReadFull(r, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", err
	}
	head := buf[:n]
	if enc := DetectEncoding(head[:min(n, 4096)]); enc != "utf-8" && enc != "windows-1252" {
		return enc, nil
	}
	// Validate UTF-8, carrying an incomplete sequence between chunks.
	carry := 0
	for {
		data := buf[:carry+n]
		end := len(data)
		// Hold back up to 3 bytes of a sequence cut by the chunk's end.
		for k := 1; k <= 3 && k <= end; k++ {
			if c := data[end-k]; c >= 0xC0 {
				if k < seqLen(c) {
					end -= k
				}
				break
			} else if c < 0x80 {
				break
			}
		}
		if !utf8.Valid(data[:end]) {
			return "windows-1252", nil
		}
		carry = copy(buf, data[end:])
		if err != nil { // io.EOF or io.ErrUnexpectedEOF: that was the last chunk
			if carry > 0 {
				return "windows-1252", nil
			}
			return "utf-8", nil
		}
		n, err = io.ReadFull(r, buf[carry:])
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return "", err
		}
	}
}

// seqLen is the length of the UTF-8 sequence a leading byte starts.
func seqLen(c byte) int {
	switch {
	case c >= 0xF0:
		return 4
	case c >= 0xE0:
		return 3
	}
	return 2
}

// decodeStream turns a stream in encoding enc into UTF-8 without a BOM.
func decodeStream(r io.Reader, enc string) (io.Reader, string, error) {
	var e encoding.Encoding
	switch enc {
	case "utf-8", "utf8":
		br := bufio.NewReader(r)
		skipBOMs(br)
		return &utf8Reader{r: br, line: 1}, "utf-8", nil
	case "windows-1252", "cp1252":
		enc, e = "windows-1252", charmap.Windows1252
	case "iso-8859-1", "latin1":
		enc, e = "iso-8859-1", charmap.ISO8859_1
	case "utf-16le":
		e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case "utf-16be":
		e = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	default:
		return nil, enc, fmt.Errorf("unknown encoding %q", enc)
	}
	br := bufio.NewReader(transform.NewReader(r, e.NewDecoder()))
	skipBOMs(br)
	return br, enc, nil
}

// skipBOMs discards every byte order mark (U+FEFF in UTF-8) at the start
// of br: a file saved twice with one has two, and neither is content.
func skipBOMs(br *bufio.Reader) {
	for {
		if b, _ := br.Peek(3); !bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
			return
		}
		br.Discard(3)
	}
}

// utf8Reader passes UTF-8 through and fails at the first invalid byte,
// naming its line. It validates a chunk of its own at a time, so any
// read size works.
type utf8Reader struct {
	r   io.Reader
	buf []byte
	// buf[off:end] is validated and not yet returned; buf[end:n] is an
	// incomplete sequence held back until more bytes come.
	off, end, n int
	line        int
	err         error // returned once buf[off:end] is drained
}

// EncodingError is text that is not valid in the encoding it is read in.
type EncodingError struct {
	Encoding string
	Line     int // 1-based line of the first invalid byte
}

// Error names the line and suggests another encoding.
func (e *EncodingError) Error() string {
	return fmt.Sprintf("line %d is not valid %s (set encoding: windows-1252?)", e.Line, e.Encoding)
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	for u.off == u.end {
		if u.err != nil {
			return 0, u.err
		}
		u.fill()
	}
	k := copy(p, u.buf[u.off:u.end])
	u.off += k
	return k, nil
}

func (u *utf8Reader) fill() {
	if u.buf == nil {
		u.buf = make([]byte, 32<<10)
	}
	u.n = copy(u.buf, u.buf[u.end:u.n])
	u.off, u.end = 0, 0
	m, err := u.r.Read(u.buf[u.n:])
	u.n += m
	end := u.n
	if err == nil {
		// Hold back a sequence cut by the end of this read.
		for k := 1; k <= 3 && k <= end; k++ {
			if c := u.buf[end-k]; c >= 0xC0 {
				if k < seqLen(c) {
					end -= k
				}
				break
			} else if c < 0x80 {
				break
			}
		}
	}
	data := u.buf[:end]
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c == '\n' {
				u.line++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			u.end = i
			u.err = &EncodingError{Encoding: "UTF-8", Line: u.line}
			return
		}
		i += size
	}
	u.end = end
	if err != nil {
		u.err = err
	}
}

// ReadXLSX reads one sheet of an XLSX workbook (sheet "" means the first)
// with excelize, with the default Limits. Numeric cells are read as their
// raw values (no number format applied, so "1400" rather than "1 400" and
// dates as serial numbers, which ParsePeriod accepts). skip_rows and
// header_rows apply as for CSV; empty rows are dropped.
func ReadXLSX(file string, r io.Reader, m *Mapping) (*Table, error) {
	return ReadXLSXWith(file, r, m, Limits{})
}

// ReadXLSXWith is ReadXLSX within lim: the workbook is refused before it
// is unpacked when it is larger than lim.MaxBytes or its parts declare more
// than lim.MaxUnzipBytes, and the sheet is read a row at a time within the
// cell limits.
func ReadXLSXWith(file string, r io.Reader, m *Mapping, lim Limits) (*Table, error) {
	lim = lim.withDefaults()
	fail := func(err error) error { return &ParseError{File: file, Err: err} }
	data, err := io.ReadAll(&capReader{r: r, max: lim.MaxBytes, what: LimitFile})
	if err != nil {
		return nil, fail(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fail(fmt.Errorf("open xlsx: not a workbook (zip): %w", err))
	}
	var unzipped uint64
	for _, f := range zr.File {
		if unzipped += f.UncompressedSize64; unzipped > uint64(lim.MaxUnzipBytes) {
			return nil, fail(&LimitError{What: LimitUnzip, Limit: lim.MaxUnzipBytes})
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    lim.MaxUnzipBytes,
		UnzipXMLSizeLimit: min(lim.MaxUnzipBytes, 16<<20),
	})
	if err != nil {
		return nil, fail(fmt.Errorf("open xlsx: %w", err))
	}
	defer f.Close()
	data = nil
	sheet := m.Sheet
	if sheet == "" {
		list := f.GetSheetList()
		if len(list) == 0 {
			return nil, fail(errors.New("the workbook has no sheets"))
		}
		sheet = list[0]
	} else if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		return nil, fail(fmt.Errorf("no sheet %q (sheets: %s)", sheet, strings.Join(f.GetSheetList(), ", ")))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fail(fmt.Errorf("sheet %q: %w", sheet, err))
	}
	defer rows.Close()
	t := &Table{File: file + "[" + sheet + "]", Encoding: "xlsx"}
	hr := m.headerRows()
	cells := 0
	for i := 0; rows.Next(); i++ {
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &ParseError{File: t.File, Row: i + 1, Err: err}
		}
		if cells += len(rec); cells > lim.MaxCells {
			return nil, &ParseError{File: t.File, Row: i + 1, Err: &LimitError{What: LimitCells, Limit: int64(lim.MaxCells)}}
		}
		for j, c := range rec {
			if len(c) > lim.MaxCellBytes {
				return nil, &ParseError{File: t.File, Row: i + 1, Column: t.columnName(j),
					Err: &LimitError{What: LimitCell, Limit: int64(lim.MaxCellBytes)}}
			}
		}
		if i < m.SkipRows {
			continue
		}
		if len(t.Header) < hr {
			h := make([]string, len(rec))
			for j, c := range rec {
				h[j] = strings.TrimSpace(c)
			}
			t.Header = append(t.Header, h)
			continue
		}
		if allEmpty(rec) {
			continue
		}
		t.Rows = append(t.Rows, rec)
		t.Line = append(t.Line, i+1)
		t.End = append(t.End, i+1)
		t.Lines++
	}
	if err := rows.Error(); err != nil {
		return nil, &ParseError{File: t.File, Err: fmt.Errorf("sheet %q: %w", sheet, err)}
	}
	if len(t.Header) < hr {
		return nil, &ParseError{File: t.File, Err: fmt.Errorf("the sheet has fewer than %d header rows", hr)}
	}
	return t, nil
}

func allEmpty(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
