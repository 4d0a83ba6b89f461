package steps

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/mapdata"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/dag"
	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/offers"
	"github.com/grunnlag/grunnlag/pipelines/planning"
	"github.com/grunnlag/grunnlag/pipelines/publish"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Deps is what the steps are built from: the configuration, the knowledge
// base, the logger and the clock, made by main and passed down.
type Deps struct {
	Config  *config.Config
	Store   *store.Store
	Logger  *slog.Logger
	Refresh pipelines.RefreshOptions
	// Now is the clock (nil: time.Now); Location is the zone of "today"
	// for the survey's reference date (nil: UTC).
	Now      func() time.Time
	Location *time.Location
}

// List is the pipeline: one fetch step per dataset, then the later steps,
// one line each. A new step is one function in this package and one line
// here.
func List(d Deps) []dag.Step {
	cfg := d.Config
	ref := &pipelines.Refresher{Config: cfg, Store: d.Store, Logger: d.Logger}
	steps := Fetch(ref, d.Refresh)
	buildInputs := []string{"harmonise"}
	if cfg.Regions != nil {
		steps = append(steps, dag.Step{Name: "harmonise", Inputs: []string{FetchPrefix + "*"}, Code: harmonise.CodeVersion, Run: harmonising(d)})
	}
	if cfg.Needs != nil && cfg.Regions != nil {
		steps = append(steps, dag.Step{Name: "survey", Source: true, Run: surveyFiles(cfg.Needs)})
		steps = append(steps, dag.Step{Name: "needs", Inputs: []string{"harmonise", "survey"}, Code: needsStepCode(cfg.Needs), Run: needsBuild(d)})
		buildInputs = append(buildInputs, "needs")
	}
	pubInputs := []string{"build"} // book and exports also show the offers
	if cfg.Offers != nil && cfg.Regions != nil {
		steps = append(steps, offersStep(d))
		pubInputs = append(pubInputs, "offers")
	}
	if cfg.Regions != nil {
		steps = append(steps, dag.Step{Name: "build", Inputs: buildInputs, Code: build.CodeVersion, Run: indicatorBuild(d), Exists: indicatorsIntact(d.Store)})
		steps = append(steps, dag.Step{Name: "charts", Inputs: []string{"build"}, Code: publish.CodeVersion, Run: publishing(d, "charts"), Exists: chartsExist(d), Beside: true})
		steps = append(steps, planning.Step(cfg, d.Store, d.Logger))
		pubInputs = append(pubInputs, planning.StepName) // the planning pages and sheet show its table
		steps = append(steps, dag.Step{Name: "book", Inputs: pubInputs, Code: publish.CodeVersion, Run: publishing(d, "book"), Beside: true})
		steps = append(steps, dag.Step{Name: "exports", Inputs: pubInputs, Code: publish.CodeVersion, Run: publishing(d, "exports"), Beside: true})
	}
	return steps
}

// RefreshRecord returns the refresh step's run record of a report, or nil
// when no fetch step ran.
func RefreshRecord(rep *dag.Report) *pipelines.RunRecord {
	if rep == nil {
		return nil
	}
	for _, r := range rep.Records {
		if rr, ok := r.(*pipelines.RunRecord); ok {
			return rr
		}
	}
	return nil
}

// surveyFiles is the cheap upstream check of the company-needs survey: its
// identity is the hash of the survey file, its mapping and the register
// files, so a new or changed file (say, one dropped into the inbox the
// daemon watches) re-runs the needs step and what follows, and an unchanged
// one does not.
func surveyFiles(n *config.Needs) func(context.Context, *dag.Input) (*dag.Output, error) {
	return func(ctx context.Context, _ *dag.Input) (*dag.Output, error) {
		files := []string{n.Survey, n.Mapping}
		if n.Register != nil {
			files = append(files, n.Register.Enheter...)
			files = append(files, n.Register.Underenheter...)
		}
		h := sha256.New()
		for _, f := range files {
			if f == "" {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("survey: %w", err)
			}
			fmt.Fprintf(h, "%s\x00%d\x00", filepath.Base(f), len(b))
			h.Write(b)
		}
		id := hex.EncodeToString(h.Sum(nil))
		return &dag.Output{ID: id, Outcome: "checked", Detail: "survey files " + id[:12]}, nil
	}
}

// today is the date of d's clock in d's zone, as midnight UTC.
func (d Deps) today() time.Time {
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	t := now().In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// needsBuild builds the company-needs datasets from the configured survey
// (the same work as `grunnlag survey build`, with the config's error
// budget), unless nothing the build reads changed since its last success
// (needsStep). The survey file is read anew every run that builds; its
// rows only leave <kb>/secure/ as disclosure-controlled aggregates.
func needsBuild(d Deps) func(context.Context, *dag.Input) (*dag.Output, error) {
	return needsStep{d: d, code: needsCode()}.run
}

// chartsStamp is the file in which the charts step notes the indicator
// table version <kb>/charts was drawn from.
func chartsStamp(st *store.Store) string {
	return filepath.Join(st.Root(), "state", "charts-indicators")
}

// chartsExist reports whether <kb>/charts holds the chart set of the
// current indicator table, so that a run draws it again when it was removed
// or when the table changed outside the run (`grunnlag build` by hand)
// although the build step's inputs did not.
func chartsExist(d Deps) func() bool {
	return func() bool {
		ents, err := os.ReadDir(filepath.Join(d.Store.Root(), "charts"))
		if err != nil || len(ents) == 0 {
			return false
		}
		cat, err := d.Store.Catalog()
		if err != nil || cat.Indicators == nil {
			return true // nothing to compare with: the graph decides
		}
		drawn, err := os.ReadFile(chartsStamp(d.Store))
		return err == nil && strings.TrimSpace(string(drawn)) == cat.Indicators.Current
	}
}

// publishing draws the national chart set or the book, or writes the
// exports, from the current indicator table (the same work as `grunnlag
// charts`, `grunnlag book` and `grunnlag export`). The charts step
// depends on build, so every run that changes the indicator table draws
// <kb>/charts again and it never shows an older table than the book.
func publishing(d Deps, what string) func(context.Context, *dag.Input) (*dag.Output, error) {
	return func(ctx context.Context, din *dag.Input) (*dag.Output, error) {
		m, err := charts.ParseGeoJSON(bytes.NewReader(mapdata.Kommuner2024), "kommunenummer")
		if err != nil {
			return nil, err
		}
		p := &publish.Publisher{Store: d.Store, Indicators: indicators.Catalog(), Map: m, Logger: d.Logger,
			Code: chartsCode(), MapID: mapID()}
		if d.Config != nil {
			// The index names codes with their validity; without the model
			// it names them without.
			if model, _, err := pipelines.RunRegions(ctx, din, d.Config.Regions); err == nil {
				p.Model = model
			}
		}
		// The charts, the book and the exports read one input per run
		// (the exports only its rows); the book and the exports, the
		// last to read it, let it go when done (each holds what it took).
		p.Inputs = publishInputs(din)
		var res *publish.Result
		switch what {
		case "charts":
			res, err = p.ChartsIncremental(ctx)
		case "book":
			res, err = p.Book(ctx)
			if p.Inputs != nil {
				p.Inputs.Drop()
			}
		default:
			res, err = p.Export(ctx)
			if p.Inputs != nil {
				p.Inputs.Drop()
			}
		}
		if err != nil {
			return nil, err
		}
		if what == "charts" {
			stamp := chartsStamp(d.Store)
			if err := os.MkdirAll(filepath.Dir(stamp), 0o755); err != nil {
				return nil, fmt.Errorf("charts: %w", err)
			}
			err := store.WriteFileAtomic(chartsStamp(d.Store), func(w io.Writer) error {
				_, err := io.WriteString(w, res.Version+"\n")
				return err
			})
			if err != nil {
				return nil, fmt.Errorf("charts: %w", err)
			}
		}
		detail := fmt.Sprintf("%d filer i %s (indikatorer %s)", res.Files, res.Dir, res.Version)
		out := &dag.Output{Outcome: "written"}
		if what == "charts" {
			detail = fmt.Sprintf("%d av %d figursett tegnet på nytt (%d av %d figurer), %s",
				len(res.Drawn), len(res.Drawn)+len(res.Carried), res.ChartsDrawn, res.Charts, detail)
			out.Nodes = &dag.Nodes{Ran: prefixed("chart:", res.Drawn), Reused: prefixed("chart:", res.Carried)}
		}
		if what == "book" {
			detail = fmt.Sprintf("%d av %d figurer tegnet på nytt, %s", res.ChartsDrawn, res.Charts, detail)
		}
		if what == "exports" {
			detail = fmt.Sprintf("%d av %d deler skrevet på nytt (ark og indikatorers CSV-rader), %s",
				len(res.Drawn), len(res.Drawn)+len(res.Carried), detail)
			out.Nodes = &dag.Nodes{Ran: prefixed("export:", res.Drawn), Reused: prefixed("export:", res.Carried)}
		}
		out.Detail = detail
		return out, nil
	}
}

// publishInputs returns the run's shared publishing input (nil outside a
// run: nothing to share).
func publishInputs(din *dag.Input) *publish.InputCache {
	if din == nil {
		return nil
	}
	v, err := din.Memo("publish.inputs", func() (any, error) { return &publish.InputCache{}, nil })
	if err != nil {
		return nil
	}
	return v.(*publish.InputCache)
}

// prefixed returns the node names kind+id of ids.
func prefixed(kind string, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = kind + id
	}
	return out
}

// mapID is the sha256 of the embedded municipality boundaries, part of
// every chart node's key.
var mapID = sync.OnceValue(func() string {
	sum := sha256.Sum256(mapdata.Kommuner2024)
	return hex.EncodeToString(sum[:])
})

// chartsCode identifies the code that draws the charts: the build's code
// identity (the executable) and the publisher's code version; "" when the
// executable is unknown, which draws every chart.
func chartsCode() string {
	id := build.CodeIdentity()
	if id == "" {
		return ""
	}
	return publish.CodeVersion + "+" + id
}

// indicatorsIntact reports whether the current indicator table's file is
// there and whole (size, footer, checksum), so that a run rebuilds a
// damaged one even when nothing upstream changed.
func indicatorsIntact(st *store.Store) func() bool {
	return func() bool {
		cat, err := st.Catalog()
		if err != nil {
			return true // the build step reports the catalog itself
		}
		v := cat.Indicators.CurrentVersion()
		return v == nil || st.VerifyVersion("indicators", v) == nil
	}
}

// harmonisedFrom is what a dataset's current harmonised version was made
// from when the harmonise step last made or checked it, and that
// version's stamp and warnings (<kb>/state/harmonised.json).
type harmonisedFrom struct {
	Input    string `json:"input"`   // the source dataset's version
	Weights  string `json:"weights"` // the befolkning version of the split weights
	Target   string `json:"target"`
	Code     string `json:"code"`
	Layer    string `json:"layer"` // the harmonised version
	Warnings int    `json:"warnings,omitempty"`
}

func harmonisedState(st *store.Store) string {
	return filepath.Join(st.Root(), "state", "harmonised.json")
}

// harmonising writes the harmonised layer: every current configured
// dataset on the regions of the target vintage (the same work as the first part of
// `grunnlag build`). A dataset whose version, split weights, target and
// harmonise code are those its current harmonised version was made from
// (as the step noted last time, and that version is still current) is not
// read again; the others are harmonised anew where stale
// (harmonise.Harmoniser.Load). The run already holds the lock.
func harmonising(d Deps) func(context.Context, *dag.Input) (*dag.Output, error) {
	return func(ctx context.Context, din *dag.Input) (*dag.Output, error) {
		model, _, err := pipelines.RunRegions(ctx, din, d.Config.Regions)
		if err != nil {
			return nil, err
		}
		hz := &harmonise.Harmoniser{Store: d.Store, Model: model, Logger: d.Logger, Shared: pipelines.RunWeights(din)}
		cat, err := d.Store.Catalog()
		if err != nil {
			return nil, err
		}
		prev := map[string]harmonisedFrom{}
		if b, err := os.ReadFile(harmonisedState(d.Store)); err == nil {
			if json.Unmarshal(b, &prev) != nil {
				prev = map[string]harmonisedFrom{} // unreadable: check every dataset
			}
		}
		weights := ""
		if e := cat.Datasets[harmonise.WeightsDataset]; e.CurrentVersion() != nil {
			weights = e.Current
		}
		target := model.Latest().Format("2006-01-02")
		next := map[string]harmonisedFrom{}
		var datasets, published, reused, warnings int
		// The step's inputs are the fetch steps: the configured datasets.
		// The datasets later steps publish (needs, offers) are not source
		// tables; the build harmonises those it reads itself.
		for _, id := range slices.Sorted(slices.Values(d.Config.DatasetIDs())) {
			if layer, _ := store.LayerOf(id); layer != "" || cat.Datasets[id].CurrentVersion() == nil {
				continue
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			datasets++
			layerID := store.LayerID(store.HarmonisedLayer, id)
			before := ""
			if e := cat.Datasets[layerID]; e.CurrentVersion() != nil {
				before = e.Current
			}
			want := harmonisedFrom{Input: cat.Datasets[id].Current, Weights: weights, Target: target, Code: harmonise.CodeVersion, Layer: before}
			if p, ok := prev[id]; ok && before != "" && p.Input == want.Input && p.Weights == want.Weights && p.Target == want.Target && p.Code == want.Code && p.Layer == before {
				next[id] = p
				reused++
				warnings += p.Warnings
				continue
			}
			l, err := hz.Load(ctx, id)
			if err != nil {
				return nil, err
			}
			c2, err := d.Store.Catalog()
			if err != nil {
				return nil, err
			}
			want.Layer, want.Warnings = c2.Datasets[layerID].Current, l.Warnings
			if want.Layer != before {
				published++
			}
			warnings += l.Warnings
			next[id] = want
		}
		if err := store.WriteJSON(harmonisedState(d.Store), next); err != nil {
			return nil, fmt.Errorf("harmonise: %w", err)
		}
		out := &dag.Output{Outcome: "harmonised", Detail: fmt.Sprintf("%d datasett, %d nye versjoner, %d advarsler, %d uendret og ikke lest", datasets, published, warnings, reused)}
		if published == 0 {
			out.Outcome = "unchanged"
		}
		return out, nil
	}
}

// indicatorBuild sums the harmonised datasets and computes the indicator
// catalog (the same work as `grunnlag build`). The run already holds the
// lock.
func indicatorBuild(d Deps) func(context.Context, *dag.Input) (*dag.Output, error) {
	return func(ctx context.Context, din *dag.Input) (*dag.Output, error) {
		reg, err := indicators.NewCatalog(indicators.Catalog()...)
		if err != nil {
			return nil, err
		}
		model, groups, err := pipelines.RunRegions(ctx, din, d.Config.Regions)
		if err != nil {
			return nil, err
		}
		res, err := (&build.Builder{Store: d.Store, Model: model, Groups: groups, Catalog: reg, Logger: d.Logger,
			Weights: pipelines.RunWeights(din)}).Build(ctx)
		if err != nil {
			return nil, err
		}
		// The publishing steps of this run make their input from the
		// table just published and the one before it, as the build has
		// them (see publish.InputCache.Keep).
		if inputs := publishInputs(din); inputs != nil {
			inputs.Keep(res.Version.Stamp, res.Record)
			inputs.Keep(res.PreviousStamp, res.Previous)
		}
		res.Release()
		n := len(res.Recomputed) + len(res.Reused)
		detail := fmt.Sprintf("%d av %d indikatorer beregnet på nytt, %d rader, %d indikatorer, versjon %s",
			len(res.Recomputed), n, res.Rows, len(res.Computed), res.Version.Stamp)
		if res.FullReason != "" && n > 0 {
			detail += " (alle: " + res.FullReason + ")"
		}
		out := &dag.Output{Outcome: "built", Detail: detail,
			Nodes: &dag.Nodes{Ran: prefixed("indicator:", res.Recomputed), Reused: prefixed("indicator:", res.Reused)}}
		if res.Version.Unchanged {
			out.Outcome = "unchanged"
		}
		return out, nil
	}
}

// offersStep reads the offer catalog, publishes tilbud and matches it with
// the mapped needs into behov_tilbud (the same work as `grunnlag offers
// build`). It runs after the needs step and the fetch steps of the
// register datasets; its code version carries the hash
// of the catalog and its mapping, so a changed catalog re-runs it.
func offersStep(d Deps) dag.Step {
	o := d.Config.Offers
	h := sha256.New()
	for _, f := range []string{o.Catalog, o.Mapping} {
		if f == "" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(h, "unreadable %s", f) // the step's run reports it
			continue
		}
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.Base(f), len(b))
		h.Write(b)
	}
	var inputs []string
	outputs := []string{offers.DatasetOffers}
	if d.Config.Needs != nil {
		inputs = []string{"needs"}
		outputs = append(outputs, offers.DatasetMatches)
	}
	// Register datasets (offers.registers) are read from their fetch steps.
	for _, id := range o.Registers {
		inputs = append(inputs, FetchPrefix+id)
	}
	// A missing or damaged output re-runs the step.
	exists := func() bool {
		cat, err := d.Store.Catalog()
		if err != nil {
			return true // the step reports the catalog itself
		}
		for _, id := range outputs {
			v := cat.Datasets[id].CurrentVersion()
			if v == nil || d.Store.VerifyVersion(id, v) != nil {
				return false
			}
		}
		return true
	}
	return dag.Step{Name: "offers", Inputs: inputs, Code: offers.CodeVersion + "+" + hex.EncodeToString(h.Sum(nil))[:16], Exists: exists,
		Run: func(ctx context.Context, din *dag.Input) (*dag.Output, error) {
			model, groups, err := pipelines.RunRegions(ctx, din, d.Config.Regions)
			if err != nil {
				return nil, err
			}
			opt, err := offers.FromConfig(d.Config, model, groups, d.today())
			if err != nil {
				return nil, err
			}
			opt.Logger = d.Logger
			res, err := offers.Build(ctx, d.Store, opt)
			if err != nil {
				return nil, err
			}
			return &dag.Output{Outcome: "built", Detail: fmt.Sprintf("%d tilbud, %d behov, %d uten tilbud, %d tilbud uten behov", res.Accepted, res.Needs, res.Unmet, res.Idle)}, nil
		}}
}
