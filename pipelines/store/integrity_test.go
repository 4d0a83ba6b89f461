package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// history publishes versions by hand: 3 of dataset a (a revision each
// time), 2 of dataset b, one hour apart. All data is synthetic.
func history(t *testing.T) (*Store, *clock, map[string][]string) {
	t.Helper()
	s, c := clockStore(t)
	stamps := map[string][]string{}
	n := 0
	for _, id := range []string{"a", "b"} {
		count := 3
		if id == "b" {
			count = 2
		}
		for i := 0; i < count; i++ {
			c.t = t0.Add(time.Duration(n) * time.Hour)
			n++
			cells := append([]cell(nil), baseCells...)
			cells[0].value = float64(i)
			stamps[id] = append(stamps[id], publishCells(t, s, id, cells, DatasetMeta{Source: "testkilde", Table: "T" + id}).Stamp)
		}
	}
	return s, c, stamps
}

// versionGlob is what DuckDB's read_parquet('kb/datasets/*/version=*/*.parquet') sees.
func versionGlob(t *testing.T, root string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(root, "datasets", "*", "version=*", "*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range m {
		r, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(r))
	}
	slices.Sort(out)
	return out
}

func catalogPaths(t *testing.T, s *Store) []string {
	t.Helper()
	cat, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range cat.Datasets {
		for _, v := range e.Versions {
			out = append(out, v.Path)
		}
	}
	slices.Sort(out)
	return out
}

// TestCatalogMissingKeepsHistory: a lost catalog.json is rebuilt from the
// version folders; a publish and a prune after it keep every version. (The
// old store read a missing catalog as empty, and the next prune removed
// every version folder of every dataset.)
func TestCatalogMissingKeepsHistory(t *testing.T) {
	s, c, stamps := history(t)
	before := versionGlob(t, s.Root())
	if len(before) != 5 {
		t.Fatalf("history wrote %d version files, want 5", len(before))
	}
	if err := os.Remove(s.catalogPath()); err != nil {
		t.Fatal(err)
	}
	cat, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range stamps {
		e := cat.Datasets[id]
		if e == nil || len(e.Versions) != len(want) || e.Current != want[len(want)-1] {
			t.Fatalf("rebuilt catalog %s = %+v, want versions %v, current the newest", id, e, want)
		}
		for _, v := range e.Versions {
			if !v.Recovered || v.Source != "testkilde" || v.Table != "T"+id || v.Rows != 4 {
				t.Errorf("rebuilt %s@%s = %+v, want recovered, source, table and 4 rows from the file's metadata", id, v.Stamp, v)
			}
		}
	}
	if cat.RebuiltAt.IsZero() {
		t.Errorf("rebuilt catalog has no rebuilt_at")
	}
	// The same data again is unchanged: the rebuilt content hash matches.
	c.t = t0.Add(10 * time.Hour)
	cells := append([]cell(nil), baseCells...)
	cells[0].value = 2
	if v := publishCells(t, s, "a", cells, DatasetMeta{Source: "testkilde", Table: "Ta"}); !v.Unchanged {
		t.Errorf("publishing a's current content after the rebuild made version %s, want unchanged", v.Stamp)
	}
	removed, err := s.Prune(5)
	if err != nil || len(removed) != 0 {
		t.Fatalf("Prune(5) after the rebuild = %v, %v; want nothing removed", removed, err)
	}
	if got := versionGlob(t, s.Root()); !slices.Equal(got, before) {
		t.Errorf("version files after rebuild, publish and prune = %v, want %v", got, before)
	}
	if got := catalogPaths(t, s); !slices.Equal(got, before) {
		t.Errorf("catalog after the rebuild names %v, want %v", got, before)
	}
}

// TestCatalogWrongIsChecked: a catalog that parses but lists too little
// (here: nothing, and one version of a only) has the versions it forgot
// adopted, not removed; one that contradicts itself stops every write with
// a *CatalogError and removes nothing.
func TestCatalogWrongIsChecked(t *testing.T) {
	s, _, stamps := history(t)
	before := versionGlob(t, s.Root())
	cat, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	onlyLast := *cat.Datasets["a"]
	onlyLast.Versions = onlyLast.Versions[2:]
	for _, wrong := range []*Catalog{
		{Datasets: map[string]*DatasetEntry{}},
		{Datasets: map[string]*DatasetEntry{"a": &onlyLast}},
	} {
		if err := WriteJSON(s.catalogPath(), wrong); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Prune(5); err != nil {
			t.Fatal(err)
		}
		if got := versionGlob(t, s.Root()); !slices.Equal(got, before) {
			t.Errorf("version files after Prune(5) on a short catalog = %v, want %v", got, before)
		}
		if got := catalogPaths(t, s); !slices.Equal(got, before) {
			t.Errorf("catalog after Prune(5) names %v, want all of %v", got, before)
		}
	}
	// a's current is stamps["a"][2] as the short catalog said; b gets its newest.
	cat, _ = s.Catalog()
	if cat.Datasets["a"].Current != stamps["a"][2] || cat.Datasets["b"].Current != "" && cat.Datasets["b"].Current != stamps["b"][1] {
		t.Errorf("currents after adoption: a %s, b %s", cat.Datasets["a"].Current, cat.Datasets["b"].Current)
	}

	// Self-contradicting: a current version that is not listed.
	bad := *cat.Datasets["a"]
	bad.Current = "20300101T000000Z"
	cat.Datasets["a"] = &bad
	if err := WriteJSON(s.catalogPath(), cat); err != nil {
		t.Fatal(err)
	}
	var ce *CatalogError
	if _, err := s.Prune(1); !errors.As(err, &ce) || ce.Dataset != "a" || !strings.Contains(err.Error(), "catalog.json") {
		t.Errorf("Prune on a self-contradicting catalog = %v, want a *CatalogError naming the file and dataset a", err)
	}
	if err := s.RecordCheck("a", nil); !errors.As(err, &ce) {
		t.Errorf("RecordCheck on a self-contradicting catalog = %v, want a *CatalogError", err)
	}
	if got := versionGlob(t, s.Root()); !slices.Equal(got, before) {
		t.Errorf("version files after the refused prune = %v, want %v", got, before)
	}
}

// copyTree copies the kb as it is on disk at one instant: the state a
// SIGKILL at that instant would leave (every file here is synced before
// the next step).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if d.Name() == LockFile {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCrashStatesSeeOnlyCatalogued freezes the kb at every step of a
// publish and of a prune (as a kill there would leave it) and checks that
// a glob over version=*/*.parquet sees only catalogued versions, and that
// the next catalog update mends the state: every catalogued file in place,
// no version folder without its file. (The old publish renamed the file
// into place before the catalog named it: frozen there, the glob saw an
// uncatalogued version.)
func TestCrashStatesSeeOnlyCatalogued(t *testing.T) {
	s, c, _ := history(t)
	var frozen []string
	freeze := func(step string) error {
		dst := filepath.Join(t.TempDir(), "kb")
		copyTree(t, s.Root(), dst)
		frozen = append(frozen, step+"="+dst)
		return nil
	}
	s.hook = freeze
	c.t = t0.Add(20 * time.Hour)
	cells := append([]cell(nil), baseCells...)
	cells[0].value = 99
	publishCells(t, s, "a", cells, DatasetMeta{})
	if _, err := s.Prune(2); err != nil {
		t.Fatal(err)
	}
	s.hook = nil
	steps := map[string]bool{}
	for _, f := range frozen {
		step, root, _ := strings.Cut(f, "=")
		steps[step] = true
		fs, err := Open(root)
		if err != nil {
			t.Fatal(err)
		}
		if got, cat := versionGlob(t, root), catalogPaths(t, fs); !isSubset(got, cat) {
			t.Errorf("frozen at %s: the glob sees %v, the catalog names %v", step, got, cat)
		}
		if err := fs.RecordCheck("a", nil); err != nil {
			t.Fatalf("frozen at %s: catalog update: %v", step, err)
		}
		got, cat := versionGlob(t, root), catalogPaths(t, fs)
		if !slices.Equal(got, cat) {
			t.Errorf("frozen at %s, mended: the glob sees %v, the catalog names %v", step, got, cat)
		}
		dirs, _ := filepath.Glob(filepath.Join(root, "datasets", "*", "*version=*"))
		if len(dirs) != len(cat) {
			t.Errorf("frozen at %s, mended: version folders %v, want one per catalogued version %v", step, dirs, cat)
		}
		if bad, err := fs.CheckCurrent(); err != nil || len(bad) != 0 {
			t.Errorf("frozen at %s, mended: CheckCurrent = %v, %v", step, bad, err)
		}
	}
	for _, want := range []string{"version-dir", "parquet-written", "before-catalog", "catalog-written", "pruned-aside"} {
		if !steps[want] {
			t.Errorf("step %s never reached", want)
		}
	}
}

func isSubset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// TestSweepLeftovers: version folders a crashed publish left without a
// complete file (empty; only a temp file; only a pending file the catalog
// does not name) are removed at the next catalog update, with or without
// retention (before, only Prune removed them, and retention: 0 never
// prunes); a folder whose file is not Parquet is moved aside, not removed.
func TestSweepLeftovers(t *testing.T) {
	s, _, _ := history(t)
	dir := s.datasetDir("a")
	mk := func(name string, files ...string) string {
		p := filepath.Join(dir, name)
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(p, f), []byte("PAR1 partial"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	empty := mk("version=20260201T000000Z")
	temp := mk("version=20260202T000000Z", ".part-0.parquet.pending.tmp-123")
	pend := mk("version=20260203T000000Z", ".part-0.parquet.pending")
	broken := mk("version=20260204T000000Z", "part-0.parquet")
	if err := s.RecordCheck("a", nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{empty, temp, pend, broken} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s still there after the catalog update", filepath.Base(p))
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, ".broken-version=20260204T000000Z", "part-0.parquet")); err != nil || string(b) != "PAR1 partial" {
		t.Errorf("the unreadable file was not moved aside intact: %q, %v", b, err)
	}
	if got, cat := versionGlob(t, s.Root()), catalogPaths(t, s); !slices.Equal(got, cat) {
		t.Errorf("after the sweep the glob sees %v, the catalog names %v", got, cat)
	}
}

// TestDamagedCurrentIsRepaired: a truncated current file is found by
// VerifyVersion and CheckCurrent, and publishing the same content again
// writes a new version that repairs it (before, Publish found the content
// unchanged and kept the truncated file current).
func TestDamagedCurrentIsRepaired(t *testing.T) {
	s, c, stamps := history(t)
	cat, _ := s.Catalog()
	cur := cat.Datasets["b"].CurrentVersion()
	path := filepath.Join(s.Root(), filepath.FromSlash(cur.Path))
	if err := os.Truncate(path, cur.Bytes/2); err != nil {
		t.Fatal(err)
	}
	var de *DamagedError
	if err := s.VerifyVersion("b", cur); !errors.As(err, &de) || de.Stamp != cur.Stamp {
		t.Fatalf("VerifyVersion(truncated) = %v, want a *DamagedError", err)
	}
	bad, err := s.CheckCurrent()
	if err != nil || len(bad) != 1 || bad[0].Dataset != "b" {
		t.Fatalf("CheckCurrent = %v, %v; want b damaged", bad, err)
	}
	// A file of the right size with other bytes fails the sha256.
	if err := os.WriteFile(path, make([]byte, cur.Bytes), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyVersion("b", cur); !errors.As(err, &de) {
		t.Errorf("VerifyVersion(overwritten) = %v, want a *DamagedError", err)
	}

	c.t = t0.Add(30 * time.Hour)
	cells := append([]cell(nil), baseCells...)
	cells[0].value = 1 // b's current content (history's second version)
	v := publishCells(t, s, "b", cells, DatasetMeta{Source: "testkilde", Table: "Tb"})
	if v.Unchanged || v.Repairs != stamps["b"][1] || v.Diff != (Diff{Unchanged: 4}) {
		t.Fatalf("Publish over a damaged current = %+v, want a new version repairing %s, 4 cells unchanged", v, stamps["b"][1])
	}
	if bad, err := s.CheckCurrent(); err != nil || len(bad) != 0 {
		t.Errorf("CheckCurrent after the repair = %v, %v; want none", bad, err)
	}
	rec, err := s.ReadVersion("b", "")
	if err != nil {
		t.Fatal(err)
	}
	rec.Release()
}

// TestPublishAfterCancelKeepsPrevious: a publish stopped by its context
// leaves the previous version current and no folder behind.
func TestPublishAfterCancelKeepsPrevious(t *testing.T) {
	s, _, stamps := history(t)
	ctx, cancel := context.WithCancel(context.Background())
	s.hook = func(step string) error {
		if step == "parquet-written" {
			cancel()
		}
		return nil
	}
	rec := makeRecord(t, baseCells)
	defer rec.Release()
	if _, err := s.Publish(ctx, "a", rec, DatasetMeta{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Publish(cancelled) = %v", err)
	}
	cat, _ := s.Catalog()
	if cat.Datasets["a"].Current != stamps["a"][2] {
		t.Errorf("current after a cancelled publish = %s, want %s", cat.Datasets["a"].Current, stamps["a"][2])
	}
	if got, want := versionGlob(t, s.Root()), catalogPaths(t, s); !slices.Equal(got, want) {
		t.Errorf("glob %v, catalog %v", got, want)
	}
}
