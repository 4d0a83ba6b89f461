package tabular

import (
	"os"
	"testing"
)

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1 400", "20,4", "1.400,5", "-3", "1e3", "\u22121\u00a0000", ""} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, comma bool) {
		d := byte('.')
		if comma {
			d = ','
		}
		_, _ = ParseNumber(s, d)
	})
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2024", "2024M03", "2024K4", "2017-2023", "2020-21", "2024-03-01", "mars 2024", "45352", "4. kvartal 2024"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, _, err := ParsePeriod(s, "")
		if err == nil {
			// A normalised code parses to itself.
			again, _, err2 := ParsePeriod(code, "")
			if err2 != nil || again != code {
				t.Fatalf("ParsePeriod(%q) = %q, which parses to %q, %v", s, code, again, err2)
			}
		}
	})
}

// FuzzParse feeds arbitrary bytes through the CSV reader and the builder
// with a mapping that uses most features; it must not panic.
func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile("testdata/sokere_hoyere_utdanning_vt.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("sep=;\nFylke;År;Antall\n40 Telemark;2024;1 400\n"))
	f.Add(utf16le("Fylke\tÅr\tAntall\r\n03 Oslo\t2024M03\t*\r\n"))
	m, err := ParseMapping([]byte(`{decimal: ",", region: {column: Fylke, code: prefix}, period: {column: År}, value: {column: Antall}, duplicates: sum}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Parse("fuzz.csv", data, m, Options{})
		if err == nil && len(ds.Values) != ds.Size() {
			t.Fatalf("len(Values) = %d, Size() = %d", len(ds.Values), ds.Size())
		}
	})
}
