package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/parquet-go/parquet-go"
)

// DefaultBatchRows is the number of rows a scan hands over at a time when
// the caller asks for 0.
const DefaultBatchRows = 16384

// ScanIndicators reads a version of the indicator table (stamp "" = the
// current one) in record batches of at most batch rows (0 =
// DefaultBatchRows), in file order, calling fn with each; a batch is
// released when fn returns, so fn must not keep it (nor strings read from
// it beyond the next batch without copying). The file's sha256 is checked
// against the catalog, by reading it once as a stream, before the first
// batch. An error of fn stops the scan and is returned as it is.
//
// Unlike [Store.ReadIndicators], the table is never held whole: memory is
// one batch plus the dictionaries of its dictionary columns.
func (s *Store) ScanIndicators(stamp string, batch int, fn func(arrow.Record) error) error {
	cat, err := s.Catalog()
	if err != nil {
		return err
	}
	e := cat.Indicators
	if e == nil {
		return fmt.Errorf("store: no indicator table in the catalog")
	}
	if stamp == "" {
		stamp = e.Current
	}
	v := e.Version(stamp)
	if v == nil {
		return fmt.Errorf("store: indicators: no version %q in the catalog", stamp)
	}
	return s.scanVersionFile("indicators", v, batch, fn)
}

// ScanVersion reads a version of dataset id (stamp "" = the current one)
// in record batches, as [Store.ScanIndicators] does.
func (s *Store) ScanVersion(id, stamp string, batch int, fn func(arrow.Record) error) error {
	cat, err := s.Catalog()
	if err != nil {
		return err
	}
	e := cat.Datasets[id]
	if e == nil {
		return fmt.Errorf("store: dataset %q not in the catalog", id)
	}
	if stamp == "" {
		stamp = e.Current
	}
	v := e.Version(stamp)
	if v == nil {
		return fmt.Errorf("store: dataset %s: no version %q in the catalog", id, stamp)
	}
	return s.scanVersionFile(id, v, batch, fn)
}

// fnError marks an error returned by a scan's callback, so that it is
// returned unwrapped.
type fnError struct{ err error }

func (e *fnError) Error() string { return e.err.Error() }

func (s *Store) scanVersionFile(id string, v *Version, batch int, fn func(arrow.Record) error) error {
	path, err := s.versionFile(v)
	if err != nil {
		return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	defer f.Close()
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	if hex.EncodeToString(h.Sum(nil)) != v.SHA256 {
		return fmt.Errorf("store: dataset %s version %s: %s does not match the sha256 in the catalog", id, v.Stamp, v.Path)
	}
	err = ScanParquet(f, size, memory.DefaultAllocator, batch, func(rec arrow.Record) error {
		if err := fn(rec); err != nil {
			return &fnError{err}
		}
		return nil
	})
	var fe *fnError
	if errors.As(err, &fe) {
		return fe.err
	}
	if err != nil {
		return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	return nil
}

// ScanParquet reads a file written by [WriteParquet] as [ReadParquet]
// does, but in records of at most batch rows (0 = DefaultBatchRows), each
// released after fn returns. All batches have the file's schema. An error
// of fn stops the scan and is returned as it is; a malformed file is an
// error, never a panic.
func ScanParquet(r io.ReaderAt, size int64, mem memory.Allocator, batch int, fn func(arrow.Record) error) (err error) {
	if batch <= 0 {
		batch = DefaultBatchRows
	}
	var fe *fnError
	inFn := false
	defer func() {
		if p := recover(); p != nil {
			if inFn {
				panic(p) // the callback's own panic, not the file's
			}
			err = fmt.Errorf("store: read parquet: malformed file: %v", p)
		}
	}()
	if err := checkFooter(r, size); err != nil {
		return fmt.Errorf("store: read parquet: %w", err)
	}
	f, err := parquet.OpenFile(r, size)
	if err != nil {
		return fmt.Errorf("store: read parquet: %w", err)
	}
	if err := checkCodecs(f); err != nil {
		return err
	}
	schema, err := arrowSchema(f)
	if err != nil {
		return err
	}
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	b.Reserve(batch)
	n := 0
	emit := func() error {
		rec := b.NewRecord()
		defer rec.Release()
		n = 0
		inFn = true
		err := fn(rec)
		inFn = false
		if err != nil {
			return &fnError{err}
		}
		return nil
	}
	appenders := valueAppenders(b)
	rows := make([]parquet.Row, min(1024, batch))
	rowIndex := 0
	for _, rg := range f.RowGroups() {
		rr := rg.Rows()
		for {
			k, rerr := rr.ReadRows(rows[:min(len(rows), batch-n)])
			for _, row := range rows[:k] {
				if len(row) != len(appenders) {
					_ = rr.Close()
					return fmt.Errorf("store: read parquet: row %d: %d values, want %d", rowIndex, len(row), len(appenders))
				}
				for _, v := range row {
					appenders[v.Column()](v)
				}
				rowIndex++
			}
			n += k
			if n >= batch {
				if err := emit(); err != nil {
					_ = rr.Close()
					if errors.As(err, &fe) {
						return fe.err
					}
					return err
				}
			}
			if errors.Is(rerr, io.EOF) {
				break
			}
			if rerr != nil {
				_ = rr.Close()
				return fmt.Errorf("store: read parquet: row %d: %w", rowIndex, rerr)
			}
		}
		if err := rr.Close(); err != nil {
			return fmt.Errorf("store: read parquet: %w", err)
		}
	}
	if n > 0 || rowIndex == 0 {
		if err := emit(); err != nil {
			if errors.As(err, &fe) {
				return fe.err
			}
			return err
		}
	}
	return nil
}
