package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/mapdata"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/publish"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// pipelineSteps declares the pipeline: one fetch step per dataset, then the
// later steps, one line each, e.g.
//
//	steps = append(steps, dag.Step{Name: "build", Inputs: []string{"fetch/*"}, Code: build.CodeVersion, Run: buildStep(cfg, st)})
func pipelineSteps(cfg *config.Config, st *store.Store, log *slog.Logger, ro pipelines.RefreshOptions) []dag.Step {
	ref := &pipelines.Refresher{Config: cfg, Store: st, Logger: log}
	steps := dag.RefreshSteps(ref, ro)
	buildInputs := []string{"fetch/*"}
	if cfg.Needs != nil && cfg.Regions != nil {
		steps = append(steps, dag.Step{Name: "survey", Source: true, Run: surveyFilesStep(cfg.Needs)})
		steps = append(steps, dag.Step{Name: "needs", Inputs: []string{"fetch/*", "survey"}, Code: needs.CodeVersion, Run: needsStep(cfg, st, log)})
		buildInputs = append(buildInputs, "needs")
	}
	if cfg.Regions != nil {
		steps = append(steps, dag.Step{Name: "build", Inputs: buildInputs, Code: build.CodeVersion, Run: buildStep(cfg, st, log), Exists: indicatorsIntact(st)})
		steps = append(steps, dag.Step{Name: "book", Inputs: []string{"build"}, Code: publish.CodeVersion, Run: publishStep(st, log, "book")})
		steps = append(steps, dag.Step{Name: "exports", Inputs: []string{"build"}, Code: publish.CodeVersion, Run: publishStep(st, log, "exports")})
	}
	return steps
}

// surveyFilesStep is the cheap upstream check of the company-needs survey:
// its identity is the hash of the survey file, its mapping and the register
// files, so a new or changed file (say, one dropped into the inbox the
// daemon watches) re-runs the needs step and what follows, and an unchanged
// one does not.
func surveyFilesStep(n *config.Needs) func(context.Context, *dag.Input) (*dag.Output, error) {
	return func(ctx context.Context, _ *dag.Input) (*dag.Output, error) {
		files := []string{n.Survey, n.Mapping}
		if n.Register != nil {
			files = append(files, n.Register.Enheter...)
			files = append(files, n.Register.Underenheter...)
		}
		h := sha256.New()
		for _, f := range files {
			if f == "" {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("survey: %w", err)
			}
			fmt.Fprintf(h, "%s\x00%d\x00", filepath.Base(f), len(b))
			h.Write(b)
		}
		id := hex.EncodeToString(h.Sum(nil))
		return &dag.Output{ID: id, Outcome: "checked", Detail: "survey files " + id[:12]}, nil
	}
}

// needsStep builds the company-needs datasets from the configured survey
// (the same work as `grunnlag survey build`, with the config's error
// budget). The survey file is read anew every run; its rows only leave
// <kb>/secure/ as disclosure-controlled aggregates.
func needsStep(cfg *config.Config, st *store.Store, log *slog.Logger) func(context.Context, *dag.Input) (*dag.Output, error) {
	return func(ctx context.Context, _ *dag.Input) (*dag.Output, error) {
		model, groups, err := pipelines.LoadRegions(ctx, cfg.Regions)
		if err != nil {
			return nil, err
		}
		today := time.Now().In(osloLocation())
		opt, err := needs.FromConfig(cfg.Needs, model, groups, time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC))
		if err != nil {
			return nil, err
		}
		opt.Logger = log
		res, err := needs.Build(ctx, st, opt)
		if err != nil {
			return nil, err
		}
		return &dag.Output{Outcome: "built", Detail: fmt.Sprintf("%d svar fra %d virksomheter, %d celler, %d prikket", res.Accepted, res.Firms, res.Cells, res.Suppressed)}, nil
	}
}

// publishStep draws the book or writes the exports from the current
// indicator table (the same work as `grunnlag book` and `grunnlag export`).
func publishStep(st *store.Store, log *slog.Logger, what string) func(context.Context, *dag.Input) (*dag.Output, error) {
	return func(ctx context.Context, _ *dag.Input) (*dag.Output, error) {
		m, err := charts.ParseGeoJSON(bytes.NewReader(mapdata.Kommuner2024), "kommunenummer")
		if err != nil {
			return nil, err
		}
		p := &publish.Publisher{Store: st, Indicators: indicators.Catalog(), Map: m, Logger: log}
		var res *publish.Result
		if what == "book" {
			res, err = p.Book(ctx)
		} else {
			res, err = p.Export(ctx)
		}
		if err != nil {
			return nil, err
		}
		return &dag.Output{Outcome: "written", Detail: fmt.Sprintf("%d filer i %s (indikatorer %s)", res.Files, res.Dir, res.Version)}, nil
	}
}

// indicatorsIntact reports whether the current indicator table's file is
// there and whole (size, footer, checksum), so that a run rebuilds a
// damaged one even when nothing upstream changed.
func indicatorsIntact(st *store.Store) func() bool {
	return func() bool {
		cat, err := st.Catalog()
		if err != nil {
			return true // the build step reports the catalog itself
		}
		v := cat.Indicators.CurrentVersion()
		return v == nil || st.VerifyVersion("indicators", v) == nil
	}
}

// buildStep harmonises the datasets and computes the indicator catalog
// (the same work as `grunnlag build`). The run already holds the lock.
func buildStep(cfg *config.Config, st *store.Store, log *slog.Logger) func(context.Context, *dag.Input) (*dag.Output, error) {
	return func(ctx context.Context, _ *dag.Input) (*dag.Output, error) {
		reg, err := indicators.NewCatalog(indicators.Catalog()...)
		if err != nil {
			return nil, err
		}
		model, groups, err := pipelines.LoadRegions(ctx, cfg.Regions)
		if err != nil {
			return nil, err
		}
		res, err := (&build.Builder{Store: st, Model: model, Groups: groups, Catalog: reg, Logger: log}).Build(ctx)
		if err != nil {
			return nil, err
		}
		res.Record.Release()
		out := &dag.Output{Outcome: "built", Detail: fmt.Sprintf("%d rader, %d indikatorer, versjon %s", res.Rows, len(res.Computed), res.Version.Stamp)}
		if res.Version.Unchanged {
			out.Outcome = "unchanged"
		}
		return out, nil
	}
}

// newRunner builds the graph and its runner.
func newRunner(cfg *config.Config, st *store.Store, log *slog.Logger, ro pipelines.RefreshOptions, who string) (*dag.Runner, error) {
	g, err := dag.New(pipelineSteps(cfg, st, log, ro)...)
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
	if done, code := parseFlags(fs, args); done {
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
	rep, err := r.Run(ctx, dag.Options{Targets: fs.Args(), DryRun: dryRun, Backfill: backfill, LockWait: wait})
	if rep == nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		var le *store.LockError
		switch {
		case errors.As(err, &le):
			// Nothing ran and nothing was recorded.
			return exitKB
		case err != nil && strings.Contains(err.Error(), "unknown target"):
			return exitUsage
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
		ran := rep.Ran()
		msg := fmt.Sprintf("kjøring %s: %d steg kjørt", rep.ID, len(ran))
		if r := rep.Refresh; r != nil {
			msg += fmt.Sprintf(", %d forespørsler", r.Requests+sumChecks(r))
		}
		if f := rep.Failed(); len(f) > 0 {
			msg += fmt.Sprintf(", %d feilet (prøves igjen med --backfill)", len(f))
		}
		fmt.Fprintln(w, msg)
	}
}
