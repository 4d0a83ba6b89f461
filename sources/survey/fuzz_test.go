package survey

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/sources/tabular"
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

// FuzzParseXLSX feeds arbitrary bytes as a survey workbook (seeded with the
// template mal.xlsx): Parse must not panic, and accepted responses must
// pass the checks.
func FuzzParseXLSX(f *testing.F) {
	if data, err := os.ReadFile(filepath.Join(dataDir, "mal.xlsx")); err == nil {
		f.Add(data)
	}
	lim := tabular.Limits{MaxBytes: 1 << 20, MaxUnzipBytes: 4 << 20, MaxCells: 1 << 14}
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := testOptions
		opt.Limits = lim
		s, err := Parse("fuzz.xlsx", data, nil, opt)
		if err != nil {
			return
		}
		for _, r := range s.Responses {
			if !ValidOrgNr(r.OrgNr) || (!r.NoNeed && (r.People < 1 || r.Level == "")) {
				t.Errorf("accepted response %+v fails the checks", r)
			}
		}
	})
}

// FuzzParseMapping feeds arbitrary YAML as a survey mapping: ParseMapping
// must not panic, and a mapping it accepts must read a small survey
// without panicking.
func FuzzParseMapping(f *testing.F) {
	for _, name := range []string{"demo.yaml", "kommune-skjema.yaml"} {
		if data, err := os.ReadFile(filepath.Join(dataDir, name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("columns: {orgnr: Org.nr}\nvalues: {utdanningsniva: {Fagbrev: fagskole}}\n"))
	f.Fuzz(func(t *testing.T, y []byte) {
		m, err := ParseMapping(y)
		if err != nil {
			return
		}
		_, _ = Parse("fuzz.csv", []byte("orgnr;kommunenr;dato;kompetanseomrade;beskrivelse;utdanningsniva;antall;tidshorisont;hastegrad\n923609016;5001;2024-03-14;ikt;;uh_kort;2;1;hoy\n"), m, testOptions)
	})
}
