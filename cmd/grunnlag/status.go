package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/daemon"
	"github.com/grunnlag/grunnlag/pipelines/pack"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

func statusCommand() *command {
	return &command{
		name:  "status",
		short: "vis datasett, versjoner og ferskhet",
		run:   runStatus,
	}
}

// datasetStatus is one line of `grunnlag status`, and one object of --json.
type datasetStatus struct {
	ID            string      `json:"id"`
	Source        string      `json:"source"`
	Table         string      `json:"table"`
	Title         string      `json:"title,omitempty"`
	Version       string      `json:"version,omitempty"`
	Versions      int         `json:"versions"`
	SourceUpdated string      `json:"source_updated,omitempty"`
	FetchedAt     *time.Time  `json:"fetched_at,omitempty"`
	LastChecked   *time.Time  `json:"last_checked,omitempty"`
	Rows          int64       `json:"rows"`
	Diff          *store.Diff `json:"diff,omitempty"`
	Synthetic     bool        `json:"synthetic"`
	Freshness     string      `json:"freshness"`         // fresh | stale | unknown | missing | damaged
	Damaged       string      `json:"damaged,omitempty"` // why the current file is damaged
	Expect        string      `json:"expect,omitempty"`
	LastError     string      `json:"last_error,omitempty"`
}

func runStatus(ctx context.Context, e *env, args []string) int {
	var (
		cf      commonFlags
		asJSON  bool
		nowFlag string
	)
	fs := newFlagSet(e, "status", "status [--config F] [--json]",
		"Viser hvert datasett i kunnskapsbasen: gjeldende versjon, når kilden sist oppdaterte tabellen,\n"+
			"når vi hentet den, antall rader, endringer mot forrige versjon og om den er fersk.\n"+
			"Med årshjul-jobber i schedule-delen: neste milepæl, datoen og om inndataene er ferske,\n"+
			"og planleggingspakkene som er publisert.")
	cf.register(fs)
	fs.BoolVar(&asJSON, "json", false, "skriv JSON for skript")
	fs.StringVar(&nowFlag, "now", "", "regn ferskhet som om klokken var dette (RFC 3339; for tester)")
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(e.stderr, "grunnlag: status tar ingen argumenter (fikk %v)\n", pos)
		return exitUsage
	}
	cfg, code := loadConfig(e, cf.config)
	if cfg == nil {
		return code
	}
	now := time.Now()
	if nowFlag != "" {
		t, err := time.Parse(time.RFC3339, nowFlag)
		if err != nil {
			fmt.Fprintf(e.stderr, "grunnlag: --now: %v\n", err)
			return exitUsage
		}
		now = t
	}
	st, err := store.Open(cfg.KB)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		return exitKB
	}
	lock, err := st.LockStatus()
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		return exitKB
	}
	cat, err := st.Catalog()
	if err != nil {
		var ce *store.CatalogError
		if errors.As(err, &ce) {
			fmt.Fprintf(e.stderr, "grunnlag: katalogen %s kan ikke brukes, og ingenting skrives til kunnskapsbasen før den er rettet eller flyttet bort (da bygges den opp igjen fra versjonsmappene): %v\n", ce.Path, err)
		} else {
			fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		}
		if lock != nil {
			fmt.Fprintf(e.stderr, "grunnlag: lås: %s\n", lock.Message())
		}
		return exitKB
	}
	// Size, footer and (for files up to 64 MiB) checksum of every current file.
	damaged, err := st.CheckCurrent()
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		return exitKB
	}
	rows := collectStatus(cfg, cat, now)
	for _, d := range damaged {
		for i := range rows {
			if rows[i].ID == d.Dataset && !d.Indicators {
				rows[i].Freshness, rows[i].Damaged = "damaged", d.Reason
			}
		}
	}
	milestones := daemon.Milestones(cfg, cat, now)
	packs, packErr := pack.List(cfg.KB)
	if asJSON {
		out := map[string]any{"kb": cfg.KB, "checked_at": now.UTC(), "datasets": rows}
		if len(milestones) > 0 {
			out["next_milestone"] = milestones[0]
			out["milestones"] = milestones
		}
		if packs == nil {
			packs = []pack.Manifest{}
		}
		out["planning_packs"] = packs
		if packErr != nil {
			out["planning_packs_error"] = packErr.Error()
		}
		if lock != nil {
			out["lock"] = lockJSON{Path: lock.Path, Holder: lock.Holder, Held: lock.Held, Stale: lock.Stale,
				Foreign: lock.Foreign, Old: lock.Old, Message: lock.Message()}
		}
		if !cat.RebuiltAt.IsZero() {
			out["catalog_rebuilt_at"] = cat.RebuiltAt
		}
		for _, d := range damaged {
			if d.Indicators {
				out["indicators_damaged"] = d.Reason
			}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if cfg.Regions != nil {
			out["regions_note"] = derivedCountiesNote
		}
		if em := emptyIndicators(cfg.KB, cat); len(em) > 0 {
			out["empty_indicators"] = em
		}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
			return exitFailed
		}
		return exitOK
	}
	printStatus(e.stdout, cfg.KB, rows)
	printMilestones(e.stdout, milestones)
	printPacks(e.stdout, packs, packErr)
	if cfg.Regions != nil {
		fmt.Fprintf(e.stdout, "\nRegionmodell: %s\n", derivedCountiesNote)
	}
	for _, d := range damaged {
		if d.Indicators {
			fmt.Fprintf(e.stdout, "\nIndikatortabellen %s er skadet (%s); neste build eller run bygger den opp igjen.\n", d.Stamp, d.Reason)
		}
	}
	if !cat.RebuiltAt.IsZero() {
		fmt.Fprintf(e.stdout, "\nKatalogen manglet og ble bygd opp igjen fra versjonsmappene %s (endringer mot forrige versjon er ukjent for de gjenfunne versjonene).\n",
			cat.RebuiltAt.Local().Format("2006-01-02 15:04"))
	}
	if lock != nil {
		fmt.Fprintf(e.stdout, "\nLås: %s\n", lock.Message())
	}
	for _, em := range emptyIndicators(cfg.KB, cat) {
		fmt.Fprintf(e.stdout, "advarsel: %s\n", em.Message())
	}
	return exitOK
}

// lockJSON is the lock in `status --json`.
type lockJSON struct {
	Path    string         `json:"path"`
	Holder  store.LockInfo `json:"holder"`
	Held    bool           `json:"held"`
	Stale   bool           `json:"stale"`
	Foreign bool           `json:"foreign"`
	Old     bool           `json:"old"`
	Message string         `json:"message"`
}

// emptyIndicators reads the warnings about indicators without rows that
// build wrote into the current indicator table's Parquet metadata
// (build.EmptyKey); nil when there are none or the file is unreadable
// (status reports, it does not fail on that).
func emptyIndicators(kb string, cat *store.Catalog) []build.Empty {
	if cat.Indicators == nil {
		return nil
	}
	v := cat.Indicators.CurrentVersion()
	if v == nil {
		return nil
	}
	f, err := os.Open(filepath.Join(kb, filepath.FromSlash(v.Path)))
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	pf, err := parquet.OpenFile(f, fi.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil
	}
	js, ok := pf.Lookup(build.EmptyKey)
	if !ok {
		return nil
	}
	var out []build.Empty
	if json.Unmarshal([]byte(js), &out) != nil {
		return nil
	}
	return out
}

// collectStatus joins the config's datasets with the catalog's entries; a
// catalog entry no longer in the config is listed too.
func collectStatus(cfg *config.Config, cat *store.Catalog, now time.Time) []datasetStatus {
	ids := map[string]bool{}
	for id := range cfg.Datasets {
		ids[id] = true
	}
	for id := range cat.Datasets {
		if layer, _ := store.LayerOf(id); layer == "" { // the harmonised layer follows its dataset
			ids[id] = true
		}
	}
	var sorted []string
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	var out []datasetStatus
	for _, id := range sorted {
		s := datasetStatus{ID: id, Freshness: "missing"}
		d := cfg.Datasets[id]
		if d != nil {
			s.Source, s.Table, s.Title = d.Source, d.Table, d.Title
			if d.Expect > 0 {
				s.Expect = d.Expect.String()
			}
		}
		e := cat.Datasets[id]
		if e != nil {
			s.Versions = len(e.Versions)
			s.LastError = e.LastError
			if !e.LastChecked.IsZero() {
				t := e.LastChecked
				s.LastChecked = &t
			}
			if v := e.CurrentVersion(); v != nil {
				s.Version = v.Stamp
				if s.Source == "" {
					s.Source = v.Source
				}
				if s.Table == "" {
					s.Table = v.Table
				}
				if s.Title == "" {
					s.Title = v.Title
				}
				s.SourceUpdated = v.SourceUpdated
				t := v.FetchedAt
				s.FetchedAt = &t
				s.Rows = v.Rows
				if !v.Recovered { // a recovered version's diff is not known
					diff := v.Diff
					s.Diff = &diff
				}
				s.Synthetic = v.Synthetic
				s.Freshness = freshness(v.SourceUpdated, d, now)
			}
		}
		out = append(out, s)
	}
	return out
}

// freshness is "stale" when the source's last update is older than the
// dataset's expected update interval, "fresh" when not, and "unknown" when
// no interval is configured or the date cannot be read.
func freshness(sourceUpdated string, d *config.Dataset, now time.Time) string {
	if d == nil || d.Expect <= 0 {
		return "unknown"
	}
	t, err := time.Parse(time.RFC3339, sourceUpdated)
	if err != nil {
		return "unknown"
	}
	if now.Sub(t) > d.Expect {
		return "stale"
	}
	return "fresh"
}

func printStatus(w io.Writer, kb string, rows []datasetStatus) {
	fmt.Fprintf(w, "Kunnskapsbase: %s\n\n", kb)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATASETT\tTABELL\tVERSJON\tKILDE OPPDATERT\tHENTET\tRADER\tENDRING\tFERSKHET\tMERKNAD")
	words := freshnessWords
	for _, r := range rows {
		fetched, diff, note := "-", "-", ""
		if r.FetchedAt != nil {
			fetched = r.FetchedAt.UTC().Format("2006-01-02 15:04")
		}
		if r.Diff != nil && r.Version != "" {
			diff = fmt.Sprintf("+%d −%d ~%d", r.Diff.Added, r.Diff.Removed, r.Diff.Revised)
		}
		if r.Synthetic {
			note = "SYNTETISKE DEMODATA (helt eller delvis; se tittelen)"
		}
		if r.Damaged != "" {
			if note != "" {
				note += "; "
			}
			note += "gjeldende fil er skadet (" + r.Damaged + "); neste refresh eller run bygger den opp igjen"
		}
		if r.LastError != "" {
			if note != "" {
				note += "; "
			}
			note += "siste feil: " + r.LastError
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n",
			r.ID, dash(r.Table), dash(r.Version), dash(r.SourceUpdated), fetched, r.Rows, diff, words[r.Freshness], note)
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// freshnessWords are the freshness states as status prints them.
var freshnessWords = map[string]string{"fresh": "fersk", "stale": "UTDATERT", "unknown": "ukjent", "missing": "mangler", "damaged": "SKADET"}

// printMilestones prints the next milestone of the planning year with the
// freshness of each of its inputs, then the dates of the others.
func printMilestones(w io.Writer, ms []daemon.Milestone) {
	if len(ms) == 0 {
		return
	}
	m := ms[0]
	fmt.Fprintf(w, "\nNeste milepæl i årshjulet: %s (jobb %s) %s\n", m.Title, m.Job, milestoneDate(m))
	if len(m.Targets) == 0 {
		fmt.Fprintln(w, "  Oppdaterer: alt")
	} else {
		fmt.Fprintf(w, "  Oppdaterer: %s\n", strings.Join(m.Targets, ", "))
	}
	if len(m.Inputs) > 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  INNDATA\tFERSKHET\tKILDE OPPDATERT\tFORVENTET")
		for _, f := range m.Inputs {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", f.Dataset, freshnessWords[f.State], dash(f.SourceUpdated), dash(f.Expect))
		}
		tw.Flush()
	}
	switch {
	case len(m.Stale) > 0:
		fmt.Fprintf(w, "  %d av %d inndata er utdatert eller mangler: %s\n", len(m.Stale), len(m.Inputs), strings.Join(m.Stale, ", "))
	case len(m.Inputs) > 0:
		fmt.Fprintln(w, "  Alle inndata er ferske (eller uten forventet oppdateringsintervall).")
	}
	if len(ms) > 1 {
		fmt.Fprintln(w, "  Resten av årshjulet:")
		for _, o := range ms[1:] {
			fmt.Fprintf(w, "    %-16s %s\n", o.Title, milestoneDate(o))
		}
	}
}

func milestoneDate(m daemon.Milestone) string {
	if m.Next.IsZero() {
		return "(kjører ikke igjen)"
	}
	return m.Next.Format("2006-01-02 15:04 MST")
}

// printPacks lists the planning packs published so far.
func printPacks(w io.Writer, packs []pack.Manifest, err error) {
	if len(packs) == 0 && err == nil {
		return
	}
	fmt.Fprintln(w, "\nPlanleggingspakker (kb/planning):")
	for _, p := range packs {
		note := ""
		if len(p.Missing) > 0 {
			note = "; manglet: " + strings.Join(p.Missing, ", ")
		}
		ind := "-"
		if p.Indicators != nil {
			ind = p.Indicators.Stamp
		}
		fmt.Fprintf(w, "  %s  kjøring %s, indikatortabell %s, %d filer%s\n", p.Name, dash(p.RunID), ind, len(p.Files), note)
	}
	if err != nil {
		fmt.Fprintf(w, "  advarsel: %v\n", err)
	}
}
