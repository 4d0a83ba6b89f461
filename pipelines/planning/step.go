package planning

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// StepName is the pipeline step that publishes tilbudsplanlegging.
const StepName = "planning"

// Step is the planning step: after harmonise, it builds and publishes
// tilbudsplanlegging (Build) on the config's regions and groupings. Its
// code version carries the hash of the shipped crosswalk; a missing or
// damaged output re-runs it.
func Step(cfg *config.Config, st *store.Store, log *slog.Logger) dag.Step {
	sum := sha256.Sum256([]byte(programmesCSV))
	exists := func() bool {
		cat, err := st.Catalog()
		if err != nil {
			return true // the step reports the catalog itself
		}
		v := cat.Datasets[Dataset].CurrentVersion()
		return v != nil && st.VerifyVersion(Dataset, v) == nil
	}
	return dag.Step{Name: StepName, Inputs: []string{"harmonise"}, Code: CodeVersion + "+" + hex.EncodeToString(sum[:])[:16], Exists: exists,
		Run: func(ctx context.Context, din *dag.Input) (*dag.Output, error) {
			model, groups, err := pipelines.RunRegions(ctx, din, cfg.Regions)
			if err != nil {
				return nil, err
			}
			res, err := Build(ctx, st, Options{Model: model, Groups: groups, Logger: log, Weights: pipelines.RunWeights(din)})
			if err != nil {
				return nil, err
			}
			if res.Skipped {
				return &dag.Output{Outcome: "skipped", Detail: "ingen Udir-datasett etter utdanningsprogram i kunnskapsbasen"}, nil
			}
			out := &dag.Output{Outcome: "built", Detail: fmt.Sprintf("%d rader, %d signaler", res.Rows, res.Signals)}
			if res.Version != nil && res.Version.Unchanged {
				out.Outcome = "unchanged"
			}
			return out, nil
		}}
}
