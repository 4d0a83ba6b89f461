package publish

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/grunnlag/grunnlag/charts/export"
)

// The indicator exports are nodes too: each theme's sheet of
// indikatorer.xlsx, and each indicator's run of rows in the two CSV
// files. A sheet's key is the sha256 of exportNodesVersion, the
// publisher's Code (nothing is carried over without one), the language,
// the sheet's name, columns and row count, and the key of each indicator
// on it in order; an indicator's key is that of its export rows, cell by
// cell as they are written. Export writes the nodes whose key changed and
// carries the others over from the exports it replaces: a sheet's
// compressed entry is copied from the previous workbook, an indicator's
// CSV rows are copied byte for byte from the previous files. The keys,
// the sheets' entries, the indicators' byte ranges and the size and
// checksum of the three files (fileSum) are kept in the export folder
// itself (ExportNodesFile), so they are swapped with the files they
// describe; a file whose size or checksum is not the one noted (changed
// or damaged since) carries nothing over.

// exportNodesVersion is mixed into every export node key; change it when
// the rows, the sheets or the way they are written change.
const exportNodesVersion = "grunnlag-export-nodes/2"

// ExportNodesFile is the file in <kb>/exports that lists the export nodes'
// keys, sheets and byte ranges.
const ExportNodesFile = ".nodes.json"

// The indicator exports' files.
const (
	indicatorWorkbook = "indikatorer.xlsx"
	indicatorCSV      = "indikatorer.csv"
	indicatorPlainCSV = "indikatorer-plain.csv"
)

type exportManifest struct {
	Version string `json:"version"`
	Lang    string `json:"lang"`
	// Files are the fileSum of the three indicator files, by name.
	Files      map[string]string              `json:"files"`
	Sheets     map[string]exportSheetNode     `json:"sheets"`     // by theme ID
	Indicators map[string]exportIndicatorNode `json:"indicators"` // by indicator ID
}

type exportSheetNode struct {
	Key  string `json:"key"`
	Part string `json:"part"` // the sheet's entry in the workbook
}

type exportIndicatorNode struct {
	Key  string `json:"key"`
	Rows int    `json:"rows"`
	// CSV and Plain are the byte range [from, to) of the indicator's rows
	// in indikatorer.csv and indikatorer-plain.csv.
	CSV   [2]int64 `json:"csv"`
	Plain [2]int64 `json:"plain"`
}

// readExportManifest reads the manifest of the current export folder for
// language lang; nil when there is none, it is of another version or
// language, or a file it describes is not the one it noted (logged on
// log, naming the file: it was changed or damaged since it was written).
func readExportManifest(dir, lang string, log *slog.Logger) *exportManifest {
	b, err := os.ReadFile(filepath.Join(dir, ExportNodesFile))
	if err != nil {
		return nil
	}
	var m exportManifest
	if json.Unmarshal(b, &m) != nil || m.Version != exportNodesVersion || m.Lang != lang {
		return nil
	}
	for _, name := range []string{indicatorWorkbook, indicatorCSV, indicatorPlainCSV} {
		path := filepath.Join(dir, name)
		if sum, err := fileSumOf(path); err != nil || sum != m.Files[name] {
			log.Warn("previous export changed or unreadable since it was written; nothing carried over", "file", path, "err", err)
			return nil
		}
	}
	return &m
}

// fileSum is what the node list notes of an export file to tell whether it
// is still the file written: its size and its CRC-32C (Castagnoli), as
// "<size>-<crc, 8 hex digits>". A changed byte, a burst of up to 32 changed
// bits, a cut or an added tail always change it; other damage does but
// for one chance in 2³². It guards against damage and edits, not against
// forgery (the knowledge base's versions carry sha256 for that), and
// runs at memory speed: the sha256 of the three files, 230 MB in the
// demo, read before and written after each run, was 0.45 s of CPU of a
// one-cell run, and with fileSum the exports took 0.26 s less per run
// (profiles of 4 runs of BenchmarkOneCellChange, 2026-12-07).
type fileSum struct {
	n   int64
	crc uint32
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func (s *fileSum) Write(b []byte) (int, error) {
	s.n += int64(len(b))
	s.crc = crc32.Update(s.crc, castagnoli, b)
	return len(b), nil
}

func (s *fileSum) String() string { return fmt.Sprintf("%d-%08x", s.n, s.crc) }

// fileSumOf returns the fileSum of the file at path.
func fileSumOf(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var s fileSum
	if _, err := io.Copy(&s, f); err != nil {
		return "", err
	}
	return s.String(), nil
}

// cellHasher feeds export rows, cell by cell, into a hash: each cell as its
// kind, decimals, text and number, with lengths, so that no two rows feed
// the same bytes.
type cellHasher struct {
	buf []byte
}

func (c *cellHasher) row(h hash.Hash, cells []export.Cell) {
	b := binary.AppendUvarint(c.buf[:0], uint64(len(cells)))
	for _, cell := range cells {
		b, _ = cell.AppendBinary(b) // never fails
	}
	c.buf = b
	h.Write(b)
}

// newExportKey starts a node key: the version, the code that writes
// (Publisher.Code), the language and what names the node.
func newExportKey(code, lang string, parts ...string) hash.Hash {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", exportNodesVersion, code, lang)
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s\x00", len(p), p)
	}
	return h
}

// sheet returns the node of theme's sheet; false on a nil manifest.
func (m *exportManifest) sheet(theme string) (exportSheetNode, bool) {
	if m == nil {
		return exportSheetNode{}, false
	}
	n, ok := m.Sheets[theme]
	return n, ok
}

// indicator returns the node of indicator id's CSV rows; false on a nil
// manifest or a range that is not one.
func (m *exportManifest) indicator(id string) (exportIndicatorNode, bool) {
	if m == nil {
		return exportIndicatorNode{}, false
	}
	n, ok := m.Indicators[id]
	return n, ok && n.CSV[0] <= n.CSV[1] && n.Plain[0] <= n.Plain[1] && n.CSV[0] >= 0 && n.Plain[0] >= 0
}

// copyRows copies the byte range r (from, to) of the previous table f into
// w as rows rows of indicator id.
func copyRows(w *export.CSVWriter, f *os.File, r [2]int64, rows int, id string) error {
	if err := w.CopyRows(io.NewSectionReader(f, r[0], r[1]-r[0]), r[1]-r[0], rows); err != nil {
		return fmt.Errorf("publish: %s: rows of %s from %s: %w", ExportNodesFile, id, f.Name(), err)
	}
	return nil
}

// openPair opens the two indicator CSV files of the export folder dir.
func openPair(dir string) (*os.File, *os.File, error) {
	a, err := os.Open(filepath.Join(dir, indicatorCSV))
	if err != nil {
		return nil, nil, err
	}
	b, err := os.Open(filepath.Join(dir, indicatorPlainCSV))
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, b, nil
}
