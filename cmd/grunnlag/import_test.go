package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

func runImportArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = importCommand().run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// syntheticCSV is a small made-up NAV-style file: ";" separated, decimal
// comma, a space thousands separator, a suppressed cell, windows-1252
// ("Å" is 0xC5, "å" 0xE5, "Ø" 0xD8).
var syntheticCSV = []byte("Fylke;\xc5r;Niv\xe5;Antall\r\n" +
	"40 Telemark;2024;01 Grunnskole;1 400\r\n" +
	"40 Telemark;2024;02a Videreg\xe5ende;\"2,5\"\r\n" +
	"31 \xd8stfold;2024;01 Grunnskole;*\r\n")

const syntheticMapping = `
decimal: ","
encoding: auto
region: {column: Fylke, code: prefix}
period: {column: År}
dims: {Nivaa: {column: Nivå, code: prefix, dim_label: Utdanningsnivå}}
value: {column: Antall}
`

func writeInputs(t *testing.T) (dir, in, mapping string) {
	t.Helper()
	dir = t.TempDir()
	in = filepath.Join(dir, "syntetisk.csv")
	mapping = filepath.Join(dir, "mapping.yaml")
	if err := os.WriteFile(in, syntheticCSV, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mapping, []byte(syntheticMapping), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, in, mapping
}

func TestImportCSV(t *testing.T) {
	dir, in, mapping := writeInputs(t)
	out := filepath.Join(dir, "ut.csv")
	code, _, stderr := runImportArgs(t, in, "--mapping", mapping, "--out", out)
	if code != exitOK {
		t.Fatalf("import = %d, want %d; stderr %s", code, exitOK, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// The cube is region (40, 31) x period (2024) x Nivaa (01, 02a), row
	// major; the cell 31 x 02a is not in the file, so it is empty.
	want := "region,region_label,period,Nivaa,Nivaa_label,value,status\n" +
		"40,Telemark,2024,01,Grunnskole,1400,\n" +
		"40,Telemark,2024,02a,Videregående,2.5,\n" +
		"31,Østfold,2024,01,Grunnskole,,*\n" +
		"31,Østfold,2024,02a,Videregående,,\n"
	if string(got) != want {
		t.Errorf("import CSV =\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(stderr, "skrev "+out+": 4 rader, 7 kolonner") {
		t.Errorf("stderr = %q, want the summary line", stderr)
	}
}

func TestImportParquet(t *testing.T) {
	dir, in, mapping := writeInputs(t)
	out := filepath.Join(dir, "ut.parquet")
	if code, _, stderr := runImportArgs(t, "--mapping", mapping, "--out", out, in); code != exitOK {
		t.Fatalf("import = %d; stderr %s", code, stderr)
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
	var names []string
	for _, fl := range rec.Schema().Fields() {
		names = append(names, fl.Name)
	}
	if got := strings.Join(names, ","); got != "region,region_label,period,Nivaa,Nivaa_label,value,status" {
		t.Errorf("columns = %s", got)
	}
	vals, ok := rec.Column(5).(*array.Float64)
	if !ok || rec.NumRows() != 4 || vals.Value(0) != 1400 || !vals.IsNull(2) {
		t.Errorf("parquet value column = %v, want 1400 first and null for the suppressed cell", rec.Column(5))
	}
	// A mapping file without a name is named after the file.
	if m, ok := rec.Schema().Metadata().GetValue("mapping"); !ok || m != "mapping" {
		t.Errorf("mapping metadata = %q, %v, want \"mapping\"", m, ok)
	}
}

// TestImportBuiltin uses a shipped mapping by name with --region/--period.
func TestImportBuiltin(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "mangel.csv")
	// Synthetic, in the layout of NAV's shortage-by-industry file (UTF-8 BOM, no header).
	if err := os.WriteFile(in, []byte("\xef\xbb\xbfIndustrien;250\r\nHelse- og sosialtjeneste;800\r\n;\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "ut.csv")
	code, _, stderr := runImportArgs(t, in, "--mapping", "nav-bedriftsundersokelse-naering", "--region", "40", "--region-label", "Telemark", "--period", "2024", "--out", out)
	if code != exitOK {
		t.Fatalf("import = %d; stderr %s", code, stderr)
	}
	got, _ := os.ReadFile(out)
	want := "region,region_label,period,Naering,Naering_label,value,status\n" +
		"40,Telemark,2024,Industrien,Industrien,250,\n" +
		"40,Telemark,2024,Helse- og sosialtjeneste,Helse- og sosialtjeneste,800,\n"
	if string(got) != want {
		t.Errorf("import =\n%s\nwant\n%s", got, want)
	}
}

func TestImportErrors(t *testing.T) {
	dir, in, mapping := writeInputs(t)
	bad := filepath.Join(dir, "feil.csv")
	if err := os.WriteFile(bad, []byte("Fylke;År;Nivå;Antall\n40 Telemark;2024;01 G;12x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	names := filepath.Join(dir, "navn.yaml")
	if err := os.WriteFile(names, []byte("{region: {column: Fylke, code: name}, period: {column: År}, value: {column: Antall}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no out", []string{in, "--mapping", mapping}, exitUsage, "Bruk: grunnlag import"},
		{"no mapping", []string{in, "--out", filepath.Join(dir, "x.csv")}, exitUsage, "Bruk: grunnlag import"},
		{"bad ext", []string{in, "--mapping", mapping, "--out", filepath.Join(dir, "x.json")}, exitUsage, "ukjent format"},
		{"unknown mapping", []string{in, "--mapping", "finnes-ikke", "--out", filepath.Join(dir, "x.csv")}, exitConfig, "medfølgende mappinger: "},
		{"bad number", []string{bad, "--mapping", mapping, "--out", filepath.Join(dir, "x.csv")}, exitFailed,
			`tabular: feil.csv: row 2: column "Antall": "12x" is not a number`},
		{"names without model", []string{in, "--mapping", names, "--out", filepath.Join(dir, "x.csv")}, exitFailed, "no regions model"},
		// The hint follows from the error's class (tabular.ErrNoRegions), not its text.
		{"names without model hint", []string{in, "--mapping", names, "--out", filepath.Join(dir, "x.csv")}, exitFailed, "tips: filen oppgir regionnavn"},
		{"missing file", []string{filepath.Join(dir, "nei.csv"), "--mapping", mapping, "--out", filepath.Join(dir, "x.csv")}, exitFailed, "no such file"},
		{"help", []string{"-h"}, exitOK, "Prikkede og manglende celler"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runImportArgs(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.msg) {
				t.Errorf("import %v = %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.msg)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); !os.IsNotExist(err) {
		t.Errorf("a failed import left x.csv behind (err %v)", err)
	}
}

func TestImportList(t *testing.T) {
	code, stdout, _ := runImportArgs(t, "--list")
	if code != exitOK || !strings.Contains(stdout, "nav-hovedtall\t") || !strings.Contains(stdout, "udir-statistikkbank\t") {
		t.Errorf("import --list = %d, %q", code, stdout)
	}
}
