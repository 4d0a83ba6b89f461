package publish

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/charts/export"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/offers"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// The planners' view of needs and offers: the book's "Behov og tilbud"
// pages (book.Planning) and the workbook planlegging.xlsx, both from the
// datasets behov_tilbud and tilbud (pipelines/offers) and, when the
// catalog has it, tilbudsplanlegging.

// PlanningDataset is the dataset ID of the planning table (one row per
// county or grouping × upper-secondary programme × period), shown
// generically on the book's planning pages and in the workbook when the
// catalog has it.
const PlanningDataset = "tilbudsplanlegging"

// PlanningWorkbook is the file name of the planners' workbook in
// <kb>/exports.
const PlanningWorkbook = "planlegging.xlsx"

// Sheet names of the planners' workbook, in order.
const (
	SheetMatches  = "Behov og tilbud"
	SheetUnmet    = "Behov uten tilbud"
	SheetIdle     = "Tilbud uten behov"
	SheetOffers   = "Tilbud"
	SheetPlanning = "Tilbudsplanlegging"
)

// planningData is what the planning pages and the workbook are made of:
// the current versions of behov_tilbud, tilbud and tilbudsplanlegging (nil
// when the catalog has none). Release releases the records.
type planningData struct {
	matches, offers, plan    arrow.Record
	matchesV, offersV, planV *store.Version
	found                    bool // any of the three
}

func (pd *planningData) Release() {
	for _, r := range []arrow.Record{pd.matches, pd.offers, pd.plan} {
		if r != nil {
			r.Release()
		}
	}
}

// readPlanning reads the current versions of the three datasets.
func (p *Publisher) readPlanning() (*planningData, error) {
	cat, err := p.Store.Catalog()
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	pd := &planningData{}
	for _, ds := range []struct {
		id  string
		rec *arrow.Record
		v   **store.Version
	}{{offers.DatasetMatches, &pd.matches, &pd.matchesV}, {offers.DatasetOffers, &pd.offers, &pd.offersV}, {PlanningDataset, &pd.plan, &pd.planV}} {
		v := cat.Datasets[ds.id].CurrentVersion()
		if v == nil {
			continue
		}
		rec, err := p.Store.ReadVersion(ds.id, v.Stamp)
		if err != nil {
			pd.Release()
			return nil, fmt.Errorf("publish: %s: %w", ds.id, err)
		}
		*ds.rec, *ds.v = rec, v
		pd.found = true
	}
	return pd, nil
}

// matchColumns are the columns of behov_tilbud read by the planning pages
// and the wide sheets.
var matchColumns = []string{"periode", "region", "region_label", "region_level", "kompetanseomrade", "kompetanseomrade_label",
	"liste", "rang", "tilbud", "tilbud_label", "tilbyder", "kommune", "form", "start", "rekkevidde", "maal", "status"}

// matchTable is behov_tilbud read for the planning pages: string accessors
// by column and the value (NaN when null).
type matchTable struct {
	n     int
	col   map[string]func(int) string
	value func(int) float64
}

func readMatchTable(rec arrow.Record) (*matchTable, error) {
	t := &matchTable{n: int(rec.NumRows()), col: map[string]func(int) string{}}
	for _, c := range matchColumns {
		f, err := store.StringColumn(rec, c)
		if err != nil {
			return nil, fmt.Errorf("publish: %s: %w", offers.DatasetMatches, err)
		}
		t.col[c] = f
	}
	v, err := store.FloatColumn(rec, "value")
	if err != nil {
		return nil, fmt.Errorf("publish: %s: %w", offers.DatasetMatches, err)
	}
	t.value = v
	return t, nil
}

// offerPlaces maps an offer ID of tilbud to its municipality's name.
func offerPlaces(rec arrow.Record) map[string]string {
	out := map[string]string{}
	if rec == nil {
		return out
	}
	id, err1 := store.StringColumn(rec, "tilbud")
	name, err2 := store.StringColumn(rec, "kommune_label")
	if err1 != nil || err2 != nil {
		return out
	}
	for i := range int(rec.NumRows()) {
		if n := name(i); n != "" {
			out[id(i)] = n
		}
	}
	return out
}

// Planning reads behov_tilbud, tilbud and tilbudsplanlegging into the
// book's "Behov og tilbud" input; nil when the catalog has none of them.
func (p *Publisher) Planning() (*book.Planning, error) {
	pd, err := p.readPlanning()
	if err != nil {
		return nil, err
	}
	defer pd.Release()
	if !pd.found {
		return nil, nil
	}
	return planningInput(pd)
}

func planningInput(pd *planningData) (*book.Planning, error) {
	pl := &book.Planning{}
	places := offerPlaces(pd.offers)
	if pd.offersV != nil {
		pl.Synthetic = pd.offersV.Synthetic
	}
	if pd.matches != nil {
		pl.Synthetic = pl.Synthetic || pd.matchesV.Synthetic
		pl.Rule = store.SchemaValue(pd.matches.Schema(), "grunnlag.offers.rule")
		t, err := readMatchTable(pd.matches)
		if err != nil {
			return nil, err
		}
		byKey := map[string]int{} // region + area → index in pl.Needs
		for i := range t.n {
			c := func(name string) string { return t.col[name](i) }
			if pl.Period == "" {
				pl.Period = c("periode")
			}
			switch c("liste") {
			case offers.ListIdle:
				pl.Idle = append(pl.Idle, book.PlanOffer{ID: c("tilbud"), Title: c("tilbud_label"), Provider: c("tilbyder"),
					Municipality: c("kommune"), MunicipalityName: places[c("tilbud")], Mode: c("form"), Start: c("start"),
					Points: math.NaN(), Capacity: t.value(i)})
				continue
			case offers.ListMatched, offers.ListUnmet:
			default:
				continue
			}
			key := c("region") + "\x1f" + c("kompetanseomrade")
			k, ok := byKey[key]
			if !ok {
				k = len(pl.Needs)
				byKey[key] = k
				pl.Needs = append(pl.Needs, book.PlanNeed{Region: c("region"), RegionLabel: c("region_label"), RegionLevel: c("region_level"),
					Area: c("kompetanseomrade"), AreaLabel: c("kompetanseomrade_label"), Persons: math.NaN(), Capacity: math.NaN(), Coverage: math.NaN()})
			}
			n := &pl.Needs[k]
			v := t.value(i)
			if c("rang") == needs.Total {
				switch c("maal") {
				case "personer":
					n.Persons = v
					n.Suppressed = c("status") == needs.SuppressedStatus
					if n.Suppressed {
						n.Persons = math.NaN() // never shown, whatever the table holds
					}
				case "antall_tilbud":
					if !math.IsNaN(v) {
						n.Matches = int(v)
					}
				case "kapasitet":
					n.Capacity = v
				case "dekning":
					n.Coverage = v
				}
				continue
			}
			rank, err := strconv.Atoi(c("rang"))
			if err != nil || rank < 1 {
				return nil, fmt.Errorf("publish: %s: row %d, column rang: %q is not a rank", offers.DatasetMatches, i+1, c("rang"))
			}
			j := -1
			for x := range n.Offers {
				if n.Offers[x].Rank == rank {
					j = x
				}
			}
			if j < 0 {
				n.Offers = append(n.Offers, book.PlanOffer{Rank: rank, ID: c("tilbud"), Title: c("tilbud_label"), Provider: c("tilbyder"),
					Municipality: c("kommune"), MunicipalityName: places[c("tilbud")], Mode: c("form"), Start: c("start"), Reach: c("rekkevidde"),
					Points: math.NaN(), Capacity: math.NaN()})
				j = len(n.Offers) - 1
			}
			switch c("maal") {
			case "poeng":
				n.Offers[j].Points = v
			case "kapasitet":
				n.Offers[j].Capacity = v
			}
		}
		for k := range pl.Needs {
			n := &pl.Needs[k]
			if n.Suppressed {
				n.Coverage = math.NaN()
			}
			sortOffers(n.Offers)
		}
	}
	if pd.plan != nil {
		s, err := genericSheet(SheetPlanning, pd.plan)
		if err != nil {
			return nil, err
		}
		tb := &book.PlanTable{Title: pd.planV.Title, RegionColumn: -1, Rows: s.Rows, Synthetic: pd.planV.Synthetic}
		if tb.Title == "" {
			tb.Title = SheetPlanning
		}
		// The region column: the geo role of the table's metadata (as
		// JSON-stat names it), else "region".
		geo := store.SchemaValue(pd.plan.Schema(), "jsonstat.role.geo")
		if geo == "" {
			geo = "region"
		}
		for i, c := range s.Columns {
			tb.Header = append(tb.Header, c.Name)
			tb.Decimals = append(tb.Decimals, c.Decimals)
			if tb.RegionColumn < 0 && pd.plan.Schema().Field(i).Name == geo {
				tb.RegionColumn = i
			}
		}
		pl.Table = tb
	}
	return pl, nil
}

func sortOffers(os []book.PlanOffer) {
	for i := 1; i < len(os); i++ {
		for j := i; j > 0 && os[j].Rank < os[j-1].Rank; j-- {
			os[j], os[j-1] = os[j-1], os[j]
		}
	}
}

// FieldLabel is the header of a column in the generic tables: the field's
// metadata "label" when it has one, else its name.
func FieldLabel(f arrow.Field) string {
	if i := f.Metadata.FindKey("label"); i >= 0 && f.Metadata.Values()[i] != "" {
		return f.Metadata.Values()[i]
	}
	return f.Name
}

// genericSheet is RecordSheet with headers from FieldLabel and, in each
// row, a missing value shown as its status: a null "value" cell of a row
// whose "status" is ":" (suppressed) or ".." holds that symbol, so a
// suppressed cell stays ":" and is never an empty or zero number.
func genericSheet(name string, rec arrow.Record) (export.Sheet, error) {
	s, err := RecordSheet(name, rec)
	if err != nil {
		return s, err
	}
	sc := rec.Schema()
	vi, si := sc.FieldIndices("value"), sc.FieldIndices("status")
	if len(vi) == 1 && len(si) == 1 {
		for _, row := range s.Rows {
			if st, ok := row[si[0]].(string); ok && st != "" && row[vi[0]] == nil {
				row[vi[0]] = st
			}
		}
	}
	for i := range s.Columns {
		s.Columns[i].Name = FieldLabel(sc.Field(i))
	}
	return s, nil
}

// PlanningSheets returns the sheets of the planners' workbook, in order:
// SheetMatches (behov_tilbud as it is, long), SheetUnmet (one row per need
// without an offer), SheetIdle (one row per offer without demand),
// SheetOffers (the catalog, tilbud) and SheetPlanning (tilbudsplanlegging,
// generic; a note when the dataset is not there). Each ends in the columns
// syntetisk and beregnet as the other sheets do. It returns no sheets when
// the catalog has neither behov_tilbud nor tilbud.
func (p *Publisher) PlanningSheets() ([]export.Sheet, error) {
	pd, err := p.readPlanning()
	if err != nil {
		return nil, err
	}
	defer pd.Release()
	if pd.matches == nil && pd.offers == nil {
		return nil, nil
	}
	return planningSheets(pd)
}

func planningSheets(pd *planningData) ([]export.Sheet, error) {
	note := func(name, text string) export.Sheet {
		return export.Sheet{Name: name, Columns: []export.Column{{Name: "merknad", Kind: export.Text, Width: 90}}, Rows: [][]any{{text}}}
	}
	var sheets []export.Sheet
	if pd.matches == nil {
		for _, n := range []string{SheetMatches, SheetUnmet, SheetIdle} {
			sheets = append(sheets, note(n, "Kunnskapsbasen har ingen kobling av behov og tilbud (behov_tilbud): den lages når kartlagte behov (needs_vs_supply) finnes."))
		}
	} else {
		synth := pd.matchesV.Synthetic
		all, err := genericSheet(SheetMatches, pd.matches)
		if err != nil {
			return nil, err
		}
		// The matching is grunnlag's own computation.
		addFlagColumns(&all, synth, true)
		t, err := readMatchTable(pd.matches)
		if err != nil {
			return nil, err
		}
		unmet := export.Sheet{Name: SheetUnmet, Columns: []export.Column{
			{Name: "periode", Kind: export.Text}, {Name: "region", Kind: export.Text}, {Name: "region_label", Kind: export.Text, Width: 24},
			{Name: "region_level", Kind: export.Text}, {Name: "kompetanseomrade", Kind: export.Text, Width: 20},
			{Name: "kompetanseomrade_label", Kind: export.Text, Width: 36}, {Name: "personer", Kind: export.Number, Decimals: 0},
			{Name: "status", Kind: export.Text}}}
		idle := export.Sheet{Name: SheetIdle, Columns: []export.Column{
			{Name: "periode", Kind: export.Text}, {Name: "region", Kind: export.Text}, {Name: "region_label", Kind: export.Text, Width: 24},
			{Name: "tilbud", Kind: export.Text, Width: 20}, {Name: "tilbud_label", Kind: export.Text, Width: 36},
			{Name: "tilbyder", Kind: export.Text, Width: 36}, {Name: "kommune", Kind: export.Text}, {Name: "form", Kind: export.Text},
			{Name: "start", Kind: export.Text}, {Name: "kapasitet", Kind: export.Number, Decimals: 0}, {Name: "status", Kind: export.Text}}}
		cell := func(i int) any {
			v := t.value(i)
			if st := t.col["status"](i); math.IsNaN(v) {
				if st == "" {
					return nil
				}
				return st
			}
			return v
		}
		status := func(i int) any {
			if st := t.col["status"](i); st != "" {
				return st
			}
			return nil
		}
		for i := range t.n {
			c := func(name string) string { return t.col[name](i) }
			switch {
			case c("liste") == offers.ListUnmet && c("rang") == needs.Total && c("maal") == "personer":
				unmet.Rows = append(unmet.Rows, []any{c("periode"), c("region"), c("region_label"), c("region_level"),
					c("kompetanseomrade"), c("kompetanseomrade_label"), cell(i), status(i)})
			case c("liste") == offers.ListIdle && c("maal") == "kapasitet":
				idle.Rows = append(idle.Rows, []any{c("periode"), c("region"), c("region_label"), c("tilbud"), c("tilbud_label"),
					c("tilbyder"), c("kommune"), c("form"), c("start"), cell(i), status(i)})
			}
		}
		addFlagColumns(&unmet, synth, true)
		addFlagColumns(&idle, synth, true)
		sheets = append(sheets, all, unmet, idle)
	}
	if pd.offers == nil {
		sheets = append(sheets, note(SheetOffers, "Kunnskapsbasen har ingen tilbudskatalog (tilbud)."))
	} else {
		s, err := genericSheet(SheetOffers, pd.offers)
		if err != nil {
			return nil, err
		}
		// The catalog is as read, not computed.
		addFlagColumns(&s, pd.offersV.Synthetic, false)
		sheets = append(sheets, s)
	}
	if pd.plan == nil {
		sheets = append(sheets, note(SheetPlanning, "Kunnskapsbasen har ingen tabell for tilbudsplanlegging (datasettet tilbudsplanlegging) ennå; arket fylles når den er bygd."))
	} else {
		s, err := genericSheet(SheetPlanning, pd.plan)
		if err != nil {
			return nil, err
		}
		if len(pd.plan.Schema().FieldIndices("syntetisk")) == 0 {
			s.Columns = append(s.Columns, export.Column{Name: "syntetisk", Kind: export.Text})
			for i := range s.Rows {
				s.Rows[i] = append(s.Rows[i], yesNo(pd.planV.Synthetic))
			}
		}
		sheets = append(sheets, s)
	}
	return sheets, nil
}

// writePlanningWorkbook writes planlegging.xlsx into dir when the catalog
// has offers; it reports whether it wrote the file.
func (p *Publisher) writePlanningWorkbook(ctx context.Context, dir string) (bool, error) {
	sheets, err := p.PlanningSheets()
	if err != nil || len(sheets) == 0 {
		return false, err
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	err = store.WriteFileAtomic(filepath.Join(dir, PlanningWorkbook), func(w io.Writer) error { return export.WriteXLSX(w, sheets) })
	if err != nil {
		return false, fmt.Errorf("publish: %s: %w", PlanningWorkbook, err)
	}
	return true, nil
}
