package pipelines

import (
	"context"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

// TestRefreshWritesChecks: a refresh's checks are batched (one catalog
// update after the datasets), and when Refresh returns they are on disk:
// a new Store on the knowledge base (another process, such as `grunnlag
// status`) sees every dataset's last_checked from this run, the failed
// one's last_error and the unchanged one's cleared error.
func TestRefreshWritesChecks(t *testing.T) {
	failing := false
	env := newFailingEnv(t, &failing)
	extra := befolkningExtra
	ctx := context.Background()
	if _, err := env.refresher(t, extra).Refresh(ctx, RefreshOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		failing bool
		force   bool
		wantErr map[string]bool // dataset -> last_error set
	}{
		{"forced, arbeidsledige fails", true, true, map[string]bool{"arbeidsledige": true, "befolkning": false}},
		{"cheap checks, both current", false, false, map[string]bool{"arbeidsledige": false, "befolkning": false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			failing = tc.failing
			run, _ := env.refresher(t, extra).Refresh(ctx, RefreshOptions{Force: tc.force})
			if run == nil {
				t.Fatal("no run record")
			}
			other, err := store.Open(env.kb)
			if err != nil {
				t.Fatal(err)
			}
			cat, err := other.Catalog()
			if err != nil {
				t.Fatal(err)
			}
			for id, wantErr := range tc.wantErr {
				e := cat.Datasets[id]
				if e == nil {
					t.Fatalf("catalog on disk has no %s", id)
				}
				if e.LastChecked.Before(run.Started) || e.LastChecked.After(run.Finished) {
					t.Errorf("%s: last_checked %v on disk, want within the run %v..%v", id, e.LastChecked, run.Started, run.Finished)
				}
				if (e.LastError != "") != wantErr {
					t.Errorf("%s: last_error %q on disk, want set: %v", id, e.LastError, wantErr)
				}
			}
		})
	}
}
