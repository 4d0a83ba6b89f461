package tabular

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// fakeRegions is a hand-written regions model for tests: names resolve to
// codes from a date on (the county reform of 1 January 2024 splits 38 into
// 39 Vestfold and 40 Telemark), and Known accepts the listed codes.
type fakeRegions struct {
	calls []string
}

var reform2024 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func (f *fakeRegions) CodeOnDate(name string, d time.Time) (string, error) {
	f.calls = append(f.calls, name+"@"+d.Format(time.DateOnly))
	switch name {
	case "Telemark":
		if d.Before(reform2024) {
			return "38", nil
		}
		return "40", nil
	case "Skien":
		if d.Before(reform2024) {
			return "3807", nil
		}
		return "4003", nil
	case "Oslo":
		return "03", nil
	}
	return "", fmt.Errorf("unknown region name %q", name)
}

func (f *fakeRegions) Known(code string, d time.Time) bool {
	// The nation, the counties of 2011-2024 and two municipalities.
	switch code {
	case "0", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "14", "15",
		"16", "17", "18", "19", "20", "30", "34", "38", "40", "42", "46", "50", "54", "3807", "4003":
		return true
	}
	return false
}

// cellAt returns the value, presence and status of the cell with the given
// codes (dimension ID -> code; every dimension must be given).
func cellAt(t *testing.T, ds *jsonstat.Dataset, codes map[string]string) (float64, bool, string) {
	t.Helper()
	coords := make([]int, len(ds.Dims))
	for k, d := range ds.Dims {
		want, ok := codes[d.ID]
		if !ok {
			t.Fatalf("cellAt: no code given for dimension %s", d.ID)
		}
		coords[k] = -1
		for i, c := range d.Codes {
			if c == want {
				coords[k] = i
			}
		}
		if coords[k] < 0 {
			t.Fatalf("cellAt: dimension %s has no code %q (codes %v)", d.ID, want, d.Codes)
		}
	}
	i := ds.Index(coords)
	st := ""
	if ds.Status != nil {
		st = ds.Status[i]
	}
	return ds.Values[i], ds.Present[i], st
}

func mustBuiltin(t testing.TB, name string) *Mapping {
	t.Helper()
	m, err := Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustParseFile(t testing.TB, path string, m *Mapping, opts Options) *jsonstat.Dataset {
	t.Helper()
	ds, err := ParseFile(path, m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func mustMapping(t testing.TB, y string) *Mapping {
	t.Helper()
	m, err := ParseMapping([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRealFiles reads real published files (testdata/PROVENANCE.md) with
// the shipped mappings and checks values stated in PROVENANCE.md or read
// off the file by hand.
func TestRealFiles(t *testing.T) {
	t.Run("udir-statistikkbank/Slutta_VGO UTF-16LE sep=", realSluttaVGO)
	t.Run("imdi-integreringsdata ISO-8859-1, 4 header rows", realImdiFullfort)
	t.Run("nav-bedriftsundersokelse-naering UTF-8 BOM, no header", realNavNaering)
	t.Run("nav-bedriftsundersokelse 2017 wide by county", realNavBedrift2017)
	t.Run("Samordna opptak wide, decimal comma", realSamordnaOpptak)
}

// realSluttaVGO reads Udir's Slutta_VGO export (UTF-16LE, tab-separated,
// with a sep= line).
func realSluttaVGO(t *testing.T) {
	m := mustBuiltin(t, "udir-statistikkbank")
	data, err := os.ReadFile("testdata/slutta_vgo.csv")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ReadCSV("slutta_vgo.csv", data, m)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Encoding != "utf-16le" || tab.Delimiter != "\t" {
		t.Errorf("ReadCSV: encoding %q delimiter %q, want utf-16le and tab", tab.Encoding, tab.Delimiter)
	}
	ds, err := Build(tab, m, Options{Regions: &fakeRegions{}})
	if err != nil {
		t.Fatal(err)
	}
	// PROVENANCE.md: Hele landet 2020-21 = 3,0; Telemark (08) 2011-12 = 3,4;
	// Vestfold og Telemark 2020-21 = 2,9.
	for _, c := range []struct {
		region, period string
		want           float64
	}{{"0", "2020-2021", 3.0}, {"08", "2011-2012", 3.4}, {"38", "2020-2021", 2.9}} {
		v, ok, _ := cellAt(t, ds, map[string]string{"region": c.region, "period": c.period,
			"Utvalg": "Alle eierformer.Alle trinn.Begge kjønn", "ContentsCode": "Andel sluttet"})
		if !ok || v != c.want {
			t.Errorf("Slutta_VGO %s %s = %v (present %v), want %v", c.region, c.period, v, ok, c.want)
		}
	}
	// 38 did not exist in 2011-12: the cell is missing, not zero.
	if v, ok, _ := cellAt(t, ds, map[string]string{"region": "38", "period": "2011-2012",
		"Utvalg": "Alle eierformer.Alle trinn.Begge kjønn", "ContentsCode": "Andel sluttet"}); ok {
		t.Errorf("Slutta_VGO 38 2011-2012 = %v, want missing", v)
	}
	pd := ds.Dim("period")
	if got := pd.Labels[len(pd.Labels)-1]; got != "2020-21" {
		t.Errorf("last period label = %q, want the file's %q", got, "2020-21")
	}
	var ext struct {
		SeriesBreak []struct{ Period, Note string } `json:"series_break"`
	}
	if err := json.Unmarshal(ds.Extension, &ext); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, b := range ext.SeriesBreak {
		// The ".Brudd" column of 2018-19 on the national row carries this text.
		if b.Period == "2018-2019" && strings.HasPrefix(b.Note, "Behandlingen av elever med ukjent elevstatus er endret") {
			found = true
		}
	}
	if !found {
		t.Errorf("series_break = %+v, want the 2018-2019 note from the .Brudd column", ext.SeriesBreak)
	}
}

// realImdiFullfort reads an IMDi file (ISO-8859-1, 4 header rows).
func realImdiFullfort(t *testing.T) {
	ds := mustParseFile(t, "testdata/videregaende_fullfort.csv", mustBuiltin(t, "imdi-integreringsdata"), Options{})
	// Read off the file: row F08 Telemark, first column (Hele befolkningen,
	// Kvinner, Personer, 2009) = 732; the Prosent column for 2009 = 73.
	for _, c := range []struct {
		unit string
		want float64
	}{{"Personer", 732}, {"Prosent", 73}} {
		v, ok, _ := cellAt(t, ds, map[string]string{"region": "08", "period": "2009",
			"Bakgrunn": "Hele befolkningen", "Kjonn": "2", "ContentsCode": c.unit})
		if !ok || v != c.want {
			t.Errorf("F08 %s 2009 = %v, want %v", c.unit, v, c.want)
		}
	}
	if got := ds.Dim("region").Labels[7]; got != "Telemark" {
		t.Errorf("region label 8 = %q, want Telemark (decoded from ISO-8859-1)", got)
	}
	if got := ds.Dim("region").Labels[0]; got != "Østfold" {
		t.Errorf("region label 1 = %q, want Østfold", got)
	}
	// Counted with a short script over the data rows: 5706 numbers,
	// 494 ":" and 10 "." markers, 390 empty cells.
	var present, marked int
	for i := range ds.Values {
		if ds.Present[i] {
			present++
		}
		if ds.Status[i] != "" {
			marked++
			if ds.Present[i] || ds.Values[i] != 0 {
				t.Fatalf("cell %d has status %q but a value", i, ds.Status[i])
			}
		}
	}
	if present != 5706 || marked != 504 {
		t.Errorf("present, marked = %d, %d, want 5706, 504", present, marked)
	}
}

// realNavNaering reads NAV's shortage by industry (UTF-8 BOM, no header).
func realNavNaering(t *testing.T) {
	ds := mustParseFile(t, "testdata/mangel_naering_vt_2021.csv", mustBuiltin(t, "nav-bedriftsundersokelse-naering"), Options{})
	// PROVENANCE.md: Bygge- og anlegg 900, Helse- og sosial 800.
	for _, c := range []struct {
		code string
		want float64
	}{{"Bygge- og anleggsvirksomhet", 900}, {"Helse- og sosialtjeneste", 800}} {
		v, ok, _ := cellAt(t, ds, map[string]string{"region": "38", "period": "2021", "Naering": c.code})
		if !ok || v != c.want {
			t.Errorf("mangel %s = %v, want %v", c.code, v, c.want)
		}
	}
	n := ds.Dim("Naering")
	if len(n.Codes) != 12 || n.Codes[0] != "Jordbruk, skogbruk og fiske" {
		t.Errorf("Naering codes = %d, first %q; want 12 (the trailing \";\" line dropped), first without BOM", len(n.Codes), n.Codes[0])
	}
}

// realNavBedrift2017 reads NAV's 2017 business survey, wide by county.
func realNavBedrift2017(t *testing.T) {
	ds := mustParseFile(t, "testdata/bedriftsundersokelse_2017.csv", mustBuiltin(t, "nav-bedriftsundersokelse"), Options{})
	// PROVENANCE.md: 2223 Sykepleiere norge = 3600; 2512 Programvareutviklere
	// oslo = "1 400"; sum of norge = 32800.
	for _, c := range []struct {
		region, yrke string
		want         float64
	}{{"0", "2223", 3600}, {"03", "2512", 1400}} {
		v, ok, _ := cellAt(t, ds, map[string]string{"region": c.region, "period": "2017", "Yrke": c.yrke})
		if !ok || v != c.want {
			t.Errorf("Bedriftsundersøkelsen %s %s = %v, want %v", c.region, c.yrke, v, c.want)
		}
	}
	sum := 0.0
	for k := range ds.Dim("Yrke").Codes {
		i := ds.Index([]int{indexOf(ds.Dim("region").Codes, "0"), 0, k})
		sum += ds.Values[i]
	}
	if sum != 32800 {
		t.Errorf("sum of norge = %v, want 32800", sum)
	}
}

// realSamordnaOpptak reads a Samordna opptak file, wide with decimal commas.
func realSamordnaOpptak(t *testing.T) {
	// Inline mapping: the file names neither year nor codes; the period
	// 2024 is an assumption of this test, not a fact of the file.
	m := mustMapping(t, `
columns: ["Utdanningsomrade"]
decimal: ","
period: {value: "2024"}
dims: {Omrade: {column: Utdanningsomrade}}
melt:
  columns: "^(andel landet|Andel vt)$"
  parts: [{dim: region, map: {"andel landet": "0", "Andel vt": "38"}}]
`)
	ds := mustParseFile(t, "testdata/sokere_hoyere_utdanning_vt.csv", m, Options{})
	// PROVENANCE.md: Helse-... 30 (VT) vs 20,4 (landet).
	for _, c := range []struct {
		region string
		want   float64
	}{{"38", 30}, {"0", 20.4}} {
		v, ok, _ := cellAt(t, ds, map[string]string{"region": c.region, "period": "2024", "Omrade": "Helse- sosial- og idrettsfag"})
		if !ok || v != c.want {
			t.Errorf("søkere helse %s = %v, want %v", c.region, v, c.want)
		}
	}
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in, gran, want string
		start          string
	}{
		{"2024", "", "2024", "2024-01-01"},
		{"2024M03", "", "2024M03", "2024-03-01"},
		{"2024M3", "", "2024M03", "2024-03-01"},
		{"2024-03", "", "2024M03", "2024-03-01"},
		{"2024 mars", "", "2024M03", "2024-03-01"},
		{"Mars 2024", "", "2024M03", "2024-03-01"},
		{"2024 des.", "", "2024M12", "2024-12-01"},
		{"2024 3", "", "2024M03", "2024-03-01"},
		{"2024K4", "", "2024K4", "2024-10-01"},
		{"2024Q4", "", "2024K4", "2024-10-01"},
		{"2024-K4", "", "2024K4", "2024-10-01"},
		{"4. kvartal 2024", "", "2024K4", "2024-10-01"},
		{"2024 4. kvartal", "", "2024K4", "2024-10-01"},
		{"2017-2023", "", "2017-2023", "2017-01-01"},
		{"2017/2023", "", "2017-2023", "2017-01-01"},
		{"2020-21", "", "2020-2021", "2020-01-01"},
		{"1999-00", "", "1999-2000", "1999-01-01"},
		{"2011-12", "", "2011-2012", "2011-01-01"},
		{"2011-12", "month", "2011M12", "2011-12-01"},
		{"2024-03-01", "", "2024M03", "2024-03-01"},
		{"2024-03-15T00:00:00Z", "", "2024M03", "2024-03-01"},
		{"15.03.2024", "quarter", "2024K1", "2024-01-01"},
		{"2024-08-15", "year", "2024", "2024-01-01"},
		// Excel serial 45352 is 2024-03-01 (days since 1899-12-30).
		{"45352", "", "2024M03", "2024-03-01"},
	}
	for _, tc := range tests {
		t.Run(tc.in+"/"+tc.gran, func(t *testing.T) {
			got, start, err := ParsePeriod(tc.in, tc.gran)
			if err != nil {
				t.Fatalf("ParsePeriod(%q) error %v", tc.in, err)
			}
			if got != tc.want || start.Format(time.DateOnly) != tc.start {
				t.Errorf("ParsePeriod(%q, %q) = %s %s, want %s %s", tc.in, tc.gran, got, start.Format(time.DateOnly), tc.want, tc.start)
			}
		})
	}
	for _, bad := range []string{"", "24", "2024M13", "2024K5", "2023-2017", "mai", "2024-13-01", "31.02.x", "abc 2024"} {
		t.Run("bad/"+bad, func(t *testing.T) {
			if got, _, err := ParsePeriod(bad, ""); err == nil {
				t.Errorf("ParsePeriod(%q) = %q, want an error", bad, got)
			}
		})
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in      string
		decimal byte
		want    float64
	}{
		{"1 400", '.', 1400},
		{"1\u00a0400", ',', 1400},
		{"1\u2009400,5", ',', 1400.5},
		{"1\u202f234\u202f567", '.', 1234567},
		{"20,4", ',', 20.4},
		{"0.025", '.', 0.025},
		{"84.0", '.', 84},
		{"1.400,5", ',', 1400.5},
		{"1,400.5", '.', 1400.5},
		{"-3,5", ',', -3.5},
		{"\u22123", '.', -3},
		{" 42 ", '.', 42},
		{"1e3", '.', 1000},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseNumber(tc.in, tc.decimal)
			if err != nil || got != tc.want {
				t.Errorf("ParseNumber(%q, %q) = %v, %v, want %v", tc.in, tc.decimal, got, err, tc.want)
			}
		})
	}
	for _, bad := range []struct {
		in      string
		decimal byte
	}{{"", '.'}, {"abc", '.'}, {"20,4", '.'}, {"1.40", ','}, {"12%", '.'}, {"1,2,3", '.'}} {
		t.Run("bad/"+bad.in, func(t *testing.T) {
			if got, err := ParseNumber(bad.in, bad.decimal); err == nil {
				t.Errorf("ParseNumber(%q, %q) = %v, want an error", bad.in, bad.decimal, got)
			}
		})
	}
	// Scaling is exact: 0.025 * 100 in floating point is 2.5000000000000004.
	if got, _ := parseNumberExp("0.025", '.', 2); got != 2.5 {
		t.Errorf("parseNumberExp(0.025, 2) = %v, want 2.5", got)
	}
	if got, _ := parseNumberExp("0.029", '.', 2); got != 2.9 {
		t.Errorf("parseNumberExp(0.029, 2) = %v, want 2.9", got)
	}
}

func TestMarker(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{{"*", true}, {"..", true}, {"...", true}, {":", true}, {".", true}, {"-", true}, {"0", false}, {"e", false}, {"", false}} {
		if got := Marker(c.in); got != c.want {
			t.Errorf("Marker(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func utf16le(s string) []byte {
	var out []byte
	for _, r := range s {
		if r > 0xffff {
			panic("test helper handles the BMP only")
		}
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

func utf16be(s string) []byte {
	var out []byte
	for _, r := range s {
		out = append(out, byte(r>>8), byte(r))
	}
	return out
}

// TestEncodings reads the same small synthetic table in every encoding.
func TestEncodings(t *testing.T) {
	text := "Fylke;År;Antall\r\n40 Telemark;2024;1 400\r\n03 Oslo;2024;\"2,5\"\r\n50 Trøndelag;2024;*\r\n"
	cp1252 := strings.NewReplacer("ø", "\xf8", "Å", "\xc5").Replace(text)
	tests := []struct {
		name, enc, want string
		data            []byte
	}{
		{"utf-8", "auto", "utf-8", []byte(text)},
		{"utf-8 BOM", "auto", "utf-8", append([]byte{0xEF, 0xBB, 0xBF}, text...)},
		{"windows-1252", "auto", "windows-1252", []byte(cp1252)},
		{"iso-8859-1 given", "iso-8859-1", "iso-8859-1", []byte(cp1252)},
		{"utf-16le no BOM", "auto", "utf-16le", utf16le(text)},
		{"utf-16le BOM", "auto", "utf-16le", append([]byte{0xFF, 0xFE}, utf16le(text)...)},
		{"utf-16be BOM", "auto", "utf-16be", append([]byte{0xFE, 0xFF}, utf16be(text)...)},
		{"sep= line", "auto", "utf-8", []byte("sep=;\n" + text)},
		{"tab", "auto", "utf-8", []byte(strings.ReplaceAll(text, ";", "\t"))},
		{"comma", "auto", "utf-8", []byte(strings.ReplaceAll(strings.ReplaceAll(text, ";", ","), "\"2,5\"", "\"2,5\""))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustMapping(t, `
encoding: `+tc.enc+`
decimal: ","
region: {column: Fylke, code: prefix}
period: {column: År}
value: {column: Antall}
`)
			tab, err := ReadCSV("synthetic.csv", tc.data, m)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Encoding != tc.want {
				t.Errorf("encoding = %q, want %q", tab.Encoding, tc.want)
			}
			ds, err := Build(tab, m, Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := ds.Dim("region")
			if strings.Join(r.Codes, ",") != "40,03,50" || r.Labels[2] != "Trøndelag" {
				t.Errorf("regions = %v %v, want 40,03,50 with label Trøndelag", r.Codes, r.Labels)
			}
			if ds.Values[0] != 1400 || ds.Values[1] != 2.5 || ds.Present[2] || ds.Status[2] != "*" {
				t.Errorf("values = %v present %v status %q, want [1400 2.5 missing] with status * last", ds.Values, ds.Present, ds.Status)
			}
		})
	}
}

func TestDetectDelimiter(t *testing.T) {
	for _, c := range []struct {
		line string
		want rune
	}{{"a;b;c", ';'}, {"a\tb\tc", '\t'}, {"a,b,c", ','}, {`"a;b",c,d`, ','}, {"abc", ','}, {"a;b,c", ';'}} {
		if got := DetectDelimiter(c.line); got != c.want {
			t.Errorf("DetectDelimiter(%q) = %q, want %q", c.line, got, c.want)
		}
	}
}

// TestRegions checks name resolution on the period's start date and code
// validation with a fake regions model.
func TestRegions(t *testing.T) {
	csv := "Navn,Dato,Antall\nTelemark,2023-12-01,10\nTelemark,2024-03-01,20\nSkien,2024-03-01,5\nLandet,2024-03-01,100\n"
	m := mustMapping(t, `
region: {column: Navn, code: name, map: {Landet: "0"}}
period: {column: Dato}
value: {column: Antall}
`)
	f := &fakeRegions{}
	ds, err := Parse("synthetic.csv", []byte(csv), m, Options{Regions: f})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ds.Dim("region").Codes, ","); got != "38,40,4003,0" {
		t.Errorf("region codes = %s, want 38,40,4003,0 (Telemark is 38 before 2024, 40 after)", got)
	}
	if got := strings.Join(f.calls, " "); got != "Telemark@2023-12-01 Telemark@2024-03-01 Skien@2024-03-01" {
		t.Errorf("CodeOnDate calls = %s", got)
	}
	errTests := []struct {
		name, csv, mapping, want string
		regions                  Regions
	}{
		{"no model", csv, `{region: {column: Navn, code: name}, period: {column: Dato}, value: {column: Antall}}`,
			`tabular: synthetic.csv: row 2: column "Navn": region name "Telemark" cannot be resolved: no regions model`, nil},
		{"unknown name", "Navn,Dato,Antall\nAtlantis,2024-03-01,1\n", `{region: {column: Navn, code: name}, period: {column: Dato}, value: {column: Antall}}`,
			`tabular: synthetic.csv: row 2: column "Navn": region name "Atlantis" on 2024-03-01: unknown region name "Atlantis"`, &fakeRegions{}},
		{"unknown code", "Fylke,År,Antall\n99 Ukjent,2024,1\n", `{region: {column: Fylke, code: prefix}, period: {column: År}, value: {column: Antall}}`,
			`tabular: synthetic.csv: row 2: column "Fylke": region code "99" is not known on 2024-01-01`, &fakeRegions{}},
	}
	for _, tc := range errTests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("synthetic.csv", []byte(tc.csv), mustMapping(t, tc.mapping), Options{Regions: tc.regions})
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("Parse error = %v, want prefix %q", err, tc.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	base := `{region: {column: Fylke, code: prefix}, period: {column: År}, value: {column: Antall}}`
	tests := []struct {
		name, csv, mapping, want string
	}{
		{"bad number", "Fylke;År;Antall\n40 Telemark;2024;12x\n", base,
			`tabular: f.csv: row 2: column "Antall": "12x" is not a number`},
		{"bad period", "Fylke;År;Antall\n40 Telemark;2024;1\n40 Telemark;20x4;2\n", base,
			`tabular: f.csv: row 3: column "År": period "20x4": not a year`},
		{"no column", "Fylke;Aar;Antall\n40 Telemark;2024;1\n", base,
			`tabular: f.csv: column "År": no such column (columns: "Fylke", "Aar", "Antall")`},
		{"duplicate", "Fylke;År;Antall\n40 Telemark;2024;1\n40 Telemark;2024;2\n", base,
			`tabular: f.csv: row 3: column "Antall": the same cell (region=40, period=2024) was given on row 2, column "Antall"`},
		// Strict quotes: the quote that opens "40 Telemark" is never
		// closed; it once swallowed the rest of the file into one cell.
		// Position 21 is just past line 2's 20 bytes (\n included), where
		// encoding/csv meets the end of the file.
		{"quotes", "Fylke;År;Antall\n\"40 Telemark;2024;1\n", base,
			`tabular: f.csv: row 2, position 21: the quoted field that starts in row 2 is not closed`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("f.csv", []byte(tc.csv), mustMapping(t, tc.mapping), Options{})
			var pe *ParseError
			if err == nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("Parse error = %v, want a *ParseError with prefix %q", err, tc.want)
			}
		})
	}
	// duplicates: sum adds; a suppressed part suppresses the sum.
	m := mustMapping(t, `{region: {column: Fylke, code: prefix}, period: {column: År}, value: {column: Antall}, duplicates: sum}`)
	ds, err := Parse("f.csv", []byte("Fylke;År;Antall\n40 T;2024;1\n40 T;2024;2\n03 O;2024;5\n03 O;2024;*\n"), m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Values[0] != 3 || ds.Present[1] || ds.Status[1] != "*" {
		t.Errorf("sum = %v %v %q, want 3 then suppressed *", ds.Values, ds.Present, ds.Status)
	}
}

func TestMappingValidate(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "regoin: {column: x}", "field regoin not found"},
		{"no value", "{region: {column: a}, period: {column: b}}", "give exactly one of value, values or melt"},
		{"two region sources", "{region: {column: a, value: '0'}, period: {column: b}, value: {column: c}}", "region: give exactly one of column, value"},
		{"bad rule", "{region: {column: a, code: nom}, period: {column: b}, value: {column: c}}", `region.code: "nom" is not code, prefix or name`},
		{"bad multiply", "{region: {column: a}, period: {column: b}, value: {column: c, multiply: 3}}", "value.multiply: 3 is not a power of ten"},
		{"bad level", "{region: {column: a, code: name, level: bydel}, period: {column: b}, value: {column: c}}", `region.level: "bydel" is not fylke or kommune`},
		{"level without names", "{region: {column: a, code: prefix, level: kommune}, period: {column: b}, value: {column: c}}", `region.level: "kommune" applies only to code: name`},
		{"no header no columns", "{header_rows: 0, region: {column: a}, period: {column: b}, value: {column: c}}", "header_rows: 0 needs columns"},
		{"bad encoding", "{encoding: ebcdic, region: {column: a}, period: {column: b}, value: {column: c}}", `encoding: "ebcdic"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseMapping([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseMapping(%s) error = %v, want it to contain %q", tc.yaml, err, tc.want)
			}
		})
	}
}

// TestBuiltin loads every shipped mapping and checks the README documents it.
func TestBuiltin(t *testing.T) {
	readme, err := os.ReadFile("mappings/README.md")
	if err != nil {
		t.Fatal(err)
	}
	names := BuiltinNames()
	if len(names) < 8 {
		t.Fatalf("BuiltinNames() = %v, want at least the 8 shipped mappings", names)
	}
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			m, err := Builtin(n)
			if err != nil {
				t.Fatal(err)
			}
			if m.Name != n {
				t.Errorf("Builtin(%q).Name = %q", n, m.Name)
			}
			if !strings.Contains(string(readme), "`"+n+"`") {
				t.Errorf("mappings/README.md does not document `%s`", n)
			}
		})
	}
	if _, err := Builtin("nope"); err == nil {
		t.Error("Builtin(nope) = nil error")
	}
	// LoadMappingFile falls back to a shipped name when no such file exists.
	if m, err := LoadMappingFile("nav-hovedtall"); err != nil || m.Name != "nav-hovedtall" {
		t.Errorf("LoadMappingFile(nav-hovedtall) = %v, %v", m, err)
	}
	if _, err := LoadMappingFile(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("LoadMappingFile(missing.yaml) = nil error")
	}
}

// TestSSBStatBankCSV reads a synthetic StatBank CSV export (codes and
// texts, all variables in the stub). Values are made up; marked synthetic.
func TestSSBStatBankCSV(t *testing.T) {
	csv := "\"region\";\"nivå\";\"statistikkvariabel\";\"år\";\"09429: Utdanningsnivå (synthetic)\"\r\n" +
		"\"3001 Halden\";\"03a Universitets- og høgskolenivå kort\";\"Personer\";\"2023\";5123\r\n" +
		"\"3001 Halden\";\"04a Universitets- og høgskolenivå lang\";\"Personer\";\"2023\";..\r\n" +
		"\"0 Hele landet\";\"03a Universitets- og høgskolenivå kort\";\"Personer\";\"2023\";1234567\r\n" +
		"\"0 Hele landet\";\"04a Universitets- og høgskolenivå lang\";\"Personer\";\"2023\";\"12,5\"\r\n"
	ds, err := Parse("ssb.csv", []byte(csv), mustBuiltin(t, "ssb-statbank-csv"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range ds.Dims {
		ids = append(ids, d.ID)
	}
	if got := strings.Join(ids, ","); got != "region,period,nivå,statistikkvariabel" {
		t.Errorf("dims = %s, want region,period,nivå,statistikkvariabel", got)
	}
	if n := ds.Dim("nivå"); n.Codes[0] != "03a" || n.Labels[0] != "Universitets- og høgskolenivå kort" {
		t.Errorf("nivå = %v %v, want code 03a with its label", n.Codes, n.Labels)
	}
	if ds.Values[0] != 5123 || ds.Present[1] || ds.Status[1] != ".." || ds.Values[3] != 12.5 {
		t.Errorf("values %v present %v status %q", ds.Values, ds.Present, ds.Status)
	}
}

// TestNaNFree checks Build never stores NaN (missing is Present=false).
func TestNaNFree(t *testing.T) {
	ds := mustParseFile(t, "testdata/videregaende_fullfort.csv", mustBuiltin(t, "imdi-integreringsdata"), Options{})
	for i, v := range ds.Values {
		if math.IsNaN(v) {
			t.Fatalf("Values[%d] is NaN", i)
		}
	}
}

// levelRegions is fakeRegions that also resolves names at one level: Oslo
// is the county 03 and the municipality 0301.
type levelRegions struct{ fakeRegions }

func (f *levelRegions) CodeOnDateAt(name, level string, d time.Time) (string, error) {
	if name == "Oslo" && level == "kommune" {
		return "0301", nil
	}
	return f.CodeOnDate(name, d)
}

// TestRegionLevel: region.level says which level a file's names are, so
// "Oslo" in a file of municipalities is 0301, not the county 03.
func TestRegionLevel(t *testing.T) {
	csv := "Kommune,År,Antall\nOslo,2024,7\nSkien,2024,5\n"
	m := mustMapping(t, `{region: {column: Kommune, code: name, level: kommune}, period: {column: År}, value: {column: Antall}}`)
	ds, err := Parse("synthetic.csv", []byte(csv), m, Options{Regions: &levelRegions{}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ds.Dim("region").Codes, ","); got != "0301,4003" {
		t.Errorf("region codes = %s, want 0301,4003", got)
	}
	// Without the level, the county wins (regions.Model.CodeOnDate).
	plain := mustMapping(t, `{region: {column: Kommune, code: name}, period: {column: År}, value: {column: Antall}}`)
	if ds, err := Parse("synthetic.csv", []byte(csv), plain, Options{Regions: &levelRegions{}}); err != nil || ds.Dim("region").Codes[0] != "03" {
		t.Errorf("without level: %v, %v; want Oslo = 03", ds, err)
	}
	// A model that cannot resolve by level is an error naming the row.
	_, err = Parse("synthetic.csv", []byte(csv), m, Options{Regions: &fakeRegions{}})
	if err == nil || !strings.Contains(err.Error(), `row 2: column "Kommune"`) || !strings.Contains(err.Error(), "cannot resolve names at one level") {
		t.Errorf("Parse with a model without levels: error = %v", err)
	}
}

// TestDoubledBOM: a file saved twice with a byte order mark starts with
// two; neither is content, so the first header cell is "Fylke", not
// "\ufeffFylke", from bytes and from a stream, in UTF-8 and UTF-16LE.
// SYNTHETIC rows.
func TestDoubledBOM(t *testing.T) {
	text := "Fylke;År;Antall\n40 Telemark;2024;1\n"
	bom8 := []byte{0xEF, 0xBB, 0xBF}
	for _, tc := range []struct {
		name, enc string
		data      []byte
	}{
		{"utf-8", "utf-8", append(append(append([]byte{}, bom8...), bom8...), text...)},
		{"utf-8 auto", "auto", append(append(append([]byte{}, bom8...), bom8...), text...)},
		{"utf-16le", "utf-16le", append([]byte{0xFF, 0xFE, 0xFF, 0xFE}, utf16le(text)...)},
	} {
		m := &Mapping{Encoding: tc.enc, Delimiter: ";"}
		tab, err := ReadCSV("synthetic.csv", tc.data, m)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		stream, err := ReadCSVFrom("synthetic.csv", bytes.NewReader(tc.data), m, Limits{})
		if err != nil {
			t.Fatalf("%s, stream: %v", tc.name, err)
		}
		for _, got := range []*Table{tab, stream} {
			if got.Header[0][0] != "Fylke" || len(got.Rows) != 1 || got.Rows[0][0] != "40 Telemark" {
				t.Errorf("%s: header %q, rows %q; want Fylke first and one row", tc.name, got.Header[0], got.Rows)
			}
		}
	}
}
