package export

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// synthSheet is a SYNTHETIC table: made-up values with a negative number,
// a missing value and texts that look like formulas.
func synthSheet() Sheet {
	return Sheet{
		Name: "Utdanning",
		Columns: []Column{
			{Name: "region", Kind: Text},
			{Name: "regionnavn", Kind: Text},
			{Name: "verdi", Kind: Number, Decimals: 1},
			{Name: "avvik", Kind: Number, Decimals: 1},
			{Name: "rang", Kind: Integer},
		},
		Rows: [][]any{
			{"4001", "Porsgrunn", 31.04, -4.2, 12},
			{"4003", "=HYPERLINK(\"http://x\")", math.NaN(), nil, nil},
			{"4005", "@SUM(A1)", 12345.5, 0.0, 3},
			{"4010", "-2+3", 1.0, 2.5, 1},
			{"4012", "+47 Bamble", 2.0, 1.0, 2},
		},
	}
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+2", "'=1+2"}, {"+47", "'+47"}, {"-2", "'-2"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"}, {"\rx", "'\rx"}, {"Porsgrunn", "Porsgrunn"}, {"", ""}, {"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	tests := []struct {
		d    Dialect
		want string
	}{
		{Norwegian, "\ufeffregion;regionnavn;verdi;avvik;rang\r\n" +
			"4001;Porsgrunn;31,04;-4,2;12\r\n" +
			"4003;\"'=HYPERLINK(\"\"http://x\"\")\";;;\r\n" +
			"4005;'@SUM(A1);12345,5;0;3\r\n" +
			"4010;'-2+3;1;2,5;1\r\n" +
			"4012;'+47 Bamble;2;1;2\r\n"},
		{Plain, "region,regionnavn,verdi,avvik,rang\n" +
			"4001,Porsgrunn,31.04,-4.2,12\n" +
			"4003,\"'=HYPERLINK(\"\"http://x\"\")\",,,\n" +
			"4005,'@SUM(A1),12345.5,0,3\n" +
			"4010,'-2+3,1,2.5,1\n" +
			"4012,'+47 Bamble,2,1,2\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := WriteCSV(&b, synthSheet(), tt.d); err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != tt.want {
			t.Errorf("WriteCSV(dialect %d) =\n%q\nwant\n%q", tt.d, got, tt.want)
		}
	}
	bad := synthSheet()
	bad.Rows = append(bad.Rows, []any{"x"})
	if err := WriteCSV(&bytes.Buffer{}, bad, Plain); err == nil || !strings.Contains(err.Error(), "row 6") {
		t.Errorf("WriteCSV(short row) error = %v, want one naming row 6", err)
	}
}

func TestSheetName(t *testing.T) {
	taken := map[string]bool{}
	tests := []struct{ in, want string }{
		{"Utdanning", "Utdanning"},
		{"utdanning", "utdanning 2"},
		{"Arbeid/sysselsetting: [alle]?", "Arbeid-sysselsetting- (alle)"},
		{strings.Repeat("x", 40), strings.Repeat("x", 31)},
		{strings.Repeat("x", 40), strings.Repeat("x", 29) + " 2"},
	}
	for _, tt := range tests {
		if got := SheetName(tt.in, taken); got != tt.want {
			t.Errorf("SheetName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWriteXLSX reads the workbook back with excelize: sheet names, the
// frozen header, typed numbers, empty missing cells, neutralised text and
// the number format.
func TestWriteXLSX(t *testing.T) {
	second := synthSheet()
	second.Name = "Næring"
	var b bytes.Buffer
	if err := WriteXLSX(&b, []Sheet{synthSheet(), second}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Utdanning,Næring" {
		t.Errorf("sheets = %s, want Utdanning,Næring", got)
	}
	panes, err := f.GetPanes("Utdanning")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("GetPanes() = %+v, want a frozen first row", panes)
	}
	checks := map[string]string{"A1": "region", "C2": "31.04", "D2": "-4.2", "E2": "12", "B3": "'=HYPERLINK(\"http://x\")", "C3": "", "B4": "'@SUM(A1)", "C4": "12345.5"}
	for cell, want := range checks {
		got, err := f.GetCellValue("Utdanning", cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("cell %s = %q, want %q", cell, got, want)
		}
	}
	typ, err := f.GetCellType("Utdanning", "C2")
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("C2 type = %v, want a number", typ)
	}
	// Formatted value: one decimal, thousands grouped (en-US default of excelize).
	if got, _ := f.GetCellValue("Utdanning", "C4"); got != "12,345.5" {
		t.Errorf("formatted C4 = %q, want 12,345.5 (number format #,##0.0)", got)
	}
	if err := WriteXLSX(&bytes.Buffer{}, nil); err == nil {
		t.Error("WriteXLSX(no sheets) error = nil, want an error")
	}
}

func TestWriteXLSXDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteXLSX(&a, []Sheet{synthSheet()}); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(&b, []Sheet{synthSheet()}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("WriteXLSX gives different bytes for equal input")
	}
}

// TestFixedCells: a Fixed cell is shown with its own decimals in XLSX
// (SYNTHETIC values: 31.04 with one decimal reads 31.0, 0.10334 with three
// 0.103, 1234.6 with none 1,235 in excelize's en-US formatting), keeps its
// full value underneath, and is written in full precision to CSV; a NaN
// is an empty cell in both.
func TestFixedCells(t *testing.T) {
	s := Sheet{Name: "Blandet", Columns: []Column{{Name: "indikator", Kind: Text}, {Name: "verdi", Kind: Number, Decimals: 2}},
		Rows: [][]any{{"andel", Fixed{31.04, 1}}, {"indeks", Fixed{0.10334, 3}}, {"personer", Fixed{1234.6, 0}}, {"mangler", Fixed{math.NaN(), 1}}}}
	var csv bytes.Buffer
	if err := WriteCSV(&csv, s, Plain); err != nil {
		t.Fatal(err)
	}
	if got, want := csv.String(), "indikator,verdi\nandel,31.04\nindeks,0.10334\npersoner,1234.6\nmangler,\n"; got != want {
		t.Errorf("WriteCSV = %q, want %q", got, want)
	}
	var b bytes.Buffer
	if err := WriteXLSX(&b, []Sheet{s}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string][2]string{"B2": {"31.0", "31.04"}, "B3": {"0.103", "0.10334"}, "B4": {"1,235", "1234.6"}, "B5": {"", ""}} {
		shown, _ := f.GetCellValue("Blandet", cell)
		raw, _ := f.GetCellValue("Blandet", cell, excelize.Options{RawCellValue: true})
		if shown != want[0] || raw != want[1] {
			t.Errorf("cell %s shows %q (raw %q), want %q (raw %q)", cell, shown, raw, want[0], want[1])
		}
	}
}
