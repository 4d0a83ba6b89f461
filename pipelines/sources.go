package pipelines

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources"
	"github.com/grunnlag/grunnlag/sources/all"
	"github.com/grunnlag/grunnlag/sources/klass"
)

// registry returns the source kinds the refresher builds sources from:
// Refresher.Sources, or every kind of this build (sources/all).
func (r *Refresher) registry() *sources.Registry {
	if r.Sources != nil {
		return r.Sources
	}
	return all.New()
}

// legacyDataset is a dataset's config in the shape earlier versions kept
// as the query text of file and report datasets (the JSON of the config
// struct that then held every kind's keys). A Query that does not describe
// itself is described so, so that an unchanged dataset hashes as before
// and is not published as a new version.
type legacyDataset struct {
	Source, Table, Title, Unit string
	Select                     map[string]*struct {
		Codelist     string
		Values       []string
		OutputValues string
	}
	Expect      time.Duration
	Synthetic   bool
	URL         string              `yaml:"url"`
	Mapping     string              `yaml:"mapping"`
	Region      string              `yaml:"region"`
	RegionLabel string              `yaml:"region_label"`
	Period      string              `yaml:"period"`
	CountyLevel bool                `yaml:"county_level"`
	Report      string              `yaml:"report"`
	RowPath     string              `yaml:"row_path"`
	Filter      map[string][]string `yaml:"filter"`
	ColumnDim   string              `yaml:"column_dim"`
	DBH         *struct {
		Table             int                 `yaml:"table"`
		GroupBy           []string            `yaml:"group_by"`
		SortBy            []string            `yaml:"sort_by"`
		Filter            map[string][]string `yaml:"filter"`
		RegionColumn      string              `yaml:"region_column"`
		RegionLabelColumn string              `yaml:"region_label_column"`
		PeriodColumn      string              `yaml:"period_column"`
		Value             string              `yaml:"value"`
		Dims              map[string]struct {
			Column      string `yaml:"column"`
			LabelColumn string `yaml:"label_column"`
			Label       string `yaml:"label"`
		} `yaml:"dims"`
	} `yaml:"dbh"`
}

// describe returns the query text kept with a dataset version.
func describe(q sources.Query, d *config.Dataset) (string, error) {
	if s := q.Describe(); s != "" {
		return s, nil
	}
	l := legacyDataset{Source: d.Source, Table: d.Table, Title: d.Title, Unit: d.Unit, Expect: d.Expect, Synthetic: d.Synthetic}
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, k := range slices.Sorted(maps.Keys(d.Params)) {
		if k == "select" { // pxweb's, which describes itself
			continue
		}
		v := d.Params[k]
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, &v)
	}
	if err := n.Decode(&l); err != nil {
		return "", err
	}
	b, err := json.Marshal(l)
	return string(b), err
}

// regionModel loads the region model the config names, once per run, for
// the file and report sources to validate codes and resolve names. Its
// KLASS responses are snapshotted under the source name "klass". Without a
// regions section it returns nil: codes are then not validated, and a file
// that names regions instead of coding them fails with an error saying so.
func (r *Refresher) regionModel(ctx context.Context, offline bool) (*regions.Model, error) {
	rc := r.Config.Regions
	if rc == nil {
		return nil, nil
	}
	if r.model != nil {
		return r.model, nil
	}
	var transport http.RoundTripper
	note := ""
	switch {
	case offline:
		transport = r.Store.ReplayTransport("klass")
	case r.Transport != nil:
		transport = r.Transport
	case rc.Bundle != "":
		note = "served from bundled KLASS responses (" + rc.Bundle + ")"
	}
	rec := &recorder{st: r.Store, source: "klass", licence: "CC BY 4.0", attrib: "Statistisk sentralbyrå (SSB), KLASS", note: note, offline: offline}
	m, err := loadModel(ctx, rc, transport, rec.record)
	if err != nil {
		return nil, err
	}
	r.model = m
	return m, nil
}

// LoadRegions reads the region model and the groupings the config's
// regions section names: from the bundled KLASS copy when it names one,
// else from the KLASS API.
func LoadRegions(ctx context.Context, rc *config.Regions) (*regions.Model, []regions.Group, error) {
	if rc == nil {
		return nil, nil, fmt.Errorf("regions: the config has no regions section (name the KLASS address, regions: {klass: URL}, or a bundle of its answers, regions: {bundle: DIR})")
	}
	m, err := loadModel(ctx, rc, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	if rc.Groups == "" {
		return m, nil, nil
	}
	gs, err := regions.LoadGroups(rc.Groups, m, time.Time{})
	if err != nil {
		return nil, nil, fmt.Errorf("regions: groups: %w", err)
	}
	return m, gs, nil
}

// loadModel builds the model from KLASS; a nil transport means the bundle
// when the config names one, else the network.
func loadModel(ctx context.Context, rc *config.Regions, transport http.RoundTripper, record func(klass.Exchange) error) (*regions.Model, error) {
	if transport == nil {
		if rc.Bundle != "" {
			t, err := klassTransport(rc.KLASS, rc.Bundle)
			if err != nil {
				return nil, err
			}
			transport = t
		} else {
			transport = http.DefaultTransport
		}
	}
	c := klass.New(rc.KLASS, klass.Options{
		HTTP:     &http.Client{Transport: transport, Timeout: 60 * time.Second},
		Recorder: record,
	})
	from, _ := time.Parse("2006-01-02", rc.From) // validated by config
	to, _ := time.Parse("2006-01-02", rc.To)
	m, err := regions.Load(ctx, c, from, to)
	if err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}
	return m, nil
}
