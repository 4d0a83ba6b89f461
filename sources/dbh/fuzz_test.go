package dbh

import (
	"os"
	"testing"
)

func FuzzParse(f *testing.F) {
	data, err := os.ReadFile("testdata/fagskole_fylke.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ds, err := Parse(fagskoleQuery(), body, nil)
		if err == nil && len(ds.Values) != ds.Size() {
			t.Fatalf("len(Values) = %d, Size() = %d", len(ds.Values), ds.Size())
		}
	})
}
