package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// surveyConfig writes a config with a needs section for survey (a file in
// testdata/survey) and a knowledge base in a temporary directory.
func surveyConfig(t *testing.T, survey, mapping string, needs bool) (cfg, kb string) {
	t.Helper()
	abs := func(p string) string {
		a, err := filepath.Abs(filepath.Join("../../testdata", p))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	dir := t.TempDir()
	kb = filepath.Join(dir, "kb")
	text := "kb: " + kb + "\nregions:\n  bundle: " + abs("klass") + "\n" +
		"sources:\n  ssb: {kind: pxweb, base_url: \"https://data.ssb.no/api/pxwebapi/v2\"}\n" +
		"datasets:\n  befolkning: {source: ssb, table: \"07459\", select: {Tid: [\"top(1)\"]}}\n"
	if needs {
		text += "needs:\n  survey: " + abs("survey/"+survey) + "\n  synthetic: true\n  register:\n    enheter: [" + abs("survey/demo-enheter.json.gz") + "]\n  replicas: 99\n"
		if mapping != "" {
			text += "  mapping: " + abs("survey/"+mapping) + "\n"
		}
	}
	cfg = filepath.Join(dir, "grunnlag.yaml")
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg, kb
}

func TestSurveyBuild(t *testing.T) {
	tests := []struct {
		name, survey, mapping string
		needs                 bool
		extra                 []string
		code                  int
		want                  []string // lines of stdout (or stderr for config errors)
	}{
		// The synthetic demo: 440 rows, 287 firms (testdata/survey/README.md),
		// every row accepted (pipelines/needs TestBuildDemo).
		{"demo", "demo-syntetisk.csv", "demo.yaml", true, nil, exitOK, []string{
			"kartlegging 2024: 440 rader, 440 godtatt, 0 avvist (feilbudsjett ingen), 287 virksomheter",
			"kompetansebehov          ny versjon ", "needs_vs_supply          ny versjon ",
			"avviste rader: <kb>/secure/needs/2024/rejected.csv",
			"fritekst uten treff (3 ulike): <kb>/secure/needs/2024/unmapped.csv"}},
		// bad-rows.csv: 20 rows rejected by validation and 2 naming firms
		// the demo register does not hold (pipelines/needs TestErrorBudget).
		{"over budget", "bad-rows.csv", "", true, []string{"--error-budget", "5"}, exitFailed, []string{
			"kartlegging 2024: 22 rader, 0 godtatt, 22 avvist (feilbudsjett 5), 0 virksomheter", "ingenting publisert"}},
		{"no budget", "bad-rows.csv", "", true, nil, exitFailed, []string{"22 avvist (feilbudsjett ingen)"}},
		{"no needs section", "", "", false, nil, exitConfig, []string{"har ingen needs-del"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, kb := surveyConfig(t, tt.survey, tt.mapping, tt.needs)
			code, stdout, stderr := runCLI(t, append([]string{"survey", "build", "--config", cfg, "-q"}, tt.extra...)...)
			if code != tt.code {
				t.Fatalf("survey build = exit %d, want %d; stdout %s stderr %s", code, tt.code, stdout, stderr)
			}
			out := strings.ReplaceAll(stdout+stderr, kb, "<kb>")
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("survey build output lacks %q:\n%s", w, out)
				}
			}
			if tt.code != exitOK {
				return
			}
			// The same survey again: nothing new to publish, and the output
			// says so instead of announcing a new version.
			_, again, _ := runCLI(t, append([]string{"survey", "build", "--config", cfg, "-q"}, tt.extra...)...)
			for _, w := range []string{"kompetansebehov          uendret, versjon ", "needs_vs_supply          uendret, versjon "} {
				if !strings.Contains(again, w) || strings.Contains(again, "ny versjon") {
					t.Errorf("second survey build output lacks %q or says ny versjon:\n%s", w, again)
				}
			}
		})
	}
}
