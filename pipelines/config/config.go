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
// A source or dataset section holds the keys every kind shares (a source's
// kind, base_url, bundle, timeout, licence, attribution, user_agent; a
// dataset's source, table, title, unit, expect, synthetic) and the keys of
// its kind, which the kind's factory (sources/all) decodes and checks,
// strictly, when the config is validated: pxweb takes lang and api_version
// on the source and select on the dataset; nav, udir and dbh their file,
// report and query keys (see each package's NewFactory). A variable's
// pxweb selection is either a list of value expressions (codes, "*", masks
// such as "2020*", "top(n)", "bottom(n)", "from(x)", "to(x)",
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

	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/all"
)

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
	// Offers is the optional offer catalog section (offers.go).
	Offers *Offers `yaml:"offers"`

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
	// exclusive). Defaults: 2013-01-01 and 2025-01-02, the range the bundled
	// copy answers (KLASS 131 versions from 2013, changes through 2025-01-01).
	// A From before the first version the source answers (no earlier than
	// 2005-01-01) has the municipality sets of those years derived from
	// KLASS's change table (regions.Load, regions.DeriveFloor).
	From string `yaml:"from"`
	To   string `yaml:"to"`
	// Groups is a YAML file of custom groupings (regional councils and the
	// like), e.g. testdata/regions/grupper-trondelag.yaml; "" means none.
	Groups string `yaml:"groups"`
}

// Source is one statistics API. The keys below are those every kind
// shares; the kind's own keys (pxweb: lang, api_version) are kept in
// Params and decoded by the kind's factory (sources/all), strictly.
type Source struct {
	Kind    string `yaml:"kind"`
	BaseURL string `yaml:"base_url"`
	// Bundle, when set, serves this source from bundled recorded responses
	// (the offline demo) instead of the network.
	Bundle string `yaml:"bundle"`
	// Timeout for one HTTP request (default 60s).
	Timeout time.Duration `yaml:"timeout"`
	// Licence and Attribution are written into every snapshot and dataset.
	Licence     string `yaml:"licence"`
	Attribution string `yaml:"attribution"`
	// UserAgent overrides the default User-Agent.
	UserAgent string `yaml:"user_agent"`
	// Params are the kind's own keys, for its factory.
	Params map[string]yaml.Node `yaml:",inline"`

	path   string            // "sources.<name>", for errors
	keyPos map[string]keyPos // where the Params keys stand in the file
}

// Section returns the source's kind-specific keys for its factory.
func (s *Source) Section() sources.Section {
	return section{keys: s.Params, what: "a " + s.Kind + " source", path: s.path, pos: s.keyPos, shared: yamlFields(reflect.TypeFor[Source]())}
}

// Dataset is one table pulled from a source. The keys below are those
// every kind shares; the kind's own keys (pxweb: select; nav: url,
// mapping, ...; udir: report, ...; dbh: dbh) are kept in Params and
// decoded by the kind's factory, strictly.
type Dataset struct {
	Source string `yaml:"source"`
	Table  string `yaml:"table"`
	// Title overrides the source's title in status output.
	Title string `yaml:"title"`
	// Unit is a free description of the measure's unit(s).
	Unit string `yaml:"unit"`
	// Expect is the expected update interval (e.g. 8760h for yearly); used by status for freshness.
	Expect time.Duration `yaml:"expect"`
	// Synthetic marks a dataset whose source data is made up (demo data
	// that does not say so itself); it is carried into the catalog, the
	// Parquet metadata and status.
	Synthetic bool `yaml:"synthetic"`
	// Params are the kind's own keys, for its factory.
	Params map[string]yaml.Node `yaml:",inline"`

	path   string            // "datasets.<id>", for errors
	keyPos map[string]keyPos // where the Params keys stand in the file
}

// Spec returns the dataset as its source kind's factory sees it.
func (d *Dataset) Spec(id, kind string) sources.DatasetSpec {
	return sources.DatasetSpec{ID: id, Table: d.Table, Title: d.Title,
		Section: section{keys: d.Params, what: "a " + kind + " dataset", path: d.path, pos: d.keyPos, shared: yamlFields(reflect.TypeFor[Dataset]())}}
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
	c, keyErrs, err := parse(bytes.NewReader(b))
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
	// Unknown keys do not stop the decoding: they are reported together
	// with every problem validation finds (the kinds' own keys among them).
	if err := errors.Join(append(keyErrs, c.Validate())...); err != nil {
		return nil, fmt.Errorf("config: %s:\n%w", path, err)
	}
	return c, nil
}

// Parse decodes a config strictly and applies defaults. It does not
// validate; Load does both.
func Parse(r io.Reader) (*Config, error) {
	c, keyErrs, err := parse(r)
	if err != nil {
		return nil, err
	}
	if len(keyErrs) > 0 {
		return nil, errors.Join(keyErrs...)
	}
	return c, nil
}

// parse is Parse that goes on past unknown keys (each a *KeyError in
// keyErrs; the decoder ignores them) and stops at any other problem (err).
func parse(r io.Reader) (c *Config, keyErrs []error, err error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(r).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errors.New("the file is empty")
		}
		return nil, nil, fmt.Errorf("ugyldig YAML: %w", err)
	}
	// Strictness is checked on the node tree rather than with the
	// decoder's KnownFields, so that every unknown key and every badly
	// typed value is reported at once, with its line and the nearest
	// valid key, and so that durations may be written in days and years.
	var errs []error
	open := checkNode(&doc, reflect.TypeFor[Config](), "", &errs)
	var other []error
	for _, e := range errs {
		var ke *KeyError
		if errors.As(e, &ke) {
			keyErrs = append(keyErrs, e)
		} else {
			other = append(other, e)
		}
	}
	if len(other) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	c = &Config{}
	if err := doc.Decode(c); err != nil {
		return nil, nil, fmt.Errorf("ugyldig verdi: %w", err)
	}
	for name, s := range c.Sources {
		if s != nil {
			s.path, s.keyPos = "sources."+name, open["sources."+name]
		}
	}
	for id, d := range c.Datasets {
		if d != nil {
			d.path, d.keyPos = "datasets."+id, open["datasets."+id]
		}
	}
	if c.Schedule != nil {
		pos := presetPositions(&doc)
		for name, j := range c.Schedule.Jobs {
			if j != nil {
				j.presetPos = pos[name]
			}
		}
	}
	c.applyDefaults()
	return c, keyErrs, nil
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
			r.To = "2025-01-02"
		}
	}
	for _, s := range c.Sources {
		if s == nil {
			continue
		}
		if s.Timeout == 0 {
			s.Timeout = DefaultTimeout
		}
	}
	c.applyScheduleDefaults()
	c.Needs.applyDefaults()
	c.Offers.applyDefaults()
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
	c.Offers.resolve(abs)
}

var idRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Validate returns every problem in the config at once, joined, checking
// the kinds and their sections against every kind of this build
// (sources/all).
func (c *Config) Validate() error { return c.ValidateKinds(all.New()) }

// ValidateKinds is Validate against the kinds of reg: each source section
// is checked by its kind's factory, and so is each dataset section.
func (c *Config) ValidateKinds(reg *sources.Registry) error {
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
		f, known := reg.Lookup(s.Kind)
		if !known {
			bad("%s.kind: %q is not a known kind (%s)", at, s.Kind, strings.Join(reg.Kinds(), ", "))
		}
		if u, err := url.Parse(s.BaseURL); s.BaseURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("%s.base_url: %q is not an http(s) URL", at, s.BaseURL)
		}
		if known {
			if _, err := f.New(sources.Env{Name: name, BaseURL: s.BaseURL}, s.Section()); err != nil {
				for _, e := range flatten(err) {
					var ke *KeyError
					if errors.As(e, &ke) {
						errs = append(errs, ke) // it names its place itself
						continue
					}
					bad("%s.%v", at, e)
				}
			}
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
		if src != nil {
			if f, ok := reg.Lookup(src.Kind); ok {
				if _, err := f.Query(d.Spec(id, src.Kind)); err != nil {
					for _, e := range flatten(err) {
						var ke *KeyError
						if errors.As(e, &ke) {
							errs = append(errs, ke) // it names its place itself
							continue
						}
						bad("%s.%v", at, e)
					}
				}
			}
		}
		if d.Expect < 0 {
			bad("%s.expect: negative", at)
		}
	}
	c.validateSchedule(bad, func(e error) { errs = append(errs, e) })
	c.Needs.validate(bad)
	c.Offers.validate(c, bad)
	return errors.Join(errs...)
}

// DatasetIDs returns the dataset IDs in sorted order.
func (c *Config) DatasetIDs() []string { return slices.Sorted(maps.Keys(c.Datasets)) }

// SourceNames returns the source names in sorted order.
func (c *Config) SourceNames() []string { return slices.Sorted(maps.Keys(c.Sources)) }
