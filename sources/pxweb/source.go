package pxweb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/replay"
)

// NewFactory returns the factory of kind "pxweb" (SSB StatBank and any
// PxWebApi installation). Its source section takes
//
//	lang: "no"            # the language parameter (default "no")
//	api_version: v2       # v2, v1 or "" to detect
//
// and a dataset section the table and its selection:
//
//	table: "09429"
//	select:
//	  Region: {codelist: agg_KommSummer, values: ["*"], output_values: aggregated}
//	  Tid: ["top(10)"]
func NewFactory() sources.Factory { return factory{} }

type factory struct{}

// sourceSpec is the pxweb keys of a source section.
type sourceSpec struct {
	Lang       string `yaml:"lang"`
	APIVersion string `yaml:"api_version"`
}

// datasetSpec is the pxweb keys of a dataset section.
type datasetSpec struct {
	Select map[string]*VarSelect `yaml:"select"`
}

// VarSelect is one variable's selection in a config: a list of value
// expressions, or a mapping with codelist, values and output_values.
type VarSelect struct {
	Codelist     string   `yaml:"codelist"`
	Values       []string `yaml:"values"`
	OutputValues string   `yaml:"output_values"`
}

// UnmarshalYAML accepts a plain list of values, one value, or the full
// mapping (strictly: an unknown key is an error).
func (v *VarSelect) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.SequenceNode {
		return n.Decode(&v.Values)
	}
	if n.Kind == yaml.ScalarNode {
		v.Values = []string{n.Value}
		return nil
	}
	type plain VarSelect
	dec := plain{}
	// Decode the mapping strictly: yaml.v3 only checks known fields through a
	// Decoder, so check keys by hand.
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a selection is a list of values or a mapping", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k := n.Content[i].Value; k {
		case "codelist", "values", "output_values":
		default:
			return fmt.Errorf("linje %d: ukjent nøkkel «%s» i et utvalg (gyldige nøkler: codelist, values, output_values)", n.Content[i].Line, k)
		}
	}
	if err := n.Decode(&dec); err != nil {
		return err
	}
	*v = VarSelect(dec)
	return nil
}

func (factory) Kind() string { return "pxweb" }

// Bundle serves the source from a directory of bundled whole cubes (the
// offline demo), answering PxWebApi requests under baseURL in process
// (replay.CubesTransport).
func (factory) Bundle(baseURL, dir string) (http.RoundTripper, error) {
	return replay.CubesTransport(baseURL, dir)
}

func (factory) New(env sources.Env, sec sources.Section) (sources.Source, error) {
	var spec sourceSpec
	if err := sec.Decode(&spec); err != nil {
		return nil, err
	}
	switch spec.APIVersion {
	case "", "v1", "v2":
	default:
		return nil, fmt.Errorf("api_version: %q is not v1, v2 or empty", spec.APIVersion)
	}
	if spec.Lang == "" {
		spec.Lang = "no"
	}
	c := New(env.BaseURL, Options{HTTP: env.HTTP, Lang: spec.Lang, UserAgent: env.UserAgent, Logger: env.Logger,
		Recorder: env.Recorder, APIVersion: spec.APIVersion, Clock: env.Clock, Retry: env.Retry, Progress: env.Progress, OnRetry: env.OnRetry})
	return &Source{Client: c}, nil
}

// Query is a pxweb dataset: a table and a selection.
type Query struct {
	TableID   string
	Selection Selection
}

// Table returns the table ID.
func (q *Query) Table() string { return q.TableID }

// Describe returns the selection as JSON (variables sorted).
func (q *Query) Describe() string {
	b, _ := json.Marshal(q.Selection) // strings and slices only: cannot fail
	return string(b)
}

func (factory) Query(d sources.DatasetSpec) (sources.Query, error) {
	var spec datasetSpec
	if err := d.Section.Decode(&spec); err != nil {
		return nil, err
	}
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if d.Table == "" {
		bad("table: missing")
	}
	if len(spec.Select) == 0 {
		bad("select: at least one variable (the time variable cannot be left out in PxWebApi v2)")
	}
	q := &Query{TableID: d.Table}
	for _, v := range slices.Sorted(maps.Keys(spec.Select)) {
		s := spec.Select[v]
		if s == nil || len(s.Values) == 0 {
			bad("select.%s: no values", v)
			continue
		}
		switch s.OutputValues {
		case "", "aggregated", "single":
		default:
			bad("select.%s.output_values: %q is not aggregated or single", v, s.OutputValues)
		}
		if s.OutputValues != "" && s.Codelist == "" {
			bad("select.%s.output_values: only with a codelist", v)
		}
		for _, val := range s.Values {
			if strings.TrimSpace(val) == "" {
				bad("select.%s: an empty value", v)
			}
		}
		q.Selection = append(q.Selection, VarSelection{Variable: v, Codelist: s.Codelist, OutputValues: s.OutputValues, ValueCodes: s.Values})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return q, nil
}

// Source is a Client as a sources.Source and sources.Updater.
type Source struct {
	Client *Client
}

func query(q sources.Query) (*Query, error) {
	pq, ok := q.(*Query)
	if !ok {
		return nil, fmt.Errorf("pxweb: query %T is not a pxweb query", q)
	}
	return pq, nil
}

// Fetch fetches every chunk of the selection and merges them (see
// Client.Fetch); the snapshot carries the merged dataset.
func (s *Source) Fetch(ctx context.Context, q sources.Query) (*sources.Snapshot, error) {
	pq, err := query(q)
	if err != nil {
		return nil, err
	}
	res, err := s.Client.Fetch(ctx, pq.TableID, pq.Selection)
	if err != nil {
		return nil, err
	}
	snap := &sources.Snapshot{Query: q, Exchanges: res.Exchanges, Decoded: res.Dataset}
	if res.Plan != nil {
		snap.Chunks = len(res.Plan.Chunks)
	}
	return snap, nil
}

// Parse returns the dataset merged by Fetch.
func (s *Source) Parse(snap *sources.Snapshot) (*jsonstat.Dataset, error) {
	if snap.Decoded == nil {
		return nil, errors.New("pxweb: snapshot has no decoded dataset")
	}
	return snap.Decoded, nil
}

// Updated returns the table's `updated` (GET /tables/{id}).
func (s *Source) Updated(ctx context.Context, q sources.Query) (string, error) {
	pq, err := query(q)
	if err != nil {
		return "", err
	}
	info, err := s.Client.Table(ctx, pq.TableID)
	if err != nil {
		return "", err
	}
	return stamp(info.Updated), nil
}

// UpdatedSince lists the tables updated in the last days days (one
// /tables?pastDays= listing).
func (s *Source) UpdatedSince(ctx context.Context, days int) (map[string]string, error) {
	tables, err := s.Client.Tables(ctx, TablesQuery{PastDays: days})
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(tables))
	for _, t := range tables {
		m[t.ID] = stamp(t.Updated)
	}
	return m, nil
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
