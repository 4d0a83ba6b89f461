package steps

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// needsRunner is a runner of the steps up to needs (fetch, harmonise,
// survey, needs) of the demo config cfg, so that the test runs nothing
// after them.
func needsRunner(t *testing.T, cfg *config.Config) (*dag.Runner, *store.Store) {
	t.Helper()
	st, err := store.Open(cfg.KB)
	if err != nil {
		t.Fatal(err)
	}
	var keep []dag.Step
	for _, s := range List(Deps{Config: cfg, Store: st}) {
		if strings.HasPrefix(s.Name, FetchPrefix) || s.Name == "harmonise" || s.Name == "survey" || s.Name == "needs" {
			keep = append(keep, s)
		}
	}
	g, err := dag.New(keep...)
	if err != nil {
		t.Fatal(err)
	}
	return &dag.Runner{Graph: g, Store: st}, st
}

// replaceIn replaces old by new once in the file rel of the test's copy of
// testdata, failing when old is not there.
func replaceIn(t *testing.T, root, rel, old, new string) {
	t.Helper()
	path := filepath.Join(root, filepath.FromSlash(rel))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s has no %q", rel, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// needsVersions are the current stamps of the needs step's two datasets.
func needsVersions(t *testing.T, st *store.Store) [2]string {
	t.Helper()
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	var out [2]string
	for i, id := range []string{needs.DatasetNeeds, needs.DatasetSupply} {
		if v := cat.Datasets[id].CurrentVersion(); v != nil {
			out[i] = v.Stamp
		}
	}
	return out
}

// TestNeedsStepReuse: the needs step builds again only when something it
// reads changed. A change of nav_mangel_naering (a harmonised dataset the
// supply join does not read: needs.SupplyDatasets) runs the step, which
// reuses its output: same identity, same dataset versions, so the steps
// after it skip. A change of a supply dataset (nav_yrkespraksis), of the
// survey, of the config's needs section or of the code builds again.
func TestNeedsStepReuse(t *testing.T) {
	if testing.Short() {
		t.Skip("a demo refresh and several needs builds take a minute")
	}
	if raceEnabled {
		t.Skip("a demo refresh and several needs builds take most of the race pass's time")
	}
	cfg, root := copyTestdata(t)
	r, st := needsRunner(t, cfg)
	ctx := context.Background()
	run := func(what string) *dag.StepReport {
		t.Helper()
		rep, err := r.Run(ctx, dag.Options{})
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		s := stepReport(rep, "needs")
		if s == nil {
			t.Fatalf("%s: no needs step in the report", what)
		}
		return s
	}
	first := run("first run")
	if first.Action != dag.ActionRun || first.Outcome != "built" {
		t.Fatalf("first run: needs %s/%s, want run/built", first.Action, first.Outcome)
	}
	versions := needsVersions(t, st)

	// nav_mangel_naering is harmonised anew, so the dag runs the step;
	// nothing it reads changed.
	setIndustry(t, root, 260)
	s := run("after nav_mangel_naering")
	if s.Action != dag.ActionRun || s.Outcome != "unchanged" || !strings.HasPrefix(s.Detail, "gjenbrukt") {
		t.Errorf("after nav_mangel_naering: needs %s/%s (%s), want run/unchanged (gjenbrukt)", s.Action, s.Outcome, s.Detail)
	}
	if s.Output != first.Output {
		t.Errorf("after nav_mangel_naering: needs output %s, want the first run's %s", s.Output, first.Output)
	}
	if v := needsVersions(t, st); v != versions {
		t.Errorf("after nav_mangel_naering: needs datasets %v, want %v unchanged", v, versions)
	}

	// The code: the same inputs with the code the key was made with are
	// reused, with another code built again (called directly: the code
	// is the executable's).
	state, err := dag.ReadState(st.Root())
	if err != nil {
		t.Fatal(err)
	}
	ns := state.Steps["needs"]
	in := &dag.Input{Step: "needs", Inputs: ns.Inputs, Key: ns.Key}
	d := Deps{Config: cfg, Store: st}
	out, err := needsStep{d: d, code: needsCode()}.run(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Outcome != "unchanged" || out.ID != first.Output {
		t.Errorf("same code: needs %s, identity %s; want unchanged, %s", out.Outcome, out.ID, first.Output)
	}
	out, err = needsStep{d: d, code: needsCode() + "-changed"}.run(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Outcome != "built" {
		t.Errorf("other code: needs %s, want built", out.Outcome)
	}
	// No executable identity: never reused.
	out, err = needsStep{d: d, code: ""}.run(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Outcome != "built" {
		t.Errorf("unknown code: needs %s, want built", out.Outcome)
	}

	// A supply dataset: NAV's jobseekers by occupation (a line of the
	// bundled file, Telemark 2025-06). The last direct call left no key,
	// so the state file is made again first.
	setIndustry(t, root, 261)
	if s := run("after the direct calls"); s.Outcome != "built" {
		t.Errorf("after a build without a key: needs %s, want built", s.Outcome)
	}
	setIndustry(t, root, 262)
	if s := run("nothing read changed"); s.Outcome != "unchanged" {
		t.Errorf("nothing read changed: needs %s, want unchanged", s.Outcome)
	}
	replaceIn(t, root, "testdata/demo/nav/yrkespraksis-telemark.csv", "Barne- og ungdomsarbeid,171.0", "Barne- og ungdomsarbeid,172.0")
	s2 := run("after nav_yrkespraksis")
	if s2.Outcome != "built" || s2.Output == first.Output {
		t.Errorf("after nav_yrkespraksis: needs %s, output %s (first %s); want built, a new identity", s2.Outcome, s2.Output, first.Output)
	}

	// The survey: an empty line at its end makes a new file.
	survey := filepath.Join(root, "testdata", "survey", "demo-syntetisk.csv")
	b, err := os.ReadFile(survey)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(survey, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := run("after the survey"); s.Outcome != "built" || s.Output == s2.Output {
		t.Errorf("after the survey: needs %s, output %s (before %s); want built, a new identity", s.Outcome, s.Output, s2.Output)
	}

	// The config: fewer bootstrap replicas. The dag runs the step (the
	// section is part of its code version); so does the step's own key.
	setIndustry(t, root, 263)
	if s := run("nothing read changed after the survey"); s.Outcome != "unchanged" {
		t.Errorf("nothing read changed after the survey: needs %s, want unchanged", s.Outcome)
	}
	cfg.Needs.Replicas = 199
	r, st = needsRunner(t, cfg)
	if s := run("after the config"); s.Action != dag.ActionRun || s.Outcome != "built" {
		t.Errorf("after the config: needs %s/%s, want run/built", s.Action, s.Outcome)
	}
	state, err = dag.ReadState(st.Root())
	if err != nil {
		t.Fatal(err)
	}
	ns = state.Steps["needs"]
	in = &dag.Input{Step: "needs", Inputs: ns.Inputs, Key: ns.Key}
	cfg2 := *cfg
	n2 := *cfg.Needs
	n2.MinFirms = 4
	cfg2.Needs = &n2
	out, err = needsStep{d: Deps{Config: &cfg2, Store: st}, code: needsCode()}.run(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Outcome != "built" {
		t.Errorf("min_firms 3 → 4 (step called directly): needs %s, want built", out.Outcome)
	}

	// A damaged output builds again.
	out, err = needsStep{d: Deps{Config: &cfg2, Store: st}, code: needsCode()}.run(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Outcome != "unchanged" {
		t.Fatalf("same inputs again: needs %s, want unchanged", out.Outcome)
	}
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(st.Root(), filepath.FromSlash(cat.Datasets[needs.DatasetSupply].CurrentVersion().Path))
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)/2] ^= 0xff
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = needsStep{d: Deps{Config: &cfg2, Store: st}, code: needsCode()}.run(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Outcome != "built" {
		t.Errorf("damaged %s: needs %s, want built", needs.DatasetSupply, out.Outcome)
	}
}
