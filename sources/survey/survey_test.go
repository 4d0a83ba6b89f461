package survey

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

var update = flag.Bool("update", false, "rewrite the template files in testdata/survey")

const dataDir = "../../testdata/survey"

// fakeRegions knows a few municipality codes with their validity as in
// KLASS 131 (DOMAIN.md §3): 1601 Trondheim until 2017, 5001 from 2018,
// 4001 Porsgrunn from 2024, 3813 Bamble 2020-2023.
type fakeRegions map[string][2]string

func (f fakeRegions) ValidMunicipality(code string, d time.Time) error {
	v, ok := f[code]
	if !ok {
		return errors.New("unknown")
	}
	from, _ := time.Parse(time.DateOnly, v[0])
	to, _ := time.Parse(time.DateOnly, v[1])
	if d.Before(from) || (v[1] != "" && !d.Before(to)) {
		return errors.New("not valid on date")
	}
	return nil
}

var testRegions = fakeRegions{
	"1601": {"1838-01-01", "2018-01-01"},
	"5001": {"2018-01-01", ""},
	"4001": {"2024-01-01", ""},
	"3813": {"2020-01-01", "2024-01-01"},
}

var testAreas = func(id string) bool {
	return map[string]bool{"ikt": true, "bygg_anlegg": true, "helse": true}[id]
}

var testOptions = Options{Regions: testRegions, Areas: testAreas, Today: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}

func TestValidOrgNr(t *testing.T) {
	// Test vectors from DOMAIN.md §5.2 (923609016: s=126, r=5, check 6;
	// 974760673: s=173, r=8, check 3); the others computed by hand with the
	// same weights: 91000000 gives s=29 (9*3+1*2), r=7, check 4;
	// 91000008 gives s=45, r=1, check 10 (no valid number).
	tests := []struct {
		in   string
		want bool
	}{
		{"923609016", true},
		{"974760673", true},
		{"923609017", false},
		{"974760670", false},
		{"910000004", true},
		{"910000080", false},
		{"910000081", false},
		{"12345678", false},
		{"9236090160", false},
		{"92360901a", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ValidOrgNr(tt.in); got != tt.want {
				t.Errorf("ValidOrgNr(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	if d, ok := OrgNrCheckDigit("91000008"); ok {
		t.Errorf("OrgNrCheckDigit(91000008) = %c, true; want none (11-1 = 10)", d)
	}
	if d, ok := OrgNrCheckDigit("92360901"); !ok || d != '6' {
		t.Errorf("OrgNrCheckDigit(92360901) = %c, %v; want 6, true", d, ok)
	}
}

// TestBadRows asserts every problem of testdata/survey/bad-rows.csv, one
// per data row, each written into the file by hand.
func TestBadRows(t *testing.T) {
	s, err := ReadFile(filepath.Join(dataDir, "bad-rows.csv"), nil, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dataDir, "bad-rows.csv")
	want := []string{
		f + ":3:orgnr: 923609017: kontrollsifferet stemmer ikke (MOD11)",
		f + ":4:orgnr: 910000080: kontrollsifferet stemmer ikke (MOD11)",
		f + ":5:orgnr: 12345678: organisasjonsnummeret må ha 9 sifre",
		f + ":6:orgnr: : mangler (påkrevd)",
		f + ":7:kommunenr: 1601: kommunenummeret gjaldt ikke på 2024-03-14",
		f + ":8:kommunenr: 50x1: kommunenummeret må ha 4 sifre",
		f + ":9:dato: 14/03/2024: ikke en dato på formen ÅÅÅÅ-MM-DD",
		f + ":10:dato: : mangler (påkrevd)",
		f + ":11:kompetanseomrade: romfart: ukjent kompetanseområde (se krysslisten)",
		f + ":12:utdanningsniva: master: må være en av grunnskole, vgs, fagbrev, fagskole, uh_kort, uh_lang, kurs",
		f + ":13:utdanningsniva: : mangler (påkrevd når raden har et behov)",
		f + ":14:antall: 0: må være minst 1",
		f + ":15:antall: 1,5: må være et helt tall",
		f + ":16:antall: : mangler (påkrevd når raden har et behov)",
		f + ":17:tidshorisont: 11: må være mellom 0 og 10 år",
		f + ":18:tidshorisont: to: må være et helt antall år",
		f + ":19:hastegrad: akutt: må være lav, middels eller hoy",
		f + ":20:utdanningsniva: vgs: skal være tom når raden ikke har kompetanseområde eller beskrivelse (ingen behov)",
		f + ":21:orgnr: 923609016: duplikat av rad 2",
		f + ":22:dato: 2099-01-01: datoen er i fremtiden",
	}
	var got []string
	for _, p := range s.Problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ReadFile(bad-rows.csv) problems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.Rows != 22 || len(s.Responses) != 2 || len(s.Rejected) != 20 {
		t.Errorf("ReadFile(bad-rows.csv) rows, accepted, rejected = %d, %d, %d, want 22, 2, 20", s.Rows, len(s.Responses), len(s.Rejected))
	}
	if len(s.Responses) == 2 {
		r := s.Responses[0]
		want := Response{Row: 2, OrgNr: "923609016", Municipality: "5001", Date: time.Date(2024, 3, 14, 0, 0, 0, 0, time.UTC),
			Area: "ikt", Text: "Skyløsninger", Level: "uh_kort", People: 2, Horizon: 1, Urgency: "hoy"}
		if r != want {
			t.Errorf("Responses[0] = %+v, want %+v", r, want)
		}
		if s.Responses[1].Row != 23 || s.Responses[1].Horizon != -1 || s.Responses[1].Urgency != "" {
			t.Errorf("Responses[1] = %+v, want row 23 with no horizon and no urgency", s.Responses[1])
		}
	}
}

// TestBadRowsXLSX writes the rows of bad-rows.csv into a workbook (the
// date column as Excel date serials where the CSV has a valid date) and
// expects the same problems: XLSX and CSV are read alike.
func TestBadRowsXLSX(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(dataDir, "bad-rows.csv"))
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		for j, c := range strings.Split(line, ";") {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if j == 2 && i > 0 {
				if d, err := time.Parse(time.DateOnly, c); err == nil {
					// Excel serial: days since 1899-12-30.
					_ = f.SetCellInt(f.GetSheetName(0), cell, int64(d.Sub(excelEpoch).Hours()/24))
					continue
				}
			}
			_ = f.SetCellStr(f.GetSheetName(0), cell, c)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	s, err := Parse("bad.xlsx", buf.Bytes(), nil, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	csvS, _ := ReadFile(filepath.Join(dataDir, "bad-rows.csv"), nil, testOptions)
	if len(s.Problems) != len(csvS.Problems) {
		t.Fatalf("Parse(xlsx) gave %d problems, want %d as for the CSV: %v", len(s.Problems), len(csvS.Problems), s.Problems)
	}
	for i := range s.Problems {
		a, b := s.Problems[i], csvS.Problems[i]
		if a.Row != b.Row || a.Column != b.Column || a.Reason != b.Reason {
			t.Errorf("xlsx problem %d = %v, want %v", i, a, b)
		}
	}
	if len(s.Responses) != 2 || !s.Responses[0].Date.Equal(time.Date(2024, 3, 14, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("xlsx responses = %+v, want 2 with date 2024-03-14", s.Responses)
	}
}

func TestBadHeader(t *testing.T) {
	f := filepath.Join(dataDir, "bad-header.csv")
	s, err := ReadFile(f, nil, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		f + ":1:dato: dato: kolonnen finnes to ganger",
		f + ":1:kommunenr: : kolonnen mangler",
		f + ":1:kommune: kommune: ukjent kolonne (list den under ignore: i mappingen om den skal hoppes over)",
		f + ":1:kontakt: kontakt: ukjent kolonne (list den under ignore: i mappingen om den skal hoppes over)",
	}
	var got []string
	for _, p := range s.Problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ReadFile(bad-header.csv) problems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(s.Responses) != 0 || len(s.Rejected) != 1 || s.Rejected[0] != 2 {
		t.Errorf("ReadFile(bad-header.csv) accepted %d, rejected %v; want 0 and [2]", len(s.Responses), s.Rejected)
	}
}

// TestMappedWide reads the windows-1252, decimal-comma, one-row-per-company
// questionnaire kommune-skjema.csv with its mapping; the expected responses
// are the file's cells as written by hand.
func TestMappedWide(t *testing.T) {
	m, err := LoadMappingFile(filepath.Join(dataDir, "kommune-skjema.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dataDir, "kommune-skjema.csv")
	s, err := ReadFile(f, m, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	d := func(day int) time.Time { return time.Date(2024, 3, day, 0, 0, 0, 0, time.UTC) }
	want := []Response{
		{Row: 2, OrgNr: "923609016", Municipality: "5001", Date: d(14), Area: "bygg_anlegg", Level: "fagbrev", People: 3, Horizon: -1},
		{Row: 2, OrgNr: "923609016", Municipality: "5001", Date: d(14), Area: "ikt", Level: "uh_kort", People: 1, Horizon: -1},
		{Row: 3, OrgNr: "974760673", Municipality: "4001", Date: d(20), Area: "ikt", Level: "vgs", People: 2, Horizon: -1},
		{Row: 4, OrgNr: "910000004", Municipality: "4001", Date: d(20), NoNeed: true, Horizon: -1},
	}
	if len(s.Responses) != len(want) {
		t.Fatalf("ReadFile(kommune-skjema.csv) = %d responses %+v, want %d", len(s.Responses), s.Responses, len(want))
	}
	for i := range want {
		if s.Responses[i] != want[i] {
			t.Errorf("Responses[%d] = %+v, want %+v", i, s.Responses[i], want[i])
		}
	}
	wantP := f + ":5:Antall 2: 2,5: må være et helt tall"
	if len(s.Problems) != 1 || s.Problems[0].String() != wantP {
		t.Errorf("problems = %v, want [%s]", s.Problems, wantP)
	}
}

func TestParseMappingErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "colums: {}\n", "field colums not found"},
		{"unknown field", "columns: {navn: Navn}\n", `unknown field "navn"`},
		{"need field in columns with needs", "columns: {antall: A}\nneeds: [{antall: B}]\n", `field "antall" is a need field`},
		{"firm field in needs", "needs: [{orgnr: B}]\n", `field "orgnr" is not a need field`},
		{"bad date", "date: 14.03.2024x\n", `date "14.03.2024x"`},
		{"bad format", "format: ods\n", `format "ods"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMapping([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseMapping(%q) = %v, want an error containing %q", tt.yaml, err, tt.want)
			}
		})
	}
}

func TestFixedDate(t *testing.T) {
	m, err := ParseMapping([]byte("date: 2024-03-01\n"))
	if err != nil {
		t.Fatal(err)
	}
	in := "orgnr;kommunenr;kompetanseomrade;beskrivelse;utdanningsniva;antall;tidshorisont;hastegrad\n974760673;4001;ikt;;vgs;1;0;lav\n"
	s, err := Parse("x.csv", []byte(in), m, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Problems) != 0 || len(s.Responses) != 1 || !s.Responses[0].Date.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)) || s.Responses[0].Horizon != 0 {
		t.Errorf("Parse with date: = %+v, %v; want one response dated 2024-03-01 with horizon 0", s.Responses, s.Problems)
	}
}

// TestTemplate checks that testdata/survey/mal.csv and mal.xlsx are the
// templates this package writes, with exactly the columns.
func TestTemplate(t *testing.T) {
	const want = "orgnr;kommunenr;dato;kompetanseomrade;beskrivelse;utdanningsniva;antall;tidshorisont;hastegrad\n"
	var buf bytes.Buffer
	if err := WriteTemplateCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != want {
		t.Errorf("WriteTemplateCSV = %q, want %q", buf.String(), want)
	}
	var xb bytes.Buffer
	if err := WriteTemplateXLSX(&xb); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(filepath.Join(dataDir, "mal.csv"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dataDir, "mal.xlsx"), xb.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(filepath.Join(dataDir, "mal.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("mal.csv = %q, want %q (run go test -update)", got, want)
	}
	for _, name := range []string{"mal.csv", "mal.xlsx"} {
		s, err := ReadFile(filepath.Join(dataDir, name), nil, testOptions)
		if err != nil {
			t.Fatalf("ReadFile(%s) = %v", name, err)
		}
		if len(s.Problems) != 0 || s.Rows != 0 {
			t.Errorf("ReadFile(%s) = %d rows, problems %v; want an empty valid template", name, s.Rows, s.Problems)
		}
	}
	xf, err := excelize.OpenFile(filepath.Join(dataDir, "mal.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer xf.Close()
	rows, _ := xf.GetRows(xf.GetSheetName(0))
	if len(rows) != 1 || strings.Join(rows[0], ";")+"\n" != want {
		t.Errorf("mal.xlsx first sheet = %q, want only the header %q", rows, want)
	}
}

func TestEncodings(t *testing.T) {
	// The same one-row file as UTF-8 with BOM, windows-1252 and with ','
	// as delimiter: the text cell must come out as "Sveising på rør".
	line := "orgnr;kommunenr;dato;kompetanseomrade;beskrivelse;utdanningsniva;antall;tidshorisont;hastegrad\r\n974760673;4001;2024-03-20;;Sveising på rør;fagbrev;1;;\r\n"
	win, err := charmap.Windows1252.NewEncoder().Bytes([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"utf8-bom", append([]byte{0xEF, 0xBB, 0xBF}, line...)},
		{"windows-1252", win},
		{"comma", []byte(strings.ReplaceAll(line, ";", ","))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.name+".csv", tt.data, nil, testOptions)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Responses) != 1 || s.Responses[0].Text != "Sveising på rør" || len(s.Problems) != 0 {
				t.Errorf("Parse(%s) = %+v %v, want one response with text %q", tt.name, s.Responses, s.Problems, "Sveising på rør")
			}
		})
	}
}

func TestNotAWorkbook(t *testing.T) {
	if _, err := Parse("x.xlsx", []byte("not a zip"), nil, testOptions); err == nil {
		t.Error("Parse(x.xlsx, garbage) = nil error, want an error")
	}
}
