package offers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/brreg"
	"github.com/grunnlag/grunnlag/sources/offers"
	"github.com/grunnlag/grunnlag/sources/tabular"
)

// Dataset IDs and the code version of the step.
const (
	DatasetOffers  = "tilbud"
	DatasetMatches = "behov_tilbud"
	// CodeVersion changes whenever the rule or the tables' shape changes.
	CodeVersion = "offers-3"
	// ColumnNeedGreen and ColumnOfferGreen are behov_tilbud's green tags
	// of the need's area and of the offer.
	ColumnNeedGreen  = "behov_gronn"
	ColumnOfferGreen = "tilbud_gronn"
	// DefaultBest is how many offers are listed for each need.
	DefaultBest = 3
	// MissingStatus marks a value that is not known (SSB's "..").
	MissingStatus = ".."
)

// Lists of behov_tilbud (column liste).
const (
	ListMatched = "matchet"     // a need with at least one offer within reach
	ListUnmet   = "uten_tilbud" // a need with no offer within reach
	ListIdle    = "uten_behov"  // an offer that matches no mapped need
)

// ErrProblems is returned (wrapped) when more rows of the catalog are
// rejected than the error budget allows; nothing is published then.
var ErrProblems = errors.New("offers: the catalog has problems")

// Options are what Build needs.
type Options struct {
	File    string          // the offers file (CSV or XLSX)
	Mapping *offers.Mapping // nil: the default template
	// ErrorBudget is the number of rejected rows tolerated; -1 none.
	ErrorBudget int
	Synthetic   bool // the catalog is made up (demo)
	Best        int  // offers listed per need; 0: DefaultBest
	// Register enriches providers from the company register; nil skips.
	Register    needs.Lookup
	Model       *regions.Model
	Groups      []regions.Group
	Crosswalk   *needs.Crosswalk
	Occupations *needs.Occupations // nil: STYRK codes checked by form only
	// Registers are IDs of fetched DBH datasets of study programmes
	// whose rows are added to the catalog's offers (RegisterOffers).
	Registers []string
	// Date is the reference date of municipality codes (today).
	Date   time.Time
	Logger *slog.Logger
}

// Result is what Build did.
type Result struct {
	Rows, Accepted, Rejected int
	Problems                 []offers.Problem
	Offers                   *store.Version // tilbud; nil when nothing was published
	Matches                  *store.Version // behov_tilbud; nil without needs
	// NeedsMissing is true when the knowledge base holds no
	// needs_vs_supply: tilbud is published, behov_tilbud is not.
	NeedsMissing bool
	// Needs, Unmet, Suppressed count the needs matched, those with no offer
	// within reach and those whose persons are suppressed; Idle the offers
	// with no mapped demand.
	Needs, Unmet, Suppressed, Idle int
	// NotInRegister counts providers the register does not know.
	NotInRegister int
}

// Provider is an offer's register enrichment.
type Provider struct {
	Name  string   // the register's name ("" when not found)
	Flags []string // ukjent_i_enhetsregisteret, slettet, konkurs, under_avvikling
	// Origin is where the offer comes from: OriginCatalog ("" means it)
	// or "dbh:<table>" for a register dataset.
	Origin string
}

// Build reads and validates the catalog, enriches its providers, publishes
// tilbud and, when the knowledge base holds needs_vs_supply, matches every
// need and publishes behov_tilbud. The caller holds the lock.
func Build(ctx context.Context, st *store.Store, opt Options) (*Result, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opt.Best <= 0 {
		opt.Best = DefaultBest
	}
	if opt.Crosswalk == nil {
		return nil, fmt.Errorf("offers: no crosswalk")
	}
	ro := offers.Options{Areas: opt.Crosswalk.Known, Date: opt.Date}
	if opt.Model != nil {
		ro.Regions = needs.RegionChecker{Model: opt.Model}
	}
	if opt.Occupations != nil {
		ro.Occupations = opt.Occupations.Known
	}
	c, err := offers.ReadFile(opt.File, opt.Mapping, ro)
	if err != nil {
		return nil, err
	}
	res := &Result{Rows: c.Rows, Accepted: len(c.Offers), Rejected: len(c.Rejected), Problems: c.Problems}
	nCatalog := len(c.Offers)
	var origins, registers []string
	for _, id := range opt.Registers {
		origin, table, rows, err := readRegister(st, id)
		if err != nil {
			return res, err
		}
		os, rej, probs := RegisterOffers(id, table, rows, ro.Regions, opt.Date)
		c.Offers = append(c.Offers, os...)
		for range os {
			origins = append(origins, origin)
		}
		res.Rows += len(rows)
		res.Accepted += len(os)
		res.Rejected += len(rej)
		res.Problems = append(res.Problems, probs...)
		registers = append(registers, id)
	}
	if len(res.Problems) > 0 && (opt.ErrorBudget < 0 || res.Rejected > opt.ErrorBudget || res.Accepted == 0) {
		return res, fmt.Errorf("%w: %s: %d of %d rows rejected (error budget %s)", ErrProblems, sourcesOf(opt.File, registers), res.Rejected, res.Rows, budget(opt.ErrorBudget))
	}
	snap, err := snapshot(st, opt.File, opt.Synthetic)
	if err != nil {
		return res, err
	}
	provs := make([]Provider, len(c.Offers))
	for i := range origins {
		provs[nCatalog+i].Origin = origins[i]
	}
	if opt.Register != nil {
		for i, o := range c.Offers[:nCatalog] {
			u, err := opt.Register.Lookup(ctx, o.OrgNr)
			if errors.Is(err, brreg.ErrNotFound) {
				provs[i].Flags = append(provs[i].Flags, "ukjent_i_enhetsregisteret")
				res.NotInRegister++
				continue
			}
			if err != nil {
				return res, fmt.Errorf("offers: register: %w", err)
			}
			provs[i].Name = u.Name
			if u.Deleted {
				provs[i].Flags = append(provs[i].Flags, "slettet")
			}
			if u.Bankrupt {
				provs[i].Flags = append(provs[i].Flags, "konkurs")
			}
			if u.UnderLiquidation {
				provs[i].Flags = append(provs[i].Flags, "under_avvikling")
			}
		}
	}
	mem := memory.NewGoAllocator()
	labels := labeller{model: opt.Model}
	def, err := indicators.DefaultGreenDefinition()
	if err != nil {
		return res, err
	}
	greens := OfferGreens(c.Offers, opt.Crosswalk, def)
	rec := OffersRecord(mem, c.Offers, provs, opt.Crosswalk, labels.municipality, greens)
	defer rec.Release()
	title := "Tilbudskatalog: etter- og videreutdanning, fagskole, høyere utdanning, vgs for voksne og AMO-kurs"
	if opt.Synthetic {
		title += " (demo, syntetisk)"
	}
	meta := store.DatasetMeta{Source: "offers", Table: DatasetOffers, Title: title, Unit: "plasser; studiepoeng; uker; kroner",
		FetchedAt: time.Now().UTC(), Synthetic: opt.Synthetic, Keys: []string{"tilbud", "maal"}, Snapshots: []string{snap},
		Extra: map[string]string{"grunnlag.offers.file": filepath.Base(opt.File), needs.AttributesKey: needs.ColumnGreen + ",gronn_grunnlag"}}
	if len(registers) > 0 {
		meta.Extra["grunnlag.offers.registers"] = strings.Join(registers, ",")
	}
	if res.Offers, err = st.Publish(ctx, DatasetOffers, rec, meta); err != nil {
		return res, err
	}
	ns, period, synth, ok, err := ReadNeeds(st)
	if err != nil {
		return res, err
	}
	if !ok {
		res.NeedsMissing = true
		log.Info("offers published without matching: no needs in the knowledge base", "dataset", DatasetOffers, "rows", rec.NumRows())
		return res, nil
	}
	levels, err := ReadLevels(st)
	if err != nil {
		return res, err
	}
	geo := Geography{Groups: map[string][]string{}}
	for _, g := range opt.Groups {
		geo.Groups[g.ID] = g.Members
	}
	nms, idle := MatchAll(ns, c.Offers, geo, opt.Crosswalk, levels)
	res.Needs, res.Idle = len(nms), len(idle)
	for _, nm := range nms {
		if len(nm.Matches) == 0 {
			res.Unmet++
		}
		if nm.Need.Suppressed {
			res.Suppressed++
		}
	}
	mrec := MatchesRecord(mem, period, nms, idle, c.Offers, opt.Best, labels.municipality, greens)
	defer mrec.Release()
	mtitle := "Kompetansebehov møter tilbud: beste tilbud innen rekkevidde, kapasitet mot behov, behov uten tilbud og tilbud uten behov"
	if opt.Synthetic || synth {
		mtitle += " (demo, syntetisk)"
	}
	mmeta := store.DatasetMeta{Source: "offers", Table: DatasetMatches, Title: mtitle, Unit: "personer; plasser; poeng; andel",
		Updated: period, FetchedAt: time.Now().UTC(), Synthetic: opt.Synthetic || synth,
		Keys: []string{"periode", "region", "kompetanseomrade", "liste", "rang", "tilbud", "maal"},
		Extra: map[string]string{"jsonstat.role.geo": "region", "jsonstat.role.time": "periode", "grunnlag.offers.rule": RuleText,
			needs.AttributesKey: ColumnNeedGreen + "," + ColumnOfferGreen}}
	if res.Matches, err = st.Publish(ctx, DatasetMatches, mrec, mmeta); err != nil {
		return res, err
	}
	log.Info("offers matched", "dataset", DatasetMatches, "rows", mrec.NumRows(), "needs", res.Needs, "unmet", res.Unmet, "idle", res.Idle)
	return res, nil
}

// RuleText is the matching rule in one line, kept in behov_tilbud's
// metadata.
const RuleText = "innen rekkevidde: i regionen 3, nabokommune i samme gruppe 2, samme fylke 1, nett 1; fag: kompetanseområde eller STYRK 3, SN2007 2, NUS 1 (0 = ikke treff); nivå: fylkets etterspurte nivå 1; poeng = fag + nivå + sted"

// snapshot keeps the catalog file's bytes as a raw snapshot of source
// "offers" (content-addressed, like every fetched response) and returns
// its sha256. The file has passed the reader's size limit already.
func snapshot(st *store.Store, path string, synthetic bool) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("offers: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, tabular.DefaultMaxBytes+1))
	if err != nil {
		return "", fmt.Errorf("offers: %s: %w", path, err)
	}
	if int64(len(b)) > tabular.DefaultMaxBytes {
		return "", fmt.Errorf("offers: %s: larger than %d bytes", path, int64(tabular.DefaultMaxBytes))
	}
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if ext != "xlsx" {
		ext = "csv"
	}
	note := "offer catalog read from a local file"
	if synthetic {
		note += " (demo, syntetisk)"
	}
	sha, err := st.PutRaw("offers", store.Snapshot{Body: b, Ext: ext, Meta: store.SnapshotMeta{URL: "file:" + filepath.Base(path), Method: "READ", FetchedAt: time.Now().UTC(), Note: note}})
	if err != nil {
		return "", fmt.Errorf("offers: snapshot: %w", err)
	}
	return sha, nil
}

// sourcesOf names the catalog file and the register datasets read.
func sourcesOf(file string, registers []string) string {
	return strings.Join(append([]string{file}, registers...), ", ")
}

func budget(b int) string {
	if b < 0 {
		return "ingen"
	}
	return strconv.Itoa(b)
}

type labeller struct{ model *regions.Model }

func (l labeller) municipality(code string) string {
	if code == "" || l.model == nil {
		return ""
	}
	if r, err := l.model.Resolve(code, l.model.Latest()); err == nil {
		return r.Name
	}
	return code
}

// OfferID is the stable ID of an offer: its organisation number and the
// first 8 hex digits of the SHA-256 of title, municipality, mode and start.
// An offer without an organisation number (one from a register) has
// "register" in its place and its provider's name hashed too.
func OfferID(o offers.Offer) string {
	start := ""
	if !o.Start.IsZero() {
		start = o.Start.Format(time.DateOnly)
	}
	fields := []string{strings.ToLower(o.Title), o.Municipality, o.Mode, start}
	prefix := o.OrgNr
	if prefix == "" {
		prefix = "register"
		fields = append(fields, strings.ToLower(o.Provider))
	}
	h := sha256.Sum256([]byte(strings.Join(fields, "\x00")))
	return prefix + "-" + hex.EncodeToString(h[:4])
}

// OffersRecord is the dataset tilbud: one row per offer and measure
// (kapasitet, studiepoeng, varighet_uker, pris), a missing measure null
// with status "..". kompetanseomrade lists the crosswalk areas the offer
// serves (OfferAreas); kilde is where the offer comes from (OriginCatalog
// or a register's "dbh:<table>", Provider.Origin). The last columns gronn
// and gronn_grunnlag are the offer's green tag and how it was reached
// (greens[i], OfferGreen; "" when greens is nil).
func OffersRecord(mem memory.Allocator, os []offers.Offer, provs []Provider, cw *needs.Crosswalk, muni func(string) string, greens []Green) arrow.Record {
	b := newBuilder(mem, "tilbud", "tittel", "tilbyder", "tilbyder_register", "orgnr", "type", "niva", "nkr", "nus",
		"kompetanseomrade", "styrk", "naering", "kommune", "kommune_label", "form", "start", "lenke", "flagg", "kilde", "maal", needs.ColumnGreen, "gronn_grunnlag")
	for i, o := range os {
		start := ""
		if !o.Start.IsZero() {
			start = o.Start.Format(time.DateOnly)
		}
		var sn []string
		for _, r := range o.Industries {
			if r[0] == r[1] {
				sn = append(sn, fmt.Sprintf("%02d", r[0]))
			} else {
				sn = append(sn, fmt.Sprintf("%02d-%02d", r[0], r[1]))
			}
		}
		var p Provider
		if i < len(provs) {
			p = provs[i]
		}
		var g Green
		if i < len(greens) {
			g = greens[i]
		}
		cols := []string{OfferID(o), o.Title, o.Provider, p.Name, o.OrgNr, o.Kind, o.Level, o.NKR, o.NUS,
			strings.Join(OfferAreas(o, cw), ","), strings.Join(o.STYRK, ","), strings.Join(sn, ","), o.Municipality, muni(o.Municipality),
			o.Mode, start, o.Link, strings.Join(p.Flags, ","), origin(p)}
		cap := float64(o.Capacity)
		weeks := float64(o.Weeks)
		if o.Capacity < 0 {
			cap = math.NaN()
		}
		if o.Weeks == 0 {
			weeks = math.NaN()
		}
		for _, m := range []struct {
			name string
			v    float64
		}{{"kapasitet", cap}, {"studiepoeng", o.Credits}, {"varighet_uker", weeks}, {"pris", o.Price}} {
			addValue(b, m.v, "", append(cols, m.name, g.Tag, g.Basis)...)
		}
	}
	return b.record()
}

// origin is p's kilde: OriginCatalog when it has none.
func origin(p Provider) string {
	if p.Origin == "" {
		return OriginCatalog
	}
	return p.Origin
}

// addValue adds v, or null with status (".." when status is "") when v is
// NaN.
func addValue(b *builder, v float64, status string, cols ...string) {
	if math.IsNaN(v) {
		if status == "" {
			status = MissingStatus
		}
		b.add(0, false, status, cols...)
		return
	}
	b.add(v, true, "", cols...)
}

// MatchesRecord is the dataset behov_tilbud. For each need, a summary row
// per measure (rang and tilbud "_T"): personer (null with ":" when
// suppressed), antall_tilbud, kapasitet (sum of known capacities),
// kapasitet_ukjent, dekning (kapasitet / personer; null with ":" when
// suppressed, ".." when a capacity is unknown); liste is matchet or
// uten_tilbud. Then for each of its best offers (rang 1..best) the
// measures poeng, poeng_fag, poeng_niva, poeng_sted and kapasitet. Last,
// each offer with no mapped demand (liste uten_behov, region its
// municipality or "nett") with its kapasitet. The last columns are the
// green tags: behov_gronn, the need's area's (Need.Green, as
// needs_vs_supply carries it; "" on the rows of offers without demand),
// and tilbud_gronn, the offer's (greens, OfferGreen; "" on the summary
// rows and when greens is nil).
func MatchesRecord(mem memory.Allocator, period string, nms []NeedMatch, idle []int, os []offers.Offer, best int, muni func(string) string, greens []Green) arrow.Record {
	b := newBuilder(mem, "periode", "region", "region_label", "region_level", "kompetanseomrade", "kompetanseomrade_label",
		"liste", "rang", "tilbud", "tilbud_label", "tilbyder", "kommune", "form", "start", "rekkevidde", "maal", ColumnNeedGreen, ColumnOfferGreen)
	offerTag := func(j int) string {
		if j < len(greens) {
			return greens[j].Tag
		}
		return ""
	}
	start := func(o offers.Offer) string {
		if o.Start.IsZero() {
			return ""
		}
		return o.Start.Format(time.DateOnly)
	}
	capOf := func(o offers.Offer) float64 {
		if o.Capacity < 0 {
			return math.NaN()
		}
		return float64(o.Capacity)
	}
	for _, nm := range nms {
		n := nm.Need
		list := ListMatched
		if len(nm.Matches) == 0 {
			list = ListUnmet
		}
		head := []string{period, n.Region, n.RegionLabel, n.RegionLevel, n.Area, n.AreaLabel, list}
		sum := append(append([]string{}, head...), needs.Total, needs.Total, "", "", "", "", "", "")
		sup := ""
		if n.Suppressed {
			sup = needs.SuppressedStatus
		}
		persons := n.Persons
		if n.Suppressed {
			persons = math.NaN()
		}
		tags := func(m string, offer string) []string { return []string{m, n.Green, offer} }
		addValue(b, persons, sup, append(sum, tags("personer", "")...)...)
		b.add(float64(len(nm.Matches)), true, "", append(sum, tags("antall_tilbud", "")...)...)
		if nm.UnknownCapacity > 0 && nm.UnknownCapacity == len(nm.Matches) {
			b.add(0, false, MissingStatus, append(sum, tags("kapasitet", "")...)...)
		} else {
			b.add(float64(nm.Capacity), true, "", append(sum, tags("kapasitet", "")...)...)
		}
		b.add(float64(nm.UnknownCapacity), true, "", append(sum, tags("kapasitet_ukjent", "")...)...)
		addValue(b, nm.Coverage(), sup, append(sum, tags("dekning", "")...)...)
		for k, m := range nm.Matches {
			if k >= best {
				break
			}
			o := os[m.Offer]
			row := append(append([]string{}, head...), strconv.Itoa(k+1), OfferID(o), o.Title, o.Provider, o.Municipality, o.Mode, start(o), m.Reach)
			ot := offerTag(m.Offer)
			b.add(float64(m.Score), true, "", append(row, tags("poeng", ot)...)...)
			b.add(float64(m.Field), true, "", append(row, tags("poeng_fag", ot)...)...)
			b.add(float64(m.Level), true, "", append(row, tags("poeng_niva", ot)...)...)
			b.add(float64(m.Place), true, "", append(row, tags("poeng_sted", ot)...)...)
			addValue(b, capOf(o), "", append(row, tags("kapasitet", ot)...)...)
		}
	}
	for _, j := range idle {
		o := os[j]
		region, level := o.Municipality, LevelMunicipality
		if region == "" {
			region, level = offers.ModeOnline, ""
		}
		row := []string{period, region, muni(o.Municipality), level, needs.Total, "I alt", ListIdle, needs.Total, OfferID(o), o.Title, o.Provider, o.Municipality, o.Mode, start(o), "", "kapasitet", "", offerTag(j)}
		addValue(b, capOf(o), "", row...)
	}
	return b.record()
}

// ReadNeeds reads the needs to match from the current needs_vs_supply:
// rows of behov_personer_vektet for municipalities, groupings and
// counties, every competence area except the total and "uoppgitt". A
// suppressed cell (status ":") is a suppressed need; a cell with no
// estimate ("..") or zero persons is no need. ok is false when the
// knowledge base has no needs_vs_supply.
func ReadNeeds(st *store.Store) (ns []Need, period string, synthetic, ok bool, err error) {
	cat, err := st.Catalog()
	if err != nil {
		return nil, "", false, false, err
	}
	e := cat.Datasets[needs.DatasetSupply]
	v := e.CurrentVersion()
	if v == nil {
		return nil, "", false, false, nil
	}
	rec, err := st.ReadVersion(needs.DatasetSupply, v.Stamp)
	if err != nil {
		return nil, "", false, false, err
	}
	defer rec.Release()
	cols := map[string]func(int) string{}
	for _, name := range []string{"periode", "region", "region_label", "region_level", "kompetanseomrade", "kompetanseomrade_label", "maal", "status"} {
		c, err := store.StringColumn(rec, name)
		if err != nil {
			return nil, "", false, false, fmt.Errorf("offers: dataset %s: %w", needs.DatasetSupply, err)
		}
		cols[name] = c
	}
	// The green tag: absent in a needs_vs_supply built before it existed.
	green, gerr := store.StringColumn(rec, needs.ColumnGreen)
	if gerr != nil {
		green = func(int) string { return "" }
	}
	val, err := store.FloatColumn(rec, "value")
	if err != nil {
		return nil, "", false, false, fmt.Errorf("offers: dataset %s: %w", needs.DatasetSupply, err)
	}
	for i := 0; i < int(rec.NumRows()); i++ {
		if cols["maal"](i) != "behov_personer_vektet" {
			continue
		}
		lv, area := cols["region_level"](i), cols["kompetanseomrade"](i)
		if (lv != LevelMunicipality && lv != LevelGroup && lv != LevelCounty) || area == needs.Total || area == needs.Unmapped {
			continue
		}
		if period == "" {
			period = cols["periode"](i)
		}
		n := Need{Region: cols["region"](i), RegionLabel: cols["region_label"](i), RegionLevel: lv, Area: area, AreaLabel: cols["kompetanseomrade_label"](i), Persons: val(i), Green: green(i)}
		switch {
		case cols["status"](i) == needs.SuppressedStatus:
			n.Suppressed, n.Persons = true, math.NaN()
		case math.IsNaN(n.Persons) || n.Persons <= 0:
			continue
		}
		ns = append(ns, n)
	}
	return ns, period, v.Synthetic, true, nil
}

// ReadLevels reads, from the current kompetansebehov, the offer levels
// (SurveyLevel) each county's firms asked for: published cells of the
// utdanningsniva view with personer_vektet > 0. Suppressed cells are not
// used. No dataset gives an empty map.
func ReadLevels(st *store.Store) (map[string][]string, error) {
	out := map[string][]string{}
	cat, err := st.Catalog()
	if err != nil {
		return nil, err
	}
	v := cat.Datasets[needs.DatasetNeeds].CurrentVersion()
	if v == nil {
		return out, nil
	}
	rec, err := st.ReadVersion(needs.DatasetNeeds, v.Stamp)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	get := func(name string) (func(int) string, error) {
		c, err := store.StringColumn(rec, name)
		if err != nil {
			return nil, fmt.Errorf("offers: dataset %s: %w", needs.DatasetNeeds, err)
		}
		return c, nil
	}
	region, err := get("region")
	if err != nil {
		return nil, err
	}
	view, err := get("inndeling")
	if err != nil {
		return nil, err
	}
	cat2, err := get("kategori")
	if err != nil {
		return nil, err
	}
	maal, err := get("maal")
	if err != nil {
		return nil, err
	}
	val, err := store.FloatColumn(rec, "value")
	if err != nil {
		return nil, fmt.Errorf("offers: dataset %s: %w", needs.DatasetNeeds, err)
	}
	for i := 0; i < int(rec.NumRows()); i++ {
		r := region(i)
		if len(r) != 2 || view(i) != needs.ViewLevel || maal(i) != "personer_vektet" || !(val(i) > 0) {
			continue
		}
		l := SurveyLevel(cat2(i))
		if l != "" && !contains(out[r], l) {
			out[r] = append(out[r], l)
		}
	}
	return out, nil
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
