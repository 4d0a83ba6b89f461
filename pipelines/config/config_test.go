package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/sources/pxweb"
)

// issueExample is the config shape given in the foundation issue, verbatim.
const issueExample = `kb: ./kb
sources:
  ssb: {kind: pxweb, base_url: "https://data.ssb.no/api/pxwebapi/v2", lang: "no"}
datasets:
  utdanningsniva:
    source: ssb
    table: "09429"
    select:
      Region: {codelist: agg_KommSummer, values: ["*"]}
      Nivaa: ["*"]
      Kjonn: ["0"]
      ContentsCode: ["Personer", "PersonerProsent"]
      Tid: ["top(10)"]
`

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "grunnlag.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadIssueExample(t *testing.T) {
	p := writeConfig(t, issueExample)
	c, err := Load(p)
	if err != nil {
		t.Fatalf("Load(issue example) = %v", err)
	}
	if want := filepath.Join(filepath.Dir(p), "kb"); c.KB != want {
		t.Errorf("KB = %q, want %q (relative to the config file)", c.KB, want)
	}
	d := c.Datasets["utdanningsniva"]
	if d == nil || d.Table != "09429" {
		t.Fatalf("dataset utdanningsniva = %+v", d)
	}
	// The select section is the pxweb factory's to decode.
	q, err := pxweb.NewFactory().Query(d.Spec("utdanningsniva", "pxweb"))
	if err != nil {
		t.Fatalf("pxweb query: %v", err)
	}
	sel := map[string]pxweb.VarSelection{}
	for _, v := range q.(*pxweb.Query).Selection {
		sel[v.Variable] = v
	}
	if r := sel["Region"]; r.Codelist != "agg_KommSummer" || len(r.ValueCodes) != 1 || r.ValueCodes[0] != "*" {
		t.Errorf("Region selection = %+v", r)
	}
	if got := sel["ContentsCode"].ValueCodes; len(got) != 2 || got[1] != "PersonerProsent" {
		t.Errorf("ContentsCode values = %v", got)
	}
	if *c.Retention != DefaultRetention || *c.PastDays != DefaultPastDays {
		t.Errorf("defaults: retention %d past_days %d", *c.Retention, *c.PastDays)
	}
	if c.Sources["ssb"].Timeout != DefaultTimeout {
		t.Errorf("timeout default = %v", c.Sources["ssb"].Timeout)
	}
}

func TestUnknownKeysAreErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"top level", issueExample + "kbb: x\n", "kbb"},
		{"source", strings.Replace(issueExample, `lang: "no"`, `lang: "no", langg: en`, 1), "langg"},
		{"selection mapping", strings.Replace(issueExample, "codelist: agg_KommSummer", "codelst: agg_KommSummer", 1), "codelst"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeConfig(t, tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load = %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	text := `retention: -1
sources:
  ssb: {kind: pxwbe, base_url: "data.ssb.no"}
datasets:
  Bad-ID:
    source: nav
    select:
      Tid: []
`
	_, err := Load(writeConfig(t, text))
	if err == nil {
		t.Fatal("Load accepted a broken config")
	}
	msg := err.Error()
	for _, want := range []string{
		"retention",
		`sources.ssb.kind: "pxwbe"`,
		"sources.ssb.base_url",
		"datasets.Bad-ID: a dataset ID",
		`datasets.Bad-ID.source: "nav"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

func TestEmptyFile(t *testing.T) {
	if _, err := Load(writeConfig(t, "")); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("Load(empty) = %v, want an error saying it is empty", err)
	}
}

func TestKindChecks(t *testing.T) {
	text := `sources:
  ssb: {kind: pxweb, base_url: "https://data.ssb.no/api/pxwebapi/v2"}
  nav: {kind: nav, base_url: "https://www.nav.no"}
  udir: {kind: udir, base_url: "https://statistikkportalen.udir.no/api/rapportering/rest/v1"}
  dbh: {kind: dbh, base_url: "https://dbh.hkdir.no/api/Tabeller/hentJSONTabellData"}
datasets:
  no_table: {source: ssb, select: {Tid: ["top(1)"]}}
  no_url: {source: nav, mapping: nav-hovedtall}
  no_report: {source: udir}
  no_query: {source: dbh}
  select_on_file: {source: nav, url: "https://www.nav.no/x.csv", mapping: nav-hovedtall, select: {Tid: ["*"]}}
  empty_values: {source: ssb, table: "1", select: {Tid: []}}
`
	_, err := Load(writeConfig(t, text))
	if err == nil {
		t.Fatal("Load accepted datasets that lack what their kind needs")
	}
	for _, want := range []string{
		"datasets.no_table.table: missing",
		"datasets.no_url.url",
		"datasets.no_report.report",
		"datasets.no_query.dbh",
		// The nav factory decodes its section strictly: select is pxweb's.
		"ukjent nøkkel «select» på linje 11 under datasets.select_on_file",
		"datasets.empty_values.select.Tid: no values",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
}

// FuzzParse: the config loader never panics, whatever the YAML; a config
// it accepts validates without panicking too.
func FuzzParse(f *testing.F) {
	f.Add(issueExample)
	f.Add("kb: x\nsources: {a: {kind: nav}}\ndatasets: {b: {source: a, dbh: {table: 1}}}\n")
	f.Add("regions: {from: 2030-01-01, to: 2020-01-01}\n")
	f.Add("datasets: {x: {select: {Tid: {codelist: a, values: [b], output_values: c}}}}\n")
	f.Add("\t- [")
	if b, err := os.ReadFile("../../testdata/demo/grunnlag.yaml"); err == nil {
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(strings.NewReader(text))
		if err != nil {
			return
		}
		_ = c.Validate()
	})
}
