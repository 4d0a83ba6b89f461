package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/dag"
)

// FetchPrefix starts the name of every fetch step: "fetch/<dataset>".
const FetchPrefix = "fetch/"

// Fetch declares one source step "fetch/<id>" per dataset of
// ref.Config, in group "source:<source>". The fetch steps that are due in
// a run are refreshed together by one ref.Refresh call (opts.Only is set to
// them), so the source's cheap check answers for all of them at once. A
// step's output identity is the content hash of the dataset's current
// version in the catalog; when the dataset fails, that stays the previous
// version's and the step fails with the dataset's error.
func Fetch(ref *pipelines.Refresher, opts pipelines.RefreshOptions) []dag.Step {
	var steps []dag.Step
	for _, id := range ref.Config.DatasetIDs() {
		id := id
		steps = append(steps, dag.Step{
			Name:   FetchPrefix + id,
			Code:   pipelines.CodeVersion,
			Source: true,
			Group:  "source:" + ref.Config.Datasets[id].Source,
			Run: func(ctx context.Context, in *dag.Input) (*dag.Output, error) {
				return fetchStep(ctx, ref, opts, id, in)
			},
		})
	}
	return steps
}

func fetchStep(ctx context.Context, ref *pipelines.Refresher, opts pipelines.RefreshOptions, id string, in *dag.Input) (*dag.Output, error) {
	v, err := in.Memo("refresh", func() (any, error) {
		var ids []string
		for _, n := range in.Due {
			if d, ok := strings.CutPrefix(n, FetchPrefix); ok {
				if _, known := ref.Config.Datasets[d]; known {
					ids = append(ids, d)
				}
			}
		}
		o := opts
		o.Only = ids
		rec, err := ref.Refresh(ctx, o)
		if rec == nil {
			return nil, err
		}
		return rec, nil // per-dataset failures are in the record
	})
	current := func() string {
		cat, err := ref.Store.Catalog()
		if err != nil {
			return ""
		}
		if v := cat.Datasets[id].CurrentVersion(); v != nil {
			return v.ContentSHA256
		}
		return ""
	}
	if err != nil {
		return &dag.Output{ID: current(), Outcome: pipelines.OutcomeFailed}, err
	}
	rec := v.(*pipelines.RunRecord)
	var dr *pipelines.DatasetRun
	for _, d := range rec.Datasets {
		if d.ID == id {
			dr = d
		}
	}
	out := &dag.Output{ID: current(), Record: rec}
	if dr == nil {
		out.Outcome = pipelines.OutcomeFailed
		return out, fmt.Errorf("fetch %s: not in refresh run %s", id, rec.ID)
	}
	out.Outcome = dr.Outcome
	switch dr.Outcome {
	case pipelines.OutcomeFailed:
		if dr.Err != nil {
			return out, dr.Err // typed (errors.As), as the source returned it
		}
		return out, errors.New(dr.Error)
	case pipelines.OutcomePublished:
		out.Detail = fmt.Sprintf("versjon %s, %d rader", dr.Version, dr.Rows)
		if dr.Diff != nil {
			out.Detail += fmt.Sprintf(", +%d −%d ~%d celler", dr.Diff.Added, dr.Diff.Removed, dr.Diff.Revised)
		}
	default:
		out.Detail = dr.Reason
	}
	return out, nil
}
