package publish

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// threeIndicatorRows is twoThemeRows (SYNTHETIC) with a third indicator,
// erstatning_55pluss_andel, on the same sheet as ledighet_helt_andel
// (theme Sysselsetting og ledighet); change moves Porsgrunn's 2025 value
// of ledighet_helt_andel by 0.5.
func threeIndicatorRows(change bool) []build.Row {
	rows := twoThemeRows()
	for _, r := range synthRows(31) {
		r.Indicator = "erstatning_55pluss_andel"
		rows = append(rows, r)
	}
	if change {
		for i := range rows {
			if r := &rows[i]; r.Indicator == "ledighet_helt_andel" && r.Region == "4001" && r.Period == "2025" {
				r.Value += 0.5
			}
		}
	}
	return rows
}

// exportedFiles returns the two indicator CSV files as they are and every
// entry of the indicator workbook uncompressed (the order of a workbook's
// entries is not fixed, their content is).
func exportedFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{indicatorCSV, indicatorPlainCSV} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(b)
	}
	for name, b := range exportedEntries(t, filepath.Join(dir, indicatorWorkbook)) {
		out[indicatorWorkbook+":"+name] = b
	}
	return out
}

// exportedEntries returns every entry of the workbook at path,
// uncompressed.
func exportedEntries(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc) // checks the entry's CRC-32
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = string(b)
	}
	return out
}

// firstExport publishes rows in a knowledge base of its own and exports
// them once with a Code (so that the export's nodes are keyed).
func firstExport(t *testing.T, rows []build.Row) (*Publisher, *store.Store, *Result) {
	t.Helper()
	st := publishRows(t, rows)
	p := &Publisher{Store: st, Indicators: indicators.Catalog(), Code: "test"}
	res, err := p.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p, st, res
}

// coldExport exports rows in a knowledge base of its own: what an export
// of them without any previous one holds.
func coldExport(t *testing.T, rows []build.Row) map[string]string {
	t.Helper()
	p := &Publisher{Store: publishRows(t, rows), Indicators: indicators.Catalog()}
	res, err := p.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Carried) != 0 {
		t.Fatalf("a first export carried %v over", res.Carried)
	}
	return exportedFiles(t, res.Dir)
}

func sameExport(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range want {
			if !yield(k) {
				return
			}
		}
	}) {
		if got[name] != want[name] {
			t.Errorf("%s: %s differs from a cold export of the same table", what, name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d files and entries, a cold export %d", what, len(got), len(want))
	}
}

// TestExportCarriesUnchanged: after one value of ledighet_helt_andel
// changed, the export writes that indicator's CSV rows and its sheet
// (Sysselsetting og ledighet) anew, copies the CSV rows of the other two
// indicators and carries the Utdanning sheet over from the previous
// workbook, and every file (CSV byte for byte, the workbook entry by
// entry) is what a cold export of the changed table writes. The
// erstatning_55pluss_andel rows are copied into the CSV files but written
// again on the sheet they share with the changed indicator.
func TestExportCarriesUnchanged(t *testing.T) {
	ctx := context.Background()
	p, st, first := firstExport(t, threeIndicatorRows(false))
	wantFirst := []string{"sheet:arbeid", "sheet:utdanning", "csv:utdanning_hoyere_andel", "csv:ledighet_helt_andel", "csv:erstatning_55pluss_andel"}
	if len(first.Carried) != 0 || !sameSet(first.Drawn, wantFirst) {
		t.Fatalf("first export: written %v carried %v; want written %v", first.Drawn, first.Carried, wantFirst)
	}
	if _, err := os.Stat(filepath.Join(first.Dir, ExportNodesFile)); err != nil {
		t.Fatalf("no node list after the first export: %v", err)
	}

	publishRowsTo(t, st, threeIndicatorRows(true))
	res, err := p.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"sheet:arbeid", "csv:ledighet_helt_andel"}; !sameSet(res.Drawn, want) {
		t.Errorf("after one change written %v, want %v", res.Drawn, want)
	}
	if want := []string{"sheet:utdanning", "csv:utdanning_hoyere_andel", "csv:erstatning_55pluss_andel"}; !sameSet(res.Carried, want) {
		t.Errorf("after one change carried %v, want %v", res.Carried, want)
	}
	sameExport(t, "after one change", exportedFiles(t, res.Dir), coldExport(t, threeIndicatorRows(true)))

	// Nothing changed: everything is carried, and still the same.
	again, err := p.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Drawn) != 0 || len(again.Carried) != 5 {
		t.Errorf("unchanged: written %v carried %v; want nothing written, 5 carried", again.Drawn, again.Carried)
	}
	sameExport(t, "unchanged", exportedFiles(t, again.Dir), coldExport(t, threeIndicatorRows(true)))

	// Other code (another executable) or none: nothing is carried over.
	for _, code := range []string{"other", ""} {
		p.Code = code
		res, err := p.Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Carried) != 0 {
			t.Errorf("Code %q: carried %v over from exports another code wrote", code, res.Carried)
		}
	}
}

// TestExportCarriesNothingDamaged: a previous file that is not the one the
// node list noted (one byte of the plain CSV changed after it was
// written, or the workbook cut short) carries nothing over, and the
// export is a cold one's.
func TestExportCarriesNothingDamaged(t *testing.T) {
	for _, name := range []string{indicatorPlainCSV, indicatorWorkbook} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			p, _, first := firstExport(t, threeIndicatorRows(false))
			path := filepath.Join(first.Dir, name)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if name == indicatorWorkbook {
				b = b[:len(b)-100]
			} else {
				i := bytes.Index(b, []byte("Porsgrunn"))
				b[i] = 'p'
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			var log bytes.Buffer
			p.Logger = slog.New(slog.NewTextHandler(&log, nil))
			res, err := p.Export(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Carried) != 0 {
				t.Errorf("carried %v from damaged exports", res.Carried)
			}
			// The warning names the file (the export folder is a link to
			// the folder the file is read through).
			if !strings.Contains(log.String(), name) || !strings.Contains(log.String(), "nothing carried over") {
				t.Errorf("no warning naming %s:\n%s", name, log.String())
			}
			sameExport(t, "after damage", exportedFiles(t, res.Dir), coldExport(t, threeIndicatorRows(false)))
		})
	}
}

// TestExportUnsortedNoNodes: a table exported from memory (not sorted as
// pipelines/build writes it) leaves no node list, so the next export
// carries nothing over from it.
func TestExportUnsortedNoNodes(t *testing.T) {
	rows := threeIndicatorRows(false)
	rotated := append(slices.Clone(rows[1:]), rows[0])
	p, st, res := firstExport(t, rotated)
	if _, err := os.Stat(filepath.Join(res.Dir, ExportNodesFile)); !os.IsNotExist(err) {
		t.Errorf("node list after an export from memory: %v", err)
	}
	publishRowsTo(t, st, rows)
	again, err := p.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Carried) != 0 {
		t.Errorf("carried %v after an export from memory", again.Carried)
	}
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// TestFileSum: the CRC-32C of "123456789" is e3069283, the check value of
// CRC-32/ISCSI in Greg Cook's catalogue of parametrised CRC algorithms
// (reveng.sourceforge.io/crc-catalogue), and the size is 9; written in
// pieces it is the same; a changed byte, a cut and an added tail each
// change the sum.
func TestFileSum(t *testing.T) {
	sum := func(parts ...string) string {
		var s fileSum
		for _, p := range parts {
			if _, err := io.WriteString(&s, p); err != nil {
				t.Fatal(err)
			}
		}
		return s.String()
	}
	if got := sum("123456789"); got != "9-e3069283" {
		t.Errorf(`fileSum("123456789") = %s, want 9-e3069283`, got)
	}
	if got := sum("1234", "", "56789"); got != "9-e3069283" {
		t.Errorf("fileSum in pieces = %s, want 9-e3069283", got)
	}
	for _, other := range []string{"123456780", "12345678", "1234567890"} {
		if sum(other) == sum("123456789") {
			t.Errorf("fileSum(%q) = fileSum(\"123456789\")", other)
		}
	}
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(path, []byte("123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := fileSumOf(path); err != nil || got != "9-e3069283" {
		t.Errorf("fileSumOf = %s, %v; want 9-e3069283", got, err)
	}
}
