package pipelines

import (
	"context"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// What the steps of one run share, made once per run (dag.Input.Memo)
// instead of once per step.

// regionsOfRun is the memo of RunRegions.
type regionsOfRun struct {
	model  *regions.Model
	groups []regions.Group
}

// RunRegions returns the region model and the groupings of rc as
// LoadRegions does, loaded once per run: the steps of a run that ask for
// them get the same model (a Model does not change once loaded, so steps
// running side by side share it safely), and the split weights kept in
// RunWeights, which are per model, are then made once. Outside a run
// (din nil, or an Input no Runner made) it loads them anew (see
// dag.Input.Memo).
func RunRegions(ctx context.Context, din *dag.Input, rc *config.Regions) (*regions.Model, []regions.Group, error) {
	v, err := din.Memo("pipelines.regions", func() (any, error) {
		m, gs, err := LoadRegions(ctx, rc)
		if err != nil {
			return nil, err
		}
		return &regionsOfRun{m, gs}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	r := v.(*regionsOfRun)
	return r.model, r.groups, nil
}

// RunWeights returns the split weights the harmonisers of a run share
// (harmonise.Harmoniser.Shared); nil outside a run.
func RunWeights(din *dag.Input) *harmonise.WeightsCache {
	if din == nil {
		return nil
	}
	v, _ := din.Memo("pipelines.weights", func() (any, error) { return &harmonise.WeightsCache{}, nil })
	return v.(*harmonise.WeightsCache)
}
