package dbh

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/tabular"
	"github.com/grunnlag/grunnlag/sources/wire"
)

// NewFactory returns the factory of kind "dbh" (DBH's table API). Its
// source section has no keys of its own (base_url is the
// hentJSONTabellData endpoint); a dataset section holds the query:
//
//	dbh:
//	  table: 999
//	  group_by: [Fylkesnr, Årstall]
//	  filter: {Årstall: ["2023"]}    # item filters: variable to values
//	  region_column: Fylkesnr
//	  region_label_column: Fylkesnavn
//	  period_column: Årstall
//	  value: Antall studenter
//	  dims: {nivaa: {column: Nivåkode, label_column: Nivånavn, label: Nivå}}
func NewFactory() sources.Factory { return factory{} }

type factory struct{}

// datasetSpec is the dbh keys of a dataset section.
type datasetSpec struct {
	DBH *QuerySpec `yaml:"dbh"`
}

// QuerySpec is a hentJSONTabellData query in a config and how to read its
// rows.
type QuerySpec struct {
	Table   int                 `yaml:"table"`
	GroupBy []string            `yaml:"group_by"`
	SortBy  []string            `yaml:"sort_by"`
	Filter  map[string][]string `yaml:"filter"` // item filters: variable to values
	// RegionColumn, PeriodColumn and Value name the response columns.
	RegionColumn      string `yaml:"region_column"`
	RegionLabelColumn string `yaml:"region_label_column"`
	PeriodColumn      string `yaml:"period_column"`
	Value             string `yaml:"value"`
	// Dims are further dimensions: ID to its code and label columns.
	Dims map[string]DimSpec `yaml:"dims"`
}

// DimSpec is one extra dimension of a QuerySpec.
type DimSpec struct {
	Column      string `yaml:"column"`
	LabelColumn string `yaml:"label_column"`
	Label       string `yaml:"label"`
}

func (factory) Kind() string { return "dbh" }

// UsesRegions is true: region codes are checked against the region model.
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

// SourceQuery is a dbh dataset: one table query.
type SourceQuery struct{ Query Query }

// Table returns "dbh:<tabell_id>".
func (q *SourceQuery) Table() string { return fmt.Sprintf("dbh:%d", q.Query.Table) }

// Describe returns "": the dataset is described by its config section.
func (q *SourceQuery) Describe() string { return "" }

func (factory) Query(d sources.DatasetSpec) (sources.Query, error) {
	var spec datasetSpec
	if err := d.Section.Decode(&spec); err != nil {
		return nil, err
	}
	c := spec.DBH
	if c == nil || c.Table <= 0 || c.Value == "" || c.RegionColumn == "" {
		return nil, errors.New("dbh: a DBH dataset needs table, value and region_column")
	}
	q := Query{
		Table:   c.Table,
		GroupBy: c.GroupBy,
		SortBy:  c.SortBy,
		Region:  tabular.Region{Cell: tabular.Cell{Column: c.RegionColumn, LabelColumn: c.RegionLabelColumn}},
		Period:  tabular.Period{Cell: tabular.Cell{Column: c.PeriodColumn}},
		Value:   c.Value,
		Label:   d.Title,
	}
	for _, v := range slices.Sorted(maps.Keys(c.Filter)) {
		q.Filter = append(q.Filter, Filter{Variable: v, Selection: Selection{Filter: "item", Values: c.Filter[v]}})
	}
	for _, id := range slices.Sorted(maps.Keys(c.Dims)) {
		dim := c.Dims[id]
		q.Dims = append(q.Dims, tabular.Dim{ID: id, DimLabel: dim.Label, Cell: tabular.Cell{Column: dim.Column, LabelColumn: dim.LabelColumn}})
	}
	return &SourceQuery{Query: q}, nil
}

// Source is a Client as a sources.Source.
type Source struct {
	Client *Client
}

func query(q sources.Query) (*SourceQuery, error) {
	dq, ok := q.(*SourceQuery)
	if !ok {
		return nil, fmt.Errorf("dbh: query %T is not a dbh query", q)
	}
	return dq, nil
}

// Fetch posts the query (Client.Post).
func (s *Source) Fetch(ctx context.Context, q sources.Query) (*sources.Snapshot, error) {
	dq, err := query(q)
	if err != nil {
		return nil, err
	}
	ex, err := s.Client.Post(ctx, dq.Query)
	if err != nil {
		return nil, err
	}
	return &sources.Snapshot{Query: q, Exchanges: []wire.Exchange{*ex}}, nil
}

// Parse reads the answer (ParseExchange).
func (s *Source) Parse(snap *sources.Snapshot) (*jsonstat.Dataset, error) {
	dq, err := query(snap.Query)
	if err != nil {
		return nil, err
	}
	if len(snap.Exchanges) != 1 {
		return nil, fmt.Errorf("dbh: table %d: snapshot has %d responses, want 1", dq.Query.Table, len(snap.Exchanges))
	}
	return ParseExchange(dq.Query, &snap.Exchanges[0], s.Client.opts.Regions)
}
