package main

import (
	"context"
	"fmt"

	"github.com/grunnlag/grunnlag/pipelines/publish"
)

func exportCommand() *command {
	return &command{
		name:  "export",
		short: "skriv indikatortabeller for planleggere (XLSX og CSV) til <kb>/exports",
		run:   runExport,
	}
}

func runExport(ctx context.Context, e *env, args []string) int {
	return runPublish(ctx, e, args, "export", "export [--config F] [--lang nb|en]",
		"Skriver indikatortabellen til <kb>/exports: indikatorer.xlsx (ett ark per tema, låst\n"+
			"overskriftsrad, tallformater, enheten i kolonneoverskriftene, og arket «Definisjoner» med\n"+
			"én rad per indikator: formel, inndata med tabeller og datoer, enhet, retning, brudd, kilde,\n"+
			"lisens og merknader), indikatorer.csv (norsk Excel: semikolon, desimalkomma, BOM) og\n"+
			"indikatorer-plain.csv (komma og punktum), behov mot tilbud (needs_vs_supply) når\n"+
			"datasettet finnes, og planleggernes arbeidsbok planlegging.xlsx (behov og tilbud, behov\n"+
			"uten tilbud, tilbud uten behov, tilbudskatalogen, tilbudsplanlegging) når tilbudene finnes.\n"+
			"Tabellen leses i biter og skrives i én omgang til alle filene. Med --lang en er overskrifter,\n"+
			"enheter, nivåer, retninger, arknavn og definisjonene på engelsk. Celler som begynner med =, +, - eller @\n"+
			"nøytraliseres.", false,
		(*publish.Publisher).Export,
		func(r *publish.Result) string {
			return fmt.Sprintf("eksport %s: %d filer i %s (%.1f s)", r.Version, r.Files, r.Dir, r.Duration.Seconds())
		})
}
