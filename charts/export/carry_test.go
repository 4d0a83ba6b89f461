package export

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// carryCols and carryRows are a small SYNTHETIC table: a text, a
// number column of one decimal and a Fixed cell with three.
var carryCols = []Column{{Name: "region", Kind: Text}, {Name: "verdi", Kind: Number, Decimals: 1}, {Name: "andel", Kind: Number}}

func carryRows(base float64) [][]Cell {
	return [][]Cell{
		{TextCell("4001"), NumberCell(base), FixedCell(0.125, 3)},
		{TextCell("4003"), NumberCell(base + 1), FixedCell(0.5, 2)},
	}
}

// writeCarry writes a workbook of the sheets "A" (rows of base a) and
// "B" (base b) to path; carryA carries A from prev instead.
func writeCarry(t *testing.T, path string, a, b float64, prev *Previous) {
	t.Helper()
	wb, err := NewWorkbook()
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sa, err := wb.AddSheet("A", carryCols, 2)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := wb.AddSheet("B", carryCols, 2)
	if err != nil {
		t.Fatal(err)
	}
	if prev != nil {
		part, err := sa.Part()
		if err != nil {
			t.Fatal(err)
		}
		if err := sa.Carry(prev, part); err != nil {
			t.Fatal(err)
		}
		if err := sa.WriteRow(carryRows(a)[0]); err == nil {
			t.Error("WriteRow on a carried sheet: no error")
		}
	} else {
		for _, r := range carryRows(a) {
			if err := sa.WriteRow(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, r := range carryRows(b) {
		if err := sb.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := wb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// entries returns every entry of the workbook at path, uncompressed, and
// the raw (compressed) bytes of part.
func entries(t *testing.T, path, part string) (map[string]string, []byte) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	var raw []byte
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc) // checks the CRC-32 at the end
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = string(b)
		if f.Name == part {
			r, err := f.OpenRaw()
			if err != nil {
				t.Fatal(err)
			}
			raw, _ = io.ReadAll(r)
		}
	}
	return out, raw
}

// TestCarrySheet: a workbook that carries sheet A over from an earlier one
// and writes B anew has every entry equal to the workbook written whole
// with the same rows, and A's compressed bytes are the earlier
// workbook's own (copied, not compressed again). B's rows differ between
// the earlier workbook and the new one, so B is really written.
func TestCarrySheet(t *testing.T) {
	dir := t.TempDir()
	first, whole, carried := filepath.Join(dir, "first.xlsx"), filepath.Join(dir, "whole.xlsx"), filepath.Join(dir, "carried.xlsx")
	writeCarry(t, first, 10, 20, nil)
	writeCarry(t, whole, 10, 30, nil)
	prev, err := OpenPrevious(first)
	if err != nil {
		t.Fatal(err)
	}
	writeCarry(t, carried, 10, 30, prev)
	if err := prev.Close(); err != nil {
		t.Fatal(err)
	}
	const part = "xl/worksheets/sheet1.xml"
	want, _ := entries(t, whole, part)
	got, gotRaw := entries(t, carried, part)
	_, firstRaw := entries(t, first, part)
	if !bytes.Equal(gotRaw, firstRaw) || len(gotRaw) == 0 {
		t.Errorf("carried sheet: %d compressed bytes, the earlier workbook's %d, not the same", len(gotRaw), len(firstRaw))
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range want {
			if !yield(k) {
				return
			}
		}
	})
	for _, name := range names {
		if got[name] != want[name] {
			t.Errorf("entry %s differs from the workbook written whole", name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d entries, want %d", len(got), len(want))
	}
	f, err := excelize.OpenFile(carried)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// One decimal, as the column asks.
	for sheet, cell := range map[string]string{"A": "10.0", "B": "30.0"} {
		if v, err := f.GetCellValue(sheet, "B2"); err != nil || v != cell {
			t.Errorf("%s!B2 = %q, %v; want %s", sheet, v, err, cell)
		}
	}
}

// TestCarryRefused: a sheet is not carried from another part, from a
// workbook without the part, after rows were written, or when its length
// was not announced.
func TestCarryRefused(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "first.xlsx")
	writeCarry(t, first, 1, 2, nil)
	prev, err := OpenPrevious(first)
	if err != nil {
		t.Fatal(err)
	}
	defer prev.Close()
	wb, err := NewWorkbook()
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	a, _ := wb.AddSheet("A", carryCols, 2)
	b, _ := wb.AddSheet("B", carryCols, -1)
	c, _ := wb.AddSheet("C", carryCols, 2)
	if err := a.Carry(prev, "xl/worksheets/sheet2.xml"); err == nil || !strings.Contains(err.Error(), "sheet1.xml") {
		t.Errorf("carry from another part: %v", err)
	}
	if err := b.Carry(prev, "xl/worksheets/sheet2.xml"); err == nil {
		t.Error("carry of a sheet of unknown length: no error")
	}
	if err := c.Carry(prev, "xl/worksheets/sheet3.xml"); err == nil || !strings.Contains(err.Error(), "no xl/worksheets/sheet3.xml") {
		t.Errorf("carry of a part the workbook lacks: %v", err)
	}
	if err := a.WriteRow(carryRows(1)[0]); err != nil {
		t.Fatal(err)
	}
	if err := a.Carry(prev, "xl/worksheets/sheet1.xml"); err == nil {
		t.Error("carry after a row was written: no error")
	}
}

// TestStyleIDsFixed: the number styles have the same IDs whichever
// decimals the rows ask for first, so that a carried sheet's style IDs
// mean the same in the new workbook. Two workbooks whose rows use the
// decimals in opposite orders have the same styles.xml; when styles were
// made as rows asked for them, 3 decimals got one ID in the first and
// another in the second.
func TestStyleIDsFixed(t *testing.T) {
	dir := t.TempDir()
	styles := func(name string, decs ...int) string {
		wb, err := NewWorkbook()
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		s, err := wb.AddSheet("S", []Column{{Name: "x", Kind: Text}}, len(decs))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range decs {
			if err := s.WriteRow([]Cell{FixedCell(1.5, d)}); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, name)
		var buf bytes.Buffer
		if _, err := wb.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		e, _ := entries(t, path, "")
		return e["xl/styles.xml"]
	}
	if a, b := styles("a.xlsx", 3, 1), styles("b.xlsx", 1, 3); a != b || a == "" {
		t.Errorf("styles.xml differs with the order of decimals:\n%s\n%s", a, b)
	}
}

// TestCSVCopyRows: a table that copies a run of rows from an earlier
// table (between the Offsets noted around them) is byte for byte the
// table written row by row, in both dialects.
func TestCSVCopyRows(t *testing.T) {
	rows := [][]Cell{
		{TextCell("4001"), NumberCell(1.5), FixedCell(2, 0)},
		{TextCell("=4003"), NumberCell(-3.25), FixedCell(0.1, 1)},
		{TextCell("a;b,\"c\""), NumberCell(7), EmptyCell()},
		{TextCell("5001"), NumberCell(9), IntCell(4)},
	}
	for _, d := range []Dialect{Norwegian, Plain} {
		var whole bytes.Buffer
		w, err := NewCSVWriter(&whole, "t.csv", carryCols, d)
		if err != nil {
			t.Fatal(err)
		}
		var from, to int64
		for i, r := range rows {
			if i == 1 {
				from, _ = w.Offset()
			}
			if err := w.WriteRow(r); err != nil {
				t.Fatal(err)
			}
			if i == 2 {
				to, _ = w.Offset()
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		var again bytes.Buffer
		w2, _ := NewCSVWriter(&again, "t.csv", carryCols, d)
		_ = w2.WriteRow(rows[0])
		if err := w2.CopyRows(bytes.NewReader(whole.Bytes()[from:]), to-from, 2); err != nil {
			t.Fatal(err)
		}
		_ = w2.WriteRow(rows[3])
		if err := w2.Close(); err != nil {
			t.Fatal(err)
		}
		if again.String() != whole.String() || w2.Rows() != 4 {
			t.Errorf("dialect %v: copied table (%d rows)\n%q\nwant\n%q", d, w2.Rows(), again.String(), whole.String())
		}
		w3, _ := NewCSVWriter(io.Discard, "t.csv", carryCols, d)
		if err := w3.CopyRows(bytes.NewReader(whole.Bytes()[from:to-1]), to-from, 2); err == nil {
			t.Errorf("dialect %v: a short copy gave no error", d)
		}
	}
}
