// Package config reads grunnlag's YAML configuration.
//
// The format is strict: unknown keys are errors, and Validate reports every
// problem at once rather than the first one. An unknown key or a badly
// typed value is reported with its line and, for a key, the nearest valid
// key at that place (*KeyError, *ValueError):
//
//	ukjent nøkkel «retension» på linje 2; mente du «retention»?
//
// Every duration (a source's timeout, a dataset's expect, the schedule's
// backfill, stale_check and every, a webhook's timeout) takes Go's units
// (90s, 30m, 6h) and also days and years: a day "d" is 24 hours and a year
// "y" 365 days, so "31d" is 744h and "1y" 8760h (ParseDuration). Defaults are applied before
// validation. Relative paths (kb, a source's bundle) are resolved against the
// directory of the config file, so a scheduled job finds the same files
// whatever its working directory.
//
// A minimal config:
//
//	kb: ./kb
//	sources:
//	  ssb: {kind: pxweb, base_url: "https://data.ssb.no/api/pxwebapi/v2", lang: "no"}
//	datasets:
//	  utdanningsniva:
//	    source: ssb
//	    table: "09429"
//	    select:
//	      Region: {codelist: agg_KommSummer, values: ["*"]}
//	      Nivaa: ["*"]
//	      Kjonn: ["0"]
//	      ContentsCode: ["Personer", "PersonerProsent"]
//	      Tid: ["top(10)"]
//
// A variable's selection is either a list of value expressions (codes, "*",
// masks such as "2020*", "top(n)", "bottom(n)", "from(x)", "to(x)",
// "range(a,b)") or a mapping with codelist, values and output_values.
//
// The optional `needs:` section configures the company-needs survey build
// (`grunnlag survey build`): the survey file and its mapping, the company
// register (Enhetsregisteret bulk files, optionally the API or recorded
// responses of it), the error budget, the disclosure rule (min_firms,
// dominance), the stratum level and the bootstrap seed. Needs documents
// every key with an example.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Source kinds known to this build. Adding a kind is one line here and one
// case where pipelines builds clients.
var knownKinds = map[string]bool{"pxweb": true, "nav": true, "udir": true, "dbh": true}

// Config is the whole configuration file.
type Config struct {
	// KB is the knowledge base directory (default "./kb", relative to the config file).
	KB string `yaml:"kb"`
	// Retention is how many versions of each dataset are kept (default 10; 0 keeps all).
	Retention *int `yaml:"retention"`
	// PastDays bounds the window in which one /tables?pastDays= request may answer
	// for many tables at once (default 7; 0 disables the shortcut).
	PastDays *int `yaml:"past_days"`
	// Sources by name.
	Sources map[string]*Source `yaml:"sources"`
	// Datasets by stable snake_case ID.
	Datasets map[string]*Dataset `yaml:"datasets"`
	// Regions says where the region model (KLASS) comes from; file and
	// report sources use it to validate region codes and resolve names.
	Regions *Regions `yaml:"regions"`
	// Schedule and Notify are read by `grunnlag serve` (optional; see schedule.go).
	Schedule *Schedule `yaml:"schedule"`
	Notify   *Notify   `yaml:"notify"`
	// Needs is the optional company-needs survey section (needs.go).
	Needs *Needs `yaml:"needs"`

	// Path is the file the config was read from ("" when parsed from a reader).
	Path string `yaml:"-"`
}

// Regions is the KLASS classification service the region model is read
// from, and the range of dates it covers.
type Regions struct {
	// KLASS is the API's base URL (default https://data.ssb.no/api/klass/v1).
	KLASS string `yaml:"klass"`
	// Bundle, when set, answers from bundled KLASS responses instead (offline).
	Bundle string `yaml:"bundle"`
	// From and To bound the classification history read (YYYY-MM-DD; To is
	// exclusive). Defaults: 2013-01-01 and 2025-01-01, the range the bundled
	// copy answers.
	From string `yaml:"from"`
	To   string `yaml:"to"`
	// Groups is a YAML file of custom groupings (regional councils and the
	// like), e.g. testdata/regions/grupper-trondelag.yaml; "" means none.
	Groups string `yaml:"groups"`
}

// Source is one statistics API.
type Source struct {
	Kind    string `yaml:"kind"`
	BaseURL string `yaml:"base_url"`
	Lang    string `yaml:"lang"`
	// APIVersion is "v2", "v1" or "" (detect).
	APIVersion string `yaml:"api_version"`
	// Bundle, when set, serves this source from bundled PxWebApi table files
	// (the offline demo) instead of the network.
	Bundle string `yaml:"bundle"`
	// Timeout for one HTTP request (default 60s).
	Timeout time.Duration `yaml:"timeout"`
	// Licence and Attribution are written into every snapshot and dataset.
	Licence     string `yaml:"licence"`
	Attribution string `yaml:"attribution"`
	// UserAgent overrides the default User-Agent.
	UserAgent string `yaml:"user_agent"`
}

// Dataset is one table pulled from a source.
type Dataset struct {
	Source string `yaml:"source"`
	Table  string `yaml:"table"`
	// Title overrides the source's title in status output.
	Title string `yaml:"title"`
	// Unit is a free description of the measure's unit(s).
	Unit string `yaml:"unit"`
	// Select maps a variable code to its selection.
	Select map[string]*VarSelect `yaml:"select"`
	// Expect is the expected update interval (e.g. 8760h for yearly); used by status for freshness.
	Expect time.Duration `yaml:"expect"`
	// Synthetic marks a dataset whose source data is made up (demo data
	// that does not say so itself); it is carried into the catalog, the
	// Parquet metadata and status.
	Synthetic bool `yaml:"synthetic"`

	// File sources (kind nav): where the file is, the mapping that reads it
	// (a shipped mapping name such as nav-hovedtall, or a path), and
	// constants for files that do not name their region or period.
	URL         string `yaml:"url"`
	Mapping     string `yaml:"mapping"`
	Region      string `yaml:"region"`
	RegionLabel string `yaml:"region_label"`
	Period      string `yaml:"period"`
	CountyLevel bool   `yaml:"county_level"`

	// Report sources (kind udir): the report page code (resolved to its
	// data path on every run), the row level, the filters (filter ID to
	// values; "siste" picks the latest), and an optional column dimension.
	Report    string              `yaml:"report"`
	RowPath   string              `yaml:"row_path"`
	Filter    map[string][]string `yaml:"filter"`
	ColumnDim string              `yaml:"column_dim"`

	// DBH table queries (kind dbh).
	DBH *DBHQuery `yaml:"dbh"`
}

// DBHQuery is a hentJSONTabellData query and how to read its rows.
type DBHQuery struct {
	Table   int                 `yaml:"table"`
	GroupBy []string            `yaml:"group_by"`
	SortBy  []string            `yaml:"sort_by"`
	Filter  map[string][]string `yaml:"filter"` // item filters: variable to values
	// RegionColumn, PeriodColumn and Value name the response columns.
	RegionColumn      string `yaml:"region_column"`
	RegionLabelColumn string `yaml:"region_label_column"`
	PeriodColumn      string `yaml:"period_column"`
	Value             string `yaml:"value"`
	// Dims are further dimensions: ID to its code and label columns.
	Dims map[string]DBHDim `yaml:"dims"`
}

// DBHDim is one extra dimension of a DBH query.
type DBHDim struct {
	Column      string `yaml:"column"`
	LabelColumn string `yaml:"label_column"`
	Label       string `yaml:"label"`
}

// VarSelect is one variable's selection.
type VarSelect struct {
	Codelist     string   `yaml:"codelist"`
	Values       []string `yaml:"values"`
	OutputValues string   `yaml:"output_values"`
}

// UnmarshalYAML accepts a plain list of values or the full mapping.
func (v *VarSelect) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.SequenceNode {
		return n.Decode(&v.Values)
	}
	if n.Kind == yaml.ScalarNode {
		v.Values = []string{n.Value}
		return nil
	}
	type plain VarSelect
	dec := plain{}
	// Decode the mapping strictly: yaml.v3 only checks known fields through a
	// Decoder, so check keys by hand.
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a selection is a list of values or a mapping", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k := n.Content[i].Value; k {
		case "codelist", "values", "output_values":
		default:
			return fmt.Errorf("line %d: unknown key %q in a selection (codelist, values, output_values)", n.Content[i].Line, k)
		}
	}
	if err := n.Decode(&dec); err != nil {
		return err
	}
	*v = VarSelect(dec)
	return nil
}

// Defaults.
const (
	DefaultKB        = "kb"
	DefaultRetention = 10
	DefaultPastDays  = 7
	DefaultTimeout   = 60 * time.Second
)

// Load reads, defaults and validates the config file at path.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(bytes.NewReader(b))
	if err != nil {
		var multi interface{ Unwrap() []error }
		if errors.As(err, &multi) && len(multi.Unwrap()) > 1 {
			return nil, fmt.Errorf("config: %s:\n%w", path, err)
		}
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c.Path = abs
	c.resolve(filepath.Dir(abs))
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config: %s:\n%w", path, err)
	}
	return c, nil
}

// Parse decodes a config strictly and applies defaults. It does not
// validate; Load does both.
func Parse(r io.Reader) (*Config, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty")
		}
		return nil, fmt.Errorf("ugyldig YAML: %w", err)
	}
	// Strictness is checked on the node tree rather than with the
	// decoder's KnownFields, so that every unknown key and every badly
	// typed value is reported at once, with its line and the nearest
	// valid key, and so that durations may be written in days and years.
	var errs []error
	checkNode(&doc, reflect.TypeFor[Config](), "", &errs)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c := &Config{}
	if err := doc.Decode(c); err != nil {
		return nil, fmt.Errorf("ugyldig verdi: %w", err)
	}
	c.applyDefaults()
	return c, nil
}

func (c *Config) applyDefaults() {
	if c.KB == "" {
		c.KB = DefaultKB
	}
	if c.Retention == nil {
		n := DefaultRetention
		c.Retention = &n
	}
	if c.PastDays == nil {
		n := DefaultPastDays
		c.PastDays = &n
	}
	if r := c.Regions; r != nil {
		if r.KLASS == "" {
			r.KLASS = "https://data.ssb.no/api/klass/v1"
		}
		if r.From == "" {
			r.From = "2013-01-01"
		}
		if r.To == "" {
			r.To = "2025-01-01"
		}
	}
	for _, s := range c.Sources {
		if s == nil {
			continue
		}
		if s.Timeout == 0 {
			s.Timeout = DefaultTimeout
		}
		if s.Lang == "" {
			s.Lang = "no"
		}
	}
	c.applyScheduleDefaults()
	c.Needs.applyDefaults()
}

func (c *Config) resolve(dir string) {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.KB = abs(c.KB)
	if c.Regions != nil {
		c.Regions.Bundle = abs(c.Regions.Bundle)
		c.Regions.Groups = abs(c.Regions.Groups)
	}
	for _, s := range c.Sources {
		if s != nil {
			s.Bundle = abs(s.Bundle)
		}
	}
	c.resolveSchedule(abs)
	c.Needs.resolve(abs)
}

var idRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Validate returns every problem in the config at once, joined.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if *c.Retention < 0 {
		bad("retention: must be 0 (keep all) or more, got %d", *c.Retention)
	}
	if *c.PastDays < 0 || *c.PastDays > 365 {
		bad("past_days: must be between 0 and 365, got %d", *c.PastDays)
	}
	if len(c.Sources) == 0 {
		bad("sources: at least one source is needed")
	}
	if r := c.Regions; r != nil {
		from, errFrom := time.Parse("2006-01-02", r.From)
		to, errTo := time.Parse("2006-01-02", r.To)
		if errFrom != nil {
			bad("regions.from: %q is not a date (YYYY-MM-DD)", r.From)
		}
		if errTo != nil {
			bad("regions.to: %q is not a date (YYYY-MM-DD)", r.To)
		}
		if errFrom == nil && errTo == nil && !from.Before(to) {
			bad("regions: from %s is not before to %s", r.From, r.To)
		}
		if r.Bundle != "" {
			if fi, err := os.Stat(r.Bundle); err != nil || !fi.IsDir() {
				bad("regions.bundle: %s is not a directory", r.Bundle)
			}
		}
		if r.Groups != "" {
			if _, err := os.Stat(r.Groups); err != nil {
				bad("regions.groups: %v", err)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Sources)) {
		s := c.Sources[name]
		at := "sources." + name
		if !idRE.MatchString(name) {
			bad("%s: a source name is lower-case letters, digits and _", at)
		}
		if s == nil {
			bad("%s: empty", at)
			continue
		}
		if !knownKinds[s.Kind] {
			bad("%s.kind: %q is not a known kind (%s)", at, s.Kind, strings.Join(slices.Sorted(maps.Keys(knownKinds)), ", "))
		}
		if u, err := url.Parse(s.BaseURL); s.BaseURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("%s.base_url: %q is not an http(s) URL", at, s.BaseURL)
		}
		switch s.APIVersion {
		case "", "v1", "v2":
		default:
			bad("%s.api_version: %q is not v1, v2 or empty", at, s.APIVersion)
		}
		if s.Timeout < 0 {
			bad("%s.timeout: negative", at)
		}
		if s.Bundle != "" {
			if fi, err := os.Stat(s.Bundle); err != nil || !fi.IsDir() {
				bad("%s.bundle: %s is not a directory", at, s.Bundle)
			}
		}
	}
	if len(c.Datasets) == 0 {
		bad("datasets: at least one dataset is needed")
	}
	for _, id := range slices.Sorted(maps.Keys(c.Datasets)) {
		d := c.Datasets[id]
		at := "datasets." + id
		if !idRE.MatchString(id) {
			bad("%s: a dataset ID is lower-case letters, digits and _ (stable snake_case)", at)
		}
		if d == nil {
			bad("%s: empty", at)
			continue
		}
		src, ok := c.Sources[d.Source]
		if !ok {
			bad("%s.source: %q is not a configured source", at, d.Source)
		}
		kind := ""
		if src != nil {
			kind = src.Kind
		}
		switch kind {
		case "pxweb":
			if d.Table == "" {
				bad("%s.table: missing", at)
			}
			if len(d.Select) == 0 {
				bad("%s.select: at least one variable (the time variable cannot be left out in PxWebApi v2)", at)
			}
		case "nav":
			if d.URL == "" {
				bad("%s.url: a file source needs the file's URL", at)
			}
			if d.Mapping == "" {
				bad("%s.mapping: a file source needs a mapping (a shipped name or a path)", at)
			}
		case "udir":
			if d.Report == "" {
				bad("%s.report: a Udir dataset needs its report page code (e.g. FOY_LK_FylkUtdprogAar)", at)
			}
		case "dbh":
			if d.DBH == nil || d.DBH.Table <= 0 || d.DBH.Value == "" || d.DBH.RegionColumn == "" {
				bad("%s.dbh: a DBH dataset needs table, value and region_column", at)
			}
		}
		if kind != "pxweb" && kind != "" && len(d.Select) > 0 {
			bad("%s.select: only for pxweb sources", at)
		}
		for _, v := range slices.Sorted(maps.Keys(d.Select)) {
			s := d.Select[v]
			if s == nil || len(s.Values) == 0 {
				bad("%s.select.%s: no values", at, v)
				continue
			}
			switch s.OutputValues {
			case "", "aggregated", "single":
			default:
				bad("%s.select.%s.output_values: %q is not aggregated or single", at, v, s.OutputValues)
			}
			if s.OutputValues != "" && s.Codelist == "" {
				bad("%s.select.%s.output_values: only with a codelist", at, v)
			}
			for _, val := range s.Values {
				if strings.TrimSpace(val) == "" {
					bad("%s.select.%s: an empty value", at, v)
				}
			}
		}
		if d.Expect < 0 {
			bad("%s.expect: negative", at)
		}
	}
	c.validateSchedule(bad)
	c.Needs.validate(bad)
	return errors.Join(errs...)
}

// DatasetIDs returns the dataset IDs in sorted order.
func (c *Config) DatasetIDs() []string { return slices.Sorted(maps.Keys(c.Datasets)) }

// SourceNames returns the source names in sorted order.
func (c *Config) SourceNames() []string { return slices.Sorted(maps.Keys(c.Sources)) }
