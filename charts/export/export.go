// Package export writes tables for planners: XLSX workbooks (one sheet
// per table, frozen header row, number formats) and CSV in two flavours.
//
// A [Sheet] is a list of typed columns and rows of cells. A cell is a
// string, a float64 (NaN is an empty cell: missing is never 0), a [Fixed]
// (a float64 with decimals of its own), an int or nil (empty).
//
// CSV flavours:
//
//	Norwegian (Excel in a Norwegian locale): UTF-8 with a byte-order mark,
//	';' between fields, decimal comma, CRLF line ends:
//	    \ufeffregion;verdi\r\n4001;31,04\r\n
//	Plain (any program): UTF-8 without BOM, ',' and '.', LF line ends:
//	    region,verdi\n4001,31.04\n
//
// Numbers are written in full precision without thousands separators
// (shortest representation that reads back exactly), so that a
// spreadsheet parses them as numbers.
//
// Formula injection: a text cell whose first character is '=', '+', '-',
// '@', a tab or a carriage return would be taken as a formula by a
// spreadsheet; it is neutralised by a leading apostrophe (OWASP "CSV
// Injection"). Number cells are never changed: −4,2 stays a number.
package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Kind is the type of a column.
type Kind int

// Kinds.
const (
	Text    Kind = iota
	Number       // float64, shown with Decimals decimals in XLSX
	Integer      // int
)

// Column is one column of a sheet.
type Column struct {
	Name     string
	Kind     Kind
	Decimals int     // for Number: decimals in the XLSX number format
	Width    float64 // XLSX column width in characters; 0 = from the name
}

// Fixed is a number cell shown with its own decimals in XLSX instead of
// its column's, for a column whose rows hold different quantities (an
// indicator table: a share with one decimal beside a count with none).
// CSV writes Value as any float64, in full precision; NaN is an empty
// cell.
type Fixed struct {
	Value    float64
	Decimals int
}

// Sheet is one table.
type Sheet struct {
	Name    string // sheet name (XLSX: at most 31 characters, no []:*?/\)
	Columns []Column
	Rows    [][]any
}

// Dialect is a CSV flavour.
type Dialect int

// Dialects.
const (
	Norwegian Dialect = iota // BOM, ';', decimal comma, CRLF
	Plain                    // ',', '.', LF
)

// Neutralise returns s with a leading apostrophe when a spreadsheet would
// read it as a formula (first character '=', '+', '-', '@', tab or CR).
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// WriteCSV writes s as CSV in dialect d, header first (a [CSVWriter] fed
// with s's rows).
func WriteCSV(w io.Writer, s Sheet, d Dialect) error {
	cw, err := NewCSVWriter(w, s.Name, s.Columns, d)
	if err != nil {
		return err
	}
	row := make([]Cell, len(s.Columns))
	for r, cells := range s.Rows {
		if len(cells) != len(s.Columns) {
			return fmt.Errorf("export: csv %s: row %d: %d cells, want %d", s.Name, r+1, len(cells), len(s.Columns))
		}
		for i, v := range cells {
			c, err := CellOf(v)
			if err != nil {
				return fmt.Errorf("export: csv %s: row %d, column %s: %w", s.Name, r+1, s.Columns[i].Name, err)
			}
			row[i] = c
		}
		if err := cw.WriteRow(row); err != nil {
			return err
		}
	}
	return cw.Close()
}

// SheetName makes name a valid, unique Excel sheet name: forbidden
// characters become '-', at most 31 characters, and a numeric suffix when
// taken is already using it (case-insensitively).
func SheetName(name string, taken map[string]bool) string {
	r := strings.NewReplacer("[", "(", "]", ")", ":", "-", "*", "-", "?", "", "/", "-", "\\", "-")
	n := strings.Trim(r.Replace(name), "'")
	if n == "" {
		n = "Ark"
	}
	cut := func(s string, k int) string {
		rs := []rune(s)
		if len(rs) > k {
			rs = rs[:k]
		}
		return string(rs)
	}
	n = cut(n, 31)
	out := n
	for i := 2; taken[strings.ToLower(out)]; i++ {
		suf := " " + strconv.Itoa(i)
		out = cut(n, 31-len(suf)) + suf
	}
	if taken != nil {
		taken[strings.ToLower(out)] = true
	}
	return out
}

// WriteXLSX writes the sheets as one workbook: a bold, frozen header row,
// an autofilter over the table, column widths, number formats
// ("#,##0.0" style with each Number column's decimals; Excel shows them
// in the reader's locale, so a Norwegian Excel shows 12 345,6) and each
// sheet's used range in its <dimension> (a [Workbook] fed with the
// sheets' rows).
func WriteXLSX(w io.Writer, sheets []Sheet) (err error) {
	if len(sheets) == 0 {
		return fmt.Errorf("export: xlsx: no sheets")
	}
	wb, err := NewWorkbook()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := wb.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	for _, s := range sheets {
		if err := wb.WriteSheet(s); err != nil {
			return err
		}
	}
	_, err = wb.WriteTo(w)
	return err
}

// WriteSheet adds s to the workbook with all its rows (AddSheet with
// len(s.Rows), each row's values converted by [CellOf]).
func (wb *Workbook) WriteSheet(s Sheet) error {
	sw, err := wb.AddSheet(s.Name, s.Columns, len(s.Rows))
	if err != nil {
		return err
	}
	row := make([]Cell, len(s.Columns))
	for r, cells := range s.Rows {
		if len(cells) != len(s.Columns) {
			return fmt.Errorf("export: xlsx %s: row %d: %d cells, want %d", sw.Name(), r+1, len(cells), len(s.Columns))
		}
		for i, v := range cells {
			c, err := CellOf(v)
			if err != nil {
				return fmt.Errorf("export: xlsx %s: row %d, column %s: %w", sw.Name(), r+1, s.Columns[i].Name, err)
			}
			row[i] = c
		}
		if err := sw.WriteRow(row); err != nil {
			return err
		}
	}
	return nil
}
