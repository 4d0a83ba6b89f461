package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestSurveyValidate(t *testing.T) {
	data := "../../testdata/survey"
	klass := "../../testdata/klass"
	tests := []struct {
		name      string
		args      []string
		code      int
		wantLines int    // problems printed on stdout
		wantFirst string // first stdout line
	}{
		// bad-rows.csv: 20 problems, asserted one by one in sources/survey
		// TestBadRows; here with the real region model (1601 is not valid
		// in 2024, 5001 is).
		{"bad rows", []string{"validate", filepath.Join(data, "bad-rows.csv")}, exitFailed, 20,
			filepath.Join(data, "bad-rows.csv") + ":3:orgnr: 923609017: kontrollsifferet stemmer ikke (MOD11)"},
		{"template", []string{"validate", filepath.Join(data, "mal.xlsx")}, exitOK, 0, ""},
		{"demo with mapping", []string{"validate", "--mapping", filepath.Join(data, "demo.yaml"), filepath.Join(data, "demo-syntetisk.csv")}, exitOK, 0, ""},
		{"mapped wide", []string{"validate", filepath.Join(data, "kommune-skjema.csv"), "--mapping", filepath.Join(data, "kommune-skjema.yaml")}, exitFailed, 1,
			filepath.Join(data, "kommune-skjema.csv") + ":5:Antall 2: 2,5: må være et helt tall"},
		{"no file", []string{"validate"}, exitUsage, 0, ""},
		{"bad mapping", []string{"validate", filepath.Join(data, "mal.csv"), "--mapping", filepath.Join(data, "bad-rows.csv")}, exitConfig, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
			code := runSurvey(context.Background(), e, append(tt.args, "--klass", klass))
			if code != tt.code {
				t.Fatalf("survey %v = exit %d, want %d; stderr %s", tt.args, code, tt.code, errb.String())
			}
			lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
			if out.Len() == 0 {
				lines = nil
			}
			if len(lines) != tt.wantLines {
				t.Errorf("survey %v printed %d problems, want %d:\n%s", tt.args, len(lines), tt.wantLines, out.String())
			}
			if tt.wantFirst != "" && (len(lines) == 0 || lines[0] != tt.wantFirst) {
				t.Errorf("survey %v first line = %q, want %q", tt.args, lines, tt.wantFirst)
			}
		})
	}
}

// TestSurveyValidateFromConfig: without --klass the municipality model
// comes from the config's regions section; bad-rows.csv then gives the same
// 20 problems as with --klass (TestSurveyValidate), and with neither the
// command refuses instead of reading a testdata folder.
func TestSurveyValidateFromConfig(t *testing.T) {
	bad := filepath.Join("../../testdata/survey", "bad-rows.csv")
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := runSurvey(context.Background(), e, []string{"validate", bad, "--config", "../../testdata/demo/grunnlag.yaml"})
	if n := strings.Count(out.String(), "\n"); code != exitFailed || n != 20 {
		t.Errorf("survey validate --config demo bad-rows.csv = exit %d, %d problems; want %d and 20; stderr %s", code, n, exitFailed, errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := runSurvey(context.Background(), e, []string{"validate", bad}); code != exitConfig || !strings.Contains(errb.String(), "--klass") {
		t.Errorf("survey validate without config or --klass = exit %d, stderr %q; want %d naming --klass", code, errb.String(), exitConfig)
	}
}
