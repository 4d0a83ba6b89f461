package planning

import (
	"errors"
	"strings"
	"testing"
)

// FuzzReadProgrammes: any input either reads, with every programme valid,
// or fails with errors that are all CrosswalkErrors (positioned).
func FuzzReadProgrammes(f *testing.F) {
	f.Add(programmesCSV)
	f.Add("programkode,program,programtype,styrk08,nav_yrkesgruppe,sn2007,kilde,vurdering\nBA,Bygg,yrkesfag,711,,41-43,Udir,\n")
	f.Add("programkode\n\"")
	f.Fuzz(func(t *testing.T, in string) {
		ps, err := ReadProgrammes(strings.NewReader(in), "fuzz.csv")
		if err != nil {
			var ce *CrosswalkError
			if !errors.As(err, &ce) {
				t.Fatalf("ReadProgrammes() error %v is not a CrosswalkError", err)
			}
			return
		}
		for _, p := range ps {
			for _, r := range p.Industries {
				if r.Lo < 1 || r.Hi > 99 || r.Lo > r.Hi {
					t.Fatalf("programme %s has range %v", p.Code, r)
				}
			}
		}
	})
}
