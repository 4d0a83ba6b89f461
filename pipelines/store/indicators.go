package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
)

// IndicatorsFile is the file name of an indicator table version.
const IndicatorsFile = "indicators.parquet"

// PublishIndicators writes the indicator table as a new version,
// <kb>/indicators/version=<stamp>/indicators.parquet, atomically
// (WriteParquet through WriteFileAtomic), then records it in the catalog's
// "indicators" entry and makes it current. kv is added to the Parquet
// key-value metadata. Versions are never rewritten; when the content equals
// the current version's, nothing is written and the current version is
// returned with Unchanged set. On error the version folder is removed and
// the catalog is left as it was.
func (s *Store) PublishIndicators(ctx context.Context, rec arrow.Record, kv map[string]string) (v *Version, err error) {
	if rec == nil {
		return nil, fmt.Errorf("store: publish indicators: nil record")
	}
	meta := DatasetMeta{Title: "indicators", Extra: kv}
	content, err := contentHash(rec, nil, meta)
	if err != nil {
		return nil, fmt.Errorf("store: publish indicators: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cat, err := s.Catalog()
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	cur := cat.Indicators.CurrentVersion()
	var damaged *DamagedError
	if cur != nil {
		if err := s.VerifyVersion("indicators", cur); err != nil && !errors.As(err, &damaged) {
			return nil, fmt.Errorf("store: publish indicators: %w", err)
		}
	}
	if cur != nil && cur.ContentSHA256 == content && damaged == nil {
		out := *cur
		out.Unchanged = true
		return &out, s.updateCatalogLocked(func(c *Catalog) error {
			if c.Indicators != nil {
				c.Indicators.LastChecked, c.Indicators.LastError = now, ""
			}
			return nil
		})
	}
	dir := filepath.Join(s.root, "indicators")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: publish indicators: %w", err)
	}
	base := now.Format(stampLayout)
	stamp, verDir := "", ""
	for n := 1; ; n++ {
		stamp = base
		if n > 1 {
			stamp = base + "-" + strconv.Itoa(n)
		}
		if cat.Indicators.Version(stamp) != nil {
			continue
		}
		verDir = filepath.Join(dir, "version="+stamp)
		err := mkdirSync(verDir)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("store: publish indicators: %w", err)
		}
	}
	committed := false // the catalog names the version
	defer func() {
		if err != nil && !committed {
			_ = os.RemoveAll(verDir)
			_ = syncDir(dir)
		}
	}()
	md := map[string]string{}
	for k, x := range kv {
		md[k] = x
	}
	md["dataset"], md["version"] = "indicators", stamp
	if len(kv) > 0 {
		md[ExtraKeysKey] = strings.Join(slices.Sorted(maps.Keys(kv)), ",")
	}
	// Written under the pending name, renamed once the catalog names it
	// (see Publish).
	file := filepath.Join(verDir, IndicatorsFile)
	pending := filepath.Join(verDir, pendingName(IndicatorsFile))
	cw := &countWriter{h: sha256.New()}
	if err := WriteFileAtomic(pending, func(w io.Writer) error {
		return WriteParquet(ctxWriter{ctx, io.MultiWriter(w, cw)}, rec, md)
	}); err != nil {
		return nil, fmt.Errorf("store: publish indicators: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("store: publish indicators: %w", err)
	}
	ver := Version{
		Stamp: stamp, Path: s.rel(file), SHA256: hex.EncodeToString(cw.h.Sum(nil)), Bytes: cw.n,
		Rows: rec.NumRows(), ContentSHA256: content, Title: "indicators", Keys: []string{},
	}
	if damaged != nil {
		ver.Repairs = cur.Stamp
	}
	if err := s.updateCatalogSkip(func(c *Catalog) error {
		if c.Indicators == nil {
			c.Indicators = &DatasetEntry{}
		}
		c.Indicators.Versions = append(c.Indicators.Versions, ver)
		c.Indicators.Current = stamp
		c.Indicators.LastChecked, c.Indicators.LastError = now, ""
		return nil
	}, verDir); err != nil {
		return nil, fmt.Errorf("store: publish indicators: %w", err)
	}
	committed = true
	if err := os.Rename(pending, file); err != nil {
		return nil, fmt.Errorf("store: publish indicators: rename: %w", err)
	}
	if err := syncDir(verDir); err != nil {
		return nil, fmt.Errorf("store: publish indicators: %w", err)
	}
	return &ver, nil
}

// ReadIndicators reads a version of the indicator table (stamp "" = the
// current one), checking its sha256 against the catalog.
func (s *Store) ReadIndicators(stamp string) (arrow.Record, error) {
	cat, err := s.Catalog()
	if err != nil {
		return nil, err
	}
	e := cat.Indicators
	if e == nil {
		return nil, fmt.Errorf("store: no indicator table in the catalog")
	}
	if stamp == "" {
		stamp = e.Current
	}
	v := e.Version(stamp)
	if v == nil {
		return nil, fmt.Errorf("store: indicators: no version %q in the catalog", stamp)
	}
	return s.readVersionFile("indicators", v)
}
