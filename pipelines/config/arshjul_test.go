package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// arshjulExample has one source of each kind a preset names and the
// needs: and regions: sections, so that every preset finds its targets.
// Parse does not validate, so the files named need not exist.
const arshjulExample = `kb: ./kb
sources:
  ssb: {kind: pxweb, base_url: "https://data.ssb.no/api/pxwebapi/v2"}
  nav: {kind: nav, base_url: "https://nav.offline"}
  udir: {kind: udir, base_url: "https://udir.offline"}
  udir_extra: {kind: udir, base_url: "https://udir2.offline"}
datasets:
  a: {source: ssb, table: "09429"}
regions: {bundle: ./klass}
needs: {survey: ./survey.csv}
schedule:
  jobs:
    soknadstall: {preset: soknadstall}
    forum: {preset: forum}
    justering: {preset: justering}
    inntak: {preset: inntak}
    tilbudsvedtak: {preset: tilbudsvedtak}
    eget_inntak: {preset: inntak, cron: "30 6 1 9 *", targets: [a]}
`

// TestPresetsExpand: each preset becomes the cron job and targets the
// README's table documents. The cron is parsed with the scheduler's own
// parser (robfig/cron, which gocron uses) and its next fire time after
// Monday 7 December 2026 00:00 Oslo time is compared with the date worked
// out by hand from the calendar: Norway is on CET (+01:00) until the last
// Sunday of March (28 March 2027) and on CEST (+02:00) until the last
// Sunday of October (31 October 2027), so 07:00 Oslo is 06:00 UTC in
// March and November and 05:00 UTC from April to August.
func TestPresetsExpand(t *testing.T) {
	c, err := Parse(strings.NewReader(arshjulExample))
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, loc)
	tests := []struct {
		job, cron string
		next      time.Time // UTC
		targets   []string
	}{
		{"soknadstall", "0 7 3 3 *", time.Date(2027, 3, 3, 6, 0, 0, 0, time.UTC), []string{"source:udir", "source:udir_extra"}},
		{"forum", "0 7 1 4 *", time.Date(2027, 4, 1, 5, 0, 0, 0, time.UTC), []string{"source:nav", "survey"}},
		{"justering", "0 7 20 5 *", time.Date(2027, 5, 20, 5, 0, 0, 0, time.UTC), []string{"source:nav", "source:udir", "source:udir_extra"}},
		{"inntak", "0 7 25 8 *", time.Date(2027, 8, 25, 5, 0, 0, 0, time.UTC), []string{"source:udir", "source:udir_extra"}},
		// 1 December 2026 has passed on 7 December; 1 November 2027 is
		// the day after summer time ends.
		{"tilbudsvedtak", "0 7 1 11,12 *", time.Date(2027, 11, 1, 6, 0, 0, 0, time.UTC), nil},
		// An explicit cron and targets win over the preset's:
		// 1 September 2027 06:30 CEST is 04:30 UTC.
		{"eget_inntak", "30 6 1 9 *", time.Date(2027, 9, 1, 4, 30, 0, 0, time.UTC), []string{"a"}},
	}
	for _, tc := range tests {
		j := c.Schedule.Jobs[tc.job]
		if j.Cron != tc.cron {
			t.Errorf("job %s: cron = %q, want %q", tc.job, j.Cron, tc.cron)
		}
		sched, err := cronParser.Parse(j.Cron)
		if err != nil {
			t.Errorf("job %s: the scheduler's parser refuses %q: %v", tc.job, j.Cron, err)
			continue
		}
		if got := sched.Next(now); !got.Equal(tc.next) {
			t.Errorf("job %s: next fire after %v = %v, want %v", tc.job, now, got.UTC(), tc.next)
		}
		if got := NextFire(j.Cron, loc, now); !got.Equal(tc.next) {
			t.Errorf("NextFire(%q) = %v, want %v", j.Cron, got.UTC(), tc.next)
		}
		if !slices.Equal(j.Targets, tc.targets) {
			t.Errorf("job %s: targets = %q, want %q", tc.job, j.Targets, tc.targets)
		}
	}
	if len(Presets()) != 5 {
		t.Errorf("Presets() has %d milestones, want the five of the planning year", len(Presets()))
	}
}

// TestPresetUnknown: an unknown preset is a *PresetError naming the line
// of its value and the nearest preset; one far from every name lists them.
func TestPresetUnknown(t *testing.T) {
	// issueExample has 13 lines, so "schedule:" is line 14, job a's
	// preset value stands on line 16 and job b's on line 18.
	p := writeConfig(t, issueExample+`schedule:
  jobs:
    a: {preset: soknadtall}
    b:
      preset: sommer
`)
	_, err := Load(p)
	if err == nil {
		t.Fatal("Load = nil error, want the unknown presets")
	}
	for _, w := range []string{
		"schedule.jobs.a.preset på linje 16: ukjent forhåndsvalg «soknadtall»; mente du «soknadstall»?",
		"schedule.jobs.b.preset på linje 18: ukjent forhåndsvalg «sommer» (forhåndsvalgene er soknadstall, forum, justering, inntak, tilbudsvedtak)",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("Load error = %v\nwant it to contain %q", err, w)
		}
	}
	if strings.Contains(err.Error(), "needs cron or watch") {
		t.Errorf("Load error = %v, also asks for a cron the unknown preset stands for", err)
	}
	var pe *PresetError
	if !errors.As(err, &pe) || pe.Job != "a" || pe.Line != 16 || pe.Suggestion != "soknadstall" {
		t.Errorf("errors.As(*PresetError) = %+v, want job a at line 16 suggesting soknadstall", pe)
	}
}

// TestPresetNothingToRefresh: a preset that finds no source of its kinds
// (issueExample has only an SSB source) is refused unless targets are set;
// tilbudsvedtak refreshes everything and always has something to do.
func TestPresetNothingToRefresh(t *testing.T) {
	p := writeConfig(t, issueExample+`schedule:
  jobs:
    soknadstall: {preset: soknadstall}
    inntak: {preset: inntak, targets: [utdanningsniva]}
    tilbudsvedtak: {preset: tilbudsvedtak}
    watched: {preset: forum, watch: ./x}
`)
	_, err := Load(p)
	if err == nil {
		t.Fatal("Load = nil error")
	}
	for _, w := range []string{
		`schedule.jobs.soknadstall.preset: "soknadstall" finds nothing to refresh in this config (it needs a source of kind udir); set targets`,
		"schedule.jobs.watched: preset and watch cannot both be set",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("Load error = %v\nwant it to contain %q", err, w)
		}
	}
	for _, no := range []string{"jobs.inntak", "jobs.tilbudsvedtak"} {
		if strings.Contains(err.Error(), no) {
			t.Errorf("Load error = %v, names the valid job %s", err, no)
		}
	}
}
