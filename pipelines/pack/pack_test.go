package pack

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// The files below are SYNTHETIC stand-ins for the book's planning pages,
// its style sheet and the planners' workbook: a pack copies bytes, so
// their content does not matter.
func writeKB(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func fullKB(t *testing.T) string {
	return writeKB(t, map[string]string{
		"book/planlegging/index.html":             "<h1>Planlegging</h1>",
		"book/planlegging/region/5007/index.html": "<h1>Namsos</h1>",
		"book/planlegging/.index.html.tmp-123":    "half written",
		"book/style.css":                          "abc",
		"book/index.html":                         "not a planning page",
		"exports/planlegging.xlsx":                "PK synthetic",
		"exports/indikatorer.xlsx":                "not the planners' workbook",
	})
}

func catalog() *store.Catalog {
	return &store.Catalog{
		Datasets: map[string]*store.DatasetEntry{
			"udir_vgo_soker": {Current: "20270303T060000Z", Versions: []store.Version{
				{Stamp: "20260303T060000Z", SHA256: "old"},
				{Stamp: "20270303T060000Z", SHA256: "new", SourceUpdated: "2027-03-02T10:00:00Z", Synthetic: true}}},
			"befolkning": {Current: "20260101T000000Z", Versions: []store.Version{{Stamp: "20260101T000000Z", SHA256: "b"}}},
			"aldri":      {}, // configured, never published
		},
		Indicators: &store.DatasetEntry{Current: "20270303T061500Z", Versions: []store.Version{{Stamp: "20270303T061500Z", SHA256: "ind"}}},
	}
}

func oslo(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestPublishComplete: a pack holds exactly the planning pages, the style
// sheet and the workbook, byte for byte, and a manifest naming the
// milestone, the date in Oslo, the run and the current versions.
func TestPublishComplete(t *testing.T) {
	root := fullKB(t)
	// 23:30 UTC on 2 March 2027 is 00:30 on 3 March in Oslo (CET, +01:00).
	at := time.Date(2027, 3, 2, 23, 30, 0, 0, time.UTC)
	m, err := Publish(root, catalog(), Meta{Milestone: "soknadstall", Title: "Søkertall", Job: "soknadstall", RunID: "run-1", Time: at, Location: oslo(t)})
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "2027-03-03-soknadstall" || m.Date != "2027-03-03" {
		t.Errorf("pack name, date = %s, %s; want 2027-03-03-soknadstall, 2027-03-03", m.Name, m.Date)
	}
	dir := filepath.Join(root, Dir, m.Name)
	var got []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"book/planlegging/index.html", "book/planlegging/region/5007/index.html", "book/style.css", "exports/planlegging.xlsx", "pakke.json"}
	if !slices.Equal(got, want) {
		t.Errorf("pack files = %q, want %q", got, want)
	}
	for _, rel := range want[:4] {
		a, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if string(a) != string(b) {
			t.Errorf("%s in the pack = %q, want the kb's %q", rel, b, a)
		}
	}
	var onDisk Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &onDisk); err != nil {
		t.Fatal(err)
	}
	if onDisk.Milestone != "soknadstall" || onDisk.RunID != "run-1" || onDisk.Job != "soknadstall" || onDisk.Title != "Søkertall" {
		t.Errorf("manifest = %+v", onDisk)
	}
	if onDisk.Indicators == nil || onDisk.Indicators.Stamp != "20270303T061500Z" {
		t.Errorf("manifest indicators = %+v, want the current stamp 20270303T061500Z", onDisk.Indicators)
	}
	// Sorted by ID; the dataset never published is left out; the current
	// version, not the newest listed first, is named.
	wantDS := []DatasetRef{{ID: "befolkning", Version: "20260101T000000Z", SHA256: "b"},
		{ID: "udir_vgo_soker", Version: "20270303T060000Z", SHA256: "new", SourceUpdated: "2027-03-02T10:00:00Z", Synthetic: true}}
	if !slices.Equal(onDisk.Datasets, wantDS) {
		t.Errorf("manifest datasets = %+v, want %+v", onDisk.Datasets, wantDS)
	}
	if len(onDisk.Missing) != 0 {
		t.Errorf("manifest missing = %q, want none", onDisk.Missing)
	}
	// sha256("abc"), the FIPS 180-2 test vector.
	for _, f := range onDisk.Files {
		if f.Path == "book/style.css" && (f.SHA256 != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" || f.Bytes != 3) {
			t.Errorf("manifest file %+v, want 3 bytes with sha256 ba7816bf...", f)
		}
	}
	if len(onDisk.Files) != 4 {
		t.Errorf("manifest files = %+v, want the 4 copied", onDisk.Files)
	}
}

// TestPublishNeverOverwrites: a second pack of the milestone on the same
// day is published beside the first with the suffix -2, and the first is
// left byte for byte as it was.
func TestPublishNeverOverwrites(t *testing.T) {
	root := fullKB(t)
	at := time.Date(2027, 8, 25, 5, 0, 0, 0, time.UTC)
	first, err := Publish(root, catalog(), Meta{Milestone: "inntak", RunID: "run-1", Time: at})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(root, Dir, first.Name, ManifestName))
	if err := os.WriteFile(filepath.Join(root, "book/style.css"), []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	second, err := Publish(root, catalog(), Meta{Milestone: "inntak", RunID: "run-2", Time: at.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if first.Name != "2027-08-25-inntak" || second.Name != "2027-08-25-inntak-2" {
		t.Errorf("names = %s, %s; want 2027-08-25-inntak, 2027-08-25-inntak-2", first.Name, second.Name)
	}
	after, _ := os.ReadFile(filepath.Join(root, Dir, first.Name, ManifestName))
	css, _ := os.ReadFile(filepath.Join(root, Dir, first.Name, "book/style.css"))
	if string(before) != string(after) || string(css) != "abc" {
		t.Errorf("the first pack changed: css %q", css)
	}
	list, err := List(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].RunID != "run-1" || list[1].RunID != "run-2" {
		t.Errorf("List = %+v, want run-1's pack then run-2's", list)
	}
}

// TestPublishMissing: with nothing to copy the pack is still published and
// says what was missing.
func TestPublishMissing(t *testing.T) {
	root := t.TempDir()
	m, err := Publish(root, &store.Catalog{}, Meta{Milestone: "forum", Time: time.Date(2027, 4, 1, 5, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"book/planlegging/", "book/style.css", "exports/planlegging.xlsx"}
	if !slices.Equal(m.Missing, want) || len(m.Files) != 0 || m.Indicators != nil {
		t.Errorf("manifest = %+v, want missing %q and no files", m, want)
	}
	if _, err := os.Stat(filepath.Join(root, Dir, m.Name, ManifestName)); err != nil {
		t.Errorf("pakke.json: %v", err)
	}
}

// TestPublishCrash: a crash after every file is written but before the
// rename (a panic in the hook) leaves no visible pack; List shows none, the
// next Publish takes the name the crashed one would have had, and removes
// the leftover once it is older than store.TempAge.
func TestPublishCrash(t *testing.T) {
	root := fullKB(t)
	at := time.Date(2027, 5, 20, 5, 0, 0, 0, time.UTC)
	var hidden string
	beforeRename = func(tmp string) { hidden = tmp; panic("crash") }
	func() {
		defer func() { _ = recover() }()
		_, _ = Publish(root, catalog(), Meta{Milestone: "justering", Time: at})
	}()
	beforeRename = nil
	if hidden == "" {
		t.Fatal("the hook was not called")
	}
	if _, err := os.Stat(filepath.Join(hidden, ManifestName)); err != nil {
		t.Fatalf("the crashed pack's hidden folder is not complete: %v", err)
	}
	if !strings.HasPrefix(filepath.Base(hidden), ".") {
		t.Errorf("the folder being written is %s, not hidden", hidden)
	}
	list, err := List(root)
	if err != nil || len(list) != 0 {
		t.Errorf("List after the crash = %+v, %v; want no pack", list, err)
	}
	if _, err := os.Stat(filepath.Join(root, Dir, "2027-05-20-justering")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the pack's name exists after the crash: %v", err)
	}
	old := time.Now().Add(-2 * store.TempAge)
	if err := os.Chtimes(hidden, old, old); err != nil {
		t.Fatal(err)
	}
	m, err := Publish(root, catalog(), Meta{Milestone: "justering", Time: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(hidden); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the leftover %s was not swept: %v", hidden, err)
	}
	if strings.HasSuffix(m.Name, "-2") {
		t.Errorf("pack after the crash = %s, took a suffix for a pack that never appeared", m.Name)
	}
}

// TestPublishBadMilestone: a milestone that is not a name cannot become a
// path outside the packs' folder.
func TestPublishBadMilestone(t *testing.T) {
	root := t.TempDir()
	_, err := Publish(root, nil, Meta{Milestone: "../x"})
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("Publish(../x) = %v, want a *pack.Error", err)
	}
}

// TestListDamaged: a pack whose manifest is not JSON is an error naming
// its file; the good packs are still listed.
func TestListDamaged(t *testing.T) {
	root := fullKB(t)
	if _, err := Publish(root, nil, Meta{Milestone: "forum", Time: time.Date(2027, 4, 1, 5, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(root, Dir, "2027-04-02-forum")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, ManifestName), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	list, err := List(root)
	var pe *Error
	if !errors.As(err, &pe) || pe.Path != filepath.Join(bad, ManifestName) {
		t.Errorf("List error = %v, want a *pack.Error naming %s", err, filepath.Join(bad, ManifestName))
	}
	if len(list) != 1 || list[0].Name != "2027-04-01-forum" {
		t.Errorf("List = %+v, want the good pack", list)
	}
}
