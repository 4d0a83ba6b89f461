package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/config"
)

// pxwebRecorded is where sources/pxweb keeps the recorded PxWebApi v2
// answers (its testdata/PROVENANCE.md): SCB's /config, /tables and
// /tables?query=befolkning, and the PxWebApi demo server's TAB001.
const pxwebRecorded = "../../sources/pxweb/testdata"

// tablesServer replays the recorded answers; an unrecorded request fails
// the test with its URL. /tables/NOPE answers 404 (problem+json) and
// /tables?query=trasig a body without `page`, /tables?query=ingenting an
// empty page. It returns the requests
// received (path?query).
func tablesServer(t *testing.T) (*httptest.Server, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var got []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.Path+"?"+r.URL.RawQuery)
		mu.Unlock()
		file := ""
		switch q := r.URL.Query().Get("query"); {
		case r.URL.Path == "/config":
			file = "scb/config.json"
		case r.URL.Path == "/tables" && q == "befolkning":
			file = "scb/search.json"
		case r.URL.Path == "/tables" && q == "":
			file = "scb/tables.json" // page 1 whatever page is asked: only page 1 is recorded
		case r.URL.Path == "/tables" && q == "trasig":
			_, _ = w.Write([]byte(`{"language":"sv","tables":[]}`))
			return
		case r.URL.Path == "/tables" && q == "ingenting":
			// Synthetic: an empty page, as PxWebApi answers a search without hits.
			_, _ = w.Write([]byte(`{"language":"no","tables":[],"page":{"pageNumber":1,"pageSize":20,"totalElements":0,"totalPages":0,"links":[]}}`))
			return
		case r.URL.Path == "/tables/TAB001":
			file = "demo/TableById_tab001.json"
		case r.URL.Path == "/tables/TAB001/metadata":
			file = "demo/MetadataById_tab001_js2.json"
		case r.URL.Path == "/tables/NOPE":
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"type":"about:blank","title":"Not Found","status":404,"detail":"Table not found"}`))
			return
		default:
			t.Errorf("unrecorded request %s", r.URL)
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join(pxwebRecorded, file))
		if err != nil {
			t.Error(err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	}))
	t.Cleanup(ts.Close)
	return ts, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), got...) }
}

// runBinary runs the grunnlag command line in a child process (the test
// binary re-executed as main, TestHelperProcess) in dir, so that nothing
// of the test's own state reaches it.
func runBinary(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := helper(t, args...)
	cmd.Dir = dir
	var out, errw bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errw
	err := cmd.Run()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() < 0 {
		t.Fatalf("grunnlag %v: %v", args, err)
	}
	code = cmd.ProcessState.ExitCode()
	return code, out.String(), errw.String()
}

func TestTablesSearchBinary(t *testing.T) {
	ts, requests := tablesServer(t)
	// The child runs in an empty directory: no grunnlag.yaml is found.
	code, out, errw := runBinary(t, t.TempDir(), "tables", "search", "befolkning", "--base-url", ts.URL)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errw)
	}
	lines := strings.Split(out, "\n")
	// scb/search.json: the first hit TAB4552, periods 1960-2024, updated
	// 2026-06-02T06:00:00Z (08:00 in Oslo: the same day); 10 hits on 1 page.
	for i, want := range map[int][]string{
		0: {"ID", "Tittel", "Periode", "Sist oppdatert"},
		1: {"TAB4552", "Befolkningens anslutning till kommunalt vatten och avlopp. År 1960-2024", "1960–2024", "2026-06-02"},
	} {
		if got := strings.Fields(lines[i]); strings.Join(got, " ") != strings.Join(strings.Fields(strings.Join(want, " ")), " ") {
			t.Errorf("line %d = %q, want the fields %q", i, lines[i], want)
		}
	}
	if len(lines) != 1+10+1+1+1 { // header, 10 tables, blank, hint, final newline
		t.Errorf("%d lines, want 14:\n%s", len(lines), out)
	}
	if !strings.Contains(out, "side 1 av 1 (10 tabeller)\n") || strings.Contains(out, "--side") {
		t.Errorf("paging hint wrong (one page, no --side hint):\n%s", out)
	}
	if r := requests(); len(r) != 2 || r[1] != "/tables?lang=no&pageNumber=1&query=befolkning" {
		t.Errorf("requests = %q, want /config and /tables?lang=no&pageNumber=1&query=befolkning", r)
	}
}

func TestTablesSearchPagingAndJSON(t *testing.T) {
	ts, requests := tablesServer(t)
	// scb/tables.json is page 1 of 213, 4246 tables.
	code, out, errw := runCLI(t, "tables", "search", "", "--base-url", ts.URL)
	if code != exitOK || !strings.HasSuffix(out, "\nside 1 av 213 (4246 tabeller); --side 2 for flere\n") {
		t.Errorf("exit %d, stdout ends %q, stderr %s; want the hint «side 1 av 213 (4246 tabeller); --side 2 for flere»", code, out[max(0, len(out)-80):], errw)
	}
	code, out, errw = runCLI(t, "tables", "search", "", "--json", "--side", "2", "--base-url", ts.URL)
	if code != exitOK {
		t.Fatalf("--json: exit %d: %s", code, errw)
	}
	if r := requests(); !strings.Contains(r[len(r)-1], "pageNumber=2") {
		t.Errorf("--side 2 sent %q, want pageNumber=2", r[len(r)-1])
	}
	var got struct {
		Page, Pages, Total int
		Tables             []struct{ ID, Title, Updated, First_period, Last_period string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	// The replayed page is page 1 (only it is recorded); TAB4707 first,
	// updated 2026-05-29T06:00:00Z, 2015M04-2026M03.
	if got.Page != 1 || got.Pages != 213 || got.Total != 4246 || len(got.Tables) != 20 || got.Tables[0].ID != "TAB4707" ||
		got.Tables[0].Updated != "2026-05-29T06:00:00Z" || got.Tables[0].First_period != "2015M04" || got.Tables[0].Last_period != "2026M03" {
		t.Errorf("--json = %+v", got)
	}
}

func TestTablesSearchNothing(t *testing.T) {
	ts, _ := tablesServer(t)
	code, out, errw := runCLI(t, "tables", "search", "ingenting", "--base-url", ts.URL)
	if code != exitOK || out != "Ingen tabeller svarer til «ingenting».\n" {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 0 and «Ingen tabeller svarer til «ingenting».»", code, out, errw)
	}
}

func TestTablesShowBinary(t *testing.T) {
	ts, requests := tablesServer(t)
	dir := t.TempDir()
	code, out, errw := runBinary(t, dir, "tables", "show", "TAB001", "--base-url", ts.URL, "--lang", "en")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errw)
	}
	// demo/TableById_tab001.json and MetadataById_tab001_js2.json: sizes
	// [30,3,22,1,3]; AGE alone may be eliminated; REGION's first values
	// AT Austria ... (30-5 = 25 not shown); HNMGA's unit base "amount".
	for _, want := range []string{
		"ID:              TAB001\n",
		"Title:           Population by region, sex, age, contents and year\n",
		"Period:          1981–2001\n",
		"Last updated:    2023-05-25\n",
		"  REGION  region  (30 values; must be selected)\n",
		"      AT  Austria\n",
		"      … and 25 more (--verdier 0 shows all)\n",
		"  AGE  age  (22 values; can be left out)\n",
		"  ContentsCode  contents  (1 value; must be selected)\n      HNMGA  Population  (amount)\n",
		"  TIME  year  (3 values; time)\n      1981  1981\n      1991  1991\n      2001  2001\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show output lacks %q:\n%s", want, out)
		}
	}
	if r := requests(); len(r) != 3 || r[2] != "/tables/TAB001/metadata?lang=en&outputFormat=json-stat2" {
		t.Errorf("requests = %q", r)
	}

	// The datasets: block, pasted into a config naming the source,
	// validates with the config loader (the kinds' checks included).
	i := strings.Index(out, "\ndatasets:\n")
	if i < 0 {
		t.Fatalf("no datasets: block in\n%s", out)
	}
	block := out[i+1:]
	wantBlock := `datasets:
  tab001: # endre ID-en om du vil: små bokstaver, tall og _
    source: ssb
    table: TAB001
    title: Population by region, sex, age, contents and year
    select:
      REGION: ["*"] # region: 30 verdier
      SEX: ["*"] # sex: 3 verdier
      AGE: ["*"] # age: 22 verdier; kan utelates
      ContentsCode: ["*"] # contents: 1 verdi
      TIME: ["*"] # year: 3 verdier; tid ("top(5)" gir de fem siste)
`
	if block != wantBlock {
		t.Errorf("datasets block =\n%s\nwant\n%s", block, wantBlock)
	}
	cfgPath := filepath.Join(dir, "grunnlag.yaml")
	cfgText := "kb: ./kb\nsources:\n  ssb: {kind: pxweb, base_url: \"" + ts.URL + "\"}\n" + block
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatalf("the pasted block does not validate: %v\n%s", err, cfgText)
	}
	d := cfg.Datasets["tab001"]
	if d == nil || d.Source != "ssb" || d.Table != "TAB001" || len(d.Params["select"].Content) != 2*5 {
		t.Errorf("loaded dataset = %+v", d)
	}

	// That config is now found in the working directory and names the
	// source: show reads it without --base-url.
	code, out2, errw := runBinary(t, dir, "tables", "show", "TAB001", "--lang", "en")
	if code != exitOK || out2 != out {
		t.Errorf("show with the config: exit %d, stderr %s; output differs from --base-url's:\n%s", code, errw, out2)
	}
}

func TestTablesShowJSON(t *testing.T) {
	ts, _ := tablesServer(t)
	code, out, errw := runCLI(t, "tables", "show", "TAB001", "--json", "--base-url", ts.URL)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errw)
	}
	var got struct {
		ID, Updated, Producer string
		Variables             []struct {
			Code        string
			Time        bool
			Elimination bool
			Values      []struct{ Code, Label, Unit string }
		}
		DatasetsBlock string `json:"datasets_block"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	// MetadataById_tab001_js2.json: 5 variables, all values listed (30
	// regions, unlike the text output's first 5); AGE may be eliminated;
	// HNMGA's unit is "amount"; the table's source is Eurostat.
	if got.ID != "TAB001" || got.Updated != "2023-05-25T13:42:00Z" || got.Producer != "Eurostat" || len(got.Variables) != 5 ||
		len(got.Variables[0].Values) != 30 || !got.Variables[2].Elimination || got.Variables[2].Code != "AGE" ||
		got.Variables[3].Values[0].Unit != "amount" || !got.Variables[4].Time ||
		!strings.HasPrefix(got.DatasetsBlock, "datasets:\n  tab001:") {
		t.Errorf("--json = %+v", got)
	}
}

func TestTablesErrors(t *testing.T) {
	ts, _ := tablesServer(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "grunnlag.yaml")
	if err := os.WriteFile(cfg, []byte("sources:\n  ssb: {kind: pxweb, base_url: \""+ts.URL+"\"}\n"+
		"  dbh: {kind: dbh, base_url: \"https://dbh.hkdir.no/api\"}\n"+
		"datasets:\n  x: {source: ssb, table: TAB001, select: {TIME: [\"*\"]}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nope.yaml")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", []string{"tables"}, exitUsage, "Bruk:"},
		{"show without ID", []string{"tables", "show"}, exitUsage, "Bruk:"},
		{"show two IDs", []string{"tables", "show", "A", "B"}, exitUsage, "Bruk:"},
		{"page 0", []string{"tables", "search", "x", "--side", "0", "--base-url", ts.URL}, exitUsage, "--side 0"},
		{"missing config given", []string{"tables", "search", "x", "--source", "scb", "--config", missing}, exitConfig, "nope.yaml"},
		// No grunnlag.yaml in the package directory: only ssb is known.
		{"unknown source without config", []string{"tables", "search", "x", "--source", "scb"}, exitUsage, "uten konfigurasjon kjennes bare «ssb»"},
		{"unknown source in config", []string{"tables", "search", "x", "--source", "scb", "--config", cfg}, exitUsage, `--source "scb" finnes ikke`},
		{"source that cannot search", []string{"tables", "search", "x", "--source", "dbh", "--config", cfg}, exitUsage, "kan ikke søkes i"},
		{"unknown table", []string{"tables", "show", "NOPE", "--base-url", ts.URL}, exitFailed, "/tables/NOPE"},
		{"unknown table says so", []string{"tables", "show", "NOPE", "--config", cfg}, exitFailed, `har ingen tabell "NOPE"`},
		{"malformed answer names the URL", []string{"tables", "search", "trasig", "--base-url", ts.URL}, exitFailed, "/tables?lang=no&pageNumber=1&query=trasig: page: missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
			}
		})
	}
}

func TestDatasetID(t *testing.T) {
	for in, want := range map[string]string{"TAB001": "tab001", "09429": "tabell_09429", "TAB-6471": "tab_6471", "Ålder": "tabell__lder"} {
		if got := datasetID(in); got != want {
			t.Errorf("datasetID(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTablesDemoBundle: a config source with `bundle:` answers from its
// bundle, offline. The demo bundle (testdata/demo/ssb, its tables
// folders; mostly synthetic figures) has two tables whose titles contain
// «utdanning»: 09429 and demo-utdanning-alder.
func TestTablesDemoBundle(t *testing.T) {
	code, out, errw := runCLI(t, "tables", "search", "utdanning", "--config", "../../testdata/demo/grunnlag.yaml", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errw)
	}
	var got struct {
		Total  int
		Tables []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	// The bundle's tables on the subject utdanning or with it in the title:
	// 09429, 14863 (completion), demo-evu (adults in formal education) and
	// demo-utdanning-alder.
	want := []string{"09429", "14863", "demo-evu", "demo-utdanning-alder"}
	var ids []string
	for _, tb := range got.Tables {
		ids = append(ids, tb.ID)
	}
	if got.Total != len(want) || !slices.Equal(ids, want) {
		t.Errorf("search utdanning in the demo bundle = %+v, want %v", got, want)
	}
	// The dataset ID made from a table ID starting with a digit.
	code, out, errw = runCLI(t, "tables", "show", "09429", "--config", "../../testdata/demo/grunnlag.yaml")
	if code != exitOK || !strings.Contains(out, "  tabell_09429: #") || !strings.Contains(out, `    table: "09429"`) {
		t.Errorf("show 09429: exit %d, stderr %s, output\n%s", code, errw, out)
	}
}
