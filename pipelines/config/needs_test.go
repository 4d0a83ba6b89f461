package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// needsConfig writes empty stand-ins for the files a needs section names
// (only their existence is checked here) and returns the config text with
// the given needs section.
func needsConfig(t *testing.T, section string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"svar.csv", "map.yaml", "enheter.json.gz"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "brreg"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "grunnlag.yaml")
	if err := os.WriteFile(p, []byte(issueExample+section), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNeedsSection(t *testing.T) {
	p := needsConfig(t, `needs:
  survey: svar.csv
  mapping: map.yaml
  register:
    enheter: [enheter.json.gz]
    base_url: "https://data.brreg.no/enhetsregisteret/api"
    bundle: brreg
  error_budget: 5
`)
	c, err := Load(p)
	if err != nil {
		t.Fatalf("Load(needs) = %v", err)
	}
	dir := filepath.Dir(p)
	n := c.Needs
	if n == nil {
		t.Fatal("Load(needs).Needs = nil")
	}
	tests := []struct{ name, got, want string }{
		{"survey", n.Survey, filepath.Join(dir, "svar.csv")},
		{"mapping", n.Mapping, filepath.Join(dir, "map.yaml")},
		{"enheter", strings.Join(n.Register.Enheter, ","), filepath.Join(dir, "enheter.json.gz")},
		{"bundle", n.Register.Bundle, filepath.Join(dir, "brreg")},
		{"strata default", n.Strata, "fylke"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("needs.%s = %q, want %q", tt.name, tt.got, tt.want)
			}
		})
	}
	if n.Budget() != 5 || n.MinFirms != 3 || n.Dominance != 0.5 || *n.Seed != 1 || n.Replicas != 999 {
		t.Errorf("needs: budget %d min_firms %d dominance %g seed %d replicas %d; want 5, 3, 0.5, 1, 999",
			n.Budget(), n.MinFirms, n.Dominance, *n.Seed, n.Replicas)
	}
	// Without the section nothing changes, and an absent budget means none.
	c2, err := Load(writeConfig(t, issueExample))
	if err != nil || c2.Needs != nil || c2.Needs.Budget() != -1 {
		t.Errorf("Load(no needs) = %v, Needs %+v; want nil Needs with Budget -1", err, c2.Needs)
	}
}

func TestNeedsProblemsAtOnce(t *testing.T) {
	p := needsConfig(t, `needs:
  survey: mangler.csv
  period: "24"
  register:
    bundle: brreg
  error_budget: -2
  dominance: 1.5
  min_firms: -1
  strata: bydel
`)
	_, err := Load(p)
	if err == nil {
		t.Fatal("Load(bad needs) = nil error")
	}
	for _, want := range []string{
		"needs.survey: " + filepath.Join(filepath.Dir(p), "mangler.csv") + " is not a readable file",
		`needs.period: "24" is not a year`,
		"needs.register: at least one bulk file",
		"needs.register.bundle: only with base_url",
		"needs.error_budget: must be 0 or more, got -2",
		"needs.dominance: must be in (0, 1], got 1.5",
		"needs.min_firms: must be 1 or more, got -1",
		`needs.strata: "bydel" is not fylke or kommune`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Load(bad needs) error lacks %q:\n%v", want, err)
		}
	}
	// Unknown keys are errors here too.
	if _, err := Load(needsConfig(t, "needs:\n  survey: svar.csv\n  registre: {}\n")); err == nil || !strings.Contains(err.Error(), "registre") {
		t.Errorf("Load(needs.registre) = %v, want an error naming registre", err)
	}
}
