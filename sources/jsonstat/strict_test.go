package jsonstat

import (
	"errors"
	"strings"
	"testing"
)

// A synthetic two-cell dataset; the tests below splice members into it.
const tiny = `{"version":"2.0","class":"dataset","label":"t",%s"id":["a"],"size":[2],` +
	`"dimension":{"a":{"category":{%s"index":["x","y"],"label":{"x":"X","y":"Y"}}}},"value":[1,2]%s}`

func splice(top, cat, tail string) string {
	s := strings.Replace(tiny, "%s", top, 1)
	s = strings.Replace(s, "%s", cat, 1)
	return strings.Replace(s, "%s", tail, 1)
}

func TestDuplicateKeys(t *testing.T) {
	tests := []struct {
		name, doc, key string
		// second is a substring that ends where the second occurrence of
		// key ends (the offset the error must name).
		second string
	}{
		{"top-level label", splice(`"label":"u",`, "", ""), "label", `"t","label"`},
		{"dimension", strings.Replace(splice("", "", ""), `"dimension":{"a":{`, `"dimension":{"a":{"label":"A"},"a":{`, 1), "a", `},"a"`},
		{"category label", splice("", `"label":{"x":"X"},`, ""), "label", `"index":["x","y"],"label"`},
		{"label code", strings.Replace(splice("", "", ""), `"label":{"x":"X","y":"Y"}`, `"label":{"x":"X","x":"Z"}`, 1), "x", `"x":"X","x"`},
		{"index code", strings.Replace(splice("", "", ""), `"index":["x","y"]`, `"index":{"x":0,"x":1}`, 1), "x", `"x":0,"x"`},
		{"role", splice(`"role":{"time":["a"],"time":["a"]},`, "", ""), "time", `"time":["a"],"time"`},
		{"extension", splice("", "", `,"extension":{"e":{"k":1,"k":2}}`), "k", `"k":1,"k"`},
		{"value twice", splice("", "", `,"value":[3,4]`), "value", `,"value":[1,2],"value"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			i := strings.Index(tc.doc, tc.second)
			if i < 0 || strings.Count(tc.doc, tc.second) != 1 {
				t.Fatalf("%q is not once in %s", tc.second, tc.doc)
			}
			want := int64(i + len(tc.second))
			_, err := Decode(strings.NewReader(tc.doc))
			var de *DuplicateKeyError
			if !errors.As(err, &de) || de.Key != tc.key || de.Offset != want {
				t.Errorf("Decode(%s) = %v, want a *DuplicateKeyError for %q at byte %d", tc.doc, err, tc.key, want)
			}
		})
	}
	// A status object giving one cell twice (its keys are cell indexes,
	// scanned without a key set) is an *Error for the cell.
	_, err := Decode(strings.NewReader(splice("", "", `,"status":{"1":"..","1":"x"}`)))
	var e *Error
	if !errors.As(err, &e) || e.Index != 1 || !strings.Contains(e.Msg, "twice") {
		t.Errorf("Decode(status key twice) = %v, want an *Error at index 1", err)
	}
	// The same keys in different objects are fine.
	if _, err := Decode(strings.NewReader(splice("", "", `,"extension":{"a":{"x":1},"b":{"x":1}}`))); err != nil {
		t.Errorf("Decode(same key in sibling objects) = %v, want nil", err)
	}
}

func TestBOM(t *testing.T) {
	doc := splice("", "", "")
	plain, err := Decode(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	bom, err := Decode(strings.NewReader("\uFEFF" + doc))
	if err != nil {
		t.Fatalf("Decode(BOM + doc) = %v, want nil", err)
	}
	if len(bom) != 1 || bom[0].Label != plain[0].Label || len(bom[0].Values) != 2 || bom[0].Values[1] != 2 {
		t.Errorf("Decode(BOM + doc) = %+v, want %+v", bom[0], plain[0])
	}
	// Offsets stay those of the file: the BOM is 3 bytes, so the
	// duplicate "label" ends 3 bytes later than without it.
	_, err1 := Decode(strings.NewReader(splice(`"label":"u",`, "", "")))
	_, err2 := Decode(strings.NewReader("\uFEFF" + splice(`"label":"u",`, "", "")))
	var d1, d2 *DuplicateKeyError
	if !errors.As(err1, &d1) || !errors.As(err2, &d2) || d2.Offset != d1.Offset+3 {
		t.Errorf("duplicate key offsets %v and %v, want the second 3 bytes later", err1, err2)
	}
}
