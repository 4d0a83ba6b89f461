package px_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/px"
)

// decodeFile decodes testdata/name in language lang.
func decodeFile(t *testing.T, name, lang string) *jsonstat.Dataset {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ds, err := px.Decode(f, px.Options{Name: name, Language: lang})
	if err != nil {
		t.Fatalf("Decode(%s, %q) = %v", name, lang, err)
	}
	return ds
}

// cell returns the cell of ds at the given codes, one per dimension.
func cell(t *testing.T, ds *jsonstat.Dataset, codes ...string) (float64, bool, string) {
	t.Helper()
	coords := make([]int, len(codes))
	for k, c := range codes {
		coords[k] = -1
		for j, dc := range ds.Dims[k].Codes {
			if dc == c {
				coords[k] = j
			}
		}
	}
	i := ds.Index(coords)
	if i < 0 {
		t.Fatalf("no cell %v", codes)
	}
	status := ""
	if ds.Status != nil {
		status = ds.Status[i]
	}
	return ds.Values[i], ds.Present[i], status
}

func sizes(ds *jsonstat.Dataset) []int {
	var s []int
	for _, d := range ds.Dims {
		s = append(s, len(d.Codes))
	}
	return s
}

func countMissing(ds *jsonstat.Dataset, status string) (missing, withStatus int) {
	for i, p := range ds.Present {
		if !p {
			missing++
			if ds.Values[i] != 0 {
				return -1, -1
			}
		}
		if ds.Status != nil && ds.Status[i] == status {
			withStatus++
		}
	}
	return missing, withStatus
}

// TestTAB004 checks the published facts of the recorded TAB004.px
// (testdata/PROVENANCE.md): a Latin-1 file, STUB sector, greenhouse gas,
// HEADING contents, year; 14×11×1×28 = 4312 cells.
func TestTAB004(t *testing.T) {
	ds := decodeFile(t, "TAB004.px", "")
	ids := []string{"SECTOR", "GREENHOUSEGAS", "ContentsCode", "TIME"}
	var got []string
	for _, d := range ds.Dims {
		got = append(got, d.ID)
	}
	if !reflect.DeepEqual(got, ids) {
		t.Errorf("dimension IDs = %v, want %v (STUB then HEADING, VARIABLECODE)", got, ids)
	}
	if s := sizes(ds); !reflect.DeepEqual(s, []int{14, 11, 1, 28}) || ds.Size() != 4312 || len(ds.Values) != 4312 {
		t.Errorf("sizes = %v, %d values; want [14 11 1 28], 4312", s, len(ds.Values))
	}
	// PROVENANCE.md: sector 0.1 × CO2 × 1990 = 57446; sector 7.0 × CO2 × 2017 = 445.
	for _, tc := range []struct {
		sector, year string
		want         float64
	}{{"0.1", "1990", 57446}, {"7.0", "2017", 445}} {
		v, ok, st := cell(t, ds, tc.sector, "CO2", "Emission", tc.year)
		if !ok || v != tc.want || st != "" {
			t.Errorf("cell(%s, CO2, %s) = %v, %v, %q; want %v, true, \"\"", tc.sector, tc.year, v, ok, st, tc.want)
		}
	}
	// 1103 cells are the quoted token "..": counted with a script that
	// splits the DATA block on white space (see PROVENANCE.md).
	if m, s := countMissing(ds, ".."); m != 1103 || s != 1103 {
		t.Errorf("missing cells = %d, with status \"..\" = %d; want 1103, 1103 (and value 0)", m, s)
	}
	if !reflect.DeepEqual(ds.Role, jsonstat.Roles{Time: []string{"TIME"}, Metric: []string{"ContentsCode"}}) {
		t.Errorf("roles = %+v, want time TIME (TIMEVAL), metric ContentsCode (CONTVARIABLE), no geo", ds.Role)
	}
	u := ds.Dim("ContentsCode").Unit["Emission"]
	if u.Base != "Device varies with the subject" || u.Decimals == nil || *u.Decimals != 0 {
		t.Errorf("unit of Emission = %+v, want base from UNITS(\"Substance\"), decimals 0 (SHOWDECIMALS)", u)
	}
	if ds.Label != "Total air emissions by sector, greenhouse gas, contents and year" || ds.Source != "Statistics Sweden" {
		t.Errorf("label, source = %q, %q", ds.Label, ds.Source)
	}
	// LAST-UPDATED("Substance")="20230525 15:42".
	if ds.Updated != "2023-05-25T15:42" {
		t.Errorf("updated = %q, want 2023-05-25T15:42", ds.Updated)
	}
	if !strings.Contains(string(ds.Extension), `"matrix":"TAB004"`) || !strings.Contains(string(ds.Extension), `"..":".."`) {
		t.Errorf("extension = %s, want matrix and data symbols", ds.Extension)
	}
	rec, err := ds.Record(memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() != 4312 || rec.NumCols() != 10 {
		t.Errorf("record = %d rows × %d columns, want 4312 × 10", rec.NumRows(), rec.NumCols())
	}
}

// TestLatin1Labels checks that the Latin-1 (CHARSET="ANSI") labels are
// decoded: TAB004.px has VALUES[sv]("tabellinnehåll")="Ämne" and
// STUB[sv]="sektor","växthusgas"; TAB001.px has "Österrike" first in
// VALUES[sv]("region").
func TestLatin1Labels(t *testing.T) {
	ds := decodeFile(t, "TAB004.px", "sv")
	if got := ds.Dim("ContentsCode").Labels[0]; got != "Ämne" {
		t.Errorf("sv label of Emission = %q, want Ämne", got)
	}
	if got := ds.Dim("GREENHOUSEGAS").Label; got != "växthusgas" {
		t.Errorf("sv label of GREENHOUSEGAS = %q, want växthusgas", got)
	}
	// The codes and values do not depend on the language.
	if v, ok, _ := cell(t, ds, "0.1", "CO2", "Emission", "1990"); !ok || v != 57446 {
		t.Errorf("sv cell(0.1, CO2, 1990) = %v, %v; want 57446", v, ok)
	}
	// UNITS[sv]("Ämne") is matched to its value by position.
	if u := ds.Dim("ContentsCode").Unit["Emission"]; u.Base != "Enhet varierar med ämne" {
		t.Errorf("sv unit = %q, want Enhet varierar med ämne", u.Base)
	}
	// Roles come from the untranslated VARIABLE-TYPE/TIMEVAL too.
	if !reflect.DeepEqual(ds.Role.Time, []string{"TIME"}) {
		t.Errorf("sv time role = %v, want [TIME]", ds.Role.Time)
	}
	ds = decodeFile(t, "TAB001.px", "sv")
	if got := ds.Dim("REGION").Labels[0]; got != "Österrike" {
		t.Errorf("sv label of AT = %q, want Österrike", got)
	}
	if got := ds.Dim("SEX").Label; got != "kön" {
		t.Errorf("sv label of SEX = %q, want kön", got)
	}
	ds = decodeFile(t, "TAB001.px", "en") // en is LANGUAGE, the default
	if got := ds.Dim("REGION").Labels[0]; got != "Austria" {
		t.Errorf("en label of AT = %q, want Austria", got)
	}
}

// TestCodesWithCommas checks that codes containing commas are kept whole:
// TAB003.px has 34 waste categories, CODES("waste category") with
// "01.4,02,03.1" fourth, "08 ex 08.1,41" 18th, "12.2,3,5" 29th and
// "12.8,13" 33rd (read off the file), and a value with a comma
// ("acid, alkaline or saline wastes").
func TestCodesWithCommas(t *testing.T) {
	ds := decodeFile(t, "TAB003.px", "")
	d := ds.Dim("WASTE_CAT")
	if len(d.Codes) != 34 {
		t.Fatalf("%d waste categories, want 34", len(d.Codes))
	}
	for i, want := range map[int]string{3: "01.4,02,03.1", 17: "08 ex 08.1,41", 28: "12.2,3,5", 32: "12.8,13", 33: "TOT"} {
		if d.Codes[i] != want {
			t.Errorf("code %d = %q, want %q", i, d.Codes[i], want)
		}
	}
	if d.Labels[1] != "acid, alkaline or saline wastes" {
		t.Errorf("label 1 = %q", d.Labels[1])
	}
	if s := sizes(ds); !reflect.DeepEqual(s, []int{9, 34, 2, 4}) {
		t.Errorf("sizes = %v, want [9 34 2 4]", s)
	}
	// 18 cells are "..", counted as for TAB004.
	if m, s := countMissing(ds, ".."); m != 18 || s != 18 {
		t.Errorf("missing = %d, with \"..\" = %d; want 18, 18", m, s)
	}
	// Two contents, each with its own UNITS("...").
	if u := ds.Dim("ContentsCode").Unit["WasteNonHazard"]; u.Base != "tonnes" || u.Decimals == nil || *u.Decimals != 0 {
		t.Errorf("unit of WasteNonHazard = %+v", u)
	}
}

// TestTAB001AgainstPxWebApi compares TAB001.px with PxWebApi's own
// JSON-stat metadata for the same table (MetadataById_tab001_js2.json,
// recorded from the PxWebApi test suite): dimension IDs, labels, codes,
// category labels, roles and units must agree.
func TestTAB001AgainstPxWebApi(t *testing.T) {
	ds := decodeFile(t, "TAB001.px", "")
	f, err := os.Open("testdata/MetadataById_tab001_js2.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := jsonstat.DecodeDataset(f)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Label != want.Label || ds.Source != want.Source {
		t.Errorf("label, source = %q, %q; want %q, %q", ds.Label, ds.Source, want.Label, want.Source)
	}
	if !reflect.DeepEqual(ds.Role, want.Role) {
		t.Errorf("roles = %+v, want %+v", ds.Role, want.Role)
	}
	if len(ds.Dims) != len(want.Dims) {
		t.Fatalf("%d dimensions, want %d", len(ds.Dims), len(want.Dims))
	}
	for k, w := range want.Dims {
		g := ds.Dims[k]
		if g.ID != w.ID || g.Label != w.Label || !reflect.DeepEqual(g.Codes, w.Codes) || !reflect.DeepEqual(g.Labels, w.Labels) {
			t.Errorf("dimension %d = %s %q %v %v,\nwant %s %q %v %v", k, g.ID, g.Label, g.Codes, g.Labels, w.ID, w.Label, w.Codes, w.Labels)
		}
		if !reflect.DeepEqual(g.Unit, w.Unit) {
			t.Errorf("dimension %s units = %+v, want %+v", g.ID, g.Unit, w.Unit)
		}
	}
	// The first DATA line is AT × F × TOTAL × Population: ".." 4041797 4143737.
	for year, want := range map[string]float64{"1991": 4041797, "2001": 4143737} {
		if v, ok, _ := cell(t, ds, "AT", "F", "TOTAL", "HNMGA", year); !ok || v != want {
			t.Errorf("AT F TOTAL %s = %v, %v; want %v", year, v, ok, want)
		}
	}
	if _, ok, st := cell(t, ds, "AT", "F", "TOTAL", "HNMGA", "1981"); ok || st != ".." {
		t.Errorf("AT F TOTAL 1981 present %v, status %q; want missing with \"..\"", ok, st)
	}
	// 2259 of the 5940 cells are "..", counted as for TAB004.
	if m, _ := countMissing(ds, ".."); m != 2259 {
		t.Errorf("missing = %d, want 2259", m)
	}
}

// synthetic is a small hand-written PX file (synthetic, not from any
// agency) used by the syntax tests; body replaces the DATA block.
func synthetic(head, data string) string {
	return `CHARSET="ANSI";
DECIMALS=1;
TITLE="Synthetic";
STUB="region";
HEADING="year";
` + head + `VALUES("region")="A","B";
VALUES("year")="2020","2021";
DATA=
` + data + ";\n"
}

func decodeString(t *testing.T, s string, opt px.Options) *jsonstat.Dataset {
	t.Helper()
	ds, err := px.Decode(strings.NewReader(s), opt)
	if err != nil {
		t.Fatalf("Decode = %v\n%s", err, s)
	}
	return ds
}

// TestMissingSymbols checks every PX missing-value symbol, quoted and not,
// and the shown symbols of DATASYMBOL*.
func TestMissingSymbols(t *testing.T) {
	head := "STUB=\"s\";\nVALUES(\"s\")=\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\",\"12\";\n" +
		"DATASYMBOL4=\"x\";\nDATASYMBOLNIL=\"nil\";\n"
	src := head + "DATA=\n\".\" \"..\" \"...\" \"....\" \".....\" \"......\" \"-\" \":\" .. - \"x\" nil;\n"
	ds := decodeString(t, "CHARSET=\"ANSI\";\n"+src, px.Options{})
	want := []string{".", "..", "...", "....", ".....", "......", "-", ":", "..", "-", "....", "-"}
	for i, w := range want {
		if ds.Present[i] || ds.Values[i] != 0 || ds.Status[i] != w {
			t.Errorf("cell %d: present %v, value %v, status %q; want missing, 0, %q", i, ds.Present[i], ds.Values[i], ds.Status[i], w)
		}
	}
	// A file without any status has a nil Status.
	ds = decodeString(t, synthetic("", "1 2 3 4"), px.Options{})
	if ds.Status != nil {
		t.Errorf("Status = %v, want nil", ds.Status)
	}
}

// TestSyntax checks forms of the PX syntax on synthetic files.
func TestSyntax(t *testing.T) {
	t.Run("multi-line string and list", func(t *testing.T) {
		src := "TITLE=\"first half \"\n\"second half\";\nSTUB=\"r\";\nVALUES(\"r\")=\"a\",\n\"b\";\nNOTE=\"n1\";\nDATA=\n1\n2;"
		ds := decodeString(t, src, px.Options{})
		if ds.Label != "first half second half" {
			t.Errorf("label = %q", ds.Label)
		}
		if d := ds.Dims[0]; !reflect.DeepEqual(d.Codes, []string{"a", "b"}) || !reflect.DeepEqual(d.Labels, d.Codes) {
			t.Errorf("codes, labels = %v, %v; want the values as codes", d.Codes, d.Labels)
		}
		if !reflect.DeepEqual(ds.Note, []string{"n1"}) {
			t.Errorf("note = %v", ds.Note)
		}
	})
	t.Run("decimals, negative and exponent", func(t *testing.T) {
		ds := decodeString(t, synthetic("", "1.5 -2 3e2 \"4\""), px.Options{})
		if !reflect.DeepEqual(ds.Values, []float64{1.5, -2, 300, 4}) {
			t.Errorf("values = %v", ds.Values)
		}
	})
	t.Run("windows-1252", func(t *testing.T) {
		// 0x80 is € in Windows-1252 (a C1 control in ISO-8859-1), 0xF8 is ø.
		src := synthetic("UNITS=\"\x80\";\nCONTVARIABLE=\"region\";\n", "1 2 3 4")
		src = strings.Replace(src, `"A","B"`, "\"Tr\xf8ndelag\",\"B\"", 1)
		ds := decodeString(t, src, px.Options{})
		if got := ds.Dims[0].Labels[0]; got != "Trøndelag" {
			t.Errorf("label = %q, want Trøndelag", got)
		}
		if u := ds.Dims[0].Unit["Trøndelag"]; u.Base != "€" || u.Decimals == nil || *u.Decimals != 1 {
			t.Errorf("unit = %+v, want € with 1 decimal", u)
		}
	})
	t.Run("utf-8 with BOM", func(t *testing.T) {
		src := "\xef\xbb\xbf" + strings.Replace(synthetic("", "1 2 3 4"), `"A","B"`, `"Tromsø","Bø"`, 1)
		ds := decodeString(t, src, px.Options{})
		if got := ds.Dims[0].Labels; !reflect.DeepEqual(got, []string{"Tromsø", "Bø"}) {
			t.Errorf("labels = %q", got)
		}
	})
	t.Run("utf-8 code page", func(t *testing.T) {
		src := strings.Replace(synthetic("CODEPAGE=\"utf-8\";\n", "1 2 3 4"), `"A","B"`, `"Tromsø","Bø"`, 1)
		ds := decodeString(t, src, px.Options{})
		if got := ds.Dims[0].Labels[0]; got != "Tromsø" {
			t.Errorf("label = %q", got)
		}
	})
	t.Run("DOS code page 850", func(t *testing.T) {
		// 0x9B is ø in IBM code page 850 (Python: b"\x9b".decode("cp850")).
		for name, head := range map[string]string{"CODEPAGE": "CODEPAGE=\"IBM850\";\n", "no CHARSET": ""} {
			src := "STUB=\"r\";\n" + head + "VALUES(\"r\")=\"Tr\x9bndelag\";\nDATA=\n1;"
			ds := decodeString(t, src, px.Options{})
			if got := ds.Dims[0].Labels[0]; got != "Trøndelag" {
				t.Errorf("%s: label = %q, want Trøndelag", name, got)
			}
		}
	})
	t.Run("TIMEVAL with a range", func(t *testing.T) {
		src := "STUB=\"r\";\nHEADING=\"periode\";\nVALUES(\"r\")=\"x\";\nVALUES(\"periode\")=\"2023K1\",\"2023K2\";\n" +
			"TIMEVAL(\"periode\")=TLIST(Q1,\"20231\"-\"20232\");\nVARIABLE-TYPE(\"r\")=\"V\";\nDATA=\n1 2;"
		ds := decodeString(t, src, px.Options{})
		if !reflect.DeepEqual(ds.Role.Time, []string{"periode"}) || !strings.Contains(string(ds.Extension), `"timescale":{"periode":"Q1"}`) {
			t.Errorf("time role %v, extension %s; want periode with scale Q1", ds.Role.Time, ds.Extension)
		}
	})
	t.Run("row-major over stub then heading", func(t *testing.T) {
		src := "STUB=\"a\",\"b\";\nHEADING=\"c\";\nVALUES(\"a\")=\"a0\",\"a1\";\nVALUES(\"b\")=\"b0\",\"b1\",\"b2\";\nVALUES(\"c\")=\"c0\",\"c1\";\nDATA=\n" +
			"1 2\n3 4\n5 6\n7 8\n9 10\n11 12;"
		ds := decodeString(t, src, px.Options{})
		// Row a1 × b2 is the 6th data line: 11 12.
		if v, _, _ := cell(t, ds, "a1", "b2", "c0"); v != 11 {
			t.Errorf("a1 b2 c0 = %v, want 11", v)
		}
		if v, _, _ := cell(t, ds, "a0", "b1", "c1"); v != 4 {
			t.Errorf("a0 b1 c1 = %v, want 4", v)
		}
	})
	t.Run("units and decimals per content", func(t *testing.T) {
		// Synthetic: two contents with their own UNITS, one with PRECISION.
		src := "CODEPAGE=\"utf-8\";\nDECIMALS=2;\nSHOWDECIMALS=1;\nUNITS=\"table unit\";\nSTUB=\"r\";\nHEADING=\"innhold\";\n" +
			"CONTVARIABLE=\"innhold\";\nVALUES(\"r\")=\"a\";\nVALUES(\"innhold\")=\"Sysselsatte\",\"Andel\",\"Annet\";\n" +
			"CODES(\"innhold\")=\"Syss\",\"Andel\",\"X\";\nUNITS(\"Sysselsatte\")=\"personer\";\nUNITS(\"Andel\")=\"prosent\";\n" +
			"PRECISION(\"innhold\",\"Andel\")=2;\nDATA=\n10 12.25 1;"
		ds := decodeString(t, src, px.Options{})
		want := map[string]struct {
			base string
			dec  int
		}{"Syss": {"personer", 1}, "Andel": {"prosent", 2}, "X": {"table unit", 1}}
		for code, w := range want {
			u := ds.Dim("innhold").Unit[code]
			if u.Base != w.base || u.Decimals == nil || *u.Decimals != w.dec {
				t.Errorf("unit of %s = %+v, want %s with %d decimals", code, u, w.base, w.dec)
			}
		}
		if !reflect.DeepEqual(ds.Role.Metric, []string{"innhold"}) {
			t.Errorf("metric role = %v", ds.Role.Metric)
		}
	})
	t.Run("default language in brackets", func(t *testing.T) {
		// Synthetic: TITLE[no] repeats the default language's TITLE, and
		// VALUES[no] stands in for the unlabelled VALUES.
		src := "LANGUAGE=\"no\";\nTITLE[no]=\"B\";\nTITLE=\"A\";\nSTUB=\"r\";\nVALUES[no](\"r\")=\"x\";\nDATA=\n1;"
		ds := decodeString(t, src, px.Options{Language: "no"})
		if ds.Label != "A" || ds.Dims[0].Codes[0] != "x" {
			t.Errorf("label %q, codes %v; want A, [x]", ds.Label, ds.Dims[0].Codes)
		}
	})
	t.Run("roles by name and type", func(t *testing.T) {
		src := "STUB=\"Region\",\"kjønn\";\nHEADING=\"Tid\";\nVARIABLE-TYPE(\"kjønn\")=\"V\";\nVALUES(\"Region\")=\"0301\";\nVALUES(\"kjønn\")=\"1\";\nVALUES(\"Tid\")=\"2024\";\nCODEPAGE=\"utf-8\";\nDATA=\n5;"
		ds := decodeString(t, src, px.Options{})
		if !reflect.DeepEqual(ds.Role, jsonstat.Roles{Time: []string{"Tid"}, Geo: []string{"Region"}}) {
			t.Errorf("roles = %+v, want time Tid, geo Region", ds.Role)
		}
	})
}

// TestErrors checks that bad input gets an *Error naming the line and
// keyword, of the right class.
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		src     string
		class   error
		line    int
		keyword string
	}{
		{"no DATA", "STUB=\"a\";\nVALUES(\"a\")=\"x\";\n", px.ErrSyntax, 3, ""},
		{"unterminated string", "TITLE=\"abc\nSTUB=\"a\";", px.ErrSyntax, 1, "TITLE"},
		{"missing semicolon", "TITLE=\"abc\"\nSTUB=\"a\";", px.ErrSyntax, 2, "TITLE"},
		{"missing VALUES", "STUB=\"a\",\"b\";\nVALUES(\"a\")=\"x\";\nDATA=\n1;", px.ErrSyntax, 1, "VALUES"},
		{"codes count", "STUB=\"a\";\nVALUES(\"a\")=\"x\",\"y\";\nCODES(\"a\")=\"1\";\nDATA=\n1 2;", px.ErrSyntax, 3, "CODES"},
		{"duplicate code", "STUB=\"a\";\nVALUES(\"a\")=\"x\",\"y\";\nCODES(\"a\")=\"1\",\"1\";\nDATA=\n1 2;", px.ErrSyntax, 3, "CODES"},
		{"twice", "STUB=\"a\";\nSTUB=\"a\";\nVALUES(\"a\")=\"x\";\nDATA=\n1;", px.ErrSyntax, 2, "STUB"},
		{"too few cells", "STUB=\"a\";\nVALUES(\"a\")=\"x\",\"y\";\nDATA=\n1\n;", px.ErrSyntax, 5, "DATA"},
		{"too many cells", "STUB=\"a\";\nVALUES(\"a\")=\"x\",\"y\";\nDATA=\n1 2\n3;", px.ErrSyntax, 5, "DATA"},
		{"bad cell", "STUB=\"a\";\nVALUES(\"a\")=\"x\",\"y\";\nDATA=\n1\nNaN;", px.ErrSyntax, 5, "DATA"},
		{"bad quoted cell", "STUB=\"a\";\nVALUES(\"a\")=\"x\",\"y\";\nDATA=\n1 \"e\";", px.ErrSyntax, 4, "DATA"},
		{"no final semicolon", "STUB=\"a\";\nVALUES(\"a\")=\"x\";\nDATA=\n1", px.ErrSyntax, 4, "DATA"},
		{"text after DATA", "STUB=\"a\";\nVALUES(\"a\")=\"x\";\nDATA=\n1;\nTITLE=\"x\";", px.ErrSyntax, 5, ""},
		{"KEYS", "STUB=\"a\";\nKEYS(\"a\")=CODES;\nDATA=\n;", px.ErrUnsupported, 2, "KEYS"},
		{"unknown code page", "CODEPAGE=\"klingon\";\nSTUB=\"a\";\nVALUES(\"a\")=\"x\";\nDATA=\n1;", px.ErrUnsupported, 1, "CODEPAGE"},
		{"invalid utf-8", "CODEPAGE=\"utf-8\";\nSTUB=\"a\";\nVALUES(\"a\")=\"\xf8\";\nDATA=\n1;", px.ErrSyntax, 3, "VALUES"},
		{"bad decimals", "DECIMALS=x;\nSTUB=\"a\";\nVALUES(\"a\")=\"x\";\nDATA=\n1;", px.ErrSyntax, 1, "DECIMALS"},
		{"bad TIMEVAL", "STUB=\"a\";\nVALUES(\"a\")=\"x\";\nTIMEVAL(\"a\")=\"x\";\nDATA=\n1;", px.ErrSyntax, 3, "TIMEVAL"},
		{"unknown CONTVARIABLE", "STUB=\"a\";\nVALUES(\"a\")=\"x\";\nCONTVARIABLE=\"b\";\nDATA=\n1;", px.ErrSyntax, 3, "CONTVARIABLE"},
		{"no variables", "TITLE=\"x\";\nDATA=\n1;", px.ErrSyntax, 0, "STUB"},
		{"cell too long", "STUB=\"a\";\nVALUES(\"a\")=\"x\";\nDATA=\n" + strings.Repeat("1", 65) + ";", px.ErrSyntax, 4, "DATA"},
		{"string too long", "TITLE=\"" + strings.Repeat("x", px.MaxString+1) + "\";", px.ErrSyntax, 1, "TITLE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := px.Decode(strings.NewReader(tc.src), px.Options{Name: "f.px"})
			var pe *px.Error
			if !errors.As(err, &pe) || !errors.Is(err, tc.class) || pe.Line != tc.line || pe.Keyword != tc.keyword || pe.File != "f.px" {
				t.Fatalf("Decode = %v (%#v), want class %v at f.px line %d keyword %q", err, pe, tc.class, tc.line, tc.keyword)
			}
			if !strings.HasPrefix(err.Error(), "px: f.px") {
				t.Errorf("error %q does not start with px: f.px", err)
			}
		})
	}
}

func TestLanguageErrors(t *testing.T) {
	f, err := os.Open("testdata/TAB004.px")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = px.Decode(f, px.Options{Name: "TAB004.px", Language: "nb"})
	if !errors.Is(err, px.ErrLanguage) || !strings.Contains(err.Error(), "en, sv") {
		t.Errorf("Decode(nb) = %v, want ErrLanguage listing en, sv", err)
	}
}

// TestMaxCells checks that a cube over the limit is refused, before the
// data are read, with jsonstat.ErrTooManyCells.
func TestMaxCells(t *testing.T) {
	read := func(limit int) error {
		f, err := os.Open("testdata/TAB004.px")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		_, err = px.Decode(f, px.Options{Name: "TAB004.px", MaxCells: limit})
		return err
	}
	// 14×11×1×28 = 4312.
	if err := read(4312); err != nil {
		t.Errorf("limit 4312: %v", err)
	}
	err := read(4311)
	if !errors.Is(err, jsonstat.ErrTooManyCells) || !strings.Contains(err.Error(), "SECTOR (14) × GREENHOUSEGAS (11) × ContentsCode (1) × TIME (28) = 4312 cells is over the limit of 4311") {
		t.Errorf("limit 4311: %v", err)
	}
	// A tiny file declaring 10^4 × 10^4 × 10^4 cells is refused under the
	// default limit before anything is allocated (10^12 cells).
	vals := strings.TrimSuffix(strings.Repeat(`"v",`, 10000), ",")
	var b strings.Builder
	b.WriteString("STUB=\"a\",\"b\",\"c\";\n")
	for _, v := range []string{"a", "b", "c"} {
		b.WriteString(`VALUES("` + v + `")=` + vals + ";\n")
	}
	// The values repeat, so give distinct codes.
	src := b.String()
	var codes strings.Builder
	for i := range 10000 {
		if i > 0 {
			codes.WriteString(",")
		}
		codes.WriteString(`"c` + strconv.Itoa(i) + `"`)
	}
	for _, v := range []string{"a", "b", "c"} {
		src += `CODES("` + v + `")=` + codes.String() + ";\n"
	}
	src += "DATA=\n1;"
	_, err = px.Decode(strings.NewReader(src), px.Options{})
	if !errors.Is(err, jsonstat.ErrTooManyCells) || !strings.Contains(err.Error(), "c (10000) = 1000000000000 cells is over the limit of 10000000") {
		t.Errorf("huge cube: %v", err)
	}
}

// TestReaders decodes the recorded files through readers that return one
// byte, half the asked bytes, or the last bytes with io.EOF, so that cells
// and strings cross every buffer boundary: the datasets must equal those
// read in one go.
func TestReaders(t *testing.T) {
	for _, name := range []string{"TAB001.px", "TAB003.px", "TAB004.px"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := px.Decode(bytes.NewReader(data), px.Options{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		for rname, r := range map[string]io.Reader{
			"one byte": iotest.OneByteReader(bytes.NewReader(data)),
			"half":     iotest.HalfReader(bytes.NewReader(data)),
			"data+EOF": iotest.DataErrReader(bytes.NewReader(data)),
		} {
			got, err := px.Decode(r, px.Options{Name: name})
			if err != nil {
				t.Fatalf("%s, %s reader: %v", name, rname, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %s reader: dataset differs", name, rname)
			}
		}
	}
	// A table larger than the 64 KiB read buffer (synthetic, 300 × 300).
	data := syntheticLarge(300, 300)
	ds, err := px.Decode(iotest.HalfReader(bytes.NewReader(data)), px.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 9, 12345, 300*300 - 1} {
		r, c := i/300, i%300
		want := float64(r+c) + float64(c%10)/10 // as syntheticLarge writes "%d.%d"
		if i%10 == 9 {
			if ds.Present[i] || ds.Status[i] != ".." {
				t.Errorf("cell %d present %v status %q, want missing ..", i, ds.Present[i], ds.Status[i])
			}
		} else if !ds.Present[i] || ds.Values[i] != want {
			t.Errorf("cell %d = %v, want %v", i, ds.Values[i], want)
		}
	}
}
