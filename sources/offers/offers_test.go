package offers

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// fakeRegions knows a fixed set of municipality codes (real KLASS 131 codes
// valid in 2025: 4003 Skien, 4005 Notodden, 4012 Bamble).
type fakeRegions map[string]bool

func (f fakeRegions) ValidMunicipality(code string, _ time.Time) error {
	if !f[code] {
		return fmt.Errorf("unknown %s", code)
	}
	return nil
}

var testOpt = Options{Regions: fakeRegions{"4003": true, "4005": true, "4012": true}, Date: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}

// TestBadRows asserts every problem of testdata/bad-rows.csv, one by one;
// the expected lines are written from the file by hand (row 2, 8 and 9 are
// valid, row 10 repeats row 2).
func TestBadRows(t *testing.T) {
	c, err := ReadFile("testdata/bad-rows.csv", nil, testOpt)
	if err != nil {
		t.Fatal(err)
	}
	f := "testdata/bad-rows.csv"
	want := []string{
		f + ":3:orgnr: 999000119: kontrollsifferet stemmer ikke (MOD11)",
		f + ":4:kommunenr: 1601: ukjent kommunenummer (gjaldt ikke på 2025-06-01)",
		f + ":5:nkr: 9: NKR-nivået må være mellom 1 og 8 (eller 5.1 eller 5.2)",
		f + ":6:kapasitet: mange: må være et helt tall (antall plasser)",
		f + ":7:niva: master: må være en av vgs, fagskole, hoyere, kurs",
		f + ":9:kommunenr: : mangler (påkrevd når tilbudet ikke er på nett)",
		f + ":10:tittel: Industriell automatisering: duplikat av rad 2 (samme tilbyder, tittel, sted, form og start)",
		f + ":11:styrk: 99999: STYRK-08-koden må ha 1-4 sifre",
		f + ":11:naering: 4-5: må være en SN2007-næring (to sifre, 01-99) eller et spenn som 41-43",
		f + ":11:start: 2025-13-01: ikke en dato på formen ÅÅÅÅ-MM-DD",
		f + ":11:varighet_uker: 0: må være mellom 1 og 520 uker",
		f + ":11:kapasitet: 12,5: må være et helt tall (antall plasser)",
		f + ":11:pris: -1: må være mellom 0 og 100 000 000 kroner",
		f + ":11:lenke: ftp://example.org: må være en nettadresse som begynner med http:// eller https://",
	}
	var got []string
	for _, p := range c.Problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ReadFile(bad-rows.csv) problems =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if fmt.Sprint(c.Rejected) != "[3 4 5 6 7 9 10 11]" {
		t.Errorf("Rejected = %v, want [3 4 5 6 7 9 10 11]", c.Rejected)
	}
	if len(c.Offers) != 2 || c.Offers[0].Row != 2 || c.Offers[1].Row != 8 {
		t.Fatalf("Offers = %+v, want rows 2 and 8", c.Offers)
	}
	// Row 2 read field by field.
	o := c.Offers[0]
	if o.OrgNr != "999000118" || o.Level != "fagskole" || o.NKR != "5" || o.NUS != "5" || o.Capacity != 30 || o.Credits != 60 || o.Weeks != 80 ||
		o.Municipality != "4003" || o.Mode != "samlingsbasert" || o.Start != time.Date(2025, 8, 18, 0, 0, 0, 0, time.UTC) || fmt.Sprint(o.STYRK) != "[3113]" {
		t.Errorf("row 2 = %+v", o)
	}
	// Row 8: online without a place.
	o = c.Offers[1]
	if o.Municipality != "" || o.Mode != ModeOnline || o.Credits != 15 || o.Capacity != 40 || o.Price != 9500 {
		t.Errorf("row 8 = %+v", o)
	}
}

func TestMissingAndUnknownColumns(t *testing.T) {
	c, err := Parse("x.csv", []byte("tilbyder;orgnr;tittel;type;niva;form;ekstra\n"), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "x.csv:1:kommunenr: : kolonnen mangler\nx.csv:1:ekstra: ekstra: ukjent kolonne (list den under ignore: i mappingen om den skal hoppes over)"
	var got []string
	for _, p := range c.Problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != want {
		t.Errorf("problems = %q, want %q", got, want)
	}
}

// A layout with other headers and values, read through a mapping.
func TestMapping(t *testing.T) {
	m, err := ParseMapping([]byte(`
delimiter: ","
decimal: ","
columns: {tilbyder: Leverandør, kapasitet: Plasser, form: Undervisning}
values: {form: {Digitalt: nett}, niva: {Høgskole: hoyere}}
ignore: [Kommentar]
`))
	if err != nil {
		t.Fatal(err)
	}
	data := "Leverandør,orgnr,tittel,type,niva,kompetanseomrade,kommunenr,Undervisning,studiepoeng,Plasser,Kommentar\n" +
		"Demo (syntetisk),999000851,Sky,uh,Høgskole,ikt,,digitalt,\"7,5\",40,hei\n"
	c, err := Parse("m.csv", []byte(data), m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) > 0 || len(c.Offers) != 1 {
		t.Fatalf("Parse = %v problems, %d offers", c.Problems, len(c.Offers))
	}
	o := c.Offers[0]
	if o.Mode != ModeOnline || o.Level != "hoyere" || o.Credits != 7.5 || o.Capacity != 40 || o.Provider != "Demo (syntetisk)" || !math.IsNaN(o.Price) || o.NKR != "" {
		t.Errorf("mapped offer = %+v", o)
	}
	// NKR 5,2 with a decimal comma is fagskole's 5.2; 5.3 is no level.
	for _, tt := range []struct{ in, want, problem string }{{"5,2", "5.2", ""}, {"5.3", "", "NKR-nivået må være mellom 1 og 8 (eller 5.1 eller 5.2)"}, {"fire", "", "må være et NKR-nivå (1-8, eller 5.1 og 5.2 for fagskole)"}} {
		c, err := Parse("n.csv", []byte("tilbyder;orgnr;tittel;type;niva;nkr;kompetanseomrade;kommunenr;form\nA;999000851;T;uh;hoyere;"+tt.in+";ikt;;nett\n"), nil, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, prob := "", ""
		if len(c.Offers) == 1 {
			got = c.Offers[0].NKR
		}
		if len(c.Problems) == 1 {
			prob = c.Problems[0].Reason
		}
		if got != tt.want || prob != tt.problem {
			t.Errorf("nkr %q = %q, problem %q; want %q, %q", tt.in, got, prob, tt.want, tt.problem)
		}
	}
	if _, err := ParseMapping([]byte("columns: {ukjent: X}\n")); err == nil {
		t.Error("ParseMapping(unknown field) = nil error")
	}
	if _, err := ParseMapping([]byte("kolonner: {}\n")); err == nil {
		t.Error("ParseMapping(unknown key) = nil error")
	}
}

// The templates read back as an empty, valid catalog.
func TestTemplateRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"mal.csv", func(b *bytes.Buffer) error { return WriteTemplateCSV(b) }},
		{"mal.xlsx", func(b *bytes.Buffer) error { return WriteTemplateXLSX(b) }},
	} {
		var b bytes.Buffer
		if err := tt.write(&b); err != nil {
			t.Fatal(err)
		}
		c, err := Parse(tt.name, b.Bytes(), nil, Options{})
		if err != nil {
			t.Fatalf("Parse(%s) = %v", tt.name, err)
		}
		if c.Rows != 0 || len(c.Problems) != 0 {
			t.Errorf("Parse(%s) = %d rows, problems %v; want 0, none", tt.name, c.Rows, c.Problems)
		}
	}
}

// TestGreenColumn: the optional column gronn takes ja or nei (any case,
// or mapped values), leaves Green empty when blank or absent, and refuses
// anything else with a problem naming file, row and column.
func TestGreenColumn(t *testing.T) {
	head := "tilbyder;orgnr;tittel;type;niva;nus;kommunenr;form;gronn\n"
	row := func(title, green string) string {
		return "Demo (syntetisk);999000118;" + title + ";evu;kurs;5;4003;stedbasert;" + green + "\n"
	}
	c, err := Parse("g.csv", []byte(head+row("A", "ja")+row("B", "Nei")+row("C", "")+row("D", "kanskje")), nil, testOpt)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range c.Offers {
		got = append(got, o.Title+"="+o.Green)
	}
	if strings.Join(got, " ") != "A=ja B=nei C=" {
		t.Errorf("Green = %v, want [A=ja B=nei C=]", got)
	}
	want := "g.csv:5:gronn: kanskje: må være ja, nei eller tom (tom: avledes av næring og kompetanseområde)"
	if len(c.Problems) != 1 || c.Problems[0].String() != want {
		t.Errorf("problems = %v, want [%s]", c.Problems, want)
	}
	// Without the column (a catalog from before it existed) nothing is given.
	c, err = Parse("g.csv", []byte("tilbyder;orgnr;tittel;type;niva;nus;kommunenr;form\nDemo (syntetisk);999000118;A;evu;kurs;5;4003;stedbasert\n"), nil, testOpt)
	if err != nil || len(c.Problems) != 0 || len(c.Offers) != 1 || c.Offers[0].Green != "" {
		t.Errorf("Parse(no gronn column) = %+v, %v; want one offer, Green empty", c, err)
	}
	// A mapping can rename the column and map its values.
	m := &Mapping{Columns: map[string]string{FieldGreen: "Grønn"}, Values: map[string]map[string]string{FieldGreen: {"X": "ja"}}}
	c, err = Parse("g.csv", []byte(strings.Replace(head, "gronn", "Grønn", 1)+row("A", "x")), m, testOpt)
	if err != nil || len(c.Offers) != 1 || c.Offers[0].Green != GreenYes {
		t.Errorf("Parse(mapped) = %+v, %v; want Green ja", c, err)
	}
}
