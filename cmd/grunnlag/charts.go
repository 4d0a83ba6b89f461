package main

import (
	"context"
	"fmt"
)

func chartsCommand() *command {
	return &command{
		name:  "charts",
		short: "tegn figursettet (PNG, SVG og CSV) til <kb>/charts",
		run:   runCharts,
	}
}

func runCharts(ctx context.Context, e *env, args []string) int {
	var pf publishFlags
	fs := newFlagSet(e, "charts", "charts [--config F] [--kart FIL] [--lang nb|en]",
		"Tegner figurene for alle indikatorer fra gjeldende indikatortabell til <kb>/charts:\n"+
			"rangerte stolper for kommuner, fylker og grupperinger, kart over kommunene, intervaller\n"+
			"for utvalgsbaserte indikatorer og et varmekart over fylkene. Hver figur skrives som PNG,\n"+
			"SVG og CSV med tallene i figuren.")
	pf.register(fs, true)
	if done, code := parseFlags(fs, args); done {
		return code
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	pub, unlock, code := pf.publisher(ctx, e, "charts")
	if pub == nil {
		return code
	}
	defer unlock()
	res, err := pub.Charts(ctx)
	if err != nil {
		return publishError(e, "charts", err)
	}
	fmt.Fprintf(e.stdout, "figurer %s: %d figurer, %d filer i %s (%.1f s)\n", res.Version, res.Charts, res.Files, res.Dir, res.Duration.Seconds())
	return exitOK
}
