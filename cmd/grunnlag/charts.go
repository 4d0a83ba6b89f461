package main

import (
	"context"
	"fmt"

	"github.com/grunnlag/grunnlag/pipelines/publish"
)

func chartsCommand() *command {
	return &command{
		name:  "charts",
		short: "tegn figursettet (PNG, SVG og CSV) til <kb>/charts",
		run:   runCharts,
	}
}

func runCharts(ctx context.Context, e *env, args []string) int {
	return runPublish(ctx, e, args, "charts", "charts [--config F] [--kart FIL] [--lang nb|en]",
		"Tegner figurene for alle indikatorer fra gjeldende indikatortabell til <kb>/charts:\n"+
			"rangerte stolper for kommuner, fylker og grupperinger, kart over kommunene, intervaller\n"+
			"for utvalgsbaserte indikatorer og et varmekart over fylkene. Hver figur skrives som PNG,\n"+
			"SVG og CSV med tallene i figuren.", true,
		(*publish.Publisher).Charts,
		func(r *publish.Result) string {
			return fmt.Sprintf("figurer %s: %d figurer, %d filer i %s (%.1f s)", r.Version, r.Charts, r.Files, r.Dir, r.Duration.Seconds())
		})
}
