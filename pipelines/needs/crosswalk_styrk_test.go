package needs

import (
	"strings"
	"testing"
)

// STYRK-08 version 319 as shipped: 582 items on four levels, 10 major, 43
// sub-major, 122 minor and 407 unit groups (shared PROVENANCE.md, klass/
// styrk08-version-319.js, counted there); 2512 Programvareutviklere is
// under 251.
func TestDefaultOccupations(t *testing.T) {
	o, err := DefaultOccupations()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := o.Count(), [5]int{0, 10, 43, 122, 407}; got != want {
		t.Errorf("Count() = %v, want %v", got, want)
	}
	for code, want := range map[string]string{"2512": "Programvareutviklere", "251": "Programvare- og applikasjonsutviklere/analytikere", "2": "Akademiske yrker", "0": "Militære yrker og uoppgitt"} {
		if got := o.Name(code); got != want {
			t.Errorf("Name(%s) = %q, want %q", code, got, want)
		}
	}
	if o.Known("2599") || o.Known("") || o.Known("25123") {
		t.Error("Known accepts a code that is not in STYRK-08")
	}
}

// Areas by the most specific STYRK-08 code crosswalk.csv lists (the styrk08
// column, read by hand): 22 helse_oppvekst, 71 bygg_anlegg, 751
// restaurant_mat and 75 handverk_design, 343 handverk_design and 3432
// frisor_interior, 133 ikt and 1 ledelse, 25 ikt. Names from STYRK-08.
func TestOccupationAreas(t *testing.T) {
	cw, err := DefaultCrosswalk()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ code, want string }{
		{"2223", "helse_oppvekst"},  // Sykepleiere, in 22
		{"7126", "bygg_anlegg"},     // Rørleggere og VVS-montører, in 71
		{"7512", "restaurant_mat"},  // Bakere, konditorer: 751 beats 75
		{"7522", "handverk_design"}, // Møbelsnekkere: 75
		{"3432", "frisor_interior"}, // Interiørdesignere og dekoratører: 3432 beats 343
		{"3433", "handverk_design"}, // Tekniske konservatorer: 343
		{"1330", "ikt"},             // Ledere av IKT-enheter: 133 beats 1
		{"1211", "ledelse"},         // Finans- og økonomisjefer: 1
		{"2512", "ikt"},             // Programvareutviklere: 25
		{"25", "ikt"},               // a sub-major group code itself
		{"9111", ""},                // Renholdere i private hjem: no area
		{"0110", ""},                // Offiserer: no area
		{"", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(cw.OccupationAreas(tt.code), " "); got != tt.want {
			t.Errorf("OccupationAreas(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestCrosswalkRejectsUnknownSTYRK(t *testing.T) {
	areas := "omrade;navn;nus_felt;utdanningsprogram;styrk08;sn2007\nx;X;5;;71 2599;41-43\ny;Y;5;;9;41\n"
	_, err := LoadCrosswalk(strings.NewReader(areas), strings.NewReader("nokkelord;omrade\nfoo;x\n"))
	if err == nil || !strings.Contains(err.Error(), `row 2: styrk08: "2599" is not a STYRK-08 code`) {
		t.Errorf("LoadCrosswalk(styrk08 2599) error = %v, want naming row 2 and 2599", err)
	}
	if err != nil && strings.Contains(err.Error(), `"71"`) {
		t.Errorf("LoadCrosswalk error names 71, a real STYRK-08 code: %v", err)
	}
}

func TestJSObjectToJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{"module.exports = {\n  \"a\": \"x,}\",\n  \"b\": [1, 2,],\n};\n", "{\n  \"a\": \"x,}\",\n  \"b\": [1, 2]\n}"},
		{`{"a":"q\",]","b":{"c":1,}}`, `{"a":"q\",]","b":{"c":1}}`},
		{`{"a":[1,2]}`, `{"a":[1,2]}`},
		{"no object", "no object"},
	}
	for _, tt := range tests {
		if got := string(jsObjectToJSON([]byte(tt.in))); got != tt.want {
			t.Errorf("jsObjectToJSON(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseOccupationsErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"parent not a prefix", `{"validFrom":"2011-01-01","classificationItems":[{"code":"2","level":"1","parentCode":""},{"code":"31","level":"2","parentCode":"2"}]}`, `code 31 has parent "2", want "3"`},
		{"parent missing", `{"validFrom":"2011-01-01","classificationItems":[{"code":"25","level":"2","parentCode":"2"}]}`, `code 25 has parent "2", want "2" (an item)`},
		{"level and length disagree", `{"validFrom":"2011-01-01","classificationItems":[{"code":"25","level":"3"}]}`, `code "25" at level "3"`},
		{"not digits", `{"validFrom":"2011-01-01","classificationItems":[{"code":"A","level":"1"}]}`, `code "A"`},
		{"not a version", `{"codes":[]}`, `no "classificationItems" member`},
	}
	for _, tt := range tests {
		if _, err := ParseOccupations([]byte(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseOccupations(%s) error = %v, want containing %q", tt.name, err, tt.want)
		}
	}
}

func FuzzParseOccupations(f *testing.F) {
	f.Add([]byte(`module.exports = {"validFrom":"2011-01-01","validTo":"+999999999-12-31","classificationItems":[{"code":"2","level":"1","parentCode":""},{"code":"25","level":"2","parentCode":"2",},],}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := ParseOccupations(b)
		if err != nil {
			return
		}
		for code, lv := range o.levels {
			if len(code) != lv || (lv > 1 && !o.Known(code[:lv-1])) {
				t.Errorf("ParseOccupations(%q): code %s at level %d without its parent", b, code, lv)
			}
		}
	})
}
