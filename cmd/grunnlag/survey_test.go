package main

import (
	"bytes"
	"context"
	"os"
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

// A 2022 survey row on a 2022 municipality code is valid: 3001 Halden was
// valid 2020-01-01..2024-01-01 (real KLASS 131 changes), which the old
// assembled bundle ended on 2021-01-01. 3101 (Halden from 2024) is not yet
// valid in 2022. The rows are SYNTHETIC; 923609016 is the valid orgnr of
// testdata/survey/bad-rows.csv row 2. The model is read through the config,
// from another working directory.
func TestSurveyValidate2022(t *testing.T) {
	cfg, err := filepath.Abs("../../testdata/demo/grunnlag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	head := "orgnr;kommunenr;dato;kompetanseomrade;beskrivelse;utdanningsniva;antall;tidshorisont;hastegrad\n"
	for _, tt := range []struct {
		name, row string
		code      int
		want      string
	}{
		{"valid 2022 row", "923609016;3001;2022-06-01;ikt;Skyløsninger;uh_kort;2;1;hoy\n", exitOK, ""},
		{"2024 code in 2022", "923609016;3101;2022-06-01;ikt;Skyløsninger;uh_kort;2;1;hoy\n", exitFailed, ":2:kommunenr: 3101"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".csv")
			if err := os.WriteFile(f, []byte(head+tt.row), 0o644); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
			code := runSurvey(context.Background(), e, []string{"validate", "--config", cfg, f})
			if code != tt.code || !strings.Contains(out.String(), tt.want) {
				t.Errorf("survey validate (%s) = exit %d, stdout %q, stderr %q; want exit %d with %q", tt.name, code, out.String(), errb.String(), tt.code, tt.want)
			}
		})
	}
}
