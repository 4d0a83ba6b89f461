package daemon

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
)

func oslo(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestScheduleMonthAcrossDST runs the daemon's scheduler on a fake clock
// from 10 March to 10 April 2026 (Norway moves to summer time on Sunday
// 29 March 2026, 02:00 CET -> 03:00 CEST) and checks every fire time
// against a calendar walk done here with time.Date in Europe/Oslo.
func TestScheduleMonthAcrossDST(t *testing.T) {
	loc := oslo(t)
	start := time.Date(2026, 3, 10, 0, 0, 0, 0, loc)
	end := time.Date(2026, 4, 10, 0, 0, 0, 0, loc)
	fake := clockwork.NewFakeClockAt(start)

	cfg := &config.Config{Schedule: &config.Schedule{
		Timezone:   "Europe/Oslo",
		StaleCheck: 24 * time.Hour,
		Jobs: map[string]*config.Job{
			"ssb":   {Cron: "15 8 * * 1-5", Targets: []string{"ssb"}}, // weekdays 08:15
			"nav":   {Cron: "0 9 5 * *", Targets: []string{"nav"}},    // the 5th at 09:00
			"klass": {Cron: "0 9 * * 0", Targets: []string{"klass"}},  // Sundays 09:00: meets nav on Sunday 5 April
		},
	}}
	var (
		mu      sync.Mutex
		fired   = map[string][]time.Time{}
		active  atomic.Int32
		overlap atomic.Int32
		total   atomic.Int32
	)
	d := &Daemon{Config: cfg, Clock: fake, Run: func(ctx context.Context, opts dag.Options) (*dag.Report, error) {
		if active.Add(1) > 1 {
			overlap.Add(1)
		}
		defer active.Add(-1)
		mu.Lock()
		fired[opts.Targets[0]] = append(fired[opts.Targets[0]], fake.Now().In(loc))
		mu.Unlock()
		time.Sleep(2 * time.Millisecond) // long enough for a second job to try to start
		total.Add(1)
		return &dag.Report{}, nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := d.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer d.Shutdown()

	// Expected fire times, by calendar.
	want := map[string][]time.Time{}
	for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
		y, m, dd := day.Date()
		if wd := day.Weekday(); wd >= time.Monday && wd <= time.Friday {
			want["ssb"] = append(want["ssb"], time.Date(y, m, dd, 8, 15, 0, 0, loc))
		}
		if dd == 5 {
			want["nav"] = append(want["nav"], time.Date(y, m, dd, 9, 0, 0, 0, loc))
		}
		if day.Weekday() == time.Sunday {
			want["klass"] = append(want["klass"], time.Date(y, m, dd, 9, 0, 0, 0, loc))
		}
	}
	wantRuns := len(want["ssb"]) + len(want["nav"]) + len(want["klass"])

	// Step the fake clock from one scheduled time to the next.
	deadline := time.Now().Add(30 * time.Second)
	waitScheduled := func(after time.Time) time.Time {
		for {
			next := time.Time{}
			ok := true
			for _, j := range d.sched.Jobs() {
				n, err := j.NextRun()
				if err != nil || !n.After(after) {
					ok = false
					break
				}
				if next.IsZero() || n.Before(next) {
					next = n
				}
			}
			if ok && !next.IsZero() && int(total.Load()) >= countBefore(want, after) {
				return next
			}
			if time.Now().After(deadline) {
				t.Fatalf("scheduler stuck at %v (runs %d)", after, total.Load())
			}
			time.Sleep(200 * time.Microsecond)
		}
	}
	now := fake.Now()
	for {
		next := waitScheduled(now)
		if !next.Before(end) {
			break
		}
		fake.Advance(next.Sub(fake.Now()))
		now = next
	}
	// Let the last runs finish.
	for int(total.Load()) < wantRuns && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, job := range []string{"ssb", "nav", "klass"} {
		got, w := fired[job], want[job]
		sort.Slice(got, func(a, b int) bool { return got[a].Before(got[b]) })
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("job %s fired at\n%v\nwant\n%v", job, fmtTimes(got), fmtTimes(w))
		}
	}
	// Across the change the local time stays 08:15 while UTC moves an hour.
	if ssb := fired["ssb"]; len(ssb) > 0 {
		var before, after int
		for _, tm := range ssb {
			if h := tm.UTC().Hour(); h == 7 {
				before++
			} else if h == 6 {
				after++
			}
		}
		if before == 0 || after == 0 || before+after != len(ssb) {
			t.Errorf("ssb fired %d times at 07:15Z (CET) and %d at 06:15Z (CEST) of %d, want both kinds and nothing else", before, after, len(ssb))
		}
	}
	if n := overlap.Load(); n != 0 {
		t.Errorf("%d runs overlapped, want none", n)
	}
}

func countBefore(want map[string][]time.Time, t time.Time) int {
	n := 0
	for _, ts := range want {
		for _, x := range ts {
			if !x.After(t) {
				n++
			}
		}
	}
	return n
}

func fmtTimes(ts []time.Time) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Format("Mon 02 Jan 15:04 MST"))
	}
	return strings.Join(s, ", ")
}

// TestRunJobSerialises: a manual RunJob while a scheduled one runs waits
// for it; the two never run at once.
func TestRunJobSerialises(t *testing.T) {
	var active, overlap atomic.Int32
	release := make(chan struct{})
	started := make(chan struct{}, 2)
	d := &Daemon{Config: &config.Config{}, Run: func(ctx context.Context, opts dag.Options) (*dag.Report, error) {
		if active.Add(1) > 1 {
			overlap.Add(1)
		}
		defer active.Add(-1)
		started <- struct{}{}
		<-release
		return &dag.Report{}, nil
	}}
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.RunJob(context.Background(), fmt.Sprint("job", i), dag.Options{})
		}()
	}
	<-started
	select {
	case <-started:
		t.Fatal("second run started while the first was running")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	wg.Wait()
	if overlap.Load() != 0 {
		t.Error("runs overlapped")
	}
}
