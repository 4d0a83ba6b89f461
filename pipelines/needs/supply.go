package needs

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// supplyTable is a supply or labour-market dataset the join uses when the
// knowledge base has it: found by dataset ID (ids, as the config names
// the datasets, which is also how the indicator catalog reads them; the
// config says which source table each one is) or, failing that, by its
// source table as the knowledge base records it (table: a Udir report or
// NAV mapping name; the apprentices' two datasets of one report are told
// apart by their columns). A dataset qualifies only if it has the
// category column and lacks the without column (by the catalog's key
// columns). Several tables may give one measure: the first the knowledge
// base holds with a value is joined, the later ones are fallbacks.
type supplyTable struct {
	ids      []string
	table    string
	measure  string
	contents string // ContentsCode value; "" = no ContentsCode filter
	// category is the column mapped to competence areas by areas; "" means
	// the dataset has none and only the area total is filled.
	category string
	// without is a column that disqualifies a dataset (the total-only
	// apprentices table must not take the by-programme dataset, whose
	// programme columns would be summed into the total).
	without string
	// areas maps a category code to the areas it counts for; total says
	// the code is the dataset's own total (goes to the area total).
	areas func(cw *Crosswalk, code string) (areas []string, total bool)
	// sumTotal fills the area total with the sum over every category
	// (a dataset whose categories partition its total).
	sumTotal bool
}

// supplyTables are the datasets joined, in output order. The SSB series
// are named by dataset ID only: sysselsatte_naering is employment by place
// of work and industry (SSB 13470 in the demo config), arbeidsledige NAV's
// registered unemployed (SSB 10540); the config, not this list, says which
// table each is.
var supplyTables = []supplyTable{
	{ids: []string{"sysselsatte_naering"}, measure: "sysselsatte_i_matchende_naeringer", contents: "SysselsatteArb", category: "NACE2007", areas: naceAreas},
	{ids: []string{"arbeidsledige"}, measure: "helt_ledige", contents: "HeltLedige"},
	{ids: []string{"udir_elever_program"}, table: "VGO_Elev_FylkSkol", measure: "elever_vgs", category: "Utdprogram", areas: programmeAreas},
	// Apprentices: by programme when the knowledge base has the programme
	// columns, else the all-programme total (never both: one measure).
	{ids: []string{"udir_laerekontrakter_program"}, table: "FOY_LK_FylkUtdprogAar", measure: "laerekontrakter", category: "Utdprogram", areas: programmeAreas},
	{ids: []string{"udir_laerekontrakter"}, table: "FOY_LK_FylkUtdprogAar", measure: "laerekontrakter", without: "Utdprogram"},
	{ids: []string{"dbh_fagskolestudenter"}, measure: "fagskolestudenter", category: "Fagomrade", areas: fagskoleAreas},
	{ids: []string{"dbh_studenter"}, measure: "studenter_hoyere_utdanning", category: "Fagfelt", areas: nusAreas, sumTotal: true},
	{ids: []string{"nav_stillinger"}, table: "nav-stillinger", measure: "ledige_stillinger_nav", category: "Yrke", areas: styrkAreas, sumTotal: true},
	{ids: []string{"nav_yrkespraksis"}, table: "nav-yrkespraksis", measure: "arbeidssokere_nav", contents: "Sokere", category: "Yrke", areas: navGroupAreas, sumTotal: true},
	{ids: []string{"nav_yrkespraksis"}, table: "nav-yrkespraksis", measure: "utlyste_stillinger_nav", contents: "Stillinger", category: "Yrke", areas: navGroupAreas, sumTotal: true},
}

// naceAreas maps a 13470 industry group ("41-43") to the areas whose
// SN2007 divisions overlap it; "00-99" is the total.
func naceAreas(cw *Crosswalk, code string) ([]string, bool) {
	x, y, ok := naceRange(code)
	if !ok {
		return nil, false
	}
	if x == 0 && y == 99 {
		return nil, true
	}
	var out []string
	for _, a := range cw.Areas {
		if a.Overlaps(x, y) {
			out = append(out, a.ID)
		}
	}
	return out, false
}

// styrkAreas maps a STYRK-08 code of any level ("2223") to its areas
// (Crosswalk.OccupationAreas: the most specific code the crosswalk lists).
func styrkAreas(cw *Crosswalk, code string) ([]string, bool) {
	return cw.OccupationAreas(code), false
}

// fagskoleFields maps DBH's fagskole field codes (Fagområdekode) to
// competence areas. PROJECT-DEFINED, NOT OFFICIAL, like crosswalk.csv;
// a field counts for every area listed, so the measure does not add up
// over areas.
var fagskoleFields = map[string][]string{
	"HELSE": {"helse_oppvekst"},
	"TEKN":  {"teknologi_industri", "elektro", "bygg_anlegg"},
	"OKADM": {"okonomi_admin", "ledelse"},
}

func fagskoleAreas(_ *Crosswalk, code string) ([]string, bool) { return fagskoleFields[code], false }

// programmeAreas maps a Udir programme code (a column of the Utdprogram
// dimension) to the areas whose crosswalk utdanningsprogram holds it, after
// indicators.LK20Programme; "-10" (all programmes) is the total. Programmes no area
// lists (studiespesialisering ST and the other study-preparation
// programmes) count in the total only.
func programmeAreas(cw *Crosswalk, code string) ([]string, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if c == "-10" {
		return nil, true
	}
	c = indicators.LK20Programme(c)
	var out []string
	for _, a := range cw.Areas {
		for _, p := range a.Programmes {
			if strings.EqualFold(p, c) {
				out = append(out, a.ID)
				break
			}
		}
	}
	return out, false
}

// nusAreas maps a NUS2000 field to the areas whose crosswalk nus_felt
// holds it: a fagfelt code (one digit, "6" helse-, sosial- og idrettsfag),
// a faggruppe code (two digits, the first the fagfelt) or a full six-digit
// NUS code (whose first digit is the level and second the fagfelt).
// Fagfelt 1-3 and 9 are in no area and count in the total only.
func nusAreas(cw *Crosswalk, code string) ([]string, bool) {
	c := strings.TrimSpace(code)
	if strings.Trim(c, "0123456789") != "" {
		return nil, false
	}
	var f string
	switch len(c) {
	case 1, 2:
		f = c[:1]
	case 6:
		f = c[1:2]
	default:
		return nil, false
	}
	var out []string
	for _, a := range cw.Areas {
		for _, n := range a.NUS {
			if n == f {
				out = append(out, a.ID)
				break
			}
		}
	}
	return out, false
}

// navGroups maps NAV's occupation groups (yrkesgrupper, the Yrke codes of
// the nav-yrkespraksis mapping, as NAV writes them) to competence areas.
// PROJECT-DEFINED, NOT OFFICIAL, like crosswalk.csv: a group counts for
// every area listed (so a measure does not add up over areas), chosen to
// agree with the areas' STYRK-08 major groups and SN2007 divisions in
// crosswalk.csv (Undervisning and Barne- og ungdomsarbeid go with
// helse_oppvekst, which holds SN2007 85). "Akademiske yrker" and "Ingen
// yrkesbakgrunn eller uoppgitt" are too broad or unknown: they count in
// the total only, as does a group NAV may add later.
var navGroups = map[string][]string{
	"Barne- og ungdomsarbeid":      {"helse_oppvekst"},
	"Helse, pleie og omsorg":       {"helse_oppvekst"},
	"Undervisning":                 {"helse_oppvekst"},
	"Bygg og anlegg":               {"bygg_anlegg"},
	"Industriarbeid":               {"teknologi_industri"},
	"Ingeniør- og ikt-fag":         {"ikt", "elektro"},
	"Butikk- og salgsarbeid":       {"salg_service"},
	"Reiseliv og transport":        {"salg_service", "restaurant_mat", "teknologi_industri"},
	"Serviceyrker og annet arbeid": {"salg_service", "frisor_interior"},
	"Jordbruk, skogbruk og fiske":  {"naturbruk"},
	"Kontorarbeid":                 {"okonomi_admin"},
	"Meglere og konsulenter":       {"okonomi_admin"},
	"Ledere":                       {"ledelse"},
}

// navGroupAreas maps a NAV occupation group to its areas (navGroups); an
// unknown group counts in the total only.
func navGroupAreas(_ *Crosswalk, code string) ([]string, bool) {
	return navGroups[strings.TrimSpace(code)], false
}

// naceRange parses a 13470 industry group ("41-43", "84", "00-99").
func naceRange(s string) (int, int, bool) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		b = a
	}
	x, e1 := strconv.Atoi(a)
	y, e2 := strconv.Atoi(b)
	return x, y, e1 == nil && e2 == nil
}

// findSupply returns the dataset ID of a supply table in the catalog
// ("" when the knowledge base does not hold it). A version without key
// columns in the catalog is not checked for its columns.
func findSupply(cat *store.Catalog, t supplyTable) string {
	fits := func(v *store.Version) bool {
		if v == nil {
			return false
		}
		if t.category != "" && len(v.Keys) > 0 && !slices.Contains(v.Keys, t.category) {
			return false
		}
		return t.without == "" || !slices.Contains(v.Keys, t.without)
	}
	for _, id := range t.ids {
		if e, ok := cat.Datasets[id]; ok && fits(e.CurrentVersion()) {
			return id
		}
	}
	if t.table == "" {
		return ""
	}
	var ids []string
	for name, e := range cat.Datasets {
		if v := e.CurrentVersion(); v != nil && v.Table == t.table && fits(v) {
			ids = append(ids, name)
		}
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// supplyValues reads one supply table's harmonised layer for its latest
// period with values: value by (region on the target vintage, area or
// Total). Municipality cells are the layer's (on the target vintage); a
// county's is its published row where the code is a county both on the
// period's date and on the target vintage, and otherwise, as for a county
// without a row, the sum of its municipalities when every one of them has
// a value. A cell with a status and no value (Udir "*", SSB "..") makes
// every area it maps to (and the total, for a total category) missing in
// its region, never a partial sum; a category without a row, a cell with
// neither value nor status (a combination a long source file has no row
// for) and a code not valid in the period are not missing cells. A sum over
// categories (sumTotal) is left out for a region with any cell without a
// value. ok is false when the knowledge base does not hold the table or it
// has no value.
func supplyValues(st *store.Store, t supplyTable, model *regions.Model, target time.Time, cw *Crosswalk) (vals map[[2]string]float64, period, id string, ok bool, err error) {
	cat, err := st.Catalog()
	if err != nil {
		return nil, "", "", false, err
	}
	if id = findSupply(cat, t); id == "" {
		return nil, "", "", false, nil
	}
	// The needs step runs after the harmonise step, so Load reads the
	// stored layer; it harmonises only a dataset whose layer is stale.
	l, err := (&harmonise.Harmoniser{Store: st, Model: model, Target: target}).Load(context.Background(), id)
	if err != nil {
		return nil, "", "", false, err
	}
	cells, err := layerCells(l, t)
	if err != nil {
		return nil, "", "", false, err
	}
	for _, c := range cells {
		if c.Valid && c.Period > period {
			period = c.Period
		}
	}
	if period == "" {
		return nil, "", "", false, nil
	}
	at, err := regions.DefaultPeriodDate(period)
	if err != nil {
		return nil, "", "", false, err
	}
	sv := categoryValues(cells, period, at, model, target)
	sv.countySums(model, target)
	vals = sv.areaValues(t, cw)
	if len(vals) == 0 {
		return nil, "", "", false, nil
	}
	return vals, period, id, true, nil
}

// layerCell is a cell of a supply table's harmonised layer: a
// municipality on the target vintage or a published county row.
type layerCell struct {
	harmonise.Cell
	category string // the category column's code; "" without one
	muni     bool
}

// layerCells returns the municipality and county cells of l with the
// table's ContentsCode (if any), with their category code.
func layerCells(l *harmonise.Layer, t supplyTable) ([]layerCell, error) {
	dim := func(name string) (int, error) {
		for i, d := range l.Dims {
			if d == name {
				return i, nil
			}
		}
		return -1, fmt.Errorf("dataset %s: no column %q", l.Dataset, name)
	}
	cc, cat := -1, -1
	var err error
	if t.contents != "" {
		if cc, err = dim("ContentsCode"); err != nil {
			return nil, err
		}
	}
	if t.category != "" {
		if cat, err = dim(t.category); err != nil {
			return nil, err
		}
	}
	var out []layerCell
	add := func(c harmonise.Cell, muni bool) {
		if cc >= 0 && c.Key[cc] != t.contents {
			return
		}
		sc := layerCell{Cell: c, muni: muni}
		if cat >= 0 {
			sc.category = c.Key[cat]
		}
		out = append(out, sc)
	}
	for _, c := range l.Cells {
		add(c, true)
	}
	for _, c := range l.Published {
		if c.Level == regions.County {
			add(c, false)
		}
	}
	return out, nil
}

// supplyByCategory is a supply table's period by category: values and
// missing cells by region on the target vintage.
type supplyByCategory struct {
	cats  []string                      // sorted
	byCat map[string]map[string]float64 // category → region → value
	// missing: category → regions (target vintage) whose cell is missing
	// (a source status, or a missing part of a merged region).
	missing map[string]map[string]bool
	// incomplete: regions with a missing category in the period, whose
	// sum over categories is no total.
	incomplete map[string]bool
}

// categoryValues sorts the cells of period by category. A county row
// counts only where its code is a county on the period's date (at) and on
// the target vintage; a cell without a value and without a status is
// absent, not missing.
func categoryValues(cells []layerCell, period string, at time.Time, model *regions.Model, target time.Time) *supplyByCategory {
	sv := &supplyByCategory{byCat: map[string]map[string]float64{}, missing: map[string]map[string]bool{}, incomplete: map[string]bool{}}
	for _, c := range cells {
		if c.Period != period {
			continue
		}
		r := c.Region
		if !c.muni {
			if _, err := model.Resolve(r, target); err != nil || !model.Known(r, at) {
				continue // a county of another vintage: summed from its municipalities
			}
		}
		if !c.Valid {
			sv.incomplete[r] = true
			if c.muni {
				sv.incomplete[r[:2]] = true // a county summed from it
			}
			if c.Status == "" {
				continue // absent
			}
		}
		g := c.category
		if sv.byCat[g] == nil {
			sv.byCat[g] = map[string]float64{}
			sv.missing[g] = map[string]bool{}
			sv.cats = append(sv.cats, g)
		}
		if c.Valid {
			sv.byCat[g][r] = c.Value
		} else {
			sv.missing[g][r] = true
		}
	}
	sort.Strings(sv.cats)
	return sv
}

// countySums gives a county without a row the sum of its municipalities,
// when all of them have a value; it is missing when one of them is.
func (sv *supplyByCategory) countySums(model *regions.Model, target time.Time) {
	munis := map[string][]string{}
	for _, m := range model.Regions(regions.Municipality, target) {
		munis[m.Code[:2]] = append(munis[m.Code[:2]], m.Code)
	}
	for _, g := range sv.cats {
		rv := sv.byCat[g]
		for county, ms := range munis {
			if _, has := rv[county]; has || sv.missing[g][county] {
				continue
			}
			sum, all := 0.0, true
			for _, m := range ms {
				v, ok := rv[m]
				all = all && ok
				sum += v
				if sv.missing[g][m] {
					sv.missing[g][county] = true
				}
			}
			if all {
				rv[county] = sum
			}
		}
	}
}

// areaValues maps the categories to the table's areas: value by (region,
// area or Total), without any (region, area) fed by a missing cell (a sum
// over categories without one of them is no value).
func (sv *supplyByCategory) areaValues(t supplyTable, cw *Crosswalk) map[[2]string]float64 {
	vals := map[[2]string]float64{}
	gap := map[[2]string]bool{}
	for _, g := range sv.cats {
		var areas []string
		total := false
		if t.category != "" {
			areas, total = t.areas(cw, g)
		} else {
			total = true
		}
		for c, v := range sv.byCat[g] {
			if total || (t.sumTotal && !sv.incomplete[c]) {
				vals[[2]string{c, Total}] += v
			}
			for _, a := range areas {
				vals[[2]string{c, a}] += v
			}
		}
		for c := range sv.missing[g] {
			if total {
				gap[[2]string{c, Total}] = true
			}
			for _, a := range areas {
				gap[[2]string{c, a}] = true
			}
		}
	}
	for k := range gap {
		delete(vals, k)
	}
	return vals
}

// supplyRow is one region of DatasetSupply.
type supplyRow struct {
	code, level string
	members     []string // municipalities of a grouping
}

// SupplyRecord is DatasetSupply. Regions: every municipality of the
// surveyed counties, the counties, their total ("_T") and every grouping
// whose members all lie in surveyed counties; areas: every competence area
// and the total. Beside the weighted people needed and the weighted share
// of firms with a need (from the disclosure-controlled estimates: a
// suppressed cell stays suppressed; a grouping is the sum of its
// municipalities and is published only when none of them is suppressed,
// so it tells nothing the municipality rows do not), each supply table of
// supplyTables the knowledge base holds is joined on the same region and
// area, put on the target vintage; one table per measure (maal): the first
// with a value, the later ones are fallbacks. Columns: periode, region(+_label),
// region_level (kommune, fylke, gruppe, total), kompetanseomrade(+_label),
// maal, kilde, kilde_periode, gronn (the area's green tag, ja or nei, ""
// for the total and uoppgitt: Crosswalk.GreenTag; an attribute, not a
// dimension), value, status.
func SupplyRecord(mem memory.Allocator, st *store.Store, period string, est map[Key]*Estimate, model *regions.Model, target time.Time, cw *Crosswalk, groups []regions.Group, label func(kind, code string) string) (arrow.Record, store.DatasetMeta, error) {
	b := newBuilder(mem, "periode", "region", "region_label", "region_level", "kompetanseomrade", "kompetanseomrade_label", "maal", "kilde", "kilde_periode", ColumnGreen)
	rows, counties, areas := supplyRegions(est, cw, groups)
	sups, joined, synthetic, err := joinSupply(st, model, target, cw, rows, counties, areas)
	if err != nil {
		return nil, store.DatasetMeta{}, fmt.Errorf("needs: needs_vs_supply: %w", err)
	}
	groupName := map[string]string{}
	for _, g := range groups {
		groupName[g.ID] = g.Name
	}
	for _, r := range rows {
		rl := label("region", r.code)
		if r.level == "gruppe" {
			rl = groupName[r.code]
		}
		for _, area := range areas {
			cols := func(m, src, sp string) []string {
				return []string{period, r.code, rl, r.level, area, label(ViewArea, area), m, src, sp, cw.GreenTag(area)}
			}
			addNeeds(b, est, r, area, period, cols)
			for _, s := range sups {
				if s.t.category == "" && area != Total {
					continue
				}
				v, ok := s.vals[[2]string{r.code, area}]
				st := ""
				if !ok {
					st = regions.MissingStatus
				}
				b.add(v, ok, st, cols(s.t.measure, s.id, s.period)...)
			}
		}
	}
	meta := store.DatasetMeta{Source: "survey", Table: "needs_vs_supply", Title: "Kartlagte behov mot tilbud og arbeidsmarked",
		Unit: "personer; andel", Updated: period, FetchedAt: time.Now().UTC(), Synthetic: synthetic,
		Keys: []string{"periode", "region", "kompetanseomrade", "maal"},
		Extra: map[string]string{"jsonstat.role.geo": "region", "jsonstat.role.time": "periode", "grunnlag.joined": strings.Join(joined, "; "), "grunnlag.crosswalk": crosswalkNote,
			AttributesKey: ColumnGreen}}
	return b.record(), meta, nil
}

// supplyRegions returns the rows of DatasetSupply (the estimates' regions
// in key order, then every grouping whose members all have estimates), the
// surveyed counties and the areas (Total first).
func supplyRegions(est map[Key]*Estimate, cw *Crosswalk, groups []regions.Group) (rows []supplyRow, counties map[string]bool, areas []string) {
	counties = map[string]bool{}
	regs := map[string]bool{}
	isGroup := map[string]bool{}
	for _, g := range groups {
		isGroup[g.ID] = true
	}
	for k := range est {
		if isGroup[k.Region] {
			continue // a grouping's own estimates: its row below
		}
		regs[k.Region] = true
		if len(k.Region) == 2 && k.Region != Total {
			counties[k.Region] = true
		}
		if k.Region == Total && k.View == ViewArea {
			areas = append(areas, k.Category)
		}
	}
	areas = orderedCats(append(cwIDs(cw), Unmapped), toSet(areas))
	areas = append([]string{Total}, areas...)
	var codes []string
	for r := range regs {
		codes = append(codes, r)
	}
	keys := make([]Key, len(codes))
	for i, c := range codes {
		keys[i] = Key{Region: c}
	}
	sortKeys(keys)
	for _, k := range keys {
		lvl := "fylke"
		switch {
		case k.Region == Total:
			lvl = "total"
		case len(k.Region) == 4:
			lvl = "kommune"
		}
		rows = append(rows, supplyRow{code: k.Region, level: lvl})
	}
	for _, g := range groups {
		ok := len(g.Members) > 0
		for _, m := range g.Members {
			ok = ok && regs[m]
		}
		if _, own := est[Key{g.ID, Total, Total}]; ok || own {
			rows = append(rows, supplyRow{code: g.ID, level: "gruppe", members: g.Members})
		}
	}
	return rows, counties, areas
}

// joinedSupply is one supply table joined: its values by (region, area)
// with the total and groupings summed, its period and dataset.
type joinedSupply struct {
	t      supplyTable
	vals   map[[2]string]float64
	period string
	id     string
}

// joinSupply reads every supply table the knowledge base holds, one per
// measure (the first with a value), and sums the total of the surveyed
// counties and the groupings of rows (when every part has a value).
// joined lists the datasets for the metadata; synthetic says one of them is.
func joinSupply(st *store.Store, model *regions.Model, target time.Time, cw *Crosswalk, rows []supplyRow, counties map[string]bool, areas []string) (sups []joinedSupply, joined []string, synthetic bool, err error) {
	joined = []string{"kompetansebehov"}
	cat, err := st.Catalog()
	if err != nil {
		return nil, nil, false, err
	}
	measured := map[string]bool{} // a later table of a joined measure is a fallback
	for _, t := range supplyTables {
		if measured[t.measure] {
			continue
		}
		vals, p, id, ok, err := supplyValues(st, t, model, target, cw)
		if err != nil {
			return nil, nil, false, err
		}
		if !ok {
			continue
		}
		// The total of the surveyed counties and the groupings: sums, when
		// every part has a value.
		sumOf := func(parts []string, a string) (float64, bool) {
			s := 0.0
			for _, c := range parts {
				v, ok := vals[[2]string{c, a}]
				if !ok {
					return 0, false
				}
				s += v
			}
			return s, len(parts) > 0
		}
		var cl []string
		for c := range counties {
			cl = append(cl, c)
		}
		for _, a := range areas {
			if v, ok := sumOf(cl, a); ok {
				vals[[2]string{Total, a}] = v
			}
			for _, r := range rows {
				if r.level == "gruppe" {
					if v, ok := sumOf(r.members, a); ok {
						vals[[2]string{r.code, a}] = v
					}
				}
			}
		}
		if v := cat.Datasets[id].CurrentVersion(); v != nil && v.Synthetic {
			synthetic = true
		}
		measured[t.measure] = true
		joined = append(joined, id+" ("+p+")")
		sups = append(sups, joinedSupply{t, vals, p, id})
	}
	return sups, joined, synthetic, nil
}

// addNeeds adds the weighted people needed and the weighted share of firms
// with a need of one region and area (from the disclosure-controlled
// estimates: a grouping's own estimate where the table has one, else the
// sum of its municipalities, suppressed when one of them is); nothing when
// the region has no estimate.
func addNeeds(b *builder, est map[Key]*Estimate, r supplyRow, area, period string, cols func(m, src, sp string) []string) {
	var people, share float64
	suppressed, present := false, true
	// respondents: responding firms in the region's domain; for a
	// grouping the fewest of any member, so that a grouping with a
	// member where no firm answered has no estimate either, as
	// pipelines/build's sum of the members' published values.
	respondents := 0
	if e, own := est[needKey(r.code, area)]; own && r.level == "gruppe" {
		// The grouping's own disclosure-controlled estimate.
		suppressed, people, share, respondents = e.Suppressed(), e.PeopleW, e.Share, e.Respondents
		if e.Uncovered {
			respondents = 0
		}
	} else if r.level == "gruppe" {
		respondents = math.MaxInt
		var need, resp float64
		for _, m := range r.members {
			e := est[needKey(m, area)]
			if e == nil {
				present = false
				break
			}
			suppressed = suppressed || e.Suppressed()
			people += e.PeopleW
			need += e.WithNeedW
			resp += e.RespondentsW
			respondents = min(respondents, e.Respondents)
		}
		if resp > 0 {
			share = need / resp
		}
	} else {
		e := est[needKey(r.code, area)]
		if e == nil {
			present = false
		} else {
			suppressed, people, share, respondents = e.Suppressed(), e.PeopleW, e.Share, e.Respondents
		}
	}
	if present {
		// A region where no firm answered has no estimate (".."),
		// not an estimate of zero; suppression (":") wins.
		status, ok := "", true
		switch {
		case suppressed:
			status, ok = SuppressedStatus, false
		case respondents == 0:
			status, ok = NoRespondentsStatus, false
		}
		b.add(people, ok, status, cols("behov_personer_vektet", DatasetNeeds, period)...)
		b.add(share, ok, status, cols("behov_andel_virksomheter", DatasetNeeds, period)...)
	}
}

// crosswalkNote is needs_vs_supply's grunnlag.crosswalk metadata: every
// mapping from a classification to the areas is the project's own.
const crosswalkNote = "project-defined, not official (pipelines/needs/crosswalk.csv: SN2007 divisions, STYRK-08 codes, " +
	"LK20 programmes, NUS fields; fagskoleFields; navGroups; indicators.LK20Programme HS->HO, TP->TIF)"

// needKey is the estimate of an area (or the total) in a region.
func needKey(region, area string) Key {
	if area == Total {
		return Key{region, Total, Total}
	}
	return Key{region, ViewArea, area}
}

func cwIDs(cw *Crosswalk) []string {
	var out []string
	for _, a := range cw.Areas {
		out = append(out, a.ID)
	}
	return out
}

func toSet(s []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	return m
}

// SupplyDatasets returns the IDs of the datasets the needs_vs_supply join
// may read from the knowledge base cat describes: for every supply table,
// the dataset findSupply picks, sorted, without duplicates. A fallback
// table's dataset is included although it is read only when the tables
// before it give no value: which of them gives a value is known only by
// reading them. The needs step keys its reuse on these datasets' versions.
func SupplyDatasets(cat *store.Catalog) []string {
	var ids []string
	for _, t := range supplyTables {
		if id := findSupply(cat, t); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}
