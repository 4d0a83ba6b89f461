package publish

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/charts/export"
)

// feedCols and feedRow make a SYNTHETIC two-column table.
var feedCols = []export.Column{{Name: "region", Kind: export.Text}, {Name: "verdi", Kind: export.Number, Decimals: 1}}

func feedRow(i int) []export.Cell {
	return []export.Cell{export.TextCell("r" + strconv.Itoa(i)), export.FixedCell(float64(i)/4, i%3)}
}

// writeFeedWorkbook writes n rows, alternating between two sheets,
// straight or through a sheetFeed (waiting every 1000 rows, as at the end
// of a record batch), to path.
func writeFeedWorkbook(t *testing.T, path string, n int, feed bool) {
	t.Helper()
	wb, err := export.NewWorkbook()
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	a, _ := wb.AddSheet("A", feedCols, (n+1)/2)
	b, _ := wb.AddSheet("B", feedCols, n/2)
	var f *sheetFeed
	if feed {
		f = newSheetFeed()
	}
	cells := make([]export.Cell, 0, 2)
	for i := range n {
		s := a
		if i%2 == 1 {
			s = b
		}
		// The caller's slice is reused for every row, as Export does.
		cells = append(cells[:0], feedRow(i)...)
		if feed {
			f.write(s, cells)
			if i%1000 == 999 {
				if err := f.wait(); err != nil {
					t.Fatal(err)
				}
			}
		} else if err := s.WriteRow(cells); err != nil {
			t.Fatal(err)
		}
	}
	if feed {
		if err := f.close(); err != nil {
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

// TestSheetFeed: a workbook whose rows went through the feed (more rows
// than several batches, in two sheets) has every entry of the workbook
// written row by row; a row the sheet refuses (a cell short) is the
// error close returns, and a second close returns it again.
func TestSheetFeed(t *testing.T) {
	dir := t.TempDir()
	n := 3*sheetBatchRows + 123
	direct, fed := filepath.Join(dir, "direct.xlsx"), filepath.Join(dir, "fed.xlsx")
	writeFeedWorkbook(t, direct, n, false)
	writeFeedWorkbook(t, fed, n, true)
	sameExport(t, "fed", exportedEntries(t, fed), exportedEntries(t, direct))

	wb, err := export.NewWorkbook()
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	s, _ := wb.AddSheet("A", feedCols, -1)
	f := newSheetFeed()
	f.write(s, feedRow(1))
	f.write(s, feedRow(2)[:1])
	f.write(s, feedRow(3))
	if err := f.close(); err == nil || !strings.Contains(err.Error(), "1 cells, want 2") {
		t.Errorf("close after a short row: %v", err)
	}
	if err := f.close(); err == nil {
		t.Error("second close: no error")
	}
	if s.Rows() != 2 {
		t.Errorf("%d rows written, want 2 (the row after the error is dropped)", s.Rows())
	}
}
