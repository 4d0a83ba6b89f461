package harmonise

import (
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
)

var (
	modelOnce sync.Once
	model     *regions.Model
	modelErr  error
)

// loadModel is the region model from the bundled real KLASS answers
// (testdata/klass, 2013-2024).
func loadModel(tb testing.TB) *regions.Model {
	tb.Helper()
	modelOnce.Do(func() {
		c := klass.New("http://klass.offline/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: klasstest.Transport("../../testdata/klass")}})
		model, modelErr = regions.Load(context.Background(), c,
			time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC))
	})
	if modelErr != nil {
		tb.Fatal(modelErr)
	}
	return model
}

// cube is the subset of JSON-stat 2.0 the demo 09429 bundle uses.
type cube struct {
	ID        []string `json:"id"`
	Size      []int    `json:"size"`
	Dimension map[string]struct {
		Category struct {
			Index map[string]int    `json:"index"`
			Label map[string]string `json:"label"`
		} `json:"category"`
	} `json:"dimension"`
	Value []*float64 `json:"value"`
}

func (c *cube) codes(dim string) []string {
	idx := c.Dimension[dim].Category.Index
	out := make([]string, len(idx))
	for code, i := range idx {
		out[i] = code
	}
	return out
}

const demo09429 = "../../testdata/demo/ssb/tables/09429/data.json"
const demoAggKommSummer = "../../testdata/demo/ssb/codelists/agg_KommSummer.json"

// telemarkRecord builds a tidy record (a source dataset version's shape) of the demo 09429
// cube's Telemark municipal cells (08xx, 38xx, 40xx; ContentsCode Personer,
// real SSB values per the cube's own note), every period, nulls included.
func telemarkRecord(tb testing.TB, c *cube) arrow.Record {
	tb.Helper()
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	dims := []string{"Region", "Nivaa", "Kjonn", "Tid"}
	var fields []arrow.Field
	for _, d := range dims {
		fields = append(fields, arrow.Field{Name: d, Type: dict}, arrow.Field{Name: d + "_label", Type: dict})
	}
	fields = append(fields, arrow.Field{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		arrow.Field{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true})
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	all := map[string][]string{}
	for _, d := range c.ID {
		all[d] = c.codes(d)
	}
	pos := map[string]int{}
	for i, d := range c.ID {
		pos[d] = i
	}
	coords := make([]int, len(c.ID))
	contents := c.Dimension["ContentsCode"].Category.Index["Personer"]
	for _, r := range all["Region"] {
		if len(r) != 4 || !(strings.HasPrefix(r, "08") || strings.HasPrefix(r, "38") || strings.HasPrefix(r, "40")) {
			continue
		}
		for _, n := range all["Nivaa"] {
			for _, k := range all["Kjonn"] {
				for _, tid := range all["Tid"] {
					vals := map[string]string{"Region": r, "Nivaa": n, "Kjonn": k, "Tid": tid}
					for d, code := range vals {
						coords[pos[d]] = c.Dimension[d].Category.Index[code]
					}
					coords[pos["ContentsCode"]] = contents
					flat := 0
					for i, s := range c.Size {
						flat = flat*s + coords[i]
					}
					for i, d := range dims {
						b.Field(2 * i).(*array.BinaryDictionaryBuilder).AppendString(vals[d])
						b.Field(2*i + 1).(*array.BinaryDictionaryBuilder).AppendString(c.Dimension[d].Category.Label[vals[d]])
					}
					if v := c.Value[flat]; v != nil {
						b.Field(8).(*array.Float64Builder).Append(*v)
					} else {
						b.Field(8).(*array.Float64Builder).AppendNull()
					}
					b.Field(9).(*array.StringBuilder).AppendNull()
				}
			}
		}
	}
	return b.NewRecord()
}

func loadCube(tb testing.TB) *cube {
	tb.Helper()
	raw, err := os.ReadFile(demo09429)
	if os.IsNotExist(err) {
		tb.Skipf("demo bundle %s not present", demo09429)
	}
	if err != nil {
		tb.Fatal(err)
	}
	var c cube
	if err := json.Unmarshal(raw, &c); err != nil {
		tb.Fatal(err)
	}
	return &c
}

// SSB's harmonised codelist agg_KommSummer (Kommuner 2024, summert
// tidsserie) maps each 2024 municipality to the old codes it sums. The
// harmonised layer of the native Telemark codes of every year 2015-2025
// must give the same value for every (municipality, level, sex, year): the
// peer computation is SSB's own codelist summed over the cube's cells.
func TestLayerAgreesWithAggKommSummer(t *testing.T) {
	m := loadModel(t)
	c := loadCube(t)
	rec := telemarkRecord(t, c)
	defer rec.Release()
	src, err := ReadSource("09429", rec)
	if err != nil {
		t.Fatal(err)
	}
	l, err := harmoniseSource(src, m, m.Latest(), nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if l.Warnings != 0 || len(l.Published) != 0 {
		t.Errorf("warnings = %d, published rows = %d, want 0 and 0 (no split, municipalities only)", l.Warnings, len(l.Published))
	}
	// 17 municipalities × 6 levels × 3 sexes × 11 years.
	if n := len(l.Cells); n != 17*6*3*11 {
		t.Errorf("cells = %d, want %d", n, 17*6*3*11)
	}
	// SSB's aggregation: sum the cube's cells over each valueMap.
	var cl struct {
		Values []struct {
			Code     string   `json:"code"`
			ValueMap []string `json:"valueMap"`
		} `json:"values"`
	}
	raw, err := os.ReadFile(demoAggKommSummer)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &cl); err != nil {
		t.Fatal(err)
	}
	val := func(region, nivaa, kjonn, tid string) (float64, bool) {
		coords := map[string]string{"Region": region, "Nivaa": nivaa, "Kjonn": kjonn, "ContentsCode": "Personer", "Tid": tid}
		flat := 0
		for i, d := range c.ID {
			ix, ok := c.Dimension[d].Category.Index[coords[d]]
			if !ok {
				return 0, false
			}
			flat = flat*c.Size[i] + ix
		}
		if v := c.Value[flat]; v != nil {
			return *v, true
		}
		return 0, false
	}
	ssb := map[string]float64{}
	for _, v := range cl.Values {
		code := strings.TrimPrefix(v.Code, "K-")
		if !strings.HasPrefix(code, "40") {
			continue
		}
		for _, n := range c.codes("Nivaa") {
			for _, k := range c.codes("Kjonn") {
				for _, tid := range c.codes("Tid") {
					sum, any := 0.0, false
					for _, old := range v.ValueMap {
						if x, ok := val(old, n, k, tid); ok {
							sum, any = sum+x, true
						}
					}
					if any {
						ssb[code+"/"+n+"/"+k+"/"+tid] = sum
					}
				}
			}
		}
	}
	checked := 0
	flags := map[string]int{}
	for _, x := range l.Cells {
		key := x.Region + "/" + x.Key[0] + "/" + x.Key[1] + "/" + x.Period
		want, ok := ssb[key]
		if !ok || !x.Valid {
			t.Errorf("cell %s: ours valid=%v, SSB's agg_KommSummer has a value: %v", key, x.Valid, ok)
			continue
		}
		if math.Abs(x.Value-want) > 1e-9 {
			t.Errorf("cell %s = %g, agg_KommSummer gives %g", key, x.Value, want)
		}
		checked++
		flags[x.Period[:4]+" "+string(x.Flag)]++
	}
	if checked != len(ssb) {
		t.Errorf("compared %d cells, agg_KommSummer has %d", checked, len(ssb))
	}
	// Flags: 2024-2025 native; earlier years merged (recodes and Bø+Sauherad).
	if flags["2025 native"] != 17*18 || flags["2019 merged"] != 17*18 || flags["2019 native"] != 0 {
		t.Errorf("flag counts = %v, want 2025 native 306, 2019 merged 306", flags)
	}
}

// TestLayerRecordRoundTrip: a layer written as a record and read back is
// the same layer (cells, published rows, labels, dims, meta, warnings),
// and a missing value stays missing (null), never 0.
func TestLayerRecordRoundTrip(t *testing.T) {
	in := &Layer{Dataset: "d", Dims: []string{"ContentsCode", "region_level"},
		Labels:   map[string]string{"ContentsCode\x1fA": "Antall"},
		Warnings: 2, Meta: Meta{Input: "20250101T000000Z", Target: "2024-01-01", Code: CodeVersion},
		Cells: []Cell{
			{Region: "4003", Label: "Skien", Level: regions.Municipality, Flag: regions.Merged, Period: "2019", Key: []string{"A", "kommune"}, Value: 12.5, Valid: true},
			{Region: "4020", Label: "Midt-Telemark", Level: regions.Municipality, Flag: regions.Apportioned, Period: "2019", Key: []string{"A", "kommune"}, Status: ".."},
		},
		Published: []Cell{{Region: "40", Label: "Telemark", Level: regions.County, Flag: Published, Period: "2019", Key: []string{"A", "fylke"}, Value: 7, Valid: true, Status: "p"}},
	}
	rec, err := in.Record(memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	var names []string
	for _, f := range rec.Schema().Fields() {
		names = append(names, f.Name)
	}
	want := "region region_label region_level region_flag period ContentsCode ContentsCode_label source_region_level source_region_level_label value status"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("columns = %s, want %s", got, want)
	}
	if v := rec.Column(rec.Schema().FieldIndices("value")[0]); v.IsValid(1) {
		t.Error("a missing cell's value is not null")
	}
	out, err := ReadLayer("d", rec)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(in)
	b, _ := json.Marshal(out)
	if string(a) != string(b) {
		t.Errorf("round trip:\n got %s\nwant %s", b, a)
	}
}
