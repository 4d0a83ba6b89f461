package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// pxSample is TAB004.px from the PxWebApi demo database (PROVENANCE.md in
// sources/px/testdata): 14 sectors × 11 gases × 1 content × 28 years =
// 4312 cells, Latin-1.
const pxSample = "../../sources/px/testdata/TAB004.px"

// readCSV returns the rows of a CSV file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// findRow returns the first row whose first columns match key at the code
// columns (0, 2, 4, ...).
func findRow(rows [][]string, key ...string) []string {
next:
	for _, r := range rows[1:] {
		for k, c := range key {
			if r[2*k] != c {
				continue next
			}
		}
		return r
	}
	return nil
}

func TestConvertPXCSV(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tab004.csv")
	if code, _, stderr := runCLI(t, "convert", pxSample, "--out", out); code != exitOK {
		t.Fatalf("convert exit %d: %s", code, stderr)
	}
	rows := readCSV(t, out)
	wantHeader := "SECTOR,SECTOR_label,GREENHOUSEGAS,GREENHOUSEGAS_label,ContentsCode,ContentsCode_label,TIME,TIME_label,value,status"
	if got := strings.Join(rows[0], ","); got != wantHeader {
		t.Errorf("header = %s, want %s", got, wantHeader)
	}
	if len(rows) != 1+4312 {
		t.Errorf("%d rows, want 1 + 4312 (14×11×1×28)", len(rows))
	}
	// PROVENANCE.md: sector 0.1 × CO2 × 1990 = 57446, sector 7.0 × CO2 × 2017 = 445.
	for _, tc := range []struct{ sector, year, want string }{{"0.1", "1990", "57446"}, {"7.0", "2017", "445"}} {
		r := findRow(rows, tc.sector, "CO2", "Emission", tc.year)
		if r == nil || r[8] != tc.want || r[9] != "" {
			t.Errorf("row %s CO2 %s = %v, want value %s and no status", tc.sector, tc.year, r, tc.want)
		}
	}
	// The first ".." cell of the DATA block is cell 1316 = sector 1.0 ×
	// CO2-BIO × 1990 (found with a script splitting DATA on white space):
	// an empty value, never 0, with its status.
	if r := findRow(rows, "1.0", "CO2-BIO", "Emission", "1990"); r == nil || r[8] != "" || r[9] != ".." {
		t.Errorf("row 1.0 CO2-BIO 1990 = %v, want empty value and status ..", r)
	}
}

func TestConvertPXParquetSwedish(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "tab004.parquet")
	if code, _, stderr := runCLI(t, "convert", pxSample, "--lang", "sv", "--out", out); code != exitOK {
		t.Fatalf("convert exit %d: %s", code, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	rec, err := store.ReadParquet(f, fi.Size(), memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() != 4312 {
		t.Errorf("rows = %d, want 4312", rec.NumRows())
	}
	v := rec.Column(int(rec.NumCols()) - 2).(*array.Float64)
	// Row-major: sector 0.1 (0) × CO2 (2) × 1990 (0) is cell (0*11+2)*28 = 56.
	if v.IsNull(56) || v.Value(56) != 57446 {
		t.Errorf("cell 56 = %v, want 57446 (0.1 × CO2 × 1990)", v.Value(56))
	}
	if !v.IsNull(1316) {
		t.Errorf("cell 1316 = %v, want null (\"..\" in the file)", v.Value(1316))
	}

	// The Swedish labels, decoded from Latin-1, through CSV.
	csvOut := filepath.Join(dir, "tab004.csv")
	if code, _, stderr := runCLI(t, "convert", pxSample, "--lang", "sv", "--out", csvOut); code != exitOK {
		t.Fatalf("convert exit %d: %s", code, stderr)
	}
	rows := readCSV(t, csvOut)
	if r := findRow(rows, "0.1", "CO2", "Emission", "1990"); r == nil || r[5] != "Ämne" || r[3] != "Koldioxid (CO2) (kt)" {
		t.Errorf("sv row = %v, want ContentsCode_label Ämne and gas Koldioxid (CO2) (kt)", r)
	}
}

// TestConvertPXSniffed reads a PX file without the .px extension, once from
// a file and once from standard input: the first bytes decide.
func TestConvertPXSniffed(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(pxSample)
	if err != nil {
		t.Fatal(err)
	}
	noExt := filepath.Join(dir, "tab004")
	if err := os.WriteFile(noExt, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "a.csv")
	if code, _, stderr := runCLI(t, "convert", noExt, "--out", out); code != exitOK {
		t.Fatalf("convert exit %d: %s", code, stderr)
	}
	if rows := readCSV(t, out); len(rows) != 1+4312 {
		t.Errorf("%d rows, want 1 + 4312", len(rows))
	}
	out = filepath.Join(dir, "b.csv")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), &env{stdout: &stdout, stderr: &stderr, stdin: bytes.NewReader(data), getenv: func(string) string { return "" }},
		[]string{"convert", "-", "--out", out})
	if code != exitOK {
		t.Fatalf("convert - exit %d: %s", code, stderr.String())
	}
	if rows := readCSV(t, out); len(rows) != 1+4312 {
		t.Errorf("stdin: %d rows, want 1 + 4312", len(rows))
	}
	// JSON-stat on standard input is still sniffed as JSON-stat.
	js, err := os.Open(oecdSample)
	if err != nil {
		t.Fatal(err)
	}
	defer js.Close()
	jsData, _ := io.ReadAll(js)
	out = filepath.Join(dir, "c.csv")
	stderr.Reset()
	code = run(context.Background(), &env{stdout: &stdout, stderr: &stderr, stdin: bytes.NewReader(jsData), getenv: func(string) string { return "" }},
		[]string{"convert", "-", "--out", out})
	if code != exitOK {
		t.Fatalf("convert - (JSON-stat) exit %d: %s", code, stderr.String())
	}
	if rows := readCSV(t, out); len(rows) != 1+36*12 {
		t.Errorf("stdin JSON-stat: %d rows, want 1 + 36*12", len(rows))
	}
}

func TestConvertPXErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.px")
	if err := os.WriteFile(bad, []byte("STUB=\"a\";\nVALUES(\"a\")=\"x\",\"y\";\nCODES(\"a\")=\"1\";\nDATA=\n1 2;\n"), 0o644); err != nil { // synthetic
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		// 14 × 11 × 1 × 28 = 4312 cells; a limit of 4311 refuses them.
		{"over the cell limit", []string{"convert", pxSample, "--max-cells", "4311", "--out", filepath.Join(dir, "x.csv")}, exitFailed, "= 4312 cells is over the limit of 4311"},
		{"cell limit hint", []string{"convert", pxSample, "--max-cells", "4311", "--out", filepath.Join(dir, "x.csv")}, exitFailed, "hev grensen med --max-cells"},
		{"unknown language", []string{"convert", pxSample, "--lang", "nb", "--out", filepath.Join(dir, "x.csv")}, exitUsage, `language "nb" is not in the file (it has en, sv)`},
		{"language on JSON-stat", []string{"convert", oecdSample, "--lang", "sv", "--out", filepath.Join(dir, "x.csv")}, exitUsage, "--lang gjelder bare PX-filer"},
		{"bad file names file, line and keyword", []string{"convert", bad, "--out", filepath.Join(dir, "x.csv")}, exitFailed, "px: " + bad + ":3: CODES: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
			}
		})
	}
}
