package offers

import (
	"os"
	"strings"
	"testing"
)

// FuzzParse: any bytes either fail to read as a table or give a catalog
// whose every row is accepted or rejected, exactly one of the two, and whose problems
// name the file and a row.
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("testdata/bad-rows.csv"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(strings.Join(Columns, ";") + "\n"))
	f.Add([]byte("tilbyder;orgnr\n\"a;b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("f.csv", data, nil, Options{})
		if err != nil {
			return
		}
		if len(c.Offers)+len(c.Rejected) != c.Rows {
			t.Fatalf("%d offers + %d rejected != %d rows", len(c.Offers), len(c.Rejected), c.Rows)
		}
		rejected := map[int]bool{}
		for _, r := range c.Rejected {
			rejected[r] = true
		}
		for _, o := range c.Offers {
			if rejected[o.Row] {
				t.Fatalf("row %d both accepted and rejected", o.Row)
			}
			if len(o.OrgNr) != 9 {
				t.Fatalf("accepted orgnr %q", o.OrgNr)
			}
		}
		for _, p := range c.Problems {
			if p.File != "f.csv" || p.Row < 1 {
				t.Fatalf("problem %+v", p)
			}
		}
	})
}
