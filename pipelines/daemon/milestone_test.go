package daemon

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/pack"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// milestoneConfig has the five presets and one plain job. Parse expands
// the presets (it does not validate, so the sources need no datasets of
// their kind's shape).
const milestoneConfig = `kb: ./kb
sources:
  ssb: {kind: pxweb, base_url: "https://data.ssb.no/api/pxwebapi/v2"}
  nav: {kind: nav, base_url: "https://nav.offline"}
  udir: {kind: udir, base_url: "https://udir.offline"}
datasets:
  befolkning: {source: ssb, table: "07459", expect: 8760h}
  nav_arbeidssokere: {source: nav, expect: 744h}
  udir_vgo_soker: {source: udir, expect: 8760h}
  udir_elever: {source: udir, expect: 8760h}
  udir_ny: {source: udir, expect: 8760h}
schedule:
  jobs:
    ssb_morgen: {cron: "15 8 * * 1-5", targets: ["source:ssb"]}
    soknadstall: {preset: soknadstall}
    justering: {preset: justering}
    inntak: {preset: inntak}
    tilbudsvedtak: {preset: tilbudsvedtak}
`

func parseConfig(t *testing.T, text string) *config.Config {
	t.Helper()
	cfg, err := config.Parse(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestMilestonesNext: on Monday 7 December 2026 the next milestone is
// søkertall on 3 March 2027 at 07:00 Oslo time (1 December has passed for
// tilbudsvedtak, whose next date is 1 November 2027). Its inputs are the
// three udir datasets: by hand, 2025-03-02 is 645 days before 2026-12-07,
// more than the 365 days of expect 8760h (stale); 2026-06-01 is 189 days
// before (fresh); udir_ny has no version (missing). The plain job is no
// milestone.
func TestMilestonesNext(t *testing.T) {
	cfg := parseConfig(t, milestoneConfig)
	loc := oslo(t)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, loc)
	cat := &store.Catalog{Datasets: map[string]*store.DatasetEntry{
		"udir_vgo_soker": {Current: "v", Versions: []store.Version{{Stamp: "v", SourceUpdated: "2025-03-02T00:00:00Z"}}},
		"udir_elever":    {Current: "v", Versions: []store.Version{{Stamp: "v", SourceUpdated: "2026-06-01T00:00:00Z"}}},
	}}
	ms := Milestones(cfg, cat, now)
	var order []string
	for _, m := range ms {
		order = append(order, m.Job)
	}
	if want := []string{"soknadstall", "justering", "inntak", "tilbudsvedtak"}; !slices.Equal(order, want) {
		t.Fatalf("Milestones order = %q, want %q", order, want)
	}
	next := ms[0]
	if want := time.Date(2027, 3, 3, 7, 0, 0, 0, loc); !next.Next.Equal(want) {
		t.Errorf("next milestone at %v, want %v", next.Next, want)
	}
	if next.Title != "Søkertall" || next.Preset != "soknadstall" {
		t.Errorf("next milestone = %+v", next)
	}
	states := map[string]string{}
	for _, f := range next.Inputs {
		states[f.Dataset] = f.State
	}
	want := map[string]string{"udir_elever": Fresh, "udir_ny": Missing, "udir_vgo_soker": Stale}
	if len(states) != len(want) {
		t.Errorf("inputs = %v, want %v", states, want)
	}
	for id, w := range want {
		if states[id] != w {
			t.Errorf("input %s = %q, want %q", id, states[id], w)
		}
	}
	if next.Ready || !slices.Equal(next.Stale, []string{"udir_ny", "udir_vgo_soker"}) {
		t.Errorf("ready, stale = %v, %q; want false, [udir_ny udir_vgo_soker]", next.Ready, next.Stale)
	}
	// tilbudsvedtak refreshes everything: every dataset is its input.
	last := ms[len(ms)-1]
	if len(last.Inputs) != 5 || !last.Next.Equal(time.Date(2027, 11, 1, 7, 0, 0, 0, loc)) {
		t.Errorf("tilbudsvedtak = %d inputs, next %v; want 5, 2027-11-01 07:00", len(last.Inputs), last.Next)
	}
	// justering: udir and nav; the NAV file's version of 2026-11-20 is 17
	// days (408 h) old at now, within 744 h.
	cat.Datasets["nav_arbeidssokere"] = &store.DatasetEntry{Current: "v", Versions: []store.Version{{Stamp: "v", SourceUpdated: "2026-11-20T08:00:00Z"}}}
	j := Milestones(cfg, cat, now)[1]
	if j.Job != "justering" || len(j.Inputs) != 4 || j.Inputs[0].Dataset != "nav_arbeidssokere" || j.Inputs[0].State != Fresh {
		t.Errorf("justering = %+v, want 4 inputs, nav_arbeidssokere fresh first", j)
	}
	if Milestones(&config.Config{}, nil, now) != nil {
		t.Error("Milestones without a schedule is not nil")
	}
}

// TestPresetJobPublishesPack: a preset job's successful run publishes a
// planning pack named by the date in Oslo and the preset, recording the
// run's ID; a run with a failed step, or a job without a preset, does not,
// and a run whose book was blocked fails with *PackSkippedError.
// The run sees the kb lock held by its job (the pack is made under the
// same hold).
func TestPresetJobPublishesPack(t *testing.T) {
	cfg := parseConfig(t, milestoneConfig)
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// 06:00 UTC on 3 March 2027 is 07:00 in Oslo.
	fake := clockwork.NewFakeClockAt(time.Date(2027, 3, 3, 6, 0, 0, 0, time.UTC))
	fail, blocked := false, false
	runs := 0
	d := &Daemon{Config: cfg, Store: st, Clock: fake, LockWait: time.Second,
		Run: func(ctx context.Context, opts dag.Options) (*dag.Report, error) {
			runs++
			// A preset job's run starts with the lock held (a plain job's,
			// the second, takes it itself, in the dag runner).
			if ls, err := st.LockStatus(); runs != 2 && (err != nil || ls == nil || !ls.Held) {
				t.Errorf("during run %d the kb lock = %+v, %v; want it held", runs, ls, err)
			}
			// What the book step would write (SYNTHETIC page).
			dir := filepath.Join(st.Root(), "book", "planlegging")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, err
			}
			if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>Planlegging</h1>"), 0o644); err != nil {
				return nil, err
			}
			rep := &dag.Report{ID: "run-" + string(rune('0'+runs))}
			if fail {
				rep.Steps = []*dag.StepReport{{Name: "exports", Error: "boom"}}
				return rep, errors.New("dag: 1 of 1 steps failed: exports")
			}
			if blocked {
				rep.Steps = []*dag.StepReport{{Name: "fetch/udir_vgo_soker", Action: dag.ActionCheck}, {Name: "book", Action: dag.ActionBlocked}}
			}
			return rep, nil
		}}
	ctx := context.Background()
	if _, err := d.RunJob(ctx, "soknadstall", dag.Options{Targets: cfg.Schedule.Jobs["soknadstall"].Targets}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.RunJob(ctx, "ssb_morgen", dag.Options{}); err != nil {
		t.Fatal(err)
	}
	fail = true
	if _, err := d.RunJob(ctx, "inntak", dag.Options{}); err == nil {
		t.Fatal("the failed run returned no error")
	}
	fail, blocked = false, true
	var skipped *PackSkippedError
	if _, err := d.RunJob(ctx, "justering", dag.Options{}); !errors.As(err, &skipped) || !slices.Equal(skipped.Blocked, []string{"book"}) {
		t.Errorf("a run with the book blocked = %v, want a *PackSkippedError naming book", err)
	}
	list, err := pack.List(st.Root())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("packs = %+v, want the one of soknadstall", list)
	}
	m := list[0]
	if m.Name != "2027-03-03-soknadstall" || m.RunID != "run-1" || m.Job != "soknadstall" || m.Title != "Søkertall" {
		t.Errorf("pack = %+v, want 2027-03-03-soknadstall of run-1", m)
	}
	if len(m.Files) != 1 || m.Files[0].Path != "book/planlegging/index.html" {
		t.Errorf("pack files = %+v, want the planning page", m.Files)
	}
	if ls, _ := st.LockStatus(); ls != nil && ls.Held {
		t.Errorf("the kb lock is still held after the jobs: %+v", ls)
	}
}

// TestPresetJobsScheduled: the daemon registers each preset job as a cron
// job with the preset's expression, and says which preset it is.
func TestPresetJobsScheduled(t *testing.T) {
	cfg := parseConfig(t, milestoneConfig)
	cfg.Schedule.StaleCheck = time.Hour
	fake := clockwork.NewFakeClockAt(time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC))
	d := &Daemon{Config: cfg, Clock: fake, Run: func(context.Context, dag.Options) (*dag.Report, error) { return &dag.Report{}, nil }}
	if err := d.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer d.Shutdown()
	got := map[string]JobInfo{}
	for _, j := range d.Jobs() {
		got[j.Name] = j
	}
	loc := oslo(t)
	for name, want := range map[string]struct {
		spec string
		next time.Time
	}{
		"soknadstall":   {"0 7 3 3 *", time.Date(2027, 3, 3, 7, 0, 0, 0, loc)},
		"tilbudsvedtak": {"0 7 1 11,12 *", time.Date(2027, 11, 1, 7, 0, 0, 0, loc)},
	} {
		j := got[name]
		if j.Kind != "cron" || j.Spec != want.spec || j.Preset != name || !j.Next.Equal(want.next) {
			t.Errorf("job %s = %+v, want cron %q, preset %s, next %v", name, j, want.spec, name, want.next)
		}
	}
	if got["ssb_morgen"].Preset != "" {
		t.Errorf("ssb_morgen = %+v, has a preset", got["ssb_morgen"])
	}
}
