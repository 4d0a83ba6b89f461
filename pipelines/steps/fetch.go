package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/store"
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

// refreshed is the memo of a run's one refresh: its record and the
// catalog it left.
type refreshed struct {
	rec *pipelines.RunRecord
	cat *store.Catalog
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
		// The catalog as the refresh left it (nothing else changes the
		// datasets' current versions during the run, which holds the kb
		// lock), read once for every fetch step instead of once each; nil
		// if it cannot be read, and current reads it again.
		cat, err := ref.Store.Catalog()
		if err != nil {
			cat = nil
		}
		return refreshed{rec: rec, cat: cat}, nil // per-dataset failures are in the record
	})
	var after *store.Catalog
	if r, ok := v.(refreshed); ok {
		after = r.cat
	}
	current := func() string {
		cat := after
		if cat == nil {
			var err error
			if cat, err = ref.Store.Catalog(); err != nil {
				return ""
			}
		}
		if v := cat.Datasets[id].CurrentVersion(); v != nil {
			return v.ContentSHA256
		}
		return ""
	}
	if err != nil {
		return &dag.Output{ID: current(), Outcome: pipelines.OutcomeFailed}, err
	}
	rec := v.(refreshed).rec
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
