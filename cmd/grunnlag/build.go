package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/store"
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
	fs.StringVar(&klassDir, "klass", "", "katalog med KLASS-svar (offline kopi) i stedet for regions.bundle i konfigurasjonen")
	fs.StringVar(&groupsFile, "groups", "", "fil med grupperinger (YAML) i stedet for regions.groups i konfigurasjonen")
	fs.DurationVar(&wait, "wait", 0, "vent så lenge på en annen kjøring som holder kunnskapsbasen")
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
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
	src := regionSource{config: cf.config, cfg: cfg, klassDir: klassDir, groupsFile: groupsFile}
	model, groups, err := src.load(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag build: kunne ikke lese regionmodellen: %v\n", err)
		return exitConfig
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
	defer res.Release()
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
	if res.Warnings > 0 {
		fmt.Fprintf(e.stdout, "advarsel: %d grupper av celler kunne ikke harmoniseres (se loggen)\n", res.Warnings)
	}
	return exitOK
}
