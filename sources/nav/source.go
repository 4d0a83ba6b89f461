package nav

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/wire"
)

// NewFactory returns the factory of kind "nav" (NAV's published files).
// Its source section has no keys of its own; a dataset section names the
// file and the mapping that reads it:
//
//	url: https://www.nav.no/.../hovedtall.csv
//	mapping: nav-hovedtall          # a shipped mapping name or a path
//	region: "40"                    # optional constants for files that do
//	region_label: Telemark          # not name their region or period
//	period: "2021"
//	county_level: true              # Stillinger: by workplace county
func NewFactory() sources.Factory { return factory{} }

type factory struct{}

// datasetSpec is the nav keys of a dataset section.
type datasetSpec struct {
	URL         string `yaml:"url"`
	Mapping     string `yaml:"mapping"`
	Region      string `yaml:"region"`
	RegionLabel string `yaml:"region_label"`
	Period      string `yaml:"period"`
	CountyLevel bool   `yaml:"county_level"`
}

func (factory) Kind() string { return "nav" }

// UsesRegions is true: the files name or code regions, checked against
// the region model.
func (factory) UsesRegions() bool { return true }

// Bundle serves recorded responses from dir (see package wire).
func (factory) Bundle(_, dir string) (http.RoundTripper, error) { return Bundle(dir) }

func (factory) New(env sources.Env, sec sources.Section) (sources.Source, error) {
	var none struct{}
	if err := sec.Decode(&none); err != nil {
		return nil, err
	}
	return &Source{Client: New(Options{HTTP: env.HTTP, UserAgent: env.UserAgent, Logger: env.Logger, Recorder: env.Recorder,
		Regions: env.Regions, Clock: env.Clock, Retry: env.Retry, OnRetry: env.OnRetry})}, nil
}

// Query is a nav dataset: one file.
type Query struct{ File File }

// Table returns the mapping name (the URL is in the snapshots).
func (q *Query) Table() string { return q.File.Mapping }

// Describe returns "": the dataset is described by its config section.
func (q *Query) Describe() string { return "" }

func (factory) Query(d sources.DatasetSpec) (sources.Query, error) {
	var spec datasetSpec
	if err := d.Section.Decode(&spec); err != nil {
		return nil, err
	}
	var errs []error
	if spec.URL == "" {
		errs = append(errs, errors.New("url: a file source needs the file's URL"))
	}
	if spec.Mapping == "" {
		errs = append(errs, errors.New("mapping: a file source needs a mapping (a shipped name or a path)"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &Query{File: File(spec)}, nil
}

// Source is a Client as a sources.Source.
type Source struct {
	Client *Client
}

func query(q sources.Query) (*Query, error) {
	nq, ok := q.(*Query)
	if !ok {
		return nil, fmt.Errorf("nav: query %T is not a nav query", q)
	}
	return nq, nil
}

// Fetch downloads the file.
func (s *Source) Fetch(ctx context.Context, q sources.Query) (*sources.Snapshot, error) {
	nq, err := query(q)
	if err != nil {
		return nil, err
	}
	ex, err := s.Client.Fetch(ctx, nq.File)
	if err != nil {
		return nil, err
	}
	return &sources.Snapshot{Query: q, Exchanges: []wire.Exchange{*ex}}, nil
}

// Parse reads the downloaded file with its mapping.
func (s *Source) Parse(snap *sources.Snapshot) (*jsonstat.Dataset, error) {
	nq, err := query(snap.Query)
	if err != nil {
		return nil, err
	}
	if len(snap.Exchanges) != 1 {
		return nil, fmt.Errorf("nav: %s: snapshot has %d responses, want 1", nq.File.Mapping, len(snap.Exchanges))
	}
	return Parse(nq.File, fileName(nq.File.URL), snap.Exchanges[0].Body, s.Client.opts.Regions)
}
