package survey

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/sources/tabular"
)

// demoLines returns the synthetic demo survey (440 rows of 287 firms, see
// testdata/survey/README.md) as lines, and its mapping.
func demoLines(t *testing.T) ([]string, *Mapping) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dataDir, "demo-syntetisk.csv"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadMappingFile(filepath.Join(dataDir, "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.SplitAfter(string(data), "\n"), m
}

// quoteField puts a quote before (open) or after (close) the 5th field
// (beskrivelse) of line n (1-based).
func quoteField(t *testing.T, lines []string, n int, open bool) {
	t.Helper()
	f := strings.SplitN(lines[n-1], ";", 6)
	if len(f) != 6 || strings.Contains(f[4], `"`) {
		t.Fatalf("line %d: %q has no 5th field without quotes", n, lines[n-1])
	}
	if open {
		f[4] = `"` + f[4]
	} else {
		f[4] += `"`
	}
	lines[n-1] = strings.Join(f, ";")
}

// TestStrayQuote: one quote in line 4 of the 440-row demo survey once made
// it "3 rader, ingen problemer"; now the file is refused at the quote.
func TestStrayQuote(t *testing.T) {
	lines, m := demoLines(t)
	s, err := Parse("demo.csv", []byte(strings.Join(lines, "")), m, Options{})
	if err != nil || s.Rows != 440 || s.Lines != 440 {
		t.Fatalf("Parse(demo) = %d rows over %d lines, %v; want 440, 440, nil", s.Rows, s.Lines, err)
	}
	quoteField(t, lines, 4, true)
	s, err = Parse("demo.csv", []byte(strings.Join(lines, "")), m, Options{})
	var qe *tabular.QuoteError
	if !errors.As(err, &qe) || qe.StartRow != 4 {
		t.Fatalf("Parse(quote on line 4) = %+v, %v; want a *tabular.QuoteError starting in row 4", s, err)
	}
	if want := "demo.csv: row 441"; !strings.Contains(err.Error(), want) {
		t.Errorf("Parse(quote on line 4) = %q, want it to name %q (where the file ends inside the quote)", err, want)
	}
}

// TestJoinedRows: a quote opening line 4's 5th field and one closing line
// 300's is valid CSV, and joins lines 4-300 into one row of 10 cells. The
// survey says so: 440 - 296 = 144 rows over 440 lines (pipelines/needs
// refuses to build from it).
func TestJoinedRows(t *testing.T) {
	lines, m := demoLines(t)
	quoteField(t, lines, 4, true)
	quoteField(t, lines, 300, false)
	s, err := Parse("demo.csv", []byte(strings.Join(lines, "")), m, Options{})
	if err != nil || s.Rows != 144 || s.Lines != 440 {
		t.Fatalf("Parse(joined) = %v rows over %v lines, %v; want 144, 440, nil", s.Rows, s.Lines, err)
	}
	// The joined row (lines 4-300, 297 > MaxRowLines) is a problem, so
	// "survey validate" no longer says "ingen problemer".
	var found bool
	for _, p := range s.Problems {
		if p.Row == 4 && strings.Contains(p.Reason, "linje 4–300") {
			found = true
		}
	}
	if !found || len(s.Rejected) == 0 || s.Rejected[0] != 4 {
		t.Errorf("Parse(joined): problems %v, rejected %v; want row 4 rejected for spanning lines 4-300", s.Problems, s.Rejected)
	}
}

// TestShortRow: a row missing a cell is refused, naming the row.
func TestShortRow(t *testing.T) {
	lines, m := demoLines(t)
	lines[9] = strings.Replace(lines[9], ";", "", 1) // line 10: orgnr and kommunenr joined
	_, err := Parse("demo.csv", []byte(strings.Join(lines, "")), m, Options{})
	var we *tabular.WidthError
	var pe *tabular.ParseError
	if !errors.As(err, &we) || !errors.As(err, &pe) || pe.Row != 10 || we.Cells != 9 || we.Want != 10 {
		t.Errorf("Parse(short row 10) = %v, want a *tabular.WidthError of 9 cells for 10 on row 10", err)
	}
}

// TestReadFileLimit: ReadFile refuses a file over the size limit before
// reading it.
func TestReadFileLimit(t *testing.T) {
	path := filepath.Join(dataDir, "demo-syntetisk.csv")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadFile(path, nil, Options{Limits: tabular.Limits{MaxBytes: fi.Size() - 1}})
	var le *tabular.LimitError
	if !errors.As(err, &le) || le.What != tabular.LimitFile {
		t.Errorf("ReadFile(limit size-1) = %v, want a *tabular.LimitError %q", err, tabular.LimitFile)
	}
}
