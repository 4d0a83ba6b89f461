package main

import (
	"os"
	"strings"
	"testing"
)

// TestConfigErrorsInTheUsersWords: a mistyped key is reported by file,
// line and the nearest valid key, every problem at once, with exit 3; a
// duration in days is accepted.
func TestConfigErrorsInTheUsersWords(t *testing.T) {
	cfg, _ := writeSmallConfig(t, "")
	text, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Line 1 is kb:, so the first typo is on line 2; befolkning's select was
	// line 13 of smallDemoConfig, one more with retension: selct goes there.
	lines := strings.SplitN(string(text), "\n", 2)
	bad := lines[0] + "\nretension: 10\n" + strings.Replace(lines[1], "    select: {Region: [\"0\", \"40\"], Kjonn", "    selct: {}\n    select: {Region: [\"0\", \"40\"], Kjonn", 1)
	if err := os.WriteFile(cfg, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "run", "--dry-run", "--config", cfg)
	if code != exitConfig {
		t.Fatalf("run with a mistyped key: exit %d, want %d\n%s", code, exitConfig, stderr)
	}
	for _, want := range []string{
		cfg,
		"ukjent nøkkel «retension» på linje 2; mente du «retention»?",
		"ukjent nøkkel «selct» på linje 14 under datasets.befolkning; mente du «select»?",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("run with mistyped keys: stderr = %q\nwant it to contain %q", stderr, want)
		}
	}
	if strings.Contains(stderr, "not found in type") {
		t.Errorf("stderr still reads like Go: %q", stderr)
	}

	good := strings.Replace(string(text), "expect: 744h", "expect: 31d", 1)
	if good == string(text) {
		t.Fatal("the small config has no expect: 744h to rewrite")
	}
	if err := os.WriteFile(cfg, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI(t, "run", "--dry-run", "--config", cfg); code != exitOK {
		t.Errorf("run with expect: 31d: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
