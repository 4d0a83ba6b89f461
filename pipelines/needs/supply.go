package needs

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// supplyTable is a supply or labour-market table the join uses when the
// knowledge base has it (found by its source table ID).
type supplyTable struct {
	table, measure, contents string
	// industry is the industry column (NACE2007 groups such as "41-43");
	// "" means the table has no industry, and only the area total is
	// filled.
	industry string
}

// supplyTables are the datasets joined today. Pupils, apprentices and
// students by field (Udir, DBH) and vacancies and jobseekers by occupation
// (NAV) are joined the same way once their datasets carry a field or
// occupation column mapped by the crosswalk; they are not joined yet.
var supplyTables = []supplyTable{
	{table: "13470", measure: "sysselsatte_i_matchende_naeringer", contents: "SysselsatteArb", industry: "NACE2007"},
	{table: "10540", measure: "helt_ledige", contents: "HeltLedige"},
}

// stringsOf returns the strings of a (dictionary or plain) string column.
func stringsOf(a arrow.Array) ([]string, error) {
	out := make([]string, a.Len())
	switch c := a.(type) {
	case *array.Dictionary:
		d, ok := c.Dictionary().(*array.String)
		if !ok {
			return nil, fmt.Errorf("dictionary of %s", c.Dictionary().DataType())
		}
		for i := range out {
			if c.IsValid(i) {
				out[i] = d.Value(c.GetValueIndex(i))
			}
		}
	case *array.String:
		for i := range out {
			out[i] = c.Value(i)
		}
	default:
		return nil, fmt.Errorf("column of type %s", a.DataType())
	}
	return out, nil
}

func column(rec arrow.Record, name string) (arrow.Array, bool) {
	for i, f := range rec.Schema().Fields() {
		if f.Name == name {
			return rec.Column(i), true
		}
	}
	return nil, false
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

// supplyValues reads one supply table for the latest period with values:
// value by (county on the target vintage, area or Total). ok is false when
// the knowledge base does not hold the table.
func supplyValues(st *store.Store, t supplyTable, model *regions.Model, target time.Time, cw *Crosswalk) (vals map[[2]string]float64, period, id string, ok bool, err error) {
	cat, err := st.Catalog()
	if err != nil {
		return nil, "", "", false, err
	}
	var ids []string
	for name, e := range cat.Datasets {
		if v := e.CurrentVersion(); v != nil && v.Table == t.table {
			ids = append(ids, name)
		}
	}
	if len(ids) == 0 {
		return nil, "", "", false, nil
	}
	sort.Strings(ids)
	id = ids[0]
	rec, err := st.ReadVersion(id, cat.Datasets[id].Current)
	if err != nil {
		return nil, "", "", false, err
	}
	defer rec.Release()
	get := func(name string) ([]string, error) {
		a, ok := column(rec, name)
		if !ok {
			return nil, fmt.Errorf("dataset %s has no column %s", id, name)
		}
		return stringsOf(a)
	}
	reg, err := get("Region")
	if err != nil {
		return nil, "", "", false, err
	}
	tid, err := get("Tid")
	if err != nil {
		return nil, "", "", false, err
	}
	cc, err := get("ContentsCode")
	if err != nil {
		return nil, "", "", false, err
	}
	var ind []string
	if t.industry != "" {
		if ind, err = get(t.industry); err != nil {
			return nil, "", "", false, err
		}
	}
	va, ok2 := column(rec, "value")
	fv, ok3 := va.(*array.Float64)
	if !ok2 || !ok3 {
		return nil, "", "", false, fmt.Errorf("dataset %s: no float64 value column", id)
	}
	for i := range tid {
		if cc[i] == t.contents && fv.IsValid(i) && len(reg[i]) == 2 && tid[i] > period {
			period = tid[i]
		}
	}
	if period == "" {
		return nil, "", "", false, nil
	}
	at, err := regions.DefaultPeriodDate(period)
	if err != nil {
		return nil, "", "", false, err
	}
	// Per industry group: county cells of the period, harmonised.
	type cellset struct {
		codes []string
		vals  []float64
	}
	groups := map[string]*cellset{}
	for i := range tid {
		if tid[i] != period || cc[i] != t.contents || !fv.IsValid(i) || len(reg[i]) != 2 {
			continue
		}
		g := ""
		if ind != nil {
			g = ind[i]
		}
		if groups[g] == nil {
			groups[g] = &cellset{}
		}
		groups[g].codes = append(groups[g].codes, reg[i])
		groups[g].vals = append(groups[g].vals, fv.Value(i))
	}
	vals = map[[2]string]float64{}
	for g, cs := range groups {
		valid := make([]bool, len(cs.codes))
		for i := range valid {
			valid[i] = true
		}
		codes, hv, hok, _, err := model.Harmonise(cs.codes, cs.vals, valid, at, regions.Options{Target: target, Dataset: id, Period: period})
		if err != nil {
			return nil, "", "", false, err
		}
		for i, c := range codes {
			if !hok[i] {
				continue
			}
			if t.industry == "" {
				vals[[2]string{c, Total}] += hv[i]
				continue
			}
			x, y, ok := naceRange(g)
			if !ok {
				continue
			}
			if x == 0 && y == 99 {
				vals[[2]string{c, Total}] += hv[i]
				continue
			}
			for _, a := range cw.Areas {
				if a.Overlaps(x, y) {
					vals[[2]string{c, a.ID}] += hv[i]
				}
			}
		}
	}
	return vals, period, id, true, nil
}

// SupplyRecord is DatasetSupply: for every county of the survey (and their
// total) and every competence area (and the total), the weighted people
// needed and the weighted share of firms with a need (from the
// disclosure-controlled estimates: a suppressed cell stays suppressed),
// beside employment in the industries the crosswalk links to the area
// (SSB 13470, latest year) and registered unemployment (SSB/NAV 10540,
// latest month, area total only). Regions are put on the target vintage.
// Columns: periode, region(+_label), region_level, kompetanseomrade(+_label),
// maal, kilde, kilde_periode, value, status.
func SupplyRecord(mem memory.Allocator, st *store.Store, period string, est map[Key]*Estimate, model *regions.Model, target time.Time, cw *Crosswalk, label func(kind, code string) string) (arrow.Record, store.DatasetMeta, error) {
	b := newBuilder(mem, "periode", "region", "region_label", "region_level", "kompetanseomrade", "kompetanseomrade_label", "maal", "kilde", "kilde_periode")
	var keys []Key
	counties := map[string]bool{}
	for k := range est {
		if k.View == ViewArea || (k.View == Total && k.Category == Total) {
			keys = append(keys, k)
		}
		if k.Region != Total {
			counties[k.Region] = true
		}
	}
	sortKeys(keys)
	joined := []string{"kompetansebehov"}
	synthetic := false
	type sv struct {
		t      supplyTable
		vals   map[[2]string]float64
		period string
		id     string
	}
	var sups []sv
	for _, t := range supplyTables {
		vals, p, id, ok, err := supplyValues(st, t, model, target, cw)
		if err != nil {
			return nil, store.DatasetMeta{}, fmt.Errorf("needs: needs_vs_supply: %w", err)
		}
		if !ok {
			continue
		}
		// The total of the surveyed counties.
		tot := map[string]float64{}
		for k, v := range vals {
			if counties[k[0]] {
				tot[k[1]] += v
			}
		}
		for a, v := range tot {
			vals[[2]string{Total, a}] = v
		}
		if cat, err := st.Catalog(); err == nil {
			if v := cat.Datasets[id].CurrentVersion(); v != nil && v.Synthetic {
				synthetic = true
			}
		}
		joined = append(joined, id+" ("+t.table+", "+p+")")
		sups = append(sups, sv{t, vals, p, id})
	}
	for _, k := range keys {
		e := est[k]
		area := k.Category
		lvl := "fylke"
		if k.Region == Total {
			lvl = "total"
		}
		cols := func(m, src, sp string) []string {
			return []string{period, k.Region, label("region", k.Region), lvl, area, label(ViewArea, area), m, src, sp}
		}
		status := ""
		if e.Suppressed() {
			status = SuppressedStatus
		}
		b.add(e.PeopleW, !e.Suppressed(), status, cols("behov_personer_vektet", DatasetNeeds, period)...)
		b.add(e.Share, !e.Suppressed(), status, cols("behov_andel_virksomheter", DatasetNeeds, period)...)
		for _, s := range sups {
			if s.t.industry == "" && area != Total {
				continue
			}
			v, ok := s.vals[[2]string{k.Region, area}]
			st := ""
			if !ok {
				st = regions.MissingStatus
			}
			b.add(v, ok, st, cols(s.t.measure, s.id, s.period)...)
		}
	}
	meta := store.DatasetMeta{Source: "survey", Table: "needs_vs_supply", Title: "Kartlagte behov mot tilbud og arbeidsmarked",
		Unit: "personer; andel", Updated: period, FetchedAt: time.Now().UTC(), Synthetic: synthetic,
		Keys:  []string{"periode", "region", "kompetanseomrade", "maal"},
		Extra: map[string]string{"grunnlag.joined": strings.Join(joined, "; "), "grunnlag.crosswalk": "project-defined, not official (pipelines/needs/crosswalk.csv)"}}
	return b.record(), meta, nil
}
