package publish

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/charts/export"
	"github.com/grunnlag/grunnlag/pipelines/demo/demotest"
	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/offers"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// TestDemoPlanning runs the demo's steps up to the offers (refresh from
// the offline bundles, harmonise, the synthetic survey's needs, the
// synthetic offer catalog and its matching) into a temp kb, then draws the
// "Behov og tilbud" pages from what they published and writes the
// planners' workbook. Namdal's and Fosen's pages must each show at least
// one matched offer and at least one need without an offer; a suppressed
// need shows as "prikket" with no number; the workbook has the five sheets
// with as many rows as behov_tilbud and tilbud hold, read back from the
// knowledge base.
func TestDemoPlanning(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo's needs and offers take a minute")
	}
	if raceEnabled {
		t.Skip("the demo's needs and offers take many minutes under -race; the plain pass runs it")
	}
	ctx := context.Background()
	kb := demotest.Refreshed(t, "../../testdata/demo/grunnlag.yaml")
	cfg, st, model, groups := kb.Config, kb.Store, kb.Model, kb.Groups
	if cfg.Offers == nil || cfg.Needs == nil {
		t.Fatal("the demo config has no needs or offers")
	}
	if _, err := (&harmonise.Harmoniser{Store: st, Model: model}).Run(ctx); err != nil {
		t.Fatalf("harmonise: %v", err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	nopt, err := needs.FromConfig(cfg.Needs, model, groups, today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := needs.Build(ctx, st, nopt); err != nil {
		t.Fatalf("needs: %v", err)
	}
	oopt, err := offers.FromConfig(cfg, model, groups, today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := offers.Build(ctx, st, oopt); err != nil {
		t.Fatalf("offers: %v", err)
	}

	p := &Publisher{Store: st}
	pl, err := p.Planning()
	if err != nil {
		t.Fatal(err)
	}
	if pl == nil || !pl.Synthetic {
		t.Fatalf("Planning() = %+v, want the demo's synthetic needs and offers", pl)
	}
	var mu sync.Mutex
	files := map[string][]byte{}
	_, err = book.Build(ctx, &book.Input{Version: "test", Planning: pl}, book.Options{Workers: 1}, func(rel string, data []byte) error {
		mu.Lock()
		defer mu.Unlock()
		files[rel] = append([]byte(nil), data...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	number := regexp.MustCompile(`[0-9]`)
	for _, g := range []struct{ code, name string }{{"namdal", "Namdal regionråd"}, {"fosen", "Fosenregionen IKPR"}} {
		page := string(files["planlegging/"+g.code+".html"])
		if page == "" {
			t.Errorf("no planning page for %s", g.code)
			continue
		}
		if !strings.Contains(page, "Behov og tilbud – "+g.name) || !strings.Contains(page, `class="banner"`) {
			t.Errorf("%s: no title «Behov og tilbud – %s» or no synthetic banner", g.code, g.name)
		}
		unmet := pageSection(page, "uten-tilbud", "med-tilbud")
		matched := pageSection(page, "med-tilbud", "uten-behov")
		rows := regexp.MustCompile(`<tr[^>]*><th scope="row">([^<]*)</th><td>([^<]*)</td></tr>`).FindAllStringSubmatch(unmet, -1)
		if len(rows) == 0 {
			t.Errorf("%s: no need without an offer", g.code)
		}
		for _, r := range rows {
			// A need's persons are a number or, suppressed, "prikket".
			if r[2] != "prikket" && !number.MatchString(r[2]) {
				t.Errorf("%s: need %s shows %q, want a number or prikket", g.code, r[1], r[2])
			}
		}
		if !strings.Contains(unmet, "<td>prikket</td>") || !strings.Contains(unmet, "færre enn 3 virksomheter") {
			t.Errorf("%s: no suppressed need shown as prikket with its reason", g.code)
		}
		if n := strings.Count(matched, `<td class="text">Demo `); n == 0 {
			t.Errorf("%s: no matched offer (with its provider)", g.code)
		}
	}
	// Every need row of a suppressed need in the data shows as prikket on
	// its page, never a number.
	for _, n := range pl.Needs {
		if !n.Suppressed {
			continue
		}
		page := string(files["planlegging/"+n.Region+".html"])
		label := n.AreaLabel
		re := regexp.MustCompile(`<th scope="(?:row|rowgroup)"[^>]*>` + regexp.QuoteMeta(strings.ReplaceAll(label, "&", "&amp;")) + `</th><td[^>]*>([^<]*)</td>`)
		m := re.FindStringSubmatch(page)
		if m == nil || m[1] != "prikket" {
			t.Errorf("%s %s: suppressed need shows %v, want prikket", n.Region, n.Area, m)
		}
	}

	sheets, err := p.PlanningSheets()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, sheets); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), "Behov og tilbud,Behov uten tilbud,Tilbud uten behov,Tilbud,Tilbudsplanlegging"; got != want {
		t.Errorf("sheets = %s, want %s", got, want)
	}
	// Read the tables back and count what each sheet must hold.
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	read := func(id string) (int, func(string) func(int) string) {
		v := cat.Datasets[id].CurrentVersion()
		rec, err := st.ReadVersion(id, v.Stamp)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(rec.Release)
		return int(rec.NumRows()), func(c string) func(int) string {
			g, err := store.StringColumn(rec, c)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
	}
	nMatches, col := read(offers.DatasetMatches)
	list, maal, rang, status := col("liste"), col("maal"), col("rang"), col("status")
	unmet, idle, suppressedUnmet := 0, 0, 0
	for i := range nMatches {
		switch {
		case list(i) == offers.ListUnmet && rang(i) == needs.Total && maal(i) == "personer":
			unmet++
			if status(i) == needs.SuppressedStatus {
				suppressedUnmet++
			}
		case list(i) == offers.ListIdle:
			idle++
		}
	}
	nOffers, _ := read(offers.DatasetOffers)
	if unmet == 0 || idle == 0 || suppressedUnmet == 0 {
		t.Errorf("the demo's behov_tilbud has %d unmet needs (%d suppressed) and %d offers without demand, want some of each", unmet, suppressedUnmet, idle)
	}
	for sheet, want := range map[string]int{SheetMatches: nMatches, SheetUnmet: unmet, SheetIdle: idle, SheetOffers: nOffers, SheetPlanning: 1} {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows)-1 != want {
			t.Errorf("sheet %s has %d rows under its header, want %d", sheet, len(rows)-1, want)
		}
	}
	rows, _ := f.GetRows(SheetUnmet)
	colons := 0
	for _, r := range rows[1:] {
		if len(r) > 7 && r[7] == ":" {
			colons++
			if r[6] != ":" {
				t.Errorf("unmet sheet: suppressed need %v has persons %q, want \":\"", r[:6], r[6])
			}
		}
	}
	if colons != suppressedUnmet {
		t.Errorf("unmet sheet has %d suppressed needs, want %d", colons, suppressedUnmet)
	}
}

// pageSection returns the part of page from the element with id from to
// the one with id to.
func pageSection(page, from, to string) string {
	i := strings.Index(page, `id="`+from+`"`)
	j := strings.Index(page, `id="`+to+`"`)
	if i < 0 || j < i {
		return ""
	}
	return page[i:j]
}
