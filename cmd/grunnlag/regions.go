package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
)

// The range the KLASS bundle answers (testdata/klass/classifications/*/codes
// and changes are named by it).
var (
	regionsBundleFrom = time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC)
	regionsBundleTo   = time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
)

const regionsHelp = `Bruk:
  grunnlag regions [--date ÅÅÅÅ-MM-DD] [--level land|fylke|kommune|gruppe]
  grunnlag regions groups
  grunnlag regions trace KODE

Viser regionmodellen: land, fylker, kommuner og egne grupperinger.

  regions          regionene som gjelder på en dato (kode, navn, nivå,
                   gyldig fra, gyldig til); standard er dagens dato og alle nivåer
  regions groups   hver gruppering med kommunenumrene den består av
  regions trace    historikken til en kode, én endring per linje
                   (dato, type merge|split|recode|rename, gamle koder, nye koder)

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
	klassDir := fs.String("klass", "testdata/klass", "katalog med KLASS-svar (offline kopi)")
	groupsFile := fs.String("groups", "testdata/regions/grupper-trondelag.yaml", "fil med grupperinger (YAML)")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, regionsHelp)
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
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

	c := klass.New("http://klass.offline/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: klasstest.Transport(*klassDir), Timeout: 30 * time.Second}})
	model, err := regions.Load(ctx, c, regionsBundleFrom, regionsBundleTo)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag regions: kunne ikke lese KLASS-data fra %s: %v\n", *klassDir, err)
		return exitConfig
	}
	loadGroups := func() ([]regions.Group, bool) {
		gs, err := regions.LoadGroups(*groupsFile, model, time.Time{})
		if err != nil {
			fmt.Fprintf(e.stderr, "grunnlag regions: ugyldig grupperingsfil:\n%v\n", err)
			return nil, false
		}
		return gs, true
	}

	out := e.stdout
	switch sub {
	case "":
		var gs []regions.Group
		if level == "" || level == regions.Grouping {
			var ok bool
			if gs, ok = loadGroups(); !ok {
				return exitConfig
			}
		}
		fmt.Fprintln(out, "code\tname\tlevel\tvalid_from\tvalid_to")
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

// parseInterspersed parses flags that may come before, between or after
// positional arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
