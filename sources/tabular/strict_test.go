package tabular

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/csv"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/charmap"
)

// The CSV files in these tests are synthetic; the counts are made up.
const strictMapping = `{region: {column: Fylke, code: prefix}, period: {column: År}, value: {column: Antall}}`

func TestStrictCSV(t *testing.T) {
	tests := []struct {
		name, csv string
		row, pos  int
		column    string
		target    any   // what errors.As must find
		is        error // what errors.Is must find, or nil
		msg       string
	}{
		// A stray quote in the middle of a field on line 4: byte 11 of
		// `50 Trønde"lag` ("ø" is 2 bytes).
		{"bare quote", "Fylke;År;Antall\n40 Telemark;2024;1\n03 Oslo;2024;2\n50 Trønde\"lag;2024;3\n42 Agder;2024;4\n",
			4, 11, "", new(*QuoteError), csv.ErrBareQuote, `tabular: f.csv: row 4, position 11: a quote (")`},
		// A quote opening a field on line 4 and another on line 6: lazily
		// read, lines 4 to 6 became one cell and the file lost two rows.
		// The closing quote is byte 8 of `46 Vest"land`.
		{"quote spans rows", "Fylke;År;Antall\n40 Telemark;2024;1\n03 Oslo;2024;2\n\"50 Trøndelag;2024;3\n42 Agder;2024;4\n46 Vest\"land;2024;5\n",
			6, 8, "", new(*QuoteError), csv.ErrQuote, `tabular: f.csv: row 6, position 8: the quoted field that starts in row 4 is not closed`},
		// Too few cells: a delimiter is missing on line 3.
		{"short row", "Fylke;År;Antall\n40 Telemark;2024;1\n03 Oslo;2024\n",
			3, 0, "", new(*WidthError), nil, `tabular: f.csv: row 3: the row has 2 cells, the header 3`},
		// A value past the last column would be dropped.
		{"extra cell", "Fylke;År;Antall\n40 Telemark;2024;1;7\n",
			2, 0, "#4", new(*WidthError), nil, `tabular: f.csv: row 2: column "#4": the row has 4 cells, the header 3, and a value past`},
		// A cell of 200 000 bytes is past DefaultMaxCellBytes (131 068).
		{"long cell", "Fylke;År;Antall\n40 Telemark;2024;" + strings.Repeat("1", 200000) + "\n",
			2, 0, "Antall", new(*LimitError), nil, `tabular: f.csv: row 2: column "Antall": the cell is longer than the limit of 131068 bytes`},
	}
	m := mustMapping(t, strictMapping)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.csv", []byte(tc.csv), m, Options{})
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error = %v, want a *ParseError", err)
			}
			if pe.Row != tc.row || pe.Pos != tc.pos || pe.Column != tc.column {
				t.Errorf("Parse error at row %d position %d column %q, want %d %d %q", pe.Row, pe.Pos, pe.Column, tc.row, tc.pos, tc.column)
			}
			if !errors.As(err, tc.target) {
				t.Errorf("Parse error = %v (%T), want a %T", err, pe.Err, tc.target)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("Parse error = %v, want errors.Is %v", err, tc.is)
			}
			if !strings.HasPrefix(err.Error(), tc.msg) {
				t.Errorf("Parse error = %q, want prefix %q", err, tc.msg)
			}
		})
	}
}

// TestStrictCSVAccepts checks what strictness must keep: quoted fields with
// delimiters, "" and line breaks, trailing empty cells, empty lines, and
// the encodings of the package doc, also when the first non-ASCII byte
// comes after the first 64 KiB chunk of encoding detection.
func TestStrictCSVAccepts(t *testing.T) {
	pad := strings.Repeat("03 Oslo;2024;1\n", 5000) // 75 000 bytes of ASCII
	win := func(s string) []byte {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// A UTF-8 "ø" (2 bytes) placed across the 65 536-byte chunk boundary
	// of detectStream: a filler row makes "50 Tr" end at byte 65 535.
	head := "Fylke;År;Antall\n" + strings.Repeat("03 Oslo;2024;1\n", 4360)
	filler := "03 Oslo;2024;" + strings.Repeat("1", 65535-len("50 Tr")-len(head)-len("03 Oslo;2024;\n")) + "\n"
	cut := head + filler + "50 Trøndelag;2024;3\n"
	if i := strings.Index(cut, "ø"); i != 65535 {
		t.Fatalf("ø at byte %d, want 65535", i)
	}
	tests := []struct {
		name     string
		data     []byte
		enc      string
		rows     int
		lastCell string
	}{
		{"quoted", []byte("Fylke;År;Antall;Merknad\n40 Telemark;2024;1;\"a; \"\"b\"\"\nc\"\n\n03 Oslo;2024;2;;\n"), "utf-8", 2, ""},
		{"bom", []byte("\xEF\xBB\xBFFylke;År;Antall\n40 Telemark;2024;1\n"), "utf-8", 1, "1"},
		{"windows-1252 late", append(win("Fylke;År;Antall\n"+pad), win("50 Trøndelag;2024;3\n")...), "windows-1252", 5001, "3"},
		{"utf-8 across chunks", []byte(cut), "utf-8", 4362, "3"},
		{"utf-16le", utf16le("\uFEFFFylke\tÅr\tAntall\r\n50 Trøndelag\t2024\t3\r\n"), "utf-16le", 1, "3"},
		{"sep line", []byte("sep=,\r\nFylke,År,Antall\r\n50 Trøndelag,2024,3\r\n"), "utf-8", 1, "3"},
		// A delimiter ending the header adds no column rows must fill.
		{"header ends in delimiter", []byte("Fylke;År;Antall;\n50 Trøndelag;2024;3\n"), "utf-8", 1, "3"},
		// Lines longer than the 64 KiB buffers (cells of 100 000 bytes,
		// under the cell limit) with "ø" throughout.
		{"long lines", []byte("Fylke;Merknad\n50;" + strings.Repeat("ø", 50000) + "\n40;" + strings.Repeat("xø", 33333) + "\n"), "utf-8", 2, strings.Repeat("xø", 33333)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := ReadCSV("f.csv", tc.data, &Mapping{})
			if err != nil {
				t.Fatal(err)
			}
			if tab.Encoding != tc.enc || len(tab.Rows) != tc.rows {
				t.Fatalf("ReadCSV: encoding %q, %d rows, want %q, %d", tab.Encoding, len(tab.Rows), tc.enc, tc.rows)
			}
			last := tab.Rows[len(tab.Rows)-1]
			if got := last[len(last)-1]; got != tc.lastCell {
				t.Errorf("last cell %q, want %q", got, tc.lastCell)
			}
		})
	}
	// The long lines again with the encoding given (no detection pass):
	// the validating reader must cope with any read size.
	long := tests[len(tests)-1]
	if tab, err := ReadCSV("f.csv", long.data, &Mapping{Encoding: "utf-8"}); err != nil {
		t.Errorf("ReadCSV(long lines, utf-8) = %v", err)
	} else if len(tab.Rows) != 2 || tab.Rows[1][1] != long.lastCell {
		t.Errorf("ReadCSV(long lines, utf-8) = %d rows, want 2 with the cells intact", len(tab.Rows))
	}
	// The quoted cell keeps its delimiter, quotes and line break.
	tab, err := ReadCSV("f.csv", tests[0].data, &Mapping{})
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Rows[0][3]; got != "a; \"b\"\nc" {
		t.Errorf("quoted cell %q, want %q", got, "a; \"b\"\nc")
	}
	if tab.Line[1] != 5 || tab.End[0] != 3 || tab.End[1] != 5 || tab.Lines != 3 {
		t.Errorf("rows on lines %v to %v (%d lines), want [2 5] to [3 5], 3 (the quoted cell spans lines 2-3, line 4 is empty)", tab.Line, tab.End, tab.Lines)
	}
	// An explicit UTF-8 file with a windows-1252 byte on line 3.
	_, err = ReadCSV("f.csv", append([]byte("Fylke;År;Antall\n03 Oslo;2024;1\n"), win("50 Trøndelag;2024;3\n")...), &Mapping{Encoding: "utf-8"})
	var ee *EncodingError
	if !errors.As(err, &ee) || ee.Line != 3 {
		t.Errorf("ReadCSV(invalid UTF-8 on line 3) = %v, want an *EncodingError on line 3", err)
	}
}

// genReader yields prefix, then n bytes of fill, then suffix, without
// holding them; Seek(0, io.SeekStart) starts over.
type genReader struct {
	prefix, suffix string
	fill           byte
	n, off         int64
}

func (g *genReader) Read(p []byte) (int, error) {
	total := int64(len(g.prefix)) + g.n + int64(len(g.suffix))
	if g.off >= total {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && g.off < total {
		switch {
		case g.off < int64(len(g.prefix)):
			c := copy(p[k:], g.prefix[g.off:])
			k += c
			g.off += int64(c)
		case g.off < int64(len(g.prefix))+g.n:
			c := int(min(int64(len(p)-k), int64(len(g.prefix))+g.n-g.off))
			for i := range c {
				p[k+i] = g.fill
			}
			k += c
			g.off += int64(c)
		default:
			c := copy(p[k:], g.suffix[g.off-int64(len(g.prefix))-g.n:])
			k += c
			g.off += int64(c)
		}
	}
	return k, nil
}

func (g *genReader) Seek(offset int64, whence int) (int64, error) {
	if offset != 0 || whence != io.SeekStart {
		return 0, errors.New("genReader: only Seek(0, io.SeekStart)")
	}
	g.off = 0
	return 0, nil
}

// allocs runs f under a soft memory limit of 256 MiB and returns how many
// bytes it allocated in total and the heap in use after it.
func allocs(t *testing.T, f func()) (total, heap uint64) {
	t.Helper()
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(256 << 20))
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, after.HeapAlloc
}

// TestCSVMemory reads files with one huge cell: they must be refused with
// a *LimitError after allocating a few MB, not the 10-21 GB once measured.
func TestCSVMemory(t *testing.T) {
	const header = "Fylke;År;Antall;Merknad\n40 Telemark;2024;1;"
	tests := []struct {
		name string
		enc  string
		n    int64
		what string
	}{
		// Read once (encoding given): the row limit (4 MiB) stops it.
		{"1 GiB cell, utf-8", "utf-8", 1 << 30, LimitRow},
		// Encoding detection reads the stream first: the size limit
		// (128 MiB) stops it, reading in 64 KiB chunks.
		{"1 GiB cell, auto", "auto", 1 << 30, LimitFile},
		// Within the size limit, the row limit stops it.
		{"100 MiB cell, auto", "auto", 100 << 20, LimitRow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustMapping(t, `{encoding: `+tc.enc+`, region: {column: Fylke, code: prefix}, period: {column: År}, value: {column: Antall}}`)
			var err error
			total, heap := allocs(t, func() {
				_, err = ReadCSVFrom("stor.csv", &genReader{prefix: header, fill: 'x', n: tc.n, suffix: "\n"}, m, Limits{})
			})
			var le *LimitError
			if !errors.As(err, &le) || le.What != tc.what {
				t.Errorf("ReadCSVFrom = %v, want a *LimitError %q", err, tc.what)
			}
			// 64 MiB: the 4 MiB row limit, with encoding/csv's doubling
			// buffers, is well under it; the old reader allocated ~40 times
			// the cell.
			if total > 64<<20 || heap > 128<<20 {
				t.Errorf("ReadCSVFrom allocated %d MiB, heap %d MiB, want at most 64 and 128", total>>20, heap>>20)
			}
		})
	}
	// The same through ParseFile on a real file with a 16 MiB cell in a
	// column the mapping does not read (the old reader accepted it).
	path := filepath.Join(t.TempDir(), "stor.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, &genReader{prefix: header, fill: 'x', n: 16 << 20, suffix: "\n"}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	total, _ := allocs(t, func() { _, err = ParseFile(path, mustMapping(t, strictMapping), Options{}) })
	var le *LimitError
	if !errors.As(err, &le) || le.What != LimitRow {
		t.Errorf("ParseFile(16 MiB cell) = %v, want a *LimitError %q", err, LimitRow)
	}
	if total > 64<<20 {
		t.Errorf("ParseFile(16 MiB cell) allocated %d MiB, want at most 64", total>>20)
	}
	// A file over Limits.MaxBytes is refused from its size alone.
	total, _ = allocs(t, func() {
		_, err = ParseFile(path, mustMapping(t, strictMapping), Options{Limits: Limits{MaxBytes: 1 << 20}})
	})
	if !errors.As(err, &le) || le.What != LimitFile || total > 1<<20 {
		t.Errorf("ParseFile(17 MiB file, limit 1 MiB) = %v after %d bytes, want a *LimitError %q", err, total, LimitFile)
	}
}

// zipBomb builds an XLSX-shaped zip whose styles part unpacks to n bytes
// (n a multiple of 1 MiB) from about n/500 bytes: one 1 MiB block of
// deflate output repeated (each block only refers back within itself).
// excelize reads such a part whole into memory (worksheets and shared
// strings over 16 MiB go to temporary files instead).
func zipBomb(t *testing.T, n int64) []byte {
	t.Helper()
	block := bytes.Repeat([]byte("<c><v>0</v></c>"), (1<<20)/15+1)[:1<<20]
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(block)
	fw.Flush() // a byte-aligned, non-final end: the blocks can be repeated
	crc := uint32(0)
	for range n >> 20 {
		crc = crc32.Update(crc, crc32.IEEETable, block)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/styles.xml", Method: zip.Deflate,
		CRC32: crc, CompressedSize64: uint64(comp.Len())*uint64(n>>20) + 2, UncompressedSize64: uint64(n)})
	if err != nil {
		t.Fatal(err)
	}
	for range n >> 20 {
		w.Write(comp.Bytes())
	}
	w.Write([]byte{0x03, 0x00}) // an empty final block
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestXLSXBomb opens a 4 MB workbook that unpacks to 2 GiB (once 4.2 GB
// of memory before failing): it is refused from the zip directory.
func TestXLSXBomb(t *testing.T) {
	bomb := zipBomb(t, 2<<30)
	// Deflate packs at most ~1:1032; this content about 1:500.
	if len(bomb) > 8<<20 {
		t.Fatalf("bomb is %d bytes, want a few MB", len(bomb))
	}
	// The bomb is sound: its part inflates (the first 8 MiB checked).
	zr, err := zip.NewReader(bytes.NewReader(bomb), int64(len(bomb)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	if n, err := io.CopyN(io.Discard, rc, 8<<20); n != 8<<20 || err != nil {
		t.Fatalf("inflating the bomb: %d bytes, %v", n, err)
	}
	rc.Close()
	m := mustMapping(t, `{format: xlsx, region: {column: Fylke}, period: {column: År}, value: {column: Antall}}`)
	var perr error
	total, heap := allocs(t, func() { _, perr = Parse("bombe.xlsx", bomb, m, Options{}) })
	var le *LimitError
	if !errors.As(perr, &le) || le.What != LimitUnzip {
		t.Errorf("Parse(bomb) = %v, want a *LimitError %q", perr, LimitUnzip)
	}
	// The bomb itself is ~4 MB; reading it once more (io.ReadAll
	// doubling) stays under 24 MiB.
	if total > 24<<20 || heap > 64<<20 {
		t.Errorf("Parse(bomb) allocated %d MiB, heap %d MiB, want at most 24 and 64", total>>20, heap>>20)
	}
}

// TestXLSXLimits reads the synthetic workbook within tight cell limits.
func TestXLSXLimits(t *testing.T) {
	data := writeXLSX(t)
	m := mustMapping(t, `{format: xlsx, sheet: Ledighet, skip_rows: 1, region: {column: Fylke, code: prefix}, period: {column: Måned}, value: {column: Antall}}`)
	// The sheet has 1 + 4 + 4*3 + 4 = 21 cells in rows 1-7 (row 6 empty).
	var le *LimitError
	if _, err := Parse("syntetisk.xlsx", data, m, Options{Limits: Limits{MaxCells: 20}}); !errors.As(err, &le) || le.What != LimitCells {
		t.Errorf("Parse(MaxCells 20) = %v, want a *LimitError %q", err, LimitCells)
	}
	if _, err := Parse("syntetisk.xlsx", data, m, Options{Limits: Limits{MaxCells: 21}}); err != nil {
		t.Errorf("Parse(MaxCells 21) = %v, want nil", err)
	}
	// "Registrerte helt ledige (syntetisk)" is 35 bytes.
	var pe *ParseError
	if _, err := Parse("syntetisk.xlsx", data, m, Options{Limits: Limits{MaxCellBytes: 34}}); !errors.As(err, &pe) || pe.Row != 1 || !errors.As(err, &le) || le.What != LimitCell {
		t.Errorf("Parse(MaxCellBytes 34) = %v, want a *LimitError %q on row 1", err, LimitCell)
	}
	if _, err := Parse("syntetisk.xlsx", data, m, Options{Limits: Limits{MaxBytes: int64(len(data)) - 1}}); !errors.As(err, &le) || le.What != LimitFile {
		t.Errorf("Parse(MaxBytes len-1) = %v, want a *LimitError %q", err, LimitFile)
	}
}

// TestUTF8Reader checks the validating reader with iotest: reads of any
// size (1 byte too, which bufio asks for when its buffer is nearly full)
// give the text back, sequences split between the reads underneath
// included, and an invalid byte is an *EncodingError naming its line.
func TestUTF8Reader(t *testing.T) {
	text := strings.Repeat("Trøndelag 🚀;\n", 5000) // 4-byte and 2-byte sequences
	for name, under := range map[string]io.Reader{
		"whole":    strings.NewReader(text),
		"one byte": iotest.OneByteReader(strings.NewReader(text)),
		"half":     iotest.HalfReader(strings.NewReader(text)),
	} {
		if err := iotest.TestReader(&utf8Reader{r: under, line: 1}, []byte(text)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	got, err := io.ReadAll(iotest.OneByteReader(&utf8Reader{r: strings.NewReader("a\nø\nb\xF8c\n"), line: 1}))
	var ee *EncodingError
	if !errors.As(err, &ee) || ee.Line != 3 || string(got) != "a\nø\nb" {
		t.Errorf("utf8Reader(invalid byte on line 3) = %q, %v; want \"a\\nø\\nb\" and an *EncodingError on line 3", got, err)
	}
	// A sequence cut by the end of the input is invalid too.
	if _, err := io.ReadAll(&utf8Reader{r: strings.NewReader("a\xC3"), line: 1}); !errors.As(err, &ee) || ee.Line != 1 {
		t.Errorf("utf8Reader(cut sequence) = %v, want an *EncodingError on line 1", err)
	}
}
