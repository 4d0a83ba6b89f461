package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// TestScanParquet reads the 3-row record of extendedRecord back in batches
// of 1, 2, 3 and 100 rows: the batches' rows, in order, are the rows
// ReadParquet gives (compared as store CSV), and each batch has at most
// the asked number of rows.
func TestScanParquet(t *testing.T) {
	rec := extendedRecord(t)
	defer rec.Release()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, rec, nil); err != nil {
		t.Fatal(err)
	}
	whole, err := ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Release()
	var want bytes.Buffer
	if err := WriteCSV(&want, whole); err != nil {
		t.Fatal(err)
	}
	for _, batch := range []int{1, 2, 3, 100} {
		var got strings.Builder
		sizes := []int64{}
		err := ScanParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), memory.DefaultAllocator, batch, func(b arrow.Record) error {
			sizes = append(sizes, b.NumRows())
			var part bytes.Buffer
			if err := WriteCSV(&part, b); err != nil {
				return err
			}
			s := part.String()
			if got.Len() > 0 {
				s = s[strings.IndexByte(s, '\n')+1:] // the header once
			}
			got.WriteString(s)
			return nil
		})
		if err != nil {
			t.Fatalf("ScanParquet(batch %d): %v", batch, err)
		}
		if got.String() != want.String() {
			t.Errorf("ScanParquet(batch %d) rows =\n%s\nwant\n%s", batch, got.String(), want.String())
		}
		for _, n := range sizes {
			if n > int64(batch) {
				t.Errorf("ScanParquet(batch %d) gave a batch of %d rows", batch, n)
			}
		}
	}
	// The callback's error comes back as it is and stops the scan.
	stop := errors.New("stop")
	calls := 0
	err = ScanParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), memory.DefaultAllocator, 1, func(arrow.Record) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("ScanParquet(callback error) = %v after %d calls, want the callback's error after 1", err, calls)
	}
	// A file that is not Parquet is an error, not a panic.
	junk := []byte("PAR1 not really parquet PAR1")
	if err := ScanParquet(bytes.NewReader(junk), int64(len(junk)), memory.DefaultAllocator, 0, func(arrow.Record) error { return nil }); err == nil {
		t.Error("ScanParquet(junk) = nil, want an error")
	}
}
