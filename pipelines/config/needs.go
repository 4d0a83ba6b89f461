package config

import (
	"net/url"
	"os"
	"strconv"
	"strings"
)

// Needs is the optional `needs:` section: where the mapped company needs
// (the survey) and the company register come from, and how the survey is
// weighted and disclosure-controlled (pipelines/needs, `grunnlag survey
// build`). Relative paths are relative to the config file.
//
//	needs:
//	  survey: ../survey/demo-syntetisk.csv   # CSV or XLSX (required)
//	  mapping: ../survey/demo.yaml           # column mapping; "" = the default template
//	  period: "2024"                         # "" = the year of the first response
//	  synthetic: true                        # the survey is made up (demo)
//	  register:
//	    enheter: [../survey/demo-enheter.json.gz]   # bulk files of legal units (gzip JSON)
//	    underenheter: []                            # bulk files of establishments
//	    base_url: https://data.brreg.no/enhetsregisteret/api  # ask the API for numbers not in the files
//	    bundle: ""                          # answer the API from recorded responses (offline)
//	  error_budget: 0        # rejected rows tolerated; absent = none
//	  min_firms: 3           # primary suppression below this many firms (default 3)
//	  dominance: 0.5         # one firm holding more than this share is suppressed (default 0.5)
//	  strata: fylke          # post-stratification by fylke (default) or kommune
//	  seed: 1                # bootstrap seed (default 1)
//	  replicas: 999          # bootstrap replicates (default 999)
//
// The register needs at least one bulk file (the register counts the
// weights are post-stratified to come from them).
type Needs struct {
	Survey    string         `yaml:"survey"`
	Mapping   string         `yaml:"mapping"`
	Period    string         `yaml:"period"`
	Synthetic bool           `yaml:"synthetic"`
	Register  *NeedsRegister `yaml:"register"`
	// ErrorBudget is the number of rejected rows tolerated; nil (absent)
	// means none: any problem stops the build.
	ErrorBudget *int `yaml:"error_budget"`
	// MinFirms and Dominance are the primary suppression rule.
	MinFirms  int     `yaml:"min_firms"`
	Dominance float64 `yaml:"dominance"`
	// Strata is the region level of the post-stratification: "fylke" or "kommune".
	Strata   string  `yaml:"strata"`
	Seed     *uint64 `yaml:"seed"`
	Replicas int     `yaml:"replicas"`
}

// NeedsRegister says where Enhetsregisteret's units come from: bulk
// download files (the offline cache, also the register counts for the
// weights) and, for numbers they do not hold, the API (or recorded
// responses of it).
type NeedsRegister struct {
	Enheter      []string `yaml:"enheter"`
	Underenheter []string `yaml:"underenheter"`
	BaseURL      string   `yaml:"base_url"`
	Bundle       string   `yaml:"bundle"`
}

// Defaults of the needs section.
const (
	DefaultNeedsStrata    = "fylke"
	DefaultNeedsMinFirms  = 3
	DefaultNeedsDominance = 0.5
	DefaultNeedsSeed      = 1
	DefaultNeedsReplicas  = 999
)

func (n *Needs) applyDefaults() {
	if n == nil {
		return
	}
	if n.Strata == "" {
		n.Strata = DefaultNeedsStrata
	}
	if n.MinFirms == 0 {
		n.MinFirms = DefaultNeedsMinFirms
	}
	if n.Dominance == 0 {
		n.Dominance = DefaultNeedsDominance
	}
	if n.Seed == nil {
		s := uint64(DefaultNeedsSeed)
		n.Seed = &s
	}
	if n.Replicas == 0 {
		n.Replicas = DefaultNeedsReplicas
	}
}

func (n *Needs) resolve(abs func(string) string) {
	if n == nil {
		return
	}
	n.Survey = abs(n.Survey)
	n.Mapping = abs(n.Mapping)
	if r := n.Register; r != nil {
		for i := range r.Enheter {
			r.Enheter[i] = abs(r.Enheter[i])
		}
		for i := range r.Underenheter {
			r.Underenheter[i] = abs(r.Underenheter[i])
		}
		r.Bundle = abs(r.Bundle)
	}
}

// Budget returns the error budget as pipelines/needs wants it: -1 when
// none is set.
func (n *Needs) Budget() int {
	if n == nil || n.ErrorBudget == nil {
		return -1
	}
	return *n.ErrorBudget
}

func (n *Needs) validate(bad func(string, ...any)) {
	if n == nil {
		return
	}
	file := func(at, p string) {
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			bad("%s: %s is not a readable file", at, p)
		}
	}
	if n.Survey == "" {
		bad("needs.survey: missing (the survey file, CSV or XLSX)")
	} else {
		file("needs.survey", n.Survey)
	}
	if n.Mapping != "" {
		file("needs.mapping", n.Mapping)
	}
	if p := n.Period; p != "" && (len(p) != 4 || strings.Trim(p, "0123456789") != "") {
		bad("needs.period: %q is not a year (YYYY)", p)
	}
	if r := n.Register; r == nil {
		bad("needs.register: missing (bulk files of Enhetsregisteret: enheter and/or underenheter)")
	} else {
		if len(r.Enheter)+len(r.Underenheter) == 0 {
			bad("needs.register: at least one bulk file (enheter or underenheter) is needed for the register counts")
		}
		for i, p := range r.Enheter {
			file("needs.register.enheter["+strconv.Itoa(i)+"]", p)
		}
		for i, p := range r.Underenheter {
			file("needs.register.underenheter["+strconv.Itoa(i)+"]", p)
		}
		if r.BaseURL != "" {
			if u, err := url.Parse(r.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				bad("needs.register.base_url: %q is not an http(s) URL", r.BaseURL)
			}
		}
		if r.Bundle != "" {
			if r.BaseURL == "" {
				bad("needs.register.bundle: only with base_url (the recorded responses answer that address)")
			}
			if fi, err := os.Stat(r.Bundle); err != nil || !fi.IsDir() {
				bad("needs.register.bundle: %s is not a directory", r.Bundle)
			}
		}
	}
	if n.ErrorBudget != nil && *n.ErrorBudget < 0 {
		bad("needs.error_budget: must be 0 or more, got %d (leave it out for none)", *n.ErrorBudget)
	}
	if n.MinFirms < 1 {
		bad("needs.min_firms: must be 1 or more, got %d", n.MinFirms)
	}
	if n.Dominance <= 0 || n.Dominance > 1 {
		bad("needs.dominance: must be in (0, 1], got %g", n.Dominance)
	}
	if n.Strata != "fylke" && n.Strata != "kommune" {
		bad("needs.strata: %q is not fylke or kommune", n.Strata)
	}
	if n.Replicas < 1 {
		bad("needs.replicas: must be 1 or more, got %d", n.Replicas)
	}
}
