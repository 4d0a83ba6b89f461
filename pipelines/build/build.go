package build

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"gonum.org/v1/gonum/stat"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Builder computes the indicator table.
type Builder struct {
	Store   *store.Store
	Model   *regions.Model
	Groups  []regions.Group
	Catalog *indicators.Registry
	Logger  *slog.Logger // nil => discard
	// Target is the boundary vintage; zero => Model.Latest().
	Target time.Time
	// Breaks is the series-break registry; nil => indicators.Breaks().
	Breaks []indicators.Break
	// Full computes every indicator, ignoring the previous table and its
	// node keys (a cold build); otherwise only the indicators whose key
	// changed are computed (see the package docs).
	Full bool
	// Workers is how many indicators are computed at once; 0 means
	// GOMAXPROCS.
	Workers int
	// Weights, when set, shares the split weights with the other steps
	// of a run (harmonise.Harmoniser.Shared).
	Weights *harmonise.WeightsCache
}

// Skip is an indicator that was not computed, and why: an input dataset
// is absent (Missing), or the inputs are there but cannot give the
// indicator (Reason, from an error wrapping [indicators.ErrUnsuitable],
// e.g. age groups that do not make up 25-64).
type Skip struct {
	ID      string
	Missing []string // input datasets absent from the knowledge base
	Reason  string   // why present inputs could not give the indicator
}

// Empty is an indicator whose input datasets exist but that gave no row:
// its filters match none of their cells (a code renamed at the source, a
// filter on the wrong dimension). It is a warning, not an error.
type Empty struct {
	ID     string       `json:"indicator"`
	Inputs []EmptyInput `json:"inputs"`
}

// EmptyInput is one input of an Empty indicator: the dataset, the declared
// filter, and the codes the dataset does have, by dimension (at most
// maxFoundCodes per dimension, sorted).
type EmptyInput struct {
	Dataset string              `json:"dataset"`
	Filter  string              `json:"filter"`
	Found   map[string][]string `json:"found"`
}

// maxFoundCodes caps the codes an EmptyInput lists per dimension.
const maxFoundCodes = 12

// Message says the warning in bokmål, for the CLI: «indikatoren X fant
// ingen rader: datasett D, filter F; datasettet har Dim: a, b, c».
func (e Empty) Message() string {
	var b strings.Builder
	fmt.Fprintf(&b, "indikatoren %s fant ingen rader", e.ID)
	for i, in := range e.Inputs {
		sep := ": "
		if i > 0 {
			sep = "; "
		}
		fmt.Fprintf(&b, "%sdatasett %s, filter %q", sep, in.Dataset, in.Filter)
		dims := slices.Sorted(maps.Keys(in.Found))
		var parts []string
		for _, d := range dims {
			parts = append(parts, d+": "+strings.Join(in.Found[d], ", "))
		}
		if len(parts) > 0 {
			fmt.Fprintf(&b, " (datasettet har %s)", strings.Join(parts, "; "))
		}
	}
	return b.String()
}

// EmptyIndicators returns the indicators of list that have no row in rows
// although they were computed, with their inputs' filters and the codes
// the inputs' series do hold.
func EmptyIndicators(list []*indicators.Indicator, rows []Row, in *indicators.Inputs) []Empty {
	has := map[string]bool{}
	for i := range rows {
		has[rows[i].Indicator] = true
	}
	return emptyIndicators(list, has, in)
}

// emptyIndicators is EmptyIndicators with the indicators that have rows
// given as a set.
func emptyIndicators(list []*indicators.Indicator, has map[string]bool, in *indicators.Inputs) []Empty {
	var out []Empty
	for _, ind := range list {
		if has[ind.ID] {
			continue
		}
		e := Empty{ID: ind.ID}
		for _, x := range ind.Inputs {
			s := in.Series[x.Dataset]
			if s == nil {
				continue
			}
			ei := EmptyInput{Dataset: x.Dataset, Filter: x.FilterText(), Found: map[string][]string{}}
			for _, d := range s.Dims {
				codes := s.Codes(d)
				if len(codes) > maxFoundCodes {
					codes = append(codes[:maxFoundCodes:maxFoundCodes], "…")
				}
				ei.Found[d] = codes
			}
			e.Inputs = append(e.Inputs, ei)
		}
		out = append(out, e)
	}
	return out
}

// EmptyKey is the Parquet key-value metadata key of the indicator table
// that lists the Empty indicators (JSON), for `grunnlag status`.
const EmptyKey = "indicators.empty"

// Result is what a build did.
type Result struct {
	Version  *store.Version // the published indicator table version
	Rows     int
	Computed []string // indicator IDs with rows, catalog order
	Empty    []Empty  // indicators computed from present inputs that gave no row
	Skipped  []Skip
	Warnings int // groups of cells left out because harmonisation failed (logged)
	// Record is the published table (AllRows reads its rows).
	Record arrow.Record
	// Previous is the table that was current before this build, read to
	// carry rows over from it (nil when none was read: a full build), and
	// PreviousStamp its version; the caller releases it too. A run hands
	// both tables on (publish.InputCache.Keep), so that what it publishes
	// next reads neither file again.
	Previous      arrow.Record
	PreviousStamp string
	// Retired lists the superseded indicator versions moved to the secure
	// zone (folders relative to the kb root).
	Retired []string
	// Recomputed are the indicators computed in this build (the nodes
	// "indicator:<id>" that ran), Reused those whose rows or verdict were
	// carried over from the previous table because their key was
	// unchanged; both in catalog order, without the indicators skipped
	// for a missing input.
	Recomputed, Reused []string
	// FullReason says, in bokmål, why no indicator could be reused (""
	// when the previous table's keys were used).
	FullReason string
}

// Release releases Record and Previous.
func (r *Result) Release() {
	if r.Record != nil {
		r.Record.Release()
	}
	if r.Previous != nil {
		r.Previous.Release()
	}
}

// AllRows returns every row of the published table, read back from Record.
func (r *Result) AllRows() ([]Row, error) { return TableRows(r.Record) }

// Build reads the current datasets, computes the catalog and publishes the
// indicator table. The caller holds the kb lock and releases
// the Result (Result.Release).
func (b *Builder) Build(ctx context.Context) (*Result, error) {
	log := b.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	target := b.Target
	if target.IsZero() {
		target = b.Model.Latest()
	}
	cat, err := b.Store.Catalog()
	if err != nil {
		return nil, err
	}
	have := func(ds string) bool { return cat.Datasets[ds].CurrentVersion() != nil }
	res := &Result{}
	var todo []*indicators.Indicator
	need := map[string]bool{}
	for _, ind := range b.Catalog.All() {
		if miss := ind.MissingInputs(have); len(miss) > 0 {
			res.Skipped = append(res.Skipped, Skip{ID: ind.ID, Missing: miss})
			log.Info("indicator skipped: input missing", "indicator", ind.ID, "dataset", strings.Join(miss, ","))
			continue
		}
		todo = append(todo, ind)
		for _, in := range ind.Inputs {
			if have(in.Dataset) {
				need[in.Dataset] = true
			}
		}
	}
	weightsStamp := ""
	if e := cat.Datasets[harmonise.WeightsDataset]; e.CurrentVersion() != nil {
		weightsStamp = e.Current
	}
	code := CodeIdentity()
	base := newKey(nodesVersion, code, target.Format("2006-01-02"), b.Groups, b.breaks(), weightsStamp, harmonise.CodeVersion,
		Units(b.Model, target, b.Groups))
	schema, err := tableSchema()
	if err != nil {
		return nil, err
	}
	var (
		prev      *manifest
		prevRec   arrow.Record    // the previous table, when its keys are usable
		prevSpans map[string]span // its rows by indicator
	)
	switch {
	case b.Full:
		res.FullReason = "full bygging bestilt"
	case code == "":
		res.FullReason = "kodeversjonen er ukjent"
	default:
		prev, res.FullReason = readManifest(b.Store, cat)
		if prev != nil {
			var err error
			if prevRec, prevSpans, err = previousTable(b.Store, schema); err != nil {
				prev, res.FullReason = nil, "forrige indikatortabell kan ikke leses"
				log.Warn("previous indicator table unreadable: full build", "err", err)
			}
		}
	}
	if prevRec != nil {
		defer func() {
			if res.Previous == nil {
				prevRec.Release()
			}
		}()
	}
	ids := make([]string, 0, len(need))
	for ds := range need {
		ids = append(ids, ds)
	}
	sort.Strings(ids)
	dsKeys := map[string]string{}
	for _, ds := range ids {
		dsKeys[ds] = datasetKey(base, ds, cat.Datasets[ds].CurrentVersion())
	}
	// The harmonised layer, written by the harmonise step (or here, once,
	// where it is missing or stale).
	hz := &harmonise.Harmoniser{Store: b.Store, Model: b.Model, Target: target, Logger: log, Shared: b.Weights}
	weights, err := hz.Weights()
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	h := &harmoniser{model: b.Model, target: target, groups: b.Groups, weights: weights}
	in := &indicators.Inputs{Series: map[string]*indicators.Series{}}
	dsNodes := map[string]datasetNode{}
	// load reads one dataset's harmonised layer and sums it to every unit.
	// Each dataset gets its own record of the counties no longer valid it
	// is published for; mergeHist combines them as one pass would.
	load := func(ds string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		l, err := hz.Load(ctx, ds)
		if err != nil {
			return fmt.Errorf("build: %w", err)
		}
		h.hist = nil
		s, warn, err := h.series(tableOf(l), cat.Datasets[ds].Current)
		if err != nil {
			return err
		}
		if v := cat.Datasets[ds].CurrentVersion(); v != nil {
			s.Synthetic = v.Synthetic
		}
		in.Series[ds] = s
		dsNodes[ds] = datasetNode{Key: dsKeys[ds], Hist: histUnits(h.hist), Warnings: warn}
		log.Debug("dataset harmonised", "dataset", ds, "rows", s.Len())
		return nil
	}
	for _, ds := range ids {
		if n, ok := prev.dataset(ds); ok && n.Key == dsKeys[ds] {
			dsNodes[ds] = n
			continue
		}
		if err := load(ds); err != nil {
			return nil, err
		}
	}
	for _, ds := range ids {
		res.Warnings += dsNodes[ds].Warnings
	}
	in.Regions = append(Units(b.Model, target, b.Groups), mergeHist(ids, dsNodes)...)
	unitsKey := newKey(in.Regions)
	keys := map[string]string{}
	var recompute []*indicators.Indicator
	reused := map[string]indicatorNode{}
	for _, ind := range todo {
		parts := []any{base, unitsKey, declaration(ind)}
		seen := map[string]bool{}
		var inputs []string
		for _, x := range ind.Inputs {
			if !seen[x.Dataset] {
				seen[x.Dataset] = true
				inputs = append(inputs, x.Dataset)
			}
		}
		sort.Strings(inputs)
		for _, ds := range inputs {
			k, ok := dsKeys[ds]
			if !ok {
				k = "-"
			}
			parts = append(parts, ds, k)
		}
		keys[ind.ID] = newKey(parts...)
		if n, ok := prev.indicator(ind.ID); ok && n.Key == keys[ind.ID] && (n.Status != nodeRows || prevSpans[ind.ID].n > 0) {
			reused[ind.ID] = n
			res.Reused = append(res.Reused, ind.ID)
			continue
		}
		recompute = append(recompute, ind)
		res.Recomputed = append(res.Recomputed, ind.ID)
		for _, ds := range inputs {
			if _, loaded := in.Series[ds]; need[ds] && !loaded {
				if err := load(ds); err != nil {
					return nil, err
				}
			}
		}
	}
	chunks, unsuitable, err := computeEach(ctx, b.Model, target, b.Groups, recompute, in, b.breaks(), b.Workers)
	if err != nil {
		return nil, err
	}
	has := map[string]bool{}
	freshSpans := map[string]span{}
	off := 0
	for i, c := range chunks {
		if len(c) > 0 {
			has[recompute[i].ID] = true
			freshSpans[recompute[i].ID] = span{off: off, n: len(c)}
			off += len(c)
		}
	}
	verdict := map[string]indicatorNode{}
	for _, sk := range unsuitable {
		verdict[sk.ID] = indicatorNode{Status: nodeUnsuitable, Reason: sk.Reason}
	}
	var done []*indicators.Indicator
	for _, ind := range recompute {
		if _, bad := verdict[ind.ID]; !bad {
			done = append(done, ind)
		}
	}
	for _, e := range emptyIndicators(done, has, in) {
		e := e
		verdict[e.ID] = indicatorNode{Status: nodeEmpty, Empty: &e}
	}
	// The harmonised series are done with: let them go before the record
	// of the fresh rows is built (at 20 years they are 220 MB of the
	// build's peak).
	in.Series = nil
	// The rows computed now, as a record (each indicator's rows let go as
	// they are copied into it), and each indicator's span in it.
	freshRec, err := recordOf(chunks)
	if err != nil {
		return nil, err
	}
	chunks = nil
	defer freshRec.Release()
	for id, sp := range freshSpans {
		sp.rec = freshRec
		freshSpans[id] = sp
	}
	maps.Copy(verdict, reused)
	next := &manifest{Version: nodesVersion, Datasets: dsNodes, Indicators: map[string]indicatorNode{}}
	// The table: each indicator's rows in catalog order, from the rows
	// computed now or carried over from the previous table's record (the
	// rows of an unchanged indicator are not read into Go values).
	spans := make([]span, 0, len(todo))
	carried := false
	for _, ind := range todo {
		n, ok := verdict[ind.ID]
		if !ok {
			n = indicatorNode{Status: nodeRows}
		}
		n.Key = keys[ind.ID]
		next.Indicators[ind.ID] = n
		switch n.Status {
		case nodeUnsuitable:
			res.Skipped = append(res.Skipped, Skip{ID: ind.ID, Reason: n.Reason})
			log.Warn("indicator skipped: inputs unsuitable", "indicator", ind.ID, "reason", n.Reason)
		case nodeEmpty:
			res.Empty = append(res.Empty, *n.Empty)
			log.Warn("indicator empty: inputs present, no row matches", "indicator", ind.ID, "detail", n.Empty.Message())
		default:
			res.Computed = append(res.Computed, ind.ID)
			sp := freshSpans[ind.ID]
			if _, ok := reused[ind.ID]; ok {
				sp, carried = prevSpans[ind.ID], true
			}
			if sp.n > 0 {
				spans = append(spans, sp)
			}
		}
	}
	log.Info("indicators computed", "recomputed", len(res.Recomputed), "reused", len(res.Reused), "full_reason", res.FullReason)
	var rec arrow.Record
	if carried {
		if rec, err = assemble(schema, spans); err != nil {
			return nil, err
		}
	} else {
		// Every row was computed now, in catalog order: the table is the
		// record of the fresh rows.
		freshRec.Retain()
		rec = freshRec
	}
	kv := map[string]string{
		"indicators.target":   target.Format("2006-01-02"),
		"indicators.computed": strings.Join(res.Computed, ","),
	}
	var sk []string
	for _, s := range res.Skipped {
		why := strings.Join(s.Missing, "+")
		if s.Reason != "" {
			why = "unsuitable inputs"
		}
		sk = append(sk, s.ID+"("+why+")")
	}
	kv["indicators.skipped"] = strings.Join(sk, ",")
	if len(res.Empty) > 0 {
		js, err := json.Marshal(res.Empty)
		if err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
		kv[EmptyKey] = string(js)
	}
	v, err := b.Store.PublishIndicators(ctx, rec, kv)
	if err != nil {
		rec.Release()
		return nil, fmt.Errorf("build: %w", err)
	}
	// Only the current version of the indicator table stays public: it
	// holds the firm-derived indicators (see the package docs).
	retired, err := needs.RetireIndicators(b.Store)
	if err != nil {
		rec.Release()
		return nil, fmt.Errorf("build: %w", err)
	}
	res.Version, res.Rows, res.Record, res.Retired = v, int(rec.NumRows()), rec, retired
	if prevRec != nil {
		res.Previous, res.PreviousStamp = prevRec, prev.Table
	}
	if code == "" {
		removeManifest(b.Store)
	} else {
		next.Table, next.TableSHA256 = v.Stamp, v.SHA256
		if err := writeManifest(b.Store, next); err != nil {
			// The next build is a full one: the old manifest names
			// another table.
			removeManifest(b.Store)
			log.Warn("indicator node keys not kept", "err", err)
		}
	}
	log.Info("indicators published", "rows", res.Rows, "version", v.Stamp)
	return res, nil
}

func (b *Builder) breaks() []indicators.Break {
	if b.Breaks != nil {
		return b.Breaks
	}
	return indicators.Breaks()
}

// Units returns the units to compute for on the target vintage: the
// nation, counties, groupings and municipalities, with membership.
func Units(m *regions.Model, target time.Time, groups []regions.Group) []indicators.Region {
	munis := m.Regions(regions.Municipality, target)
	inGroups := map[string][]string{}
	for _, g := range groups {
		for _, c := range g.Members {
			inGroups[c] = append(inGroups[c], g.ID)
		}
	}
	perCounty := map[string]int{}
	for _, r := range munis {
		perCounty[r.Code[:2]]++
	}
	out := []indicators.Region{{Code: regions.NationCode, Name: regions.NationName, Level: indicators.LevelNation, Units: len(munis)}}
	for _, r := range m.Regions(regions.County, target) {
		out = append(out, indicators.Region{Code: r.Code, Name: r.Name, Level: indicators.LevelCounty, Units: perCounty[r.Code]})
	}
	for _, g := range groups {
		out = append(out, indicators.Region{Code: g.ID, Name: g.Name, Level: indicators.LevelGrouping, County: groupCounty(g), Units: len(g.Members)})
	}
	for _, r := range munis {
		out = append(out, indicators.Region{Code: r.Code, Name: r.Name, Level: indicators.LevelMunicipality, County: r.Code[:2], Groups: inGroups[r.Code], Units: 1})
	}
	return out
}

// histUnits returns a county-level unit for every county code that a
// county-level dataset is published for but that is not valid on the
// target vintage, by code, with the target municipalities it covers.
func histUnits(hist map[string]histCounty) []indicators.Region {
	codes := make([]string, 0, len(hist))
	for c := range hist {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	out := make([]indicators.Region, 0, len(codes))
	for _, c := range codes {
		h := hist[c]
		out = append(out, indicators.Region{Code: c, Name: h.name, Level: indicators.LevelCounty, Units: len(h.members), Members: h.members})
	}
	return out
}

func groupCounty(g regions.Group) string {
	c := ""
	for i, m := range g.Members {
		if i == 0 {
			c = m[:2]
		} else if m[:2] != c {
			return ""
		}
	}
	return c
}

// Row is one row of the indicator table.
type Row struct {
	Indicator, Region, RegionLabel, RegionLevel, Period, Category, CategoryLabel string
	Value                                                                        float64 // NaN = null
	Unit                                                                         string
	Numerator, Denominator                                                       float64
	Comparator                                                                   string // "" = null
	ComparatorRegion                                                             string // code of the comparator unit; "" = null
	ComparatorValue, GapAbs, GapIndex                                            float64
	Rank, NRanked                                                                int // 0 = null
	Z, CILow, CIHigh                                                             float64
	NUnits                                                                       int
	Flags, Sources                                                               string
	// Synthetic: an input dataset of the indicator is synthetic (demo
	// data); Computed: the value of a county, the nation or a grouping
	// was summed by grunnlag from its members, not published by the source.
	Synthetic, Computed bool
	order               int
}

var levelRank = map[string]int{indicators.LevelNation: 0, indicators.LevelCounty: 1, indicators.LevelGrouping: 2, indicators.LevelMunicipality: 3}

// Compute runs the indicators on in and returns the rows of the long
// table with comparators, sorted. An indicator whose Compute returns an
// error wrapping [indicators.ErrUnsuitable] is left out and returned as a
// Skip with the error as its reason; any other error stops the build.
//
// It works in two passes so that the wide rows are written once, in
// order, into one slice of the exact size: first every indicator's values
// are computed, grouped by (period, category) for the comparators and
// sorted by an index; then the rows are counted and emitted.
func Compute(ctx context.Context, m *regions.Model, target time.Time, groups []regions.Group, list []*indicators.Indicator, in *indicators.Inputs, breaks []indicators.Break) ([]Row, []Skip, error) {
	units := make(map[string]*indicators.Region, len(in.Regions))
	for i := range in.Regions {
		units[in.Regions[i].Code] = &in.Regions[i]
	}
	sortedGroups := map[string][]string{} // unit code → its grouping IDs, sorted
	for _, r := range in.Regions {
		if len(r.Groups) > 1 && !slices.IsSorted(r.Groups) {
			sortedGroups[r.Code] = slices.Sorted(slices.Values(r.Groups))
		}
	}
	gcounty := map[string]string{}
	gmembers := map[string][]string{}
	for _, g := range groups {
		gcounty[g.ID] = groupCounty(g)
		gmembers[g.ID] = g.Members
	}
	preps := make([]*prepared, 0, len(list))
	total := 0
	var skips []Skip
	for order, ind := range list {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		vals, err := ind.Compute(in)
		if errors.Is(err, indicators.ErrUnsuitable) {
			skips = append(skips, Skip{ID: ind.ID, Reason: err.Error()})
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("build: indicator %s: %w", ind.ID, err)
		}
		p := prepare(ind, order, vals, units, sortedGroups, gcounty, gmembers, in, breaks)
		total += p.emit(nil)
		preps = append(preps, p)
	}
	out := make([]Row, 0, total)
	for _, p := range preps {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		p.emit(&out)
	}
	return out, skips, nil
}

// prepared is one indicator's values with their comparators, ready to be
// emitted as rows.
type prepared struct {
	ind          *indicators.Indicator
	order        int
	vals         []indicators.Value
	units        map[string]*indicators.Region
	sortedGroups map[string][]string
	src          string
	declared     map[indicators.Comparator]bool
	isRate       bool
	group        []int32                        // value → its (period, category) group; -1 = left out
	byCode       []map[string]*indicators.Value // per group: unit code → value
	comps        []int32                        // value → index into cmps, -1 if none
	cmps         []comparison                   // comparators of the valid values
	flags        []string                       // value → joined flags (with series breaks)
	computed     []bool                         // value → summed by grunnlag, not published
	synthetic    bool                           // an input dataset is synthetic
	perm         []int32                        // values in output order
}

func prepare(ind *indicators.Indicator, order int, vals []indicators.Value, units map[string]*indicators.Region,
	sortedGroups map[string][]string, gcounty map[string]string, gmembers map[string][]string, in *indicators.Inputs, breaks []indicators.Break) *prepared {
	p := &prepared{ind: ind, order: order, vals: vals, units: units, sortedGroups: sortedGroups, isRate: ind.Scale > 0,
		declared: map[indicators.Comparator]bool{}, group: make([]int32, len(vals)), comps: make([]int32, len(vals)),
		flags: make([]string, len(vals)), computed: make([]bool, len(vals))}
	var datasets, sources []string
	var series []*indicators.Series
	seen := map[string]bool{}
	for _, x := range ind.Inputs {
		if s := in.Series[x.Dataset]; s != nil && !seen[x.Dataset] {
			seen[x.Dataset] = true
			datasets = append(datasets, x.Dataset)
			sources = append(sources, x.Dataset+"@"+s.Version)
			series = append(series, s)
			p.synthetic = p.synthetic || s.Synthetic
		}
	}
	// Series breaks: each break that affects the inputs is noted once, at
	// the first period of the indicator's series in the break's year (when
	// the series has an earlier period), for the regions it touches.
	periodSet := map[string]bool{}
	for i := range vals {
		periodSet[vals[i].Period] = true
	}
	periods := slices.Sorted(maps.Keys(periodSet))
	breakAt := map[string][]indicators.Break{}
	breakByID := map[string]indicators.Break{}
	for _, b := range breaks {
		breakByID[b.ID] = b
		if !b.Affects(datasets) {
			continue
		}
		if per, ok := b.FirstPeriod(periods); ok {
			breakAt[per] = append(breakAt[per], b)
		}
	}
	p.src = strings.Join(sources, ",")
	for _, c := range ind.Comparators {
		p.declared[c] = true
	}
	levelOK := map[string]bool{}
	for _, l := range ind.Levels {
		levelOK[l] = true
	}
	type gk struct{ period, cat string }
	groupOf := map[gk]int32{}
	var members [][]int32
	p.perm = make([]int32, 0, len(vals))
	lv := make([]int8, len(vals))
	for i := range vals {
		v := &vals[i]
		if r, ok := units[v.Region]; ok && !levelOK[r.Level] {
			p.group[i] = -1
			continue
		}
		lv[i] = int8(levelRank[p.unit(v.Region).Level])
		k := gk{v.Period, v.Category}
		g, ok := groupOf[k]
		if !ok {
			g = int32(len(members))
			groupOf[k] = g
			members = append(members, nil)
		}
		members[g] = append(members[g], int32(i))
		p.group[i] = g
		p.perm = append(p.perm, int32(i))
		u := p.unit(v.Region)
		members := u.Members
		if u.Level == indicators.LevelGrouping {
			members = gmembers[u.Code]
		}
		f := make([]string, 0, len(v.Flags)+2)
		for _, fl := range v.Flags {
			switch {
			case fl == indicators.FlagComputed:
				p.computed[i] = true
				continue
			case strings.HasPrefix(fl, indicators.FlagSeriesBreak+":"):
				// A break the indicator set itself (a cohort spanning a
				// reform) is kept only for the regions it touches.
				if b, ok := breakByID[strings.TrimPrefix(fl, indicators.FlagSeriesBreak+":")]; ok && !b.Touches(u.Code, u.County, members) {
					continue
				}
			}
			f = append(f, fl)
		}
		for _, b := range breakAt[v.Period] {
			if b.Touches(u.Code, u.County, members) {
				f = append(f, indicators.FlagSeriesBreak+":"+b.ID)
			}
		}
		p.flags[i] = joinFlags(f)
		p.computed[i] = p.computed[i] || isComputed(u, v.Period, series)
	}
	p.byCode = make([]map[string]*indicators.Value, len(members))
	p.cmps = make([]comparison, 0, len(p.perm))
	var gunits []indicators.Region
	for g, idx := range members {
		gunits = gunits[:0]
		byCode := make(map[string]*indicators.Value, len(idx))
		for _, i := range idx {
			v := &vals[i]
			byCode[v.Region] = v
			gunits = append(gunits, p.unit(v.Region))
		}
		p.byCode[g] = byCode
		k := len(p.cmps)
		p.cmps = compare(p.cmps, gunits, vals, idx, ind.Scale, p.isRate, gcounty, ind.Direction)
		for _, i := range idx {
			p.comps[i] = -1
			if vals[i].Valid {
				p.comps[i] = int32(k)
				k++
			}
		}
	}
	slices.SortFunc(p.perm, func(i, j int32) int {
		a, b := &vals[i], &vals[j]
		if c := strings.Compare(a.Period, b.Period); c != 0 {
			return c
		}
		if la, lb := lv[i], lv[j]; la != lb {
			return cmp.Compare(la, lb)
		}
		if c := strings.Compare(a.Region, b.Region); c != 0 {
			return c
		}
		if c := strings.Compare(a.Category, b.Category); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	return p
}

// compare appends the comparators of the valid values vals[idx] (one
// (period, category) group; units[k] is the unit of vals[idx[k]]) to out,
// in input order. It computes what the tests' reference implementation
// (refCompare) computes for the same aggregates (TestCompareMatchesReference
// holds it to that, bit for bit), but ranks by sorting instead of comparing
// every pair and reads grouping counties from gcounty.
func compare(out []comparison, units []indicators.Region, vals []indicators.Value, idx []int32, scale float64, isRate bool, gcounty map[string]string, dir indicators.Direction) []comparison {
	if scale == 0 {
		scale = 1
	}
	nan := math.NaN()
	var nation *indicators.Value
	county := map[string]*indicators.Value{}
	const nLevels = 4
	var byLevel [nLevels][]float64 // valid values in input order
	for k, i := range idx {
		v := &vals[i]
		if !v.Valid {
			continue
		}
		switch units[k].Level {
		case indicators.LevelNation:
			nation = v
		case indicators.LevelCounty:
			county[v.Region] = v
		}
		l := levelRank[units[k].Level]
		byLevel[l] = append(byLevel[l], v.Value)
	}
	var mean, sd [nLevels]float64
	var sorted [nLevels][]float64
	for l, xs := range byLevel {
		if len(xs) == 0 {
			continue
		}
		mean[l], sd[l] = stat.Mean(xs, nil), nan
		if len(xs) > 1 {
			sd[l] = stat.StdDev(xs, nil)
		}
		sorted[l] = slices.Clone(xs)
		slices.Sort(sorted[l])
	}
	for k, i := range idx {
		v := &vals[i]
		if !v.Valid {
			continue
		}
		r := units[k]
		rate := isRate && !math.IsNaN(v.Num) && !math.IsNaN(v.Den)
		c := comparison{Nation: nan, RestOfCountry: nan, County: nan, Z: nan}
		if nation != nil && r.Level != indicators.LevelNation {
			c.Nation = nation.Value
			if rate {
				if den := nation.Den - v.Den; den != 0 {
					c.RestOfCountry = (nation.Num - v.Num) / den * scale
				}
			} else {
				c.RestOfCountry = nation.Num - v.Num
			}
		}
		cc := ""
		switch r.Level {
		case indicators.LevelMunicipality:
			cc = r.Code[:2]
		case indicators.LevelGrouping:
			cc = gcounty[r.Code]
		}
		if cv, ok := county[cc]; ok && cc != "" {
			c.County = cv.Value
		}
		l := levelRank[r.Level]
		xs := sorted[l]
		c.NRanked = int32(len(xs))
		// Rank: 1 is the best by the indicator's direction: 1 + the number
		// of values strictly greater, or, lower being better, strictly
		// smaller. A neutral indicator ranks the highest first.
		c.Rank = 1
		if !math.IsNaN(v.Value) {
			above, _ := slices.BinarySearchFunc(xs, v.Value, func(x, t float64) int {
				if x > t {
					return 1
				}
				return -1
			})
			if dir == indicators.LowerIsBetter {
				below, _ := slices.BinarySearch(xs, v.Value)
				c.Rank += int32(below)
			} else {
				c.Rank += int32(len(xs) - above)
			}
		}
		if sd[l] > 0 {
			c.Z = (v.Value - mean[l]) / sd[l]
		}
		out = append(out, c)
	}
	return out
}

// comparison holds one value's comparators (refCompare, in the tests, is its reference), without the
// region (the value's) and without pointers.
type comparison struct {
	Nation, RestOfCountry, County, Z float64
	Rank, NRanked                    int32
}

// unit returns the unit of a value (a made-up one for a code that is not a
// unit of the inputs).
func (p *prepared) unit(code string) indicators.Region {
	if r, ok := p.units[code]; ok {
		return *r
	}
	return indicators.Region{Code: code, Name: code, Level: levelOfCode(code)}
}

// emit appends the rows of every value in output order to *out and returns
// their number; with out nil it only counts.
func (p *prepared) emit(out *[]Row) int {
	n := 0
	ind := p.ind
	for _, i := range p.perm {
		v := &p.vals[i]
		r := p.unit(v.Region)
		byCode := p.byCode[p.group[i]]
		var c *comparison
		if p.comps[i] >= 0 {
			c = &p.cmps[p.comps[i]]
		}
		var base Row
		if out != nil {
			base = Row{Indicator: ind.ID, Region: v.Region, RegionLabel: r.Name, RegionLevel: r.Level, Period: v.Period,
				Category: v.Category, CategoryLabel: v.CategoryLabel, Value: math.NaN(), Unit: ind.Unit,
				Numerator: v.Num, Denominator: v.Den, ComparatorValue: math.NaN(), GapAbs: math.NaN(), GapIndex: math.NaN(),
				Z: math.NaN(), CILow: v.CILow, CIHigh: v.CIHigh, NUnits: v.NUnits, Sources: p.src, Flags: p.flags[i], order: p.order,
				Synthetic: p.synthetic, Computed: p.computed[i]}
			if !p.isRate {
				base.Numerator, base.Denominator = math.NaN(), math.NaN()
			}
			if v.Valid {
				base.Value = v.Value
				if c != nil {
					base.Rank, base.NRanked, base.Z = int(c.Rank), int(c.NRanked), c.Z
				}
			}
		}
		emitted := 0
		add := func(name, region string, val float64, ref *indicators.Value) {
			if math.IsNaN(val) {
				return
			}
			emitted++
			if out == nil {
				return
			}
			row := base
			row.Comparator, row.ComparatorRegion, row.ComparatorValue = name, region, val
			if abs, gi, ok := indicators.Gap(v.Value, val); ok {
				row.GapAbs, row.GapIndex = abs, gi
			}
			if ind.Basis == indicators.Survey && !math.IsNaN(v.CILow) && ref != nil && !math.IsNaN(ref.CILow) {
				if lo, hi, err := indicators.DiffInterval(v.Value, v.CILow, v.CIHigh, ref.Value, ref.CILow, ref.CIHigh); err == nil {
					sig := indicators.FlagNotSignif
					if indicators.Significant(lo, hi) {
						sig = indicators.FlagSignificant
					}
					f := []string{sig}
					if p.flags[i] != "" {
						f = append(strings.Split(p.flags[i], ","), sig)
					}
					row.Flags = joinFlags(f)
				}
			}
			*out = append(*out, row)
		}
		if c != nil && v.Valid {
			if p.declared[indicators.National] && r.Level != indicators.LevelNation {
				add(string(indicators.National), regions.NationCode, c.Nation, byCode[regions.NationCode])
			}
			if p.declared[indicators.RestOfCountry] && r.Level != indicators.LevelNation && p.isRate {
				add(string(indicators.RestOfCountry), "", c.RestOfCountry, nil)
			}
			if p.declared[indicators.County] && r.County != "" && (r.Level == indicators.LevelMunicipality || r.Level == indicators.LevelGrouping) {
				add(string(indicators.County), r.County, c.County, byCode[r.County])
			}
			if p.declared[indicators.RegionGroup] && r.Level == indicators.LevelMunicipality {
				gs := r.Groups
				if sg, ok := p.sortedGroups[r.Code]; ok {
					gs = sg
				}
				for _, g := range gs {
					gv := byCode[g]
					x := math.NaN()
					if gv != nil && gv.Valid {
						x = gv.Value
					}
					add(string(indicators.RegionGroup), g, x, gv)
				}
			}
		}
		if emitted == 0 {
			emitted = 1
			if out != nil {
				*out = append(*out, base)
			}
		}
		n += emitted
	}
	return n
}

// isComputed reports whether the value of unit u in period was summed by
// grunnlag rather than published: always for a grouping, and for a county
// or the nation when an input series holds a computed cell for it. (A
// county rebuilt from its members, u.Members, is marked by the indicator's
// own flag: indicators.Series.GetUnit marks such sums computed.)
func isComputed(u indicators.Region, period string, series []*indicators.Series) bool {
	switch u.Level {
	case indicators.LevelMunicipality:
		return false
	case indicators.LevelGrouping:
		return true
	}
	for _, s := range series {
		if s.Computed(u.Code, period) {
			return true
		}
	}
	return false
}

func levelOfCode(code string) string {
	lv, ok := regions.LevelOf(code)
	if !ok {
		return indicators.LevelGrouping
	}
	return string(lv)
}

func joinFlags(f []string) string {
	switch len(f) {
	case 0:
		return ""
	case 1:
		return f[0]
	}
	s := append([]string(nil), f...)
	sort.Strings(s)
	out := s[:1]
	for _, x := range s[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return strings.Join(out, ",")
}
