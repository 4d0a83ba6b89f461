package tabular

import (
	"fmt"
	"io"
)

// Limits bound what the readers accept, so that a hostile or broken file
// (a zip bomb, a cell of a gigabyte, a quote that is never closed) is
// refused with a *LimitError instead of exhausting memory. A zero field
// means its default.
type Limits struct {
	// MaxBytes is the largest file read: CSV text as stored (before
	// decoding), or the XLSX zip. Default DefaultMaxBytes.
	MaxBytes int64
	// MaxUnzipBytes is the largest total uncompressed size of an XLSX
	// workbook's parts, as its zip directory declares them (archive/zip
	// refuses a part longer than declared). Default DefaultMaxUnzipBytes.
	MaxUnzipBytes int64
	// MaxRowBytes is the longest CSV record (one row, quoted line breaks
	// included). Default DefaultMaxRowBytes.
	MaxRowBytes int
	// MaxCellBytes is the longest cell in bytes of UTF-8. Default
	// DefaultMaxCellBytes.
	MaxCellBytes int
	// MaxCells is the most cells a table may hold (header and data rows).
	// Default DefaultMaxCells (a table of 5 M short cells takes ~250 MB).
	MaxCells int
}

// Default limits. They are far above the published files (the largest
// NAV and Udir exports are a few MB) and keep a reader's peak memory at a
// few hundred MB.
const (
	DefaultMaxBytes      = 128 << 20
	DefaultMaxUnzipBytes = 256 << 20
	DefaultMaxRowBytes   = 4 << 20
	// DefaultMaxCellBytes is Excel's cell limit of 32 767 characters at
	// up to 4 bytes each in UTF-8.
	DefaultMaxCellBytes = 32767 * 4
	DefaultMaxCells     = 5_000_000
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxUnzipBytes <= 0 {
		l.MaxUnzipBytes = DefaultMaxUnzipBytes
	}
	if l.MaxRowBytes <= 0 {
		l.MaxRowBytes = DefaultMaxRowBytes
	}
	if l.MaxCellBytes <= 0 {
		l.MaxCellBytes = DefaultMaxCellBytes
	}
	if l.MaxCells <= 0 {
		l.MaxCells = DefaultMaxCells
	}
	return l
}

// What a LimitError is about.
const (
	LimitFile  = "file"  // Limits.MaxBytes
	LimitUnzip = "unzip" // Limits.MaxUnzipBytes
	LimitRow   = "row"   // Limits.MaxRowBytes
	LimitCell  = "cell"  // Limits.MaxCellBytes
	LimitCells = "cells" // Limits.MaxCells
)

// LimitError reports an input past one of the Limits. It is wrapped in a
// *ParseError that says where; classify with errors.As.
type LimitError struct {
	// What is one of LimitFile, LimitUnzip, LimitRow, LimitCell, LimitCells.
	What string
	// Limit is the limit passed (bytes, or cells for LimitCells).
	Limit int64
}

// Error says which limit was passed, in words.
func (e *LimitError) Error() string {
	switch e.What {
	case LimitFile:
		return fmt.Sprintf("the file is larger than the limit of %s", size(e.Limit))
	case LimitUnzip:
		return fmt.Sprintf("the workbook unpacks to more than the limit of %s (a zip bomb?)", size(e.Limit))
	case LimitRow:
		return fmt.Sprintf("the row is longer than the limit of %s (a quote that is never closed?)", size(e.Limit))
	case LimitCell:
		return fmt.Sprintf("the cell is longer than the limit of %s", size(e.Limit))
	case LimitCells:
		return fmt.Sprintf("the table has more than the limit of %d cells", e.Limit)
	}
	return fmt.Sprintf("input past the %s limit of %d", e.What, e.Limit)
}

func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// capReader reads at most max bytes from r and then fails with a
// *LimitError of kind what (instead of io.EOF as io.LimitReader would).
type capReader struct {
	r    io.Reader
	n    int64 // bytes read
	max  int64
	what string
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n > c.max {
		return 0, &LimitError{What: c.what, Limit: c.max}
	}
	if rest := c.max + 1 - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return n, &LimitError{What: c.what, Limit: c.max}
	}
	return n, err
}

// rowReader is the reader under encoding/csv: it fails once more than max
// bytes (plus the csv reader's 4 KiB read-ahead) were read since the last
// reset, which the caller does after every record.
type rowReader struct {
	r   io.Reader
	n   int
	max int
}

// csvReadAhead is the size of the bufio.Reader inside encoding/csv.
const csvReadAhead = 4096

func (c *rowReader) Read(p []byte) (int, error) {
	if c.n > c.max+csvReadAhead {
		return 0, &LimitError{What: LimitRow, Limit: int64(c.max)}
	}
	n, err := c.r.Read(p)
	c.n += n
	if c.n > c.max+csvReadAhead {
		return n, &LimitError{What: LimitRow, Limit: int64(c.max)}
	}
	return n, err
}
