package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/steps"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// newRunner builds the graph and its runner.
func newRunner(cfg *config.Config, st *store.Store, log *slog.Logger, ro pipelines.RefreshOptions, who string) (*dag.Runner, error) {
	g, err := dag.New(steps.List(steps.Deps{Config: cfg, Store: st, Logger: log, Refresh: ro, Location: osloLocation()})...)
	if err != nil {
		return nil, err
	}
	return &dag.Runner{Graph: g, Store: st, Logger: log, Who: who}, nil
}

func runCommand() *command {
	return &command{
		name:  "run",
		short: "kjør det som trengs i rørledningen (bare det som er endret)",
		run:   runRun,
	}
}

func runRun(ctx context.Context, e *env, args []string) int {
	var (
		cf       commonFlags
		dryRun   bool
		backfill bool
		offline  bool
		force    bool
		wait     time.Duration
	)
	fs := newFlagSet(e, "run", "run [--config F] [--dry-run] [--backfill] [MÅL...]",
		"Kjører rørledningen: henting av hvert datasett, og stegene etter (bygging, figurer, bok, eksport).\n"+
			"Et steg kjøres bare når inndataene eller koden er endret siden sist; kildene sjekkes billig først.\n"+
			"MÅL er stegnavn (build, charts ...), datasett-ID-er eller source:<kilde>; uten mål kjøres alt som trengs.\n"+
			"--dry-run viser hva som ville blitt kjørt, og hvorfor, uten å gjøre noe.\n"+
			"--backfill kjører bare stegene som feilet sist (og det som avhenger av dem).")
	cf.register(fs)
	fs.BoolVar(&dryRun, "dry-run", false, "vis hva som ville blitt kjørt og hvorfor, uten å kjøre noe")
	fs.BoolVar(&backfill, "backfill", false, "kjør bare stegene som feilet sist")
	fs.BoolVar(&offline, "offline", false, "ikke bruk nettet: les alle svar fra råkopiene i kunnskapsbasen")
	fs.BoolVar(&force, "force", false, "last ned selv om kilden sier tabellen er uendret")
	fs.DurationVar(&wait, "wait", 0, "vent så lenge på en annen kjøring av kunnskapsbasen (0: avbryt straks)")
	targets, done, code := parseArgs(fs, args)
	if done {
		return code
	}
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
	r, err := newRunner(cfg, st, log, pipelines.RefreshOptions{Offline: offline, Force: force, LockWait: wait}, "grunnlag run")
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		return exitFailed
	}
	if !dryRun {
		// Say so before waiting for another command.
		done, cancel := context.WithCancel(ctx)
		cancel()
		if unlock, err := st.Lock(done); err != nil {
			var le *store.LockError
			if !errors.As(err, &le) {
				fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
				return exitKB
			}
			if wait <= 0 {
				fmt.Fprintf(e.stderr, "grunnlag: %v; avbryter (bruk --wait for å vente)\n", err)
				return exitKB
			}
			fmt.Fprintf(e.stderr, "grunnlag: %v; venter opptil %s\n", err, wait)
		} else {
			unlock()
		}
	}
	rep, err := r.Run(ctx, dag.Options{Targets: targets, DryRun: dryRun, Backfill: backfill, LockWait: wait})
	if rep == nil {
		var le *store.LockError
		if errors.As(err, &le) {
			// Nothing ran and nothing was recorded.
			fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
			return exitKB
		}
		var ut *dag.UnknownTargetError
		if errors.As(err, &ut) {
			fmt.Fprintln(e.stderr, unknownTargets(ut))
			return exitUsage
		}
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		if errors.Is(err, store.ErrLocked) {
			return exitKB
		}
		return exitFailed
	}
	printReport(e.stdout, rep)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// unknownTargets says in bokmål which targets name nothing, and what a
// target may be: a step after the fetches, a dataset ID or source:<name>.
func unknownTargets(ut *dag.UnknownTargetError) string {
	var later []string
	for _, s := range ut.Steps {
		if !strings.HasPrefix(s, steps.FetchPrefix) {
			later = append(later, s)
		}
	}
	quoted := make([]string, len(ut.Targets))
	for i, t := range ut.Targets {
		quoted[i] = "«" + t + "»"
	}
	kinds := "en datasett-ID fra konfigurasjonen eller source:<kilde>"
	if len(later) > 0 {
		kinds = "et steg (" + strings.Join(later, ", ") + "), " + kinds
	}
	return fmt.Sprintf("grunnlag run: ukjent mål %s; et mål er %s", strings.Join(quoted, ", "), kinds)
}

// printReport writes one line per step (bokmål).
func printReport(w io.Writer, rep *dag.Report) {
	words := map[string]string{
		dag.ActionRun:     "kjøres",
		dag.ActionCheck:   "sjekkes",
		dag.ActionSkip:    "hoppes over",
		dag.ActionBlocked: "venter",
	}
	if rep.DryRun {
		fmt.Fprintln(w, "Tørrkjøring: ingenting er kjørt. Dette ville skjedd:")
		words[dag.ActionRun] = "ville kjørt"
		words[dag.ActionCheck] = "ville sjekket"
	} else {
		words[dag.ActionRun] = "kjørt"
		words[dag.ActionCheck] = "sjekket"
	}
	if len(rep.Steps) == 0 {
		fmt.Fprintln(w, "Ingenting å gjøre.")
	}
	for _, s := range rep.Steps {
		line := fmt.Sprintf("%-30s %-14s", s.Name, words[s.Action])
		switch {
		case s.Error != "":
			line += " FEILET: " + s.Error
		case s.Outcome != "" && s.Detail != "":
			line += " " + s.Outcome + ": " + s.Detail
		case s.Outcome != "":
			line += " " + s.Outcome + " (" + s.Reason + ")"
		default:
			line += " " + s.Reason
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	if !rep.DryRun {
		// The fine-grained nodes of the steps that have them: what a
		// change cost, node by node.
		for _, s := range rep.Steps {
			if s.Nodes == nil || s.Error != "" {
				continue
			}
			what := "noder kjørt på nytt"
			switch s.Name {
			case "build":
				what = "indikatorer beregnet på nytt"
			case "charts":
				what = "figursett tegnet på nytt"
			}
			fmt.Fprintf(w, "%s: %d av %d %s\n", s.Name, len(s.Nodes.Ran), s.Nodes.Total(), what)
		}
		ran := rep.Ran()
		msg := fmt.Sprintf("kjøring %s: %d steg kjørt", rep.ID, len(ran))
		if r := steps.RefreshRecord(rep); r != nil {
			msg += fmt.Sprintf(", %d forespørsler", r.Requests+sumChecks(r))
		}
		if f := rep.Failed(); len(f) > 0 {
			msg += fmt.Sprintf(", %d feilet (prøves igjen med --backfill)", len(f))
		}
		fmt.Fprintln(w, msg)
	}
}
