package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The bundled KLASS answers and groupings (testdata/klass/PROVENANCE.md,
// testdata/regions/PROVENANCE.md), from this package's directory.
var regionsFlags = []string{"--klass", "../../testdata/klass", "--groups", "../../testdata/regions/grupper-trondelag.yaml"}

func runRegionsCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code = regionsCommand().run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestRegionsCommand(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantCode  int
		wantLines []string // lines that must be in stdout, in order
		wantCount int      // number of stdout lines incl. header; 0 = don't check
	}{
		{
			name:     "counties on 2019-06-01 (18: DOMAIN.md 3.1)",
			args:     append([]string{"--date", "2019-06-01", "--level", "fylke"}, regionsFlags...),
			wantCode: exitOK,
			wantLines: []string{
				"code\tname\tlevel\tvalid_from\tvalid_to",
				"08\tTelemark\tfylke\t2013-01-01\t2020-01-01",
				// 50 gained 1567 Rindal (→ 5061) on 2019-01-01 and Halsa on
				// 2020-01-01 (real KLASS 131 changes): this version is 2019.
				"50\tTrøndelag - Trööndelage\tfylke\t2019-01-01\t2020-01-01",
			},
			wantCount: 1 + 18,
		},
		{
			name:      "municipalities on 2024-06-01 (357, geo-norge-2024)",
			args:      append([]string{"--date", "2024-06-01", "--level", "kommune"}, regionsFlags...),
			wantCode:  exitOK,
			wantLines: []string{"3201\tBærum\tkommune\t2024-01-01\t", "5001\tTrondheim - Tråante\tkommune\t2020-01-01\t"},
			wantCount: 1 + 357,
		},
		{
			name:      "nation",
			args:      append([]string{"--level", "land"}, regionsFlags...),
			wantCode:  exitOK,
			wantLines: []string{"0\tHele landet\tland\t\t"},
			wantCount: 2,
		},
		{
			name:      "groupings as a level",
			args:      append([]string{"--level", "gruppe"}, regionsFlags...),
			wantCode:  exitOK,
			wantLines: []string{"namdal\tNamdal regionråd\tgruppe\t\t", "varnesregionen\tVærnesregionen\tgruppe\t\t"},
			wantCount: 1 + 7,
		},
		{
			name:      "groups with members (DOMAIN.md 4)",
			args:      append([]string{"groups"}, regionsFlags...),
			wantCode:  exitOK,
			wantLines: []string{"id\tname\tmembers", "fosen\tFosenregionen IKPR\t5054 5020 5057 5058"},
			wantCount: 1 + 7,
		},
		{
			name:     "trace 5001, flags after the code",
			args:     append([]string{"trace", "5001"}, regionsFlags...),
			wantCode: exitOK,
			wantLines: []string{
				"date\tkind\told\tnew",
				"2018-01-01\trecode\t1601\t5001",
				"2018-01-01\trecode\t1662\t5030",
				"2020-01-01\tmerge\t5001 5030\t5001",
			},
			wantCount: 4,
		},
		{
			name:      "trace Snillfjord's split",
			args:      append(append([]string{}, regionsFlags...), "trace", "5012"),
			wantCode:  exitOK,
			wantLines: []string{"2018-01-01\trecode\t1613\t5012", "2020-01-01\tsplit\t5012\t5055 5056 5059"},
		},
		{name: "trace unknown code", args: append([]string{"trace", "9876"}, regionsFlags...), wantCode: exitFailed},
		{name: "trace without code", args: append([]string{"trace"}, regionsFlags...), wantCode: exitUsage},
		{name: "bad level", args: append([]string{"--level", "bydel"}, regionsFlags...), wantCode: exitUsage},
		{name: "bad date", args: append([]string{"--date", "1.1.2024"}, regionsFlags...), wantCode: exitUsage},
		{name: "unknown subcommand", args: append([]string{"list"}, regionsFlags...), wantCode: exitUsage},
		{name: "missing KLASS bundle", args: []string{"--klass", "no/such/dir"}, wantCode: exitConfig},
		{name: "help", args: []string{"-h"}, wantCode: exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runRegionsCmd(t, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("regions %v = exit %d, want %d; stderr:\n%s", tt.args, code, tt.wantCode, errOut)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if tt.wantCount > 0 && len(lines) != tt.wantCount {
				t.Errorf("regions %v printed %d lines, want %d", tt.args, len(lines), tt.wantCount)
			}
			i := 0
			for _, l := range lines {
				if i < len(tt.wantLines) && l == tt.wantLines[i] {
					i++
				}
			}
			if i < len(tt.wantLines) {
				t.Errorf("regions %v: line %q missing (or out of order) in:\n%s", tt.args, tt.wantLines[i], out)
			}
		})
	}
}

func TestRegionsHelpIsNorwegian(t *testing.T) {
	_, _, errOut := runRegionsCmd(t, "-h")
	for _, want := range []string{"Bruk:", "gyldig fra", "katalog med KLASS-svar"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("regions -h output lacks %q:\n%s", want, errOut)
		}
	}
}

func TestRegionsInvalidGroupsFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "g.yaml")
	// Synthetic: one unknown member code and one unknown key.
	if err := os.WriteFile(bad, []byte("groups:\n  - id: a\n    name: A\n    members: [\"5099\"]\n    source: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runRegionsCmd(t, "groups", "--klass", "../../testdata/klass", "--groups", bad)
	if code != exitConfig || !strings.Contains(errOut, "5099") {
		t.Errorf("regions groups (member 5099) = exit %d, stderr %q; want %d naming 5099", code, errOut, exitConfig)
	}
}

// The region model comes from the config's regions section, with the bundle
// resolved relative to the config file, whatever the working directory.
// Counts from the real KLASS 131 versions (testdata/klass/PROVENANCE.md):
// 356 municipalities in 2022 (9999 Uoppgitt not counted), 11 counties.
func TestRegionsFromConfig(t *testing.T) {
	cfg, err := filepath.Abs("../../testdata/demo/grunnlag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	tests := []struct {
		args      []string
		wantCount int
		wantLine  string
	}{
		{[]string{"--config", cfg, "--date", "2022-06-01", "--level", "kommune"}, 1 + 356, "3001\tHalden\tkommune\t2020-01-01\t2024-01-01"},
		{[]string{"--config", cfg, "--date", "2022-06-01", "--level", "fylke"}, 1 + 11, "30\tViken\tfylke\t2020-01-01\t2024-01-01"},
		{[]string{"--config", cfg, "--date", "2018-06-01", "--level", "kommune"}, 1 + 422, "0101\tHalden\tkommune\t2013-01-01\t2020-01-01"},
		{[]string{"--config", cfg, "groups"}, 1 + 7, "fosen\tFosenregionen IKPR\t5054 5020 5057 5058"},
	}
	for _, tt := range tests {
		code, out, errOut := runRegionsCmd(t, tt.args...)
		if code != exitOK {
			t.Fatalf("regions %v = exit %d; stderr:\n%s", tt.args, code, errOut)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != tt.wantCount || !strings.Contains(out, tt.wantLine+"\n") {
			t.Errorf("regions %v printed %d lines (want %d), line %q present = %v", tt.args, len(lines), tt.wantCount, tt.wantLine, strings.Contains(out, tt.wantLine+"\n"))
		}
		if strings.Contains(strings.Join(tt.args, " "), "fylke") && !strings.Contains(errOut, "avledet av kommunenumrene") {
			t.Errorf("regions %v: stderr lacks the note that counties are derived:\n%s", tt.args, errOut)
		}
	}
	// No config in the working directory and none named: a clear error,
	// not a silent fallback to a relative testdata path.
	code, _, errOut := runRegionsCmd(t, "--level", "fylke")
	if code != exitConfig || !strings.Contains(errOut, "fant ikke konfigurasjonen grunnlag.yaml") {
		t.Errorf("regions without config = exit %d, stderr %q; want %d naming the missing config", code, errOut, exitConfig)
	}
}
