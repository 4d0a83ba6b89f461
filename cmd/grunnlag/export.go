package main

import (
	"context"
	"fmt"
)

func exportCommand() *command {
	return &command{
		name:  "export",
		short: "skriv indikatortabeller for planleggere (XLSX og CSV) til <kb>/exports",
		run:   runExport,
	}
}

func runExport(ctx context.Context, e *env, args []string) int {
	var pf publishFlags
	fs := newFlagSet(e, "export", "export [--config F] [--lang nb|en]",
		"Skriver indikatortabellen til <kb>/exports: indikatorer.xlsx (ett ark per tema, låst\n"+
			"overskriftsrad, tallformater), indikatorer.csv (norsk Excel: semikolon, desimalkomma, BOM)\n"+
			"og indikatorer-plain.csv (komma og punktum), og behov mot tilbud (needs_vs_supply) når\n"+
			"datasettet finnes. Celler som begynner med =, +, - eller @ nøytraliseres.")
	pf.register(fs, false)
	if done, code := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	pub, unlock, code := pf.publisher(ctx, e, "export")
	if pub == nil {
		return code
	}
	defer unlock()
	res, err := pub.Export(ctx)
	if err != nil {
		return publishError(e, "export", err)
	}
	fmt.Fprintf(e.stdout, "eksport %s: %d filer i %s (%.1f s)\n", res.Version, res.Files, res.Dir, res.Duration.Seconds())
	return exitOK
}
