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
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
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

// cellText formats a cell for CSV in dialect d.
func cellText(v any, d Dialect) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return Neutralise(x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", nil
		}
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if d == Norwegian {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s, nil
	case Fixed:
		return cellText(x.Value, d)
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	}
	return "", fmt.Errorf("unsupported cell type %T", v)
}

// WriteCSV writes s as CSV in dialect d, header first.
func WriteCSV(w io.Writer, s Sheet, d Dialect) error {
	bw := bufio.NewWriter(w)
	if d == Norwegian {
		if _, err := bw.WriteString("\ufeff"); err != nil {
			return fmt.Errorf("export: csv %s: %w", s.Name, err)
		}
	}
	cw := csv.NewWriter(bw)
	if d == Norwegian {
		cw.Comma = ';'
		cw.UseCRLF = true
	}
	head := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		head[i] = Neutralise(c.Name)
	}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("export: csv %s: %w", s.Name, err)
	}
	rec := make([]string, len(s.Columns))
	for r, row := range s.Rows {
		if len(row) != len(s.Columns) {
			return fmt.Errorf("export: csv %s: row %d: %d cells, want %d", s.Name, r+1, len(row), len(s.Columns))
		}
		for i, v := range row {
			t, err := cellText(v, d)
			if err != nil {
				return fmt.Errorf("export: csv %s: row %d, column %s: %w", s.Name, r+1, s.Columns[i].Name, err)
			}
			rec[i] = t
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("export: csv %s: %w", s.Name, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: csv %s: %w", s.Name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: csv %s: %w", s.Name, err)
	}
	return nil
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
// an autofilter over the table, column widths, and number formats
// ("#,##0.0" style with each Number column's decimals; Excel shows them
// in the reader's locale, so a Norwegian Excel shows 12 345,6).
func WriteXLSX(w io.Writer, sheets []Sheet) (err error) {
	if len(sheets) == 0 {
		return fmt.Errorf("export: xlsx: no sheets")
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("export: xlsx: %w", cerr)
		}
	}()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E4E4E4"}}})
	if err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	numStyles := map[int]int{}
	numStyle := func(dec int) (int, error) {
		if id, ok := numStyles[dec]; ok {
			return id, nil
		}
		code := "#,##0"
		if dec > 0 {
			code += "." + strings.Repeat("0", dec)
		}
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		numStyles[dec] = id
		return id, err
	}
	intStyle, err := f.NewStyle(&excelize.Style{NumFmt: 1}) // "0"
	if err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	taken := map[string]bool{}
	for si, s := range sheets {
		name := SheetName(s.Name, taken)
		if si == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return fmt.Errorf("export: xlsx %s: %w", name, err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("export: xlsx %s: %w", name, err)
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return fmt.Errorf("export: xlsx %s: %w", name, err)
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return fmt.Errorf("export: xlsx %s: %w", name, err)
		}
		styles := make([]int, len(s.Columns))
		for i, c := range s.Columns {
			width := c.Width
			if width == 0 {
				width = math.Max(10, float64(len([]rune(c.Name)))+2)
			}
			if err := sw.SetColWidth(i+1, i+1, width); err != nil {
				return fmt.Errorf("export: xlsx %s: %w", name, err)
			}
			switch c.Kind {
			case Number:
				if styles[i], err = numStyle(c.Decimals); err != nil {
					return fmt.Errorf("export: xlsx %s: %w", name, err)
				}
			case Integer:
				styles[i] = intStyle
			}
		}
		head := make([]any, len(s.Columns))
		for i, c := range s.Columns {
			head[i] = excelize.Cell{StyleID: bold, Value: Neutralise(c.Name)}
		}
		if err := sw.SetRow("A1", head); err != nil {
			return fmt.Errorf("export: xlsx %s: %w", name, err)
		}
		row := make([]any, len(s.Columns))
		for r, cells := range s.Rows {
			if len(cells) != len(s.Columns) {
				return fmt.Errorf("export: xlsx %s: row %d: %d cells, want %d", name, r+1, len(cells), len(s.Columns))
			}
			for i, v := range cells {
				switch x := v.(type) {
				case nil:
					row[i] = nil
				case string:
					row[i] = Neutralise(x)
				case float64:
					if math.IsNaN(x) || math.IsInf(x, 0) {
						row[i] = nil
					} else {
						row[i] = excelize.Cell{StyleID: styles[i], Value: x}
					}
				case Fixed:
					if math.IsNaN(x.Value) || math.IsInf(x.Value, 0) {
						row[i] = nil
						break
					}
					style, err := numStyle(max(0, x.Decimals))
					if err != nil {
						return fmt.Errorf("export: xlsx %s: %w", name, err)
					}
					row[i] = excelize.Cell{StyleID: style, Value: x.Value}
				case int:
					row[i] = excelize.Cell{StyleID: styles[i], Value: x}
				case int64:
					row[i] = excelize.Cell{StyleID: styles[i], Value: x}
				default:
					return fmt.Errorf("export: xlsx %s: row %d, column %s: unsupported cell type %T", name, r+1, s.Columns[i].Name, v)
				}
			}
			cell, err := excelize.CoordinatesToCellName(1, r+2)
			if err != nil {
				return fmt.Errorf("export: xlsx %s: %w", name, err)
			}
			if err := sw.SetRow(cell, row); err != nil {
				return fmt.Errorf("export: xlsx %s: %w", name, err)
			}
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("export: xlsx %s: %w", name, err)
		}
		if len(s.Columns) > 0 {
			last, _ := excelize.CoordinatesToCellName(len(s.Columns), len(s.Rows)+1)
			if err := f.AutoFilter(name, "A1:"+last, nil); err != nil {
				return fmt.Errorf("export: xlsx %s: %w", name, err)
			}
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	return nil
}
