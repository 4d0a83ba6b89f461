package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const scheduleExample = issueExample + `schedule:
  backfill: 30m
  jobs:
    ssb_morgen:
      cron: "15 8 * * 1-5"
      targets: [utdanningsniva, "source:ssb"]
    undersokelse:
      watch: ./innboks
      targets: [build]
notify:
  webhook: {url: "http://127.0.0.1:9/hook"}
  smtp: {addr: "127.0.0.1:25", from: "grunnlag@example.no", to: ["a@example.no"]}
`

func TestScheduleSection(t *testing.T) {
	p := writeConfig(t, scheduleExample)
	c, err := Load(p)
	if err != nil {
		t.Fatalf("Load(schedule example) = %v", err)
	}
	s := c.Schedule
	if s.Timezone != "Europe/Oslo" || s.StaleCheck != time.Hour || s.Backfill != 30*time.Minute {
		t.Errorf("schedule defaults = %q %v %v, want Europe/Oslo 1h 30m", s.Timezone, s.StaleCheck, s.Backfill)
	}
	if j := s.Jobs["undersokelse"]; j.Every != time.Minute || j.Watch != filepath.Join(filepath.Dir(p), "innboks") {
		t.Errorf("watch job = %+v, want every 1m and the folder beside the config", j)
	}
	if !c.NotifyOn(EventStale) || c.Notify.Webhook.Timeout != 10*time.Second {
		t.Errorf("notify defaults = %+v", c.Notify)
	}
}

func TestScheduleInvalid(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // every one must be reported
	}{
		{"unknown key", "schedule:\n  jobz: {}\n", []string{"ukjent nøkkel «jobz» på linje 15 under schedule; mente du «jobs»?"}},
		{"unknown job key", "schedule:\n  jobs:\n    a: {cron: \"0 8 * * *\", when: x}\n", []string{"ukjent nøkkel «when» på linje 16 under schedule.jobs.a (gyldige nøkler her: cron, every, preset, targets, watch)"}},
		{"all problems at once", `schedule:
  timezone: Europe/Osloo
  backfill: 10s
  jobs:
    A: {cron: "0 25 * * *"}
    b: {}
    c: {cron: "0 8 * * *", watch: ./x}
    d: {cron: "0 8 * * *", targets: ["source:nav", "Bad Name"]}
notify:
  on: [boom]
  webhook: {url: "ftp://x"}
  smtp: {addr: "nohost", from: "x", to: [], username: u}
`, []string{
			`schedule.timezone: "Europe/Osloo"`, "schedule.backfill: at least 1m",
			"schedule.jobs.A: a job name", "schedule.jobs.A.cron", "schedule.jobs.b: needs cron or watch",
			"schedule.jobs.c: cron and watch", `"source:nav" is not a configured source`, `"Bad Name" is not`,
			`notify.on: "boom"`, "notify.webhook.url", "notify.smtp.addr", "notify.smtp.from", "notify.smtp.to: at least",
			"username and password_env go together",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeConfig(t, issueExample+tc.yaml)
			_, err := Load(p)
			if err == nil {
				t.Fatalf("Load = nil error, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load error = %v\nwant it to contain %q", err, w)
				}
			}
		})
	}
}

// FuzzParseSchedule: any input to Parse and Validate gives a config or an
// error, never a panic (foreign input: a user's file).
func FuzzParseSchedule(f *testing.F) {
	f.Add(scheduleExample)
	f.Add(issueExample + "schedule:\n  jobs:\n    a: {cron: \"@every 1h\"}\n")
	f.Add(arshjulExample)
	f.Add(issueExample + "schedule:\n  jobs:\n    a: {preset: forum, watch: x}\n    b: {preset: [x]}\n")
	f.Add(issueExample + "notify:\n  smtp: {addr: ':', from: '<>', to: ['']}\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(strings.NewReader(text))
		if err != nil {
			return
		}
		_ = c.Validate()
	})
}

// TestCheckCron: expressions that parse but never fire or run backwards are
// refused at load time, with the reason.
func TestCheckCron(t *testing.T) {
	// A fixed "now" (a Sunday in December 2026); none of the outcomes below
	// depend on it.
	now := time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		expr, want string // want "" for valid, else a part of the reason
	}{
		{"15 8 * * 1-5", ""},
		{"0 9 5 * *", ""},
		{"0 9 29 2 *", ""}, // 29 February 2028 is within five years
		{"@every 1h", ""},
		{"@every 1m", ""},
		{"@daily", ""},
		{"0 9 31 2 *", "never fires"},        // 31 February
		{"0 0 31 4,6,9,11 *", "never fires"}, // months of 30 days
		{"0 0 30 2 *", "never fires"},        // 30 February
		{"@every -5m", "at least 1m0s"},      // once scheduled every second
		{"@every 0s", "at least 1m0s"},
		{"@every 30s", "at least 1m0s"},
		{"@every soon", "needs a duration"},
		{"0 25 * * *", "end of range"}, // hour 25: the parser's own reason
	}
	for _, tc := range tests {
		got := checkCron(tc.expr, "Europe/Oslo", now)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("checkCron(%q) = %q, want %q", tc.expr, got, tc.want)
		}
	}
}

// TestScheduleNeverFires: Load reports both bad expressions with the rest.
func TestScheduleNeverFires(t *testing.T) {
	p := writeConfig(t, issueExample+`schedule:
  jobs:
    februar: {cron: "0 9 31 2 *"}
    bakover: {cron: "@every -5m"}
    ok: {cron: "0 9 5 * *"}
`)
	_, err := Load(p)
	for _, w := range []string{`schedule.jobs.februar.cron: "0 9 31 2 *": never fires`, `schedule.jobs.bakover.cron: "@every -5m": @every -5m0s: the interval must be at least 1m0s`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Load error = %v\nwant it to contain %q", err, w)
		}
	}
	if err != nil && strings.Contains(err.Error(), "jobs.ok") {
		t.Errorf("Load error = %v, names the valid job", err)
	}
}

// FuzzCheckCron: any expression gives a reason or none, never a panic; an
// accepted one parses and fires.
func FuzzCheckCron(f *testing.F) {
	for _, s := range []string{"15 8 * * 1-5", "0 9 31 2 *", "@every -5m", "@every 1h", "@daily", "*/5 * * * *", "0 0 29 2 1", "59 23 31 12 7"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expr string) {
		if checkCron(expr, "Europe/Oslo", now) != "" {
			return
		}
		s, err := cronParser.Parse(expr)
		if err != nil {
			t.Fatalf("checkCron(%q) accepted what the parser refuses: %v", expr, err)
		}
		if s.Next(now).IsZero() {
			t.Fatalf("checkCron(%q) accepted a schedule that never fires", expr)
		}
	})
}
