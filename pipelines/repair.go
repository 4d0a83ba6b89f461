package pipelines

import (
	"context"
	"errors"
	"log/slog"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// repairDataset rebuilds a dataset whose current file is damaged (missing,
// truncated, overwritten: see store.VerifyVersion) by re-parsing it offline
// from the raw snapshots, with no cheap check and no network; Publish then
// replaces the damaged version (Version.Repairs). It returns nil when the
// current file is intact, or when the re-parse failed on an online run: the
// dataset is then fetched as usual, without the cheap check.
func (r *Refresher) repairDataset(ctx context.Context, sname, id string, cat *store.Catalog, opts RefreshOptions, log *slog.Logger) *DatasetRun {
	v := cat.Datasets[id].CurrentVersion()
	if v == nil {
		return nil
	}
	var damaged *store.DamagedError
	if err := r.Store.VerifyVersion(id, v); !errors.As(err, &damaged) {
		return nil
	}
	log.Warn("current version damaged; re-parsing it from the raw snapshots", "dataset", id, "err", damaged)
	src, err := r.newSource(ctx, sname, r.Config.Sources[sname], true)
	if err != nil {
		return nil
	}
	offline := opts
	offline.Offline = true
	dr := r.refreshDataset(ctx, src, id, cat, offline, map[string]string{}, false, log)
	if dr.Outcome == OutcomeFailed && !opts.Offline {
		return nil
	}
	if dr.Outcome != OutcomeFailed {
		dr.Reason = "current version damaged (" + damaged.Reason + "): re-parsed from the raw snapshots"
	}
	return dr
}
