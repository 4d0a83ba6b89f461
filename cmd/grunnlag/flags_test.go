package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestParseArgs: flags anywhere, "--" ends them, a value flag takes the
// next argument, -h is done with 0 and a bad flag with 2.
func TestParseArgs(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		pos      []string
		dry      bool
		config   string
		done     bool
		code     int
		stderrIs string // a substring of what the flag set printed
	}{
		{"flags after the positional", []string{"build", "--dry-run"}, []string{"build"}, true, "", false, 0, ""},
		{"flags before", []string{"--dry-run", "--config", "c.yaml", "build"}, []string{"build"}, true, "c.yaml", false, 0, ""},
		{"flags between", []string{"a", "-config=c.yaml", "b", "-dry-run", "c"}, []string{"a", "b", "c"}, true, "c.yaml", false, 0, ""},
		{"value flag takes the next argument", []string{"--config", "--dry-run"}, nil, false, "--dry-run", false, 0, ""},
		{"-- ends the flags", []string{"a", "--", "--dry-run", "-x"}, []string{"a", "--dry-run", "-x"}, false, "", false, 0, ""},
		{"a lone - is positional", []string{"-", "--dry-run"}, []string{"-"}, true, "", false, 0, ""},
		{"bool flag with =", []string{"x", "--dry-run=false"}, []string{"x"}, false, "", false, 0, ""},
		{"help", []string{"build", "-h"}, nil, false, "", true, exitOK, "Usage"},
		{"unknown flag after a positional", []string{"build", "--dryrun"}, nil, false, "", true, exitUsage, "flag provided but not defined: -dryrun"},
		{"value flag without its value", []string{"build", "--config"}, nil, false, "", true, exitUsage, "flag needs an argument: -config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var errw bytes.Buffer
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(&errw)
			dry := fs.Bool("dry-run", false, "")
			config := fs.String("config", "", "")
			pos, done, code := parseArgs(fs, tc.args)
			if done != tc.done || code != tc.code {
				t.Fatalf("parseArgs(%q) = done %v code %d, want %v %d (%s)", tc.args, done, code, tc.done, tc.code, errw.String())
			}
			if !strings.Contains(errw.String(), tc.stderrIs) {
				t.Errorf("parseArgs(%q) printed %q, want %q", tc.args, errw.String(), tc.stderrIs)
			}
			if done {
				return
			}
			if !slices.Equal(pos, tc.pos) || *dry != tc.dry || *config != tc.config {
				t.Errorf("parseArgs(%q) = %q, dry-run %v, config %q; want %q, %v, %q", tc.args, pos, *dry, *config, tc.pos, tc.dry, tc.config)
			}
		})
	}
}

// TestFlagsAnywhereInEveryCommand runs every subcommand through the command
// runner with its flags after (or between) its positional arguments, the
// way the issue found `run build --dry-run` refused.
func TestFlagsAnywhereInEveryCommand(t *testing.T) {
	cfg, _ := writeSmallConfig(t, "")
	dir := t.TempDir()
	csvOut := filepath.Join(dir, "oecd.csv")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string // substring of stdout ("" for none)
		stderr string // substring of stderr ("" for none)
	}{
		{"run: target then --dry-run", []string{"run", "befolkning", "--dry-run", "--config", cfg}, exitOK, "fetch/befolkning", ""},
		{"run: -- makes --dry-run a target", []string{"run", "--config", cfg, "--", "--dry-run"}, exitUsage, "", "--dry-run"},
		{"refresh: dataset then flags", []string{"refresh", "befolkning", "--config", cfg, "-q"}, exitOK, "", ""},
		{"status: --json after --config", []string{"status", "--config", cfg, "--json"}, exitOK, `"befolkning"`, ""},
		{"status: no positional arguments", []string{"status", "extra", "--config", cfg}, exitUsage, "", "status tar ingen argumenter"},
		{"convert: --out before the input", []string{"convert", "--out", csvOut, oecdSample}, exitOK, "", ""},
		{"convert: the input between flags", []string{"convert", "--max-cells", "1000", oecdSample, "--out", csvOut}, exitOK, "", ""},
		{"convert: a second input is refused", []string{"convert", oecdSample, "--out", csvOut, oecdSample}, exitUsage, "", "Bruk: grunnlag convert"},
		{"indicators: --lang after the subcommand", []string{"indicators", "show", "utdanning_hoyere_andel", "--lang", "en"}, exitOK, "Formula", ""},
		{"indicators: --lang before", []string{"indicators", "--lang", "en", "list"}, exitOK, "utdanning_hoyere_andel", ""},
		{"regions: trace CODE --klass", []string{"regions", "trace", "5012", "--klass", "../../testdata/klass"}, exitOK, "5012", ""},
		{"survey: flags before build", []string{"survey", "--config", cfg, "build", "-q"}, exitConfig, "", "survey build: " + cfg + " har ingen needs-del"},
		{"build: extra argument after a flag", []string{"build", "--config", cfg, "extra"}, exitUsage, "", "Bruk: grunnlag build"},
		{"book: extra argument before a flag", []string{"book", "extra", "--config", cfg}, exitUsage, "", "Bruk: grunnlag book"},
		{"charts: -h after a flag", []string{"charts", "--config", cfg, "-h"}, exitOK, "", "Bruk: grunnlag charts"},
		{"export: extra argument", []string{"export", "extra", "--config", cfg}, exitUsage, "", "Bruk: grunnlag export"},
		{"import: --list after a flag", []string{"import", "--config", cfg, "--list"}, exitOK, "nav-hovedtall", ""},
		{"serve: no positional arguments", []string{"serve", "extra", "--config", cfg}, exitUsage, "", "serve tar ingen argumenter"},
		{"version: -h", []string{"version", "-h"}, exitOK, "", "Bruk: grunnlag version"},
		{"version: no arguments", []string{"version", "extra"}, exitUsage, "", "Bruk: grunnlag version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("%q: exit %d\nstdout %q\nstderr %q\nwant exit %d, stdout with %q, stderr with %q",
					tc.args, code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
	if _, err := os.Stat(csvOut); err != nil {
		t.Errorf("convert --out %s INPUT wrote nothing: %v", csvOut, err)
	}
}
