package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/all"
	"github.com/grunnlag/grunnlag/sources/httpx"
)

// ssbBaseURL is the PxWebApi v2 root of Statistics Norway, the source
// `tables` asks when neither --base-url nor a config names one.
const ssbBaseURL = "https://data.ssb.no/api/pxwebapi/v2"

const tablesHelp = `Bruk:
  grunnlag tables search TEKST [--source NAVN] [--side N] [--json] [--lang no|en]
  grunnlag tables show ID [--source NAVN] [--verdier N] [--json] [--lang no|en]

Finner en tabell i en kilde som kan søkes i (PxWebApi: SSB, SCB ...).

  search  tabellene som svarer til TEKST (flere ord søkes sammen, "" gir
          alle): ID, tittel, periode og sist oppdatert, én side om gangen
          (--side N for de neste)
  show    variablene til tabell ID med verdier, om de kan utelates og
          kodelistene deres, og en ferdig datasets:-blokk til
          konfigurasjonen

Kilden er --base-url (en PxWebApi v2-rot), ellers kilden --source i
konfigurasjonen (--config; uten --source den første som kan søkes i,
helst «ssb»), ellers SSBs åpne API (` + ssbBaseURL + `).

Flagg:
`

func tablesCommand() *command {
	return &command{
		name:  "tables",
		short: "finn en tabell i kilden (search TEKST, show ID)",
		run:   runTables,
	}
}

// tablesFlags are the flags of `grunnlag tables`.
type tablesFlags struct {
	config, source, baseURL, lang string
	configSet                     bool
	page, values                  int
	json                          bool
}

func runTables(ctx context.Context, e *env, args []string) int {
	var f tablesFlags
	fs := flag.NewFlagSet("tables", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&f.config, "config", defaultConfig, "konfigurasjonsfil (YAML) med kilden; brukes bare hvis den finnes eller er gitt")
	fs.StringVar(&f.source, "source", "", "kildens navn i konfigurasjonen («ssb» uten konfigurasjon: SSBs åpne API)")
	fs.StringVar(&f.baseURL, "base-url", "", "PxWebApi v2-rot å spørre i stedet for konfigurasjonens kilde")
	fs.StringVar(&f.lang, "lang", "", "språket til tekstene fra kilden (no, en, sv ...); en gir også engelske overskrifter")
	fs.IntVar(&f.page, "side", 1, "search: side nummer N av treffene")
	fs.IntVar(&f.values, "verdier", 5, "show: antall verdier som vises per variabel (0: alle)")
	fs.BoolVar(&f.json, "json", false, "skriv svaret som JSON")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, tablesHelp)
		fs.PrintDefaults()
	}
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	fs.Visit(func(fl *flag.Flag) { f.configSet = f.configSet || fl.Name == "config" })
	if len(pos) < 2 || (pos[0] != "search" && pos[0] != "show") || (pos[0] == "show" && len(pos) != 2) {
		fs.Usage()
		return exitUsage
	}
	if f.page < 1 {
		fmt.Fprintf(e.stderr, "grunnlag tables: --side %d: sidene er nummerert fra 1\n", f.page)
		return exitUsage
	}
	if f.values < 0 {
		fmt.Fprintf(e.stderr, "grunnlag tables: --verdier %d: må være 0 (alle) eller mer\n", f.values)
		return exitUsage
	}
	src, code := tableSource(e, &f)
	if src == nil {
		return code
	}
	t := tablesText(f.lang == "en")
	if pos[0] == "search" {
		text := strings.Join(pos[1:], " ")
		page, err := src.searcher.Search(ctx, sources.SearchQuery{Text: text, Page: f.page})
		if err != nil {
			fmt.Fprintf(e.stderr, "grunnlag tables search: %s: %v\n", src.name, err)
			return exitFailed
		}
		if f.json {
			return writeJSON(e, searchJSON(page))
		}
		printSearch(e.stdout, t, text, page)
		return exitOK
	}
	d, err := src.searcher.Describe(ctx, pos[1])
	if err != nil {
		var he *httpx.HTTPError
		if errors.As(err, &he) && he.Status == http.StatusNotFound {
			fmt.Fprintf(e.stderr, "grunnlag tables show: %s har ingen tabell %q (søk med «grunnlag tables search»): %v\n", src.name, pos[1], err)
		} else {
			fmt.Fprintf(e.stderr, "grunnlag tables show: %s: %v\n", src.name, err)
		}
		return exitFailed
	}
	block, err := datasetsBlock(src.name, d)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag tables show: %v\n", err)
		return exitFailed
	}
	if f.json {
		return writeJSON(e, describeJSON(d, block))
	}
	printTable(e.stdout, t, d, f.values, block)
	return exitOK
}

// tableSrc is the source `tables` asks.
type tableSrc struct {
	name     string
	searcher sources.Searcher
}

// tableSource builds the source the flags name, through the registry of
// kinds: --base-url (kind pxweb), else the config's source (--source, or
// the first that can search, "ssb" first), else SSB's public API. It
// returns nil and the exit code after printing the problem.
func tableSource(e *env, f *tablesFlags) (*tableSrc, int) {
	reg := all.New()
	name := f.source
	if f.baseURL != "" {
		if name == "" {
			name = "ssb"
		}
		return buildSearcher(e.stderr, reg, name, &config.Source{Kind: "pxweb", BaseURL: f.baseURL, Timeout: config.DefaultTimeout}, f.lang)
	}
	var cfg *config.Config
	if _, err := os.Stat(f.config); err == nil || f.configSet {
		var code int
		if cfg, code = loadConfig(e, f.config); cfg == nil {
			return nil, code
		}
	}
	if cfg != nil {
		if name != "" {
			if s, ok := cfg.Sources[name]; ok {
				return buildSearcher(e.stderr, reg, name, s, f.lang)
			}
			if name != "ssb" {
				fmt.Fprintf(e.stderr, "grunnlag tables: --source %q finnes ikke i %s (kilder: %s)\n", name, f.config, strings.Join(cfg.SourceNames(), ", "))
				return nil, exitUsage
			}
		} else {
			names := cfg.SourceNames()
			if i := slices.Index(names, "ssb"); i > 0 {
				names = append([]string{"ssb"}, slices.Delete(names, i, i+1)...)
			}
			for _, n := range names {
				if s, code := buildSearcher(io.Discard, reg, n, cfg.Sources[n], f.lang); s != nil {
					return s, code
				}
			}
			fmt.Fprintf(e.stderr, "grunnlag tables: ingen kilde i %s kan søkes i (kilder: %s); bruk --base-url\n", f.config, strings.Join(cfg.SourceNames(), ", "))
			return nil, exitUsage
		}
	} else if name != "" && name != "ssb" {
		fmt.Fprintf(e.stderr, "grunnlag tables: --source %q: uten konfigurasjon kjennes bare «ssb» (eller bruk --base-url)\n", name)
		return nil, exitUsage
	}
	return buildSearcher(e.stderr, reg, "ssb", &config.Source{Kind: "pxweb", BaseURL: ssbBaseURL, Timeout: config.DefaultTimeout}, f.lang)
}

// buildSearcher builds source name of s's kind and returns it if it can
// search. Problems go to w (e or io.Discard while looking for one).
func buildSearcher(out io.Writer, reg *sources.Registry, name string, s *config.Source, lang string) (*tableSrc, int) {
	fac, ok := reg.Lookup(s.Kind)
	if !ok {
		fmt.Fprintf(out, "grunnlag tables: kilden %s: ukjent kind %q (%s)\n", name, s.Kind, strings.Join(reg.Kinds(), ", "))
		return nil, exitConfig
	}
	sec := *s // the copy carries the section's place in the file for errors
	if lang != "" {
		sec.Params = maps.Clone(s.Params)
		if sec.Params == nil {
			sec.Params = map[string]yaml.Node{}
		}
		sec.Params["lang"] = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: lang}
	}
	hc := &http.Client{Timeout: s.Timeout}
	if s.Bundle != "" {
		b, ok := fac.(sources.Bundler)
		if !ok {
			fmt.Fprintf(out, "grunnlag tables: kilden %s: kind %s kan ikke svare fra bundle\n", name, s.Kind)
			return nil, exitConfig
		}
		rt, err := b.Bundle(s.BaseURL, s.Bundle)
		if err != nil {
			fmt.Fprintf(out, "grunnlag tables: kilden %s: %v\n", name, err)
			return nil, exitConfig
		}
		hc.Transport = rt
	}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelWarn}))
	src, err := fac.New(sources.Env{Name: name, BaseURL: s.BaseURL, HTTP: hc, UserAgent: s.UserAgent, Logger: logger}, sec.Section())
	if err != nil {
		fmt.Fprintf(out, "grunnlag tables: kilden %s: %v\n", name, err)
		return nil, exitConfig
	}
	sr, ok := src.(sources.Searcher)
	if !ok {
		fmt.Fprintf(out, "grunnlag tables: kilden %s (kind %s) kan ikke søkes i\n", name, s.Kind)
		return nil, exitUsage
	}
	return &tableSrc{name: name, searcher: sr}, exitOK
}

// tablesLabels are the words of the output, bokmål or English.
type tablesLabels struct {
	id, title, period, updated, producer, variables, none string
	values, value, more, canOmit, mustSelect, isTime      string
	codelists, pageOf, next, block                        string
}

func tablesText(en bool) tablesLabels {
	if en {
		return tablesLabels{"ID", "Title", "Period", "Last updated", "Producer", "Variables", "No tables match «%s».",
			"values", "value", "… and %d more (--verdier 0 shows all)", "can be left out", "must be selected", "time",
			"codelists", "page %d of %d (%d tables)", "; --side %d for more", "For the config (paste under datasets:, or as is into a config that has none):"}
	}
	return tablesLabels{"ID", "Tittel", "Periode", "Sist oppdatert", "Produsent", "Variabler", "Ingen tabeller svarer til «%s».",
		"verdier", "verdi", "… og %d til (--verdier 0 viser alle)", "kan utelates", "må velges", "tid",
		"kodelister", "side %d av %d (%d tabeller)", "; --side %d for flere", "Til konfigurasjonen (lim inn under datasets:, eller som den er i en konfigurasjon uten):"}
}

// oslo is the zone dates are shown in.
var oslo = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Oslo"); err == nil {
		return l
	}
	return time.UTC
}()

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(oslo).Format("2006-01-02")
}

func period(s sources.TableSummary) string {
	if s.FirstPeriod == "" && s.LastPeriod == "" {
		return ""
	}
	return s.FirstPeriod + "–" + s.LastPeriod
}

func printSearch(w io.Writer, t tablesLabels, text string, p *sources.SearchPage) {
	if len(p.Tables) == 0 && p.Total == 0 {
		fmt.Fprintf(w, t.none+"\n", text)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.id, t.title, t.period, t.updated)
	for _, tb := range p.Tables {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", tb.ID, tb.Title, period(tb), day(tb.Updated))
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintf(w, t.pageOf, p.Page, p.Pages, p.Total)
	if p.Page < p.Pages {
		fmt.Fprintf(w, t.next, p.Page+1)
	}
	fmt.Fprintln(w)
}

func printTable(w io.Writer, t tablesLabels, d *sources.TableDescription, show int, block string) {
	p := func(label, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-16s %s\n", label+":", v)
		}
	}
	p(t.id, d.ID)
	p(t.title, d.Title)
	p(t.period, period(d.TableSummary))
	p(t.updated, day(d.Updated))
	p(t.producer, d.Producer)
	fmt.Fprintf(w, "\n%s:\n", t.variables)
	for _, v := range d.Variables {
		n := t.values
		if len(v.Values) == 1 {
			n = t.value
		}
		how := t.mustSelect
		switch {
		case v.Time:
			how = t.isTime
		case v.Elimination:
			how = t.canOmit
		}
		fmt.Fprintf(w, "  %s  %s  (%d %s; %s)\n", v.Code, v.Label, len(v.Values), n, how)
		if len(v.Codelists) > 0 {
			var cls []string
			for _, cl := range v.Codelists {
				cls = append(cls, cl.ID+" «"+cl.Label+"»")
			}
			fmt.Fprintf(w, "      %s: %s\n", t.codelists, strings.Join(cls, ", "))
		}
		k := len(v.Values)
		if show > 0 && k > show {
			k = show
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, val := range v.Values[:k] {
			unit := ""
			if val.Unit != "" {
				unit = "\t(" + val.Unit + ")"
			}
			fmt.Fprintf(tw, "      %s\t%s%s\n", val.Code, val.Label, unit)
		}
		tw.Flush()
		if k < len(v.Values) {
			fmt.Fprintf(w, "      "+t.more+"\n", len(v.Values)-k)
		}
	}
	fmt.Fprintf(w, "\n%s\n\n%s", t.block, block)
}

// datasetID makes a config dataset ID (lower-case snake_case starting
// with a letter) from a table ID: "TAB001" -> "tab001", "09429" ->
// "tabell_09429".
func datasetID(table string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(table) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	id := b.String()
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = "tabell_" + id
	}
	return id
}

// datasetsBlock returns the `datasets:` YAML block reading the whole of d
// from source: the shared keys (source, table, title) and the kind's own
// (d.DatasetKeys).
func datasetsBlock(source string, d *sources.TableDescription) (string, error) {
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	ds := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		str("source"), str(source), str("table"), str(d.ID)}}
	if d.Title != "" {
		ds.Content = append(ds.Content, str("title"), str(d.Title))
	}
	if d.DatasetKeys != nil {
		var kn *yaml.Node
		if m, ok := d.DatasetKeys.(yaml.Marshaler); ok {
			v, err := m.MarshalYAML()
			if err != nil {
				return "", fmt.Errorf("table %s: the dataset keys: %w", d.ID, err)
			}
			kn, _ = v.(*yaml.Node)
		}
		if kn == nil {
			kn = &yaml.Node{}
			if err := kn.Encode(d.DatasetKeys); err != nil {
				return "", fmt.Errorf("table %s: the dataset keys: %w", d.ID, err)
			}
		}
		if kn.Kind != yaml.MappingNode {
			return "", fmt.Errorf("table %s: the dataset keys are not a mapping", d.ID)
		}
		ds.Content = append(ds.Content, kn.Content...)
	}
	id := str(datasetID(d.ID))
	id.LineComment = "# endre ID-en om du vil: små bokstaver, tall og _"
	doc := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{str("datasets"),
		{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{id, ds}}}}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return "", fmt.Errorf("table %s: the datasets block: %w", d.ID, err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("table %s: the datasets block: %w", d.ID, err)
	}
	return b.String(), nil
}

// tableJSON is a table in --json output.
type tableJSON struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	FirstPeriod  string   `json:"first_period,omitempty"`
	LastPeriod   string   `json:"last_period,omitempty"`
	Updated      string   `json:"updated,omitempty"` // RFC 3339, UTC
	Variables    []string `json:"variables,omitempty"`
	Discontinued bool     `json:"discontinued,omitempty"`
}

func tableOf(s sources.TableSummary) tableJSON {
	t := tableJSON{ID: s.ID, Title: s.Title, FirstPeriod: s.FirstPeriod, LastPeriod: s.LastPeriod,
		Variables: s.Variables, Discontinued: s.Discontinued}
	if !s.Updated.IsZero() {
		t.Updated = s.Updated.UTC().Format(time.RFC3339)
	}
	return t
}

type searchOut struct {
	Page   int         `json:"page"`
	Pages  int         `json:"pages"`
	Total  int         `json:"total"`
	Tables []tableJSON `json:"tables"`
}

func searchJSON(p *sources.SearchPage) searchOut {
	out := searchOut{Page: p.Page, Pages: p.Pages, Total: p.Total, Tables: []tableJSON{}}
	for _, t := range p.Tables {
		out.Tables = append(out.Tables, tableOf(t))
	}
	return out
}

type describeOut struct {
	ID            string         `json:"id"`
	Title         string         `json:"title"`
	FirstPeriod   string         `json:"first_period,omitempty"`
	LastPeriod    string         `json:"last_period,omitempty"`
	Updated       string         `json:"updated,omitempty"` // RFC 3339, UTC
	Producer      string         `json:"producer,omitempty"`
	Variables     []variableJSON `json:"variables"`
	DatasetsBlock string         `json:"datasets_block"`
}

type variableJSON struct {
	Code        string         `json:"code"`
	Label       string         `json:"label"`
	Time        bool           `json:"time"`
	Elimination bool           `json:"elimination"`
	Values      []valueJSON    `json:"values"`
	Codelists   []codelistJSON `json:"codelists"`
}

type valueJSON struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Unit  string `json:"unit,omitempty"`
}

type codelistJSON struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Type  string `json:"type"`
}

func describeJSON(d *sources.TableDescription, block string) describeOut {
	t := tableOf(d.TableSummary)
	out := describeOut{ID: t.ID, Title: t.Title, FirstPeriod: t.FirstPeriod, LastPeriod: t.LastPeriod, Updated: t.Updated,
		Producer: d.Producer, DatasetsBlock: block, Variables: []variableJSON{}}
	for _, v := range d.Variables {
		vj := variableJSON{Code: v.Code, Label: v.Label, Time: v.Time, Elimination: v.Elimination, Values: []valueJSON{}, Codelists: []codelistJSON{}}
		for _, val := range v.Values {
			vj.Values = append(vj.Values, valueJSON(val))
		}
		for _, cl := range v.Codelists {
			vj.Codelists = append(vj.Codelists, codelistJSON(cl))
		}
		out.Variables = append(out.Variables, vj)
	}
	return out
}

func writeJSON(e *env, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(e.stderr, "grunnlag tables: %v\n", err)
		return exitFailed
	}
	return exitOK
}
