// Package dag runs grunnlag's pipeline as a graph of declared steps and does
// only the work a change calls for.
//
// # Steps
//
// A [Step] is a value: a unique Name, the names of its Inputs (other steps;
// a trailing "*" matches every step with that prefix, so "fetch/*" is every
// dataset), a Code version, and a Run function. Source steps (Source set)
// have their input outside the graph, in a statistics API: they always run,
// because running them is the cheap upstream check (for PxWebApi one
// /tables request), and their output identity is what Run returns (for a
// dataset, the content hash of its current version in the catalog). Every
// other step's input key is
//
//	sha256("grunnlag-dag/1", name, code, for each input in name order: name "=" output identity)
//
// and its output identity is that key. A derived step runs when its key
// differs from the key of its last successful run, when it failed last time,
// when it has never run, or when its Exists check says the output is gone;
// otherwise it is skipped and says why. So an unchanged run does no work
// after its source steps' cheap checks, and a change re-runs exactly what is
// downstream of it. The later steps (build, charts, book, exports) plug in
// with one [Step] value each:
//
//	steps = append(steps, dag.Step{Name: "build", Inputs: []string{"fetch/*"}, Code: build.CodeVersion, Run: buildRun})
//
// Steps run one at a time in plan order, except those marked Beside (the
// charts, the book, the exports: they read the knowledge base and write
// only their own folders): each of them starts as soon as its inputs are
// done and a worker is free ([Runner.Workers], GOMAXPROCS by default), beside
// the others. The report lists the steps in plan order either way.
//
// The package knows no step: the pipeline's steps and their list live in
// package steps (pipelines/steps), which declares one source step
// "fetch/<dataset>" per configured dataset and the later steps, one line
// each.
//
// # Targets
//
// [Runner.Run] takes targets: step names, dataset IDs (meaning
// "fetch/<id>"), or "source:<name>" (every fetch step of that source). The
// plan is the targets, their upstream steps and their downstream steps; no
// targets means every step. A backfill run (Options.Backfill) plans only
// the steps whose last run failed and their downstream steps, so the good
// datasets are not fetched again. A step whose input has never produced
// anything is blocked, not run. When a source step fails, its previous
// output identity stays (the previous dataset version stays published) and
// the step is marked failed for the next backfill; the other steps go on.
//
// # State and locking
//
// The state of every step (key, output identity, code version, result,
// error, time) is kept in <kb>/state/dag.json, written atomically after each
// step. A run (not a dry run) holds the one kb lock ([store.Store.LockFor],
// <kb>/grunnlag.lock) from start to end, and its steps run with the lock in
// their context, so a step that locks the kb itself (the refresh) does not
// wait for it. While another command holds the lock, a run waits up to
// Options.LockWait and then refuses with a [*store.LockError] naming the
// holder, having run and recorded nothing.
//
// # Reports
//
// Every run that is not a dry run writes a [Report] to
// <kb>/runs/<id>-run.json (kind "run"), beside the steps' own run records
// (the refresh step's, say: see [Output.Record] and [Report.Records]). A dry run plans and explains (action run, check, skip or blocked,
// with a reason in bokmål) without running or writing anything.
//
// A step may be a graph of its own: the build computes one node per
// indicator, the charts step draws one per indicator's chart set, each
// keyed by the hashes of its own inputs. Such a step returns its
// [Nodes] (run and reused) in [Output.Nodes]; the report keeps them per
// step and [Report.NodesRan] lists every node a run recomputed, so the
// cost of a change is counted node by node.
package dag
