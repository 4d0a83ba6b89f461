package px_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/sources/px"
)

// FuzzDecode checks that Decode never panics and that a decoded dataset is
// consistent: one value, presence flag and (when any) status per declared
// cell, a missing cell holding 0, and no cell over the limit. The seeds are
// the three recorded PX files in testdata and a few synthetic ones.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob("testdata/*.px")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(synthetic("", `1 ".." - 4`)))
	f.Add([]byte("\xef\xbb\xbfSTUB=\"a\";\nVALUES(\"a\")=\"x\",\n\"y\";\nTIMEVAL(\"a\")=TLIST(A1,\"1\"-\"2\");\nDATA=\n1 2;"))
	const limit = 1 << 16
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := px.Decode(strings.NewReader(string(b)), px.Options{Name: "fuzz.px", MaxCells: limit, Language: "sv"})
		if err != nil {
			if _, ok := err.(*px.Error); !ok {
				t.Fatalf("error %T %v is not a *px.Error", err, err)
			}
			return
		}
		n := ds.Size()
		if n > limit || len(ds.Values) != n || len(ds.Present) != n || (ds.Status != nil && len(ds.Status) != n) {
			t.Fatalf("size %d, %d values, %d present, %d statuses", n, len(ds.Values), len(ds.Present), len(ds.Status))
		}
		for i, p := range ds.Present {
			if !p && ds.Values[i] != 0 {
				t.Fatalf("missing cell %d holds %v", i, ds.Values[i])
			}
			if !p && (ds.Status == nil || !px.IsMissing(ds.Status[i])) {
				t.Fatalf("missing cell %d has no missing status", i)
			}
		}
		for _, d := range ds.Dims {
			if len(d.Codes) != len(d.Labels) || len(d.Codes) == 0 {
				t.Fatalf("dimension %s: %d codes, %d labels", d.ID, len(d.Codes), len(d.Labels))
			}
		}
	})
}
