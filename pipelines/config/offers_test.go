package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOffersSection(t *testing.T) {
	p := needsConfig(t, "offers:\n  catalog: svar.csv\n")
	c, err := Load(p)
	if err != nil {
		t.Fatalf("Load(offers) = %v", err)
	}
	o := c.Offers
	if o == nil || o.Catalog != filepath.Join(filepath.Dir(p), "svar.csv") || o.Best != DefaultOffersBest || o.Budget() != -1 {
		t.Errorf("Load(offers).Offers = %+v, want the catalog resolved, best %d, no budget", o, DefaultOffersBest)
	}
}

func TestOffersProblemsAtOnce(t *testing.T) {
	p := needsConfig(t, "offers:\n  catalog: mangler.csv\n  error_budget: -1\n  best: 99\n")
	_, err := Load(p)
	if err == nil {
		t.Fatal("Load(bad offers) = nil error")
	}
	for _, want := range []string{
		"offers.catalog: " + filepath.Join(filepath.Dir(p), "mangler.csv") + " is not a readable file",
		"offers.error_budget: must be 0 or more, got -1",
		"offers.best: must be between 1 and 50, got 99",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Load(bad offers) = %v\nwant it to name %q", err, want)
		}
	}
	// Unknown keys are errors.
	if err := os.WriteFile(p, []byte(issueExample+"offers:\n  katalog: svar.csv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "katalog") {
		t.Errorf("Load(offers with an unknown key) = %v, want an error naming katalog", err)
	}
}

func TestOffersRegisters(t *testing.T) {
	// The issue example has one dataset, utdanningsniva, of a pxweb source.
	p := needsConfig(t, "offers:\n  catalog: svar.csv\n  registers: [utdanningsniva, mangler, mangler]\n")
	_, err := Load(p)
	if err == nil {
		t.Fatal("Load(offers with bad registers) = nil error")
	}
	for _, want := range []string{
		`offers.registers[0]: datasettet "utdanningsniva" må hentes fra en kilde av typen dbh`,
		`offers.registers[1]: datasettet "mangler" finnes ikke under datasets`,
		`offers.registers[2]: datasettet "mangler" står flere ganger`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Load(bad registers) = %v\nwant it to name %q", err, want)
		}
	}
}
