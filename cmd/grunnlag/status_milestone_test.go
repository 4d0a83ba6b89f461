package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/daemon"
	"github.com/grunnlag/grunnlag/pipelines/pack"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// publishOne publishes a SYNTHETIC one-cell dataset id whose source says
// it was last updated at updated.
func publishOne(t *testing.T, st *store.Store, id, source, updated string) {
	t.Helper()
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema([]arrow.Field{
		{Name: "Region", Type: arrow.BinaryTypes.String},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil))
	defer b.Release()
	b.Field(0).(*array.StringBuilder).Append("50")
	b.Field(1).(*array.Float64Builder).Append(1)
	rec := b.NewRecord()
	defer rec.Release()
	if _, err := st.Publish(context.Background(), id, rec, store.DatasetMeta{Source: source, Updated: updated, Synthetic: true}); err != nil {
		t.Fatal(err)
	}
}

// TestStatusNextMilestone: `grunnlag status --now` on the demo config
// names the next milestone of the planning year after that instant and
// marks its stale input. On Monday 7 December 2026 it is søkertall, 3
// March 2027 at 07:00 CET. Its inputs are the demo's five udir datasets;
// by hand: udir_vgo_soker's source date 2025-03-02 is 645 days before
// 2026-12-07, more than its expect of 8760h (365 days): stale;
// udir_elever_program's 2026-06-01 is 189 days before: fresh; the other
// three have no version: missing.
func TestStatusNextMilestone(t *testing.T) {
	cfgPath, _ := copyDemo(t)
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cfg.KB)
	if err != nil {
		t.Fatal(err)
	}
	publishOne(t, st, "udir_vgo_soker", "udir", "2025-03-02T00:00:00Z")
	publishOne(t, st, "udir_elever_program", "udir", "2026-06-01T00:00:00Z")
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pack.Publish(st.Root(), cat, pack.Meta{Milestone: "tilbudsvedtak", RunID: "run-x", Time: time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runCLI(t, "status", "--config", cfgPath, "--json", "--now", "2026-12-07T08:00:00Z")
	if code != exitOK {
		t.Fatalf("status --json exit %d: %s", code, stderr)
	}
	var out struct {
		Next  daemon.Milestone `json:"next_milestone"`
		Packs []pack.Manifest  `json:"planning_packs"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("status --json: %v\n%s", err, stdout)
	}
	if out.Next.Job != "soknadstall" || out.Next.Title != "Søkertall" {
		t.Errorf("next_milestone = %+v, want soknadstall", out.Next)
	}
	// 07:00 CET is 06:00 UTC.
	if want := time.Date(2027, 3, 3, 6, 0, 0, 0, time.UTC); !out.Next.Next.Equal(want) {
		t.Errorf("next_milestone.next = %v, want %v", out.Next.Next, want)
	}
	states := map[string]string{}
	for _, f := range out.Next.Inputs {
		states[f.Dataset] = f.State
	}
	// The demo config's udir datasets: two published above, the others not.
	want := map[string]string{"udir_vgo_soker": daemon.Stale, "udir_elever_program": daemon.Fresh, "udir_laerekontrakter": daemon.Missing,
		"udir_laerekontrakter_program": daemon.Missing, "vgs_gjennomforing": daemon.Missing,
		"udir_vg1_plasser": daemon.Missing, "udir_laereplass_sokere": daemon.Missing, "udir_vgo_soker_fjor": daemon.Missing}
	for id, w := range want {
		if states[id] != w {
			t.Errorf("input %s = %q, want %q (inputs %v)", id, states[id], w, states)
		}
	}
	if len(states) != len(want) || out.Next.Ready {
		t.Errorf("inputs = %v, ready %v; want the eight udir datasets, not ready", states, out.Next.Ready)
	}
	if len(out.Packs) != 1 || out.Packs[0].Name != "2026-12-01-tilbudsvedtak" {
		t.Errorf("planning_packs = %+v, want 2026-12-01-tilbudsvedtak", out.Packs)
	}

	code, stdout, stderr = runCLI(t, "status", "--config", cfgPath, "--now", "2026-12-07T08:00:00Z")
	if code != exitOK {
		t.Fatalf("status exit %d: %s", code, stderr)
	}
	for _, w := range []string{
		"Neste milepæl i årshjulet: Søkertall (jobb soknadstall) 2027-03-03 07:00 CET",
		"Oppdaterer: source:udir",
		"7 av 8 inndata er utdatert eller mangler: udir_laerekontrakter, udir_laerekontrakter_program, udir_laereplass_sokere, udir_vg1_plasser, udir_vgo_soker, udir_vgo_soker_fjor, vgs_gjennomforing",
		"Tilbudsvedtak    2027-11-01 07:00 CET",
		"2026-12-01-tilbudsvedtak  kjøring run-x",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("status output lacks %q:\n%s", w, stdout)
		}
	}
	if !strings.Contains(stdout, "udir_vgo_soker                UTDATERT") {
		t.Errorf("status does not mark udir_vgo_soker stale among the inputs:\n%s", stdout)
	}
}
