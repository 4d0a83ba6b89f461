package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/parquet-go/parquet-go"
)

// CatalogError says catalog.json cannot be used: it does not parse, or it
// contradicts itself (a current version it does not list, a path that is not
// the version's own). Nothing is written or removed on the word of such a
// catalog.
type CatalogError struct {
	Path    string // catalog.json
	Dataset string // "" when the error is about the whole file
	Stamp   string
	Reason  string
	Err     error // the parse error, if any
}

func (e *CatalogError) Error() string {
	var b strings.Builder
	b.WriteString("store: catalog ")
	b.WriteString(e.Path)
	if e.Dataset != "" {
		b.WriteString(": dataset ")
		b.WriteString(e.Dataset)
	}
	if e.Stamp != "" {
		b.WriteString(" version ")
		b.WriteString(e.Stamp)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the parse error, if any.
func (e *CatalogError) Unwrap() error { return e.Err }

// DamagedError says the file of a catalogued version is missing or is not
// the file the catalog describes (truncated, overwritten).
type DamagedError struct {
	Dataset    string // the dataset ID, or "indicators"
	Indicators bool   // the indicator table (set by CheckCurrent)
	Stamp      string
	Path       string // kb-relative
	Reason     string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("store: dataset %s version %s: %s: %s", e.Dataset, e.Stamp, e.Path, e.Reason)
}

// cheapHashBytes is the largest file VerifyVersion hashes; larger ones get
// the size and footer check only.
const cheapHashBytes = 64 << 20

// pendingName is the name a version's Parquet file has between its write
// and the catalog naming it: hidden and not ending in ".parquet", so no
// glob over version=*/*.parquet sees it.
func pendingName(file string) string { return "." + file + ".pending" }

// Prefixes of the folders that are set aside, beside the version=<stamp>
// folders: a version being pruned, and an uncatalogued one whose file is
// not a readable Parquet file. Neither matches version=*.
const (
	prunedPrefix = ".pruned-"
	brokenPrefix = ".broken-"
)

// VerifyVersion checks the file of a catalogued version without reading
// it whole: it exists, has the catalog's size, and has Parquet's magic
// bytes and a footer that fits; a file up to 64 MiB is also checked
// against the catalog's sha256. A failed check is a *DamagedError. id is
// the dataset ID ("indicators" for the indicator table).
func (s *Store) VerifyVersion(id string, v *Version) error {
	damaged := func(reason string) error {
		return &DamagedError{Dataset: id, Stamp: v.Stamp, Path: v.Path, Reason: reason}
	}
	path, err := s.versionFile(v)
	if errors.Is(err, os.ErrNotExist) {
		return damaged("the file is missing")
	}
	if err != nil {
		return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
	}
	if fi.Size() != v.Bytes {
		return damaged(fmt.Sprintf("%d bytes, the catalog says %d", fi.Size(), v.Bytes))
	}
	if err := checkFooter(f, fi.Size()); err != nil {
		return damaged(err.Error())
	}
	if fi.Size() <= cheapHashBytes {
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return fmt.Errorf("store: dataset %s version %s: %w", id, v.Stamp, err)
		}
		if hex.EncodeToString(h.Sum(nil)) != v.SHA256 {
			return damaged("sha256 does not match the catalog's")
		}
	}
	return nil
}

// CheckCurrent verifies the current version of every dataset and of the
// indicator table (see VerifyVersion) and returns the damaged ones.
func (s *Store) CheckCurrent() ([]*DamagedError, error) {
	cat, err := s.Catalog()
	if err != nil {
		return nil, err
	}
	var out []*DamagedError
	check := func(id string, e *DatasetEntry, ind bool) error {
		v := e.CurrentVersion()
		if v == nil {
			return nil
		}
		err := s.VerifyVersion(id, v)
		var de *DamagedError
		if errors.As(err, &de) {
			de.Indicators = ind
			out = append(out, de)
			return nil
		}
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(cat.Datasets)) {
		if err := check(id, cat.Datasets[id], false); err != nil {
			return out, err
		}
	}
	if cat.Indicators != nil {
		if err := check("indicators", cat.Indicators, true); err != nil {
			return out, err
		}
	}
	return out, nil
}

// versionFile returns the path of a version's file: its catalogued path, or
// the pending name beside it when a publish stopped between the catalog and
// the last rename.
func (s *Store) versionFile(v *Version) (string, error) {
	path := filepath.Join(s.root, filepath.FromSlash(v.Path))
	if _, err := os.Stat(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return path, err
	}
	pending := filepath.Join(filepath.Dir(path), pendingName(filepath.Base(path)))
	if _, err := os.Stat(pending); err != nil {
		return path, err
	}
	return pending, nil
}

var stampRE = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z(-[0-9]+)?$`)

// versionSet is the version folders of one dataset (or of the indicator
// table).
type versionSet struct {
	id   string // dataset ID, or "indicators"
	dir  string // absolute: <kb>/datasets/<id> or <kb>/indicators
	file string // part-0.parquet or indicators.parquet
	ind  bool   // the indicator table
}

func (s *Store) datasetSet(id string) versionSet {
	return versionSet{id: id, dir: s.datasetDir(id), file: "part-0.parquet"}
}

func (s *Store) indicatorSet() versionSet {
	return versionSet{id: "indicators", dir: filepath.Join(s.root, "indicators"), file: IndicatorsFile, ind: true}
}

func (vs versionSet) entry(c *Catalog, create bool) *DatasetEntry {
	if vs.ind {
		if c.Indicators == nil && create {
			c.Indicators = &DatasetEntry{}
		}
		return c.Indicators
	}
	e := c.Datasets[vs.id]
	if e == nil && create {
		e = &DatasetEntry{}
		c.Datasets[vs.id] = e
	}
	return e
}

// sets lists the version sets on disk.
func (s *Store) sets() ([]versionSet, error) {
	var out []versionSet
	for _, layer := range []string{"", HarmonisedLayer} {
		ents, err := os.ReadDir(filepath.Join(s.root, layerDir(layer)))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		for _, e := range ents {
			if e.IsDir() && validName(e.Name()) {
				out = append(out, s.datasetSet(LayerID(layer, e.Name())))
			}
		}
	}
	if fi, err := os.Stat(filepath.Join(s.root, "indicators")); err == nil && fi.IsDir() {
		out = append(out, s.indicatorSet())
	}
	return out, nil
}

// validate checks that the catalog agrees with itself.
func (c *Catalog) validate(s *Store) error {
	check := func(vs versionSet, e *DatasetEntry) error {
		if e == nil {
			return nil
		}
		bad := func(stamp, reason string) error {
			return &CatalogError{Path: s.catalogPath(), Dataset: vs.id, Stamp: stamp, Reason: reason}
		}
		seen := map[string]bool{}
		for _, v := range e.Versions {
			if !stampRE.MatchString(v.Stamp) {
				return bad(v.Stamp, "not a version stamp")
			}
			if seen[v.Stamp] {
				return bad(v.Stamp, "listed twice")
			}
			seen[v.Stamp] = true
			if want := s.rel(filepath.Join(vs.dir, "version="+v.Stamp, vs.file)); v.Path != want {
				return bad(v.Stamp, fmt.Sprintf("path %q, want %q", v.Path, want))
			}
			if len(v.SHA256) != 64 {
				return bad(v.Stamp, "no sha256")
			}
		}
		if e.Current != "" && !seen[e.Current] {
			return bad(e.Current, "the current version is not among the versions")
		}
		return nil
	}
	for _, id := range slices.Sorted(maps.Keys(c.Datasets)) {
		if !validID(id) {
			return &CatalogError{Path: s.catalogPath(), Dataset: id, Reason: "invalid dataset id"}
		}
		if err := check(s.datasetSet(id), c.Datasets[id]); err != nil {
			return err
		}
	}
	return check(s.indicatorSet(), c.Indicators)
}

// reconcile checks the catalog against the version folders on disk and
// mends what a crash or a lost catalog left, deleting only what is provably
// incomplete or superseded:
//
//   - a folder version=<stamp> the catalog does not name, holding a
//     complete, readable Parquet file, is adopted into the catalog (not
//     made current) with Recovered set: it is data, and the catalog may be
//     the one that is wrong;
//   - such a folder whose file does not read as Parquet is moved aside to
//     .broken-version=<stamp>;
//   - such a folder with no final file (empty, or only a temp or pending
//     file: a publish that never reached the catalog) is removed;
//   - a catalogued version whose file is still at its pending name (a
//     publish stopped before its last rename) is renamed into place;
//   - a .pruned-version=<stamp> folder is removed when the catalog no
//     longer names the version, and renamed back when it still does.
//
// With mend false (read-only callers) it only adopts, in memory. The folder
// inProgress (absolute; a publish's own) is left alone. It reports whether
// the catalog changed and the folders it removed or moved aside
// (kb-relative).
func (s *Store) reconcile(c *Catalog, mend bool, inProgress string) (changed bool, removed []string, err error) {
	sets, err := s.sets()
	if err != nil {
		return false, nil, err
	}
	for _, vs := range sets {
		ents, err := os.ReadDir(vs.dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return changed, removed, err
		}
		e := vs.entry(c, false)
		for _, d := range ents {
			if !d.IsDir() {
				continue
			}
			name := d.Name()
			dir := filepath.Join(vs.dir, name)
			if dir == inProgress {
				continue
			}
			switch {
			case strings.HasPrefix(name, "version="):
				stamp := strings.TrimPrefix(name, "version=")
				if v := e.Version(stamp); v != nil {
					if mend {
						if err := s.rollForward(v); err != nil {
							return changed, removed, err
						}
					}
					continue
				}
				if !stampRE.MatchString(stamp) {
					continue // not ours
				}
				v, err := s.adopt(vs, stamp)
				switch {
				case err == nil:
					e = vs.entry(c, true)
					e.Versions = append(e.Versions, *v)
					slices.SortFunc(e.Versions, func(a, b Version) int { return compareStamps(a.Stamp, b.Stamp) })
					changed = true
				case errors.Is(err, errNoFinal):
					if mend {
						if err := removeDir(dir); err != nil {
							return changed, removed, err
						}
						removed = append(removed, s.rel(dir))
					}
				case errors.Is(err, errUnreadable):
					if mend {
						if err := os.Rename(dir, filepath.Join(vs.dir, brokenPrefix+name)); err != nil {
							return changed, removed, err
						}
						if err := syncDir(vs.dir); err != nil {
							return changed, removed, err
						}
						removed = append(removed, s.rel(dir))
					}
				default:
					return changed, removed, err
				}
			case strings.HasPrefix(name, prunedPrefix+"version=") && mend:
				stamp := strings.TrimPrefix(name, prunedPrefix+"version=")
				if e.Version(stamp) != nil {
					// The catalog still names it: the prune stopped before
					// the catalog was written. Put it back.
					if err := os.Rename(dir, filepath.Join(vs.dir, "version="+stamp)); err != nil {
						return changed, removed, err
					}
					if err := syncDir(vs.dir); err != nil {
						return changed, removed, err
					}
					continue
				}
				if err := removeDir(dir); err != nil {
					return changed, removed, err
				}
				removed = append(removed, s.rel(filepath.Join(vs.dir, "version="+stamp)))
			}
		}
	}
	return changed, removed, nil
}

// compareStamps orders stamps by time, then by suffix number.
func compareStamps(a, b string) int {
	ab, an := splitStamp(a)
	bb, bn := splitStamp(b)
	if c := strings.Compare(ab, bb); c != 0 {
		return c
	}
	return an - bn
}

func splitStamp(s string) (string, int) {
	base, suf, ok := strings.Cut(s, "-")
	if !ok {
		return s, 1
	}
	n := 0
	fmt.Sscanf(suf, "%d", &n)
	return base, n
}

func removeDir(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dir))
}

// rollForward renames a catalogued version's pending file into place.
func (s *Store) rollForward(v *Version) error {
	path := filepath.Join(s.root, filepath.FromSlash(v.Path))
	if _, err := os.Stat(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	pending := filepath.Join(filepath.Dir(path), pendingName(filepath.Base(path)))
	if _, err := os.Stat(pending); err != nil {
		return nil // missing altogether: VerifyVersion reports it
	}
	if err := os.Rename(pending, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

var (
	errNoFinal    = errors.New("no final file")
	errUnreadable = errors.New("not a readable Parquet file")
)

// standardKeys are the Parquet key-value metadata keys Publish sets itself.
var standardKeys = []string{"dataset", "version", "source", "table", "title", "unit", "updated", "fetched_at",
	"snapshots", "query", "licence", "attribution", "synthetic", "key_columns", ArrowTypesKey, ExtraKeysKey}

// extraOf returns the DatasetMeta.Extra a file was published with: the keys
// its ExtraKeysKey lists, or, in a file written before that key, every key
// that is neither one Publish sets nor in the record's schema metadata.
func extraOf(kv map[string]string, schemaKeys []string, standard []string) map[string]string {
	extra := map[string]string{}
	if list, ok := kv[ExtraKeysKey]; ok {
		for _, k := range strings.Split(list, ",") {
			if x, ok := kv[k]; ok && k != "" {
				extra[k] = x
			}
		}
		return extra
	}
	for k, x := range kv {
		if !slices.Contains(standard, k) && !slices.Contains(schemaKeys, k) {
			extra[k] = x
		}
	}
	return extra
}

// adopt describes an uncatalogued version folder's file as a catalog
// Version, from the file's own key-value metadata. The diff against the
// version before it is not known (zero).
func (s *Store) adopt(vs versionSet, stamp string) (*Version, error) {
	path := filepath.Join(vs.dir, "version="+stamp, vs.file)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, errNoFinal
	}
	if err != nil {
		return nil, err
	}
	rec, err := ReadParquet(bytes.NewReader(b), int64(len(b)), memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	defer rec.Release()
	pf, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	kv := map[string]string{}
	for _, x := range pf.Metadata().KeyValueMetadata {
		kv[x.Key] = x.Value
	}
	sum := sha256.Sum256(b)
	v := &Version{Stamp: stamp, Path: s.rel(path), SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(b)),
		Rows: rec.NumRows(), Recovered: true}
	schemaKeys := rec.Schema().Metadata().Keys()
	meta := DatasetMeta{}
	if vs.ind {
		meta.Title = "indicators"
		meta.Extra = extraOf(kv, schemaKeys, []string{"dataset", "version", ArrowTypesKey, ExtraKeysKey})
		v.Title, v.Keys = "indicators", []string{}
		v.ContentSHA256, err = contentHash(rec, nil, meta)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errUnreadable, err)
		}
		return v, nil
	}
	meta.Extra = extraOf(kv, schemaKeys, standardKeys)
	meta.Source, meta.Table, meta.Title, meta.Unit = kv["source"], kv["table"], kv["title"], kv["unit"]
	meta.Query, meta.Licence, meta.Attribution = kv["query"], kv["licence"], kv["attribution"]
	meta.Synthetic = kv["synthetic"] == "true"
	keys := DefaultKeys(rec.Schema())
	if k, ok := kv["key_columns"]; ok {
		keys = strings.Split(k, ",")
	}
	if v.ContentSHA256, err = contentHash(rec, keys, meta); err != nil {
		return nil, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	v.Source, v.Table, v.Title, v.Unit = meta.Source, meta.Table, meta.Title, meta.Unit
	v.SourceUpdated, v.Query, v.Licence, v.Attribution, v.Synthetic = kv["updated"], meta.Query, meta.Licence, meta.Attribution, meta.Synthetic
	if t, err := time.Parse(time.RFC3339Nano, kv["fetched_at"]); err == nil {
		v.FetchedAt = t.UTC()
	}
	if sn := kv["snapshots"]; sn != "" {
		v.Snapshots = strings.Split(sn, ",")
	}
	v.Keys = keys
	return v, nil
}
