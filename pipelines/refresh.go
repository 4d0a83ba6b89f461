package pipelines

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/wire"
)

// CodeVersion identifies this build's parsing code; it is written into every
// dataset version so a change of parser is visible in the lineage.
const CodeVersion = "grunnlag-refresh/1"

// Refresher pulls the configured datasets into the knowledge base.
type Refresher struct {
	Config *config.Config
	Store  *store.Store
	Logger *slog.Logger
	// Transport, if set, replaces the network for every source (tests).
	Transport http.RoundTripper
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Progress, if set, is told how many chunks of a dataset are done.
	Progress func(dataset string, done, total int)
	// Sources are the source kinds sources are built from; nil means every
	// kind of this build (sources/all).
	Sources *sources.Registry

	model *regions.Model // loaded on first use by regionModel
}

// RefreshOptions select what a refresh does.
type RefreshOptions struct {
	// Only limits the run to these dataset IDs (all when empty).
	Only []string
	// Offline answers every request from the raw snapshots; nothing touches the network.
	Offline bool
	// Force downloads even when the source says the table is unchanged.
	Force bool
	// LockWait is how long to wait for another run's lock on the knowledge
	// base; 0 refuses at once with an error naming the holder.
	LockWait time.Duration
}

// Outcome of one dataset in a run.
const (
	OutcomePublished = "published" // a new version was written
	OutcomeUnchanged = "unchanged" // fetched, but identical to the current version
	OutcomeCurrent   = "current"   // the source's `updated` matched; not downloaded
	OutcomeFailed    = "failed"
)

// DatasetRun is what a run did with one dataset.
type DatasetRun struct {
	ID            string `json:"id"`
	Source        string `json:"source"`
	Table         string `json:"table"`
	Outcome       string `json:"outcome"`
	Reason        string `json:"reason,omitempty"`
	Version       string `json:"version,omitempty"`
	SourceUpdated string `json:"source_updated,omitempty"`
	Rows          int64  `json:"rows,omitempty"`
	Requests      int    `json:"requests"`
	Bytes         int64  `json:"bytes"`
	// Retries is the number of requests the HTTP layer repeated (5xx, 429,
	// resets, bodies cut short).
	Retries  int           `json:"retries,omitempty"`
	Chunks   int           `json:"chunks,omitempty"`
	Diff     *store.Diff   `json:"diff,omitempty"`
	Duration time.Duration `json:"duration_ns"`
	Error    string        `json:"error,omitempty"`
	// Err is the error itself, typed (an *httpx.HTTPError, a
	// *replay.CorruptError, ...), for callers to classify with errors.As;
	// Error is its text for the run record.
	Err error `json:"-"`
}

// RunRecord is written to <kb>/runs/<id>.json after every run.
type RunRecord struct {
	ID       string         `json:"id"`
	Kind     string         `json:"kind"`
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"`
	Offline  bool           `json:"offline"`
	Force    bool           `json:"force"`
	Datasets []*DatasetRun  `json:"datasets"`
	Requests int            `json:"requests"`
	Bytes    int64          `json:"bytes"`
	Retries  int            `json:"retries,omitempty"`
	Pruned   []string       `json:"pruned,omitempty"`
	Errors   []string       `json:"errors,omitempty"`
	Checks   map[string]int `json:"cheap_checks,omitempty"`
}

// RunID returns the record's ID (the name of its file under <kb>/runs/).
func (r *RunRecord) RunID() string { return r.ID }

// Failed returns the IDs of the datasets that failed.
func (r *RunRecord) Failed() []string {
	var ids []string
	for _, d := range r.Datasets {
		if d.Outcome == OutcomeFailed {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

// recorder collects the exchanges of one source and stores each as a raw
// snapshot. Datasets of a source are fetched one after another, so take()
// hands each dataset the snapshots made since the previous take.
type recorder struct {
	st      *store.Store
	source  string
	licence string
	attrib  string
	note    string
	offline bool

	mu       sync.Mutex
	hashes   []string
	requests int
	bytes    int64
	retries  int
	err      error
}

// retried counts one retry of the HTTP layer (sources.Env.OnRetry).
func (r *recorder) retried(int, time.Duration, error) {
	r.mu.Lock()
	r.retries++
	r.mu.Unlock()
}

// takeRetries returns the retries counted since the last call.
func (r *recorder) takeRetries() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.retries
	r.retries = 0
	return n
}

func (r *recorder) record(ex wire.Exchange) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	r.bytes += int64(len(ex.Body))
	if r.offline {
		// Replayed from the snapshots: nothing new to keep, but the version
		// names the snapshots it was parsed from (content-addressed).
		sum := sha256.Sum256(ex.Body)
		r.hashes = append(r.hashes, hex.EncodeToString(sum[:]))
		return nil
	}
	sha, err := r.st.PutRaw(r.source, store.Snapshot{
		Body: ex.Body,
		Ext:  extFor(ex.Header.Get("Content-Type")),
		Meta: store.SnapshotMeta{
			URL:         ex.URL,
			Method:      ex.Method,
			RequestBody: ex.RequestBody,
			Status:      ex.Status,
			Header:      ex.Header,
			FetchedAt:   ex.FetchedAt,
			Licence:     r.licence,
			Attribution: r.attrib,
			Note:        r.note,
		},
	})
	if err != nil {
		r.err = err
		return err
	}
	r.hashes = append(r.hashes, sha)
	return nil
}

func (r *recorder) take() (hashes []string, requests int, bytes int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	hashes, requests, bytes = r.hashes, r.requests, r.bytes
	r.hashes, r.requests, r.bytes = nil, 0, 0
	return hashes, requests, bytes
}

func extFor(contentType string) string {
	switch {
	case strings.Contains(contentType, "json"):
		return "json"
	case strings.Contains(contentType, "csv"):
		return "csv"
	default:
		return "bin"
	}
}

// sourceClient is one configured source, ready to use.
type sourceClient struct {
	name string
	cfg  *config.Source
	kind sources.Factory
	src  sources.Source
	rec  *recorder

	mu      sync.Mutex
	current string // the dataset being fetched, for progress
}

func (s *sourceClient) setCurrent(id string) {
	s.mu.Lock()
	s.current = id
	s.mu.Unlock()
}

func (r *Refresher) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Refresher) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// newSource asks the registry for the source's kind and builds the source
// with the transport of the run: the offline replay of the raw snapshots,
// the test transport, a bundle of recorded responses, or the network.
func (r *Refresher) newSource(ctx context.Context, name string, sc *config.Source, offline bool) (*sourceClient, error) {
	f, ok := r.registry().Lookup(sc.Kind)
	if !ok {
		return nil, fmt.Errorf("source %s: kind %q is not known (%s)", name, sc.Kind, strings.Join(r.registry().Kinds(), ", "))
	}
	var transport http.RoundTripper
	note := ""
	switch {
	case offline:
		transport = r.Store.ReplayTransport(name)
	case r.Transport != nil:
		transport = r.Transport
	case sc.Bundle != "":
		b, ok := f.(sources.Bundler)
		if !ok {
			return nil, fmt.Errorf("source %s: kind %s cannot be served from a bundle (bundle: %s)", name, sc.Kind, sc.Bundle)
		}
		t, err := b.Bundle(sc.BaseURL, sc.Bundle) // recorded answers or bundled cubes, through sources/replay
		if err != nil {
			return nil, fmt.Errorf("source %s: bundle %s: %w", name, sc.Bundle, err)
		}
		transport = t
		note = "served from bundled recorded responses (" + sc.Bundle + "), not fetched from the network"
	default:
		transport = http.DefaultTransport
	}
	rec := &recorder{
		st:      r.Store,
		source:  name,
		licence: sc.Licence,
		attrib:  sc.Attribution,
		note:    note,
		offline: offline,
	}
	ua := sc.UserAgent
	if ua == "" {
		ua = "grunnlag/1 (+https://github.com/grunnlag/grunnlag)"
	}
	sclient := &sourceClient{name: name, cfg: sc, kind: f, rec: rec}
	env := sources.Env{
		Name:      name,
		BaseURL:   sc.BaseURL,
		HTTP:      &http.Client{Transport: transport, Timeout: sc.Timeout},
		UserAgent: ua,
		Logger:    r.logger().With("source", name),
		Recorder:  rec.record,
		OnRetry:   rec.retried,
		Progress: func(done, total int) {
			if r.Progress == nil {
				return
			}
			sclient.mu.Lock()
			id := sclient.current
			sclient.mu.Unlock()
			r.Progress(id, done, total)
		},
	}
	if ru, ok := f.(sources.RegionsUser); ok && ru.UsesRegions() {
		model, err := r.regionModel(ctx, offline)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", name, err)
		}
		if model != nil {
			env.Regions = model
		}
	}
	src, err := f.New(env, sc.Section())
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", name, err)
	}
	sclient.src = src
	return sclient, nil
}

// Refresh runs the refresh step for the selected datasets. It returns the
// run record (also written to <kb>/runs/) and an error naming every dataset
// that failed; one failure does not stop the others.
func (r *Refresher) Refresh(ctx context.Context, opts RefreshOptions) (*RunRecord, error) {
	cfg := r.Config
	ids, err := selectDatasets(cfg, opts.Only)
	if err != nil {
		return nil, err
	}
	lockCtx, cancel := context.WithTimeout(ctx, opts.LockWait)
	unlock, err := r.Store.Lock(lockCtx)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("refresh: %w", err)
	}
	defer unlock()
	// A run killed earlier may have left temp files (SweepTemp removes only
	// those too old to belong to a live writer).
	if swept, err := r.Store.SweepTemp(); err != nil {
		r.logger().Warn("could not remove temp files left by an earlier run", "err", err)
	} else if len(swept) > 0 {
		r.logger().Info("removed temp files left by an earlier run", "files", len(swept))
	}

	// The checks of the run's datasets ("checked, unchanged", an error) are
	// written to the catalog together, in one atomic update after the
	// datasets (a new version's Publish writes those noted before it).
	flushChecks := r.Store.BatchChecks()
	defer func() {
		if err := flushChecks(); err != nil {
			r.logger().Warn("could not record the checks in the catalog", "err", err)
		}
	}()

	run := &RunRecord{
		ID:      r.now().UTC().Format("20060102T150405.000Z"),
		Kind:    "refresh",
		Started: r.now().UTC(),
		Offline: opts.Offline,
		Force:   opts.Force,
		Checks:  map[string]int{},
	}
	log := r.logger().With("run_id", run.ID)
	cat, err := r.Store.Catalog()
	if err != nil {
		return nil, err
	}

	// Group datasets by source, in sorted order, so each source's cheap check
	// can answer for all of its tables at once.
	bySource := map[string][]string{}
	for _, id := range ids {
		s := cfg.Datasets[id].Source
		bySource[s] = append(bySource[s], id)
	}
	var sourceNames []string
	for s := range bySource {
		sourceNames = append(sourceNames, s)
	}
	sort.Strings(sourceNames)

	for _, sname := range sourceNames {
		src, err := r.newSource(ctx, sname, cfg.Sources[sname], opts.Offline)
		if err != nil {
			for _, id := range bySource[sname] {
				run.Datasets = append(run.Datasets, &DatasetRun{ID: id, Source: sname, Outcome: OutcomeFailed, Error: err.Error(), Err: err})
			}
			continue
		}
		updated := map[string]string{} // table -> source `updated`, from the cheap check
		listed := false
		if up, ok := src.src.(sources.Updater); ok && !opts.Force && !opts.Offline {
			listed = r.pastDaysCheck(ctx, src, up, bySource[sname], cat, updated, run, log)
		}
		for _, id := range bySource[sname] {
			if ctx.Err() != nil {
				run.Datasets = append(run.Datasets, &DatasetRun{ID: id, Source: sname, Outcome: OutcomeFailed, Error: ctx.Err().Error(), Err: ctx.Err()})
				continue
			}
			dr := r.repairDataset(ctx, sname, id, cat, opts, log)
			if dr == nil {
				dr = r.refreshDataset(ctx, src, id, cat, opts, updated, listed, log)
			}
			run.Datasets = append(run.Datasets, dr)
		}
	}

	if err := flushChecks(); err != nil {
		r.logger().Warn("could not record the checks in the catalog", "err", err)
	}

	if keep := *cfg.Retention; keep > 0 && ctx.Err() == nil {
		pruned, err := r.Store.Prune(keep)
		if err != nil {
			run.Errors = append(run.Errors, "retention: "+err.Error())
		}
		run.Pruned = pruned
	}
	run.Finished = r.now().UTC()
	var errs []error
	for _, d := range run.Datasets {
		run.Requests += d.Requests
		run.Bytes += d.Bytes
		run.Retries += d.Retries
		if d.Outcome == OutcomeFailed {
			err := d.Err
			if err == nil {
				err = errors.New(d.Error)
			}
			errs = append(errs, fmt.Errorf("%s: %w", d.ID, err))
			run.Errors = append(run.Errors, d.ID+": "+d.Error)
		}
	}
	if err := r.writeRun(run); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return run, fmt.Errorf("refresh: %d of %d datasets failed: %w", len(run.Failed()), len(run.Datasets), errors.Join(errs...))
	}
	return run, nil
}

// pastDaysCheck asks the source once for every table updated in the last N
// days, where N covers the oldest last check of the source's datasets. It
// fills updated for the listed tables and reports whether the listing can be
// trusted for the unlisted ones. It makes no request when a dataset has never
// been published (its table must be fetched anyway) or the window is longer
// than past_days.
func (r *Refresher) pastDaysCheck(ctx context.Context, src *sourceClient, up sources.Updater, ids []string, cat *store.Catalog, updated map[string]string, run *RunRecord, log *slog.Logger) bool {
	max := *r.Config.PastDays
	if max == 0 || len(ids) < 2 {
		return false // one GET /tables/{id} is as cheap for a single table
	}
	oldest := r.now()
	for _, id := range ids {
		e := cat.Datasets[id]
		if e == nil || e.Current == "" || e.LastChecked.IsZero() {
			return false
		}
		if e.LastChecked.Before(oldest) {
			oldest = e.LastChecked
		}
	}
	days := int(math.Ceil(r.now().Sub(oldest).Hours() / 24))
	if days < 1 {
		days = 1
	}
	if days > max {
		return false
	}
	tables, err := up.UpdatedSince(ctx, days)
	_, n, _ := src.rec.take()
	run.Checks[src.name] += n
	if err != nil {
		log.Warn("past-days listing failed; checking tables one by one", "err", err)
		return false
	}
	maps.Copy(updated, tables)
	return true
}

func formatUpdated(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// refreshDataset pulls one dataset. A source that can tell when a table
// was updated (sources.Updater) is asked first, and the table is not
// downloaded when the answer equals the current version's; the others are
// fetched every run, and Publish writes a new version only if something
// changed.
func (r *Refresher) refreshDataset(ctx context.Context, src *sourceClient, id string, cat *store.Catalog, opts RefreshOptions, updated map[string]string, listed bool, log *slog.Logger) *DatasetRun {
	start := r.now()
	d := r.Config.Datasets[id]
	dr := &DatasetRun{ID: id, Source: src.name, Table: d.Table}
	log = log.With("dataset", id)
	src.rec.takeRetries() // those of the past-days listing are not this dataset's
	defer func() { dr.Retries = src.rec.takeRetries() }()
	fail := r.failer(src, dr, start, log)
	q, err := src.kind.Query(d.Spec(id, src.cfg.Kind))
	if err != nil {
		return fail(fmt.Errorf("dataset %s: %w", id, err))
	}
	dr.Table = q.Table()
	up, checks := src.src.(sources.Updater)
	if !checks {
		dr.Reason = "file and report sources are fetched every run"
	} else if res := r.cheapCheck(ctx, src, up, q, id, cat, opts, updated, listed, dr, start, log); res != nil {
		return res
	}

	// Fetch every response and parse them.
	src.setCurrent(id)
	snap, err := src.src.Fetch(ctx, q)
	if err != nil {
		return fail(err)
	}
	dr.Chunks = snap.Chunks
	ds, err := src.src.Parse(snap)
	if err != nil {
		return fail(err)
	}
	query, err := describe(q, d)
	if err != nil {
		return fail(fmt.Errorf("dataset %s: %w", id, err))
	}
	return r.publish(ctx, src, id, ds, query, opts, dr, start, fail, log)
}

// cheapCheck asks the source when the table was updated and returns the
// finished run when that equals the current version's (nil: fetch it),
// setting dr.Reason either way. Offline there is nothing to save: the point
// is to re-parse the snapshots, and the table-info answer the check needs
// may never have been fetched (a first run fetches no table info).
func (r *Refresher) cheapCheck(ctx context.Context, src *sourceClient, up sources.Updater, q sources.Query, id string, cat *store.Catalog,
	opts RefreshOptions, updated map[string]string, listed bool, dr *DatasetRun, start time.Time, log *slog.Logger) *DatasetRun {
	var prev *store.DatasetEntry
	if cat != nil {
		prev = cat.Datasets[id]
	}
	prevUpdated := ""
	var damaged error
	if prev != nil {
		if v := prev.CurrentVersion(); v != nil {
			prevUpdated = v.SourceUpdated
			if damaged = r.Store.VerifyVersion(id, v); damaged != nil {
				prevUpdated = "" // no cheap check: the file is rebuilt (Publish replaces it)
			}
		}
	}
	switch {
	case !opts.Force && !opts.Offline && prevUpdated != "":
		u, ok := updated[q.Table()]
		switch {
		case ok:
		case listed:
			// Not updated within the window we last checked in.
			u = prevUpdated
		default:
			var err error
			if u, err = up.Updated(ctx, q); err != nil {
				return r.failer(src, dr, start, log)(err)
			}
		}
		if u == prevUpdated {
			_, n, b := src.rec.take()
			dr.Requests, dr.Bytes = n, b
			dr.Outcome = OutcomeCurrent
			dr.Reason = "source updated " + u + " equals the current version's"
			dr.Version = prev.Current
			dr.SourceUpdated = u
			dr.Duration = r.now().Sub(start)
			r.noteCheck(id, nil)
			log.Info("dataset current", "updated", u, "requests", n)
			return dr
		}
		dr.Reason = fmt.Sprintf("source updated %s, ours %s", u, prevUpdated)
	case opts.Force:
		dr.Reason = "forced"
	case opts.Offline && prevUpdated != "":
		dr.Reason = "offline: re-parsed from the raw snapshots"
	case damaged != nil:
		dr.Reason = "current version damaged, rebuilt: " + damaged.Error()
	default:
		dr.Reason = "no version yet"
	}
	return nil
}

// failer returns the function that ends a dataset's run as failed: it
// counts the requests made so far, records the error in the catalog and
// logs it once.
func (r *Refresher) failer(src *sourceClient, dr *DatasetRun, start time.Time, log *slog.Logger) func(error) *DatasetRun {
	return func(err error) *DatasetRun {
		_, n, b := src.rec.take()
		dr.Requests += n
		dr.Bytes += b
		dr.Outcome = OutcomeFailed
		dr.Err = err
		dr.Error = err.Error()
		dr.Duration = r.now().Sub(start)
		r.noteCheck(dr.ID, err)
		log.Error("dataset failed", "err", err, "requests", dr.Requests)
		return dr
	}
}

// publish turns a fetched dataset into a new version in the store.
func (r *Refresher) publish(ctx context.Context, src *sourceClient, id string, ds *jsonstat.Dataset, query string, opts RefreshOptions, dr *DatasetRun, start time.Time, fail func(error) *DatasetRun, log *slog.Logger) *DatasetRun {
	d := r.Config.Datasets[id]
	hashes, n, b := src.rec.take()
	dr.Requests, dr.Bytes = n, b
	rec, err := ds.Record(memory.DefaultAllocator)
	if err != nil {
		return fail(fmt.Errorf("table %s: %w", d.Table, err))
	}
	defer rec.Release()

	title := d.Title
	if title == "" {
		title = ds.Label
	}
	srcUpdated := ds.Updated
	if t, err := time.Parse(time.RFC3339, ds.Updated); err == nil {
		srcUpdated = formatUpdated(t)
	}
	meta := store.DatasetMeta{
		Source:      src.name,
		Table:       dr.Table,
		Title:       title,
		Unit:        d.Unit,
		Updated:     srcUpdated,
		FetchedAt:   r.now().UTC(),
		Snapshots:   hashes,
		Query:       query,
		Licence:     src.cfg.Licence,
		Attribution: src.cfg.Attribution,
		Synthetic:   syntheticOf(ds) != "" || d.Synthetic,
		Extra: map[string]string{
			"source_url":   src.cfg.BaseURL,
			"code_version": CodeVersion,
		},
	}
	if ext := syntheticOf(ds); ext != "" {
		meta.Extra["synthetic_extent"] = ext
	}
	if opts.Offline {
		meta.Extra["parsed_from"] = "raw snapshots (--offline)"
	}
	v, err := r.Store.Publish(ctx, id, rec, meta)
	if err != nil {
		return fail(err)
	}
	dr.Version = v.Stamp
	dr.Rows = v.Rows
	dr.SourceUpdated = srcUpdated
	dr.Diff = &v.Diff
	if v.Unchanged {
		dr.Outcome = OutcomeUnchanged
	} else {
		dr.Outcome = OutcomePublished
	}
	dr.Duration = r.now().Sub(start)
	r.noteCheck(id, nil)
	log.Info("dataset "+dr.Outcome, "version", v.Stamp, "rows", v.Rows, "requests", dr.Requests, "bytes", dr.Bytes,
		"added", v.Diff.Added, "removed", v.Diff.Removed, "revised", v.Diff.Revised, "duration", dr.Duration)
	return dr
}

// noteCheck records the time of a check (and its error, or none) in the
// catalog, through the run's batch (Store.BatchChecks).
func (r *Refresher) noteCheck(id string, err error) {
	if rerr := r.Store.RecordCheck(id, err); rerr != nil {
		r.logger().Warn("could not record the check in the catalog", "dataset", id, "err", rerr)
	}
}

// syntheticOf reads the grunnlag extension that marks demo data synthetic.
func syntheticOf(ds *jsonstat.Dataset) string {
	if len(ds.Extension) == 0 {
		return ""
	}
	var ext struct {
		Grunnlag struct {
			Synthetic any `json:"synthetic"`
		} `json:"grunnlag"`
	}
	if json.Unmarshal(ds.Extension, &ext) != nil || ext.Grunnlag.Synthetic == nil {
		return ""
	}
	switch v := ext.Grunnlag.Synthetic.(type) {
	case bool:
		if v {
			return "full"
		}
		return ""
	case string:
		return v
	}
	return ""
}

func selectDatasets(cfg *config.Config, only []string) ([]string, error) {
	if len(only) == 0 {
		return cfg.DatasetIDs(), nil
	}
	var unknown []string
	seen := map[string]bool{}
	var ids []string
	for _, id := range only {
		if _, ok := cfg.Datasets[id]; !ok {
			unknown = append(unknown, id)
			continue
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("refresh: unknown dataset(s) %s (configured: %s)", strings.Join(unknown, ", "), strings.Join(cfg.DatasetIDs(), ", "))
	}
	sort.Strings(ids)
	return ids, nil
}

func (r *Refresher) writeRun(run *RunRecord) error {
	b, err := json.MarshalIndent(run, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Join(r.Store.Root(), "runs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("run record: %w", err)
	}
	return store.WriteFileAtomic(filepath.Join(dir, run.ID+".json"), func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}
