package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
)

func buildCommand() *command {
	return &command{
		name:  "build",
		short: "harmoniser regioner og beregn indikatortabellen",
		run:   runBuild,
	}
}

func runBuild(ctx context.Context, e *env, args []string) int {
	var (
		cf         commonFlags
		klassDir   string
		groupsFile string
		wait       time.Duration
	)
	fs := newFlagSet(e, "build", "build [--config F] [--klass KATALOG] [--groups FIL]",
		"Leser gjeldende versjon av datasettene i kunnskapsbasen, legger tallene på dagens kommuner,\n"+
			"summerer til fylker, grupperinger og landet, beregner indikatorkatalogen og skriver én tabell:\n"+
			"<kb>/indicators/version=<tidsstempel>/indicators.parquet. Indikatorer som mangler et datasett,\n"+
			"hoppes over og nevnes i utskriften.")
	cf.register(fs)
	fs.StringVar(&klassDir, "klass", "", "katalog med KLASS-svar (offline kopi); standard: regions i konfigurasjonen, ellers testdata/klass")
	fs.StringVar(&groupsFile, "groups", "", "fil med grupperinger (YAML); standard: regions.groups i konfigurasjonen, ellers testdata/regions/grupper-trondelag.yaml")
	fs.DurationVar(&wait, "wait", 0, "vent så lenge på en annen kjøring som holder kunnskapsbasen")
	if done, code := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	cfg, code := loadConfig(e, cf.config)
	if cfg == nil {
		return code
	}
	log := cf.logger(e.stderr)
	reg, err := indicators.NewCatalog(indicators.Catalog()...)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag build: %v\n", err)
		return exitFailed
	}
	var (
		model  *regions.Model
		groups []regions.Group
	)
	if klassDir == "" && groupsFile == "" && cfg.Regions != nil {
		model, groups, err = pipelines.LoadRegions(ctx, cfg.Regions)
		if err != nil {
			fmt.Fprintf(e.stderr, "grunnlag build: %v\n", err)
			return exitConfig
		}
	} else {
		if klassDir == "" {
			klassDir = "testdata/klass"
		}
		if groupsFile == "" {
			groupsFile = "testdata/regions/grupper-trondelag.yaml"
		}
		model, groups, code = loadRegions(ctx, e, klassDir, groupsFile)
		if model == nil {
			return code
		}
	}
	st, err := store.Open(cfg.KB)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag build: %v\n", err)
		return exitKB
	}
	lockCtx, cancel := context.WithTimeout(ctx, wait)
	unlock, err := st.Lock(lockCtx)
	cancel()
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag build: %v\n", err)
		return exitKB
	}
	defer unlock()
	b := &build.Builder{Store: st, Model: model, Groups: groups, Catalog: reg, Logger: log}
	res, err := b.Build(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag build: %v\n", err)
		if errors.Is(err, store.ErrLocked) {
			return exitKB
		}
		return exitFailed
	}
	defer res.Record.Release()
	fmt.Fprintf(e.stdout, "indikatorer %s: %d rader, %d indikatorer beregnet\n", res.Version.Stamp, res.Rows, len(res.Computed))
	if res.Version.Unchanged {
		fmt.Fprintln(e.stdout, "uendret fra forrige versjon; ingen ny fil skrevet")
	}
	for _, s := range res.Skipped {
		if s.Reason != "" {
			fmt.Fprintf(e.stdout, "hoppet over %-28s kan ikke beregnes av dataene: %s\n", s.ID, s.Reason)
			continue
		}
		fmt.Fprintf(e.stdout, "hoppet over %-28s mangler datasett: %s\n", s.ID, strings.Join(s.Missing, ", "))
	}
	for _, em := range res.Empty {
		fmt.Fprintf(e.stdout, "advarsel: %s\n", em.Message())
	}
	if res.Warnings > 0 {
		fmt.Fprintf(e.stdout, "advarsel: %d grupper av celler kunne ikke harmoniseres (se loggen)\n", res.Warnings)
	}
	return exitOK
}

// loadRegions builds the region model from the offline KLASS copy and
// reads the groupings ("" = none).
func loadRegions(ctx context.Context, e *env, klassDir, groupsFile string) (*regions.Model, []regions.Group, int) {
	c := klass.New("http://klass.offline/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: klasstest.Transport(klassDir), Timeout: 30 * time.Second}})
	model, err := regions.Load(ctx, c, regionsBundleFrom, regionsBundleTo)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: kunne ikke lese KLASS-data fra %s: %v\n", klassDir, err)
		return nil, nil, exitConfig
	}
	if groupsFile == "" {
		return model, nil, exitOK
	}
	gs, err := regions.LoadGroups(groupsFile, model, time.Time{})
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: ugyldig grupperingsfil:\n%v\n", err)
		return nil, nil, exitConfig
	}
	return model, gs, exitOK
}
