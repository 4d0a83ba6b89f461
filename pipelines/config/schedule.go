package config

import (
	"fmt"
	"maps"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Schedule is the optional `schedule:` section read by `grunnlag serve`:
// when which pipeline targets run. Absent, the daemon only serves.
//
//	schedule:
//	  timezone: Europe/Oslo        # default Europe/Oslo; cron times are local times here
//	  backfill: 30m                # retry the steps that failed last time this often (0 = never)
//	  stale_check: 1h              # how often freshness is checked (default 1h)
//	  jobs:
//	    ssb_morgen:                # job name: lower-case letters, digits and _
//	      cron: "15 8 * * 1-5"     # five fields: minute hour day-of-month month day-of-week
//	      targets: [utdanningsniva, sysselsatte_naering]
//	    nav_maaned:
//	      cron: "0 9 5 * *"
//	      targets: [arbeidsledige]
//	    klass_uke:
//	      cron: "0 6 * * 1"        # no targets: the whole pipeline
//	    undersokelse:
//	      watch: ./innboks         # a folder; the job runs when its listing changes
//	      every: 5m                # how often the folder is looked at (default 1m)
//	      targets: [build]
//	    soknadstall:
//	      preset: soknadstall      # a milestone of the planning year: cron and targets from the preset
//	    tilbudsvedtak:
//	      preset: tilbudsvedtak
//	      cron: "0 6 15 11 *"      # an explicit cron (or targets) wins over the preset's
//
// Targets are dataset IDs, "source:<name>" (every dataset of a source) or
// the names of later pipeline steps (build, charts, book, exports); the
// daemon checks step names when it starts. A job has exactly one of cron and
// watch (a preset gives it a cron). The presets (soknadstall, forum,
// justering, inntak, tilbudsvedtak) are listed by [Presets]; after a
// preset job's run succeeds, the daemon publishes a dated planning pack.
type Schedule struct {
	Timezone   string          `yaml:"timezone"`
	Backfill   time.Duration   `yaml:"backfill"`
	StaleCheck time.Duration   `yaml:"stale_check"`
	Jobs       map[string]*Job `yaml:"jobs"`
}

// Job is one scheduled pipeline run.
type Job struct {
	// Preset names a milestone of the planning year ([Presets]); it gives
	// the job its cron and targets where the job sets none.
	Preset  string        `yaml:"preset"`
	Cron    string        `yaml:"cron"`
	Watch   string        `yaml:"watch"`
	Every   time.Duration `yaml:"every"`
	Targets []string      `yaml:"targets"`

	presetPos   keyPos // where the preset value stands in the file
	presetEmpty bool   // the preset found nothing to refresh in this config
}

// Notify is the optional `notify:` section: where the daemon reports failed
// runs, stale datasets and new dataset versions.
//
//	notify:
//	  on: [failure, stale, new_version]   # default: all three
//	  webhook:
//	    url: "https://hooks.example.no/grunnlag"   # receives a JSON POST per event
//	    timeout: 10s                               # default 10s
//	  smtp:
//	    addr: "smtp.example.no:587"
//	    from: "grunnlag@example.no"
//	    to: ["statistikk@example.no"]
//	    username: grunnlag                         # optional (PLAIN auth)
//	    password_env: GRUNNLAG_SMTP_PASSWORD       # the password is read from this variable
type Notify struct {
	On      []string `yaml:"on"`
	Webhook *Webhook `yaml:"webhook"`
	SMTP    *SMTP    `yaml:"smtp"`
}

// Webhook receives one JSON POST per notification.
type Webhook struct {
	URL     string        `yaml:"url"`
	Timeout time.Duration `yaml:"timeout"`
}

// SMTP sends one e-mail per notification.
type SMTP struct {
	Addr        string   `yaml:"addr"`
	From        string   `yaml:"from"`
	To          []string `yaml:"to"`
	Username    string   `yaml:"username"`
	PasswordEnv string   `yaml:"password_env"`
}

// Notification events.
const (
	EventFailure    = "failure"
	EventStale      = "stale"
	EventNewVersion = "new_version"
)

// Schedule defaults.
const (
	DefaultTimezone       = "Europe/Oslo"
	DefaultStaleCheck     = time.Hour
	DefaultWatchEvery     = time.Minute
	DefaultWebhookTimeout = 10 * time.Second
)

func (c *Config) applyScheduleDefaults() {
	c.applyPresets()
	if s := c.Schedule; s != nil {
		if s.Timezone == "" {
			s.Timezone = DefaultTimezone
		}
		if s.StaleCheck == 0 {
			s.StaleCheck = DefaultStaleCheck
		}
		for _, j := range s.Jobs {
			if j != nil && j.Watch != "" && j.Every == 0 {
				j.Every = DefaultWatchEvery
			}
		}
	}
	if n := c.Notify; n != nil {
		if len(n.On) == 0 {
			n.On = []string{EventFailure, EventStale, EventNewVersion}
		}
		if n.Webhook != nil && n.Webhook.Timeout == 0 {
			n.Webhook.Timeout = DefaultWebhookTimeout
		}
	}
}

func (c *Config) resolveSchedule(abs func(string) string) {
	if c.Schedule == nil {
		return
	}
	for _, j := range c.Schedule.Jobs {
		if j != nil {
			j.Watch = abs(j.Watch)
		}
	}
}

// NotifyOn reports whether notifications for event are wanted.
func (c *Config) NotifyOn(event string) bool {
	if c.Notify == nil {
		return false
	}
	for _, e := range c.Notify.On {
		if e == event {
			return true
		}
	}
	return false
}

// cronParser is the five-field standard cron syntax gocron uses without seconds.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// MinCronEvery is the shortest "@every" interval a cron job may have.
const MinCronEvery = time.Minute

// checkCron says what is wrong with a cron expression, or "" when nothing
// is: it must parse as the daemon parses it, "@every" must be at least
// MinCronEvery (the parser would turn "@every -5m" into every second), and
// it must fire within five years of now in the schedule's time zone
// ("0 9 31 2 *", 31 February, never does; the daemon would refuse it with
// "invalid crontab" only when it starts).
func checkCron(expr, timezone string, now time.Time) string {
	if d, ok := strings.CutPrefix(strings.TrimSpace(expr), "@every"); ok {
		every, err := time.ParseDuration(strings.TrimSpace(d))
		switch {
		case err != nil:
			return fmt.Sprintf("@every needs a duration such as 30m or 6h: %v", err)
		case every < MinCronEvery:
			return fmt.Sprintf("@every %v: the interval must be at least %v", every, MinCronEvery)
		}
		// The scheduler's parser has the last word on the form ("@every1h",
		// without the space, is not a descriptor it knows).
		if _, err := cronParser.Parse(expr); err != nil {
			return err.Error()
		}
		return ""
	}
	sched, err := cronParser.Parse(expr)
	if err != nil {
		return err.Error()
	}
	loc, err := time.LoadLocation(timezone)
	if err != nil {
		loc = time.UTC // the time zone is reported on its own
	}
	if sched.Next(now.In(loc)).IsZero() {
		return "never fires (no date matches in the next five years; is the day beyond the end of the month?)"
	}
	return ""
}

func (c *Config) validateSchedule(bad func(format string, a ...any), add func(error)) {
	if s := c.Schedule; s != nil {
		if _, err := time.LoadLocation(s.Timezone); err != nil {
			bad("schedule.timezone: %q is not a known time zone", s.Timezone)
		}
		if s.Backfill < 0 {
			bad("schedule.backfill: negative")
		} else if s.Backfill > 0 && s.Backfill < time.Minute {
			bad("schedule.backfill: at least 1m, got %v", s.Backfill)
		}
		if s.StaleCheck < time.Minute {
			bad("schedule.stale_check: at least 1m, got %v", s.StaleCheck)
		}
		for _, name := range slices.Sorted(maps.Keys(s.Jobs)) {
			j := s.Jobs[name]
			at := "schedule.jobs." + name
			if !idRE.MatchString(name) {
				bad("%s: a job name is lower-case letters, digits and _", at)
			}
			if j == nil {
				bad("%s: empty", at)
				continue
			}
			known := true
			if j.Preset != "" {
				known = c.validatePreset(name, j, bad, add)
			}
			switch {
			case j.Cron == "" && j.Watch == "" && !known:
				// The unknown preset is the problem, reported above.
			case j.Cron == "" && j.Watch == "":
				bad("%s: needs cron or watch", at)
			case j.Cron != "" && j.Watch != "":
				bad("%s: cron and watch cannot both be set", at)
			case j.Cron != "":
				if strings.Contains(j.Cron, "TZ=") {
					bad("%s.cron: set the time zone in schedule.timezone, not in the expression", at)
				} else if why := checkCron(j.Cron, s.Timezone, time.Now()); why != "" {
					bad("%s.cron: %q: %s", at, j.Cron, why)
				}
				if j.Every != 0 {
					bad("%s.every: only with watch", at)
				}
			default:
				if j.Every < time.Second {
					bad("%s.every: at least 1s, got %v", at, j.Every)
				}
			}
			for _, t := range j.Targets {
				if src, ok := strings.CutPrefix(t, "source:"); ok {
					if _, known := c.Sources[src]; !known {
						bad("%s.targets: %q is not a configured source", at, t)
					}
					continue
				}
				if !idRE.MatchString(t) {
					bad("%s.targets: %q is not a dataset ID, source:<name> or step name", at, t)
				}
			}
		}
	}
	if n := c.Notify; n != nil {
		for _, e := range n.On {
			switch e {
			case EventFailure, EventStale, EventNewVersion:
			default:
				bad("notify.on: %q is not failure, stale or new_version", e)
			}
		}
		if n.Webhook == nil && n.SMTP == nil {
			bad("notify: needs webhook or smtp")
		}
		if w := n.Webhook; w != nil {
			if u, err := url.Parse(w.URL); w.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad("notify.webhook.url: %q is not an http(s) URL", w.URL)
			}
			if w.Timeout < 0 {
				bad("notify.webhook.timeout: negative")
			}
		}
		if m := n.SMTP; m != nil {
			if !strings.Contains(m.Addr, ":") {
				bad("notify.smtp.addr: %q is not host:port", m.Addr)
			}
			if _, err := mail.ParseAddress(m.From); err != nil {
				bad("notify.smtp.from: %q is not an e-mail address", m.From)
			}
			if len(m.To) == 0 {
				bad("notify.smtp.to: at least one address")
			}
			for _, to := range m.To {
				if _, err := mail.ParseAddress(to); err != nil {
					bad("notify.smtp.to: %q is not an e-mail address", to)
				}
			}
			if (m.Username == "") != (m.PasswordEnv == "") {
				bad("notify.smtp: username and password_env go together")
			}
		}
	}
}
