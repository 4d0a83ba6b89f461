package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/mapdata"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/publish"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// defaultMap names the municipality boundaries embedded in the binary
// (charts/mapdata, PROVENANCE.md there).
const defaultMap = "innebygd"

func bookCommand() *command {
	return &command{
		name:  "book",
		short: "skriv indikatorboka (statisk HTML) til <kb>/book",
		run:   runBook,
	}
}

// publishFlags are shared by book, charts and export.
type publishFlags struct {
	commonFlags
	kart    string
	lang    string
	title   string
	workers int
	wait    time.Duration
}

func (p *publishFlags) register(fs *flag.FlagSet, withMap bool) {
	p.commonFlags.register(fs)
	if withMap {
		fs.StringVar(&p.kart, "kart", defaultMap, "GeoJSON med kommunegrenser for kartene («innebygd»: 2024-kommunene som følger med; tom: ingen kart)")
	}
	fs.StringVar(&p.lang, "lang", "nb", "språk: nb (bokmål) eller en (engelsk)")
	fs.StringVar(&p.title, "title", "", "tittel på boka (tom: standardtittelen)")
	fs.IntVar(&p.workers, "workers", 0, "antall samtidige figurtegnere (0: antall kjerner)")
	fs.DurationVar(&p.wait, "wait", 0, "vent så lenge på en annen kjøring som holder kunnskapsbasen")
}

// publisher opens the knowledge base, takes its lock and builds the
// Publisher. The caller must call unlock.
func (p *publishFlags) publisher(ctx context.Context, e *env, name string) (pub *publish.Publisher, unlock func(), code int) {
	if p.lang != "nb" && p.lang != "en" {
		fmt.Fprintf(e.stderr, "grunnlag %s: ukjent språk %q (nb eller en)\n", name, p.lang)
		return nil, nil, exitUsage
	}
	cfg, code := loadConfig(e, p.config)
	if cfg == nil {
		return nil, nil, code
	}
	log := p.logger(e.stderr)
	var m *charts.Map
	if p.kart == defaultMap {
		var err error
		if m, err = charts.ParseGeoJSON(bytes.NewReader(mapdata.Kommuner2024), "kommunenummer"); err != nil {
			fmt.Fprintf(e.stderr, "grunnlag %s: det innebygde kartet: %v\n", name, err)
			return nil, nil, exitFailed
		}
	} else if p.kart != "" {
		f, err := os.Open(p.kart)
		switch {
		case err != nil:
			fmt.Fprintf(e.stderr, "grunnlag %s: %v\n", name, err)
			return nil, nil, exitConfig
		default:
			m, err = charts.ParseGeoJSON(f, "kommunenummer")
			f.Close()
			if err != nil {
				fmt.Fprintf(e.stderr, "grunnlag %s: %s: %v\n", name, p.kart, err)
				return nil, nil, exitConfig
			}
		}
	}
	st, err := store.Open(cfg.KB)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag %s: %v\n", name, err)
		return nil, nil, exitKB
	}
	lockCtx, cancel := context.WithTimeout(ctx, p.wait)
	unlock, err = st.Lock(lockCtx)
	cancel()
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag %s: %v\n", name, err)
		return nil, nil, exitKB
	}
	// The region model gives the index every code's validity; without it
	// the book is drawn all the same.
	model, _, merr := pipelines.LoadRegions(ctx, cfg.Regions)
	if merr != nil {
		log.Warn("regionmodellen kunne ikke leses; registeret viser koder uten gyldighet", "err", merr)
		model = nil
	}
	return &publish.Publisher{Store: st, Indicators: indicators.Catalog(), Map: m, Lang: charts.Lang(p.lang),
		Title: p.title, Workers: p.workers, Logger: log, Model: model}, unlock, exitOK
}

// publishError maps a publish error to a message and an exit code.
func publishError(e *env, name string, err error) int {
	fmt.Fprintf(e.stderr, "grunnlag %s: %v\n", name, err)
	if errors.Is(err, publish.ErrNoIndicators) {
		return exitFailed
	}
	if errors.Is(err, store.ErrLocked) {
		return exitKB
	}
	return exitFailed
}

func runBook(ctx context.Context, e *env, args []string) int {
	return runPublish(ctx, e, args, "book", "book [--config F] [--kart FIL] [--lang nb|en]",
		"Skriver indikatorboka fra gjeldende indikatortabell til <kb>/book: en forside med alle regioner,\n"+
			"én side per kommune, gruppering og fylke med figurer, nøkkeltall, avvik fra landet i ord,\n"+
			"utvikling og merknader, og én side per indikator med kart; når tilbudene er koblet med\n"+
			"behovene også en side «Behov og tilbud» per region. Boka virker uten nett og kan\n"+
			"skrives ut som A4. Kjør «grunnlag build» først.", true,
		(*publish.Publisher).Book,
		func(r *publish.Result) string {
			return fmt.Sprintf("indikatorbok %s: %d sider, %d figurer, %d filer i %s (%.1f s)",
				r.Version, r.Pages, r.Charts, r.Files, r.Dir, r.Duration.Seconds())
		})
}

// runPublish is the shared body of book, charts and export: flags, the
// publisher under the kb lock, one step, and its one-line summary.
func runPublish(ctx context.Context, e *env, args []string, name, synopsis, about string, withMap bool,
	step func(*publish.Publisher, context.Context) (*publish.Result, error), summary func(*publish.Result) string) int {
	var pf publishFlags
	fs := newFlagSet(e, name, synopsis, about)
	pf.register(fs, withMap)
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
		fs.Usage()
		return exitUsage
	}
	pub, unlock, code := pf.publisher(ctx, e, name)
	if pub == nil {
		return code
	}
	defer unlock()
	res, err := step(pub, ctx)
	if err != nil {
		return publishError(e, name, err)
	}
	fmt.Fprintln(e.stdout, summary(res))
	return exitOK
}
