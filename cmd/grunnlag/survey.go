package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
	"github.com/grunnlag/grunnlag/sources/survey"
)

const surveyHelp = `Bruk:
  grunnlag survey validate FIL [--mapping MAPPING.yaml]

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
	return &command{name: "survey", short: "kontroller en kartlegging av kompetansebehov (survey validate)", run: runSurvey}
}

func runSurvey(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("survey", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	mapping := fs.String("mapping", "", "mappingfil (YAML) for skjemaer som ikke følger standardmalen")
	klassDir := fs.String("klass", "testdata/klass", "katalog med KLASS-svar (offline kopi)")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, surveyHelp)
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	if len(pos) != 2 || pos[0] != "validate" {
		fmt.Fprintln(e.stderr, "grunnlag survey: bruk «grunnlag survey validate FIL»")
		fs.Usage()
		return exitUsage
	}
	file := pos[1]
	var m *survey.Mapping
	if *mapping != "" {
		if m, err = survey.LoadMappingFile(*mapping); err != nil {
			fmt.Fprintf(e.stderr, "grunnlag survey: ugyldig mapping:\n%v\n", err)
			return exitConfig
		}
	}
	c := klass.New("http://klass.offline/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: klasstest.Transport(*klassDir), Timeout: 30 * time.Second}})
	model, err := regions.Load(ctx, c, regionsBundleFrom, regionsBundleTo)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag survey: kunne ikke lese KLASS-data fra %s: %v\n", *klassDir, err)
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
