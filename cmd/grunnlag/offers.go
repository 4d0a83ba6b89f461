package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/offers"
	"github.com/grunnlag/grunnlag/pipelines/store"
	srcoffers "github.com/grunnlag/grunnlag/sources/offers"
)

const offersHelp = `Bruk:
  grunnlag offers validate FIL [--config F] [--mapping MAPPING.yaml]
  grunnlag offers template [--format csv|xlsx] [--out FIL]
  grunnlag offers build [--config F] [--error-budget N]

«offers validate» kontrollerer en tilbudskatalog (CSV eller XLSX) uten å lagre
noe. Hvert problem skrives på én linje som

  FIL:RAD:KOLONNE: VERDI: GRUNN

der RAD telles som i et regneark (overskriften er rad 1). Kontrollene er
organisasjonsnummer (MOD11), kommunenummer i regionmodellen, påkrevde felt,
tillatte verdier (type, nivå, form), NKR-nivå 1-8, NUS-fagfelt, STYRK-08-koder,
SN2007-næringer, kompetanseområder i krysslisten, tall (kapasitet, studiepoeng,
varighet, pris), nettadresser, gronn (ja, nei eller tom) og duplikater. Uten
--mapping må filen følge standardmalen («grunnlag offers template»):

  ` + "tilbyder;orgnr;tittel;type;niva;nkr;nus;kompetanseomrade;styrk;naering;kommunenr;form;start;varighet_uker;studiepoeng;kapasitet;pris;lenke;gronn" + `

«offers build» leser katalogen i offers-delen av konfigurasjonen, publiserer
datasettet tilbud og kobler det med de kartlagte behovene (needs_vs_supply)
til behov_tilbud (se README: regelen for kobling).

Avslutningskode 0 når filen er feilfri, 1 når den har problemer.

Flagg:
`

// offersCommand is `grunnlag offers`.
func offersCommand() *command {
	return &command{name: "offers", short: "tilbudskatalogen: kontroller (validate), mal (template), bygg og koble med behov (build)", run: runOffers}
}

func runOffers(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "build":
			return runOffersBuild(ctx, e, args[1:])
		case "template":
			return runOffersTemplate(e, args[1:])
		}
	}
	fs := flag.NewFlagSet("offers", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	mapping := fs.String("mapping", "", "mappingfil (YAML) for kataloger som ikke følger standardmalen")
	src := regionSource{config: defaultConfig}
	fs.StringVar(&src.config, "config", defaultConfig, "konfigurasjonsfil (YAML); kommunenumrene kontrolleres mot regionmodellen i dens regions-del")
	fs.StringVar(&src.klassDir, "klass", "", "katalog med KLASS-svar (offline kopi) i stedet for regions.bundle i konfigurasjonen")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, offersHelp)
		fs.PrintDefaults()
	}
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) != 2 || pos[0] != "validate" {
		fmt.Fprintln(e.stderr, "grunnlag offers: bruk «grunnlag offers validate FIL», «grunnlag offers template» eller «grunnlag offers build»")
		fs.Usage()
		return exitUsage
	}
	file := pos[1]
	var m *srcoffers.Mapping
	if *mapping != "" {
		var err error
		if m, err = srcoffers.LoadMappingFile(*mapping); err != nil {
			fmt.Fprintf(e.stderr, "grunnlag offers: ugyldig mapping:\n%v\n", err)
			return exitConfig
		}
	}
	fs.Visit(func(f *flag.Flag) { src.configSet = src.configSet || f.Name == "config" })
	model, _, err := src.load(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag offers: kunne ikke lese regionmodellen: %v\n", err)
		return exitConfig
	}
	cw, err := needs.DefaultCrosswalk()
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag offers: krysslisten: %v\n", err)
		return exitConfig
	}
	occ, err := needs.DefaultOccupations()
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag offers: STYRK-08: %v\n", err)
		return exitConfig
	}
	c, err := srcoffers.ReadFile(file, m, srcoffers.Options{Regions: needs.RegionChecker{Model: model}, Date: todayOslo(),
		Areas: cw.Known, Occupations: occ.Known})
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag offers: %s: %v\n", file, err)
		return exitFailed
	}
	for _, p := range c.Problems {
		fmt.Fprintln(e.stdout, p.String())
	}
	if len(c.Problems) > 0 {
		fmt.Fprintf(e.stderr, "%s: %d problemer, %d av %d rader avvist\n", file, len(c.Problems), len(c.Rejected), c.Rows)
		return exitFailed
	}
	fmt.Fprintf(e.stderr, "%s: %d tilbud, ingen problemer\n", file, c.Rows)
	return exitOK
}

// todayOslo is today's date in Europe/Oslo, as midnight UTC.
func todayOslo() time.Time {
	t := time.Now().In(osloLocation())
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// runOffersTemplate is `grunnlag offers template`.
func runOffersTemplate(e *env, args []string) int {
	var format, out string
	fs := newFlagSet(e, "offers template", "offers template [--format csv|xlsx] [--out FIL]",
		"Skriver standardmalen for tilbudskatalogen: CSV (overskriftslinjen, ';'-skilt, UTF-8) til standard ut,\n"+
			"eller XLSX (arket Tilbud med overskriften og arket Veiledning som forklarer hver kolonne) til --out.")
	fs.StringVar(&format, "format", "", "csv eller xlsx (standard: fra filnavnet i --out, ellers csv)")
	fs.StringVar(&out, "out", "", "skriv malen til denne filen (atomisk) i stedet for standard ut")
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
		fs.Usage()
		return exitUsage
	}
	if format == "" {
		format = "csv"
		if strings.EqualFold(filepath.Ext(out), ".xlsx") {
			format = "xlsx"
		}
	}
	write := srcoffers.WriteTemplateCSV
	switch format {
	case "csv":
	case "xlsx":
		write = srcoffers.WriteTemplateXLSX
		if out == "" {
			fmt.Fprintln(e.stderr, "grunnlag offers template: XLSX skrives bare til en fil: oppgi --out FIL.xlsx")
			return exitUsage
		}
	default:
		fmt.Fprintf(e.stderr, "grunnlag offers template: ukjent format %q (csv eller xlsx)\n", format)
		return exitUsage
	}
	if out == "" {
		if err := write(e.stdout); err != nil {
			fmt.Fprintf(e.stderr, "grunnlag offers template: %v\n", err)
			return exitFailed
		}
		return exitOK
	}
	if err := store.WriteFileAtomic(out, func(w io.Writer) error { return write(w) }); err != nil {
		fmt.Fprintf(e.stderr, "grunnlag offers template: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(e.stderr, "mal skrevet til %s\n", out)
	return exitOK
}

// runOffersBuild is `grunnlag offers build`.
func runOffersBuild(ctx context.Context, e *env, args []string) int {
	b := &buildCmd{name: "offers build", section: "offers", hint: "se pipelines/config, type Offers",
		has: func(c *config.Config) bool { return c.Offers != nil }}
	be, code := b.setup(ctx, e, args, "offers build [--config F] [--error-budget N]",
		"Leser tilbudskatalogen i offers-delen av konfigurasjonen, kontrollerer den, beriker tilbyderne fra\n"+
			"Enhetsregisteret (needs.register), publiserer tilbud og kobler behovene i needs_vs_supply med\n"+
			"tilbudene innen rekkevidde til behov_tilbud. Prikkede behov forblir prikket. Avslutningskode 1\n"+
			"når flere rader er avvist enn feilbudsjettet tillater; da publiseres ingenting.",
		"antall avviste rader som tåles (overstyrer offers.error_budget; standard: ingen)")
	if be == nil {
		return code
	}
	opt, err := offers.FromConfig(be.cfg, be.model, be.groups, todayOslo())
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag offers build: %v\n", err)
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
	res, err := offers.Build(ctx, st, opt)
	if err != nil {
		if errors.Is(err, offers.ErrProblems) && res != nil {
			for _, p := range res.Problems {
				fmt.Fprintln(e.stdout, p.String())
			}
		}
		fmt.Fprintf(e.stderr, "grunnlag offers build: %v\n", err)
		return exitFailed
	}
	printOffersBuild(e.stdout, res)
	return exitOK
}

// printOffersBuild writes the bokmål summary of an offers build.
func printOffersBuild(w io.Writer, res *offers.Result) {
	fmt.Fprintf(w, "tilbudskatalog: %d rader, %d godtatt, %d avvist, %d tilbydere ukjent i Enhetsregisteret\n", res.Rows, res.Accepted, res.Rejected, res.NotInRegister)
	version := func(id string, v *store.Version) {
		if v.Unchanged {
			fmt.Fprintf(w, "%-14s uendret, versjon %s\n", id, v.Stamp)
			return
		}
		fmt.Fprintf(w, "%-14s ny versjon %s\n", id, v.Stamp)
	}
	version(offers.DatasetOffers, res.Offers)
	if res.NeedsMissing {
		fmt.Fprintln(w, "ingen kartlagte behov i kunnskapsbasen (kjør «grunnlag survey build» først): behov_tilbud ikke bygget")
		return
	}
	version(offers.DatasetMatches, res.Matches)
	fmt.Fprintf(w, "behov: %d (%d prikket), %d uten tilbud innen rekkevidde; tilbud uten kartlagt behov: %d\n", res.Needs, res.Suppressed, res.Unmet, res.Idle)
}
