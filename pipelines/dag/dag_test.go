package dag

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// fakePipeline is a synthetic graph: two source steps whose "upstream
// content" the test sets, a build step over both, and charts over build.
type fakePipeline struct {
	mu      sync.Mutex
	content map[string]string // source step -> its current content
	fail    map[string]bool   // steps that fail
	calls   []string          // every Run, in order
	code    string            // build's code version
}

func (f *fakePipeline) steps() []Step {
	src := func(name string) Step {
		return Step{Name: name, Source: true, Group: "source:fake", Code: "src/1", Run: func(ctx context.Context, in *Input) (*Output, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.calls = append(f.calls, name)
			if f.fail[name] {
				return &Output{ID: "previous"}, errors.New("injected failure")
			}
			return &Output{ID: f.content[name], Outcome: "current"}, nil
		}}
	}
	derived := func(name, code string, inputs ...string) Step {
		return Step{Name: name, Inputs: inputs, Code: code, Run: func(ctx context.Context, in *Input) (*Output, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.calls = append(f.calls, name)
			if f.fail[name] {
				return nil, errors.New("injected failure")
			}
			return &Output{Outcome: "built"}, nil
		}}
	}
	return []Step{
		derived("charts", "charts/1", "build"),
		derived("build", f.code, "fetch/*"),
		src("fetch/a"), src("fetch/b"),
	}
}

func (f *fakePipeline) takeCalls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = nil
	return c
}

func newFake(t *testing.T) (*fakePipeline, func(opts Options) (*Report, error)) {
	f, run, _ := newFakeAt(t)
	return f, run
}

func newFakeAt(t *testing.T) (*fakePipeline, func(opts Options) (*Report, error), string) {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := &fakePipeline{content: map[string]string{"fetch/a": "a1", "fetch/b": "b1"}, fail: map[string]bool{}, code: "build/1"}
	return f, func(opts Options) (*Report, error) {
		g, err := New(f.steps()...)
		if err != nil {
			t.Fatal(err)
		}
		return (&Runner{Graph: g, Store: st}).Run(context.Background(), opts)
	}, st.Root()
}

func actions(rep *Report) string {
	var parts []string
	for _, s := range rep.Steps {
		a := s.Name + ":" + s.Action
		if s.Error != "" {
			a += "!"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

func TestNewValidates(t *testing.T) {
	run := func(context.Context, *Input) (*Output, error) { return nil, nil }
	tests := []struct {
		name  string
		steps []Step
		want  string
	}{
		{"cycle", []Step{{Name: "x", Inputs: []string{"y"}, Run: run}, {Name: "y", Inputs: []string{"x"}, Run: run}}, "cycle among x, y"},
		{"unknown input", []Step{{Name: "x", Inputs: []string{"fetch/*"}, Run: run}}, `input "fetch/*" matches no step`},
		{"duplicate", []Step{{Name: "x", Run: run}, {Name: "x", Run: run}}, "declared twice"},
		{"source with inputs", []Step{{Name: "x", Run: run}, {Name: "y", Source: true, Inputs: []string{"x"}, Run: run}}, "a source step has no inputs"},
		{"no run", []Step{{Name: "x"}}, "no Run"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.steps...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New(%s) = %v, want an error containing %q", tc.name, err, tc.want)
			}
		})
	}
	f := &fakePipeline{}
	g, err := New(f.steps()...)
	if err != nil {
		t.Fatal(err)
	}
	// Declared out of order; sources first, then build, then charts.
	if got, want := g.Steps(), []string{"fetch/a", "fetch/b", "build", "charts"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Steps() = %v, want %v", got, want)
	}
	if got, want := g.Inputs("build"), []string{"fetch/a", "fetch/b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Inputs(build) = %v, want %v", got, want)
	}
}

func TestKey(t *testing.T) {
	a := Key("build", "build/1", map[string]string{"fetch/a": "x", "fetch/b": "y"})
	tests := []struct {
		name   string
		key    string
		wantEq bool
	}{
		{"same inputs, other map order", Key("build", "build/1", map[string]string{"fetch/b": "y", "fetch/a": "x"}), true},
		{"input changed", Key("build", "build/1", map[string]string{"fetch/a": "x", "fetch/b": "z"}), false},
		{"code changed", Key("build", "build/2", map[string]string{"fetch/a": "x", "fetch/b": "y"}), false},
		{"name changed", Key("charts", "build/1", map[string]string{"fetch/a": "x", "fetch/b": "y"}), false},
		{"values moved between names", Key("build", "build/1", map[string]string{"fetch/a": "y", "fetch/b": "x"}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if (tc.key == a) != tc.wantEq {
				t.Errorf("Key equal = %v, want %v", tc.key == a, tc.wantEq)
			}
		})
	}
	if len(a) != 64 {
		t.Errorf("Key length = %d, want 64 hex digits (sha256)", len(a))
	}
}

func TestIncremental(t *testing.T) {
	f, run := newFake(t)
	steps := []struct {
		name        string
		change      func()
		opts        Options
		wantActions string
		wantCalls   []string
		wantErr     bool
	}{
		{"first run does everything", nil, Options{},
			"fetch/a:check fetch/b:check build:run charts:run", []string{"fetch/a", "fetch/b", "build", "charts"}, false},
		{"unchanged run only checks", nil, Options{},
			"fetch/a:check fetch/b:check build:skip charts:skip", []string{"fetch/a", "fetch/b"}, false},
		{"a source change re-runs downstream", func() { f.content["fetch/b"] = "b2" }, Options{},
			"fetch/a:check fetch/b:check build:run charts:run", []string{"fetch/a", "fetch/b", "build", "charts"}, false},
		{"code version change re-runs the step and what follows", func() { f.code = "build/2" }, Options{},
			"fetch/a:check fetch/b:check build:run charts:run", []string{"fetch/a", "fetch/b", "build", "charts"}, false},
		{"target charts checks its upstream", nil, Options{Targets: []string{"charts"}},
			"fetch/a:check fetch/b:check build:skip charts:skip", []string{"fetch/a", "fetch/b"}, false},
		{"dataset target runs it and downstream only", func() { f.content["fetch/a"] = "a2" }, Options{Targets: []string{"a"}},
			"fetch/a:check build:run charts:run", []string{"fetch/a", "build", "charts"}, false},
		{"a failing source keeps its previous output; others go on", func() { f.fail["fetch/a"] = true }, Options{},
			"fetch/a:check! fetch/b:check build:run charts:run", []string{"fetch/a", "fetch/b", "build", "charts"}, true},
		{"backfill retries only the failed step", func() { f.fail["fetch/a"] = false }, Options{Backfill: true},
			"fetch/a:check build:run charts:run", []string{"fetch/a", "build", "charts"}, false},
		{"nothing failed: backfill does nothing", nil, Options{Backfill: true},
			"", nil, false},
		{"failed derived step runs again next time", func() { f.fail["charts"] = true; f.content["fetch/b"] = "b3" }, Options{},
			"fetch/a:check fetch/b:check build:run charts:run!", []string{"fetch/a", "fetch/b", "build", "charts"}, true},
		{"backfill of a derived step does not re-check sources", func() { f.fail["charts"] = false }, Options{Backfill: true},
			"charts:run", []string{"charts"}, false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.change != nil {
				s.change()
			}
			rep, err := run(s.opts)
			if (err != nil) != s.wantErr {
				t.Errorf("Run error = %v, want error %v", err, s.wantErr)
			}
			if rep == nil {
				t.Fatal("no report")
			}
			if got := actions(rep); got != s.wantActions {
				t.Errorf("actions = %q, want %q", got, s.wantActions)
			}
			if got := f.takeCalls(); !reflect.DeepEqual(got, s.wantCalls) {
				t.Errorf("calls = %v, want %v", got, s.wantCalls)
			}
		})
	}
}

func TestFailedSourceKeepsPreviousOutput(t *testing.T) {
	f, run := newFake(t)
	if _, err := run(Options{}); err != nil {
		t.Fatal(err)
	}
	f.fail["fetch/a"] = true
	rep, _ := run(Options{})
	// The fake's failing source returns "previous" as the identity that
	// stays published; build's key must use it, and build runs because
	// that identity differs from a1.
	if rep.Steps[0].Output != "previous" {
		t.Errorf("failed fetch/a output = %q, want previous", rep.Steps[0].Output)
	}
}

func TestDryRun(t *testing.T) {
	f, run, root := newFakeAt(t)
	rep, err := run(Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	// Nothing ran yet: build cannot be planned without its inputs.
	if got, want := actions(rep), "fetch/a:check fetch/b:check build:blocked charts:blocked"; got != want {
		t.Errorf("dry run before any run = %q, want %q", got, want)
	}
	if calls := f.takeCalls(); len(calls) != 0 {
		t.Errorf("dry run called %v, want nothing", calls)
	}
	for _, p := range []string{"state", "runs"} {
		if _, err := os.Stat(filepath.Join(root, p)); err == nil {
			t.Errorf("dry run wrote %s", p)
		}
	}
	if _, err := run(Options{}); err != nil {
		t.Fatal(err)
	}
	f.takeCalls()
	f.code = "build/9"
	rep, err = run(Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"build":  "kodeversjon endret (build/1 → build/9)",
		"charts": "uendret siden",
	}
	for _, s := range rep.Steps {
		if w, ok := want[s.Name]; ok && !strings.HasPrefix(s.Reason, w) {
			t.Errorf("dry run %s reason = %q, want prefix %q", s.Name, s.Reason, w)
		}
	}
	if calls := f.takeCalls(); len(calls) != 0 {
		t.Errorf("dry run called %v, want nothing", calls)
	}
}

func TestUnknownTarget(t *testing.T) {
	_, run := newFake(t)
	_, err := run(Options{Targets: []string{"nosuch", "source:nope"}})
	var ue *UnknownTargetError
	if !errors.As(err, &ue) || !slices.Equal(ue.Targets, []string{"nosuch", "source:nope"}) {
		t.Fatalf("Run(nosuch, source:nope) = %v, want *UnknownTargetError naming both", err)
	}
	if !strings.Contains(err.Error(), "unknown target(s) nosuch, source:nope") {
		t.Errorf("error text %q does not name the targets", err)
	}
}

// TestRunLock: a run takes the one kb lock. While another command holds
// it (here a second Store in this process, as a `grunnlag build` would),
// Run waits LockWait, then returns no report and a *store.LockError naming
// the holder, and records nothing: no state, no report, no failed step.
// (Before, a run whose run lock was free but whose kb lock was busy failed
// every step one by one and recorded them all as failed.) The steps run
// under the run's lock: a step that takes the kb lock itself, as the
// refresh does, gets it at once.
func TestRunLock(t *testing.T) {
	root := t.TempDir()
	st, err := store.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	other, err := store.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	held, err := other.LockFor(context.Background(), "grunnlag build")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakePipeline{content: map[string]string{"fetch/a": "a1", "fetch/b": "b1"}, fail: map[string]bool{}, code: "build/1"}
	steps := f.steps()
	for i := range steps {
		if steps[i].Name == "fetch/a" {
			run := steps[i].Run
			steps[i].Run = func(ctx context.Context, in *Input) (*Output, error) {
				done, cancel := context.WithCancel(ctx)
				cancel()
				unlock, err := st.Lock(done) // must not wait for the run's own lock
				if err != nil {
					return nil, err
				}
				defer unlock()
				return run(ctx, in)
			}
		}
	}
	g, err := New(steps...)
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Graph: g, Store: st, Who: "grunnlag serve: jobb ssb"}
	start := time.Now()
	rep, err := r.Run(context.Background(), Options{LockWait: 150 * time.Millisecond})
	var le *store.LockError
	if rep != nil || !errors.As(err, &le) || !errors.Is(err, store.ErrLocked) {
		t.Fatalf("Run(locked) = %v, %v; want no report and a *store.LockError", rep, err)
	}
	if le.PID != os.Getpid() || le.Who != "grunnlag build" {
		t.Errorf("LockError = %+v, want our pid and the holder's name", le)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("Run gave up after %v, want it to wait 150ms", d)
	}
	if c := f.takeCalls(); len(c) != 0 {
		t.Errorf("Run(locked) ran %v, want nothing", c)
	}
	for _, p := range []string{filepath.Join(root, "state", "dag.json"), filepath.Join(root, "runs")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("Run(locked) wrote %s", p)
		}
	}

	// A waiting run gets the lock when the holder releases it.
	go func() { time.Sleep(50 * time.Millisecond); held.Unlock() }()
	rep, err = r.Run(context.Background(), Options{LockWait: 5 * time.Second})
	if err != nil || len(rep.Failed()) != 0 {
		t.Fatalf("waiting Run = %v, %v; want every step done", rep, err)
	}
	if ls, err := st.LockStatus(); ls != nil || err != nil {
		t.Errorf("LockStatus after the run = %+v, %v; want no lock file", ls, err)
	}
}

func TestReportWritten(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := &fakePipeline{content: map[string]string{"fetch/a": "a", "fetch/b": "b"}, fail: map[string]bool{}, code: "1"}
	g, _ := New(f.steps()...)
	rep, err := (&Runner{Graph: g, Store: st}).Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	raws, err := ReadReports(st.Root(), 10)
	if err != nil || len(raws) != 1 {
		t.Fatalf("ReadReports = %d, %v; want 1 report", len(raws), err)
	}
	if !strings.Contains(string(raws[0]), fmt.Sprintf("%q", rep.ID)) || !strings.Contains(string(raws[0]), `"kind": "run"`) {
		t.Errorf("report file = %s, want id %s and kind run", raws[0], rep.ID)
	}
}

// TestMemo: within one run every step that asks Memo for a key gets the
// first answer (f called once for it); the next run asks anew; an Input
// no Runner made shares nothing (f called each time).
func TestMemo(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	f := func() (any, error) { calls++; return calls, nil }
	var got []any
	step := func(name string, inputs ...string) Step {
		return Step{Name: name, Inputs: inputs, Code: "1", Run: func(ctx context.Context, in *Input) (*Output, error) {
			v, err := in.Memo("k", f)
			got = append(got, v)
			return &Output{Outcome: "built"}, err
		}}
	}
	g, err := New(step("a"), step("b", "a"))
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Graph: g, Store: st, Workers: 1}
	for run := 1; run <= 2; run++ {
		// The second run starts without the first one's state, so that
		// both steps run again.
		if run == 2 {
			if err := os.RemoveAll(filepath.Join(st.Root(), "state")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.Run(context.Background(), Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if want := []any{1, 1, 2, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("Memo answers over two runs of two steps = %v, want %v", got, want)
	}
	bare := &Input{}
	a, _ := bare.Memo("k", f)
	b, _ := bare.Memo("k", f)
	if a == b {
		t.Errorf("Memo on an Input no Runner made shared its answer (%v, %v)", a, b)
	}
}
