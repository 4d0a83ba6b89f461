package config

import (
	"os"
	"slices"
)

// Offers is the optional `offers:` section: the catalog of education
// offers (pipelines/offers, `grunnlag offers`) that the mapped needs are
// matched with. Relative paths are relative to the config file.
//
//	offers:
//	  catalog: offers/tilbud-syntetisk.csv   # CSV or XLSX in the template (required)
//	  mapping: ""                            # column mapping; "" = the default template
//	  synthetic: true                        # the catalog is made up (demo)
//	  error_budget: 0                        # rejected rows tolerated; absent = none
//	  best: 3                                # offers listed per need (default 3)
//	  registers: [dbh_studieprogram]         # dbh datasets of study programmes
//
// Registers are IDs of datasets (of a source of kind dbh) that list study
// programmes, e.g. DBH's table 347: they are fetched like every dataset
// (snapshotted, versioned, replayable offline) and their rows are added to
// the catalog's offers (pipelines/offers).
type Offers struct {
	Catalog   string `yaml:"catalog"`
	Mapping   string `yaml:"mapping"`
	Synthetic bool   `yaml:"synthetic"`
	// ErrorBudget is the number of rejected rows tolerated; nil (absent)
	// means none.
	ErrorBudget *int `yaml:"error_budget"`
	Best        int  `yaml:"best"`
	// Registers are dataset IDs whose rows are study programmes.
	Registers []string `yaml:"registers"`
}

// DefaultOffersBest is how many offers are listed per need by default.
const DefaultOffersBest = 3

func (o *Offers) applyDefaults() {
	if o != nil && o.Best == 0 {
		o.Best = DefaultOffersBest
	}
}

func (o *Offers) resolve(abs func(string) string) {
	if o == nil {
		return
	}
	o.Catalog = abs(o.Catalog)
	o.Mapping = abs(o.Mapping)
}

// Budget returns the error budget: -1 when none is set.
func (o *Offers) Budget() int {
	if o == nil || o.ErrorBudget == nil {
		return -1
	}
	return *o.ErrorBudget
}

func (o *Offers) validate(c *Config, bad func(string, ...any)) {
	if o == nil {
		return
	}
	file := func(at, p string) {
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			bad("%s: %s is not a readable file", at, p)
		}
	}
	if o.Catalog == "" {
		bad("offers.catalog: missing (the offer catalog, CSV or XLSX)")
	} else {
		file("offers.catalog", o.Catalog)
	}
	if o.Mapping != "" {
		file("offers.mapping", o.Mapping)
	}
	if o.ErrorBudget != nil && *o.ErrorBudget < 0 {
		bad("offers.error_budget: must be 0 or more, got %d", *o.ErrorBudget)
	}
	if o.Best < 1 || o.Best > 50 {
		bad("offers.best: must be between 1 and 50, got %d", o.Best)
	}
	for i, id := range o.Registers {
		d := c.Datasets[id]
		switch {
		case id == "":
			bad("offers.registers[%d]: tom datasett-ID", i)
		case slices.Index(o.Registers, id) != i:
			bad("offers.registers[%d]: datasettet %q står flere ganger", i, id)
		case d == nil:
			bad("offers.registers[%d]: datasettet %q finnes ikke under datasets", i, id)
		case c.Sources[d.Source] == nil || c.Sources[d.Source].Kind != RegisterKind:
			bad("offers.registers[%d]: datasettet %q må hentes fra en kilde av typen %s", i, id, RegisterKind)
		}
	}
}

// RegisterKind is the source kind an offers register dataset must have.
const RegisterKind = "dbh"
