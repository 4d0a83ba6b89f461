package needs

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/survey"
)

// Dataset IDs written to the knowledge base.
const (
	DatasetNeeds  = "kompetansebehov"
	DatasetSupply = "needs_vs_supply"
)

// SuppressedStatus is the status of a withheld cell (SSB's symbol for
// "confidential").
const SuppressedStatus = ":"

// Options configure Build.
type Options struct {
	Survey  string          // survey file
	Mapping *survey.Mapping // nil: the default template
	Period  string          // survey year ("2024"); "" => the year of the first response
	// ErrorBudget is the number of rejected rows tolerated; a negative
	// value (the default when built from config) means none: any problem
	// stops the build.
	ErrorBudget int
	Register    Lookup
	Population  map[Stratum]float64
	// StratumLevel is "fylke" (default) or "kommune".
	StratumLevel string
	Model        *regions.Model
	Target       time.Time // boundary vintage; zero => Model.Latest()
	Crosswalk    *Crosswalk
	Rule         Rule
	Replicas     int
	Seed         uint64
	// Groups are the custom groupings (regions.LoadGroups): each gets rows
	// in DatasetNeeds and DatasetSupply (total and kompetanseomrade),
	// disclosure-controlled with the counties and municipalities.
	Groups    []regions.Group
	Synthetic bool      // the survey is synthetic (demo)
	Today     time.Time // latest allowed survey date
	Logger    *slog.Logger
}

// Result says what Build did. It holds no survey contents.
type Result struct {
	Rows, Accepted, Rejected, Firms int
	Problems                        []survey.Problem
	Primary, Secondary              int
	EmptyStrata                     int
	Unmapped                        int // distinct unmapped free texts
	// Cells is the number of cells of the disclosure table, Suppressed
	// how many of them are withheld.
	Cells, Suppressed int
	// Period is the survey period; SecureDir the directory of its
	// firm-level files (firms.csv, rejected.csv, unmapped.csv, strata.csv).
	Period, SecureDir string
	Needs, Supply     *store.Version
	// Retired are the superseded version folders of FirmDerived moved to
	// <kb>/secure/versions (relative to the kb root).
	Retired []string
}

// ErrProblems is returned when the survey has problems beyond the error
// budget; Result.Problems lists them.
var ErrProblems = errors.New("needs: the survey has problems")

// LinesError stops a build whose survey rows span far more lines of the
// file than there are rows: quotes that join rows (valid CSV, but a sign
// that one stray quote swallowed the rows between), which would publish
// from a fraction of the firms.
type LinesError struct {
	File        string
	Rows, Lines int
}

// Error says how many rows were read from how many lines.
func (e *LinesError) Error() string {
	return fmt.Sprintf("needs: %s: %d rows read from %d lines of the file (quotes that join rows?); check the quotes and build again", e.File, e.Rows, e.Lines)
}

// checkLines refuses a survey whose rows span more than max(20, rows/2)
// lines beyond one a row: a few cells with line breaks pass, a quote that
// joins hundreds of rows does not.
func checkLines(path string, sv *survey.Survey) error {
	if extra := sv.Lines - sv.Rows; extra > max(20, sv.Rows/2) {
		return &LinesError{File: filepath.Base(path), Rows: sv.Rows, Lines: sv.Lines}
	}
	return nil
}

// Build reads, validates and enriches a survey, weights it to the register,
// aggregates with disclosure control, writes firm-level rows under
// <kb>/secure/needs/<period>/ and publishes DatasetNeeds and DatasetSupply.
func Build(ctx context.Context, st *store.Store, opt Options) (*Result, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opt.Target.IsZero() {
		opt.Target = opt.Model.Latest()
	}
	if opt.StratumLevel == "" {
		opt.StratumLevel = "fylke"
	}
	sv, err := survey.ReadFile(opt.Survey, opt.Mapping, survey.Options{Regions: RegionChecker{opt.Model}, Areas: opt.Crosswalk.Known, Today: opt.Today})
	if err != nil {
		return nil, err
	}
	res, period, err := startResult(st, opt, sv)
	if err != nil {
		return res, err
	}
	firms, unmapped, err := enrichSurvey(ctx, opt, sv, res)
	if err != nil {
		return res, err
	}
	log.Info("survey read", "dataset", DatasetNeeds, "rows", res.Rows, "accepted", res.Accepted, "rejected", res.Rejected, "firms", res.Firms)
	if res.Rejected > 0 && (opt.ErrorBudget < 0 || res.Rejected > opt.ErrorBudget) {
		return res, fmt.Errorf("needs: %d rejected rows, error budget %d: %w", res.Rejected, max(opt.ErrorBudget, 0), ErrProblems)
	}
	w := weightFirms(firms, opt)
	res.EmptyStrata = len(w.Empty)
	// Secure zone.
	dir := filepath.Join(st.Root(), "secure", "needs", period)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, fmt.Errorf("needs: %w", err)
	}
	if err := writeSecure(dir, firms, res.Problems, unmapped, w); err != nil {
		return res, err
	}
	est, err := aggregateSuppressed(st, opt, period, firms, res)
	if err != nil {
		return res, err
	}
	res.Unmapped = len(UnmappedReport(unmapped))
	rows, err := publishNeeds(ctx, st, opt, period, est, res)
	if err != nil {
		return res, err
	}
	log.Info("needs published", "dataset", DatasetNeeds, "rows", rows, "primary", res.Primary, "secondary", res.Secondary)
	return res, nil
}

// startResult starts the result of a survey read and returns its period
// (opt.Period, else the first response's year). A survey whose rows span
// too many lines, or with no accepted rows, is an error.
func startResult(st *store.Store, opt Options, sv *survey.Survey) (*Result, string, error) {
	res := &Result{Rows: sv.Rows, Problems: sv.Problems}
	if err := checkLines(opt.Survey, sv); err != nil {
		return res, "", err
	}
	if len(sv.Responses) > 0 {
		res.Period = strconv.Itoa(sv.Responses[0].Date.Year())
	}
	if opt.Period != "" {
		res.Period = opt.Period
	}
	res.SecureDir = filepath.Join(st.Root(), "secure", "needs", res.Period)
	if len(sv.Responses) == 0 {
		return res, "", fmt.Errorf("needs: %s: no accepted rows: %w", filepath.Base(opt.Survey), ErrProblems)
	}
	period := opt.Period
	if period == "" {
		period = strconv.Itoa(sv.Responses[0].Date.Year())
	}
	return res, period, nil
}

// enrichSurvey enriches the survey's responses into firms from the register and
// counts the rows rejected by the survey or the enrichment in res.
func enrichSurvey(ctx context.Context, opt Options, sv *survey.Survey, res *Result) ([]*Firm, []string, error) {
	firms, eprobs, unmapped, err := Enrich(ctx, sv.Responses, opt.Survey, opt.Register, opt.Model, opt.Crosswalk, opt.Target)
	if err != nil {
		return nil, nil, err
	}
	res.Problems = append(res.Problems, eprobs...)
	rejected := map[int]bool{}
	for _, r := range sv.Rejected {
		rejected[r] = true
	}
	for _, p := range eprobs {
		rejected[p.Row] = true
	}
	res.Rejected = len(rejected)
	res.Accepted = res.Rows - res.Rejected
	res.Firms = len(firms)
	return firms, unmapped, nil
}

// weightFirms puts each firm in its stratum (region at opt.StratumLevel,
// section, size band) and gives it the stratum's post-stratification
// weight.
func weightFirms(firms []*Firm, opt Options) *Weights {
	var strata []Stratum
	for _, f := range firms {
		region := f.Municipality
		if opt.StratumLevel == "fylke" {
			region = f.County
		}
		f.Stratum = StratumOf(region, f.Section, f.Band)
		strata = append(strata, f.Stratum)
	}
	w := PostStratify(strata, opt.Population)
	for _, f := range firms {
		f.Weight = w.ByStratum[f.Stratum]
	}
	return w
}

// aggregateSuppressed estimates the cells with disclosure control (keeping the
// suppression of earlier periods), counts primary, secondary and
// suppressed cells in res, and records this period's suppressed cells in
// secure/needs/suppression.json.
func aggregateSuppressed(st *store.Store, opt Options, period string, firms []*Firm, res *Result) (map[Key]*Estimate, error) {
	prevPath := filepath.Join(st.Root(), "secure", "needs", "suppression.json")
	prev, history, err := readSuppression(prevPath, period)
	if err != nil {
		return nil, err
	}
	var areas []string
	for _, a := range opt.Crosswalk.Areas {
		areas = append(areas, a.ID)
	}
	areas = append(areas, Unmapped)
	munis := map[string][]string{}
	for _, f := range firms {
		munis[f.County] = nil
	}
	for _, m := range opt.Model.Regions(regions.Municipality, opt.Target) {
		if _, ok := munis[m.Code[:2]]; ok {
			munis[m.Code[:2]] = append(munis[m.Code[:2]], m.Code)
		}
	}
	_, est, err := Aggregate(firms, AggregateOptions{Areas: areas, Replicas: opt.Replicas, Seed: opt.Seed, Rule: opt.Rule, Previous: prev, Municipalities: munis, Groups: opt.Groups})
	if err != nil {
		return nil, err
	}
	var sup []string
	for k, c := range est {
		if c.Primary {
			res.Primary++
		}
		if c.Secondary {
			res.Secondary++
		}
		if c.Suppressed() {
			sup = append(sup, k.String())
		}
	}
	res.Cells, res.Suppressed = len(est), len(sup)
	sort.Strings(sup)
	history[period] = sup
	if err := store.WriteFileAtomic(prevPath, func(wr io.Writer) error {
		enc := json.NewEncoder(wr)
		enc.SetIndent("", "  ")
		return enc.Encode(history)
	}); err != nil {
		return nil, fmt.Errorf("needs: %w", err)
	}
	return est, nil
}

// publishNeeds audits and publishes DatasetNeeds and DatasetSupply, then
// retires the superseded versions of firm-derived tables. It returns the
// number of rows of DatasetNeeds.
func publishNeeds(ctx context.Context, st *store.Store, opt Options, period string, est map[Key]*Estimate, res *Result) (int64, error) {
	mem := memory.NewGoAllocator()
	labels := labeller{model: opt.Model, target: opt.Target, cw: opt.Crosswalk, groups: map[string]string{}}
	for _, g := range opt.Groups {
		labels.groups[g.ID] = g.Name
	}
	rec := NeedsRecord(mem, period, est, labels.label, opt.Crosswalk.GreenTag)
	defer rec.Release()
	meta := store.DatasetMeta{Source: "survey", Table: "kompetansebehov", Title: "Kartlagte kompetansebehov i virksomheter (vektet, med prikking)",
		Unit: "virksomheter; andel; personer", Updated: period, FetchedAt: time.Now().UTC(), Synthetic: opt.Synthetic,
		Keys: []string{"periode", "region", "inndeling", "kategori", "maal"},
		Extra: map[string]string{"jsonstat.role.geo": "region", "jsonstat.role.time": "periode", "grunnlag.disclosure": fmt.Sprintf("min_firms=%d dominance=%g", opt.Rule.withDefaults().MinFirms, opt.Rule.withDefaults().Dominance), "grunnlag.bootstrap_seed": strconv.FormatUint(opt.Seed, 10),
			AttributesKey: ColumnGreen}}
	// The exact audit of what is about to become the only public version.
	if err := checkPublishable(rec, opt.Rule, opt.Groups); err != nil {
		return 0, err
	}
	var err error
	if res.Needs, err = st.Publish(ctx, DatasetNeeds, rec, meta); err != nil {
		return 0, err
	}
	srec, smeta, err := SupplyRecord(mem, st, period, est, opt.Model, opt.Target, opt.Crosswalk, opt.Groups, labels.label)
	if err != nil {
		return 0, err
	}
	defer srec.Release()
	smeta.Synthetic = smeta.Synthetic || opt.Synthetic
	if res.Supply, err = st.Publish(ctx, DatasetSupply, srec, smeta); err != nil {
		return 0, err
	}
	// Two public versions of a firm-derived table give, by differencing,
	// what changed between them (one firm's whole answer when one response
	// was added or removed): only the current version stays public.
	for _, id := range FirmDerived {
		moved, err := RetireSuperseded(st, id)
		if err != nil {
			return 0, err
		}
		res.Retired = append(res.Retired, moved...)
	}
	return rec.NumRows(), nil
}

type labeller struct {
	model  *regions.Model
	target time.Time
	cw     *Crosswalk
	groups map[string]string // grouping ID -> name
}

func (l labeller) label(kind, code string) string {
	switch kind {
	case "region":
		if code == Total {
			return "Alle kartlagte fylker"
		}
		if n, ok := l.groups[code]; ok {
			return n
		}
		if r, err := l.model.Resolve(code, l.target); err == nil {
			return r.Name
		}
	case ViewArea:
		if a, ok := l.cw.Area(code); ok {
			return a.Name
		}
		if code == Unmapped {
			return "Uoppgitt (fritekst uten treff)"
		}
	}
	if code == Total {
		return "I alt"
	}
	return code
}

func readSuppression(path, period string) (map[Key]bool, map[string][]string, error) {
	history := map[string][]string{}
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("needs: %w", err)
	}
	if err == nil {
		if err := json.Unmarshal(data, &history); err != nil {
			return nil, nil, fmt.Errorf("needs: %s: %w", path, err)
		}
	}
	prev := map[Key]bool{}
	for p, keys := range history {
		if p == period {
			continue
		}
		for _, k := range keys {
			parts := strings.SplitN(k, "/", 3)
			if len(parts) == 3 {
				prev[Key{parts[0], parts[1], parts[2]}] = true
			}
		}
	}
	return prev, history, nil
}

func writeCSVFile(path string, header []string, rows [][]string) error {
	return store.WriteFileAtomic(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Comma = ';'
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	})
}

// writeSecure writes the firm-level files of the secure zone.
func writeSecure(dir string, firms []*Firm, probs []survey.Problem, unmapped []string, w *Weights) error {
	var rows [][]string
	for _, f := range firms {
		base := []string{f.OrgNr, f.Date.Format(time.DateOnly), f.Municipality, f.County, f.Section, f.Band, f.Stratum.String(), strconv.FormatFloat(f.Weight, 'g', -1, 64), strings.Join(f.Flags, " ")}
		if len(f.Needs) == 0 {
			rows = append(rows, append(base, "", "", "", "", "", "0", "", ""))
			continue
		}
		for _, n := range f.Needs {
			h := ""
			if n.Horizon >= 0 {
				h = strconv.Itoa(n.Horizon)
			}
			rows = append(rows, append(base, strconv.Itoa(n.Row), n.Area, n.From, n.Text, n.Level, strconv.Itoa(n.People), h, n.Urgency))
		}
	}
	if err := writeCSVFile(filepath.Join(dir, "firms.csv"), []string{"orgnr", "dato", "kommune", "fylke", "naering", "storrelse", "stratum", "vekt", "flagg", "rad", "kompetanseomrade", "kilde", "beskrivelse", "utdanningsniva", "antall", "tidshorisont", "hastegrad"}, rows); err != nil {
		return fmt.Errorf("needs: secure: %w", err)
	}
	var prows [][]string
	for _, p := range probs {
		prows = append(prows, []string{p.File, strconv.Itoa(p.Row), p.Column, p.Value, p.Reason})
	}
	if err := writeCSVFile(filepath.Join(dir, "rejected.csv"), []string{"fil", "rad", "kolonne", "verdi", "grunn"}, prows); err != nil {
		return fmt.Errorf("needs: secure: %w", err)
	}
	var urows [][]string
	for _, u := range UnmappedReport(unmapped) {
		urows = append(urows, []string{u.Text, strconv.Itoa(u.Count)})
	}
	if err := writeCSVFile(filepath.Join(dir, "unmapped.csv"), []string{"fritekst", "antall"}, urows); err != nil {
		return fmt.Errorf("needs: secure: %w", err)
	}
	var erows [][]string
	for _, s := range w.Empty {
		erows = append(erows, []string{s.Region, s.Section, s.Band, "ingen respondenter"})
	}
	for _, s := range w.NotInRegister {
		erows = append(erows, []string{s.Region, s.Section, s.Band, "ikke i registertellingen (vekt 1)"})
	}
	if err := writeCSVFile(filepath.Join(dir, "strata.csv"), []string{"region", "naering", "storrelse", "merknad"}, erows); err != nil {
		return fmt.Errorf("needs: secure: %w", err)
	}
	return nil
}

// Measures of DatasetNeeds, in output order. The weighted counts
// respondenter_vektet and virksomheter_med_behov_vektet add up over
// municipalities (andel_med_behov is their ratio), so the build can sum
// published municipalities to groupings.
// respondenter_effektive is the Kish effective sample size of the cell's
// domain, the n of the share's Wilson interval.
var Measures = []string{"respondenter", "virksomheter_med_behov", "andel_med_behov", "andel_ci_lav", "andel_ci_hoy", "personer", "personer_vektet", "personer_ci_lav", "personer_ci_hoy", "respondenter_vektet", "virksomheter_med_behov_vektet", "respondenter_effektive"}

// builder writes a long record of dictionary-encoded string columns, then
// value and status.
type builder struct {
	names []string
	dict  []*array.BinaryDictionaryBuilder
	val   *array.Float64Builder
	stat  *array.StringBuilder
	mem   memory.Allocator
}

func newBuilder(mem memory.Allocator, names ...string) *builder {
	b := &builder{names: names, mem: mem, val: array.NewFloat64Builder(mem), stat: array.NewStringBuilder(mem)}
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	for range names {
		b.dict = append(b.dict, array.NewDictionaryBuilder(mem, dt).(*array.BinaryDictionaryBuilder))
	}
	return b
}

func (b *builder) add(v float64, ok bool, status string, cols ...string) {
	for i, c := range cols {
		_ = b.dict[i].AppendString(c)
	}
	if ok {
		b.val.Append(v)
	} else {
		b.val.AppendNull()
	}
	if status == "" {
		b.stat.AppendNull()
	} else {
		b.stat.Append(status)
	}
}

func (b *builder) record() arrow.Record {
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	var fields []arrow.Field
	var cols []arrow.Array
	for i, n := range b.names {
		fields = append(fields, arrow.Field{Name: n, Type: dt})
		cols = append(cols, b.dict[i].NewArray())
		b.dict[i].Release()
	}
	fields = append(fields, arrow.Field{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true}, arrow.Field{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true})
	cols = append(cols, b.val.NewArray(), b.stat.NewArray())
	b.val.Release()
	b.stat.Release()
	rec := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(cols[0].Len()))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// NoRespondentsStatus is the status of an estimate for a region where no
// firm answered (SSB's ".." for data not available): a municipality
// without respondents has no estimate, not an estimate of zero.
const NoRespondentsStatus = ".."

// estimateMeasures are the measures of Measures that are estimates from
// the respondents (weighted, shares and intervals): missing where the
// region has no respondents. The rest are counts of respondents, 0 there.
var estimateMeasures = map[string]bool{"andel_med_behov": true, "andel_ci_lav": true, "andel_ci_hoy": true,
	"personer_vektet": true, "personer_ci_lav": true, "personer_ci_hoy": true, "virksomheter_med_behov_vektet": true, "respondenter_effektive": true}

// NeedsRecord is DatasetNeeds: one row per cell and measure, columns
// periode, region(+_label), inndeling, kategori(+_label), maal, gronn,
// value, status. gronn is green(kategori) on the rows of the
// kompetanseomrade view (ja or nei: the area is tagged green in the
// crosswalk, Crosswalk.GreenTag) and "" elsewhere, or everywhere when
// green is nil; it is an attribute of the category, not a dimension
// (metadata grunnlag.attributes). region is a municipality (4 digits, rows for the total and
// kompetanseomrade only), a grouping (its ID, the same rows), a county (2
// digits) or "_T" (the surveyed counties together); a grouping with a
// member outside the surveyed counties has every measure null with status
// "..". A suppressed cell has every measure null with status
// ":". In a region without respondents the counts are 0 and the estimates
// (estimateMeasures) null with status ".." (NoRespondentsStatus). Rows are
// sorted by region, view, category and measure order.
func NeedsRecord(mem memory.Allocator, period string, est map[Key]*Estimate, label func(kind, code string) string, green func(area string) string) arrow.Record {
	b := newBuilder(mem, "periode", "region", "region_label", "inndeling", "kategori", "kategori_label", "maal", ColumnGreen)
	keys := make([]Key, 0, len(est))
	for k := range est {
		keys = append(keys, k)
	}
	sortKeys(keys)
	for _, k := range keys {
		e := est[k]
		tag := ""
		if green != nil && k.View == ViewArea {
			tag = green(k.Category)
		}
		vals := []float64{float64(e.Respondents), float64(e.WithNeed), e.Share, e.ShareLow, e.ShareHigh, e.People, e.PeopleW, e.PeopleLow, e.PeopleHigh, e.RespondentsW, e.WithNeedW, e.NEff}
		for i, m := range Measures {
			status, ok := "", true
			switch {
			case e.Suppressed():
				status, ok = SuppressedStatus, false
			case e.Uncovered:
				// A grouping reaching outside the surveyed counties: no
				// estimate for it at all.
				status, ok = NoRespondentsStatus, false
			case e.Respondents == 0 && estimateMeasures[m]:
				status, ok = NoRespondentsStatus, false
			}
			b.add(vals[i], ok, status, period, k.Region, label("region", k.Region), k.View, k.Category, label(k.View, k.Category), m, tag)
		}
	}
	return b.record()
}

func sortKeys(keys []Key) {
	rank := func(s string) string {
		if s == Total {
			return "\xff"
		}
		return s
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.Region != b.Region {
			return rank(a.Region) < rank(b.Region)
		}
		if a.View != b.View {
			return rank(a.View) < rank(b.View)
		}
		return rank(a.Category) < rank(b.Category)
	})
}
