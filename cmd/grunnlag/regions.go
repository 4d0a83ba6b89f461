package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
)

// regionsFor returns the regions section a command loads the region model
// from: the config's (nil when there is no config), with a --klass
// directory (a bundle of KLASS answers) and a --groups file overriding its
// bundle and groups. Without a config, KLASS is SSB's address (never asked:
// the bundle answers) and the history read is the config's default range.
func regionsFor(cfg *config.Regions, klassDir, groupsFile string) *config.Regions {
	rc := config.Regions{KLASS: "https://data.ssb.no/api/klass/v1", From: "2013-01-01", To: "2025-01-01"}
	if cfg != nil {
		rc = *cfg
	}
	if klassDir != "" {
		rc.Bundle = klassDir
	}
	if groupsFile != "" {
		rc.Groups = groupsFile
	}
	return &rc
}

// configRegions reads the regions section of the config at path for a
// command that may also run on --klass alone: the config is read when
// --config was given or when there is no --klass; with --klass and no
// config it returns nil. It prints the problem and returns false when the
// config cannot be read or has no regions section.
func configRegions(e *env, cmd, path string, explicit bool, klassDir string) (*config.Regions, bool) {
	if klassDir != "" && !explicit {
		return nil, true
	}
	if _, err := os.Stat(path); err != nil && klassDir == "" && !explicit {
		fmt.Fprintf(e.stderr, "grunnlag %s: fant ikke konfigurasjonen %s; oppgi --config FIL (med en regions-del) eller --klass KATALOG\n", cmd, path)
		return nil, false
	}
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag %s: %v\n", cmd, err)
		return nil, false
	}
	if cfg.Regions == nil && klassDir == "" {
		fmt.Fprintf(e.stderr, "grunnlag %s: %s har ingen regions-del; oppgi den eller --klass KATALOG\n", cmd, path)
		return nil, false
	}
	return cfg.Regions, true
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

const regionsHelp = `Bruk:
  grunnlag regions [--config F] [--date ÅÅÅÅ-MM-DD] [--level land|fylke|kommune|gruppe]
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
	configFile := fs.String("config", defaultConfig, "konfigurasjonsfil (YAML); regionmodellen leses fra regions-delen")
	klassDir := fs.String("klass", "", "katalog med KLASS-svar (offline kopi); standard: regions.bundle i konfigurasjonen")
	groupsFile := fs.String("groups", "", "fil med grupperinger (YAML); standard: regions.groups i konfigurasjonen")
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

	cfgRegions, ok := configRegions(e, "regions", *configFile, flagSet(fs, "config"), *klassDir)
	if !ok {
		return exitConfig
	}
	rc := regionsFor(cfgRegions, *klassDir, *groupsFile)
	groupsPath := rc.Groups
	rc.Groups = "" // read below, only when asked for
	model, _, err := pipelines.LoadRegions(ctx, rc)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag regions: kunne ikke lese KLASS-data: %v\n", err)
		return exitConfig
	}
	loadGroups := func() ([]regions.Group, bool) {
		if groupsPath == "" {
			return nil, true
		}
		gs, err := regions.LoadGroups(groupsPath, model, time.Time{})
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
