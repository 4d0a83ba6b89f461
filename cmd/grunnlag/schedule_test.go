package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDemoSchedule: the README's `serve` example schedules the demo
// config's jobs. Serve is started on a copy of the demo (nothing fetched:
// the jobs are only scheduled) and /status lists each job with its next
// run; ssb_morgen ("15 8 * * 1-5") next runs at 08:15 Oslo time.
func TestDemoSchedule(t *testing.T) {
	cfg, _ := copyDemo(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, &env{stdout: &stdout, stderr: &stderr, stdin: strings.NewReader(""), getenv: func(string) string { return "" }},
			[]string{"serve", "--config", cfg, "--addr", "127.0.0.1:0", "-q"})
	}()
	var base string
	for i := 0; i < 500 && base == ""; i++ {
		if m := listenRE.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve stopped at once with exit %d:\n%s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if base == "" {
		t.Fatalf("serve did not start:\n%s", stderr.String())
	}
	resp, err := http.Get(base + "/status")
	if err != nil {
		t.Fatal(err)
	}
	var st serveStatus
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("/status: %v", err)
	}
	next := map[string]time.Time{}
	for _, j := range st.Jobs {
		next[j.Name] = j.Next
	}
	for _, name := range []string{"ssb_morgen", "nav_maaned", "udir_dbh_uke"} {
		if n, ok := next[name]; !ok || n.IsZero() {
			t.Errorf("/status jobs = %+v, want %s scheduled with a next run", st.Jobs, name)
		}
	}
	if n := next["ssb_morgen"]; !n.IsZero() && n.In(mustOslo(t)).Format("15:04") != "08:15" {
		t.Errorf("ssb_morgen next run = %v, want 08:15 Oslo time", n)
	}
	// The planning year's presets are real cron jobs of the daemon, with
	// the preset's expression (README, configuration: the årshjul table).
	specs := map[string]string{}
	for _, j := range st.Jobs {
		if j.Preset != "" {
			specs[j.Name] = j.Kind + " " + j.Spec
		}
	}
	wantPresets := map[string]string{"soknadstall": "cron 0 7 3 3 *", "forum": "cron 0 7 1 4 *", "justering": "cron 0 7 20 5 *",
		"inntak": "cron 0 7 25 8 *", "tilbudsvedtak": "cron 0 7 1 11,12 *"}
	for name, w := range wantPresets {
		if specs[name] != w {
			t.Errorf("/status job %s = %q, want %q", name, specs[name], w)
		}
	}
	if len(specs) != len(wantPresets) {
		t.Errorf("/status preset jobs = %v, want the five milestones", specs)
	}
	if nm := st.NextMilestone; nm == nil || nm.Preset == "" || nm.Next.IsZero() || !nm.Next.Equal(next[nm.Job]) {
		t.Errorf("/status next_milestone = %+v, want a preset job with the scheduler's next run", nm)
	}
	if st.PlanningPacks == nil {
		t.Error("/status planning_packs is absent, want [] before any pack")
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("serve exit %d:\n%s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
}
