package main

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/daemon"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/pack"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// TestPresetJobOnDemo runs the demo's soknadstall job as the daemon runs
// it (the real pipeline, offline on the bundled data) on a knowledge base
// that was never run: only the udir datasets are fetched, so every later
// step is blocked, the book and the workbook are not made, and no pack is
// published; the job fails saying why. (The successful path is
// TestPresetJobPublishesPack in pipelines/daemon; on the demo it needs a
// whole `grunnlag run` first, five minutes on a shared machine.)
func TestPresetJobOnDemo(t *testing.T) {
	cfgPath, _ := copyDemo(t)
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cfg.KB)
	if err != nil {
		t.Fatal(err)
	}
	runner, err := newRunner(cfg, st, nil, pipelines.RefreshOptions{}, "grunnlag serve")
	if err != nil {
		t.Fatal(err)
	}
	// 06:00 UTC on 3 March 2027 is 07:00 in Oslo, the preset's time.
	fake := clockwork.NewFakeClockAt(time.Date(2027, 3, 3, 6, 0, 0, 0, time.UTC))
	d := &daemon.Daemon{Config: cfg, Store: st, Run: runner.Run, Clock: fake, LockWait: time.Minute}
	job := cfg.Schedule.Jobs["soknadstall"]
	if !slices.Equal(job.Targets, []string{"source:udir"}) {
		t.Fatalf("demo soknadstall targets = %q, want [source:udir]", job.Targets)
	}
	// On a knowledge base never run, the other datasets were never
	// fetched, so everything after the udir fetches is blocked: no pack.
	_, err = d.RunJob(context.Background(), "soknadstall", dag.Options{Targets: job.Targets})
	var skipped *daemon.PackSkippedError
	if !errors.As(err, &skipped) || !slices.Contains(skipped.Blocked, "book") {
		t.Fatalf("soknadstall on an empty kb = %v, want a *daemon.PackSkippedError naming book", err)
	}
	if packs, _ := pack.List(st.Root()); len(packs) != 0 {
		t.Fatalf("packs after a blocked run = %+v, want none", packs)
	}
}
