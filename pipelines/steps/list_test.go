package steps

import (
	"slices"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// TestPublishingFollowsOffers checks that the book and the exports take
// the offers step as an input when an offer catalog is configured (they
// show behov_tilbud and tilbud, so a changed catalog publishes them
// again), and not when it is not; they always take build and planning
// (the planning pages and sheet show tilbudsplanlegging). The graph is
// built, not run.
func TestPublishingFollowsOffers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		offers bool
		want   []string
	}{
		{"with offers", true, []string{"build", "offers", "planning"}},
		{"without offers", false, []string{"build", "planning"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Load("../../testdata/demo/grunnlag.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Offers == nil {
				t.Fatal("the demo config has no offers section")
			}
			if !tc.offers {
				cfg.Offers = nil
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
			for _, step := range []string{"book", "exports"} {
				if got := g.Inputs(step); !slices.Equal(got, tc.want) {
					t.Errorf("Inputs(%q) = %v, want %v", step, got, tc.want)
				}
			}
			// The charts show indicators only: they do not wait for offers.
			if got := g.Inputs("charts"); !slices.Equal(got, []string{"build"}) {
				t.Errorf("Inputs(charts) = %v, want [build]", got)
			}
		})
	}
}
