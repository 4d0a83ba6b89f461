package export

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sheetDimension returns the <dimension> of the sheet named name in the
// workbook b.
func sheetDimension(t *testing.T, b []byte, name string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	idx, err := f.GetSheetIndex(name)
	if err != nil || idx < 0 {
		t.Fatalf("no sheet %s: %v", name, err)
	}
	dim, err := f.GetSheetDimension(name)
	if err != nil {
		t.Fatal(err)
	}
	return dim
}

// TestSheetDimension: a sheet's <dimension> is its used range, header
// included: synthSheet has 5 columns (A-E) and 5 rows under the header,
// so A1:E6; a sheet with no rows A1:E1. Before streaming rows, excelize's
// stream writer left it at "A1" whatever the sheet held.
func TestSheetDimension(t *testing.T) {
	empty := synthSheet()
	empty.Name, empty.Rows = "Tom", nil
	var b bytes.Buffer
	if err := WriteXLSX(&b, []Sheet{synthSheet(), empty}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"Utdanning": "A1:E6", "Tom": "A1:E1"} {
		if got := sheetDimension(t, b.Bytes(), name); got != want {
			t.Errorf("GetSheetDimension(%s) = %q, want %q", name, got, want)
		}
	}
	// The autofilter is in the sheet itself (before, only the workbook's
	// hidden filter name was written).
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Contains(x, []byte(`<autoFilter ref="$A$1:$E$6">`)) {
			t.Errorf("sheet1.xml has no <autoFilter ref=\"$A$1:$E$6\"> (excelize's form of the range): ...%s", x[max(0, len(x)-300):])
		}
	}
}

// TestWorkbookRowCount: a sheet that gets fewer or more rows than it
// announced is refused, so its <dimension> cannot be wrong; rows < 0
// writes no <dimension>.
func TestWorkbookRowCount(t *testing.T) {
	cols := []Column{{Name: "a", Kind: Text}}
	for _, tt := range []struct {
		announce, write int
		ok              bool
		dim             string
	}{{2, 2, true, "A1:A3"}, {2, 1, false, ""}, {1, 2, false, ""}, {-1, 3, true, ""}} {
		wb, err := NewWorkbook()
		if err != nil {
			t.Fatal(err)
		}
		sw, err := wb.AddSheet("Ark", cols, tt.announce)
		if err != nil {
			t.Fatal(err)
		}
		for range tt.write {
			if err := sw.WriteRow([]Cell{TextCell("x")}); err != nil {
				t.Fatal(err)
			}
		}
		var b bytes.Buffer
		_, err = wb.WriteTo(&b)
		_ = wb.Close()
		if (err == nil) != tt.ok {
			t.Errorf("announce %d, write %d: WriteTo error = %v, want ok = %v", tt.announce, tt.write, err, tt.ok)
			continue
		}
		if tt.ok {
			if got := sheetDimension(t, b.Bytes(), "Ark"); got != tt.dim {
				t.Errorf("announce %d: dimension = %q, want %q", tt.announce, got, tt.dim)
			}
		}
	}
}

// TestCSVWriterCells: streamed cells give the texts WriteCSV gives for the
// same values (the Sheet path goes through CellOf), in both dialects;
// NaN and Inf are empty, a formula-like text is neutralised, a negative
// number is not.
func TestCSVWriterCells(t *testing.T) {
	cols := []Column{{Name: "t", Kind: Text}, {Name: "x", Kind: Number}, {Name: "f", Kind: Number}, {Name: "n", Kind: Integer}, {Name: "e", Kind: Text}}
	rows := [][]Cell{
		{TextCell("=1+2"), NumberCell(-4.25), FixedCell(31.04, 1), IntCell(-7), EmptyCell()},
		{TextCell("a;b\"c"), NumberCell(math.NaN()), FixedCell(math.Inf(1), 1), IntCell(0), TextCell("")},
	}
	for _, tt := range []struct {
		d    Dialect
		want string
	}{
		{Plain, "t,x,f,n,e\n'=1+2,-4.25,31.04,-7,\n\"a;b\"\"c\",,,0,\n"},
		{Norwegian, "\ufefft;x;f;n;e\r\n'=1+2;-4,25;31,04;-7;\r\n\"a;b\"\"c\";;;0;\r\n"},
	} {
		var b strings.Builder
		cw, err := NewCSVWriter(&b, "t", cols, tt.d)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := cw.WriteRow(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := cw.Close(); err != nil {
			t.Fatal(err)
		}
		if b.String() != tt.want {
			t.Errorf("CSVWriter(dialect %d) = %q, want %q", tt.d, b.String(), tt.want)
		}
	}
	var b strings.Builder
	cw, _ := NewCSVWriter(&b, "t", cols, Plain)
	if err := cw.WriteRow(rows[0][:2]); err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Errorf("WriteRow(short row) = %v, want an error naming row 1", err)
	}
}

// writeLog records the size of every Write.
type writeLog struct {
	bytes.Buffer
	writes []int
}

func (l *writeLog) Write(p []byte) (int, error) {
	l.writes = append(l.writes, len(p))
	return l.Buffer.Write(p)
}

// TestWorkbookWrittenThrough: WriteTo writes the workbook to its writer
// as it is zipped, not as one buffer of the whole file at the end
// (excelize's WriteTo: the largest write was the whole file); the count
// it returns is the bytes written, and the file reads back with its
// cells. 20,000 rows of two columns, SYNTHETIC values.
func TestWorkbookWrittenThrough(t *testing.T) {
	wb, err := NewWorkbook()
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	const rows = 20000
	sw, err := wb.AddSheet("Ark", []Column{{Name: "kode", Kind: Text}, {Name: "verdi", Kind: Number, Decimals: 1}}, rows)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if err := sw.WriteRow([]Cell{TextCell("k" + strings.Repeat("x", i%7)), NumberCell(float64(i) / 10)}); err != nil {
			t.Fatal(err)
		}
	}
	var l writeLog
	n, err := wb.WriteTo(&l)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(l.Len()) {
		t.Errorf("WriteTo says %d bytes, wrote %d", n, l.Len())
	}
	largest := 0
	for _, w := range l.writes {
		largest = max(largest, w)
	}
	if len(l.writes) < 2 || largest*2 > l.Len() {
		t.Errorf("%d writes, the largest %d of %d bytes: the file was buffered whole", len(l.writes), largest, l.Len())
	}
	f, err := excelize.OpenReader(bytes.NewReader(l.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The last row: i = 19999 → "k" + 19999%7 = 0 x's, 1999.9.
	if v, err := f.GetCellValue("Ark", "B20001", excelize.Options{RawCellValue: true}); err != nil || v != "1999.9" {
		t.Errorf("B20001 = %q, %v; want 1999.9", v, err)
	}
	if v, _ := f.GetCellValue("Ark", "A20001"); v != "k" {
		t.Errorf("A20001 = %q, want k", v)
	}
}
