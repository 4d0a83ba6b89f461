package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// configErrors returns the problems of a Load error one by one.
func configErrors(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		if m, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range m.Unwrap() {
				walk(x)
			}
			return
		}
		switch e.(type) {
		case *KeyError, *ValueError:
			out = append(out, e)
			return
		}
		if u := errors.Unwrap(e); u != nil {
			walk(u)
			return
		}
		out = append(out, e)
	}
	walk(err)
	return out
}

func TestUnknownKeyNamesLineAndNearestKey(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // each problem's message, in file order
	}{
		{"the issue's typo", "kb: ./kb\nretension: 10\n" + strings.TrimPrefix(issueExample, "kb: ./kb\n"),
			[]string{"ukjent nøkkel «retension» på linje 2; mente du «retention»?"}},
		{"nested key, swapped letters", strings.Replace(issueExample, "base_url:", "bsae_url:", 1),
			// The typo is reported, and so is what it leaves missing.
			[]string{"ukjent nøkkel «bsae_url» på linje 3 under sources.ssb; mente du «base_url»?",
				`sources.ssb.base_url: "" is not an http(s) URL`}},
		{"case only", strings.Replace(issueExample, "    table:", "    Table:", 1),
			[]string{"ukjent nøkkel «Table» på linje 7 under datasets.utdanningsniva; mente du «table»?",
				"datasets.utdanningsniva.table: missing"}},
		{"inside a selection", strings.Replace(issueExample, "codelist: agg", "codelst: agg", 1),
			// The selection is the pxweb factory's to decode (sources/pxweb).
			[]string{"datasets.utdanningsniva.linje 9: ukjent nøkkel «codelst» i et utvalg (gyldige nøkler: codelist, values, output_values)"}},
		{"nothing near: the valid keys", issueExample + "regions:\n  zzz: 1\n",
			[]string{"ukjent nøkkel «zzz» på linje 15 under regions (gyldige nøkler her: bundle, from, groups, klass, to)"}},
		{"a word where a list belongs", issueExample + "schedule:\n  jobs:\n    a: {cron: \"0 8 * * *\", targets: build}\n",
			[]string{"schedule.jobs.a.targets på linje 16: «build» er ikke en liste (for eksempel [a, b])"}},
		{"a mapping where a word belongs", strings.Replace(issueExample, "kb: ./kb", "kb: {path: ./kb}", 1),
			[]string{"kb på linje 1: «{...}» er ikke en enkelt verdi"}},
		{"a word where a section belongs", issueExample + "regions: klass\n",
			[]string{"regions på linje 14: «klass» er ikke en del med nøkler (nøkkel: verdi på linjene under)"}},
		{"every problem at once", "kbb: ./kb\npast_dayz: 3\n" + strings.TrimPrefix(issueExample, "kb: ./kb\n") + "retention: ti\n",
			[]string{
				"ukjent nøkkel «kbb» på linje 1; mente du «kb»?",
				"ukjent nøkkel «past_dayz» på linje 2; mente du «past_days»?",
				"retention på linje 15: «ti» er ikke et heltall",
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeConfig(t, tc.text)
			_, err := Load(p)
			if err == nil {
				t.Fatalf("Load = nil error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("Load error = %v, want it to name the file %s", err, p)
			}
			got := configErrors(err)
			if len(got) != len(tc.want) {
				t.Fatalf("Load error = %v\nwant %d problems: %q", err, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if got[i].Error() != w {
					t.Errorf("problem %d = %q, want %q", i, got[i].Error(), w)
				}
			}
		})
	}
}

func TestKeyErrorFields(t *testing.T) {
	_, err := Load(writeConfig(t, "kb: ./kb\nretension: 10\n"))
	var ke *KeyError
	if !errors.As(err, &ke) {
		t.Fatalf("Load error = %v (%T), want a *KeyError", err, err)
	}
	if ke.Line != 2 || ke.Column != 1 || ke.Key != "retension" || ke.Path != "" || ke.Suggestion != "retention" {
		t.Errorf("KeyError = %+v, want line 2, column 1, key retension, suggestion retention", ke)
	}
}

func TestEditDistance(t *testing.T) {
	// Distances counted by hand: one substitution (s→t); one transposition;
	// one insertion; kitten→sitting is the textbook 3 (k→s, e→i, +g).
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"retension", "retention", 1},
		{"bsae_url", "base_url", 1},
		{"kb", "kbb", 1},
		{"kitten", "sitting", 3},
		{"", "abc", 3},
		{"nøkkel", "nokkel", 1}, // runes, not bytes
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if got := nearest("zzz", []string{"bundle", "from", "groups", "klass", "to"}); got != "" {
		t.Errorf("nearest(zzz) = %q, want none (every key is 3 or more edits away)", got)
	}
}

func TestParseDurationDaysAndYears(t *testing.T) {
	day := 24 * time.Hour
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"31d", 31 * day}, // 744h
		{"1y", 365 * day}, // 8760h, the demo's "yearly"
		{"1y6d", 371 * day},
		{"2d12h", 60 * time.Hour},
		{"1.5d", 36 * time.Hour},
		{"-1d", -day},
		{"90s", 90 * time.Second},
		{"8760h", 365 * day},
		{"30m", 30 * time.Minute},
	} {
		got, err := ParseDuration(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "1w", "d", "10", "1dd", "y1"} {
		if got, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", in, got)
		}
	}
}

func TestEveryDurationTakesDaysAndYears(t *testing.T) {
	text := strings.Replace(issueExample, `lang: "no"}`, `lang: "no", timeout: 1d}`, 1) +
		"    expect: 1y\n" +
		`schedule:
  backfill: 1d
  stale_check: 2d
  jobs:
    innboks: {watch: ./innboks, every: 1d}
notify:
  webhook: {url: "http://127.0.0.1:9/hook", timeout: 1d}
`
	c, err := Load(writeConfig(t, text))
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	day := 24 * time.Hour
	for _, tc := range []struct {
		key       string
		got, want time.Duration
	}{
		{"sources.ssb.timeout", c.Sources["ssb"].Timeout, day},
		{"datasets.utdanningsniva.expect", c.Datasets["utdanningsniva"].Expect, 365 * day},
		{"schedule.backfill", c.Schedule.Backfill, day},
		{"schedule.stale_check", c.Schedule.StaleCheck, 2 * day},
		{"schedule.jobs.innboks.every", c.Schedule.Jobs["innboks"].Every, day},
		{"notify.webhook.timeout", c.Notify.Webhook.Timeout, day},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.key, tc.got, tc.want)
		}
	}
}

func TestBadDurationNamesKeyAndLine(t *testing.T) {
	_, err := Load(writeConfig(t, issueExample+"    expect: 1w\n"))
	var ve *ValueError
	if !errors.As(err, &ve) {
		t.Fatalf("Load error = %v (%T), want a *ValueError", err, err)
	}
	if ve.Line != 14 || ve.Path != "datasets.utdanningsniva.expect" || ve.Value != "1w" {
		t.Errorf("ValueError = %+v, want line 14, datasets.utdanningsniva.expect, 1w", ve)
	}
	if !strings.Contains(ve.Error(), "en dag er 24 timer og et år 365 dager") {
		t.Errorf("ValueError = %q, want it to say what a day and a year are", ve.Error())
	}
}
