package tabular

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeXLSX builds a small synthetic workbook with excelize: a title line,
// a header, numeric, text ("1 400", "2,5") and marker cells, and a date
// cell. The numbers are made up (synthetic fixture).
func writeXLSX(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Ark1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Ledighet"); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Registrerte helt ledige (syntetisk)"},
		{"Fylke", "Måned", "Antall", "Prosent"},
		{"40 Telemark", "2024M03", 2166, 0.025},
		{"03 Oslo", "2024M03", "1 400", "2,5"},
		{"50 Trøndelag", "2024M03", "*", ":"},
		{},
		{"0 Hele landet", "2024M03", 61071, 0.02},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Ledighet", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	// A date cell for the second sheet's period.
	if err := f.SetSheetRow("Ark1", "A1", &[]any{"Fylke", "Dato", "Antall"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Ark1", "A2", &[]any{"40 Telemark", 45352, 7}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSX(t *testing.T) {
	data := writeXLSX(t)
	m := mustMapping(t, `
format: xlsx
sheet: Ledighet
skip_rows: 1
decimal: ","
region: {column: Fylke, code: prefix}
period: {column: Måned}
values:
  columns:
    - {column: Antall, code: Personer}
    - {column: Prosent, code: Prosent, multiply: 100}
`)
	ds, err := Parse("syntetisk.xlsx", data, m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		region, measure string
		want            float64
		present         bool
		status          string
	}{
		{"40", "Personer", 2166, true, ""},
		{"40", "Prosent", 2.5, true, ""},
		{"03", "Personer", 1400, true, ""},
		{"03", "Prosent", 250, true, ""}, // "2,5" in a text cell, times 100
		{"50", "Personer", 0, false, "*"},
		{"50", "Prosent", 0, false, ":"},
		{"0", "Personer", 61071, true, ""},
	}
	for _, tc := range tests {
		v, ok, st := cellAt(t, ds, map[string]string{"region": tc.region, "period": "2024M03", "ContentsCode": tc.measure})
		if v != tc.want || ok != tc.present || st != tc.status {
			t.Errorf("xlsx %s %s = %v %v %q, want %v %v %q", tc.region, tc.measure, v, ok, st, tc.want, tc.present, tc.status)
		}
	}

	// First sheet by default; the date serial 45352 is 2024-03-01.
	m2 := mustMapping(t, `{format: xlsx, region: {column: Fylke, code: prefix}, period: {column: Dato}, value: {column: Antall}}`)
	ds2, err := Parse("syntetisk.xlsx", data, m2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ds2.Dim("period").Codes[0]; got != "2024M03" || ds2.Values[0] != 7 {
		t.Errorf("first sheet period %q value %v, want 2024M03 7", got, ds2.Values[0])
	}

	m3 := mustMapping(t, `{format: xlsx, sheet: Mangler, region: {column: Fylke}, period: {column: Dato}, value: {column: Antall}}`)
	if _, err := Parse("syntetisk.xlsx", data, m3, Options{}); err == nil {
		t.Error("Parse with a missing sheet = nil error")
	}
}
