package tabular

import (
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
	Err    error
}

// Error formats as `tabular: FILE: row N: column "C": message`.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("tabular: ")
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Row > 0 {
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
		data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
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
	return strings.TrimPrefix(string(out), "\uFEFF"), enc, nil
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
// skip_rows and header_rows. A first line "sep=X" sets the delimiter and is
// dropped. Rows whose cells are all empty are dropped. Cells keep their
// inner spaces; header cells are trimmed.
func ReadCSV(file string, data []byte, m *Mapping) (*Table, error) {
	text, enc, err := DecodeText(data, m.Encoding)
	if err != nil {
		return nil, &ParseError{File: file, Err: err}
	}
	t := &Table{File: file, Encoding: enc}
	lineOffset := 0
	var sep rune
	if first, rest, ok := strings.Cut(text, "\n"); ok || strings.HasPrefix(text, "sep=") {
		f := strings.TrimRight(first, "\r")
		if v, ok2 := strings.CutPrefix(f, "sep="); ok2 && utf8.RuneCountInString(v) == 1 {
			sep, _ = utf8.DecodeRuneInString(v)
			text = rest
			lineOffset = 1
		}
	}
	// Skip lines before the header.
	for i := 0; i < m.SkipRows; i++ {
		_, rest, ok := strings.Cut(text, "\n")
		if !ok {
			text = ""
			break
		}
		text = rest
		lineOffset++
	}
	switch m.Delimiter {
	case ";", ",", "|":
		sep = rune(m.Delimiter[0])
	case "\t", "tab":
		sep = '\t'
	case "", "auto":
		if sep == 0 {
			first, _, _ := strings.Cut(text, "\n")
			sep = DetectDelimiter(first)
		}
	}
	t.Delimiter = string(sep)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	hr := m.headerRows()
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ParseError{File: file, Row: pe.Line + lineOffset, Err: pe.Err}
			}
			return nil, &ParseError{File: file, Err: err}
		}
		line, _ := r.FieldPos(0)
		line += lineOffset
		if len(t.Header) < hr {
			h := make([]string, len(rec))
			for i, c := range rec {
				h[i] = strings.TrimSpace(c)
			}
			t.Header = append(t.Header, h)
			continue
		}
		if allEmpty(rec) {
			continue
		}
		t.Rows = append(t.Rows, rec)
		t.Line = append(t.Line, line)
	}
	if len(t.Header) < hr {
		return nil, &ParseError{File: file, Err: fmt.Errorf("the file has fewer than %d header lines", hr)}
	}
	return t, nil
}

// ReadXLSX reads one sheet of an XLSX workbook (sheet "" means the first)
// with excelize. Numeric cells are read as their raw values (no number
// format applied, so "1400" rather than "1 400" and dates as serial
// numbers, which ParsePeriod accepts). skip_rows and header_rows apply as
// for CSV; empty rows are dropped.
func ReadXLSX(file string, r io.Reader, m *Mapping) (*Table, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, &ParseError{File: file, Err: fmt.Errorf("open xlsx: %w", err)}
	}
	defer f.Close()
	sheet := m.Sheet
	if sheet == "" {
		list := f.GetSheetList()
		if len(list) == 0 {
			return nil, &ParseError{File: file, Err: errors.New("the workbook has no sheets")}
		}
		sheet = list[0]
	} else if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		return nil, &ParseError{File: file, Err: fmt.Errorf("no sheet %q (sheets: %s)", sheet, strings.Join(f.GetSheetList(), ", "))}
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, &ParseError{File: file, Err: fmt.Errorf("sheet %q: %w", sheet, err)}
	}
	t := &Table{File: file + "[" + sheet + "]", Encoding: "xlsx"}
	hr := m.headerRows()
	for i, rec := range rows {
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
