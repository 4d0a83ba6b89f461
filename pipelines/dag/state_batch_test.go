package dag

import (
	"context"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// TestSourceStatesWrittenBeforeDerivedSteps: the states of a run's source
// steps are written to the state file together, not one by one: the
// second source step runs before the first one's state is on disk, a
// derived step runs with every source state on disk (output and status),
// and at the end of the run the file holds every step's state.
func TestSourceStatesWrittenBeforeDerivedSteps(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	onDisk := func(name string) *StepState {
		t.Helper()
		s, err := ReadState(st.Root())
		if err != nil {
			t.Fatal(err)
		}
		return s.Steps[name]
	}
	f := &fakePipeline{content: map[string]string{"fetch/a": "a1", "fetch/b": "b1"}, fail: map[string]bool{}, code: "build/1"}
	steps := f.steps()
	var sawA, buildSaw []*StepState
	for i := range steps {
		run := steps[i].Run
		switch steps[i].Name {
		case "fetch/b":
			steps[i].Run = func(ctx context.Context, in *Input) (*Output, error) {
				sawA = append(sawA, onDisk("fetch/a"))
				return run(ctx, in)
			}
		case "build":
			steps[i].Run = func(ctx context.Context, in *Input) (*Output, error) {
				buildSaw = append(buildSaw, onDisk("fetch/a"), onDisk("fetch/b"))
				return run(ctx, in)
			}
		}
	}
	g, err := New(steps...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&Runner{Graph: g, Store: st}).Run(context.Background(), Options{}); err != nil {
		t.Fatal(err)
	}
	if len(sawA) != 1 || sawA[0] != nil {
		t.Errorf("fetch/b saw fetch/a's state on disk: %+v; want it not yet written (one write for both)", sawA)
	}
	if len(buildSaw) != 2 {
		t.Fatalf("build ran %d times, want 1", len(buildSaw)/2)
	}
	for i, want := range []string{"a1", "b1"} {
		if s := buildSaw[i]; s == nil || s.Output != want || s.Status != StatusOK {
			t.Errorf("build saw source state %d on disk = %+v, want output %s, ok", i, s, want)
		}
	}
	for _, n := range []string{"fetch/a", "fetch/b", "build", "charts"} {
		if s := onDisk(n); s == nil || s.Status != StatusOK || s.LastSuccess.IsZero() {
			t.Errorf("after the run %s on disk = %+v, want ok with a last success", n, s)
		}
	}

	// A run of source steps only (nothing changed) writes them at its end.
	f.content["fetch/a"] = "a1"
	before := onDisk("fetch/a").Finished
	if _, err := (&Runner{Graph: g, Store: st}).Run(context.Background(), Options{}); err != nil {
		t.Fatal(err)
	}
	if s := onDisk("fetch/a"); s == nil || !s.Finished.After(before) {
		t.Errorf("after a no-change run fetch/a on disk = %+v, want finished after %v", s, before)
	}
}
