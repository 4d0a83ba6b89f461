package pxweb

import (
	"errors"
	"os"
	"reflect"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// TestDescribeMetadataSCB reads SCB's recorded TAB6471 metadata (codelists
// and a contents unit; values read by hand from the file).
func TestDescribeMetadataSCB(t *testing.T) {
	f, err := os.Open("testdata/scb/TAB6471_metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	meta, err := jsonstat.DecodeDataset(f)
	if err != nil {
		t.Fatal(err)
	}
	d, err := describeMetadata(TableInfo{ID: "TAB6471"}, meta)
	if err != nil {
		t.Fatal(err)
	}
	type shape struct {
		code       string
		n          int
		time, elim bool
		codelists  int
	}
	var got []shape
	for _, v := range d.Variables {
		got = append(got, shape{v.Code, len(v.Values), v.Time, v.Elimination, len(v.Codelists)})
	}
	want := []shape{
		{"Region", 312, false, true, 3},
		{"Alder", 134, false, false, 4},
		{"Kon", 3, false, true, 0},
		{"ContentsCode", 1, false, false, 0},
		{"Tid", 16, true, false, 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("variables = %+v, want %+v", got, want)
	}
	if cl := d.Variables[0].Codelists[1]; cl != (CodelistRef{ID: "vs_CKM02Län", Label: "län", Type: "Valueset"}) {
		t.Errorf("Region's second codelist = %+v, want vs_CKM02Län «län» Valueset", cl)
	}
	// ContentsCode 000007SF: unit {"base":"antal","decimals":0},
	// measuringType "Stock", refperiod "Respektive månad".
	c := d.Variables[3].Values[0]
	if c.Code != "000007SF" || c.Unit != "antal" || c.Decimals == nil || *c.Decimals != 0 || c.MeasuringType != "Stock" || c.RefPeriod != "Respektive månad" {
		t.Errorf("ContentsCode value = %+v", c)
	}
	if d.Source != "SCB" {
		t.Errorf("Source = %q, want SCB", d.Source)
	}

	// The select block: every variable "*", in metadata order, commented.
	n, err := DatasetKeys{Variables: d.Variables}.MarshalYAML()
	if err != nil {
		t.Fatal(err)
	}
	b, err := yaml.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	wantYAML := `select:
    Region: ["*"] # region: 312 verdier; kan utelates; kodelister: vs_CKM01Riket, vs_CKM02Län, vs_CKM03Kommun
    Alder: ["*"] # ålder: 134 verdier; kodelister: vs_CKM01AlderTot, vs_CKM021år, vs_CKM035årN, vs_CKM0410årN
    Kon: ["*"] # kön: 3 verdier; kan utelates
    ContentsCode: ["*"] # tabellinnehåll: 1 verdi
    Tid: ["*"] # månad: 16 verdier; tid ("top(5)" gir de fem siste)
`
	if string(b) != wantYAML {
		t.Errorf("DatasetKeys YAML =\n%s\nwant\n%s", b, wantYAML)
	}
	// It decodes as the factory's dataset section.
	q, err := factory{}.Query(sources.DatasetSpec{ID: "x", Table: "TAB6471", Section: nodeSection{n.(*yaml.Node)}})
	if err != nil {
		t.Fatal(err)
	}
	if sel := q.(*Query).Selection; len(sel) != 5 {
		t.Errorf("Query selection = %+v, want 5 variables", sel)
	}
}

// FuzzDecodeTablesPage: decodeTablesPage never panics, fails only with a
// *FormatError, and what it accepts keeps its promises.
func FuzzDecodeTablesPage(f *testing.F) {
	for _, p := range []string{"testdata/scb/tables.json", "testdata/scb/search.json", "testdata/demo/ListAllTables.json"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"tables":[],"page":{"pageNumber":1,"pageSize":0,"totalElements":0,"totalPages":0}}`))
	f.Add([]byte(`{"tables":[{"id":"A","label":"a","updated":"2024-01-01T00:00:00Z"}],"page":{"pageNumber":2,"pageSize":1,"totalElements":1,"totalPages":1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := decodeTablesPage(b)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
			return
		}
		p := res.Page
		if p.PageNumber < 1 || p.PageSize < 0 || p.TotalElements < len(res.Tables) || (p.PageSize > 0 && len(res.Tables) > p.PageSize) ||
			(len(res.Tables) > 0 && p.PageNumber > p.TotalPages) {
			t.Fatalf("accepted inconsistent paging %+v with %d tables", p, len(res.Tables))
		}
		seen := map[string]bool{}
		for _, tb := range res.Tables {
			if tb.ID == "" || tb.Label == "" || seen[tb.ID] {
				t.Fatalf("accepted table %+v", tb)
			}
			seen[tb.ID] = true
		}
	})
}
