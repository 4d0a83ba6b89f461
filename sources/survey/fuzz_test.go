package survey

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes as a CSV survey: Parse must not panic,
// every rejected row must have a problem, and accepted responses must pass
// the checks again.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"bad-rows.csv", "bad-header.csv", "mal.csv"} {
		if data, err := os.ReadFile(filepath.Join(dataDir, name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("orgnr;kommunenr;dato\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.csv", data, nil, testOptions)
		if err != nil {
			return
		}
		rows := map[int]bool{}
		for _, p := range s.Problems {
			rows[p.Row] = true
		}
		for _, r := range s.Rejected {
			if !rows[r] && !rows[1] {
				t.Errorf("row %d rejected without a problem", r)
			}
		}
		for _, r := range s.Responses {
			if !ValidOrgNr(r.OrgNr) || (!r.NoNeed && (r.People < 1 || r.Level == "")) || strings.TrimSpace(r.Municipality) == "" {
				t.Errorf("accepted response %+v fails the checks", r)
			}
		}
	})
}
