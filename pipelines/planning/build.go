package planning

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Dataset is the ID of the published view; CodeVersion changes whenever
// the rules or the table's shape change.
const (
	Dataset     = "tilbudsplanlegging"
	CodeVersion = "planning-1"
)

// Datasets names the input datasets of each measure (their harmonised
// layers are read). Several datasets of one measure are read as one (the
// first that has a cell wins): the applicants of each application year
// come from their own dataset.
type Datasets struct {
	Applicants, Places, Pupils, Contracts, ApprenticeApplicants, Completion []string
	Vacancies, Shortage, Employed                                           []string
}

// DefaultDatasets are the dataset IDs of the demo config (and the names a
// live config is expected to use).
func DefaultDatasets() Datasets {
	return Datasets{
		Applicants:           []string{"udir_vgo_soker", "udir_vgo_soker_fjor"},
		Places:               []string{"udir_vg1_plasser"},
		Pupils:               []string{"udir_elever_program"},
		Contracts:            []string{"udir_laerekontrakter_program"},
		ApprenticeApplicants: []string{"udir_laereplass_sokere"},
		Completion:           []string{"vgs_gjennomforing"},
		Vacancies:            []string{"nav_yrkespraksis"},
		Shortage:             []string{"nav_mangel_naering"},
		Employed:             []string{"sysselsatte_alder_naering"},
	}
}

// Options are what Build needs.
type Options struct {
	Model      *regions.Model
	Groups     []regions.Group
	Programmes []Programme // nil: the shipped crosswalk
	Datasets   *Datasets   // nil: DefaultDatasets
	Logger     *slog.Logger
	// Weights, when set, shares the split weights with the other steps
	// of a run (harmonise.Harmoniser.Shared).
	Weights *harmonise.WeightsCache
}

// Result is what Build did.
type Result struct {
	Rows, Signals int
	Missing       []string // input datasets the knowledge base does not hold
	Version       *store.Version
	// Skipped is true when no Udir programme dataset is there: nothing is
	// published.
	Skipped bool
}

// Build reads the inputs' harmonised layers, computes the rows and
// publishes tilbudsplanlegging through the store. The caller holds the
// lock.
func Build(ctx context.Context, st *store.Store, opt Options) (*Result, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opt.Model == nil {
		return nil, fmt.Errorf("planning: no region model")
	}
	ps := opt.Programmes
	if ps == nil {
		var err error
		if ps, err = DefaultProgrammes(); err != nil {
			return nil, err
		}
	}
	ds := DefaultDatasets()
	if opt.Datasets != nil {
		ds = *opt.Datasets
	}
	cat, err := st.Catalog()
	if err != nil {
		return nil, err
	}
	res := &Result{}
	annual := 0
	for _, ids := range [][]string{ds.Applicants, ds.Places, ds.Pupils, ds.Contracts, ds.ApprenticeApplicants} {
		for _, id := range ids {
			if cat.Datasets[id].CurrentVersion() != nil {
				annual++
			}
		}
	}
	if annual == 0 {
		res.Skipped = true
		log.Info("tilbudsplanlegging not built: no Udir programme dataset in the knowledge base", "dataset", Dataset)
		return res, nil
	}
	h := &harmonise.Harmoniser{Store: st, Model: opt.Model, Logger: opt.Logger, Shared: opt.Weights}
	var versions []string
	load := func(ids []string) (*Table, error) {
		var layers []*harmonise.Layer
		synth := false
		for _, id := range ids {
			v := cat.Datasets[id].CurrentVersion()
			if v == nil {
				res.Missing = append(res.Missing, id)
				continue
			}
			l, err := h.Load(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("planning: %w", err)
			}
			layers = append(layers, l)
			synth = synth || v.Synthetic
			versions = append(versions, id+"@"+v.Stamp)
		}
		if len(layers) == 0 {
			return nil, nil
		}
		return NewTable(synth, layers...), nil
	}
	var in Inputs
	for _, x := range []struct {
		into **Table
		ids  []string
	}{{&in.Applicants, ds.Applicants}, {&in.Places, ds.Places}, {&in.Pupils, ds.Pupils}, {&in.Contracts, ds.Contracts},
		{&in.ApprenticeApplicants, ds.ApprenticeApplicants}, {&in.Completion, ds.Completion}, {&in.Vacancies, ds.Vacancies},
		{&in.Shortage, ds.Shortage}, {&in.Employed, ds.Employed}} {
		t, err := load(x.ids)
		if err != nil {
			return nil, err
		}
		*x.into = t
	}
	units := Units(opt.Model, opt.Groups, time.Time{})
	if err := aliasOldCounties(opt.Model, units, in.all()...); err != nil {
		return nil, err
	}
	rows := Compute(in, ps, units)
	rec := Record(memory.NewGoAllocator(), rows)
	defer rec.Release()
	synth := false
	for _, r := range rows {
		res.Signals += len(r.Signals)
		synth = synth || r.Synthetic
	}
	res.Rows = len(rows)
	title := "Tilbudsplanlegging: søkere, plasser, elever, lærekontrakter, fullføring og arbeidskraftbehov etter fylke, gruppe og utdanningsprogram"
	if synth {
		title += " (demo, syntetisk)"
	}
	meta := store.DatasetMeta{Source: "planning", Table: Dataset, Title: title, Unit: "personer; plasser; kontrakter; prosent; forholdstall",
		FetchedAt: time.Now().UTC(), Synthetic: synth, Keys: []string{"periode", "region", "program"},
		Extra: map[string]string{"jsonstat.role.geo": "region", "jsonstat.role.time": "periode",
			"grunnlag.planning.rule": RuleText, "grunnlag.planning.inputs": strings.Join(versions, ",")}}
	if res.Version, err = st.Publish(ctx, Dataset, rec, meta); err != nil {
		return res, err
	}
	log.Info("tilbudsplanlegging published", "dataset", Dataset, "rows", res.Rows, "signals", res.Signals)
	return res, nil
}

// aliasOldCounties lets each table's published rows of a county code
// that is not valid today count for today's county with exactly the same
// municipalities (Table.Alias).
func aliasOldCounties(m *regions.Model, units []Unit, ts ...*Table) error {
	current := map[string]bool{}
	byMembers := map[string]string{}
	for _, u := range units {
		if u.Level == regions.County {
			current[u.Code] = true
			ms := slices.Clone(u.Members)
			slices.Sort(ms)
			byMembers[strings.Join(ms, ",")] = u.Code
		}
	}
	for _, t := range ts {
		for code, period := range t.oldCounties(current) {
			at, err := regions.DefaultPeriodDate(period)
			if err != nil {
				return fmt.Errorf("planning: dataset %s: %w", t.ID, err)
			}
			seen := map[string]bool{}
			for _, r := range m.Regions(regions.Municipality, at) {
				if r.Code[:2] != code {
					continue
				}
				rs, _, _, err := m.Roll(r.Code, at, regions.Options{Target: m.Latest()})
				if err != nil {
					return fmt.Errorf("planning: dataset %s: county %s: %w", t.ID, code, err)
				}
				for _, x := range rs {
					seen[x.Code] = true
				}
			}
			ms := make([]string, 0, len(seen))
			for c := range seen {
				ms = append(ms, c)
			}
			slices.Sort(ms)
			if to, ok := byMembers[strings.Join(ms, ",")]; ok && len(ms) > 0 {
				t.Alias(code, to)
			}
		}
	}
	return nil
}

// RuleText is the signal rules in one line, kept in the dataset's
// metadata (grunnlag.planning.rule).
const RuleText = "flere_sokere_enn_plasser: førsteønskesøkere > Vg1-plasser; " +
	"flere_plasser_enn_sokere: Vg1-plasser ≥ 1,10 × førsteønskesøkere; " +
	"flere_sokere_enn_laereplasser: søkere til læreplass > gjeldende lærekontrakter; " +
	"mangel_fallende_sokere: estimert mangel i programmets næringer > 0 og førsteønskesøkere ned minst 5 % fra året før"

// Units are the rows' regions: every county of the model on date d (zero:
// the model's latest vintage) with its municipalities, then every
// grouping with its members.
func Units(m *regions.Model, groups []regions.Group, d time.Time) []Unit {
	if d.IsZero() {
		d = m.Latest()
	}
	members := map[string][]string{}
	for _, r := range m.Regions(regions.Municipality, d) {
		members[r.Code[:2]] = append(members[r.Code[:2]], r.Code)
	}
	var out []Unit
	for _, r := range m.Regions(regions.County, d) {
		out = append(out, Unit{Code: r.Code, Name: r.Name, Level: regions.County, Members: members[r.Code]})
	}
	for _, g := range groups {
		out = append(out, Unit{Code: g.ID, Name: g.Name, Level: regions.Grouping, Members: g.Members})
	}
	return out
}
