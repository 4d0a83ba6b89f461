package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Preset is one milestone of the planning year (årshjulet) of upper
// secondary and adult education offers: when it falls and what it
// refreshes. A job takes a preset by name (`preset: soknadstall`); the
// preset gives the job its cron expression and its targets, unless the job
// sets cron or targets itself, which then win.
//
// The targets are not dataset IDs (those differ from config to config) but
// source kinds and steps: a preset refreshes every dataset of every
// configured source whose kind it names ("source:<name>" for each), and
// the steps it names when the config has them (the survey step needs the
// needs: section). Every target runs with the steps after it (harmonise,
// build, charts, book, exports), so each preset ends with a new book and
// new exports. A preset with All refreshes everything (no targets).
//
// After a preset job's run succeeds the daemon publishes a dated planning
// pack (pipelines/pack) named after the preset.
type Preset struct {
	// Name is the preset's name in the config (soknadstall, ...).
	Name string
	// Title is the milestone's name in bokmål, for status and the pack.
	Title string
	// When says in bokmål when the milestone falls.
	When string
	// Cron is the job's default cron expression (the schedule's time zone).
	Cron string
	// Kinds are the source kinds whose datasets the milestone refreshes.
	Kinds []string
	// Steps are later steps it runs too, when the config has them.
	Steps []string
	// All refreshes the whole pipeline.
	All bool
	// Refreshes says in bokmål what the milestone refreshes.
	Refreshes string
}

// Presets returns the milestones of the planning year in calendar order:
//
//	name           when (Europe/Oslo)              cron            refreshes
//	soknadstall    3 March 07:00                   0 7 3 3 *       the udir sources (applicants after the 1 March deadline)
//	forum          1 April 07:00                   0 7 1 4 *       the survey step and the nav sources (the forums' book)
//	justering      20 May 07:00                    0 7 20 5 *      the udir and nav sources (the May/June adjustment)
//	inntak         25 August 07:00                 0 7 25 8 *      the udir sources (pupils, apprenticeship contracts)
//	tilbudsvedtak  1 November and 1 December 07:00 0 7 1 11,12 *   everything (the offer decisions)
func Presets() []Preset {
	return []Preset{
		{Name: "soknadstall", Title: "Søkertall", When: "3. mars kl. 07.00 (etter søknadsfristen 1. mars)",
			Cron: "0 7 3 3 *", Kinds: []string{"udir"},
			Refreshes: "Udir-kildene (søkere til Vg1 og de andre Udir-tallene), så planleggingssidene og arbeidsboka"},
		{Name: "forum", Title: "Forumsinnspill", When: "1. april kl. 07.00 (før forumsmøtene om våren)",
			Cron: "0 7 1 4 *", Kinds: []string{"nav"}, Steps: []string{"survey"},
			Refreshes: "kartleggingen av kompetansebehov og NAV-kildene, så forumenes bok"},
		{Name: "justering", Title: "Justering", When: "20. mai kl. 07.00 (før justeringen i mai/juni)",
			Cron: "0 7 20 5 *", Kinds: []string{"udir", "nav"},
			Refreshes: "Udir- og NAV-kildene"},
		{Name: "inntak", Title: "Inntak", When: "25. august kl. 07.00 (etter skolestart)",
			Cron: "0 7 25 8 *", Kinds: []string{"udir"},
			Refreshes: "Udir-kildene (elever og lærekontrakter)"},
		{Name: "tilbudsvedtak", Title: "Tilbudsvedtak", When: "1. november og 1. desember kl. 07.00 (før tilbudsvedtakene)",
			Cron: "0 7 1 11,12 *", All: true,
			Refreshes: "alt: alle kilder, kartleggingen, tilbudskatalogen, indikatorene, boka og eksportene"},
	}
}

// PresetByName returns the preset called name.
func PresetByName(name string) (Preset, bool) {
	for _, p := range Presets() {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}

func presetNames() []string {
	var out []string
	for _, p := range Presets() {
		out = append(out, p.Name)
	}
	return out
}

// PresetError is a job's preset that is not one of Presets, at its line in
// the file, with the nearest preset name when one is close enough to be a
// typo.
type PresetError struct {
	// Line and Column are 1-based positions of the value in the file (0
	// when the config was not read from a file).
	Line, Column int
	// Job is the job's name.
	Job string
	// Preset is the name as written.
	Preset string
	// Suggestion is the nearest preset name ("" when none is near).
	Suggestion string
}

// Error says it in bokmål: `schedule.jobs.x.preset på linje 7: ukjent
// forhåndsvalg «soknadtall»; mente du «soknadstall»?`.
func (e *PresetError) Error() string {
	at := "schedule.jobs." + e.Job + ".preset"
	if e.Line > 0 {
		at += fmt.Sprintf(" på linje %d", e.Line)
	}
	msg := fmt.Sprintf("%s: ukjent forhåndsvalg «%s»", at, e.Preset)
	if e.Suggestion != "" {
		return msg + fmt.Sprintf("; mente du «%s»?", e.Suggestion)
	}
	return msg + " (forhåndsvalgene er " + strings.Join(presetNames(), ", ") + ")"
}

// presetPositions finds where each job's preset value stands in the file:
// schedule → jobs → <job> → preset.
func presetPositions(doc *yaml.Node) map[string]keyPos {
	out := map[string]keyPos{}
	get := func(n *yaml.Node, key string) *yaml.Node {
		for n != nil && n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
		return nil
	}
	root := doc
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	jobs := get(get(root, "schedule"), "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		if v := get(jobs.Content[i+1], "preset"); v != nil {
			out[jobs.Content[i].Value] = keyPos{line: v.Line, column: v.Column}
		}
	}
	return out
}

// applyPresets fills each preset job's cron and targets from its preset,
// where the job does not set them itself. An unknown preset is left for
// validation to report.
func (c *Config) applyPresets() {
	s := c.Schedule
	if s == nil {
		return
	}
	for _, j := range s.Jobs {
		if j == nil || j.Preset == "" {
			continue
		}
		p, ok := PresetByName(j.Preset)
		if !ok {
			continue
		}
		if j.Cron == "" && j.Watch == "" {
			j.Cron = p.Cron
		}
		if j.Targets == nil {
			j.Targets = c.PresetTargets(p)
			j.presetEmpty = !p.All && len(j.Targets) == 0
		}
	}
}

// PresetTargets returns the targets preset p stands for in this config:
// "source:<name>" for every configured source of one of its kinds, in name
// order, then its steps the config has; nil for a preset that refreshes
// everything.
func (c *Config) PresetTargets(p Preset) []string {
	if p.All {
		return nil
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(c.Sources)) {
		if s := c.Sources[name]; s != nil && slices.Contains(p.Kinds, s.Kind) {
			out = append(out, "source:"+name)
		}
	}
	for _, step := range p.Steps {
		if c.hasStep(step) {
			out = append(out, step)
		}
	}
	return out
}

// hasStep reports whether the pipeline built from this config has the
// named later step (the list in pipelines/steps).
func (c *Config) hasStep(step string) bool {
	switch step {
	case "survey", "needs":
		return c.Needs != nil && c.Regions != nil
	case "offers":
		return c.Offers != nil && c.Regions != nil
	case "harmonise", "build", "charts", "book", "exports":
		return c.Regions != nil
	}
	return false
}

// validatePreset checks job name's preset; false when it is unknown.
func (c *Config) validatePreset(name string, j *Job, bad func(format string, a ...any), add func(error)) bool {
	at := "schedule.jobs." + name
	p, ok := PresetByName(j.Preset)
	if !ok {
		add(&PresetError{Line: j.presetPos.line, Column: j.presetPos.column, Job: name, Preset: j.Preset,
			Suggestion: nearest(j.Preset, presetNames())})
		return false
	}
	if j.Watch != "" {
		bad("%s: preset and watch cannot both be set (a preset is a cron job)", at)
	}
	if j.presetEmpty {
		what := "a source of kind " + strings.Join(p.Kinds, " or ")
		if len(p.Steps) > 0 {
			what += " or the needs: section"
		}
		bad("%s.preset: %q finds nothing to refresh in this config (it needs %s); set targets", at, p.Name, what)
	}
	return true
}

// NextFire returns the first time after now at which the cron expression
// fires in loc, as the daemon's scheduler computes it; zero when expr does
// not parse or never fires.
func NextFire(expr string, loc *time.Location, now time.Time) time.Time {
	sched, err := cronParser.Parse(expr)
	if err != nil {
		return time.Time{}
	}
	return sched.Next(now.In(loc))
}
