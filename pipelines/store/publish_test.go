package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

var t0 = time.Date(2026, 1, 15, 8, 15, 0, 0, time.UTC)

func clockStore(t *testing.T) (*Store, *clock) {
	t.Helper()
	c := &clock{t: t0}
	s, err := Open(t.TempDir(), WithClock(c.now))
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func csvOf(t *testing.T, rec arrow.Record) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCSV(&b, rec); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func publishCells(t *testing.T, s *Store, id string, cells []cell, meta DatasetMeta) *Version {
	t.Helper()
	rec := makeRecord(t, cells)
	defer rec.Release()
	v, err := s.Publish(context.Background(), id, rec, meta)
	if err != nil {
		t.Fatalf("Publish(%s) error = %v", id, err)
	}
	return v
}

// v2Cells changes baseCells by hand: 5001/2023 unchanged (its label changes,
// which is no revision); 5001/2024 status p -> none (revised); 5007/2023
// 200 -> 201 (revised); 5007/2024 removed; 5020/2024 added.
// So: added 1, removed 1, revised 2, unchanged 1.
var v2Cells = []cell{
	{"5001", "Trondheim - Tråante", "2023", 1000, ""},
	{"5001", "Trondheim - Tråante", "2024", 1010.5, ""},
	{"5007", "Namsos", "2023", 201, ""},
	{"5020", "Malvik", "2024", 14000, ""},
}

func TestPublish(t *testing.T) {
	s, c := clockStore(t)
	meta := DatasetMeta{Source: "ssb", Table: "07459", Title: "Befolkning", Unit: "personer",
		FetchedAt: t0, Snapshots: []string{"aa"}, Synthetic: true}

	v1 := publishCells(t, s, "befolkning", baseCells, meta)
	if v1.Stamp != "20260115T081500Z" || v1.Diff != (Diff{Added: 4}) || v1.Unchanged {
		t.Errorf("first Publish() = stamp %s diff %+v unchanged %v, want 20260115T081500Z {Added:4} false", v1.Stamp, v1.Diff, v1.Unchanged)
	}
	if v1.Path != "datasets/befolkning/version=20260115T081500Z/part-0.parquet" {
		t.Errorf("Path = %s", v1.Path)
	}
	if want := []string{"region", "year"}; strings.Join(v1.Keys, ",") != strings.Join(want, ",") {
		t.Errorf("Keys = %v, want %v", v1.Keys, want)
	}
	b, err := os.ReadFile(filepath.Join(s.Root(), v1.Path))
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != v1.SHA256 || int64(len(b)) != v1.Bytes || v1.Rows != 4 {
		t.Errorf("Version sha256/bytes/rows = %s/%d/%d, want those of the file (%d bytes) and 4 rows", v1.SHA256, v1.Bytes, v1.Rows, len(b))
	}

	// Same second: the stamp gets a suffix.
	meta2 := meta
	meta2.FetchedAt = t0.Add(time.Second)
	v2 := publishCells(t, s, "befolkning", v2Cells, meta2)
	if v2.Stamp != "20260115T081500Z-2" {
		t.Errorf("second Publish() stamp = %s, want 20260115T081500Z-2", v2.Stamp)
	}
	if want := (Diff{Added: 1, Removed: 1, Revised: 2, Unchanged: 1}); v2.Diff != want {
		t.Errorf("second Publish() diff = %+v, want %+v", v2.Diff, want)
	}

	// Equal data fetched again later: no new version, a recorded check.
	c.t = t0.Add(time.Hour)
	meta3 := meta
	meta3.FetchedAt, meta3.Snapshots, meta3.Updated = c.t, []string{"cc"}, "2026-01-15"
	v3 := publishCells(t, s, "befolkning", v2Cells, meta3)
	if !v3.Unchanged || v3.Stamp != v2.Stamp || v3.SHA256 != v2.SHA256 {
		t.Errorf("third Publish() = stamp %s unchanged %v, want stamp %s unchanged true", v3.Stamp, v3.Unchanged, v2.Stamp)
	}
	cat, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	e := cat.Datasets["befolkning"]
	if e.Current != v2.Stamp || len(e.Versions) != 2 || !e.LastChecked.Equal(c.t) || e.LastError != "" {
		t.Errorf("catalog entry = current %s, %d versions, last_checked %v; want %s, 2, %v", e.Current, len(e.Versions), e.LastChecked, v2.Stamp, c.t)
	}
	dirs, _ := filepath.Glob(filepath.Join(s.Root(), "datasets", "befolkning", "version=*"))
	if len(dirs) != 2 {
		t.Errorf("version folders = %v, want 2", dirs)
	}

	// A label-only change is a new version whose cells are all unchanged.
	c.t = t0.Add(2 * time.Hour)
	relabel := append([]cell(nil), v2Cells...)
	relabel[3].regionLabel = "Malvik kommune"
	v4 := publishCells(t, s, "befolkning", relabel, meta)
	if v4.Unchanged || v4.Diff != (Diff{Unchanged: 4}) || v4.Stamp != "20260115T101500Z" {
		t.Errorf("relabel Publish() = %s unchanged %v diff %+v, want 20260115T101500Z false {Unchanged:4}", v4.Stamp, v4.Unchanged, v4.Diff)
	}

	// Every version reads back as published.
	for _, tc := range []struct {
		stamp string
		cells []cell
	}{{v1.Stamp, baseCells}, {v2.Stamp, v2Cells}, {"", relabel}} {
		t.Run("ReadVersion "+tc.stamp, func(t *testing.T) {
			got, err := s.ReadVersion("befolkning", tc.stamp)
			if err != nil {
				t.Fatal(err)
			}
			defer got.Release()
			want := makeRecord(t, tc.cells)
			defer want.Release()
			if !arrow.TypeEqual(got.Schema().Field(0).Type, dictType) {
				t.Errorf("ReadVersion() region type = %s, want %s", got.Schema().Field(0).Type, dictType)
			}
			if g, w := csvOf(t, got), csvOf(t, want); g != w {
				t.Errorf("ReadVersion(%q) =\n%s\nwant\n%s", tc.stamp, g, w)
			}
		})
	}
	if _, err := s.ReadVersion("befolkning", "19990101T000000Z"); err == nil {
		t.Errorf("ReadVersion(unknown stamp) = nil error")
	}
	if _, err := s.ReadVersion("ukjent", ""); err == nil {
		t.Errorf("ReadVersion(unknown dataset) = nil error")
	}
}

func TestDiffRecords(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new []cell
		want     Diff
	}{
		{"missing stays missing", []cell{{"1", "a", "2024", nan, ".."}}, []cell{{"1", "a", "2024", nan, ".."}}, Diff{Unchanged: 1}},
		{"missing becomes a number", []cell{{"1", "a", "2024", nan, ".."}}, []cell{{"1", "a", "2024", 0, ""}}, Diff{Revised: 1}},
		{"zero becomes missing", []cell{{"1", "a", "2024", 0, ""}}, []cell{{"1", "a", "2024", nan, ""}}, Diff{Revised: 1}},
		{"status added", []cell{{"1", "a", "2024", 5, ""}}, []cell{{"1", "a", "2024", 5, "e"}}, Diff{Revised: 1}},
		{"label changed only", []cell{{"1", "a", "2024", 5, ""}}, []cell{{"1", "b", "2024", 5, ""}}, Diff{Unchanged: 1}},
		{"new period", []cell{{"1", "a", "2023", 5, ""}}, []cell{{"1", "a", "2023", 5, ""}, {"1", "a", "2024", 6, ""}}, Diff{Added: 1, Unchanged: 1}},
		{"all removed", []cell{{"1", "a", "2023", 5, ""}, {"2", "b", "2023", 5, ""}}, []cell{{"3", "c", "2023", 5, ""}}, Diff{Added: 1, Removed: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, n := makeRecord(t, tc.old), makeRecord(t, tc.new)
			defer o.Release()
			defer n.Release()
			keys := DefaultKeys(n.Schema())
			oc, err := newCells(o, keys)
			if err != nil {
				t.Fatal(err)
			}
			nc, err := newCells(n, keys)
			if err != nil {
				t.Fatal(err)
			}
			idx, err := nc.index(keys)
			if err != nil {
				t.Fatal(err)
			}
			if got := diffRecords(oc, nc, idx, keys); got != tc.want {
				t.Errorf("diff = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestPublishErrors(t *testing.T) {
	s, _ := clockStore(t)
	rec := makeRecord(t, baseCells)
	defer rec.Release()
	for _, tc := range []struct {
		name, id string
		meta     DatasetMeta
		want     string
	}{
		{"bad id", "../x", DatasetMeta{}, "invalid dataset id"},
		{"duplicate key", "a", DatasetMeta{Keys: []string{"region"}}, "rows 0 and 1 have the same key (region)"},
		{"unknown key", "a", DatasetMeta{Keys: []string{"kjønn"}}, `key column "kjønn" not in the record`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Publish(context.Background(), tc.id, rec, tc.meta)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Publish() error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(s.Root(), "catalog.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("failed publishes wrote a catalog: %v", err)
	}
	// Explicit keys make a diff keyed by region only.
	v1 := publishCells(t, s, "k", []cell{{"1", "a", "2023", 1, ""}, {"2", "b", "2023", 2, ""}}, DatasetMeta{Keys: []string{"region"}})
	v2 := publishCells(t, s, "k", []cell{{"1", "a", "2024", 1, ""}, {"2", "b", "2024", 3, ""}}, DatasetMeta{Keys: []string{"region"}})
	if v1.Diff != (Diff{Added: 2}) || v2.Diff != (Diff{Revised: 1, Unchanged: 1}) {
		t.Errorf("diffs with Keys [region] = %+v, %+v; want {Added:2}, {Revised:1 Unchanged:1}", v1.Diff, v2.Diff)
	}
}

// tree lists every file under root (relative, sorted).
func tree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			r, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(r))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// checkConsistent asserts what a reader finds if the process died now: the
// catalog is the given one and every file it references is complete (its
// sha256 matches and it parses).
func checkConsistent(t *testing.T, s *Store, wantCatalog []byte) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(s.Root(), "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wantCatalog) {
		t.Errorf("catalog.json changed before the data was complete:\n%s", got)
	}
	cat, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for id, e := range cat.Datasets {
		for _, v := range e.Versions {
			rec, err := s.ReadVersion(id, v.Stamp)
			if err != nil {
				t.Errorf("catalog points at a broken file: %v", err)
				continue
			}
			rec.Release()
		}
	}
}

func TestPublishCrashSafety(t *testing.T) {
	errInjected := errors.New("injected failure")
	for _, step := range []string{"version-dir", "parquet-written", "before-catalog"} {
		for _, mode := range []string{"error", "cancel"} {
			t.Run(step+"/"+mode, func(t *testing.T) {
				s, c := clockStore(t)
				publishCells(t, s, "befolkning", baseCells, DatasetMeta{Source: "ssb"})
				oldCatalog, err := os.ReadFile(filepath.Join(s.Root(), "catalog.json"))
				if err != nil {
					t.Fatal(err)
				}
				oldTree := tree(t, s.Root())
				c.t = t0.Add(time.Minute)

				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				reached := false
				s.hook = func(name string) error {
					if name != step {
						return nil
					}
					reached = true
					checkConsistent(t, s, oldCatalog) // a crash here
					if mode == "cancel" {
						cancel()
						return nil
					}
					return errInjected
				}
				rec := makeRecord(t, v2Cells)
				defer rec.Release()
				_, err = s.Publish(ctx, "befolkning", rec, DatasetMeta{Source: "ssb"})
				if !reached {
					t.Fatalf("step %q never reached", step)
				}
				want := errInjected
				if mode == "cancel" {
					want = context.Canceled
				}
				if !errors.Is(err, want) {
					t.Fatalf("Publish() error = %v, want %v", err, want)
				}
				s.hook = nil
				checkConsistent(t, s, oldCatalog)
				if got := tree(t, s.Root()); strings.Join(got, "\n") != strings.Join(oldTree, "\n") {
					t.Errorf("files after failed Publish =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(oldTree, "\n"))
				}
				dirs, _ := filepath.Glob(filepath.Join(s.Root(), "datasets", "befolkning", "version=*"))
				if len(dirs) != 1 {
					t.Errorf("version folders = %v, want only the first", dirs)
				}
			})
		}
	}
}

// failAfter writes n bytes, then fails: a disk that fills up mid-write.
type failAfter struct {
	w   io.Writer
	n   int
	err error
}

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, f.err
	}
	f.n -= len(p)
	return f.w.Write(p)
}

func TestWriteFileAtomic(t *testing.T) {
	boom := errors.New("disk full")
	for _, tc := range []struct {
		name    string
		write   func(io.Writer) error
		want    string
		wantErr error
	}{
		{"success", func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, "new", nil},
		{"writer fails midway", func(w io.Writer) error {
			_, err := io.WriteString(&failAfter{w: w, n: 2, err: boom}, "new content")
			return err
		}, "old", boom},
		{"parquet writer fails", func(w io.Writer) error {
			rec := makeRecord(t, baseCells)
			defer rec.Release()
			return WriteParquet(&failAfter{w: w, n: 10, err: boom}, rec, nil)
		}, "old", boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f.txt")
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			err := WriteFileAtomic(path, tc.write)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("WriteFileAtomic() error = %v, want %v", err, tc.wantErr)
			}
			if got := readFile(t, path); got != tc.want {
				t.Errorf("file = %q, want %q", got, tc.want)
			}
			if got := tree(t, dir); len(got) != 1 || got[0] != "f.txt" {
				t.Errorf("directory = %v, want only f.txt (no temp file left)", got)
			}
		})
	}
	if err := WriteFileAtomic(filepath.Join(t.TempDir(), "missing", "f"), func(io.Writer) error { return nil }); err == nil {
		t.Errorf("WriteFileAtomic(missing dir) = nil error")
	}
}

// TestPublishExtraMetadata: a change of a descriptive Extra key alone is a
// new version (every cell unchanged); a change of a volatile key
// (VolatileExtra: parsed_from, code_version) alone is not.
func TestPublishExtraMetadata(t *testing.T) {
	s, c := clockStore(t)
	meta := DatasetMeta{Source: "ssb", Table: "07459", Title: "Befolkning", Unit: "personer",
		Extra: map[string]string{"source_url": "https://data.ssb.no/api/pxwebapi/v2", "code_version": "v1"}}
	v1 := publishCells(t, s, "befolkning", baseCells, meta)

	c.t = t0.Add(time.Hour)
	volatile := meta
	volatile.Extra = map[string]string{"source_url": "https://data.ssb.no/api/pxwebapi/v2", "code_version": "v2",
		"parsed_from": "raw snapshots (--offline)"}
	v2 := publishCells(t, s, "befolkning", baseCells, volatile)
	if !v2.Unchanged || v2.Stamp != v1.Stamp {
		t.Errorf("volatile-only change: Publish() = %s unchanged %v, want %s unchanged", v2.Stamp, v2.Unchanged, v1.Stamp)
	}

	c.t = t0.Add(2 * time.Hour)
	noted := meta
	noted.Extra = map[string]string{"source_url": "https://data.ssb.no/api/pxwebapi/v2", "code_version": "v1",
		"grunnlag.joined": "kompetansebehov; 13470 (2024)"}
	v3 := publishCells(t, s, "befolkning", baseCells, noted)
	// baseCells has 4 cells (see TestPublish), all carried over.
	if v3.Unchanged || v3.Stamp != "20260115T101500Z" || v3.Diff != (Diff{Unchanged: 4}) {
		t.Errorf("descriptive Extra change: Publish() = %s unchanged %v diff %+v, want 20260115T101500Z, a new version, {Unchanged:4}",
			v3.Stamp, v3.Unchanged, v3.Diff)
	}
}
