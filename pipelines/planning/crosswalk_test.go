package planning

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// The shipped crosswalk has a row for every programme column of the demo's
// Udir answers (testdata/demo/udir/data-soeker-program-syntetisk.json:
// vocational BA..FBIE, general ST..MK), and each range reads back.
func TestDefaultProgrammes(t *testing.T) {
	ps, err := DefaultProgrammes()
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]Programme{}
	for _, p := range ps {
		byCode[p.Code] = p
	}
	for _, c := range []string{"BA", "EL", "HS", "TP", "RM", "NA", "SR", "IM", "HDP", "FBIE"} {
		if p, ok := byCode[c]; !ok || p.Type != Vocational || len(p.Industries) == 0 {
			t.Errorf("programme %s = %+v, want a vocational row with industries", c, p)
		}
	}
	for _, c := range []string{"ST", "ID", "MD", "KDA", "MK"} {
		if p, ok := byCode[c]; !ok || p.Type != General || len(p.Industries) != 0 {
			t.Errorf("programme %s = %+v, want a general row without industries", c, p)
		}
	}
	// BA leads to 41-43: the 07984 group 41-43 is covered; TP's 10-33 and
	// 49-53 cover 10-33 but RM's 10-11 does not (a coarser category).
	if !byCode["BA"].Covers(Range{41, 43}) || byCode["BA"].Covers(Range{35, 39}) {
		t.Errorf("BA.Covers(41-43, 35-39) wrong: industries %v", byCode["BA"].Industries)
	}
	if !byCode["TP"].Covers(Range{10, 33}) || byCode["RM"].Covers(Range{10, 33}) || !byCode["RM"].Covers(Range{55, 56}) {
		t.Errorf("Covers(10-33) wrong: TP %v, RM %v", byCode["TP"].Industries, byCode["RM"].Industries)
	}
	// The file on disk is the embedded one.
	b, err := os.ReadFile("programmer.csv")
	if err != nil || string(b) != programmesCSV {
		t.Errorf("programmer.csv differs from the embedded copy (err %v)", err)
	}
}

func TestReadProgrammesErrors(t *testing.T) {
	const head = "programkode,program,programtype,styrk08,nav_yrkesgruppe,sn2007,kilde,vurdering\n"
	for _, c := range []struct {
		name, in string
		row      int
		col      string
	}{
		{"bad type", head + "BA,Bygg,fagbrev,711,,41-43,Udir,\n", 2, "programtype"},
		{"bad range", head + "BA,Bygg,yrkesfag,711,,43-41,Udir,\n", 2, "sn2007"},
		{"bad styrk", head + "BA,Bygg,yrkesfag,71x,,41-43,Udir,\n", 2, "styrk08"},
		{"duplicate", head + "BA,Bygg,yrkesfag,711,,41-43,Udir,\nBA,Bygg,yrkesfag,711,,41-43,Udir,\n", 3, "programkode"},
		{"general with industry", head + "ST,Studiespesialisering,studieforberedende,,,85,Udir,\n", 2, "sn2007"},
		{"no source", head + "BA,Bygg,yrkesfag,711,,41-43,,\n", 2, "kilde"},
		{"header", strings.Replace(head, "sn2007", "sn", 1), 1, "sn2007"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadProgrammes(strings.NewReader(c.in), "x.csv")
			var ce *CrosswalkError
			if !errors.As(err, &ce) || ce.Row != c.row || ce.Column != c.col || ce.File != "x.csv" {
				t.Errorf("ReadProgrammes() = %v, want a CrosswalkError at x.csv row %d column %s", err, c.row, c.col)
			}
		})
	}
}
