package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/config"
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
	Freshness     string      `json:"freshness"` // fresh | stale | unknown | missing
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
			"når vi hentet den, antall rader, endringer mot forrige versjon og om den er fersk.")
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
	cat, err := st.Catalog()
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
		return exitKB
	}
	rows := collectStatus(cfg, cat, now)
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"kb": cfg.KB, "checked_at": now.UTC(), "datasets": rows}); err != nil {
			fmt.Fprintf(e.stderr, "grunnlag: %v\n", err)
			return exitFailed
		}
		return exitOK
	}
	printStatus(e.stdout, cfg.KB, rows)
	return exitOK
}

// collectStatus joins the config's datasets with the catalog's entries; a
// catalog entry no longer in the config is listed too.
func collectStatus(cfg *config.Config, cat *store.Catalog, now time.Time) []datasetStatus {
	ids := map[string]bool{}
	for id := range cfg.Datasets {
		ids[id] = true
	}
	for id := range cat.Datasets {
		ids[id] = true
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
				diff := v.Diff
				s.Diff = &diff
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
	words := map[string]string{"fresh": "fersk", "stale": "UTDATERT", "unknown": "ukjent", "missing": "mangler"}
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
