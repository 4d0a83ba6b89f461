package dag

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// besideGraph: a source "src"; the chain steps "build" (src) and "offers"
// (build) that publish; the Beside steps "charts" (build), "book" and
// "exports" (build, offers). Each Run calls hook(name) between noting its
// start and its end.
func besideGraph(t *testing.T, workers int, hook func(name string) error) (*Report, []string, error) {
	t.Helper()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var events []string
	note := func(e string) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}
	run := func(name string) func(context.Context, *Input) (*Output, error) {
		return func(ctx context.Context, in *Input) (*Output, error) {
			note("start " + name)
			err := hook(name)
			note("end " + name)
			if err != nil {
				return nil, err
			}
			return &Output{ID: name + "-out", Outcome: "built"}, nil
		}
	}
	g, err := New(
		Step{Name: "src", Source: true, Run: run("src")},
		Step{Name: "build", Inputs: []string{"src"}, Code: "1", Run: run("build")},
		Step{Name: "charts", Inputs: []string{"build"}, Code: "1", Run: run("charts"), Beside: true},
		Step{Name: "offers", Inputs: []string{"build"}, Code: "1", Run: run("offers")},
		Step{Name: "planning", Inputs: []string{"build"}, Code: "1", Run: run("planning")},
		Step{Name: "book", Inputs: []string{"build", "offers", "planning"}, Code: "1", Run: run("book"), Beside: true},
		Step{Name: "exports", Inputs: []string{"build", "offers", "planning"}, Code: "1", Run: run("exports"), Beside: true},
	)
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Graph: g, Store: st, Workers: workers}
	rep, err := r.Run(context.Background(), Options{})
	return rep, events, err
}

func index(events []string, e string) int { return slices.Index(events, e) }

// TestBesideStepsOverlap: with two workers the book and the exports run
// at the same time (each waits, up to a minute, until the other has
// started: run one after the other they would time out), the charts run
// beside the chain, every step starts only after its inputs ended, the
// chain steps (build, offers, planning) never overlap and keep their plan
// order, and the report lists the steps in plan order.
func TestBesideStepsOverlap(t *testing.T) {
	bookStarted, exportsStarted := make(chan struct{}), make(chan struct{})
	var chain atomic.Int32
	var overlapped atomic.Bool
	hook := func(name string) error {
		switch name {
		case "book", "exports":
			mine, other := bookStarted, exportsStarted
			if name == "exports" {
				mine, other = exportsStarted, bookStarted
			}
			close(mine)
			select {
			case <-other:
			case <-time.After(time.Minute):
				return errors.New("the other Beside step never started beside this one")
			}
		case "build", "offers", "planning":
			if chain.Add(1) > 1 {
				overlapped.Store(true)
			}
			time.Sleep(5 * time.Millisecond) // give an overlap the chance to show
			chain.Add(-1)
		}
		return nil
	}
	rep, events, err := besideGraph(t, 2, hook)
	if err != nil {
		t.Fatal(err)
	}
	if overlapped.Load() {
		t.Error("two chain steps ran at once")
	}
	var names []string
	for _, s := range rep.Steps {
		names = append(names, s.Name)
	}
	// Plan order: topological, ties by name.
	if want := []string{"src", "build", "charts", "offers", "planning", "book", "exports"}; !slices.Equal(names, want) {
		t.Errorf("report steps %v, want %v", names, want)
	}
	for _, dep := range [][2]string{{"src", "build"}, {"build", "charts"}, {"build", "offers"}, {"offers", "planning"},
		{"offers", "book"}, {"planning", "book"}, {"planning", "exports"}} {
		if index(events, "end "+dep[0]) > index(events, "start "+dep[1]) {
			t.Errorf("%s started before %s ended: %v", dep[1], dep[0], events)
		}
	}
	for _, s := range rep.Steps {
		if s.Action != ActionRun && s.Action != ActionCheck || s.Error != "" {
			t.Errorf("step %s: %s %s", s.Name, s.Action, s.Error)
		}
	}
}

// TestOneWorkerRunsInPlanOrder: Workers 1 runs every step alone, in plan
// order, Beside or not.
func TestOneWorkerRunsInPlanOrder(t *testing.T) {
	_, events, err := besideGraph(t, 1, func(string) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range []string{"src", "build", "charts", "offers", "planning", "book", "exports"} {
		want = append(want, "start "+n, "end "+n)
	}
	if !slices.Equal(events, want) {
		t.Errorf("events %v, want %v", events, want)
	}
}

// TestBesideFailureReported: a failing Beside step is reported as failed
// in its place and the run's error names it; the others still run.
func TestBesideFailureReported(t *testing.T) {
	rep, _, err := besideGraph(t, 2, func(name string) error {
		if name == "charts" {
			return errors.New("injected")
		}
		return nil
	})
	if err == nil {
		t.Fatal("run with a failing step returned no error")
	}
	if f := rep.Failed(); !slices.Equal(f, []string{"charts"}) {
		t.Errorf("failed steps %v, want [charts]", f)
	}
	if rep.Steps[6].Name != "exports" || rep.Steps[6].Outcome != "built" {
		t.Errorf("exports: %+v, want built", rep.Steps[6])
	}
}
