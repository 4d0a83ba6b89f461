package sources_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// constFactory is a made-up kind, "const", whose datasets are one value
// given in the config: the shape of a new source package.
type constFactory struct{}

func (constFactory) Kind() string { return "const" }

func (constFactory) New(env sources.Env, sec sources.Section) (sources.Source, error) {
	var none struct{}
	if err := sec.Decode(&none); err != nil { // the source section has no keys of its own
		return nil, err
	}
	return constSource{}, nil
}

// constQuery is a dataset of kind const.
type constQuery struct {
	table string
	Value float64 `yaml:"value"`
}

func (q *constQuery) Table() string    { return q.table }
func (q *constQuery) Describe() string { return fmt.Sprint(q.Value) }

func (constFactory) Query(d sources.DatasetSpec) (sources.Query, error) {
	q := &constQuery{table: d.Table}
	if err := d.Section.Decode(q); err != nil {
		return nil, err
	}
	if q.Value < 0 {
		return nil, errors.New("value: negative")
	}
	return q, nil
}

type constSource struct{}

func (constSource) Fetch(ctx context.Context, q sources.Query) (*sources.Snapshot, error) {
	return &sources.Snapshot{Query: q}, nil // nothing to download
}

func (constSource) Parse(s *sources.Snapshot) (*jsonstat.Dataset, error) {
	v := s.Query.(*constQuery).Value
	return &jsonstat.Dataset{Label: s.Query.Table(), Values: []float64{v}}, nil
}

// section is a sources.Section of a few "key: number" lines, for the
// example (the config package decodes YAML).
type section string

func (s section) Decode(v any) error {
	for _, line := range strings.Split(strings.TrimSpace(string(s)), "\n") {
		if line == "" {
			continue
		}
		q, ok := v.(*constQuery)
		if !ok || !strings.HasPrefix(line, "value: ") {
			return fmt.Errorf("%s: not a key", strings.SplitN(line, ":", 2)[0])
		}
		if _, err := fmt.Sscan(strings.TrimPrefix(line, "value: "), &q.Value); err != nil {
			return err
		}
	}
	return nil
}

// Example shows a source kind end to end: registered (in a program, one
// line in sources/all), looked up by the config's kind, built, and asked
// for a dataset through the contract.
func Example() {
	reg, err := sources.NewRegistry(constFactory{})
	if err != nil {
		panic(err)
	}
	f, ok := reg.Lookup("const")
	if !ok {
		panic("no kind const")
	}
	src, err := f.New(sources.Env{Name: "demo"}, section(""))
	if err != nil {
		panic(err)
	}
	q, err := f.Query(sources.DatasetSpec{ID: "answer", Table: "answer", Section: section("value: 42")})
	if err != nil {
		panic(err)
	}
	snap, err := src.Fetch(context.Background(), q)
	if err != nil {
		panic(err)
	}
	ds, err := src.Parse(snap)
	if err != nil {
		panic(err)
	}
	fmt.Println(reg.Kinds(), ds.Label, ds.Values[0])

	_, err = sources.NewRegistry(constFactory{}, constFactory{})
	fmt.Println(err)
	// Output:
	// [const] answer 42
	// sources: kind "const" registered twice (sources_test.constFactory and sources_test.constFactory)
}
