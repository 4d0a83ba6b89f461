package udir

import (
	"os"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"data.json", "gjennomfoering.json", "data_two_levels.json"} {
		data, err := os.ReadFile("testdata/api/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ds, err := Parse(Query{Report: "R"}, body, nil)
		if err == nil && len(ds.Values) != ds.Size() {
			t.Fatalf("len(Values) = %d, Size() = %d", len(ds.Values), ds.Size())
		}
	})
}
