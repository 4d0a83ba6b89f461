package dag

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// keyVersion is mixed into every key; bump it when the key recipe changes.
const keyVersion = "grunnlag-dag/1"

// Step is one declared step of the pipeline.
type Step struct {
	// Name is unique in the graph, e.g. "fetch/utdanningsniva" or "build".
	Name string
	// Inputs are the names of upstream steps; "prefix*" matches every step
	// whose name starts with prefix.
	Inputs []string
	// Code is the step's code version; a change re-runs the step.
	Code string
	// Source marks a step whose input is outside the graph: it always runs
	// (its run is the cheap upstream check) and its output identity is the
	// one Run returns.
	Source bool
	// Group lets targets select several steps at once ("source:ssb").
	Group string
	// Run does the step's work. For a derived step an empty Output.ID means
	// "the key" (hash of inputs and code). A source step that fails may
	// return an Output with the identity that stays current (its previous
	// version) together with the error.
	Run func(ctx context.Context, in *Input) (*Output, error)
	// Exists, if set, reports whether the step's output is still there; a
	// derived step whose output is gone runs again.
	Exists func() bool
	// Beside marks a derived step that may run at the same time as other
	// steps once its inputs are done (Runner.Workers > 1): one that reads
	// the knowledge base and writes only files of its own (the charts, the
	// book, the exports), never a catalogued dataset or layer. The other
	// steps run one at a time, in plan order.
	Beside bool
}

// Output is what a step produced.
type Output struct {
	// ID is the output identity ("" for a derived step: its key).
	ID string
	// Outcome is a short word for the report ("published", "current", "built").
	Outcome string
	// Detail is a free text for the report.
	Detail string
	// Record is the step's own record of what it did (the refresh step's
	// run record, say), kept by the step itself; nil when it keeps none.
	Record Record
	// Nodes are the fine-grained nodes inside the step (one per indicator
	// of the build, one per indicator's chart set), by what became of
	// them; nil when the step has none.
	Nodes *Nodes
}

// Nodes counts the fine-grained nodes of one step run: each is named
// "<kind>:<id>" ("indicator:ledighet_helt_andel", "chart:avviksindeks-fylker")
// and was either run (recomputed, redrawn) or reused from the previous run
// because its key, the hash of its inputs and code, was unchanged.
type Nodes struct {
	Ran    []string `json:"ran,omitempty"`
	Reused []string `json:"reused,omitempty"`
}

// Total is the number of nodes, run or reused.
func (n *Nodes) Total() int {
	if n == nil {
		return 0
	}
	return len(n.Ran) + len(n.Reused)
}

// Record is a step's own account of a run, stored by the step; the report
// names it by ID and hands it to the caller (see [Report.Records]).
type Record interface {
	RunID() string
}

// UnknownTargetError is a target that names no step, dataset or source.
type UnknownTargetError struct {
	Targets []string // the unknown targets, in the order given
	Steps   []string // every step of the graph, in order
}

func (e *UnknownTargetError) Error() string {
	return fmt.Sprintf("dag: unknown target(s) %s (steps: %s)", strings.Join(e.Targets, ", "), strings.Join(e.Steps, ", "))
}

// Graph is a validated set of steps in a topological order.
type Graph struct {
	steps  map[string]*Step
	order  []string            // topological, ties by name
	inputs map[string][]string // resolved input names, sorted
	down   map[string][]string // direct downstream steps
}

// New validates the steps and returns the graph: names must be unique and
// non-empty, every input must name a step (a pattern must match at least
// one), a source step has no inputs, and there is no cycle.
func New(steps ...Step) (*Graph, error) {
	g := &Graph{steps: map[string]*Step{}, inputs: map[string][]string{}, down: map[string][]string{}}
	var errs []string
	for i := range steps {
		s := steps[i]
		if s.Name == "" || strings.ContainsAny(s.Name, "* ") {
			errs = append(errs, fmt.Sprintf("step %d: invalid name %q", i, s.Name))
			continue
		}
		if _, dup := g.steps[s.Name]; dup {
			errs = append(errs, fmt.Sprintf("step %s: declared twice", s.Name))
			continue
		}
		if s.Run == nil {
			errs = append(errs, fmt.Sprintf("step %s: no Run", s.Name))
		}
		g.steps[s.Name] = &s
	}
	names := sortedNames(g.steps)
	for _, n := range names {
		s := g.steps[n]
		if s.Source && len(s.Inputs) > 0 {
			errs = append(errs, fmt.Sprintf("step %s: a source step has no inputs", n))
		}
		seen := map[string]bool{}
		for _, in := range s.Inputs {
			var matched []string
			if p, ok := strings.CutSuffix(in, "*"); ok {
				for _, m := range names {
					if strings.HasPrefix(m, p) && m != n {
						matched = append(matched, m)
					}
				}
			} else if _, ok := g.steps[in]; ok {
				matched = []string{in}
			}
			if len(matched) == 0 {
				errs = append(errs, fmt.Sprintf("step %s: input %q matches no step", n, in))
			}
			for _, m := range matched {
				if !seen[m] {
					seen[m] = true
					g.inputs[n] = append(g.inputs[n], m)
					g.down[m] = append(g.down[m], n)
				}
			}
		}
		sort.Strings(g.inputs[n])
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("dag: %s", strings.Join(errs, "; "))
	}
	// Kahn's algorithm, smallest name first, so the order is deterministic.
	indeg := map[string]int{}
	for _, n := range names {
		indeg[n] = len(g.inputs[n])
	}
	var ready []string
	for _, n := range names {
		if indeg[n] == 0 {
			ready = append(ready, n)
		}
	}
	for len(ready) > 0 {
		sort.Strings(ready)
		n := ready[0]
		ready = ready[1:]
		g.order = append(g.order, n)
		for _, d := range g.down[n] {
			if indeg[d]--; indeg[d] == 0 {
				ready = append(ready, d)
			}
		}
	}
	if len(g.order) != len(names) {
		var cyc []string
		for _, n := range names {
			if indeg[n] > 0 {
				cyc = append(cyc, n)
			}
		}
		return nil, fmt.Errorf("dag: cycle among %s", strings.Join(cyc, ", "))
	}
	return g, nil
}

// Steps returns the step names in topological order.
func (g *Graph) Steps() []string { return append([]string(nil), g.order...) }

// Step returns the step with this name, or nil.
func (g *Graph) Step(name string) *Step { return g.steps[name] }

// Inputs returns the resolved input names of a step, sorted.
func (g *Graph) Inputs(name string) []string { return append([]string(nil), g.inputs[name]...) }

// Key is a derived step's input key: the hash of the key recipe version,
// the step's name and code version, and each input's name and output
// identity in name order.
func Key(name, code string, inputs map[string]string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", keyVersion, name, code)
	for _, n := range sortedNames(inputs) {
		fmt.Fprintf(h, "%s=%s\x00", n, inputs[n])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// resolve turns targets into step names: a step name, a dataset ID
// ("fetch/<id>"), or "source:<name>" (the steps of that group).
func (g *Graph) resolve(targets []string) ([]string, error) {
	var out, unknown []string
	for _, t := range targets {
		switch {
		case g.steps[t] != nil:
			out = append(out, t)
		case g.steps["fetch/"+t] != nil:
			out = append(out, "fetch/"+t)
		case strings.HasPrefix(t, "source:"):
			n := 0
			for _, name := range g.order {
				if g.steps[name].Group == t {
					out = append(out, name)
					n++
				}
			}
			if n == 0 {
				unknown = append(unknown, t)
			}
		default:
			unknown = append(unknown, t)
		}
	}
	if len(unknown) > 0 {
		return nil, &UnknownTargetError{Targets: unknown, Steps: append([]string(nil), g.order...)}
	}
	return out, nil
}

// closure returns the set of names plus every step reachable from them
// through next.
func closure(start []string, next func(string) []string) map[string]bool {
	set := map[string]bool{}
	stack := append([]string(nil), start...)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if set[n] {
			continue
		}
		set[n] = true
		stack = append(stack, next(n)...)
	}
	return set
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
