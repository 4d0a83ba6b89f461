package publish

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/offers"
	"github.com/grunnlag/grunnlag/pipelines/store"
	srcoffers "github.com/grunnlag/grunnlag/sources/offers"
)

// synthOffers publishes SYNTHETIC tilbud and behov_tilbud tables, made by
// pipelines/offers' own record builders, into st: Porsgrunn (4001) needs
// 10 persons in IKT, met by an offer in Skien (capacity 15) and an online
// one (capacity unknown); Skien (4003) has a suppressed need in Helse
// with no offer; a third offer, in Porsgrunn, meets no need.
func synthOffers(t *testing.T, st *store.Store) {
	t.Helper()
	cw, err := needs.DefaultCrosswalk()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 8, 18, 0, 0, 0, 0, time.UTC)
	os := []srcoffers.Offer{
		{Provider: "Demo fagskole (syntetisk)", OrgNr: "999000118", Title: "Skytjenester", Kind: "fagskole", Level: "fagskole",
			Areas: []string{"ikt"}, Municipality: "4003", Mode: "samlingsbasert", Start: start, Capacity: 15, Credits: math.NaN(), Price: math.NaN()},
		{Provider: "Demo høgskole (syntetisk)", OrgNr: "999000851", Title: "Nettverk på nett", Kind: "uh", Level: "hoyere",
			Areas: []string{"ikt"}, Mode: "nett", Capacity: -1, Credits: 15, Price: math.NaN()},
		{Provider: "Demo kurs (syntetisk)", OrgNr: "999001599", Title: "Trearbeid", Kind: "amo", Level: "kurs",
			Areas: []string{"handverk_design"}, Municipality: "4001", Mode: "stedbasert", Capacity: 8, Credits: math.NaN(), Price: math.NaN()},
	}
	muni := func(c string) string { return map[string]string{"4001": "Porsgrunn", "4003": "Skien"}[c] }
	nms := []offers.NeedMatch{
		{Need: offers.Need{Region: "4001", RegionLabel: "Porsgrunn", RegionLevel: offers.LevelMunicipality, Area: "ikt", AreaLabel: "IKT", Persons: 10},
			Matches:  []offers.Match{{Offer: 0, Reach: offers.ReachGroup, Field: 3, Level: 0, Place: 2, Score: 5}, {Offer: 1, Reach: offers.ReachOnline, Field: 3, Level: 1, Place: 1, Score: 5}},
			Capacity: 15, UnknownCapacity: 1},
		{Need: offers.Need{Region: "4003", RegionLabel: "Skien", RegionLevel: offers.LevelMunicipality, Area: "helse_oppvekst", AreaLabel: "Helse og oppvekst",
			Persons: math.NaN(), Suppressed: true}},
	}
	mem := memory.NewGoAllocator()
	rec := offers.OffersRecord(mem, os, nil, cw, muni, nil)
	defer rec.Release()
	if _, err := st.Publish(context.Background(), offers.DatasetOffers, rec, store.DatasetMeta{Title: "Tilbud (syntetisk)", Synthetic: true}); err != nil {
		t.Fatal(err)
	}
	mrec := offers.MatchesRecord(mem, "2024", nms, []int{2}, os, 3, muni, nil)
	defer mrec.Release()
	meta := store.DatasetMeta{Title: "Behov og tilbud (syntetisk)", Synthetic: true, Extra: map[string]string{"grunnlag.offers.rule": offers.RuleText}}
	if _, err := st.Publish(context.Background(), offers.DatasetMatches, mrec, meta); err != nil {
		t.Fatal(err)
	}
}

func TestPlanningInput(t *testing.T) {
	st := synthStore(t, 31)
	synthOffers(t, st)
	p := &Publisher{Store: st, Indicators: indicators.Catalog()}
	pl, err := p.Planning()
	if err != nil {
		t.Fatal(err)
	}
	if pl == nil || !pl.Synthetic || pl.Period != "2024" || pl.Rule != offers.RuleText || pl.Table != nil {
		t.Fatalf("Planning() = %+v, want synthetic, period 2024, the rule, no table", pl)
	}
	if len(pl.Needs) != 2 {
		t.Fatalf("Planning() has %d needs, want 2", len(pl.Needs))
	}
	ikt, helse := pl.Needs[0], pl.Needs[1]
	// IKT: 10 persons, 2 offers within reach, capacity 15 known (the online
	// offer's unknown): coverage unknown, as MatchesRecord writes it.
	if ikt.Region != "4001" || ikt.Persons != 10 || ikt.Suppressed || ikt.Matches != 2 || ikt.Capacity != 15 || !math.IsNaN(ikt.Coverage) {
		t.Errorf("IKT need = %+v, want 10 persons, 2 matches, capacity 15, coverage unknown", ikt)
	}
	if len(ikt.Offers) != 2 || ikt.Offers[0].Rank != 1 || ikt.Offers[0].Title != "Skytjenester" || ikt.Offers[0].MunicipalityName != "Skien" ||
		ikt.Offers[0].Points != 5 || ikt.Offers[0].Capacity != 15 || ikt.Offers[0].Start != "2025-08-18" || ikt.Offers[0].Mode != "samlingsbasert" {
		t.Errorf("IKT offers = %+v, want rank 1 Skytjenester in Skien, 5 points, capacity 15, start 2025-08-18", ikt.Offers)
	}
	if len(ikt.Offers) == 2 && (ikt.Offers[1].Municipality != "" || !math.IsNaN(ikt.Offers[1].Capacity)) {
		t.Errorf("IKT rank 2 = %+v, want the online offer with unknown capacity", ikt.Offers[1])
	}
	if !helse.Suppressed || !math.IsNaN(helse.Persons) || !math.IsNaN(helse.Coverage) || len(helse.Offers) != 0 {
		t.Errorf("Helse need = %+v, want suppressed, no persons, no coverage, no offers", helse)
	}
	if len(pl.Idle) != 1 || pl.Idle[0].Title != "Trearbeid" || pl.Idle[0].Municipality != "4001" || pl.Idle[0].Capacity != 8 {
		t.Errorf("Planning().Idle = %+v, want Trearbeid in 4001 with capacity 8", pl.Idle)
	}
}

// TestPlanningBookAndWorkbook: Book writes a planning page for each region
// with a need, and Export writes planlegging.xlsx with the five sheets,
// the suppressed person count as ":" and a note where the planning table
// is missing.
func TestPlanningBookAndWorkbook(t *testing.T) {
	st := synthStore(t, 31)
	synthOffers(t, st)
	p := &Publisher{Store: st, Indicators: indicators.Catalog()}
	ctx := context.Background()
	res, err := p.Book(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(res.Dir, "planlegging", "4003.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "Behov og tilbud – Skien") || !strings.Contains(string(page), "Helse og oppvekst</th><td>prikket</td>") {
		t.Errorf("planlegging/4003.html lacks the title or the suppressed need as prikket")
	}
	res, err = p.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// indikatorer.{xlsx,csv,-plain.csv} and planlegging.xlsx.
	if res.Files != 4 {
		t.Errorf("Export() wrote %d files, want 4", res.Files)
	}
	f, err := excelize.OpenFile(filepath.Join(res.Dir, PlanningWorkbook))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), "Behov og tilbud,Behov uten tilbud,Tilbud uten behov,Tilbud,Tilbudsplanlegging"; got != want {
		t.Errorf("sheets = %s, want %s", got, want)
	}
	// Rows (header included), counted from MatchesRecord's documented
	// layout: 2 needs × 5 summary measures + 2 offers × 5 measures + 1
	// offer without demand = 21 rows; 1 unmet need; 1 idle offer; the
	// catalog: 3 offers × 4 measures = 12.
	for sheet, want := range map[string]int{SheetMatches: 22, SheetUnmet: 2, SheetIdle: 2, SheetOffers: 13, SheetPlanning: 2} {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != want {
			t.Errorf("sheet %s has %d rows, want %d", sheet, len(rows), want)
		}
	}
	unmet, _ := f.GetRows(SheetUnmet)
	if len(unmet) == 2 {
		if got := strings.Join(unmet[1], "|"); got != "2024|4003|Skien|kommune|helse_oppvekst|Helse og oppvekst|:|:|ja|ja" {
			t.Errorf("unmet row = %s, want the suppressed need with persons \":\"", got)
		}
	}
	all, _ := f.GetRows(SheetMatches)
	// Columns by their header, so columns added to behov_tilbud (the green
	// tags) do not move the ones read here.
	col := map[string]int{}
	if len(all) > 0 {
		for i, h := range all[0] {
			col[h] = i
		}
	}
	region, measure, value, status := col["region"], col["maal"], col["value"], col["status"]
	if value == 0 || status == 0 {
		t.Fatalf("sheet %s has no value or status column: %v", SheetMatches, all[0])
	}
	supp := 0
	for _, r := range all {
		if len(r) > status && r[region] == "4003" && r[measure] == "personer" {
			supp++
			if r[value] != ":" || r[status] != ":" {
				t.Errorf("behov_tilbud row of the suppressed need: value %q, status %q, want \":\" in both", r[value], r[status])
			}
		}
	}
	if supp != 1 {
		t.Errorf("%d person rows of the suppressed need, want 1", supp)
	}
	note, _ := f.GetRows(SheetPlanning)
	if len(note) != 2 || !strings.Contains(note[1][0], "ingen tabell for tilbudsplanlegging") {
		t.Errorf("Tilbudsplanlegging sheet = %q, want a note on why it is empty", note)
	}
}

// TestGenericSheetLabels: the generic sheet of the planning table takes a
// column's header from its field metadata "label" when it has one, keeps
// every column in order, and shows a missing value's status.
func TestGenericSheetLabels(t *testing.T) {
	lab := arrow.NewMetadata([]string{"label"}, []string{"Søkere første ønske"})
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "region", Type: arrow.BinaryTypes.String},
		{Name: "sokere", Type: arrow.PrimitiveTypes.Float64, Nullable: true, Metadata: lab},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"namdal", "fosen"}, nil)
	b.Field(1).(*array.Float64Builder).AppendValues([]float64{12, 0}, []bool{true, false})
	b.Field(2).(*array.Float64Builder).AppendValues([]float64{3, 0}, []bool{true, false})
	b.Field(3).(*array.StringBuilder).AppendValues([]string{"", ":"}, []bool{false, true})
	rec := b.NewRecord()
	defer rec.Release()
	s, err := genericSheet(SheetPlanning, rec)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range s.Columns {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != "region,Søkere første ønske,value,status" {
		t.Errorf("headers = %s, want region,Søkere første ønske,value,status", got)
	}
	if s.Rows[1][2] != ":" || s.Rows[1][1] != nil || s.Rows[0][2] != 3.0 {
		t.Errorf("rows = %v, want fosen's value \":\" and its sokere empty, namdal's value 3", s.Rows)
	}
}

// synthPlanTable publishes a SYNTHETIC tilbudsplanlegging table into st:
// two rows for Porsgrunn (4001), one for Skien (4003), with the region
// column named by the geo role and a suppressed cell.
func synthPlanTable(t *testing.T, st *store.Store) {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "sted", Type: arrow.BinaryTypes.String},
		{Name: "programomrade", Type: arrow.BinaryTypes.String},
		{Name: "sokere", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "signal_tekst", Type: arrow.BinaryTypes.String},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"4001", "4001", "4003"}, nil)
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"Elektro", "Helse", "Bygg"}, nil)
	b.Field(2).(*array.Float64Builder).AppendValues([]float64{120, 45, 0}, []bool{true, true, false})
	b.Field(3).(*array.Float64Builder).AppendValues([]float64{1.5, 0, 2}, []bool{true, false, true})
	b.Field(4).(*array.StringBuilder).AppendValues([]string{"", ":", ""}, []bool{false, true, false})
	b.Field(5).(*array.StringBuilder).AppendValues([]string{"for få plasser", "balanse", "ingen søkere"}, nil)
	rec := b.NewRecord()
	defer rec.Release()
	meta := store.DatasetMeta{Title: "Tilbudsplanlegging (syntetisk)", Synthetic: true, Extra: map[string]string{"jsonstat.role.geo": "sted"}}
	if _, err := st.Publish(context.Background(), PlanningDataset, rec, meta); err != nil {
		t.Fatal(err)
	}
}

// TestPlanningTable: with a tilbudsplanlegging dataset, each region's page
// shows its rows (every column, in order, a suppressed value as ":") and
// the workbook's last sheet holds the table with a syntetisk column.
func TestPlanningTable(t *testing.T) {
	st := synthStore(t, 31)
	synthOffers(t, st)
	synthPlanTable(t, st)
	p := &Publisher{Store: st, Indicators: indicators.Catalog()}
	ctx := context.Background()
	res, err := p.Book(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(res.Dir, "planlegging", "4001.html"))
	if err != nil {
		t.Fatal(err)
	}
	pg := string(page)
	i := strings.Index(pg, `id="tilbudsplanlegging"`)
	if i < 0 {
		t.Fatal("Porsgrunn's page has no planning table section")
	}
	tbl := pg[i:]
	want := `<tr><th scope="col">sted</th><th scope="col">programomrade</th><th scope="col">sokere</th><th scope="col">value</th><th scope="col">status</th><th scope="col">signal_tekst</th></tr>`
	if !strings.Contains(tbl, want) {
		t.Errorf("planning table header: want %s in %q", want, tbl[:min(len(tbl), 600)])
	}
	// 120 and 1.5 with the table's 2 decimals for float columns; Helse's
	// suppressed value as ":".
	for _, w := range []string{"<td>Elektro</td><td>120,00</td><td>1,50</td><td></td><td>for få plasser</td>", "<td>Helse</td><td>45,00</td><td>:</td><td>:</td><td>balanse</td>"} {
		if !strings.Contains(tbl, w) {
			t.Errorf("planning table lacks the row %s", w)
		}
	}
	if strings.Contains(tbl, "ingen søkere") {
		t.Error("Skien's planning row is on Porsgrunn's page")
	}
	res, err = p.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(res.Dir, PlanningWorkbook))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetPlanning)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != "sted,programomrade,sokere,value,status,signal_tekst,syntetisk" ||
		strings.Join(rows[2], "|") != "4001|Helse|45.00|:|:|balanse|ja" {
		t.Errorf("Tilbudsplanlegging sheet = %q", rows)
	}
}
