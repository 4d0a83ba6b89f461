package book

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

// synthPlanning is a SYNTHETIC "Behov og tilbud" input on the regions of
// synthInput: Grenland (4001 Porsgrunn + 4003 Skien) has a matched need
// (IKT, 12.4 persons, two offers) and a suppressed unmet need (Helse,
// carrying a hidden value that must never be shown); Porsgrunn has an
// unmet need of 7 persons. Offers without demand: one in Skien (in
// Grenland), one in Notodden (not in Grenland; its place not named) and
// one online. The
// planning table has rows for Telemark (40) and Grenland.
func synthPlanning() *Planning {
	nan := math.NaN()
	return &Planning{
		Synthetic: true, Period: "2024", Rule: "innen rekkevidde (test)",
		Needs: []PlanNeed{
			{Region: "grenland", RegionLabel: "Grenland", RegionLevel: LevelGrouping, Area: "helse", AreaLabel: "Helse og oppvekst",
				Persons: 987654, Suppressed: true, Capacity: 0, Coverage: 0.5},
			{Region: "grenland", RegionLabel: "Grenland", RegionLevel: LevelGrouping, Area: "ikt", AreaLabel: "IKT",
				Persons: 12.4, Matches: 2, Capacity: 25, Coverage: 25 / 12.4, Offers: []PlanOffer{
					{Rank: 1, ID: "o1", Title: "Skytjenester", Provider: "Demo fagskole (syntetisk)", Municipality: "4003", MunicipalityName: "Skien",
						Mode: "samlingsbasert", Start: "2025-08-18", Points: 6, Capacity: 15},
					{Rank: 2, ID: "o2", Title: "Nettverk på nett", Provider: "Demo høgskole (syntetisk)", Mode: "nett",
						Points: 4, Capacity: 10},
				}},
			{Region: "4001", RegionLabel: "Porsgrunn", RegionLevel: LevelMunicipality, Area: "bygg", AreaLabel: "Bygg og anlegg",
				Persons: 7, Capacity: 0, Coverage: 0},
		},
		Idle: []PlanOffer{
			{ID: "i1", Title: "Sveising i Skien", Provider: "Demo kurs (syntetisk)", Municipality: "4003", MunicipalityName: "Skien", Mode: "stedbasert", Points: nan, Capacity: 12},
			{ID: "i2", Title: "Kurs i Notodden", Provider: "Demo kurs (syntetisk)", Municipality: "4005", Mode: "stedbasert", Points: nan, Capacity: nan},
			{ID: "i3", Title: "Nettkurs i regnskap", Provider: "Demo universitet (syntetisk)", Mode: "nett", Points: nan, Capacity: 60},
		},
		Table: &PlanTable{Title: "Tilbudsplanlegging (syntetisk)", Header: []string{"Region", "Programområde", "Søkere", "Signal"}, RegionColumn: 0,
			Rows:     [][]any{{"40", "Elektro", 120.0, "for få plasser"}, {"grenland", "Helse", 45.0, "balanse"}, {"grenland", "Bygg", nil, "ingen søkere"}},
			Decimals: []int{0, 0, 0, 0}},
	}
}

// section returns the text of page from the heading with id to the next
// </section>.
func section(page, id string) string {
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], "</section>")
	if j < 0 {
		return page[i:]
	}
	return page[i : i+j]
}

func TestPlanningPages(t *testing.T) {
	in := synthInput()
	in.Map = nil
	in.Synthetic = false // the banner must come from the planning data
	in.Planning = synthPlanning()
	files := build(t, in)
	page := string(files["planlegging/grenland.html"])
	if page == "" {
		names := []string{}
		for n := range files {
			if strings.HasPrefix(n, "planlegging/") {
				names = append(names, n)
			}
		}
		t.Fatalf("no planlegging/grenland.html; planning pages: %v", names)
	}
	if !strings.Contains(page, "<h1>Behov og tilbud – Grenland</h1>") {
		t.Error("Grenland's planning page has no title «Behov og tilbud – Grenland»")
	}
	if !strings.Contains(page, `class="banner"`) {
		t.Error("the planning page of synthetic data has no banner")
	}
	// Order: unmet needs, then matched needs, then offers without demand,
	// then the planning table.
	last := -1
	for _, id := range []string{"uten-tilbud", "med-tilbud", "uten-behov", "tilbudsplanlegging"} {
		i := strings.Index(page, `id="`+id+`"`)
		if i < last {
			t.Errorf("section %s at %d, want after %d", id, i, last)
		}
		last = i
	}
	unmet := section(page, "uten-tilbud")
	if !strings.Contains(unmet, "Helse og oppvekst</th><td>prikket</td>") {
		t.Errorf("unmet section: %q, want Helse og oppvekst as prikket", unmet)
	}
	if !strings.Contains(unmet, "færre enn 3 virksomheter") {
		t.Error("unmet section does not give the reason for the suppression")
	}
	// The hidden value and the coverage given for the suppressed need are
	// never shown, in any format (987654, 987 654 with a thin space, 50 %).
	if regexp.MustCompile(`987|654|50 %`).MatchString(page) {
		t.Error("the suppressed need's hidden value or coverage is on the page")
	}
	matched := section(page, "med-tilbud")
	// Coverage 25 / 12.4 = 2.016 → "202 %"; persons 12.4 shown as 12.
	for _, want := range []string{"IKT", ">12<", "202 %", "Skytjenester", "Demo fagskole (syntetisk)", "Skien", "samlingsbasert", "2025-08-18", ">6<",
		"Nettverk på nett", ">nett<", ">ukjent<"} {
		if !strings.Contains(matched, want) {
			t.Errorf("matched section lacks %q", want)
		}
	}
	if strings.Index(matched, "Skytjenester") > strings.Index(matched, "Nettverk på nett") {
		t.Error("rank 2 is listed before rank 1")
	}
	if strings.Contains(matched, "Helse og oppvekst") {
		t.Error("the unmet need is listed among the matched")
	}
	idle := section(page, "uten-behov")
	if !strings.Contains(idle, "Sveising i Skien") || !strings.Contains(idle, "Nettkurs i regnskap") {
		t.Errorf("offers without demand: %q, want the Skien offer and the online one", idle)
	}
	if strings.Contains(idle, "Kurs i Notodden") {
		t.Error("an offer outside Grenland is listed as Grenland's offer without demand")
	}
	tbl := section(page, "tilbudsplanlegging")
	for _, want := range []string{"<th scope=\"col\">Programområde</th>", "<th scope=\"col\">Signal</th>", "balanse", "ingen søkere", ">45<"} {
		if !strings.Contains(tbl, want) {
			t.Errorf("planning table lacks %q", want)
		}
	}
	if strings.Contains(tbl, "for få plasser") {
		t.Error("Telemark's planning row is on Grenland's page")
	}
	// Porsgrunn: an unmet need with its number, no suppression note.
	p := string(files["planlegging/4001.html"])
	if u := section(p, "uten-tilbud"); !strings.Contains(u, "Bygg og anlegg</th><td>7</td>") || strings.Contains(u, "færre enn 3") {
		t.Errorf("Porsgrunn's unmet needs: %q, want Bygg og anlegg with 7 and no suppression note", u)
	}
	if !strings.Contains(section(p, "tilbudsplanlegging"), "ingen rader for regionen") {
		t.Error("Porsgrunn's page does not say the planning table has no rows for it")
	}
	// Notodden has a page for its offer without demand only.
	// Its place is named from the book's regions when the input gives no name.
	if n := string(files["planlegging/4005.html"]); !strings.Contains(section(n, "uten-behov"), `Kurs i Notodden</th><td class="text">Demo kurs (syntetisk)</td><td class="text">Notodden</td>`) {
		t.Errorf("Notodden's page does not list its offer without demand in Notodden: %q", section(n, "uten-behov"))
	}
	// Links: from the region's page and from the index.
	if !strings.Contains(string(files["region/grenland.html"]), `href="../planlegging/grenland.html"`) {
		t.Error("Grenland's region page does not link its planning page")
	}
	idx := string(files["index.html"])
	for _, code := range []string{"grenland", "4001", "4005", "40"} {
		if !strings.Contains(idx, `href="planlegging/`+code+`.html"`) {
			t.Errorf("the index does not link planlegging/%s.html", code)
		}
	}
	if !strings.Contains(string(files["planlegging/40.html"]), "for få plasser") {
		t.Error("Telemark's page does not show its planning row")
	}
	css := string(files["style.css"])
	for _, want := range []string{"@page planning-wide", "display: table-header-group", "table.plan"} {
		if !strings.Contains(css, want) {
			t.Errorf("style.css lacks %q (print rules of the planning pages)", want)
		}
	}
}

// TestPlanningPagesAbsent: without planning data the book has no planning
// page and no link to one; without the planning table the page says so;
// data that are not synthetic get no banner.
func TestPlanningPagesAbsent(t *testing.T) {
	in := synthInput()
	in.Map = nil
	files := build(t, in)
	for n := range files {
		if strings.HasPrefix(n, "planlegging/") {
			t.Errorf("a book without planning data has %s", n)
		}
	}
	if strings.Contains(string(files["index.html"]), "planlegging/") || strings.Contains(string(files["region/grenland.html"]), "planlegging/") {
		t.Error("a book without planning data links a planning page")
	}

	in = synthInput()
	in.Map = nil
	in.Synthetic = false
	in.Planning = synthPlanning()
	in.Planning.Synthetic = false
	in.Planning.Table = nil
	page := string(build(t, in)["planlegging/grenland.html"])
	if strings.Contains(page, `class="banner"`) {
		t.Error("a planning page of data that are not synthetic has the synthetic banner")
	}
	if !strings.Contains(section(page, "tilbudsplanlegging"), "ingen tabell for tilbudsplanlegging") {
		t.Error("without the planning table the page does not say so")
	}
}
