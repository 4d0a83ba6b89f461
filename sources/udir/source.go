package udir

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// NewFactory returns the factory of kind "udir" (Udir's statistics
// portal reports). Its source section has no keys of its own (base_url is
// the report API's root); a dataset section names the report:
//
//	report: FOY_LK_FylkUtdprogAar   # the report page code
//	row_path: F                     # the row level (F = county)
//	filter: {TidID: [siste]}        # filter ID to values; "siste" is the latest
//	column_dim: period              # or the ID of the column dimension
//	period: "2023"                  # when the columns are not periods
func NewFactory() sources.Factory { return factory{} }

type factory struct{}

// datasetSpec is the udir keys of a dataset section.
type datasetSpec struct {
	Report    string              `yaml:"report"`
	RowPath   string              `yaml:"row_path"`
	Filter    map[string][]string `yaml:"filter"`
	ColumnDim string              `yaml:"column_dim"`
	Period    string              `yaml:"period"`
}

func (factory) Kind() string { return "udir" }

// UsesRegions is true: county codes are checked against the region model.
func (factory) UsesRegions() bool { return true }

// Bundle serves recorded responses from dir (see package wire).
func (factory) Bundle(_, dir string) (http.RoundTripper, error) { return Bundle(dir) }

func (factory) New(env sources.Env, sec sources.Section) (sources.Source, error) {
	var none struct{}
	if err := sec.Decode(&none); err != nil {
		return nil, err
	}
	return &Source{Client: New(env.BaseURL, Options{HTTP: env.HTTP, UserAgent: env.UserAgent, Logger: env.Logger,
		Recorder: env.Recorder, Regions: env.Regions, Clock: env.Clock, Retry: env.Retry, OnRetry: env.OnRetry})}, nil
}

// SourceQuery is a udir dataset: one report query.
type SourceQuery struct{ Query Query }

// Table returns the report code.
func (q *SourceQuery) Table() string { return q.Query.Report }

// Describe returns "": the dataset is described by its config section.
func (q *SourceQuery) Describe() string { return "" }

func (factory) Query(d sources.DatasetSpec) (sources.Query, error) {
	var spec datasetSpec
	if err := d.Section.Decode(&spec); err != nil {
		return nil, err
	}
	if spec.Report == "" {
		return nil, errors.New("report: a Udir dataset needs its report page code (e.g. FOY_LK_FylkUtdprogAar)")
	}
	q := Query{Report: spec.Report, RowPath: spec.RowPath, ColumnDim: spec.ColumnDim, Period: spec.Period, Label: d.Title}
	for _, id := range slices.Sorted(maps.Keys(spec.Filter)) {
		q.Filter = append(q.Filter, Filter{ID: id, Values: spec.Filter[id]})
	}
	return &SourceQuery{Query: q}, nil
}

// Source is a Client as a sources.Source.
type Source struct {
	Client *Client
}

func query(q sources.Query) (*SourceQuery, error) {
	uq, ok := q.(*SourceQuery)
	if !ok {
		return nil, fmt.Errorf("udir: query %T is not a udir query", q)
	}
	return uq, nil
}

// Fetch resolves the report, checks the filters and fetches the data
// (Client.Download).
func (s *Source) Fetch(ctx context.Context, q sources.Query) (*sources.Snapshot, error) {
	uq, err := query(q)
	if err != nil {
		return nil, err
	}
	res, err := s.Client.Download(ctx, uq.Query)
	if err != nil {
		return nil, err
	}
	return &sources.Snapshot{Query: q, Exchanges: res.Exchanges}, nil
}

// Parse reads the data response (the snapshot's last exchange).
func (s *Source) Parse(snap *sources.Snapshot) (*jsonstat.Dataset, error) {
	uq, err := query(snap.Query)
	if err != nil {
		return nil, err
	}
	if len(snap.Exchanges) == 0 {
		return nil, fmt.Errorf("udir: report %s: snapshot has no responses", uq.Query.Report)
	}
	return Parse(uq.Query, snap.Exchanges[len(snap.Exchanges)-1].Body, s.Client.opts.Regions)
}
