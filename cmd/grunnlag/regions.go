package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
)

// The range the KLASS bundle answers (testdata/klass: versions from 2013,
// changes recorded through 2025-01-01), used with --klass and no config.
var (
	regionsBundleFrom = time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC)
	regionsBundleTo   = time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
)

const regionsHelp = `Bruk:
  grunnlag regions [--config FIL] [--date ÅÅÅÅ-MM-DD] [--level land|fylke|kommune|gruppe]
  grunnlag regions [--config FIL] groups
  grunnlag regions [--config FIL] trace KODE

Viser regionmodellen: land, fylker, kommuner og egne grupperinger.

  regions          regionene som gjelder på en dato (kode, navn, nivå,
                   gyldig fra, gyldig til); standard er dagens dato og alle nivåer
  regions groups   hver gruppering med kommunenumrene den består av
  regions trace    historikken til en kode, én endring per linje
                   (dato, type merge|split|recode|rename, gamle koder, nye koder)

Regionmodellen leses fra regions-delen i konfigurasjonen (--config; stier der
er relative til konfigurasjonsfilen); --klass og --groups overstyrer den.
Fylkene er avledet av kommunenumrene (KLASS 131), og det står en merknad om
det på standardfeil.

Utdata er tabulatorseparert med en overskriftslinje.

Flagg:
`

// regionsCommand is `grunnlag regions`.
func regionsCommand() *command {
	return &command{
		name:  "regions",
		short: "vis regioner, grupperinger og kodehistorikk (KLASS)",
		run:   runRegions,
	}
}

func runRegions(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("regions", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dateFlag := fs.String("date", "", "dato regionene skal gjelde på, ÅÅÅÅ-MM-DD (standard: i dag)")
	levelFlag := fs.String("level", "", "bare dette nivået: land, fylke, kommune eller gruppe")
	src := regionSource{config: defaultConfig}
	fs.StringVar(&src.config, "config", defaultConfig, "konfigurasjonsfil (YAML); regionmodellen leses fra dens regions-del")
	fs.StringVar(&src.klassDir, "klass", "", "katalog med KLASS-svar (offline kopi) i stedet for regions.bundle i konfigurasjonen")
	fs.StringVar(&src.groupsFile, "groups", "", "fil med grupperinger (YAML) i stedet for regions.groups i konfigurasjonen")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, regionsHelp)
		fs.PrintDefaults()
	}
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	sub := ""
	if len(pos) > 0 {
		sub, pos = pos[0], pos[1:]
	}
	switch sub {
	case "", "groups", "trace":
	default:
		fmt.Fprintf(e.stderr, "grunnlag regions: ukjent underkommando %q\n", sub)
		fs.Usage()
		return exitUsage
	}
	if (sub == "trace" && len(pos) != 1) || (sub != "trace" && len(pos) != 0) {
		fmt.Fprintln(e.stderr, "grunnlag regions: feil antall argumenter")
		fs.Usage()
		return exitUsage
	}
	date := time.Now().In(osloLocation()).Format(klass.DateLayout)
	if *dateFlag != "" {
		date = *dateFlag
	}
	d, err := time.Parse(klass.DateLayout, date)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag regions: --date %q er ikke en dato på formen ÅÅÅÅ-MM-DD\n", date)
		return exitUsage
	}
	level := regions.Level(*levelFlag)
	switch level {
	case "", regions.Nation, regions.County, regions.Municipality, regions.Grouping:
	default:
		fmt.Fprintf(e.stderr, "grunnlag regions: --level %q: velg land, fylke, kommune eller gruppe\n", *levelFlag)
		return exitUsage
	}

	fs.Visit(func(f *flag.Flag) { src.configSet = src.configSet || f.Name == "config" })
	model, groups, err := src.load(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag regions: kunne ikke lese regionmodellen: %v\n", err)
		return exitConfig
	}
	loadGroups := func() ([]regions.Group, bool) {
		if groups == nil {
			fmt.Fprintln(e.stderr, "grunnlag regions: ingen grupperinger: oppgi regions.groups i konfigurasjonen eller --groups FIL")
			return nil, false
		}
		return groups, true
	}

	out := e.stdout
	switch sub {
	case "":
		gs := groups // all levels: the groupings when there are any
		if level == regions.Grouping {
			var ok bool
			if gs, ok = loadGroups(); !ok {
				return exitConfig
			}
		} else if level != "" {
			gs = nil
		}
		fmt.Fprintln(out, "code\tname\tlevel\tvalid_from\tvalid_to")
		if level == "" || level == regions.County {
			noteDerivedCounties(e.stderr, model)
		}
		if level != regions.Grouping {
			for _, r := range model.Regions(level, d) {
				fmt.Fprintf(out, "%s\t%s\t%s\t%s\t%s\n", r.Code, r.Name, r.Level, fmtDate(r.From), fmtDate(r.To))
			}
		}
		for _, g := range gs {
			fmt.Fprintf(out, "%s\t%s\t%s\t\t\n", g.ID, g.Name, regions.Grouping)
		}
	case "groups":
		gs, ok := loadGroups()
		if !ok {
			return exitConfig
		}
		fmt.Fprintln(out, "id\tname\tmembers")
		for _, g := range gs {
			fmt.Fprintf(out, "%s\t%s\t%s\n", g.ID, g.Name, strings.Join(g.Members, " "))
		}
	case "trace":
		code := pos[0]
		if _, ok := regions.LevelOf(code); !ok || len(model.Versions(code)) == 0 {
			fmt.Fprintf(e.stderr, "grunnlag regions trace: koden %q finnes ikke i KLASS-dataene\n", code)
			return exitFailed
		}
		fmt.Fprintln(out, "date\tkind\told\tnew")
		for _, ev := range model.Trace(code) {
			fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", ev.Date.Format(klass.DateLayout), ev.Kind, strings.Join(ev.Old, " "), strings.Join(ev.New, " "))
		}
	}
	return exitOK
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(klass.DateLayout)
}

func osloLocation() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return time.UTC
	}
	return loc
}
