package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// defaultConfig is where commands look for the config when --config is not given.
const defaultConfig = "grunnlag.yaml"

// stringList is a repeatable flag that also splits on commas.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*s = append(*s, p)
		}
	}
	return nil
}

// commonFlags are shared by the commands that read a config.
type commonFlags struct {
	config    string
	logFormat string
	verbose   bool
	quiet     bool
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", defaultConfig, "konfigurasjonsfil (YAML)")
	fs.StringVar(&c.logFormat, "log-format", "text", "loggformat: text eller json")
	fs.BoolVar(&c.verbose, "v", false, "vis detaljert logg")
	fs.BoolVar(&c.quiet, "q", false, "bare feil i loggen, ingen fremdriftsvisning")
}

func (c *commonFlags) logger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if c.verbose {
		level = slog.LevelDebug
	}
	if c.quiet {
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// newFlagSet makes a flag set whose usage text is in bokmål.
func newFlagSet(e *env, name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Bruk: grunnlag %s\n\n%s\n\nFlagg:\n", synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

func loadConfig(e *env, path string) (*config.Config, int) {
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		return nil, exitConfig
	}
	return cfg, exitOK
}

func refreshCommand() *command {
	return &command{
		name:  "refresh",
		short: "hent nye data fra kildene og publiser nye versjoner",
		run:   runRefresh,
	}
}

func runRefresh(ctx context.Context, e *env, args []string) int {
	var (
		cf      commonFlags
		only    stringList
		offline bool
		force   bool
		wait    time.Duration
	)
	fs := newFlagSet(e, "refresh", "refresh [--config F] [--only ID...] [--offline] [--force]",
		"Henter datasettene i konfigurasjonen. Et datasett hvis tabell ikke er oppdatert hos kilden,\n"+
			"lastes ikke ned på nytt. Alle svar lagres som råkopier; --offline tolker dem på nytt uten nett.")
	cf.register(fs)
	fs.Var(&only, "only", "bare disse datasettene (kan gjentas, eller kommaseparert)")
	fs.BoolVar(&offline, "offline", false, "ikke bruk nettet: les alle svar fra råkopiene i kunnskapsbasen")
	fs.BoolVar(&force, "force", false, "last ned selv om kilden sier tabellen er uendret")
	fs.DurationVar(&wait, "wait", 0, "vent så lenge på en annen kjøring som holder kunnskapsbasen (0: avbryt straks)")
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	only = append(only, pos...)
	cfg, code := loadConfig(e, cf.config)
	if cfg == nil {
		return code
	}
	log := cf.logger(e.stderr)
	st, err := store.Open(cfg.KB)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		return exitKB
	}
	r := &pipelines.Refresher{Config: cfg, Store: st, Logger: log}
	if e.isTerminal && !cf.quiet {
		bars := newProgress(e.stderr)
		r.Progress = bars.update
		defer bars.finish()
	}
	run, err := r.Refresh(ctx, pipelines.RefreshOptions{Only: only, Offline: offline, Force: force, LockWait: wait})
	if run == nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		if errors.Is(err, store.ErrLocked) {
			return exitKB
		}
		return exitFailed
	}
	printRun(e.stdout, run)
	if err != nil {
		// Each failure is already in the log and the summary; say it once more, briefly.
		if failed := run.Failed(); len(failed) > 0 {
			fmt.Fprintf(e.stderr, "grunnlag: %d av %d datasett feilet: %s (kjøringen er lagret i %s)\n",
				len(failed), len(run.Datasets), strings.Join(failed, ", "), filepath.Join(cfg.KB, "runs", run.ID+".json"))
		} else {
			fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		}
		return exitFailed
	}
	return exitOK
}

// printRun writes a short bokmål summary of a run, one dataset a line.
func printRun(w io.Writer, run *pipelines.RunRecord) {
	words := map[string]string{
		pipelines.OutcomePublished: "ny versjon",
		pipelines.OutcomeUnchanged: "hentet, uendret",
		pipelines.OutcomeCurrent:   "oppdatert fra før",
		pipelines.OutcomeFailed:    "FEILET",
	}
	for _, d := range run.Datasets {
		line := fmt.Sprintf("%-24s %-18s", d.ID, words[d.Outcome])
		switch d.Outcome {
		case pipelines.OutcomePublished, pipelines.OutcomeUnchanged:
			line += fmt.Sprintf(" %s  %d rader, %d forespørsler", d.Version, d.Rows, d.Requests)
			if d.Diff != nil && d.Outcome == pipelines.OutcomePublished {
				line += fmt.Sprintf(", +%d −%d ~%d celler", d.Diff.Added, d.Diff.Removed, d.Diff.Revised)
			}
		case pipelines.OutcomeCurrent:
			line += fmt.Sprintf(" %s  (kilden oppdatert %s)", d.Version, d.SourceUpdated)
		case pipelines.OutcomeFailed:
			line += " " + d.Error
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	fmt.Fprintf(w, "kjøring %s: %d forespørsler, %s\n", run.ID, run.Requests+sumChecks(run), humanBytes(run.Bytes))
}

func sumChecks(run *pipelines.RunRecord) int {
	n := 0
	for _, v := range run.Checks {
		n += v
	}
	return n
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// progress draws one bar per dataset on a terminal.
type progress struct {
	w   io.Writer
	mu  sync.Mutex
	cur string
	bar *progressbar.ProgressBar
}

func newProgress(w io.Writer) *progress { return &progress{w: w} }

func (p *progress) update(dataset string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur != dataset || p.bar == nil {
		if p.bar != nil {
			_ = p.bar.Finish()
			fmt.Fprintln(p.w)
		}
		p.cur = dataset
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(dataset),
			progressbar.OptionShowCount(),
			progressbar.OptionSetItsString("forespørsler"),
			progressbar.OptionClearOnFinish(),
		)
	}
	_ = p.bar.Set(done)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
