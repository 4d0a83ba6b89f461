package jsonstat

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func decodeFile(t *testing.T, name string) []*Dataset {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ds, err := Decode(f)
	if err != nil {
		t.Fatalf("Decode(%s) error: %v", name, err)
	}
	return ds
}

func decodeOne(t *testing.T, name string) *Dataset {
	t.Helper()
	ds := decodeFile(t, name)
	if len(ds) != 1 {
		t.Fatalf("Decode(%s) = %d datasets, want 1", name, len(ds))
	}
	return ds[0]
}

func dimIDs(d *Dataset) []string {
	var ids []string
	for _, dim := range d.Dims {
		ids = append(ids, dim.ID)
	}
	return ids
}

func dimSizes(d *Dataset) []int {
	var s []int
	for _, dim := range d.Dims {
		s = append(s, len(dim.Codes))
	}
	return s
}

// cell returns the value at the given codes (one per dimension, in order).
func cell(t *testing.T, d *Dataset, codes ...string) (float64, bool, int) {
	t.Helper()
	coords := make([]int, len(codes))
	for k, c := range codes {
		coords[k] = -1
		for i, code := range d.Dims[k].Codes {
			if code == c {
				coords[k] = i
			}
		}
		if coords[k] < 0 {
			t.Fatalf("dimension %s has no category %q", d.Dims[k].ID, c)
		}
	}
	i := d.Index(coords)
	return d.Values[i], d.Present[i], i
}

// TestRealFiles decodes every real JSON-stat file in testdata and checks
// the shapes and values stated in testdata/PROVENANCE.md.
func TestRealFiles(t *testing.T) {
	tests := []struct {
		file      string
		ids       []string
		sizes     []int
		hasValues bool
	}{
		{"canada.json", []string{"country", "year", "age", "concept", "sex"}, []int{1, 1, 20, 2, 3}, true},
		{"oecd.json", []string{"concept", "area", "year"}, []int{1, 36, 12}, true},
		{"galicia.json", []string{"birth", "age", "gender", "time", "residence", "concept"}, []int{6, 22, 3, 2, 5, 1}, true},
		{"hierarchy.json", []string{"commodity"}, []int{132}, true},
		{"us-gsp.json", []string{"year", "state", "concept"}, []int{1, 51, 4}, true},
		{"us-unr.json", []string{"year", "county", "labor"}, []int{1, 3220, 1}, true},
		{"TAB6471_metadata.json", []string{"Region", "Alder", "Kon", "ContentsCode", "Tid"}, []int{312, 134, 3, 1, 16}, false},
		{"MetadataById_tab001_js2.json", []string{"REGION", "SEX", "AGE", "ContentsCode", "TIME"}, []int{30, 3, 22, 1, 3}, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d := decodeOne(t, tt.file)
			if got := dimIDs(d); !reflect.DeepEqual(got, tt.ids) {
				t.Errorf("ids = %v, want %v", got, tt.ids)
			}
			if got := dimSizes(d); !reflect.DeepEqual(got, tt.sizes) {
				t.Errorf("sizes = %v, want %v", got, tt.sizes)
			}
			if d.HasValues() != tt.hasValues {
				t.Errorf("HasValues() = %v, want %v", d.HasValues(), tt.hasValues)
			}
			if tt.hasValues && (len(d.Values) != d.Size() || len(d.Present) != d.Size()) {
				t.Errorf("len(Values), len(Present) = %d, %d, want Size() = %d", len(d.Values), len(d.Present), d.Size())
			}
			for _, dim := range d.Dims {
				if len(dim.Labels) != len(dim.Codes) {
					t.Errorf("dimension %s: %d labels for %d codes", dim.ID, len(dim.Labels), len(dim.Codes))
				}
			}
		})
	}
}

func TestOECD(t *testing.T) {
	d := decodeOne(t, "oecd.json")
	// Values from testdata/PROVENANCE.md.
	for _, tt := range []struct {
		area, year string
		want       float64
	}{
		{"AU", "2003", 5.943826289},
		{"NO", "2012", 3.098584692},
		{"OECD", "2014", 8.004598637},
	} {
		got, ok, _ := cell(t, d, "UNR", tt.area, tt.year)
		if !ok || got != tt.want {
			t.Errorf("value(UNR, %s, %s) = %v (present %v), want %v", tt.area, tt.year, got, ok, tt.want)
		}
	}
	// 72 status entries (PROVENANCE.md), all "e" (an annotation that keeps
	// the value), so no cell is missing.
	n := 0
	for i, s := range d.Status {
		if s != "" {
			n++
			if s != "e" {
				t.Errorf("Status[%d] = %q, want \"e\"", i, s)
			}
		}
	}
	if n != 72 {
		t.Errorf("non-empty statuses = %d, want 72", n)
	}
	// "10":"e" is the first status entry in the file.
	if d.Status[10] != "e" {
		t.Errorf("Status[10] = %q, want \"e\"", d.Status[10])
	}
	for i, p := range d.Present {
		if !p {
			t.Errorf("Present[%d] = false, want every cell present", i)
		}
	}
	// concept has labels but no index: the single code comes from the label.
	if c := d.Dims[0]; !reflect.DeepEqual(c.Codes, []string{"UNR"}) || c.Labels[0] != "unemployment rate" {
		t.Errorf("concept codes, labels = %v, %v, want [UNR], [unemployment rate]", c.Codes, c.Labels)
	}
	if u := d.Dims[0].Unit["UNR"]; u.Label != "%" || u.Decimals == nil || *u.Decimals != 9 || u.Base != "per cent" {
		t.Errorf("unit UNR = %+v, want label %%, decimals 9, base per cent (from the file)", u)
	}
	want := Roles{Time: []string{"year"}, Geo: []string{"area"}, Metric: []string{"concept"}}
	if !reflect.DeepEqual(d.Role, want) {
		t.Errorf("Role = %+v, want %+v", d.Role, want)
	}
	if d.Updated != "2012-11-27" || len(d.Note) != 1 || len(d.Extension) == 0 {
		t.Errorf("Updated, len(Note), len(Extension) = %q, %d, %d, want 2012-11-27, 1, >0", d.Updated, len(d.Note), len(d.Extension))
	}
}

func TestCanada(t *testing.T) {
	d := decodeOne(t, "canada.json")
	if len(d.Values) != 120 {
		t.Fatalf("len(Values) = %d, want 120 (PROVENANCE.md)", len(d.Values))
	}
	// status is the one-element array ["a"]: it applies to every cell.
	for i, s := range d.Status {
		if s != "a" {
			t.Fatalf("Status[%d] = %q, want \"a\"", i, s)
		}
	}
	// Index absent (country), object (year, concept), list (age, sex).
	for _, tt := range []struct {
		dim    int
		codes  []string
		labels []string
	}{
		{0, []string{"CA"}, []string{"Canada"}},
		{1, []string{"2012"}, []string{"2012"}},
		{3, []string{"POP", "PERCENT"}, []string{"population", "weight of age group in the population"}},
		{4, []string{"T", "M", "F"}, []string{"total", "male", "female"}},
	} {
		dim := d.Dims[tt.dim]
		if !reflect.DeepEqual(dim.Codes, tt.codes) || !reflect.DeepEqual(dim.Labels, tt.labels) {
			t.Errorf("dimension %s = %v %v, want %v %v", dim.ID, dim.Codes, dim.Labels, tt.codes, tt.labels)
		}
	}
	if age := d.Dims[2]; age.Codes[0] != "T" || age.Codes[19] != "older" || age.Labels[19] != "90 and older" {
		t.Errorf("age codes[0], codes[19], labels[19] = %q, %q, %q, want T, older, 90 and older", age.Codes[0], age.Codes[19], age.Labels[19])
	}
	// Expected values read off the value array in the file by hand:
	// flat index = (age*2 + concept)*3 + sex.
	for _, tt := range []struct {
		age, concept, sex string
		index             int
		want              float64
	}{
		{"T", "POP", "T", 0, 34880.5},
		{"T", "PERCENT", "T", 3, 100.0},
		{"4", "POP", "T", 6, 1928.8},
		{"older", "PERCENT", "F", 119, 1.0},
	} {
		got, ok, i := cell(t, d, "CA", "2012", tt.age, tt.concept, tt.sex)
		if i != tt.index || !ok || got != tt.want {
			t.Errorf("value(%s, %s, %s) = %v at %d, want %v at %d", tt.age, tt.concept, tt.sex, got, i, tt.want, tt.index)
		}
	}
	if u := d.Dims[3].Unit["POP"]; u.Label != "thousands of persons" || u.Multiplier != 3 || *u.Decimals != 1 {
		t.Errorf("unit POP = %+v, want thousands of persons, multiplier 3, decimals 1", u)
	}
}

func TestGalicia(t *testing.T) {
	d := decodeOne(t, "galicia.json")
	if len(d.Values) != 3960 {
		t.Errorf("len(Values) = %d, want 3960", len(d.Values))
	}
	if want := []string{"residence", "birth"}; !reflect.DeepEqual(d.Role.Geo, want) {
		t.Errorf("Role.Geo = %v, want %v", d.Role.Geo, want)
	}
	// The first value in the file is 2695880; 4 values are null (counted
	// with Python's json module).
	if d.Values[0] != 2695880 || !d.Present[0] {
		t.Errorf("Values[0] = %v, want 2695880", d.Values[0])
	}
	missing := 0
	for _, p := range d.Present {
		if !p {
			missing++
		}
	}
	if missing != 4 {
		t.Errorf("missing cells = %d, want 4", missing)
	}
}

func TestHierarchy(t *testing.T) {
	d := decodeOne(t, "hierarchy.json")
	// value is the sparse object {"0": null}: all 132 cells missing.
	if len(d.Values) != 132 {
		t.Fatalf("len(Values) = %d, want 132", len(d.Values))
	}
	for i, p := range d.Present {
		if p {
			t.Errorf("Present[%d] = true, want false", i)
		}
	}
	dim := d.Dims[0]
	if dim.Codes[0] != "T" || dim.Codes[1] != "1" || dim.Codes[2] != "1.1" {
		t.Errorf("codes[:3] = %v, want [T 1 1.1] (file order)", dim.Codes[:3])
	}
	// Last child list in the file: "11.2" : [ "11.2.1", "11.2.2" ].
	if got := dim.Child["11.2"]; !reflect.DeepEqual(got, []string{"11.2.1", "11.2.2"}) {
		t.Errorf("Child[11.2] = %v, want [11.2.1 11.2.2]", got)
	}
}

func TestCollection(t *testing.T) {
	ds := decodeFile(t, "oecd-canada-col.json")
	if len(ds) != 2 {
		t.Fatalf("Decode(oecd-canada-col.json) = %d datasets, want 2", len(ds))
	}
	oecd, canada := decodeOne(t, "oecd.json"), decodeOne(t, "canada.json")
	for i, want := range []*Dataset{oecd, canada} {
		got := ds[i]
		if got.Name != strconv.Itoa(i) {
			t.Errorf("datasets[%d].Name = %q, want %q", i, got.Name, strconv.Itoa(i))
		}
		if got.Label != want.Label || !reflect.DeepEqual(got.Values, want.Values) || !reflect.DeepEqual(got.Status, want.Status) {
			t.Errorf("datasets[%d] (%q) differs from the stand-alone sample %q", i, got.Label, want.Label)
		}
	}

	// collection.json holds only links: no dataset, no error.
	if ds := decodeFile(t, "collection.json"); len(ds) != 0 {
		t.Errorf("Decode(collection.json) = %d datasets, want 0", len(ds))
	}
	f, err := os.Open("testdata/collection.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := DecodeDataset(f); err == nil {
		t.Error("DecodeDataset(collection.json) error = nil, want an error (no dataset)")
	}
}

func TestMetadataOnly(t *testing.T) {
	for _, tt := range []struct {
		file, dim, firstCode, lastCode, firstLabel string
	}{
		// First and last codes as they appear in the files.
		{"TAB6471_metadata.json", "Region", "00", "2584", "Riket"},
		{"TAB6471_metadata.json", "Tid", "2025M01", "2026M04", "2025M01"},
		{"TAB6471_metadata.json", "Alder", "0", "100+5", "0 år"},
		{"MetadataById_tab001_js2.json", "REGION", "AT", "UK", "Austria"},
		{"MetadataById_tab001_js2.json", "AGE", "TOTAL", "UNK", "Total"},
	} {
		t.Run(tt.file+"/"+tt.dim, func(t *testing.T) {
			d := decodeOne(t, tt.file)
			dim := d.Dim(tt.dim)
			if dim == nil {
				t.Fatalf("Dim(%q) = nil", tt.dim)
			}
			if dim.Codes[0] != tt.firstCode || dim.Codes[len(dim.Codes)-1] != tt.lastCode || dim.Labels[0] != tt.firstLabel {
				t.Errorf("codes = %q..%q, first label %q, want %q..%q, %q", dim.Codes[0], dim.Codes[len(dim.Codes)-1], dim.Labels[0], tt.firstCode, tt.lastCode, tt.firstLabel)
			}
			if d.Values != nil || d.Present != nil || d.Status != nil {
				t.Errorf("Values, Present, Status = %d, %d, %d entries, want nil (metadata only)", len(d.Values), len(d.Present), len(d.Status))
			}
			if len(dim.Extension) == 0 {
				t.Errorf("dimension %s extension is empty, want the codelists extension", tt.dim)
			}
			_, err := d.Record(nil)
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Msg, "metadata only") {
				t.Errorf("Record() error = %v, want *Error saying metadata only", err)
			}
		})
	}
	d := decodeOne(t, "TAB6471_metadata.json")
	if u := d.Dim("ContentsCode").Unit["000007SF"]; u.Base != "antal" || u.Decimals == nil || *u.Decimals != 0 {
		t.Errorf("unit 000007SF = %+v, want base antal, decimals 0 (from the file)", u)
	}
	if len(d.Note) == 0 || !strings.Contains(string(d.Dim("ContentsCode").Extension), `"measuringType"`) {
		t.Errorf("TAB6471 note/extension lost: %d notes, extension %s", len(d.Note), d.Dim("ContentsCode").Extension)
	}
	m := decodeOne(t, "MetadataById_tab001_js2.json")
	if want := (Roles{Time: []string{"TIME"}, Geo: []string{"REGION"}, Metric: []string{"ContentsCode"}}); !reflect.DeepEqual(m.Role, want) {
		t.Errorf("TAB001 Role = %+v, want %+v", m.Role, want)
	}
	if !strings.Contains(string(m.Extension), `"tableid": "TAB001"`) {
		t.Errorf("TAB001 extension = %.80s..., want the verbatim px extension", m.Extension)
	}
}

// TestOrder checks row-major order with order.json: its values are
// strings, so Decode must reject the file with an error naming the first
// cell, and a copy whose strings "AaBbCc" are replaced by the number abc
// must place each at Index([a-1, b-1, c-1]).
func TestOrder(t *testing.T) {
	raw, err := os.ReadFile("testdata/order.json")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Decode(strings.NewReader(string(raw)))
	var e *Error
	if !errors.As(err, &e) || e.Index != 0 || e.Dataset != "Demo of value ordering: what does not change, first" || !strings.Contains(e.Msg, "string") {
		t.Fatalf("Decode(order.json) error = %v, want *Error at index 0 of the dataset saying string", err)
	}

	numeric := regexp.MustCompile(`"A(\d)B(\d)C(\d)"`).ReplaceAll(raw, []byte("$1$2$3"))
	d, err := DecodeDataset(strings.NewReader(string(numeric)))
	if err != nil {
		t.Fatalf("DecodeDataset(numeric order.json) error: %v", err)
	}
	for a := 0; a < 3; a++ {
		for b := 0; b < 2; b++ {
			for c := 0; c < 4; c++ {
				i := d.Index([]int{a, b, c})
				want := float64((a+1)*100 + (b+1)*10 + c + 1)
				if i == 11 {
					want = 114 // the published sample's typo "A1B1C4" (PROVENANCE.md)
				}
				if i != a*8+b*4+c || d.Values[i] != want {
					t.Errorf("Index(%d,%d,%d) = %d holding %v, want %d holding %v", a, b, c, i, d.Values[i], a*8+b*4+c, want)
				}
			}
		}
	}
}

func TestBundle1x(t *testing.T) {
	ds := decodeFile(t, "synthetic-bundle-1x.json")
	if len(ds) != 2 {
		t.Fatalf("Decode(bundle) = %d datasets, want 2", len(ds))
	}
	pop, share := ds[0], ds[1]
	if pop.Name != "synthetic_population" || share.Name != "synthetic_share" {
		t.Errorf("names = %q, %q, want synthetic_population, synthetic_share (file order)", pop.Name, share.Name)
	}
	if got := dimIDs(pop); !reflect.DeepEqual(got, []string{"region", "year"}) {
		t.Errorf("ids = %v, want [region year]", got)
	}
	if want := (Roles{Time: []string{"year"}, Geo: []string{"region"}}); !reflect.DeepEqual(pop.Role, want) {
		t.Errorf("Role = %+v, want %+v", pop.Role, want)
	}
	// value [10, 20, null, 40, 50, 60]; status {"3": "..", "5": "p"}:
	// cell 2 is null, cell 3 has a missing status, cell 5 is annotated.
	wantVals := []float64{10, 20, 0, 0, 50, 60}
	wantPresent := []bool{true, true, false, false, true, true}
	wantStatus := []string{"", "", "", "..", "", "p"}
	if !reflect.DeepEqual(pop.Values, wantVals) || !reflect.DeepEqual(pop.Present, wantPresent) || !reflect.DeepEqual(pop.Status, wantStatus) {
		t.Errorf("Values, Present, Status = %v %v %q, want %v %v %q", pop.Values, pop.Present, pop.Status, wantVals, wantPresent, wantStatus)
	}
	if v, ok, _ := cell(t, pop, "46", "2024"); v != 60 || !ok {
		t.Errorf("value(46, 2024) = %v, want 60", v)
	}
	if u := share.Dims[0].Unit["SHARE"]; u.Symbol != "%" || u.Position != "end" || *u.Decimals != 1 {
		t.Errorf("unit = %+v, want symbol %%, position end, decimals 1", u)
	}
	if share.Dims[0].Codes[0] != "SHARE" || share.Values[0] != 0.5 {
		t.Errorf("share = %v %v, want [SHARE] [0.5]", share.Dims[0].Codes, share.Values)
	}
}

// TestForms covers the value/status/index forms on small synthetic
// documents; expected values are read off the inputs by hand.
func TestForms(t *testing.T) {
	const dims = `"id":["a","b"],"size":[2,2],"dimension":{"a":{"category":{"index":["x","y"]}},"b":{"category":{"index":{"p":1,"q":0}}}}`
	tests := []struct {
		name    string
		in      string
		values  []float64
		present []bool
		status  []string
	}{
		{"dense", `{"class":"dataset",` + dims + `,"value":[1,2,3,4]}`,
			[]float64{1, 2, 3, 4}, []bool{true, true, true, true}, nil},
		{"dense with null and exponent", `{"class":"dataset",` + dims + `,"value":[1e2, null, -0.5, 4E-1]}`,
			[]float64{100, 0, -0.5, 0.4}, []bool{true, false, true, true}, nil},
		{"sparse", `{"class":"dataset",` + dims + `,"value":{"3":7,"0":null}}`,
			[]float64{0, 0, 0, 7}, []bool{false, false, false, true}, nil},
		{"value before id", `{"value":[1,2,3,4],"class":"dataset",` + dims + `}`,
			[]float64{1, 2, 3, 4}, []bool{true, true, true, true}, nil},
		{"status string", `{"class":"dataset",` + dims + `,"value":[1,2,3,4],"status":"e"}`,
			[]float64{1, 2, 3, 4}, []bool{true, true, true, true}, []string{"e", "e", "e", "e"}},
		{"status missing string", `{"class":"dataset",` + dims + `,"value":[1,2,3,4],"status":".."}`,
			[]float64{0, 0, 0, 0}, []bool{false, false, false, false}, []string{"..", "..", "..", ".."}},
		{"status array with null", `{"class":"dataset",` + dims + `,"value":[1,2,3,4],"status":[null,":","p","-"]}`,
			[]float64{1, 0, 3, 0}, []bool{true, false, true, false}, []string{"", ":", "p", "-"}},
		{"status object escaped", `{"class":"dataset",` + dims + `,"value":[1,2,3,4],"status":{"2":"\u002e"}}`,
			[]float64{1, 2, 0, 4}, []bool{true, true, false, true}, []string{"", "", ".", ""}},
		{"no class", `{` + dims + `,"value":[1,2,3,4]}`,
			[]float64{1, 2, 3, 4}, []bool{true, true, true, true}, nil},
		{"zero size", `{"class":"dataset","id":["a"],"size":[0],"dimension":{"a":{"category":{"index":[]}}},"value":[]}`,
			[]float64{}, []bool{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := DecodeDataset(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("DecodeDataset(%s) error: %v", tt.in, err)
			}
			if !reflect.DeepEqual(d.Values, tt.values) || !reflect.DeepEqual(d.Present, tt.present) || !reflect.DeepEqual(d.Status, tt.status) {
				t.Errorf("DecodeDataset(%s) = %v %v %q, want %v %v %q", tt.in, d.Values, d.Present, d.Status, tt.values, tt.present, tt.status)
			}
			if len(d.Dims) == 2 && !reflect.DeepEqual(d.Dims[1].Codes, []string{"q", "p"}) {
				t.Errorf("b codes = %v, want [q p] (index object positions)", d.Dims[1].Codes)
			}
		})
	}
}

func TestLabelOrder(t *testing.T) {
	// No index: the codes follow the label keys in file order, which is
	// not sorted order.
	in := `{"class":"dataset","id":["a"],"size":[3],"dimension":{"a":{"category":{"label":{"z":"Zed","b":"Bee","m":"Em"}}}},"value":[1,2,3]}`
	d, err := DecodeDataset(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"z", "b", "m"}; !reflect.DeepEqual(d.Dims[0].Codes, want) {
		t.Errorf("codes = %v, want %v", d.Dims[0].Codes, want)
	}
	if want := []string{"Zed", "Bee", "Em"}; !reflect.DeepEqual(d.Dims[0].Labels, want) {
		t.Errorf("labels = %v, want %v", d.Dims[0].Labels, want)
	}
}

func TestErrors(t *testing.T) {
	const dimA = `"a":{"category":{"index":["x","y"]}}`
	tests := []struct {
		name      string
		in        string
		dim       string
		index     int
		msgSubstr string
	}{
		{"id/size length", `{"class":"dataset","label":"L","id":["a"],"size":[2,1],"dimension":{` + dimA + `},"value":[1,2]}`, "", -1, "id has 1 entries but size has 2"},
		{"size vs categories", `{"class":"dataset","label":"L","id":["a"],"size":[3],"dimension":{` + dimA + `},"value":[1,2,3]}`, "a", -1, "size says 3"},
		{"value length", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{` + dimA + `},"value":[1,2,3]}`, "", -1, "value has 3 entries"},
		{"missing dimension", `{"class":"dataset","label":"L","id":["a","b"],"size":[2,1],"dimension":{` + dimA + `},"value":[1,2]}`, "b", -1, "no dimension object"},
		{"duplicate index position", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{"a":{"category":{"index":{"x":0,"y":0}}}},"value":[1,2]}`, "a", 0, "share index position 0"},
		{"index out of range", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{"a":{"category":{"index":{"x":0,"y":5}}}},"value":[1,2]}`, "a", 5, "outside"},
		{"duplicate code", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{"a":{"category":{"index":["x","x"]}}},"value":[1,2]}`, "a", 1, "appears at index 0 and 1"},
		{"label for unknown code", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{"a":{"category":{"index":["x","y"],"label":{"w":"W"}}}},"value":[1,2]}`, "a", -1, "unknown category \"w\""},
		{"sparse key outside", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{` + dimA + `},"value":{"2":1}}`, "", 2, "outside"},
		{"sparse key not a number", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{` + dimA + `},"value":{"x":1}}`, "", 0, "not a cell index"},
		{"sparse key twice", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{` + dimA + `},"value":{"1":1,"1":2}}`, "", 1, "given twice"},
		{"bool value", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{` + dimA + `},"value":[1,true]}`, "", 1, "boolean"},
		{"nested value", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{` + dimA + `},"value":[[1],2]}`, "", 0, "array"},
		{"huge number", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{` + dimA + `},"value":[1,1e999]}`, "", 1, "float64 range"},
		{"status length", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{` + dimA + `},"value":[1,2],"status":["a","b","c"]}`, "", -1, "status has 3 entries"},
		{"status number", `{"class":"dataset","label":"L","id":["a"],"size":[2],"dimension":{` + dimA + `},"value":[1,2],"status":["a",3]}`, "", 1, "status is a number"},
		{"role unknown dim", `{"class":"dataset","label":"L","id":["a"],"size":[2],"role":{"time":["t"]},"dimension":{` + dimA + `},"value":[1,2]}`, "t", -1, "role"},
		{"no ids", `{"class":"dataset","label":"L","dimension":{` + dimA + `},"value":[1,2]}`, "", -1, "no dimension ids"},
		{"unsupported class", `{"class":"dimension","label":"L"}`, "", -1, "class \"dimension\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tt.in))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode(%s) error = %v, want *Error", tt.in, err)
			}
			wantDS := "L"
			if tt.name == "unsupported class" {
				wantDS = ""
			}
			if e.Dataset != wantDS || e.Dimension != tt.dim || e.Index != tt.index || !strings.Contains(e.Msg, tt.msgSubstr) {
				t.Errorf("Decode(%s) error = %+v, want dataset %q dimension %q index %d msg containing %q", tt.in, e, wantDS, tt.dim, tt.index, tt.msgSubstr)
			}
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, in := range []string{
		``,
		`[]`,
		`{"class":"dataset"`,
		`{"class":"dataset","value":[1,2}`,
		`{"class":"dataset"} {}`,
		`{"class":"dataset","id":["a"],"size":["x"]}`,
	} {
		t.Run(in, func(t *testing.T) {
			_, err := Decode(strings.NewReader(in))
			if err == nil || !strings.HasPrefix(err.Error(), "jsonstat: ") {
				t.Errorf("Decode(%q) error = %v, want an error starting with jsonstat:", in, err)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{Dataset: "d", Dimension: "x", Index: 3, Msg: "bad"}, `jsonstat: dataset "d": dimension "x": index 3: bad`},
		{Error{Dataset: "d", Index: -1, Msg: "bad"}, `jsonstat: dataset "d": bad`},
		{Error{Index: 0, Msg: "bad"}, `jsonstat: index 0: bad`},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestMissingStatus(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{".", true}, {"..", true}, {"...", true}, {":", true}, {"-", true},
		{"e", false}, {"p", false}, {"r", false}, {"", false}, {"....", false},
	} {
		if got := MissingStatus(tt.s); got != tt.want {
			t.Errorf("MissingStatus(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestIndex(t *testing.T) {
	d := &Dataset{Dims: []*Dimension{{Codes: []string{"a", "b", "c"}}, {Codes: []string{"x", "y"}}}}
	for _, tt := range []struct {
		coords []int
		want   int
	}{
		{[]int{0, 0}, 0}, {[]int{0, 1}, 1}, {[]int{1, 0}, 2}, {[]int{2, 1}, 5},
		{[]int{3, 0}, -1}, {[]int{0, -1}, -1}, {[]int{0}, -1},
	} {
		if got := d.Index(tt.coords); got != tt.want {
			t.Errorf("Index(%v) = %d, want %d", tt.coords, got, tt.want)
		}
	}
	if d.Size() != 6 {
		t.Errorf("Size() = %d, want 6", d.Size())
	}
}

func TestCollectionNames(t *testing.T) {
	// Synthetic: item 0 is a link only, item 1 an embedded dataset, item 2
	// a nested collection embedding one dataset.
	const ds = `{"class":"dataset","label":"%s","id":["a"],"size":[1],"dimension":{"a":{"category":{"index":["x"]}}},"value":[%d]}`
	in := `{"class":"collection","link":{"item":[` +
		`{"class":"dataset","href":"https://example.org/x.json"},` +
		strings.Replace(strings.Replace(ds, "%s", "one", 1), "%d", "1", 1) + `,` +
		`{"class":"collection","link":{"item":[` + strings.Replace(strings.Replace(ds, "%s", "two", 1), "%d", "2", 1) + `]}}` +
		`]}}`
	got, err := Decode(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Decode() error: %v", err)
	}
	var names []string
	for _, d := range got {
		names = append(names, d.Name+":"+d.Label)
	}
	if want := []string{"1:one", "2/0:two"}; !reflect.DeepEqual(names, want) {
		t.Errorf("Decode() names = %v, want %v", names, want)
	}
}
