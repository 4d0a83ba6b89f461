package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/indicators"
)

const indicatorsHelp = `Bruk:
  grunnlag indicators list [--lang nb|en]
  grunnlag indicators show ID [--lang nb|en] [--config F]

Viser indikatorkatalogen.

  list   én indikator per linje, tabulatorseparert med overskriftslinje:
         id, tittel, enhet, nivåer, datasett, tema
  show   én indikator med enhet, desimaler, tema, formel, teller, nevner,
         datasett og filtre, sammenligninger, retning, prikkeregel og
         kilder (og forbehold der indikatoren har dem); med en konfigurasjon også om den beregnes eller hoppes
         over (og hvorfor)

Flagg:
`

func indicatorsCommand() *command {
	return &command{
		name:  "indicators",
		short: "vis indikatorkatalogen (list, show ID)",
		run:   runIndicators,
	}
}

func runIndicators(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("indicators", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	lang := fs.String("lang", "nb", "språk: nb (bokmål) eller en (engelsk)")
	cfgPath := fs.String("config", "", "konfigurasjonsfil: vis om indikatoren beregnes med datasettene der")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, indicatorsHelp)
		fs.PrintDefaults()
	}
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	if *lang != "nb" && *lang != "en" {
		fmt.Fprintf(e.stderr, "grunnlag indicators: --lang %q: velg nb eller en\n", *lang)
		return exitUsage
	}
	reg, err := indicators.NewCatalog(indicators.Catalog()...)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag indicators: %v\n", err)
		return exitFailed
	}
	en := *lang == "en"
	switch {
	case len(pos) == 1 && pos[0] == "list":
		fmt.Fprintln(e.stdout, "id\ttitle\tunit\tlevels\tdatasets\ttheme")
		for _, ind := range reg.All() {
			title := ind.Title
			if en {
				title = ind.TitleEN
			}
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\t%s\t%s\n", ind.ID, title, ind.Unit, strings.Join(ind.Levels, ","), strings.Join(datasetsOf(ind), ","), themeTitle(ind, en))
		}
		return exitOK
	case len(pos) == 2 && pos[0] == "show":
		ind, ok := reg.Lookup(pos[1])
		if !ok {
			fmt.Fprintf(e.stderr, "grunnlag indicators show: ukjent indikator %q (se «grunnlag indicators list»)\n", pos[1])
			return exitFailed
		}
		var have func(string) bool
		path := *cfgPath
		if path == "" {
			if _, err := os.Stat(defaultConfig); err == nil {
				path = defaultConfig
			}
		}
		if path != "" {
			cfg, code := loadConfig(e, path)
			if cfg == nil {
				return code
			}
			have = func(ds string) bool { _, ok := cfg.Datasets[ds]; return ok }
		}
		showIndicator(e, ind, en, have, path)
		return exitOK
	}
	fs.Usage()
	return exitUsage
}

func datasetsOf(ind *indicators.Indicator) []string {
	var out []string
	seen := map[string]bool{}
	for _, in := range ind.Inputs {
		if !seen[in.Dataset] {
			seen[in.Dataset] = true
			out = append(out, in.Dataset)
		}
	}
	return out
}

func showIndicator(e *env, ind *indicators.Indicator, en bool, have func(string) bool, cfgPath string) {
	w := e.stdout
	pr := ind.ProseIn(en)
	labels := []string{"ID", "Tittel", "Beskrivelse", "Enhet", "Formel", "Teller", "Nevner", "Datasett", "Nivåer", "Sammenligninger", "Retning", "Grunnlag", "Prikking", "Kilder", "Sitering", "Status", "Tema", "Desimaler", "Forbehold"}
	if en {
		labels = []string{"ID", "Title", "Description", "Unit", "Formula", "Numerator", "Denominator", "Datasets", "Levels", "Comparators", "Direction", "Basis", "Disclosure", "Sources", "Citation", "Status", "Theme", "Decimals", "Caveats"}
	}
	theme := themeTitle(ind, en)
	p := func(i int, v string) { fmt.Fprintf(w, "%-16s %s\n", labels[i]+":", v) }
	p(0, ind.ID)
	p(1, pr.Title)
	p(2, pr.Description)
	p(3, ind.Unit)
	p(17, strconv.Itoa(ind.Decimals))
	p(16, theme)
	p(4, pr.Formula)
	p(5, pr.Numerator)
	p(6, pr.Denominator)
	p(7, "")
	for _, in := range ind.Inputs {
		opt := ""
		switch {
		case in.Optional && en:
			opt = " (optional)"
		case in.Optional:
			opt = " (valgfri)"
		}
		fmt.Fprintf(w, "  %-28s %-16s %s%s\n", in.Dataset, in.RoleIn(en), in.FilterTextIn(en), opt)
	}
	p(8, strings.Join(ind.Levels, ", "))
	var cs []string
	for _, c := range ind.Comparators {
		cs = append(cs, string(c))
	}
	p(9, strings.Join(cs, ", "))
	p(10, string(ind.Direction))
	p(11, string(ind.Basis))
	p(12, pr.Disclosure)
	p(13, strings.Join(pr.Sources, "; "))
	p(14, pr.Citation)
	if pr.Caveats != "" {
		p(18, pr.Caveats)
	}
	switch {
	case have == nil && en:
		p(15, "unknown (no configuration; use --config)")
	case have == nil:
		p(15, "ukjent (ingen konfigurasjon; bruk --config)")
	default:
		miss := ind.MissingInputs(have)
		switch {
		case len(miss) > 0 && en:
			p(15, fmt.Sprintf("skipped with %s: datasets %s missing", cfgPath, strings.Join(miss, ", ")))
		case len(miss) > 0:
			p(15, fmt.Sprintf("hoppes over med %s: mangler datasett %s", cfgPath, strings.Join(miss, ", ")))
		case en:
			p(15, fmt.Sprintf("computed with %s", cfgPath))
		default:
			p(15, fmt.Sprintf("beregnes med %s", cfgPath))
		}
	}
}

// themeTitle is the title of the indicator's theme (its ID if unknown).
func themeTitle(ind *indicators.Indicator, en bool) string {
	for _, t := range indicators.Themes() {
		if t.ID == ind.Theme {
			if en {
				return t.TitleEN
			}
			return t.Title
		}
	}
	return ind.Theme
}
