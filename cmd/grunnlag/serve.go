package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/daemon"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/pack"
	"github.com/grunnlag/grunnlag/pipelines/serve"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

func serveCommand() *command {
	return &command{
		name:  "serve",
		short: "kjør rørledningen etter timeplanen og vis kunnskapsbasen over HTTP",
		run:   runServe,
	}
}

// serveStatus is the /status document.
type serveStatus struct {
	KB       string                    `json:"kb"` // the folder's name only, never its path
	Now      time.Time                 `json:"now"`
	Datasets []daemon.Freshness        `json:"datasets"`
	Stale    []string                  `json:"stale"`
	Jobs     []daemon.JobInfo          `json:"jobs"`
	Failed   []string                  `json:"failed_steps"`
	LastRun  *dag.Report               `json:"last_run,omitempty"`
	LastJob  string                    `json:"last_job,omitempty"`
	Catalog  *store.Catalog            `json:"catalog"`
	Steps    map[string]*dag.StepState `json:"steps"`
	// NextMilestone is the next preset job of the planning year, with the
	// freshness of its inputs (absent without preset jobs); Milestones are
	// all of them in the order they come.
	NextMilestone *daemon.Milestone  `json:"next_milestone,omitempty"`
	Milestones    []daemon.Milestone `json:"milestones,omitempty"`
	// PlanningPacks are the published planning packs, oldest first.
	PlanningPacks []pack.Manifest `json:"planning_packs"`
}

func runServe(ctx context.Context, e *env, args []string) int {
	var (
		cf       commonFlags
		addr     string
		offline  bool
		lockWait time.Duration
		hosts    []string
	)
	fs := newFlagSet(e, "serve", "serve [--config F] [--addr VERT:PORT] [--host NAVN ...]",
		"Kjører jobbene i konfigurasjonens schedule-del (Europe/Oslo), tar igjen feilede steg (backfill),\n"+
			"varsler om feil, utdaterte datasett og nye versjoner, og viser kunnskapsbasen over HTTP (bare lesing):\n"+
			"/book/, /exports/, /planning/ (planleggingspakkene), /healthz, /status, /runs og /metrics.\n"+
			"Årshjul-jobbene (preset i schedule-delen) publiserer en datert planleggingspakke når kjøringen lykkes.\n"+
			"Stopper pent på SIGTERM/SIGINT.\n"+
			"Svarer bare når Host-feltet er localhost, en loopback-adresse, adressen den lytter på eller et navn\n"+
			"gitt med --host (vern mot DNS-rebinding).")
	cf.register(fs)
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "adressen HTTP-tjeneren lytter på")
	fs.BoolVar(&offline, "offline", false, "planlagte kjøringer bruker bare råkopiene, ikke nettet")
	fs.DurationVar(&lockWait, "lock-wait", 30*time.Minute, "så lenge en planlagt kjøring venter på en annen kjøring")
	fs.Func("host", "et vertsnavn HTTP-tjeneren også svarer på (kan gjentas, eller kommaseparert)", func(v string) error {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hosts = append(hosts, h)
			}
		}
		return nil
	})
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(e.stderr, "grunnlag: serve tar ingen argumenter (fikk %v)\n", pos)
		return exitUsage
	}
	cfg, code := loadConfig(e, cf.config)
	if cfg == nil {
		return code
	}
	st, err := store.Open(cfg.KB)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		return exitKB
	}
	metrics := daemon.NewMetrics()
	log := cf.logger(e.stderr)
	runner, err := newRunner(cfg, st, log, pipelines.RefreshOptions{Offline: offline, LockWait: lockWait}, "grunnlag serve")
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		return exitFailed
	}
	// Every scheduled target must name a step.
	if sc := cfg.Schedule; sc != nil {
		bad := false
		for _, name := range sortedJobNames(sc.Jobs) {
			if _, err := runner.Plan(dag.Options{Targets: sc.Jobs[name].Targets}); err != nil {
				fmt.Fprintf(e.stderr, "grunnlag: schedule.jobs.%s: %v\n", name, err)
				bad = true
			}
		}
		if bad {
			return exitConfig
		}
	}
	d := &daemon.Daemon{Config: cfg, Store: st, Run: runner.Run, Metrics: metrics, Logger: log, LockWait: lockWait}
	if cfg.Notify != nil {
		d.Notifier = &daemon.Notifier{Config: cfg.Notify, Getenv: e.getenv}
	}
	if cat, err := st.Catalog(); err == nil {
		metrics.ObserveCatalog(cat)
		metrics.ObserveFreshness(daemon.CheckFreshness(cfg, cat, time.Now()))
	}
	status := func(context.Context) (any, error) {
		cat, err := st.Catalog()
		if err != nil {
			return nil, err
		}
		state, err := dag.ReadState(st.Root())
		if err != nil {
			return nil, err
		}
		s := &serveStatus{KB: filepath.Base(st.Root()), Now: time.Now().UTC(), Jobs: d.Jobs(), Catalog: cat, Steps: state.Steps,
			Datasets: daemon.CheckFreshness(cfg, cat, time.Now()), Stale: []string{}, Failed: []string{}}
		for _, f := range s.Datasets {
			if f.State == daemon.Stale {
				s.Stale = append(s.Stale, f.Dataset)
			}
		}
		for _, n := range runner.Graph.Steps() {
			if ss := state.Steps[n]; ss != nil && ss.Status == dag.StatusFailed {
				s.Failed = append(s.Failed, n)
			}
		}
		s.LastRun, s.LastJob = d.Last()
		s.Milestones = daemon.Milestones(cfg, cat, s.Now)
		if len(s.Milestones) > 0 {
			s.NextMilestone = &s.Milestones[0]
		}
		// A damaged pack is left out here (status names it); the good ones are listed.
		s.PlanningPacks, _ = pack.List(st.Root())
		if s.PlanningPacks == nil {
			s.PlanningPacks = []pack.Manifest{}
		}
		return s, nil
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: serve: %v\n", err)
		return exitUsage
	}
	// The address listened on is a name clients may use too (unless it
	// is 0.0.0.0 or ::, which no client sends).
	if h, _, err := net.SplitHostPort(ln.Addr().String()); err == nil {
		if ip := net.ParseIP(h); ip != nil && !ip.IsUnspecified() {
			hosts = append(hosts, ip.String())
		}
	}
	if h, _, err := net.SplitHostPort(addr); err == nil && h != "" && net.ParseIP(h) == nil {
		hosts = append(hosts, h)
	}
	srv := serve.NewServer(serve.Options{Root: st.Root(), Status: status, Metrics: metrics.Registry, Hosts: hosts, Logger: log})
	srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	srvErr := make(chan error, 1)
	go func() { srvErr <- srv.Serve(ln) }()
	if err := d.Start(ctx); err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		_ = srv.Close()
		return exitConfig
	}
	fmt.Fprintf(e.stderr, "grunnlag serve: lytter på http://%s (pid %d); stopp med Ctrl-C eller SIGTERM\n", ln.Addr(), os.Getpid())
	if h, _, err := net.SplitHostPort(ln.Addr().String()); err == nil {
		if ip := net.ParseIP(h); ip != nil && ip.IsUnspecified() {
			fmt.Fprintf(e.stderr, "  lytter på alle adresser, men svarer bare på localhost, loopback-adresser og navnene gitt med --host (%s)\n", strings.Join(hosts, ", "))
		}
	}
	for _, j := range d.Jobs() {
		preset := ""
		if j.Preset != "" {
			preset = "  årshjul: " + j.Preset
		}
		fmt.Fprintf(e.stderr, "  jobb %-16s %-8s %-20s neste %s%s\n", j.Name, j.Kind, j.Spec, j.Next.Format("2006-01-02 15:04 MST"), preset)
	}
	code = exitOK
	select {
	case <-ctx.Done():
	case err := <-srvErr:
		fmt.Fprintf(e.stderr, "grunnlag: serve: %v\n", err)
		code = exitFailed
	}
	fmt.Fprintln(e.stderr, "grunnlag serve: stopper: venter på kjøringen som pågår ...")
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("http shutdown", "err", err)
	}
	if err := d.Shutdown(); err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		code = exitFailed
	}
	fmt.Fprintln(e.stderr, "grunnlag serve: stoppet")
	return code
}

func sortedJobNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
