package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/config"

	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/survey"
)

const surveyHelp = `Bruk:
  grunnlag survey validate FIL [--config F] [--mapping MAPPING.yaml]
  grunnlag survey build [--config F] [--error-budget N]

«survey build» leser kartleggingen i needs-delen av konfigurasjonen, beriker
den fra Enhetsregisteret, vekter, prikker og publiserer datasettene
kompetansebehov og needs_vs_supply i kunnskapsbasen (se «grunnlag survey build -h»).

Kontrollerer en kartlegging av kompetansebehov (CSV eller XLSX) uten å lagre noe.
Hvert problem skrives på én linje som

  FIL:RAD:KOLONNE: VERDI: GRUNN

der RAD telles som i et regneark (overskriften er rad 1). Kontrollene er
organisasjonsnummer (MOD11), kommunenummer gyldig på kartleggingsdatoen,
påkrevde felt, tillatte verdier, verdiområder, kompetanseområder i krysslisten
og duplikater. Uten --mapping må filen følge standardmalen:

  orgnr;kommunenr;dato;kompetanseomrade;beskrivelse;utdanningsniva;antall;tidshorisont;hastegrad

Avslutningskode 0 når filen er feilfri, 1 når den har problemer.

Flagg:
`

// surveyCommand is `grunnlag survey`.
func surveyCommand() *command {
	return &command{name: "survey", short: "kontroller (validate) eller bygg (build) en kartlegging av kompetansebehov", run: runSurvey}
}

func runSurvey(ctx context.Context, e *env, args []string) int {
	if i := surveySub(args); i >= 0 && args[i] == "build" {
		return runSurveyBuild(ctx, e, append(args[:i:i], args[i+1:]...))
	}
	fs := flag.NewFlagSet("survey", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	mapping := fs.String("mapping", "", "mappingfil (YAML) for skjemaer som ikke følger standardmalen")
	src := regionSource{config: defaultConfig}
	fs.StringVar(&src.config, "config", defaultConfig, "konfigurasjonsfil (YAML); kommunenumrene kontrolleres mot regionmodellen i dens regions-del")
	fs.StringVar(&src.klassDir, "klass", "", "katalog med KLASS-svar (offline kopi) i stedet for regions.bundle i konfigurasjonen")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, surveyHelp)
		fs.PrintDefaults()
	}
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) != 2 || pos[0] != "validate" {
		fmt.Fprintln(e.stderr, "grunnlag survey: bruk «grunnlag survey validate FIL»")
		fs.Usage()
		return exitUsage
	}
	file := pos[1]
	var m *survey.Mapping
	var err error
	if *mapping != "" {
		if m, err = survey.LoadMappingFile(*mapping); err != nil {
			fmt.Fprintf(e.stderr, "grunnlag survey: ugyldig mapping:\n%v\n", err)
			return exitConfig
		}
	}
	fs.Visit(func(f *flag.Flag) { src.configSet = src.configSet || f.Name == "config" })
	model, _, err := src.load(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag survey: kunne ikke lese regionmodellen: %v\n", err)
		return exitConfig
	}
	cw, err := needs.DefaultCrosswalk()
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag survey: krysslisten: %v\n", err)
		return exitConfig
	}
	today := time.Now().In(osloLocation())
	s, err := survey.ReadFile(file, m, survey.Options{Regions: needs.RegionChecker{Model: model}, Areas: cw.Known,
		Today: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag survey: %s: %v\n", file, err)
		return exitFailed
	}
	for _, p := range s.Problems {
		fmt.Fprintln(e.stdout, p.String())
	}
	if len(s.Problems) > 0 {
		fmt.Fprintf(e.stderr, "%s: %d problemer, %d av %d rader avvist\n", file, len(s.Problems), len(s.Rejected), s.Rows)
		return exitFailed
	}
	fmt.Fprintf(e.stderr, "%s: %d rader, ingen problemer\n", file, s.Rows)
	return exitOK
}

// surveyValueFlags are the flags of survey validate and survey build that
// take a value, so that surveySub can skip their values.
var surveyValueFlags = map[string]bool{"config": true, "mapping": true, "klass": true, "error-budget": true, "wait": true, "log-format": true}

// surveySub returns the index of the subcommand (the first positional
// argument) of `grunnlag survey`, wherever flags put it, or -1.
func surveySub(args []string) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			if i+1 < len(args) {
				return i + 1
			}
			return -1
		case len(a) < 2 || a[0] != '-':
			return i
		case !strings.Contains(a, "=") && surveyValueFlags[strings.TrimLeft(a, "-")]:
			i++
		}
	}
	return -1
}

// runSurveyBuild is `grunnlag survey build`.
func runSurveyBuild(ctx context.Context, e *env, args []string) int {
	b := &buildCmd{name: "survey build", section: "needs", hint: "se pipelines/config, type Needs",
		has: func(c *config.Config) bool { return c.Needs != nil }}
	be, code := b.setup(ctx, e, args, "survey build [--config F] [--error-budget N]",
		"Bygger kartleggingen av kompetansebehov fra needs-delen av konfigurasjonen: leser og kontrollerer\n"+
			"svarene, beriker dem fra Enhetsregisteret, vekter mot registeret, prikker (minst 3 virksomheter,\n"+
			"dominansregel, sekundærprikking) og publiserer kompetansebehov og needs_vs_supply. Rader på\n"+
			"virksomhetsnivå skrives bare under <kb>/secure/. Avslutningskode 1 når flere rader er avvist\n"+
			"enn feilbudsjettet tillater.",
		"antall avviste rader som tåles (overstyrer needs.error_budget; standard: ingen)")
	if be == nil {
		return code
	}
	opt, err := needs.FromConfig(be.cfg.Needs, be.model, be.groups, todayOslo())
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag survey build: %v\n", err)
		return exitConfig
	}
	if b.budget >= 0 {
		opt.ErrorBudget = b.budget
	}
	opt.Logger = be.log
	st, unlock, code := b.open(ctx, e, be.cfg)
	if st == nil {
		return code
	}
	defer unlock()
	res, err := needs.Build(ctx, st, opt)
	if res != nil {
		printSurveyBuild(e.stdout, res, opt.ErrorBudget)
	}
	if err != nil {
		if errors.Is(err, needs.ErrProblems) && res != nil {
			for _, p := range res.Problems {
				fmt.Fprintln(e.stderr, p.String())
			}
		}
		fmt.Fprintf(e.stderr, "grunnlag survey build: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// printSurveyBuild writes the bokmål summary of a survey build.
func printSurveyBuild(w io.Writer, res *needs.Result, budget int) {
	b := "ingen"
	if budget >= 0 {
		b = strconv.Itoa(budget)
	}
	fmt.Fprintf(w, "kartlegging %s: %d rader, %d godtatt, %d avvist (feilbudsjett %s), %d virksomheter\n", res.Period, res.Rows, res.Accepted, res.Rejected, b, res.Firms)
	if res.Needs == nil {
		fmt.Fprintln(w, "ingenting publisert")
		return
	}
	fmt.Fprintf(w, "prikking: %d celler, %d primærprikket, %d sekundærprikket\n", res.Cells, res.Primary, res.Secondary)
	fmt.Fprintf(w, "strata uten respondenter: %d\n", res.EmptyStrata)
	version := func(id string, v *store.Version) {
		if v.Unchanged {
			fmt.Fprintf(w, "%-24s uendret, versjon %s\n", id, v.Stamp)
			return
		}
		fmt.Fprintf(w, "%-24s ny versjon %s\n", id, v.Stamp)
	}
	version(needs.DatasetNeeds, res.Needs)
	if res.Supply != nil {
		version(needs.DatasetSupply, res.Supply)
	}
	fmt.Fprintf(w, "avviste rader: %s\n", filepath.Join(res.SecureDir, "rejected.csv"))
	fmt.Fprintf(w, "fritekst uten treff (%d ulike): %s\n", res.Unmapped, filepath.Join(res.SecureDir, "unmapped.csv"))
}
