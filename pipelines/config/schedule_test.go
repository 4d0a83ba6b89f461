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
		{"unknown job key", "schedule:\n  jobs:\n    a: {cron: \"0 8 * * *\", when: x}\n", []string{"ukjent nøkkel «when» på linje 16 under schedule.jobs.a (gyldige nøkler her: cron, every, targets, watch)"}},
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
	f.Add(issueExample + "notify:\n  smtp: {addr: ':', from: '<>', to: ['']}\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(strings.NewReader(text))
		if err != nil {
			return
		}
		_ = c.Validate()
	})
}
