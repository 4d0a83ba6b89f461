package tabular

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1 400", "20,4", "1.400,5", "-3", "1e3", "\u22121\u00a0000", ""} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, comma bool) {
		d := byte('.')
		if comma {
			d = ','
		}
		_, _ = ParseNumber(s, d)
	})
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2024", "2024M03", "2024K4", "2017-2023", "2020-21", "2024-03-01", "mars 2024", "45352", "4. kvartal 2024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, _, err := ParsePeriod(s, "")
		if err == nil {
			// A normalised code parses to itself.
			again, _, err2 := ParsePeriod(code, "")
			if err2 != nil || again != code {
				t.Fatalf("ParsePeriod(%q) = %q, which parses to %q, %v", s, code, again, err2)
			}
		}
	})
}

// FuzzParse feeds arbitrary bytes through the CSV reader and the builder
// with a mapping that uses most features; it must not panic.
func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile("testdata/sokere_hoyere_utdanning_vt.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("sep=;\nFylke;År;Antall\n40 Telemark;2024;1 400\n"))
	f.Add(utf16le("Fylke\tÅr\tAntall\r\n03 Oslo\t2024M03\t*\r\n"))
	m, err := ParseMapping([]byte(`{decimal: ",", region: {column: Fylke, code: prefix}, period: {column: År}, value: {column: Antall}, duplicates: sum}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Parse("fuzz.csv", data, m, Options{})
		if err == nil && len(ds.Values) != ds.Size() {
			t.Fatalf("len(Values) = %d, Size() = %d", len(ds.Values), ds.Size())
		}
	})
}

// FuzzReadCSV feeds arbitrary text to the strict CSV reader: it must not
// panic; a table it returns must keep the promises of ReadCSVFrom (cells
// within the limit, no row narrower than the header, lines ascending and
// at least one a row) and must read back the same after encoding/csv
// writes it out again.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"Fylke;År;Antall\n40 Telemark;2024;1\n",
		"a,b\n\"x, \"\"y\"\"\nz\",2\n\n3,4\n",
		"sep=|\na|b\n1|2\n",
		"a;b\n1;\"2\n3;4\n", // a quote never closed
		"a;b\n1;2\"3\n",     // a bare quote
		"\xEF\xBB\xBFa\tb\r\n1\t2\r\n",
		"a;b;c\n1;2\n", // a short row
	} {
		f.Add([]byte(s), 0)
	}
	f.Add(utf16le("a\tb\r\n1\t2\r\n"), 1)
	lim := Limits{MaxRowBytes: 1 << 10, MaxCellBytes: 64, MaxCells: 1 << 12}
	f.Fuzz(func(t *testing.T, data []byte, skip int) {
		m := &Mapping{SkipRows: skip & 3}
		tab, err := ReadCSVFrom("fuzz.csv", bytes.NewReader(data), m, lim)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ReadCSVFrom error %v (%T), want a *ParseError", err, err)
			}
			return
		}
		// Rows must fill every named header column (trailing empty
		// header cells do not count), of any header row.
		width := 0
		for _, h := range tab.Header {
			for i, c := range h {
				if c != "" {
					width = max(width, i+1)
				}
			}
		}
		prev := 0
		for i, r := range tab.Rows {
			if len(r) < width {
				t.Fatalf("row %d has %d cells, the header %d", tab.Line[i], len(r), width)
			}
			for _, c := range r {
				if len(c) > lim.MaxCellBytes {
					t.Fatalf("row %d: a cell of %d bytes passed the limit %d", tab.Line[i], len(c), lim.MaxCellBytes)
				}
			}
			if tab.Line[i] <= prev || tab.End[i] < tab.Line[i] {
				t.Fatalf("rows on lines %v to %v: not ascending", tab.Line, tab.End)
			}
			prev = tab.End[i]
		}
		if tab.Lines < len(tab.Rows) {
			t.Fatalf("Lines = %d < %d rows", tab.Lines, len(tab.Rows))
		}
		// Round trip: write the header and rows and read them back with
		// the delimiter and encoding given. A header that would read back
		// as a "sep=" line or a blank line is left out, and so is one whose
		// first cell starts with U+FEFF (" \ufeff" read with its space
		// trimmed): written at the start of a file it is a byte order mark.
		head := tab.Header[0]
		if len(head) == 1 && (head[0] == "" || strings.HasPrefix(head[0], "sep=")) || len(head) > 0 && strings.HasPrefix(head[0], "\ufeff") {
			return
		}
		sep, _ := utf8.DecodeRuneInString(tab.Delimiter)
		if sep == '"' || sep == '\r' || sep == '\n' || sep == utf8.RuneError || !utf8.ValidString(tab.Delimiter) {
			return
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Comma = sep
		w.Write(head)
		for _, r := range tab.Rows {
			w.Write(r)
		}
		w.Flush()
		if w.Error() != nil {
			return // a delimiter encoding/csv cannot write
		}
		delim := tab.Delimiter
		if sep == '\t' {
			delim = "tab"
		}
		if delim != ";" && delim != "," && delim != "|" && delim != "tab" {
			return // only these can be given in a mapping
		}
		again, err := ReadCSVFrom("again.csv", bytes.NewReader(buf.Bytes()), &Mapping{Encoding: "utf-8", Delimiter: delim}, Limits{})
		if err != nil {
			t.Fatalf("reading back %q: %v", buf.Bytes(), err)
		}
		if len(again.Rows) != len(tab.Rows) {
			t.Fatalf("read back %d rows, want %d", len(again.Rows), len(tab.Rows))
		}
		for i := range tab.Rows {
			if !slices.Equal(again.Rows[i], tab.Rows[i]) {
				t.Fatalf("row %d read back as %q, want %q", i, again.Rows[i], tab.Rows[i])
			}
		}
	})
}

// FuzzParseXLSX feeds arbitrary bytes as a workbook (seeded with the
// synthetic one of xlsx_test.go): Parse must not panic, and a dataset it
// returns must be consistent.
func FuzzParseXLSX(f *testing.F) {
	f.Add(writeXLSX(f))
	m, err := ParseMapping([]byte(`{format: xlsx, sheet: Ledighet, skip_rows: 1, decimal: ",", region: {column: Fylke, code: prefix}, period: {column: Måned}, value: {column: Antall}, duplicates: sum}`))
	if err != nil {
		f.Fatal(err)
	}
	lim := Limits{MaxBytes: 1 << 20, MaxUnzipBytes: 4 << 20, MaxCells: 1 << 14}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Parse("fuzz.xlsx", data, m, Options{Limits: lim})
		if err == nil && len(ds.Values) != ds.Size() {
			t.Fatalf("len(Values) = %d, Size() = %d", len(ds.Values), ds.Size())
		}
	})
}

// FuzzParseMapping feeds arbitrary YAML as a mapping: ParseMapping must
// not panic, and a mapping it accepts must build from a small file without
// panicking.
func FuzzParseMapping(f *testing.F) {
	f.Add([]byte(`{decimal: ",", region: {column: Fylke, code: prefix}, period: {column: År}, value: {column: Antall}}`))
	f.Add([]byte("header_rows: 0\ncolumns: [Fylke, År, Antall]\nregion: {column: Fylke}\nperiod: {column: År}\nvalue: {last: true}\n"))
	f.Add([]byte(`{region: {column: Fylke}, period: {column: År}, melt: {columns: '^\d{4}$', parts: [{dim: period, pattern: '^(\d{4})$'}]}}`))
	if files, err := builtin.ReadDir("mappings"); err == nil {
		for _, e := range files {
			if data, err := builtin.ReadFile("mappings/" + e.Name()); err == nil && strings.HasSuffix(e.Name(), ".yaml") {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, y []byte) {
		m, err := ParseMapping(y)
		if err != nil {
			return
		}
		_, _ = Parse("fuzz.csv", []byte("Fylke;År;Antall\n40 Telemark;2024;1\n"), m, Options{})
	})
}
