package publish

import (
	"sync"

	"github.com/grunnlag/grunnlag/charts/export"
)

// sheetFeed writes rows to the workbook's sheets on a goroutine of its
// own, beside the CSV files written by the caller: excelize's SetRow was
// half of the indicator export's CPU (15.5 of 33.9 s in the profile of
// BenchmarkOneCellChange's runs, 2026-12-07), and once the book is done
// (the steps run two at a time) the other core was idle. Rows are handed
// over in batches; wait blocks until every row handed over is written
// (the caller's cells may point into a record batch that is about to
// go), and close does the same and ends the goroutine, returning the
// first error of a sheet. After an error the remaining rows are dropped.
type sheetFeed struct {
	batches chan *sheetBatch
	pending sync.WaitGroup // batches handed over, not yet written
	done    chan error
	cur     *sheetBatch
	closed  bool
	err     error
	pool    sync.Pool
}

type sheetBatch struct {
	cells []export.Cell // the rows' cells, one after another
	rows  []sheetRow
}

type sheetRow struct {
	sheet    *export.SheetWriter
	from, to int
}

// sheetBatchRows is the number of rows handed over at a time.
const sheetBatchRows = 2048

func newSheetFeed() *sheetFeed {
	f := &sheetFeed{batches: make(chan *sheetBatch, 4), done: make(chan error, 1)}
	go func() {
		var err error
		for b := range f.batches {
			for _, r := range b.rows {
				if err != nil {
					break
				}
				err = r.sheet.WriteRow(b.cells[r.from:r.to])
			}
			b.cells, b.rows = b.cells[:0], b.rows[:0]
			f.pool.Put(b)
			f.pending.Done()
		}
		f.done <- err
	}()
	return f
}

// write hands over one row of sheet s (cells is copied; its strings must
// stay as they are until the next wait or close).
func (f *sheetFeed) write(s *export.SheetWriter, cells []export.Cell) {
	if f.cur == nil {
		f.cur, _ = f.pool.Get().(*sheetBatch)
		if f.cur == nil {
			f.cur = &sheetBatch{}
		}
	}
	from := len(f.cur.cells)
	f.cur.cells = append(f.cur.cells, cells...)
	f.cur.rows = append(f.cur.rows, sheetRow{s, from, len(f.cur.cells)})
	if len(f.cur.rows) == sheetBatchRows {
		f.send()
	}
}

// send hands the current batch over (it blocks while four are queued).
func (f *sheetFeed) send() {
	if f.cur != nil {
		f.pending.Add(1)
		f.batches <- f.cur
		f.cur = nil
	}
}

// wait returns once every row handed over so far is written.
func (f *sheetFeed) wait() error {
	f.send()
	f.pending.Wait()
	return nil
}

// close writes what is left, ends the goroutine and returns the first
// error of a sheet; a second close returns the same.
func (f *sheetFeed) close() error {
	if f.closed {
		return f.err
	}
	f.send()
	close(f.batches)
	f.closed = true
	f.err = <-f.done
	return f.err
}
