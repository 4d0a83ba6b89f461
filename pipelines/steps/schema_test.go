package steps

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// TestDemoRunColumnTypes runs the whole demo pipeline (fetch, harmonise,
// needs, build, book, exports) into a temp kb and reads the Parquet schema
// of every table it wrote: the source datasets and the needs datasets
// (kb/datasets), the harmonised layer (kb/harmonised) and the indicator
// table (kb/indicators). The README's glob query reads them with
// union_by_name=true, which matches columns by name: that is sound only
// if a column name has one type in every table, which this asserts (the
// Parquet physical and logical type of the leaf). No table may have a
// column named version, the hive partition key of every path, and every
// harmonised table has the layer's columns.
func TestDemoRunColumnTypes(t *testing.T) {
	if testing.Short() {
		t.Skip("a demo run takes a minute")
	}
	cfg, err := config.Load("../../testdata/demo/grunnlag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.KB = t.TempDir()
	st, err := store.Open(cfg.KB)
	if err != nil {
		t.Fatal(err)
	}
	g, err := dag.New(List(Deps{Config: cfg, Store: st})...)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := (&dag.Runner{Graph: g, Store: st}).Run(context.Background(), dag.Options{})
	if err != nil {
		t.Fatalf("demo run: %v", err)
	}
	if failed := rep.Failed(); len(failed) > 0 {
		t.Fatalf("demo run: steps failed: %v", failed)
	}
	if !slices.Contains(rep.Ran(), "harmonise") {
		t.Errorf("steps run = %v, want the harmonise step among them", rep.Ran())
	}
	var files []string
	for _, glob := range []string{"datasets/*/version=*/*.parquet", "harmonised/*/version=*/*.parquet", "indicators/version=*/*.parquet"} {
		fs, err := filepath.Glob(filepath.Join(cfg.KB, glob))
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) == 0 {
			t.Errorf("no file matches %s", glob)
		}
		files = append(files, fs...)
	}
	tables := map[string]map[string]string{} // file → column → type
	for _, f := range files {
		rel, _ := filepath.Rel(cfg.KB, f)
		tables[filepath.ToSlash(rel)] = columnTypes(t, f)
	}
	for _, p := range typeProblems(tables) {
		t.Error(p)
	}
	for _, want := range []string{"datasets/befolkning/", "datasets/kompetansebehov/", "datasets/needs_vs_supply/",
		"harmonised/befolkning/", "harmonised/arbeidsledige/", "indicators/"} {
		if !slices.ContainsFunc(sortedKeys(tables), func(f string) bool { return strings.HasPrefix(f, want) }) {
			t.Errorf("the demo run wrote no table under %s", want)
		}
	}
	types := map[string]map[string]bool{}
	for _, cols := range tables {
		for c, typ := range cols {
			if types[c] == nil {
				types[c] = map[string]bool{}
			}
			types[c][typ] = true
		}
	}
	for _, c := range []string{"region", "period", "value", "status"} {
		if len(types[c]) != 1 {
			t.Errorf("column %s: types %v, want one", c, types[c])
		}
	}
}

// typeProblems lists what makes a union_by_name glob over tables (file →
// column → type) unsound: a column name with several types, a column named
// version (the hive partition key), a harmonised table without one of the
// layer's columns. Sorted.
func typeProblems(tables map[string]map[string]string) []string {
	var out []string
	types := map[string]map[string][]string{} // column → type → files
	for _, rel := range sortedKeys(tables) {
		cols := tables[rel]
		for name, typ := range cols {
			if types[name] == nil {
				types[name] = map[string][]string{}
			}
			types[name][typ] = append(types[name][typ], rel)
		}
		if _, ok := cols["version"]; ok {
			out = append(out, rel+" has a column named version, the hive partition key")
		}
		if strings.HasPrefix(rel, "harmonised/") {
			for _, c := range []string{"region", "region_label", "region_level", "region_flag", "period", "value", "status"} {
				if _, ok := cols[c]; !ok {
					out = append(out, rel+" lacks the harmonised layer's column "+c)
				}
			}
		}
	}
	for _, name := range sortedKeys(types) {
		if len(types[name]) > 1 {
			var s []string
			for _, typ := range sortedKeys(types[name]) {
				s = append(s, fmt.Sprintf("%s in %s", typ, strings.Join(types[name][typ], ", ")))
			}
			out = append(out, fmt.Sprintf("column %s has %d types: %s", name, len(types[name]), strings.Join(s, "; ")))
		}
	}
	return out
}

// TestTypeProblems: the checker of TestDemoRunColumnTypes reports each kind
// of problem (synthetic schemas) and nothing for sound ones.
func TestTypeProblems(t *testing.T) {
	str, dbl := "BYTE_ARRAY/STRING", "DOUBLE/none"
	tests := []struct {
		name   string
		tables map[string]map[string]string
		want   []string
	}{
		{"sound", map[string]map[string]string{
			"datasets/a/version=1/part-0.parquet":   {"Region": str, "value": dbl},
			"harmonised/a/version=1/part-0.parquet": {"region": str, "region_label": str, "region_level": str, "region_flag": str, "period": str, "value": dbl, "status": str},
		}, nil},
		{"two types", map[string]map[string]string{
			"datasets/a/version=1/part-0.parquet": {"value": dbl},
			"datasets/b/version=1/part-0.parquet": {"value": "INT64/none"},
		}, []string{"column value has 2 types: DOUBLE/none in datasets/a/version=1/part-0.parquet; INT64/none in datasets/b/version=1/part-0.parquet"}},
		{"version column", map[string]map[string]string{
			"datasets/a/version=1/part-0.parquet": {"version": str},
		}, []string{"datasets/a/version=1/part-0.parquet has a column named version, the hive partition key"}},
		{"harmonised without status", map[string]map[string]string{
			"harmonised/a/version=1/part-0.parquet": {"region": str, "region_label": str, "region_level": str, "region_flag": str, "period": str, "value": dbl},
		}, []string{"harmonised/a/version=1/part-0.parquet lacks the harmonised layer's column status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := typeProblems(tt.tables); !slices.Equal(got, tt.want) {
				t.Errorf("typeProblems = %q, want %q", got, tt.want)
			}
		})
	}
}

// columnTypes returns the physical/logical type of every top-level column
// of a Parquet file.
func columnTypes(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]string{}
	for _, fld := range pf.Schema().Fields() {
		typ := fld.Type()
		lt := "none"
		if l := typ.LogicalType(); l != nil {
			lt = l.String()
		}
		out[fld.Name()] = fmt.Sprintf("%s/%s", typ.Kind(), lt)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
