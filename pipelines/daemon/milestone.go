package daemon

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Milestone is a preset job of the schedule (a milestone of the planning
// year) with its next date and the freshness of its inputs.
type Milestone struct {
	// Job is the schedule job; Preset its preset (soknadstall, ...).
	Job    string `json:"job"`
	Preset string `json:"preset"`
	// Title and When are the preset's name and date in bokmål.
	Title string `json:"title"`
	When  string `json:"when"`
	// Cron is the job's cron expression (the preset's, or the job's own).
	Cron string `json:"cron"`
	// Next is when the job next runs, in the schedule's time zone.
	Next time.Time `json:"next"`
	// Targets are the job's targets (none: everything).
	Targets []string `json:"targets"`
	// Inputs are the datasets the targets refresh, with their freshness
	// (as the stale check computes it).
	Inputs []Freshness `json:"inputs"`
	// Stale lists the inputs that are stale or have no version yet.
	Stale []string `json:"stale"`
	// Ready is true when no input is stale or missing (an input without
	// an expect interval counts as unknown, not as stale).
	Ready bool `json:"ready"`
}

// Milestones returns the schedule's preset jobs in the order they next
// run after now (ties by job name), each with the freshness of its
// inputs at now; nil when the schedule has none. cat may be nil (no
// catalog yet: every input is missing).
func Milestones(cfg *config.Config, cat *store.Catalog, now time.Time) []Milestone {
	sc := cfg.Schedule
	if sc == nil {
		return nil
	}
	loc, err := time.LoadLocation(sc.Timezone)
	if err != nil {
		loc = time.UTC // Load refuses such a config; a hand-built one is read in UTC
	}
	if cat == nil {
		cat = &store.Catalog{}
	}
	fresh := map[string]Freshness{}
	for _, f := range CheckFreshness(cfg, cat, now) {
		fresh[f.Dataset] = f
	}
	var out []Milestone
	for name, j := range sc.Jobs {
		if j == nil || j.Preset == "" || j.Cron == "" {
			continue
		}
		p, _ := config.PresetByName(j.Preset)
		m := Milestone{Job: name, Preset: j.Preset, Title: p.Title, When: p.When, Cron: j.Cron,
			Next: config.NextFire(j.Cron, loc, now), Targets: j.Targets, Inputs: []Freshness{}, Stale: []string{}, Ready: true}
		if m.Targets == nil {
			m.Targets = []string{}
		}
		for _, id := range InputsOf(cfg, j.Targets) {
			f := fresh[id]
			m.Inputs = append(m.Inputs, f)
			if f.State == Stale || f.State == Missing {
				m.Stale = append(m.Stale, id)
				m.Ready = false
			}
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Milestone) int {
		// A job that never fires again (zero Next) goes last.
		if a.Next.IsZero() != b.Next.IsZero() {
			if a.Next.IsZero() {
				return 1
			}
			return -1
		}
		return cmp.Or(a.Next.Compare(b.Next), cmp.Compare(a.Job, b.Job))
	})
	return out
}

// InputsOf returns the configured datasets that targets refresh, sorted:
// every dataset for no targets, a source's datasets for "source:<name>",
// a dataset for its ID; step names refresh no dataset of their own.
func InputsOf(cfg *config.Config, targets []string) []string {
	if len(targets) == 0 {
		return cfg.DatasetIDs()
	}
	var out []string
	for _, id := range cfg.DatasetIDs() {
		d := cfg.Datasets[id]
		for _, t := range targets {
			src, isSource := strings.CutPrefix(t, "source:")
			if (isSource && d != nil && d.Source == src) || (!isSource && t == id) {
				out = append(out, id)
				break
			}
		}
	}
	return out
}
