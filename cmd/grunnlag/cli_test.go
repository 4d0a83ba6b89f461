package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// runCLI runs the grunnlag command line in process.
func runCLI(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	code = run(context.Background(), &env{stdout: &out, stderr: &errw, stdin: strings.NewReader(""), getenv: func(string) string { return "" }}, args)
	return code, out.String(), errw.String()
}

// oecdSample is the official json-stat.org sample (PROVENANCE.md in
// sources/jsonstat/testdata): OECD unemployment rates, 1 × 36 × 12 cells.
const oecdSample = "../../sources/jsonstat/testdata/oecd.json"

func TestConvertCSV(t *testing.T) {
	out := filepath.Join(t.TempDir(), "oecd.csv")
	code, _, stderr := runCLI(t, "convert", oecdSample, "--out", out)
	if code != exitOK {
		t.Fatalf("convert exit %d: %s", code, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "concept,concept_label,area,area_label,year,year_label,value,status"
	if got := strings.Join(rows[0], ","); got != wantHeader {
		t.Errorf("header = %s, want %s", got, wantHeader)
	}
	if len(rows) != 1+36*12 {
		t.Errorf("%d rows, want 1 + 36*12", len(rows))
	}
	// PROVENANCE.md: NO 2012 = 3.098584692, with status "e" (estimate) absent.
	found := false
	for _, r := range rows[1:] {
		if r[2] == "NO" && r[4] == "2012" {
			found = true
			if r[6] != "3.098584692" {
				t.Errorf("NO 2012 = %s, want 3.098584692", r[6])
			}
		}
	}
	if !found {
		t.Error("no row for NO 2012")
	}
}

func TestConvertParquet(t *testing.T) {
	out := filepath.Join(t.TempDir(), "oecd.parquet")
	if code, _, stderr := runCLI(t, "convert", oecdSample, "--out", out); code != exitOK {
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
	if rec.NumRows() != 432 {
		t.Errorf("rows = %d, want 432", rec.NumRows())
	}
	// PROVENANCE.md: AU 2003 = 5.943826289 is the first cell in row-major order.
	v := rec.Column(int(rec.NumCols()) - 2).(*array.Float64)
	if v.Value(0) != 5.943826289 {
		t.Errorf("first value = %v, want 5.943826289 (AU 2003)", v.Value(0))
	}
}

func TestConvertErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no output", []string{"convert", oecdSample}, exitUsage, "Bruk:"},
		{"bad extension", []string{"convert", oecdSample, "--out", filepath.Join(dir, "x.xlsx")}, exitUsage, "ukjent format"},
		{"missing input", []string{"convert", filepath.Join(dir, "nope.json"), "--out", filepath.Join(dir, "x.csv")}, exitFailed, "nope.json"},
		{"collection without choice", []string{"convert", "../../sources/jsonstat/testdata/oecd-canada-col.json", "--out", filepath.Join(dir, "x.csv")}, exitUsage, "--dataset"},
		{"unknown command", []string{"convrt"}, exitUsage, "ukjent kommando"},
		// oecd.json declares 1 × 36 × 12 = 432 cells; a limit of 431 refuses it.
		{"over the cell limit", []string{"convert", oecdSample, "--max-cells", "431", "--out", filepath.Join(dir, "x.csv")}, exitFailed, "= 432 cells is over the limit of 431"},
		{"cell limit hint", []string{"convert", oecdSample, "--max-cells", "431", "--out", filepath.Join(dir, "x.csv")}, exitFailed, "oecd.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
			}
		})
	}
}

// TestDemoRefreshAndStatus runs the README's main job on the bundled demo
// data, into a temporary knowledge base, then status --json.
func TestDemoRefreshAndStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("pulls the whole demo")
	}
	cfgText, err := os.ReadFile("../../testdata/demo/grunnlag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// The same config, with its relative paths made absolute.
	text := strings.Replace(string(cfgText), "kb: ../../kb", "kb: "+filepath.Join(dir, "kb"), 1)
	text = regexp.MustCompile(`(?m)^(\s*(?:bundle|groups|survey|mapping|enheter|catalog): )(\S+)$`).ReplaceAllStringFunc(text, func(line string) string {
		i := strings.LastIndex(line, " ")
		p := strings.Trim(line[i+1:], "[]") // enheter: [one file]
		if strings.Contains(line, "mapping:") && !strings.Contains(p, "/") {
			return line // a shipped mapping name (mapping: nav-hovedtall)
		}
		abs, _ := filepath.Abs(filepath.Join("../../testdata/demo", p))
		return line[:i+1] + strings.Replace(line[i+1:], p, abs, 1)
	})
	cfg := filepath.Join(dir, "grunnlag.yaml")
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "refresh", "--config", cfg, "-q")
	if code != exitOK {
		t.Fatalf("refresh exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Every configured dataset is published the first time. The second time
	// the PxWeb tables are checked cheaply and found current, while file and
	// report sources (no update stamp) are fetched and found unchanged.
	c, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pxweb := 0
	for _, d := range c.Datasets {
		if c.Sources[d.Source].Kind == "pxweb" {
			pxweb++
		}
	}
	all := len(c.Datasets)
	if n := strings.Count(stdout, "ny versjon"); n != all {
		t.Errorf("first refresh published %d datasets, want all %d:\n%s", n, all, stdout)
	}
	code, stdout, _ = runCLI(t, "refresh", "--config", cfg, "-q")
	if code != exitOK || strings.Count(stdout, "oppdatert fra før") != pxweb || strings.Count(stdout, "hentet, uendret") != all-pxweb {
		t.Errorf("second refresh should find %d current and %d unchanged:\n%s", pxweb, all-pxweb, stdout)
	}
	code, stdout, stderr = runCLI(t, "status", "--config", cfg, "--json")
	if code != exitOK {
		t.Fatalf("status exit %d: %s", code, stderr)
	}
	var st struct {
		Datasets    []datasetStatus `json:"datasets"`
		RegionsNote string          `json:"regions_note"`
	}
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("status --json is not JSON: %v\n%s", err, stdout)
	}
	// The bundled KLASS copy has no answers of the county classification
	// 104 (testdata/klass/PROVENANCE.md): status says the counties are derived.
	if !strings.Contains(st.RegionsNote, "KLASS 104 er ikke lest") {
		t.Errorf("status --json regions_note = %q, want it to say that KLASS 104 is not read", st.RegionsNote)
	}
	if code, out, _ := runCLI(t, "status", "--config", cfg); code != exitOK || !strings.Contains(out, "Regionmodell: fylkene er avledet av kommunenumrene") {
		t.Errorf("status: exit %d, want the region model note:\n%s", code, out)
	}
	if len(st.Datasets) != all {
		t.Fatalf("status lists %d datasets, want %d", len(st.Datasets), all)
	}
	for _, d := range st.Datasets {
		if d.Version == "" || d.Rows == 0 {
			t.Errorf("status %s = %+v, want a version and rows", d.ID, d)
		}
		// Every SSB demo table is (at least partly) synthetic and says so.
		if d.Source == "ssb" && !d.Synthetic {
			t.Errorf("status %s lacks the synthetic mark", d.ID)
		}
	}
	code, _, stderr = runCLI(t, "status", "--config", filepath.Join(dir, "missing.yaml"))
	if code != exitConfig || !strings.Contains(stderr, "missing.yaml") {
		t.Errorf("status with a missing config: exit %d %q, want %d naming the file", code, stderr, exitConfig)
	}
}

// TestImportResolvesNamesWithConfig: NAV's hovedtall names regions; with the
// demo config's region model the names become codes (PROVENANCE: Telemark,
// helt ledige, March 2024 = 2166 persons).
func TestImportResolvesNamesWithConfig(t *testing.T) {
	in := "../../testdata/demo/nav/arbeidsledighet-telemark.csv"
	out := filepath.Join(t.TempDir(), "ledige.csv")
	code, _, stderr := runCLI(t, "import", in, "--mapping", "nav-hovedtall", "--out", out)
	if code != exitFailed || !strings.Contains(stderr, "--config") {
		t.Fatalf("import without a region model: exit %d %q, want %d and a hint about --config", code, stderr, exitFailed)
	}
	code, _, stderr = runCLI(t, "import", in, "--mapping", "nav-hovedtall", "--out", out, "--config", "../../testdata/demo/grunnlag.yaml")
	if code != exitOK {
		t.Fatalf("import --config: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "40,Telemark,2024M03,HeltLedige,Helt ledige,0,Begge kjønn,Personer,Antall personer,2166,") {
		t.Errorf("no row with Telemark (40), helt ledige, 2024M03 = 2166 in:\n%.600s", b)
	}
}
