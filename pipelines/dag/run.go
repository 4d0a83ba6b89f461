package dag

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Actions in a report.
const (
	ActionRun     = "run"     // a derived step that runs (or would run)
	ActionCheck   = "check"   // a source step: its cheap upstream check runs
	ActionSkip    = "skip"    // inputs and code unchanged since the last success
	ActionBlocked = "blocked" // an input has never produced anything
)

// Runner runs a graph against a knowledge base.
type Runner struct {
	Graph  *Graph
	Store  *store.Store
	Logger *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Who names this runner in the kb lock ("grunnlag run").
	Who string
	// Workers is how many steps may run at once (0: GOMAXPROCS; 1: one
	// at a time, in plan order). Only steps marked Beside run beside
	// others: see [Step.Beside].
	Workers int
}

// Options select what a run does.
type Options struct {
	// Targets limit the run (see the package doc); empty means every step.
	Targets []string
	// DryRun plans and explains without running or writing anything.
	DryRun bool
	// Backfill runs only the steps that failed last time, and their
	// downstream steps.
	Backfill bool
	// LockWait is how long to wait for the kb lock when another command
	// holds it (0: refuse at once). Run then returns no report and a
	// *store.LockError naming the holder.
	LockWait time.Duration
}

// Input is what a step's Run gets.
type Input struct {
	// Step is the step's name.
	Step string
	// Inputs maps each input step to its output identity.
	Inputs map[string]string
	// Key is the step's input key ("" for a source step).
	Key string
	// Due lists every step that runs in this run, in order (for steps that
	// batch their work, like the fetch steps).
	Due []string
	// Logger is the run's logger.
	Logger *slog.Logger

	memo *memo
}

// Memo calls f once per run for each key and returns its result to every
// caller: steps that share work (one refresh for all fetch steps) use it.
// On an Input that no Runner made (a step called on its own, say in a
// test), nothing is shared: f is called each time.
func (in *Input) Memo(key string, f func() (any, error)) (any, error) {
	if in == nil || in.memo == nil {
		return f()
	}
	return in.memo.do(key, f)
}

type memo struct {
	mu   sync.Mutex
	vals map[string]memoVal
}

type memoVal struct {
	v   any
	err error
}

func (m *memo) do(key string, f func() (any, error)) (any, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.vals[key]; ok {
		return v.v, v.err
	}
	v, err := f()
	m.vals[key] = memoVal{v, err}
	return v, err
}

// StepReport is what a run did (or, dry, would do) with one step.
type StepReport struct {
	Name     string        `json:"name"`
	Action   string        `json:"action"`
	Reason   string        `json:"reason"`
	Outcome  string        `json:"outcome,omitempty"`
	Detail   string        `json:"detail,omitempty"`
	Output   string        `json:"output,omitempty"`
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration_ns"`
	// Nodes are the step's fine-grained nodes that ran or were reused
	// (see [Nodes]); nil when the step reports none.
	Nodes *Nodes `json:"nodes,omitempty"`
}

// Report is one run, written to <kb>/runs/<id>-run.json.
type Report struct {
	ID       string        `json:"id"`
	Kind     string        `json:"kind"` // "run"
	Started  time.Time     `json:"started"`
	Finished time.Time     `json:"finished"`
	DryRun   bool          `json:"dry_run,omitempty"`
	Backfill bool          `json:"backfill,omitempty"`
	Targets  []string      `json:"targets,omitempty"`
	Steps    []*StepReport `json:"steps"`
	// RecordIDs are the IDs of the steps' own run records (the refresh
	// step's, say), in the order the steps ran.
	RecordIDs []string `json:"records,omitempty"`
	Errors    []string `json:"errors,omitempty"`

	// Records are the steps' own run records, one per distinct ID (not
	// stored here: each step stores its own).
	Records []Record `json:"-"`
}

// Failed returns the names of the steps that failed.
func (r *Report) Failed() []string {
	var out []string
	for _, s := range r.Steps {
		if s.Error != "" {
			out = append(out, s.Name)
		}
	}
	return out
}

// NodesRan returns the fine-grained nodes ("indicator:<id>", "chart:<id>")
// that the steps of the run recomputed, in step order.
func (r *Report) NodesRan() []string {
	var out []string
	for _, s := range r.Steps {
		if s.Nodes != nil {
			out = append(out, s.Nodes.Ran...)
		}
	}
	return out
}

// Ran returns the names of the derived steps that did work (source steps'
// checks are not counted).
func (r *Report) Ran() []string {
	var out []string
	for _, s := range r.Steps {
		if s.Action == ActionRun && !r.DryRun && s.Error == "" {
			out = append(out, s.Name)
		}
	}
	return out
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Plan returns the steps a run with these options considers, in order.
func (r *Runner) Plan(opts Options) ([]string, error) {
	g := r.Graph
	var in map[string]bool
	switch {
	case opts.Backfill:
		st, err := ReadState(r.Store.Root())
		if err != nil {
			return nil, err
		}
		var failed []string
		for _, n := range g.order {
			if s := st.Steps[n]; s != nil && s.Status == StatusFailed {
				failed = append(failed, n)
			}
		}
		if len(opts.Targets) > 0 {
			t, err := g.resolve(opts.Targets)
			if err != nil {
				return nil, err
			}
			keep := closure(t, func(n string) []string { return g.down[n] })
			var f2 []string
			for _, n := range failed {
				if keep[n] {
					f2 = append(f2, n)
				}
			}
			failed = f2
		}
		in = closure(failed, func(n string) []string { return g.down[n] })
	case len(opts.Targets) == 0:
		in = map[string]bool{}
		for _, n := range g.order {
			in[n] = true
		}
	default:
		t, err := g.resolve(opts.Targets)
		if err != nil {
			return nil, err
		}
		in = closure(t, func(n string) []string { return g.inputs[n] })
		for n := range closure(t, func(n string) []string { return g.down[n] }) {
			in[n] = true
		}
	}
	var plan []string
	for _, n := range g.order {
		if in[n] {
			plan = append(plan, n)
		}
	}
	return plan, nil
}

// Run runs (or, with DryRun, explains) what the options select. It returns
// the report and an error naming every failed step; a failed step does not
// stop the steps that do not depend on it. When the kb lock stays busy for
// Options.LockWait, Run returns a nil report and the *store.LockError, and
// has run and recorded nothing.
func (r *Runner) Run(ctx context.Context, opts Options) (*Report, error) {
	plan, err := r.Plan(opts)
	if err != nil {
		return nil, err
	}
	if !opts.DryRun {
		lease, err := r.lock(ctx, opts.LockWait)
		if err != nil {
			return nil, err
		}
		defer lease.Unlock()
		ctx = lease.Context(ctx)
	}
	st, err := ReadState(r.Store.Root())
	if err != nil {
		return nil, err
	}
	rs := r.newRun(opts, plan, st)
	workers := r.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if opts.DryRun || workers == 1 {
		for i, name := range plan {
			rs.step(ctx, name, rs.rep.Steps[i])
		}
	} else {
		rs.concurrent(ctx, plan, workers)
	}
	rs.saveStates()
	return r.finish(rs.rep, opts)
}

// concurrent runs plan with up to workers steps at a time. The steps that
// are not Beside run one at a time and in plan order, as a sequential run
// runs them; a Beside step starts as soon as its planned inputs are done
// and a worker is free, beside whatever else runs. The report lists the
// steps in plan order whatever order they finished in.
func (u *runState) concurrent(ctx context.Context, plan []string, workers int) {
	index := make(map[string]int, len(plan))
	for i, n := range plan {
		index[n] = i
	}
	done := make([]bool, len(plan))
	started := make([]bool, len(plan))
	finished := make(chan int)
	running, chainBusy, nextChain := 0, false, 0
	for nextChain < len(plan) && u.g.steps[plan[nextChain]].Beside {
		nextChain++
	}
	ready := func(i int) bool {
		for _, in := range u.g.inputs[plan[i]] {
			if j, ok := index[in]; ok && !done[j] {
				return false
			}
		}
		return true
	}
	for left := len(plan); left > 0; {
		// Start what can start: the next step of the chain (the steps that
		// are not Beside, in plan order), and every ready Beside step.
		for i := 0; i < len(plan) && running < workers; i++ {
			if started[i] || !ready(i) {
				continue
			}
			if !u.g.steps[plan[i]].Beside {
				if chainBusy || i != nextChain {
					continue
				}
				chainBusy = true
			}
			started[i] = true
			running++
			go func(i int) {
				u.step(ctx, plan[i], u.rep.Steps[i])
				finished <- i
			}(i)
		}
		i := <-finished
		running--
		left--
		done[i] = true
		if !u.g.steps[plan[i]].Beside {
			chainBusy = false
		}
		for nextChain < len(plan) && (u.g.steps[plan[nextChain]].Beside || started[nextChain]) {
			nextChain++
		}
	}
}

// lock takes the kb lock for a run, waiting at most wait. The run holds
// it from start to end; the steps run with it in their context, so what
// they lock themselves (the refresh) does not wait for it. A busy lock
// fails the run before anything is recorded.
func (r *Runner) lock(ctx context.Context, wait time.Duration) (*store.Lease, error) {
	who := r.Who
	if who == "" {
		who = "grunnlag run"
	}
	lockCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	return r.Store.LockFor(lockCtx, who)
}

// runState is the state of one Run as its steps go.
type runState struct {
	// mu guards everything below while steps run concurrently (see
	// concurrent); a step's Run is called without it.
	mu   sync.Mutex
	r    *Runner
	g    *Graph
	opts Options
	st   *State
	rep  *Report
	log  *slog.Logger
	// outputs are the current output identities, updated as steps run.
	outputs map[string]string
	planned map[string]bool
	due     []string // the planned source steps
	memo    *memo
	// unsaved are the states of source steps run since the last write of
	// the state file: they are written together, before the next derived
	// step runs or at the end of the run (see saveStates).
	unsaved []unsavedStep
}

// unsavedStep is a step state not yet in the state file, with its report.
type unsavedStep struct {
	name string
	ns   *StepState
	sr   *StepReport
}

// newRun starts the report of a run of plan from state st.
func (r *Runner) newRun(opts Options, plan []string, st *State) *runState {
	start := r.now().UTC()
	rep := &Report{
		ID:       start.Format("20060102T150405.000Z"),
		Kind:     "run",
		Started:  start,
		DryRun:   opts.DryRun,
		Backfill: opts.Backfill,
		Targets:  opts.Targets,
	}
	u := &runState{r: r, g: r.Graph, opts: opts, st: st, rep: rep,
		log:     r.logger().With("run_id", rep.ID),
		outputs: map[string]string{}, planned: map[string]bool{},
		memo: &memo{vals: map[string]memoVal{}}}
	for n, s := range st.Steps {
		u.outputs[n] = s.Output
	}
	for _, n := range plan {
		u.planned[n] = true
		rep.Steps = append(rep.Steps, &StepReport{Name: n})
	}
	for _, n := range plan {
		if u.g.steps[n].Source {
			u.due = append(u.due, n)
		}
	}
	return u
}

// step decides whether step name runs (or, in a dry run, would run), and
// runs it, reporting in sr.
func (u *runState) step(ctx context.Context, name string, sr *StepReport) {
	u.mu.Lock()
	defer u.mu.Unlock()
	g := u.g
	step := g.steps[name]
	prev := u.st.Steps[name]
	if ctx.Err() != nil {
		sr.Action, sr.Reason = ActionBlocked, "avbrutt før steget startet"
		sr.Error = ctx.Err().Error()
		return
	}
	inputs := map[string]string{}
	var missing, changed []string
	for _, in := range g.inputs[name] {
		id := u.outputs[in]
		if id == "" {
			missing = append(missing, in)
		}
		inputs[in] = id
		if prev != nil && prev.Inputs != nil && prev.Inputs[in] != id {
			changed = append(changed, in)
		}
	}
	var key string
	if step.Source {
		sr.Action = ActionCheck
		sr.Reason = "billig sjekk mot kilden"
		if prev != nil && prev.Status == StatusFailed {
			sr.Reason += "; feilet sist: " + prev.Error
		}
	} else {
		key = Key(name, step.Code, inputs)
		sr.Action, sr.Reason = decide(step, prev, key, missing, changed)
	}
	if u.opts.DryRun {
		if sr.Action == ActionSkip && anyUpstream(g, name, func(n string) bool { return u.planned[n] && g.steps[n].Source }) {
			sr.Reason += " (kjører likevel om kildene har endret seg)"
		}
		return
	}
	if sr.Action == ActionSkip || sr.Action == ActionBlocked {
		if sr.Action == ActionBlocked {
			u.log.Warn("step blocked", "step", name, "reason", sr.Reason)
		}
		return
	}
	u.execute(ctx, name, sr, inputs, key)
}

// execute runs step name with its inputs and key, reports it in sr and
// records its new state.
func (u *runState) execute(ctx context.Context, name string, sr *StepReport, inputs map[string]string, key string) {
	r, rep, log := u.r, u.rep, u.log
	step := u.g.steps[name]
	prev := u.st.Steps[name]
	in := &Input{Step: name, Inputs: inputs, Key: key, Due: u.due, Logger: log.With("step", name), memo: u.memo}
	if !step.Source {
		u.saveStates() // a derived step runs with its inputs' states on disk
	}
	t0 := r.now()
	u.mu.Unlock()
	out, runErr := safeRun(ctx, step, in)
	u.mu.Lock()
	sr.Duration = r.now().Sub(t0)
	if out != nil {
		sr.Outcome, sr.Detail, sr.Nodes = out.Outcome, out.Detail, out.Nodes
		if out.Record != nil && !slices.Contains(rep.RecordIDs, out.Record.RunID()) {
			rep.Records = append(rep.Records, out.Record)
			rep.RecordIDs = append(rep.RecordIDs, out.Record.RunID())
		}
	}
	finished := r.now().UTC()
	ns := &StepState{Status: StatusOK, Finished: finished}
	if prev != nil {
		*ns = *prev
		ns.Finished = finished
	}
	if runErr != nil {
		sr.Error = runErr.Error()
		ns.Status, ns.Error = StatusFailed, runErr.Error()
		if out != nil && out.ID != "" {
			ns.Output = out.ID // e.g. the previous version, still published
		}
		rep.Errors = append(rep.Errors, name+": "+runErr.Error())
		log.Error("step failed", "step", name, "err", runErr)
	} else {
		id := key
		if out != nil && out.ID != "" {
			id = out.ID
		}
		ns.Status, ns.Error = StatusOK, ""
		ns.Key, ns.Output, ns.Code, ns.Inputs = key, id, step.Code, inputs
		ns.LastSuccess = finished
		log.Info("step done", "step", name, "outcome", sr.Outcome, "duration", sr.Duration)
	}
	u.outputs[name] = ns.Output
	sr.Output = ns.Output
	u.st.Steps[name] = ns
	u.unsaved = append(u.unsaved, unsavedStep{name: name, ns: ns, sr: sr})
	if !step.Source {
		u.saveStates()
	}
}

// saveStates writes the unsaved step states to the state file in one
// atomic update. A source step's state waits for the next derived step
// (or the end of the run): every run checks every planned source again,
// so a run killed before the write loses nothing a later run needs, and
// a derived step always runs with its inputs' states on disk. A failed
// write is reported on each step it held.
func (u *runState) saveStates() {
	if len(u.unsaved) == 0 {
		return
	}
	pending := u.unsaved
	u.unsaved = nil
	if err := u.r.saveSteps(pending); err != nil {
		for _, p := range pending {
			u.rep.Errors = append(u.rep.Errors, p.name+": "+err.Error())
			p.sr.Error = strings.TrimPrefix(p.sr.Error+"; "+err.Error(), "; ")
		}
	}
}

// finish ends the report, writes it (not in a dry run) and returns the
// error naming every failed step or other error.
func (r *Runner) finish(rep *Report, opts Options) (*Report, error) {
	rep.Finished = r.now().UTC()
	if !opts.DryRun {
		if err := writeReport(r.Store.Root(), rep); err != nil {
			rep.Errors = append(rep.Errors, err.Error())
		}
	}
	if f := rep.Failed(); len(f) > 0 {
		return rep, fmt.Errorf("dag: %d of %d steps failed: %s", len(f), len(rep.Steps), strings.Join(f, ", "))
	}
	if len(rep.Errors) > 0 {
		return rep, fmt.Errorf("dag: %s", strings.Join(rep.Errors, "; "))
	}
	return rep, nil
}

// decide says whether a derived step runs, and why (bokmål).
func decide(step *Step, prev *StepState, key string, missing, changed []string) (action, reason string) {
	if len(missing) > 0 {
		return ActionBlocked, "mangler inndata fra " + strings.Join(missing, ", ")
	}
	switch {
	case prev == nil || prev.LastSuccess.IsZero():
		return ActionRun, "aldri kjørt"
	case prev.Status == StatusFailed:
		return ActionRun, "feilet sist: " + prev.Error
	case prev.Code != step.Code:
		return ActionRun, fmt.Sprintf("kodeversjon endret (%s → %s)", prev.Code, step.Code)
	case prev.Key != key:
		if len(changed) > 0 {
			return ActionRun, "inndata endret: " + strings.Join(changed, ", ")
		}
		return ActionRun, "inndata endret"
	case step.Exists != nil && !step.Exists():
		return ActionRun, "utdata mangler"
	}
	return ActionSkip, "uendret siden " + prev.LastSuccess.Local().Format("2006-01-02 15:04")
}

func anyUpstream(g *Graph, name string, pred func(string) bool) bool {
	for n := range closure(g.inputs[name], func(n string) []string { return g.inputs[n] }) {
		if pred(n) {
			return true
		}
	}
	return false
}

// safeRun turns a panic in a step into an error so one step cannot take
// the daemon down.
func safeRun(ctx context.Context, step *Step, in *Input) (out *Output, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("step %s: panic: %v", step.Name, p)
		}
	}()
	return step.Run(ctx, in)
}

// saveSteps records steps' states; the run holds the kb lock.
func (r *Runner) saveSteps(steps []unsavedStep) error {
	return updateState(r.Store.Root(), func(s *State) {
		for _, p := range steps {
			s.Steps[p.name] = p.ns
		}
	})
}

func writeReport(root string, rep *Report) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("dag: report: %w", err)
	}
	dir := filepath.Join(root, "runs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("dag: report: %w", err)
	}
	return store.WriteFileAtomic(filepath.Join(dir, rep.ID+"-run.json"), func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// ReadReports reads up to n run files (refresh records and run reports) of
// <kb>/runs, newest first, as raw JSON objects.
func ReadReports(root string, n int) ([]json.RawMessage, error) {
	dir := filepath.Join(root, "runs")
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dag: runs: %w", err)
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	var out []json.RawMessage
	for _, name := range names {
		if n > 0 && len(out) >= n {
			break
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !json.Valid(b) {
			continue
		}
		out = append(out, json.RawMessage(b))
	}
	return out, nil
}
