package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// DatasetMeta describes a dataset version for the catalog and the Parquet
// key-value metadata.
type DatasetMeta struct {
	Source      string    // source name, e.g. "ssb"
	Table       string    // the source's table ID, e.g. "09429"
	Title       string    // the table's title
	Unit        string    // unit of value, e.g. "personer"
	Updated     string    // when the source last updated the table, verbatim
	FetchedAt   time.Time // when the data was fetched
	Snapshots   []string  // sha256 of the raw snapshots the record was parsed from
	Query       string    // the query or selection, verbatim (e.g. JSON)
	Licence     string
	Attribution string
	Synthetic   bool // the data is made up (demo or test data)

	// Keys are the columns that identify a cell, for the diff. Nil means
	// every column except value, status and those whose name ends in
	// "_label".
	Keys []string

	// Extra is added to the Parquet key-value metadata (the keys above win).
	Extra map[string]string
}

// DefaultKeys returns the key columns of schema by the default rule: every
// column except value, status and those whose name ends in "_label".
func DefaultKeys(schema *arrow.Schema) []string {
	var keys []string
	for _, f := range schema.Fields() {
		if f.Name == "value" || f.Name == "status" || strings.HasSuffix(f.Name, "_label") {
			continue
		}
		keys = append(keys, f.Name)
	}
	return keys
}

// cellFunc appends an unambiguous encoding of cell i to buf: 0x00 for null
// (and NaN), else 0x01, the length as uvarint and the text of the value
// (strings verbatim; numbers as WriteCSV formats them).
type cellFunc func(buf []byte, i int) []byte

func appendCell(buf []byte, s string) []byte {
	buf = append(buf, 1)
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

func cellEncoder(a arrow.Array) (cellFunc, error) {
	if enc := fastCellEncoder(a); enc != nil {
		return enc, nil
	}
	return textCellEncoder(a)
}

// textCellEncoder is the encoding by the text of each cell (WriteCSV's);
// fastCellEncoder gives the same bytes for the types it handles.
func textCellEncoder(a arrow.Array) (cellFunc, error) {
	switch a := a.(type) {
	case *array.Float64:
		return func(buf []byte, i int) []byte {
			if a.IsNull(i) || math.IsNaN(a.Value(i)) {
				return append(buf, 0)
			}
			var tmp [32]byte
			return appendCell(buf, string(strconv.AppendFloat(tmp[:0], a.Value(i), 'g', -1, 64)))
		}, nil
	}
	text, err := csvCell(a)
	if err != nil {
		return nil, err
	}
	return func(buf []byte, i int) []byte {
		if a.IsNull(i) {
			return append(buf, 0)
		}
		return appendCell(buf, text(i))
	}, nil
}

// cells indexes a record for the diff.
type cells struct {
	rec    arrow.Record
	keys   []cellFunc // nil when the record lacks a key column
	values []cellFunc // value and status, when present
}

func newCells(rec arrow.Record, keyNames []string) (*cells, error) {
	c := &cells{rec: rec}
	schema := rec.Schema()
	for _, k := range keyNames {
		idx := schema.FieldIndices(k)
		if len(idx) == 0 {
			c.keys = nil
			break
		}
		enc, err := cellEncoder(rec.Column(idx[0]))
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", k, err)
		}
		c.keys = append(c.keys, enc)
	}
	if len(keyNames) > 0 && c.keys == nil {
		return c, nil
	}
	for _, name := range []string{"value", "status"} {
		if idx := schema.FieldIndices(name); len(idx) > 0 {
			enc, err := cellEncoder(rec.Column(idx[0]))
			if err != nil {
				return nil, fmt.Errorf("column %q: %w", name, err)
			}
			c.values = append(c.values, enc)
		}
	}
	return c, nil
}

func (c *cells) hasKeys(keyNames []string) bool { return len(keyNames) == 0 || c.keys != nil }

func (c *cells) key(buf []byte, i int) []byte {
	for _, f := range c.keys {
		buf = f(buf, i)
	}
	return buf
}

func (c *cells) value(buf []byte, i int) []byte {
	for _, f := range c.values {
		buf = f(buf, i)
	}
	return buf
}

// index maps each key to its row; a repeated key is an error.
func (c *cells) index(keyNames []string) (map[string]int, error) {
	n := int(c.rec.NumRows())
	idx := make(map[string]int, n)
	var buf []byte
	for i := 0; i < n; i++ {
		buf = c.key(buf[:0], i)
		if j, dup := idx[string(buf)]; dup {
			return nil, fmt.Errorf("rows %d and %d have the same key (%s)", j, i, strings.Join(keyNames, ", "))
		}
		idx[string(buf)] = i
	}
	return idx, nil
}

// diffRecords compares old with new, keyed by keyNames; newIdx is
// newC.index(keyNames). Old rows that lack a key column are all removed.
func diffRecords(oldC, newC *cells, newIdx map[string]int, keyNames []string) Diff {
	var d Diff
	nNew := int(newC.rec.NumRows())
	if !oldC.hasKeys(keyNames) {
		return Diff{Removed: int(oldC.rec.NumRows()), Added: nNew}
	}
	matched := 0
	var kb, ob, nb []byte
	for i := 0; i < int(oldC.rec.NumRows()); i++ {
		kb = oldC.key(kb[:0], i)
		j, ok := newIdx[string(kb)]
		if !ok {
			d.Removed++
			continue
		}
		matched++
		ob = oldC.value(ob[:0], i)
		nb = newC.value(nb[:0], j)
		if bytes.Equal(ob, nb) {
			d.Unchanged++
		} else {
			d.Revised++
		}
	}
	d.Added = nNew - matched
	return d
}

// ExtraKeysKey is the Parquet key-value metadata key that lists (comma-
// separated) the keys that came from DatasetMeta.Extra, so that a version
// can be described again from its file alone (see [Store.Catalog]).
const ExtraKeysKey = "grunnlag.extra_keys"

// VolatileExtra are the DatasetMeta.Extra keys that describe how or by
// which build a version was made rather than what it holds: they differ
// between two publications of the same content (an offline re-parse, a
// new release of grunnlag), so the content hash leaves them out.
var VolatileExtra = []string{"parsed_from", "code_version"}

// contentHash hashes the schema (names, stored types and the fields' own
// metadata, such as labels), every cell, the
// key columns and the descriptive metadata, including the Extra keys other
// than [VolatileExtra]. Fetch facts (updated, fetched_at, snapshots) and
// the volatile Extra keys are left out, so a refetch or re-parse of equal
// data hashes equal, while a change of descriptive metadata alone (a new
// Extra note, say) makes a new version.
func contentHash(rec arrow.Record, keys []string, meta DatasetMeta) (string, error) {
	h := sha256.New()
	desc := struct {
		Format                                                  string
		Columns, Types, Keys                                    []string
		Source, Table, Title, Unit, Query, Licence, Attribution string
		Synthetic                                               bool
		Extra                                                   [][2]string
		FieldMetadata                                           string `json:",omitempty"`
	}{Format: "grunnlag-content-v2", Keys: keys, Source: meta.Source, Table: meta.Table, Title: meta.Title,
		Unit: meta.Unit, Query: meta.Query, Licence: meta.Licence, Attribution: meta.Attribution, Synthetic: meta.Synthetic}
	for _, k := range slices.Sorted(maps.Keys(meta.Extra)) {
		if !slices.Contains(VolatileExtra, k) {
			desc.Extra = append(desc.Extra, [2]string{k, meta.Extra[k]})
		}
	}
	desc.FieldMetadata = fieldMetadata(rec.Schema())
	encs := make([]cellFunc, rec.NumCols())
	for j, f := range rec.Schema().Fields() {
		c, err := columnOf(f, rec.Column(j))
		if err != nil {
			return "", fmt.Errorf("column %q: %w", f.Name, err)
		}
		desc.Columns = append(desc.Columns, f.Name)
		desc.Types = append(desc.Types, c.token+"/"+strconv.FormatBool(c.optional))
		if encs[j], err = cellEncoder(rec.Column(j)); err != nil {
			return "", fmt.Errorf("column %q: %w", f.Name, err)
		}
	}
	b, err := json.Marshal(desc)
	if err != nil {
		return "", err
	}
	h.Write(b)
	h.Write([]byte{'\n'})
	hashRows(h, int(rec.NumRows()), encs)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ctxWriter fails writes once ctx is done, so a cancel stops a long write.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

type countWriter struct {
	n int64
	h hash.Hash
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.h.Write(p)
}

// Publish stores rec as a new version of dataset id and makes it current:
// it writes <kb>/datasets/<id>/version=<stamp>/part-0.parquet atomically
// and records it in catalog.json. The returned Version carries the diff against
// the previous current version (a first version has every cell added).
//
// When the content (schema, cells, keys and descriptive metadata; see
// Version.ContentSHA256) equals the current version's, nothing is written
// but the check: last_checked is updated, last_error cleared, and the
// current Version is returned with Unchanged set.
//
// A current version whose file fails [Store.VerifyVersion] (missing,
// truncated, overwritten) is replaced by a new version even when the
// content is unchanged; the new version's Repairs names it, and its diff
// is every cell unchanged (same content) or every cell added (the damaged
// file cannot be read to diff against).
//
// Rows must have unique keys. On any error (including a cancelled ctx)
// before the catalog is written, Publish removes the version folder it
// created and leaves the catalog as it was; see the package doc for the
// order of the steps.
func (s *Store) Publish(ctx context.Context, id string, rec arrow.Record, meta DatasetMeta) (v *Version, err error) {
	if !validID(id) {
		return nil, fmt.Errorf("store: publish: invalid dataset id %q", id)
	}
	if rec == nil {
		return nil, fmt.Errorf("store: publish %s: nil record", id)
	}
	keys, err := publishKeys(rec, meta)
	if err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	content, err := contentHash(rec, keys, meta)
	if err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	newC, err := newCells(rec, keys)
	if err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	newIdx, err := newC.index(keys)
	if err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	cat, err := s.Catalog()
	if err != nil {
		return nil, err
	}
	entry := cat.Datasets[id]
	cur := entry.CurrentVersion()
	now := s.now().UTC()

	// A current version whose file is damaged or missing is replaced by a
	// new version even when the content is the same.
	var damaged *DamagedError
	if cur != nil {
		if err := s.VerifyVersion(id, cur); err != nil && !errors.As(err, &damaged) {
			return nil, fmt.Errorf("store: publish %s: %w", id, err)
		}
	}
	if cur != nil && cur.ContentSHA256 == content && damaged == nil {
		return s.markUnchanged(id, cur, now)
	}
	diff, err := s.publishDiff(id, cur, damaged != nil, content, rec, keys, newC, newIdx)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}

	dsDir := s.datasetDir(id)
	stamp, verDir, err := s.newVersionDir(dsDir, entry, now)
	if err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	committed := false // the catalog names the version
	defer func() {
		if err != nil && !committed {
			_ = os.RemoveAll(verDir)
			_ = syncDir(dsDir)
		}
	}()
	if err := s.step("version-dir"); err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}

	// The file is written under its pending name, which no glob over
	// version=*/*.parquet matches, and renamed into place only once the
	// catalog names it.
	file := filepath.Join(verDir, "part-0.parquet")
	pending := filepath.Join(verDir, pendingName("part-0.parquet"))
	cw := &countWriter{h: sha256.New()}
	kv := parquetMeta(id, stamp, keys, meta)
	if err := WriteFileAtomic(pending, func(w io.Writer) error {
		return WriteParquet(ctxWriter{ctx, io.MultiWriter(w, cw)}, rec, kv)
	}); err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	if err := s.step("parquet-written"); err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}

	ver := newVersion(stamp, s.rel(file), cw, rec, content, keys, meta, diff)
	if damaged != nil {
		ver.Repairs = cur.Stamp
	}
	if err := s.step("before-catalog"); err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	if err := s.updateCatalogSkip(func(c *Catalog) error {
		e := c.Datasets[id]
		if e == nil {
			e = &DatasetEntry{}
			c.Datasets[id] = e
		}
		e.Versions = append(e.Versions, ver)
		e.Current = stamp
		e.LastChecked, e.LastError = now, ""
		return nil
	}, verDir); err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	committed = true
	if err := s.step("catalog-written"); err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	if err := os.Rename(pending, file); err != nil {
		// The catalog names the version and its complete file is read
		// under the pending name; the next catalog update renames it.
		return nil, fmt.Errorf("store: publish %s: rename: %w", id, err)
	}
	if err := syncDir(verDir); err != nil {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	}
	return &ver, nil
}

// publishKeys returns the key columns of rec (meta.Keys, or the default
// keys of its schema), each of which must be in the record.
func publishKeys(rec arrow.Record, meta DatasetMeta) ([]string, error) {
	keys := meta.Keys
	if keys == nil {
		keys = DefaultKeys(rec.Schema())
	}
	for _, k := range keys {
		if len(rec.Schema().FieldIndices(k)) == 0 {
			return nil, fmt.Errorf("key column %q not in the record", k)
		}
	}
	return keys, nil
}

// markUnchanged records that dataset id was checked at now with the same
// content as its current version cur (a pending note inside a batch, see
// BatchChecks), and returns cur marked Unchanged. The caller holds s.mu.
func (s *Store) markUnchanged(id string, cur *Version, now time.Time) (*Version, error) {
	if err := s.recordCheckLocked(id, now, "", true); errors.Is(err, errVanished) {
		return nil, fmt.Errorf("store: publish %s: %w", id, err)
	} else if err != nil {
		return nil, err
	}
	out := *cur
	out.Unchanged = true
	return &out, nil
}

// publishDiff is the diff of the new cells against the current version
// cur: every cell added for a first version or a damaged one with other
// content, every cell unchanged for a damaged one with the same content.
func (s *Store) publishDiff(id string, cur *Version, damaged bool, content string, rec arrow.Record, keys []string, newC *cells, newIdx map[string]int) (Diff, error) {
	switch {
	case cur != nil && damaged && cur.ContentSHA256 == content:
		return Diff{Unchanged: int(rec.NumRows())}, nil
	case cur != nil && !damaged:
		old, err := s.readVersionFile(id, cur)
		if err != nil {
			return Diff{}, fmt.Errorf("store: publish %s: read current version: %w", id, err)
		}
		defer old.Release()
		oldC, err := newCells(old, keys)
		if err != nil {
			return Diff{}, fmt.Errorf("store: publish %s: current version: %w", id, err)
		}
		return diffRecords(oldC, newC, newIdx, keys), nil
	}
	return Diff{Added: int(rec.NumRows())}, nil
}

// newVersionDir creates the folder of a new version of the dataset in
// dsDir, stamped now, with a suffix "-2", "-3"... when the stamp is taken
// (in the catalog entry or on disk).
func (s *Store) newVersionDir(dsDir string, entry *DatasetEntry, now time.Time) (stamp, verDir string, err error) {
	if err := os.MkdirAll(dsDir, 0o755); err != nil {
		return "", "", err
	}
	if err := syncDir(filepath.Dir(dsDir)); err != nil {
		return "", "", err
	}
	base := now.Format(stampLayout)
	for n := 1; ; n++ {
		stamp = base
		if n > 1 {
			stamp = base + "-" + strconv.Itoa(n)
		}
		if entry.Version(stamp) != nil {
			continue
		}
		verDir = filepath.Join(dsDir, "version="+stamp)
		err := mkdirSync(verDir)
		if err == nil {
			return stamp, verDir, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", "", err
		}
	}
}

// parquetMeta is the key-value metadata written into a version's Parquet
// file: meta.Extra, then the dataset's descriptive fields (empty ones
// left out).
func parquetMeta(id, stamp string, keys []string, meta DatasetMeta) map[string]string {
	kv := map[string]string{}
	for k, val := range meta.Extra {
		kv[k] = val
	}
	set := func(k, val string) {
		if val != "" {
			kv[k] = val
		}
	}
	set("dataset", id)
	set("version", stamp)
	set("source", meta.Source)
	set("table", meta.Table)
	set("title", meta.Title)
	set("unit", meta.Unit)
	set("updated", meta.Updated)
	if !meta.FetchedAt.IsZero() {
		set("fetched_at", meta.FetchedAt.UTC().Format(time.RFC3339Nano))
	}
	set("snapshots", strings.Join(meta.Snapshots, ","))
	set("query", meta.Query)
	set("licence", meta.Licence)
	set("attribution", meta.Attribution)
	set("synthetic", strconv.FormatBool(meta.Synthetic))
	set("key_columns", strings.Join(keys, ","))
	set(ExtraKeysKey, strings.Join(slices.Sorted(maps.Keys(meta.Extra)), ","))
	return kv
}

// newVersion is the catalog entry of a version written to path (relative
// to the store), its file's hash and size counted by cw.
func newVersion(stamp, path string, cw *countWriter, rec arrow.Record, content string, keys []string, meta DatasetMeta, diff Diff) Version {
	ver := Version{
		Stamp:         stamp,
		Path:          path,
		SHA256:        hex.EncodeToString(cw.h.Sum(nil)),
		Bytes:         cw.n,
		Rows:          rec.NumRows(),
		ContentSHA256: content,
		Source:        meta.Source,
		Table:         meta.Table,
		Title:         meta.Title,
		Unit:          meta.Unit,
		SourceUpdated: meta.Updated,
		FetchedAt:     meta.FetchedAt.UTC(),
		Snapshots:     append([]string(nil), meta.Snapshots...),
		Query:         meta.Query,
		Licence:       meta.Licence,
		Attribution:   meta.Attribution,
		Synthetic:     meta.Synthetic,
		Keys:          append([]string{}, keys...),
		Diff:          diff,
	}
	if meta.FetchedAt.IsZero() {
		ver.FetchedAt = time.Time{}
	}
	return ver
}

// readVersionFile reads a cataloged version, checking its sha256.
func (s *Store) readVersionFile(id string, v *Version) (arrow.Record, error) {
	path, err := s.versionFile(v)
	if err != nil {
		return nil, fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != v.SHA256 {
		return nil, fmt.Errorf("store: dataset %s version %s: %s does not match the sha256 in the catalog", id, v.Stamp, v.Path)
	}
	rec, err := ReadParquet(bytes.NewReader(b), int64(len(b)), memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	return rec, nil
}

// ReadVersion reads a version of dataset id back into an arrow.Record with
// the arrow types it was published from (dimension columns as
// dictionary<utf8,int32>, value float64 with nulls, status utf8). stamp ""
// means the current version. The file is checked against the sha256 in the
// catalog. The caller releases the record.
func (s *Store) ReadVersion(id, stamp string) (arrow.Record, error) {
	cat, err := s.Catalog()
	if err != nil {
		return nil, err
	}
	e := cat.Datasets[id]
	if e == nil {
		return nil, fmt.Errorf("store: dataset %q not in the catalog", id)
	}
	if stamp == "" {
		stamp = e.Current
	}
	v := e.Version(stamp)
	if v == nil {
		return nil, fmt.Errorf("store: dataset %s: no version %q in the catalog", id, stamp)
	}
	return s.readVersionFile(id, v)
}
