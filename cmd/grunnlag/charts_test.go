package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/publish"
)

// treeHash lists every file under dir with the hash of its content.
func treeHash(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	// kb/charts, like the book, is a link swapped to each new complete
	// folder: walk what it points at now.
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		// The run's node list (keys of the chart sets it drew) is not a
		// chart: `grunnlag charts` draws everything and writes none.
		if err != nil || d.IsDir() || d.Name() == publish.ChartNodesFile {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel, _ := filepath.Rel(root, p)
		out[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	return out
}

// TestRunDrawsCharts: charts are a step of the run. `run --dry-run charts`
// is accepted and plans build and charts (not the book); a run draws <kb>/charts
// from the indicator table it built (the same files `grunnlag charts` draws
// from that table); an unchanged run leaves them; a run after a new
// indicator table was published outside it, or after they were removed,
// draws them again.
func TestRunDrawsCharts(t *testing.T) {
	klass, _ := filepath.Abs("../../testdata/klass")
	cfg, kb := writeSmallConfig(t, "regions:\n  bundle: "+klass+"\n")
	line := func(step, action string) *regexp.Regexp {
		return regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(step) + ` +` + action + `\b`)
	}

	code, stdout, stderr := runCLI(t, "run", "--dry-run", "charts", "--config", cfg)
	if code != exitOK {
		t.Fatalf("run --dry-run charts: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// On an empty knowledge base the fetches are checked first, so build
	// and charts wait for their inputs.
	for _, step := range []string{"build", "charts"} {
		if !line(step, "(ville kjørt|venter)").MatchString(stdout) {
			t.Errorf("run --dry-run charts: no %q line planning it:\n%s", step, stdout)
		}
	}
	if line("book", "").MatchString(stdout) {
		t.Errorf("run --dry-run charts also plans the book:\n%s", stdout)
	}

	// A mistyped target is a usage error naming the steps, charts among them
	// (in the graph's order: topological, ties by name).
	code, _, stderr = runCLI(t, "run", "chart", "--dry-run", "--config", cfg)
	if want := "grunnlag run: ukjent mål «chart»; et mål er et steg (harmonise, build, charts, planning, book, exports), en datasett-ID"; code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("run chart: exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, want)
	}

	code, stdout, stderr = runCLI(t, "run", "--config", cfg, "-q")
	if code != exitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !line("charts", "kjørt").MatchString(stdout) {
		t.Fatalf("run: the charts step did not run:\n%s", stdout)
	}
	dir := filepath.Join(kb, "charts")
	drawn := treeHash(t, dir)
	if len(drawn) == 0 {
		t.Fatalf("run left %s empty", dir)
	}
	// Drawing again from the same indicator table gives the same files:
	// what the run left is the current table's chart set, not an older one.
	if code, _, stderr := runCLI(t, "charts", "--config", cfg, "-q"); code != exitOK {
		t.Fatalf("charts: exit %d: %s", code, stderr)
	}
	again := treeHash(t, dir)
	if len(again) != len(drawn) {
		t.Errorf("grunnlag charts wrote %d files, the run %d", len(again), len(drawn))
	}
	for f, h := range drawn {
		if again[f] != h {
			t.Errorf("%s differs between the run and grunnlag charts", f)
		}
	}

	code, stdout, _ = runCLI(t, "run", "--config", cfg, "-q")
	if code != exitOK || !line("charts", "hoppes over").MatchString(stdout) {
		t.Errorf("unchanged run: exit %d, want the charts step skipped:\n%s", code, stdout)
	}

	// An indicator table published outside the run (as `grunnlag build` by
	// hand does) leaves the build step's inputs as they were; the run still
	// redraws the charts from it. The SYNTHETIC table has one indicator.
	publishSynthIndicators(t, kb)
	code, stdout, _ = runCLI(t, "run", "--config", cfg, "-q")
	if code != exitOK || !line("charts", "kjørt").MatchString(stdout) {
		t.Errorf("run after a new indicator table: exit %d, want the charts step run:\n%s", code, stdout)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		if e.Name() != publish.ChartNodesFile {
			names = append(names, e.Name())
		}
	}
	// The chart set of a table with one indicator: its folder and the
	// counties' heatmap (PNG, SVG, CSV).
	want := []string{"avviksindeks-fylker.csv", "avviksindeks-fylker.png", "avviksindeks-fylker.svg", "utdanning_hoyere_andel"}
	if !slices.Equal(names, want) {
		t.Errorf("kb/charts after the synthetic table = %v, want %v", names, want)
	}
	drawn = treeHash(t, dir)

	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = runCLI(t, "run", "--config", cfg, "-q")
	if code != exitOK || !line("charts", "kjørt").MatchString(stdout) {
		t.Errorf("run after kb/charts was removed: exit %d, want the charts step run:\n%s", code, stdout)
	}
	if len(treeHash(t, dir)) != len(drawn) {
		t.Errorf("run after removal drew %d files, want %d", len(treeHash(t, dir)), len(drawn))
	}
}
