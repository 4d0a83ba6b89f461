// Package demotest sets up the demo's knowledge base for the tests of other
// packages: the bundled demo config (testdata/demo/grunnlag.yaml, whose data
// is partly SYNTHETIC and partly real samples, as testdata/demo says), a
// fresh knowledge base in a temporary folder, refreshed from the offline
// bundles, the region model of its config and, with Built, the indicator
// table of the whole catalog. Only tests import it.
package demotest

import (
	"context"
	"testing"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// KB is a refreshed demo knowledge base.
type KB struct {
	Config *config.Config // the demo config, with KB set to the temporary folder
	Store  *store.Store
	Model  *regions.Model
	Groups []regions.Group
	// Catalog is the whole indicator catalog (set by Built).
	Catalog *indicators.Registry
}

// Refreshed loads the demo config at configPath (relative to the test's
// package, e.g. "../../testdata/demo/grunnlag.yaml"), opens a store with
// opts in a new temporary folder and refreshes every dataset from the
// bundles; it fails the test on any error.
func Refreshed(tb testing.TB, configPath string, opts ...store.Option) *KB {
	tb.Helper()
	ctx := context.Background()
	cfg, err := config.Load(configPath)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.KB = tb.TempDir()
	st, err := store.Open(cfg.KB, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := (&pipelines.Refresher{Config: cfg, Store: st}).Refresh(ctx, pipelines.RefreshOptions{}); err != nil {
		tb.Fatalf("refresh demo: %v", err)
	}
	model, groups, err := pipelines.LoadRegions(ctx, cfg.Regions)
	if err != nil {
		tb.Fatal(err)
	}
	return &KB{Config: cfg, Store: st, Model: model, Groups: groups}
}

// Built is Refreshed followed by a build of the whole indicator catalog
// into the knowledge base, as the pipeline's build step does.
func Built(tb testing.TB, configPath string, opts ...store.Option) *KB {
	tb.Helper()
	kb := Refreshed(tb, configPath, opts...)
	reg, err := indicators.NewCatalog(indicators.Catalog()...)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := (&build.Builder{Store: kb.Store, Model: kb.Model, Groups: kb.Groups, Catalog: reg}).Build(context.Background())
	if err != nil {
		tb.Fatalf("build demo: %v", err)
	}
	res.Release()
	kb.Catalog = reg
	return kb
}
