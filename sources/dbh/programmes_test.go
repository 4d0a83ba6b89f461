package dbh

import (
	"errors"
	"os"
	"testing"
)

func TestParseProgrammes(t *testing.T) {
	// SYNTHETIC rows: a string, a number (printed shortest), a null and
	// padding trimmed.
	rows, err := ParseProgrammes(ProgrammeTable, []byte(`[{"Studieprogramkode": " BINF ", "Studiepoeng": 180.0, "Kommunenr": null}, {"Nivåkode": "M2"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Row != 1 || rows[1].Row != 2 {
		t.Fatalf("ParseProgrammes = %+v, want rows 1 and 2", rows)
	}
	for _, c := range []struct {
		row       int
		col, want string
	}{
		{0, ColProgrammeCode, "BINF"}, {0, ColCredits, "180"}, {0, ColMunicipality, ""}, {1, ColLevel, "M2"}, {1, ColProgrammeCode, ""},
	} {
		if got := rows[c.row].Get(c.col); got != c.want {
			t.Errorf("row %d %s = %q, want %q", c.row+1, c.col, got, c.want)
		}
	}
	for _, body := range []string{"", "[]", " "} {
		if _, err := ParseProgrammes(ProgrammeTable, []byte(body)); !errors.Is(err, ErrNoData) {
			t.Errorf("ParseProgrammes(%q) = %v, want ErrNoData", body, err)
		}
	}
	_, err = ParseProgrammes(ProgrammeTable, []byte(`[{"A": "x"}, {"Studiepoeng": [1]}]`))
	var ce *CellError
	if !errors.As(err, &ce) || ce.Row != 2 || ce.Column != "Studiepoeng" || ce.Table != 347 {
		t.Errorf("ParseProgrammes(array cell) = %v, want a CellError at row 2, Studiepoeng", err)
	}
	if _, err := ParseProgrammes(ProgrammeTable, []byte(`{"A": 1}`)); err == nil {
		t.Error("ParseProgrammes(object) = nil error, want one")
	}
}

func FuzzParseProgrammes(f *testing.F) {
	data, err := os.ReadFile("../../testdata/demo/dbh/studieprogram-trondelag-2024-syntetisk.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		rows, err := ParseProgrammes(ProgrammeTable, body)
		for i, r := range rows {
			if err != nil || r.Row != i+1 {
				t.Fatalf("rows with error %v, or row %d numbered %d", err, i+1, r.Row)
			}
		}
	})
}
