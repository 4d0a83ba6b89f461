package regions_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
)

// extract is testdata/regions/utdanningsnivaa-telemark-extract.csv (real SSB
// 09429 counts for Telemark municipalities, see PROVENANCE.md), keyed by
// municipality code of the vintage each row was published on.
type extract struct {
	rows []extractRow
}

type extractRow struct {
	code, level, year string
	value             float64
}

var vintageSuffix = regexp.MustCompile(` \((\d{4})?-(\d{4})\)$`)

func loadExtract(tb testing.TB) extract {
	tb.Helper()
	// Names → codes per vintage from the Telemark crosswalk (real, see
	// testdata/regions/PROVENANCE.md): "0821 Bø (Telemark)", "3817 Midt-Telemark".
	mf, err := os.Open("../../testdata/regions/telemark-kommune_metadata.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer mf.Close()
	mr := csv.NewReader(mf)
	mr.Comma = ';'
	meta, err := mr.ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	byVintage := map[string]map[string]string{"2019": {}, "2023": {}, "2024": {}}
	for _, r := range meta[1:] {
		for vint, col := range map[string]int{"2019": 2, "2023": 6, "2024": 9} {
			code, name, _ := strings.Cut(r[col], " ")
			byVintage[vint][name] = code
		}
	}
	f, err := os.Open("../../testdata/regions/utdanningsnivaa-telemark-extract.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var ex extract
	for i, r := range recs[1:] {
		name, vint := r[0], "2024"
		if m := vintageSuffix.FindStringSubmatch(name); m != nil {
			name, vint = strings.TrimSuffix(name, m[0]), m[2]
		}
		code, ok := byVintage[vint][name]
		if !ok && vint == "2024" {
			// Telemark names in 2024 that exist in 2019 only in the crosswalk's
			// 2019 spelling do not occur; every row must map.
			tb.Fatalf("extract row %d: no code for %q (vintage %s)", i+2, r[0], vint)
		}
		if !ok || !strings.HasPrefix(code, map[string]string{"2019": "08", "2023": "38", "2024": "40"}[vint]) {
			tb.Fatalf("extract row %d: no Telemark code for %q (vintage %s)", i+2, r[0], vint)
		}
		v, err := strconv.ParseFloat(r[5], 64)
		if err != nil {
			tb.Fatalf("extract row %d: %v", i+2, err)
		}
		ex.rows = append(ex.rows, extractRow{code, r[1], r[4], v})
	}
	return ex
}

// byYear sums the year's counts per code over the levels whose name starts
// with prefix ("" = all levels).
func (e extract) byYear(year, prefix string) map[string]float64 {
	out := map[string]float64{}
	for _, r := range e.rows {
		if r.year == year && strings.HasPrefix(r.level, prefix) {
			out[r.code] += r.value
		}
	}
	return out
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

// telemarkRecord builds a tidy record (CONTRACTS.md shape) of the demo 09429
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
// tidsserie) maps each 2024 municipality to the old codes it sums. Our
// harmonisation of the native Telemark codes of every year 2015-2025 must
// give the same value for every (municipality, level, sex, year).
func TestHarmoniseRecordAgreesWithAggKommSummer(t *testing.T) {
	m := loadModel(t)
	c := loadCube(t)
	rec := telemarkRecord(t, c)
	defer rec.Release()
	out, err := m.HarmoniseRecord(memory.DefaultAllocator, rec, regions.RecordOptions{
		Dataset: "09429", RegionColumn: "Region", TimeColumn: "Tid", SkipEmptyOutOfRange: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()

	wantCols := "region region_label region_level region_flag Nivaa Nivaa_label Kjonn Kjonn_label Tid Tid_label value status"
	var cols []string
	for _, f := range out.Schema().Fields() {
		cols = append(cols, f.Name)
	}
	if strings.Join(cols, " ") != wantCols {
		t.Fatalf("HarmoniseRecord columns = %v, want %s", cols, wantCols)
	}
	// 17 municipalities × 6 levels × 3 sexes × 11 years.
	if n := out.NumRows(); n != 17*6*3*11 {
		t.Errorf("HarmoniseRecord rows = %d, want %d", n, 17*6*3*11)
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
	str := func(name string) func(int) string {
		col := out.Column(out.Schema().FieldIndices(name)[0]).(*array.Dictionary)
		d := col.Dictionary().(*array.String)
		return func(i int) string { return d.Value(col.GetValueIndex(i)) }
	}
	region, nivaa, kjonn, tid, flag := str("region"), str("Nivaa"), str("Kjonn"), str("Tid"), str("region_flag")
	values := out.Column(out.Schema().FieldIndices("value")[0]).(*array.Float64)
	checked := 0
	flags := map[string]int{}
	for i := 0; i < int(out.NumRows()); i++ {
		key := region(i) + "/" + nivaa(i) + "/" + kjonn(i) + "/" + tid(i)
		want, ok := ssb[key]
		if !ok || !values.IsValid(i) {
			t.Errorf("row %s: ours valid=%v, SSB's agg_KommSummer has a value: %v", key, values.IsValid(i), ok)
			continue
		}
		if math.Abs(values.Value(i)-want) > 1e-9 {
			t.Errorf("row %s = %g, agg_KommSummer gives %g", key, values.Value(i), want)
		}
		checked++
		flags[tid(i)[:4]+" "+flag(i)]++
	}
	if checked != len(ssb) {
		t.Errorf("compared %d cells, agg_KommSummer has %d", checked, len(ssb))
	}
	// Flags: 2024-2025 native; earlier years merged (recodes and Bø+Sauherad).
	if flags["2025 native"] != 17*18 || flags["2019 merged"] != 17*18 || flags["2019 native"] != 0 {
		t.Errorf("flag counts = %v, want 2025 native 306, 2019 merged 306", flags)
	}
	if got := out.Schema().Metadata().FindKey("regions.target"); got < 0 || out.Schema().Metadata().Values()[got] != "2024-01-01" {
		t.Errorf("metadata regions.target missing or wrong: %v", out.Schema().Metadata())
	}
}

// Telemark (40) built from harmonised municipalities for every year
// 2015-2025 equals the cube's county-40 cells (the demo's note: "fylkestallet
// for Telemark (40) er summen av dem", i.e. of the real municipal cells).
func TestAggregateRecordTelemark(t *testing.T) {
	m := loadModel(t)
	c := loadCube(t)
	rec := telemarkRecord(t, c)
	defer rec.Release()
	h, err := m.HarmoniseRecord(memory.DefaultAllocator, rec, regions.RecordOptions{Dataset: "09429", RegionColumn: "Region", TimeColumn: "Tid", SkipEmptyOutOfRange: true})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Release()
	out, err := m.AggregateRecord(memory.DefaultAllocator, h, regions.AggregateRecordOptions{Dataset: "09429"})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	str := func(name string) func(int) string {
		col := out.Column(out.Schema().FieldIndices(name)[0]).(*array.Dictionary)
		d := col.Dictionary().(*array.String)
		return func(i int) string { return d.Value(col.GetValueIndex(i)) }
	}
	region, kind, flag, nivaa, kjonn, tid := str("region"), str("total_kind"), str("region_flag"), str("Nivaa"), str("Kjonn"), str("Tid")
	values := out.Column(out.Schema().FieldIndices("value")[0]).(*array.Float64)
	status := out.Column(out.Schema().FieldIndices("status")[0]).(*array.String)
	counts := map[string]int{}
	for i := 0; i < int(out.NumRows()); i++ {
		counts[region(i)[:1]+" "+kind(i)]++
		switch region(i) {
		case "40":
			var want float64
			idx := map[string]string{"Region": "40", "Nivaa": nivaa(i), "Kjonn": kjonn(i), "ContentsCode": "Personer", "Tid": tid(i)}
			flat := 0
			for k, d := range c.ID {
				flat = flat*c.Size[k] + c.Dimension[d].Category.Index[idx[d]]
			}
			want = *c.Value[flat]
			if kind(i) != "computed" || flag(i) != "merged" || !values.IsValid(i) || values.Value(i) != want {
				t.Errorf("40/%s/%s/%s = %g %s %s, want %g computed merged (cube)", nivaa(i), kjonn(i), tid(i), values.Value(i), kind(i), flag(i), want)
			}
		case "0":
			// Only Telemark is in the input: the nation is incomplete.
			if values.IsValid(i) || status.Value(i) != ".." || kind(i) != "computed" {
				t.Errorf("nation row valid=%v status=%q kind=%s, want missing '..' computed", values.IsValid(i), status.Value(i), kind(i))
			}
		}
	}
	// 6 levels × 3 sexes × 11 years = 198 per region.
	if counts["4 computed"] != 198 || counts["0 computed"] != 198 || counts["4 unit"] != 17*198 {
		t.Errorf("row counts = %v, want 198 county, 198 nation, %d municipality rows", counts, 17*198)
	}
}

func TestHarmoniseRecordErrors(t *testing.T) {
	m := loadModel(t)
	c := loadCube(t)
	rec := telemarkRecord(t, c)
	defer rec.Release()
	// Without skipping, the cube's empty out-of-range cells are errors that
	// name dataset, code and period: nothing is dropped silently.
	_, err := m.HarmoniseRecord(memory.DefaultAllocator, rec, regions.RecordOptions{Dataset: "09429", RegionColumn: "Region", TimeColumn: "Tid"})
	// The first group is (level 01, both sexes, 2015); 3806 is Porsgrunn's
	// 2020-2023 code, empty in 2015.
	if err == nil || !strings.Contains(err.Error(), `dataset 09429: period 2015: code "3806"`) {
		t.Errorf("HarmoniseRecord(no skip) error = %v, want an unknown-code error naming dataset, period and code", err)
	}
	_, err = m.HarmoniseRecord(memory.DefaultAllocator, rec, regions.RecordOptions{Dataset: "09429", RegionColumn: "Kommune", TimeColumn: "Tid"})
	if err == nil {
		t.Error("HarmoniseRecord(wrong region column) = nil error")
	}
}

func ExampleModel_Harmonise() {
	c := klass.New("https://data.ssb.no/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: klasstest.Transport(klassDir)}})
	m, err := regions.Load(context.Background(), c, date("2013-01-01"), date("2025-01-02"))
	if err != nil {
		fmt.Println(err)
		return
	}
	// 2019 counts on 2019 boundaries: Bø and Sauherad merged into
	// Midt-Telemark (3817 in 2020, 4020 in 2024); Skien was renumbered.
	codes, values, valid, flags, err := m.Harmonise(
		[]string{"0806", "0821", "0822"}, []float64{100, 30, 20}, nil,
		date("2019-10-01"), regions.Options{Dataset: "demo"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range codes {
		fmt.Println(codes[i], values[i], valid[i], flags[i])
	}
	// Output:
	// 4003 100 true merged
	// 4020 50 true merged
}

func BenchmarkHarmoniseRecord(b *testing.B) {
	m := loadModel(b)
	c := loadCube(b)
	rec := telemarkRecord(b, c)
	defer rec.Release()
	opt := regions.RecordOptions{Dataset: "09429", RegionColumn: "Region", TimeColumn: "Tid", SkipEmptyOutOfRange: true}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := m.HarmoniseRecord(memory.DefaultAllocator, rec, opt)
		if err != nil {
			b.Fatal(err)
		}
		out.Release()
	}
	b.ReportMetric(float64(rec.NumRows())*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
}
