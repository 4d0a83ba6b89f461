package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	srcoffers "github.com/grunnlag/grunnlag/sources/offers"
)

func TestOffersValidate(t *testing.T) {
	bad := filepath.Join("..", "..", "sources", "offers", "testdata", "bad-rows.csv")
	demo := filepath.Join("..", "..", "testdata", "demo", "offers", "tilbud-syntetisk.csv")
	klass := "../../testdata/klass"
	tests := []struct {
		name      string
		args      []string
		code      int
		wantLines int      // problems printed on stdout
		want      []string // lines that must be among them
	}{
		// bad-rows.csv: 14 problems, asserted one by one in sources/offers
		// TestBadRows; here with the real region model from KLASS (1601
		// Trondheim ended 2018-01-01, so it is unknown today).
		{"bad rows", []string{"validate", bad}, exitFailed, 14, []string{
			bad + ":3:orgnr: 999000119: kontrollsifferet stemmer ikke (MOD11)",
			bad + ":4:kommunenr: 1601: ukjent kommunenummer (gjaldt ikke på " + todayOslo().Format("2006-01-02") + ")",
			bad + ":5:nkr: 9: NKR-nivået må være mellom 1 og 8 (eller 5.1 eller 5.2)",
			bad + ":6:kapasitet: mange: må være et helt tall (antall plasser)",
		}},
		{"demo catalog", []string{"validate", demo}, exitOK, 0, nil},
		{"no file", []string{"validate"}, exitUsage, 0, nil},
		{"bad mapping", []string{"validate", demo, "--mapping", bad}, exitConfig, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
			code := runOffers(context.Background(), e, append(tt.args, "--klass", klass))
			if code != tt.code {
				t.Fatalf("offers %v = exit %d, want %d; stderr %s", tt.args, code, tt.code, errb.String())
			}
			lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
			if out.Len() == 0 {
				lines = nil
			}
			if len(lines) != tt.wantLines {
				t.Errorf("offers %v printed %d problems, want %d:\n%s", tt.args, len(lines), tt.wantLines, out.String())
			}
			for _, w := range tt.want {
				found := false
				for _, l := range lines {
					found = found || l == w
				}
				if !found {
					t.Errorf("offers %v: no line %q in\n%s", tt.args, w, out.String())
				}
			}
		})
	}
}

// The CSV template on stdout is the header line; the XLSX template written
// with --out validates as an empty, valid catalog.
func TestOffersTemplate(t *testing.T) {
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if code := runOffers(context.Background(), e, []string{"template"}); code != exitOK {
		t.Fatalf("offers template = exit %d; %s", code, errb.String())
	}
	want := strings.Join(srcoffers.Columns, ";") + "\n"
	if out.String() != want || !strings.HasPrefix(want, "tilbyder;orgnr;tittel;") {
		t.Errorf("offers template = %q, want %q", out.String(), want)
	}
	xlsx := filepath.Join(t.TempDir(), "mal.xlsx")
	out.Reset()
	if code := runOffers(context.Background(), e, []string{"template", "--out", xlsx}); code != exitOK {
		t.Fatalf("offers template --out = exit %d; %s", code, errb.String())
	}
	if fi, err := os.Stat(xlsx); err != nil || fi.Size() == 0 {
		t.Fatalf("template file: %v", err)
	}
	if code := runOffers(context.Background(), e, []string{"validate", xlsx, "--klass", "../../testdata/klass"}); code != exitOK || out.Len() != 0 {
		t.Errorf("offers validate (template) = exit %d, stdout %q; stderr %s", code, out.String(), errb.String())
	}
	if code := runOffers(context.Background(), e, []string{"template", "--format", "pdf"}); code != exitUsage {
		t.Errorf("offers template --format pdf = exit %d, want %d", code, exitUsage)
	}
}

// offers build on a config without needs publishes tilbud only and says
// that behov_tilbud needs the survey; a catalog with a bad row publishes
// nothing and prints the problem.
func TestOffersBuild(t *testing.T) {
	dir := t.TempDir()
	klass, _ := filepath.Abs("../../testdata/klass")
	demo, _ := filepath.Abs("../../testdata/demo/offers/tilbud-syntetisk.csv")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	head := "kb: kb\nsources:\n  nav: {kind: nav, base_url: \"https://nav.offline\"}\ndatasets:\n  x: {source: nav, url: \"https://nav.offline/a.csv\", mapping: nav-hovedtall}\nregions:\n  bundle: " + klass + "\n"
	cfg := write("grunnlag.yaml", head+"offers:\n  catalog: "+demo+"\n  synthetic: true\n")
	code, stdout, stderr := runCLI(t, "offers", "build", "--config", cfg, "-q")
	if code != exitOK || !strings.Contains(stdout, "tilbud         ny versjon") || !strings.Contains(stdout, "behov_tilbud ikke bygget") {
		t.Fatalf("offers build = exit %d\n%s\n%s", code, stdout, stderr)
	}
	bad := write("bad.csv", strings.Join(srcoffers.Columns, ";")+"\n"+
		"Demo (syntetisk);999000119;Feil;uh;hoyere;;;ikt;;;;nett;;;;;;;\n") // a cell per template column, gronn last
	cfg2 := write("bad.yaml", strings.Replace(head, "kb: kb", "kb: kb2", 1)+"offers:\n  catalog: "+bad+"\n")
	code, stdout, stderr = runCLI(t, "offers", "build", "--config", cfg2, "-q")
	if code != exitFailed || !strings.Contains(stdout, bad+":2:orgnr: 999000119: kontrollsifferet stemmer ikke (MOD11)") {
		t.Errorf("offers build (bad row) = exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "kb2", "datasets", "tilbud")); !os.IsNotExist(err) {
		t.Errorf("a catalog over the error budget published tilbud (stat: %v)", err)
	}
}
