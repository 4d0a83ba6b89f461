package dag_test

import (
	"context"
	"fmt"
	"os"

	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// A source step and a derived step: the second run only checks the source
// and skips the derived step, because neither its input nor its code changed.
func Example() {
	dir, _ := os.MkdirTemp("", "kb")
	defer os.RemoveAll(dir)
	st, _ := store.Open(dir)
	content := "v1"
	g, err := dag.New(
		dag.Step{Name: "fetch/tabell", Source: true, Code: "fetch/1", Run: func(ctx context.Context, in *dag.Input) (*dag.Output, error) {
			return &dag.Output{ID: content}, nil
		}},
		dag.Step{Name: "build", Inputs: []string{"fetch/*"}, Code: "build/1", Run: func(ctx context.Context, in *dag.Input) (*dag.Output, error) {
			fmt.Println("  building from", in.Inputs["fetch/tabell"])
			return &dag.Output{Outcome: "built"}, nil
		}},
	)
	if err != nil {
		panic(err)
	}
	r := &dag.Runner{Graph: g, Store: st}
	for _, c := range []string{"v1", "v1", "v2"} {
		content = c
		fmt.Println("run with source", c)
		rep, _ := r.Run(context.Background(), dag.Options{})
		for _, s := range rep.Steps {
			fmt.Printf("  %s: %s\n", s.Name, s.Action)
		}
	}
	// Output:
	// run with source v1
	//   building from v1
	//   fetch/tabell: check
	//   build: run
	// run with source v1
	//   fetch/tabell: check
	//   build: skip
	// run with source v2
	//   building from v2
	//   fetch/tabell: check
	//   build: run
}
