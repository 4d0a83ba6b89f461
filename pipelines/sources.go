package pipelines

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/dbh"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/nav"
	"github.com/grunnlag/grunnlag/sources/tabular"
	"github.com/grunnlag/grunnlag/sources/udir"
)

// The file and report sources (kinds nav, udir and dbh) publish no
// `updated` stamp to check cheaply, so each refresh fetches them; Publish
// then writes a new version only when a cell or the metadata changed.

// otherClients holds the client of a file or report source.
type otherClients struct {
	nav  *nav.Client
	udir *udir.Client
	dbh  *dbh.Client
}

// newOtherClient builds the client for a source of kind nav, udir or dbh.
// Its responses go to rec like the PxWeb source's.
func newOtherClient(sc *config.Source, hc *http.Client, ua string, rec *recorder, model *regions.Model) (*otherClients, error) {
	var regs tabular.Regions
	if model != nil {
		regs = model
	}
	record := rec.record
	switch sc.Kind {
	case "nav":
		return &otherClients{nav: nav.New(nav.Options{HTTP: hc, UserAgent: ua, Recorder: record, Regions: regs})}, nil
	case "udir":
		return &otherClients{udir: udir.New(sc.BaseURL, udir.Options{HTTP: hc, UserAgent: ua, Recorder: record, Regions: regs})}, nil
	case "dbh":
		return &otherClients{dbh: dbh.New(sc.BaseURL, dbh.Options{HTTP: hc, UserAgent: ua, Recorder: record, Regions: regs})}, nil
	}
	return nil, fmt.Errorf("source kind %q has no client", sc.Kind)
}

// fetch pulls one dataset.
func (o *otherClients) fetch(ctx context.Context, d *config.Dataset) (*jsonstat.Dataset, error) {
	switch {
	case o.nav != nil:
		return o.nav.Dataset(ctx, nav.File{URL: d.URL, Mapping: d.Mapping, Region: d.Region,
			RegionLabel: d.RegionLabel, Period: d.Period, CountyLevel: d.CountyLevel})
	case o.udir != nil:
		q := udir.Query{Report: d.Report, RowPath: d.RowPath, ColumnDim: d.ColumnDim, Period: d.Period, Label: d.Title}
		for _, id := range slices.Sorted(maps.Keys(d.Filter)) {
			q.Filter = append(q.Filter, udir.Filter{ID: id, Values: d.Filter[id]})
		}
		res, err := o.udir.Fetch(ctx, q)
		if err != nil {
			return nil, err
		}
		return res.Dataset, nil
	case o.dbh != nil:
		ds, _, err := o.dbh.Fetch(ctx, dbhQuery(d))
		return ds, err
	}
	return nil, fmt.Errorf("no client")
}

// dbhQuery turns the config's DBH section into a query.
func dbhQuery(d *config.Dataset) dbh.Query {
	c := d.DBH
	q := dbh.Query{
		Table:   c.Table,
		GroupBy: c.GroupBy,
		SortBy:  c.SortBy,
		Region:  tabular.Region{Cell: tabular.Cell{Column: c.RegionColumn, LabelColumn: c.RegionLabelColumn}},
		Period:  tabular.Period{Cell: tabular.Cell{Column: c.PeriodColumn}},
		Value:   c.Value,
		Label:   d.Title,
	}
	for _, v := range slices.Sorted(maps.Keys(c.Filter)) {
		q.Filter = append(q.Filter, dbh.Filter{Variable: v, Selection: dbh.Selection{Filter: "item", Values: c.Filter[v]}})
	}
	for _, id := range slices.Sorted(maps.Keys(c.Dims)) {
		dim := c.Dims[id]
		q.Dims = append(q.Dims, tabular.Dim{ID: id, DimLabel: dim.Label, Cell: tabular.Cell{Column: dim.Column, LabelColumn: dim.LabelColumn}})
	}
	return q
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
