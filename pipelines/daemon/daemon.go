// Package daemon runs grunnlag's pipeline on a schedule: the jobs of the
// config's `schedule:` section (cron expressions in Europe/Oslo, folder
// watches), a backfill of failed steps, and a freshness check, with
// notifications and Prometheus metrics.
//
// Scheduling uses gocron/v2 in the schedule's time zone (default
// Europe/Oslo), so "15 8 * * 1-5" is 08:15 Norwegian time all year, before
// and after a daylight-saving change. Runs never overlap: every job is in
// singleton mode (a job still running when it is due again skips that
// turn), the scheduler runs one job at a time (a job that comes due while
// another runs waits for it), and each run takes the kb lock
// ([store.Store.LockFor]), so a scheduled run and a manual `grunnlag run` on the same
// knowledge base never work at once: the second waits up to LockWait and
// then refuses with a message naming the holder.
//
// Jobs:
//
//	cron job     runs its targets (dataset IDs, source:<name>, step names; none = all)
//	watch job    every `every`, lists the folder (names, sizes, modification times);
//	             when the listing differs from the last one, runs its targets
//	backfill     every schedule.backfill, runs only the steps that failed last time
//	stale check  every schedule.stale_check, flags datasets whose source's last
//	             update is older than their `expect` interval
//
// A job with a preset (a milestone of the planning year, config.Presets)
// runs holding the kb lock from the start of its run to the end of its
// planning pack: when the run succeeds (no step failed, none was blocked:
// see [PackSkippedError]), the daemon
// publishes <kb>/planning/<date>-<milestone>/ (see package pack) from
// exactly what the run left, and no other run can change the book or the
// workbook in between. [Milestones] says when each milestone comes next
// and whether its inputs are fresh.
//
// After each run the daemon notifies (see [Notifier]) when the run failed
// and when a dataset got a new version (with added/removed/revised cell
// counts), and once per dataset when it goes stale. [Daemon.Shutdown] stops
// scheduling, cancels the running job's context (the refresh in flight
// fails cleanly; publishing is atomic, so nothing half-published is ever
// current) and waits for it.
package daemon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/pack"
	"github.com/grunnlag/grunnlag/pipelines/steps"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// RunFunc runs the pipeline (normally a *dag.Runner's Run).
type RunFunc func(ctx context.Context, opts dag.Options) (*dag.Report, error)

// Daemon schedules pipeline runs. Set the fields, then Start.
type Daemon struct {
	Config *config.Config
	Store  *store.Store
	Run    RunFunc
	// Notifier, if set, is told about failures, stale datasets and new versions.
	Notifier *Notifier
	// Metrics, if set, counts runs, failures, requests, retries and rows.
	Metrics *Metrics
	Logger  *slog.Logger
	// Clock drives the scheduler (nil: the real clock); tests use a fake.
	Clock clockwork.Clock
	// LockWait is how long a scheduled run waits for another run of the kb
	// (default 30 min).
	LockWait time.Duration

	mu      sync.Mutex // one run at a time in this process
	sched   gocron.Scheduler
	cancel  context.CancelFunc
	stMu    sync.Mutex
	stale   map[string]bool   // datasets already notified as stale
	watched map[string]string // watch job -> last listing hash
	last    *dag.Report
	lastJob string
}

// JobInfo describes a scheduled job.
type JobInfo struct {
	Name string    `json:"name"`
	Kind string    `json:"kind"` // cron, watch, backfill, stale_check
	Spec string    `json:"spec"`
	Next time.Time `json:"next"`
	// Preset is the milestone a preset job stands for ("" for other jobs).
	Preset string `json:"preset,omitempty"`
}

func (d *Daemon) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (d *Daemon) clock() clockwork.Clock {
	if d.Clock != nil {
		return d.Clock
	}
	return clockwork.NewRealClock()
}

// Location returns the schedule's time zone (Europe/Oslo by default).
func (d *Daemon) Location() (*time.Location, error) {
	tz := config.DefaultTimezone
	if d.Config.Schedule != nil && d.Config.Schedule.Timezone != "" {
		tz = d.Config.Schedule.Timezone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("daemon: time zone %q: %w", tz, err)
	}
	return loc, nil
}

// Start builds the scheduler from the config and starts it. The jobs stop
// when ctx is done or Shutdown is called.
func (d *Daemon) Start(ctx context.Context) error {
	if d.Run == nil || d.Config == nil {
		return errors.New("daemon: Config and Run are required")
	}
	loc, err := d.Location()
	if err != nil {
		return err
	}
	d.stale = map[string]bool{}
	d.watched = map[string]string{}
	ctx, d.cancel = context.WithCancel(ctx)
	s, err := gocron.NewScheduler(
		gocron.WithLocation(loc),
		gocron.WithClock(d.clock()),
		gocron.WithLimitConcurrentJobs(1, gocron.LimitModeWait),
		gocron.WithStopTimeout(10*time.Minute),
	)
	if err != nil {
		return fmt.Errorf("daemon: scheduler: %w", err)
	}
	add := func(name string, def gocron.JobDefinition, task any) error {
		_, err := s.NewJob(def, gocron.NewTask(task),
			gocron.WithName(name),
			gocron.WithSingletonMode(gocron.LimitModeReschedule),
			gocron.WithContext(ctx))
		if err != nil {
			return fmt.Errorf("daemon: job %s: %w", name, err)
		}
		return nil
	}
	var errs []error
	if sc := d.Config.Schedule; sc != nil {
		names := make([]string, 0, len(sc.Jobs))
		for n := range sc.Jobs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			j := sc.Jobs[name]
			opts := dag.Options{Targets: j.Targets}
			if j.Cron != "" {
				errs = append(errs, add(name, gocron.CronJob(j.Cron, false), func(ctx context.Context) {
					d.RunJob(ctx, name, opts)
				}))
				continue
			}
			// Baseline: the listing at start; a file that arrives later triggers.
			if sig, err := listing(j.Watch); err == nil {
				d.watched[name] = sig
			}
			errs = append(errs, add(name, gocron.DurationJob(j.Every), func(ctx context.Context) {
				d.watch(ctx, name, j.Watch, opts)
			}))
		}
		if sc.Backfill > 0 {
			errs = append(errs, add("backfill", gocron.DurationJob(sc.Backfill), func(ctx context.Context) {
				d.Backfill(ctx)
			}))
		}
		errs = append(errs, add("stale_check", gocron.DurationJob(sc.StaleCheck), func(ctx context.Context) {
			d.CheckStale(ctx)
		}))
	}
	if err := errors.Join(errs...); err != nil {
		_ = s.Shutdown()
		return err
	}
	d.sched = s
	s.Start()
	d.logger().Info("scheduler started", "timezone", loc.String(), "jobs", len(s.Jobs()))
	return nil
}

// Jobs lists the scheduled jobs with their next run, by name.
func (d *Daemon) Jobs() []JobInfo {
	if d.sched == nil {
		return nil
	}
	var out []JobInfo
	for _, j := range d.sched.Jobs() {
		info := JobInfo{Name: j.Name()}
		if next, err := j.NextRun(); err == nil {
			info.Next = next
		}
		switch sc := d.Config.Schedule; {
		case j.Name() == "backfill":
			info.Kind, info.Spec = "backfill", sc.Backfill.String()
		case j.Name() == "stale_check":
			info.Kind, info.Spec = "stale_check", sc.StaleCheck.String()
		case sc.Jobs[j.Name()] != nil && sc.Jobs[j.Name()].Cron != "":
			info.Kind, info.Spec, info.Preset = "cron", sc.Jobs[j.Name()].Cron, sc.Jobs[j.Name()].Preset
		case sc.Jobs[j.Name()] != nil:
			info.Kind, info.Spec = "watch", sc.Jobs[j.Name()].Watch
		}
		out = append(out, info)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

// Shutdown stops scheduling, cancels a running job and waits for it.
func (d *Daemon) Shutdown() error {
	if d.cancel != nil {
		d.cancel()
	}
	if d.sched == nil {
		return nil
	}
	if err := d.sched.Shutdown(); err != nil {
		return fmt.Errorf("daemon: shutdown: %w", err)
	}
	// Wait for a RunJob started outside the scheduler: taking the run lock
	// returns once the running job has released it.
	d.mu.Lock()
	//lint:ignore SA2001 the empty critical section is the wait for the running job
	d.mu.Unlock()
	return nil
}

// Last returns the last run's report and job name (nil before any run).
func (d *Daemon) Last() (*dag.Report, string) {
	d.stMu.Lock()
	defer d.stMu.Unlock()
	return d.last, d.lastJob
}

// RunJob runs the pipeline once as job name, then records metrics and
// sends notifications. Runs in this process are serialised; another
// process's run is waited for up to LockWait.
func (d *Daemon) RunJob(ctx context.Context, name string, opts dag.Options) (*dag.Report, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if opts.LockWait == 0 {
		opts.LockWait = d.LockWait
		if opts.LockWait == 0 {
			opts.LockWait = 30 * time.Minute
		}
	}
	log := d.logger().With("job", name)
	log.Info("job started", "targets", strings.Join(opts.Targets, ","), "backfill", opts.Backfill)
	preset := d.presetOf(name)
	var (
		rep   *dag.Report
		err   error
		lease *store.Lease
	)
	if preset != "" && d.Store != nil && !opts.DryRun {
		// The run and its pack under one hold of the kb lock.
		lockCtx, cancel := context.WithTimeout(ctx, opts.LockWait)
		lease, err = d.Store.LockFor(lockCtx, "grunnlag serve")
		cancel()
		if err == nil {
			defer lease.Unlock() // also on a panic; released earlier below
		}
	}
	if err == nil {
		runCtx := ctx
		if lease != nil {
			runCtx = lease.Context(ctx)
		}
		rep, err = d.Run(runCtx, opts)
	}
	if lease != nil && err == nil && rep != nil && len(rep.Failed()) == 0 {
		if blocked := blockedSteps(rep); len(blocked) > 0 {
			// The milestone's book and workbook were not made: no pack
			// that would look like one, and the job says why.
			err = &PackSkippedError{Job: name, Blocked: blocked}
		} else if man, perr := d.publishPack(name, preset, rep); perr != nil {
			err = perr
		} else {
			log.Info("planning pack published", "pack", man.Name, "run_id", rep.ID, "missing", strings.Join(man.Missing, ","))
		}
	}
	if lease != nil {
		lease.Unlock() // before the notifications, which may wait for a slow webhook
	}
	if d.Metrics != nil {
		d.Metrics.ObserveRun(name, rep, err)
		if cat, cerr := d.storeCatalog(); cerr == nil {
			d.Metrics.ObserveCatalog(cat)
		}
	}
	if rep != nil {
		d.stMu.Lock()
		d.last, d.lastJob = rep, name
		d.stMu.Unlock()
	}
	if err != nil {
		log.Error("job failed", "err", err)
	} else {
		log.Info("job done")
	}
	d.notifyRun(context.WithoutCancel(ctx), name, rep, err)
	return rep, err
}

// PackSkippedError is a preset job's run that succeeded with steps
// blocked (an input has never produced anything, as on a knowledge base
// whose other datasets were never fetched): no planning pack is published,
// because the book and the workbook it would copy were not made by the run.
type PackSkippedError struct {
	Job     string
	Blocked []string // the blocked steps, in run order
}

func (e *PackSkippedError) Error() string {
	return fmt.Sprintf("daemon: job %s: no planning pack: steps blocked because an input has never been fetched (%s); run `grunnlag run` once", e.Job, strings.Join(e.Blocked, ", "))
}

// blockedSteps returns the steps of rep that were blocked.
func blockedSteps(rep *dag.Report) []string {
	var out []string
	for _, s := range rep.Steps {
		if s.Action == dag.ActionBlocked {
			out = append(out, s.Name)
		}
	}
	return out
}

// presetOf returns the preset of job name, "" for a job without one.
func (d *Daemon) presetOf(name string) string {
	if sc := d.Config.Schedule; sc != nil && sc.Jobs[name] != nil {
		return sc.Jobs[name].Preset
	}
	return ""
}

// publishPack publishes the planning pack of a preset job's successful run.
func (d *Daemon) publishPack(job, preset string, rep *dag.Report) (*pack.Manifest, error) {
	cat, err := d.Store.Catalog()
	if err != nil {
		return nil, fmt.Errorf("daemon: planning pack: %w", err)
	}
	loc, err := d.Location()
	if err != nil {
		return nil, err
	}
	p, _ := config.PresetByName(preset)
	man, err := pack.Publish(d.Store.Root(), cat, pack.Meta{Milestone: preset, Title: p.Title, Job: job, RunID: rep.ID,
		Time: d.clock().Now(), Location: loc})
	if err != nil {
		return nil, fmt.Errorf("daemon: planning pack: %w", err)
	}
	return man, nil
}

func (d *Daemon) storeCatalog() (*store.Catalog, error) {
	if d.Store == nil {
		return nil, errors.New("daemon: no store")
	}
	return d.Store.Catalog()
}

func (d *Daemon) notifyRun(ctx context.Context, job string, rep *dag.Report, err error) {
	if d.Notifier == nil {
		return
	}
	now := d.clock().Now()
	send := func(ev Event) {
		if nerr := d.Notifier.Send(ctx, ev); nerr != nil {
			d.logger().Warn("notification failed", "event", ev.Event, "err", nerr)
		}
	}
	if err != nil {
		ev := Event{Event: config.EventFailure, Time: now, Job: job, Message: fmt.Sprintf("Kjøringen %s feilet: %v", job, err)}
		if rep != nil {
			ev.Run, ev.Errors = rep.ID, rep.Errors
		} else {
			ev.Errors = []string{err.Error()}
		}
		send(ev)
	}
	refresh := steps.RefreshRecord(rep)
	if refresh == nil {
		return
	}
	for _, dr := range refresh.Datasets {
		if dr.Outcome != pipelines.OutcomePublished {
			continue
		}
		ev := Event{Event: config.EventNewVersion, Time: now, Job: job, Run: rep.ID, Dataset: dr.ID, Version: dr.Version, Diff: dr.Diff,
			Message: fmt.Sprintf("Datasettet %s har en ny versjon %s", dr.ID, dr.Version)}
		if dr.Diff != nil {
			ev.Message += fmt.Sprintf(": %d celler lagt til, %d fjernet, %d revidert", dr.Diff.Added, dr.Diff.Removed, dr.Diff.Revised)
		}
		send(ev)
	}
}

// Backfill runs the steps that failed last time (and what depends on them);
// it does nothing when nothing failed.
func (d *Daemon) Backfill(ctx context.Context) (*dag.Report, error) {
	st, err := dag.ReadState(d.Store.Root())
	if err != nil {
		return nil, err
	}
	failed := false
	for _, s := range st.Steps {
		failed = failed || s.Status == dag.StatusFailed
	}
	if !failed {
		return nil, nil
	}
	return d.RunJob(ctx, "backfill", dag.Options{Backfill: true})
}

// CheckStale computes freshness, updates the metrics, and notifies once
// for every dataset that became stale since the last check.
func (d *Daemon) CheckStale(ctx context.Context) []Freshness {
	cat, err := d.storeCatalog()
	if err != nil {
		d.logger().Warn("freshness: catalog unreadable", "err", err)
		return nil
	}
	fr := CheckFreshness(d.Config, cat, d.clock().Now())
	if d.Metrics != nil {
		d.Metrics.ObserveFreshness(fr)
	}
	for _, f := range fr {
		d.stMu.Lock()
		was := d.stale[f.Dataset]
		d.stale[f.Dataset] = f.State == Stale
		d.stMu.Unlock()
		if f.State != Stale || was {
			continue
		}
		d.logger().Warn("dataset stale", "dataset", f.Dataset, "source_updated", f.SourceUpdated, "expect", f.Expect)
		if d.Notifier != nil {
			ev := Event{Event: config.EventStale, Time: d.clock().Now(), Dataset: f.Dataset, Version: f.Version,
				Message: fmt.Sprintf("Datasettet %s er utdatert: kilden ble sist oppdatert %s, forventet hvert %s", f.Dataset, f.SourceUpdated, f.Expect)}
			if nerr := d.Notifier.Send(ctx, ev); nerr != nil {
				d.logger().Warn("notification failed", "event", ev.Event, "err", nerr)
			}
		}
	}
	return fr
}

// watch runs a watch job's targets when the folder's listing changed.
func (d *Daemon) watch(ctx context.Context, name, dir string, opts dag.Options) {
	sig, err := listing(dir)
	if err != nil {
		d.logger().Warn("watch: folder unreadable", "job", name, "dir", dir, "err", err)
		return
	}
	d.stMu.Lock()
	prev, seen := d.watched[name]
	d.watched[name] = sig
	d.stMu.Unlock()
	if seen && prev == sig {
		return
	}
	d.logger().Info("watch: folder changed", "job", name, "dir", dir)
	d.RunJob(ctx, name, opts)
}

// listing hashes the names, sizes and modification times of a folder's
// visible files.
func listing(dir string) (string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00", filepath.Base(e.Name()), fi.Size(), fi.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
