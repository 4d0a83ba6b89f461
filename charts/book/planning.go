package book

import (
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/grunnlag/grunnlag/charts"
)

// The "Behov og tilbud" pages (planlegging/<code>.html): for one region,
// first the mapped needs no offer within reach meets ("Behov uten
// tilbud"), then the matched needs with their best offers, then the
// offers in the region that meet no mapped need ("Tilbud uten behov"),
// and, when the knowledge base has it, the region's rows of the planning
// table (tilbudsplanlegging) with every column in order. A suppressed need
// shows as "prikket" with the reason; its persons are never on the page.

//go:embed assets/planning.css
var planningCSS []byte

// Planning is the content of the "Behov og tilbud" pages: the needs and
// offers of pipelines/offers' behov_tilbud and, optionally, a planning
// table. A region gets a page when it has a need, an offer without demand
// located in it, or a row of the planning table; an online offer without
// demand is listed on every page.
type Planning struct {
	// Synthetic: the needs or the offers are synthetic (demo) data; the
	// pages carry the banner.
	Synthetic bool
	Period    string // the needs' period
	Rule      string // the matching rule in one line (shown under the tables)
	Needs     []PlanNeed
	Idle      []PlanOffer // offers that meet no mapped need
	Table     *PlanTable  // nil: no planning table in the knowledge base
}

// PlanNeed is one mapped need of a region: a competence area with its
// weighted persons and the best offers within reach (none: an unmet need).
type PlanNeed struct {
	Region, RegionLabel, RegionLevel string
	Area, AreaLabel                  string
	// Persons is NaN when Suppressed (disclosure control): the page says
	// "prikket" and never shows a number.
	Persons    float64
	Suppressed bool
	Matches    int     // offers within reach (all, not only those listed)
	Capacity   float64 // sum of the known capacities of every match; NaN unknown
	Coverage   float64 // Capacity / Persons; NaN when unknown or suppressed
	Offers     []PlanOffer
}

// PlanOffer is an offer: one of a need's best (Rank 1..) or one without
// demand (Rank 0).
type PlanOffer struct {
	Rank                int
	ID, Title, Provider string
	// Municipality is the offer's municipality code ("" for an online
	// offer), MunicipalityName its name.
	Municipality, MunicipalityName string
	Mode, Start, Reach             string
	Points                         float64 // NaN unknown
	Capacity                       float64 // NaN unknown
}

// PlanTable is a table shown generically on the pages: every column in
// order under its header, the rows of a region those whose RegionColumn
// cell is the region's code. A cell is nil (empty), a string, a float64
// (NaN empty) or an int.
type PlanTable struct {
	Title        string
	Header       []string // the columns' labels
	RegionColumn int      // index of the column holding the region code; -1 none
	Rows         [][]any
	Synthetic    bool
	Decimals     []int // per column, for float64 cells (missing: 1)
}

// planningPage is one "Behov og tilbud" page.
type planningPage struct {
	common
	Region    *Region
	LevelName string
	Title     string
	Back      string // href of the region page ("" when it has none)
	Period    string
	Rule      string
	Unmet     []planNeedRow
	Matched   []planNeedRow
	// UnmetSuppressed and MatchedSuppressed: the table has a suppressed
	// need (the reason is noted under it).
	UnmetSuppressed, MatchedSuppressed bool
	Idle                               []planOfferRow
	Table                              *dataTable
	TableNote                          string // why the planning table is not shown ("" when shown)
	T                                  planningTexts
}

type planNeedRow struct {
	Area, Persons, Matches, Capacity, Coverage string
	Suppressed                                 bool
	Offers                                     []planOfferRow
	Span                                       int
}

type planOfferRow struct {
	Rank, Title, Provider, Place, Mode, Start, Points, Capacity string
}

// planningTexts are the words of the planning pages.
type planningTexts struct {
	Title, Link, IndexHeading, IndexIntro, Unmet, UnmetIntro, UnmetNone, Matched, MatchedIntro, MatchedNone string
	Idle, IdleIntro, IdleNone, Table, TableNone, TableNoRows, Rule, Period, BackTo                          string
	Area, Persons, Matches, Capacity, Coverage, Rank, Offer, Provider, Place, Mode, Start, Points           string
	Suppressed, SuppressedNote, Online, Unknown                                                             string
}

var planningNB = planningTexts{
	Title: "Behov og tilbud – %s", Link: "Behov og tilbud", IndexHeading: "Behov og tilbud",
	IndexIntro: "Kartlagte kompetansebehov i virksomhetene stilt mot utdanningstilbudene innen rekkevidde, region for region.",
	Unmet:      "Behov uten tilbud", UnmetIntro: "Kartlagte behov som ingen tilbud i tilbudskatalogen dekker innen rekkevidde.",
	UnmetNone: "Ingen kartlagte behov står uten tilbud.",
	Matched:   "Behov med tilbud", MatchedIntro: "Kartlagte behov med de beste tilbudene innen rekkevidde (rang 1 er best). Dekning er kapasiteten i alle tilbud innen rekkevidde delt på behovet.",
	MatchedNone: "Ingen kartlagte behov har tilbud innen rekkevidde.",
	Idle:        "Tilbud uten behov", IdleIntro: "Tilbud i regionen og nettbaserte tilbud som ikke svarer til noe publisert kartlagt behov.",
	IdleNone: "Ingen tilbud uten behov.",
	Table:    "Tilbudsplanlegging", TableNone: "Kunnskapsbasen har ingen tabell for tilbudsplanlegging ennå.",
	TableNoRows: "Tabellen for tilbudsplanlegging har ingen rader for regionen.",
	Rule:        "Regel for kobling", Period: "Periode for behovene", BackTo: "Regionens indikatorer",
	Area: "Kompetanseområde", Persons: "Behov (personer)", Matches: "Tilbud innen rekkevidde", Capacity: "Kapasitet", Coverage: "Dekning",
	Rank: "Rang", Offer: "Tilbud", Provider: "Tilbyder", Place: "Sted", Mode: "Form", Start: "Start", Points: "Poeng",
	Suppressed:     "prikket",
	SuppressedNote: "Prikket: behovet er ikke publisert fordi færre enn 3 virksomheter har svart, én virksomhet dominerer svarene, eller for å verne andre prikkede tall. Dekningen vises da heller ikke.",
	Online:         "nett", Unknown: "ukjent",
}

var planningEN = planningTexts{
	Title: "Needs and offers – %s", Link: "Needs and offers", IndexHeading: "Needs and offers",
	IndexIntro: "Companies' mapped competence needs set against the education offers within reach, region by region.",
	Unmet:      "Needs without an offer", UnmetIntro: "Mapped needs that no offer in the catalog meets within reach.",
	UnmetNone: "No mapped need is without an offer.",
	Matched:   "Needs with offers", MatchedIntro: "Mapped needs with the best offers within reach (rank 1 is best). Coverage is the capacity of every offer within reach divided by the need.",
	MatchedNone: "No mapped need has an offer within reach.",
	Idle:        "Offers without demand", IdleIntro: "Offers in the region and online offers that meet no published mapped need.",
	IdleNone: "No offer without demand.",
	Table:    "Planning table", TableNone: "The knowledge base has no planning table yet.",
	TableNoRows: "The planning table has no rows for the region.",
	Rule:        "Matching rule", Period: "Period of the needs", BackTo: "The region's indicators",
	Area: "Competence area", Persons: "Need (persons)", Matches: "Offers within reach", Capacity: "Capacity", Coverage: "Coverage",
	Rank: "Rank", Offer: "Offer", Provider: "Provider", Place: "Place", Mode: "Mode", Start: "Start", Points: "Points",
	Suppressed:     "suppressed",
	SuppressedNote: "Suppressed: the need is not published because fewer than 3 firms answered, one firm dominates the answers, or to protect other suppressed cells. Its coverage is not shown either.",
	Online:         "online", Unknown: "unknown",
}

func (d *dataset) planningText() planningTexts {
	if d.lang == charts.English {
		return planningEN
	}
	return planningNB
}

// planningHref is the book path of a region's planning page.
func planningHref(code string) string { return "planlegging/" + fileName(code) + ".html" }

// planningRegions returns the regions with a planning page, in the book's
// order (regions without an indicator page, named only by the needs,
// last), and sets the pages' links.
func (d *dataset) planningRegions() []*Region {
	p := d.in.Planning
	if p == nil {
		return nil
	}
	has := map[string]bool{}
	extra := map[string]*Region{}
	for _, n := range p.Needs {
		has[n.Region] = true
		if d.byCode[n.Region] == nil && extra[n.Region] == nil {
			extra[n.Region] = &Region{Code: n.Region, Name: n.RegionLabel, Level: n.RegionLevel}
		}
	}
	var out []*Region
	for _, r := range d.regions {
		if has[r.Code] || d.regionHasIdle(r) || len(d.planRows(r.Code)) > 0 {
			out = append(out, r)
		}
	}
	codes := make([]string, 0, len(extra))
	for c := range extra {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		out = append(out, extra[c])
	}
	return out
}

// inRegion reports whether municipality m lies in region r.
func (d *dataset) inRegion(m string, r *Region) bool {
	if m == "" {
		return false
	}
	switch r.Level {
	case LevelNation:
		return true
	case LevelMunicipality:
		return m == r.Code
	case LevelCounty:
		if mr := d.byCode[m]; mr != nil && mr.County != "" {
			return mr.County == r.Code
		}
		return len(m) == 4 && m[:2] == r.Code
	case LevelGrouping:
		if mr := d.byCode[m]; mr != nil {
			return containsStr(mr.Groups, r.Code)
		}
	}
	return false
}

func (d *dataset) regionHasIdle(r *Region) bool {
	for _, o := range d.in.Planning.Idle {
		if d.inRegion(o.Municipality, r) {
			return true
		}
	}
	return false
}

// planRows returns the planning table's rows of region code.
func (d *dataset) planRows(code string) [][]any {
	t := d.in.Planning.Table
	if t == nil || t.RegionColumn < 0 {
		return nil
	}
	var out [][]any
	for _, row := range t.Rows {
		if t.RegionColumn < len(row) {
			if s, ok := row[t.RegionColumn].(string); ok && s == code {
				out = append(out, row)
			}
		}
	}
	return out
}

func (d *dataset) planNumber(v float64, dec int) string {
	if math.IsNaN(v) {
		return d.planningText().Unknown
	}
	return charts.FormatNumber(v, dec, d.lang)
}

func (d *dataset) planOffer(o PlanOffer) planOfferRow {
	t := d.planningText()
	place := o.MunicipalityName
	switch {
	case o.Municipality == "":
		place = t.Online
	case place == "":
		place = d.name(o.Municipality) // the code when the book does not know it
	}
	start := o.Start
	if start == "" {
		start = t.Unknown
	}
	row := planOfferRow{Title: o.Title, Provider: o.Provider, Place: place, Mode: o.Mode, Start: start,
		Points: d.planNumber(o.Points, 0), Capacity: d.planNumber(o.Capacity, 0)}
	if o.Rank > 0 {
		row.Rank = strconv.Itoa(o.Rank)
	}
	return row
}

// planningPage builds the page of region r.
func (d *dataset) planningPage(r *Region, withIndicatorPage bool) *planningPage {
	p := d.in.Planning
	t := d.planningText()
	c := d.common()
	c.Synthetic = c.Synthetic || p.Synthetic
	pg := &planningPage{common: c, Region: r, LevelName: d.levelName(r.Level), Period: p.Period, Rule: p.Rule, T: t}
	pg.Title = fmt.Sprintf(t.Title, r.Name)
	if withIndicatorPage {
		pg.Back = "../region/" + fileName(r.Code) + ".html"
	}
	var unmet, matched []PlanNeed
	for _, n := range p.Needs {
		if n.Region != r.Code {
			continue
		}
		if len(n.Offers) == 0 {
			unmet = append(unmet, n)
		} else {
			matched = append(matched, n)
		}
	}
	// Largest needs first; suppressed needs (no number) after those with
	// one, by area.
	order := func(ns []PlanNeed) {
		sort.SliceStable(ns, func(i, j int) bool {
			a, b := ns[i], ns[j]
			if a.Suppressed != b.Suppressed {
				return !a.Suppressed
			}
			if !a.Suppressed && a.Persons != b.Persons {
				return a.Persons > b.Persons
			}
			return a.AreaLabel < b.AreaLabel
		})
	}
	order(unmet)
	order(matched)
	row := func(n PlanNeed) planNeedRow {
		nr := planNeedRow{Area: n.AreaLabel, Suppressed: n.Suppressed, Matches: strconv.Itoa(n.Matches)}
		if nr.Area == "" {
			nr.Area = n.Area
		}
		if n.Suppressed {
			nr.Persons, nr.Coverage = t.Suppressed, t.Suppressed
		} else {
			nr.Persons = d.planNumber(n.Persons, 0)
			nr.Coverage = t.Unknown
			if !math.IsNaN(n.Coverage) {
				nr.Coverage = charts.FormatNumber(100*n.Coverage, 0, d.lang) + " %"
			}
		}
		nr.Capacity = d.planNumber(n.Capacity, 0)
		for _, o := range n.Offers {
			nr.Offers = append(nr.Offers, d.planOffer(o))
		}
		nr.Span = max(1, len(nr.Offers))
		return nr
	}
	for _, n := range unmet {
		pg.Unmet = append(pg.Unmet, row(n))
		pg.UnmetSuppressed = pg.UnmetSuppressed || n.Suppressed
	}
	for _, n := range matched {
		pg.Matched = append(pg.Matched, row(n))
		pg.MatchedSuppressed = pg.MatchedSuppressed || n.Suppressed
	}
	for _, o := range p.Idle {
		if o.Municipality == "" || d.inRegion(o.Municipality, r) {
			pg.Idle = append(pg.Idle, d.planOffer(o))
		}
	}
	switch tb := p.Table; {
	case tb == nil:
		pg.TableNote = t.TableNone
	default:
		rows := d.planRows(r.Code)
		if len(rows) == 0 {
			pg.TableNote = t.TableNoRows
			break
		}
		dt := &dataTable{Caption: tb.Title, Header: tb.Header}
		for _, row := range rows {
			cells := make([]string, len(row))
			for i, v := range row {
				cells[i] = d.planCell(v, tb, i)
			}
			dt.Rows = append(dt.Rows, cells)
		}
		pg.Table = dt
		pg.common.Synthetic = pg.common.Synthetic || tb.Synthetic
	}
	return pg
}

// planCell formats a cell of the planning table.
func (d *dataset) planCell(v any, tb *PlanTable, col int) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return charts.FormatNumber(float64(x), 0, d.lang)
	case int64:
		return charts.FormatNumber(float64(x), 0, d.lang)
	case float64:
		if math.IsNaN(x) {
			return ""
		}
		dec := 1
		if col < len(tb.Decimals) {
			dec = tb.Decimals[col]
		}
		return charts.FormatNumber(x, dec, d.lang)
	}
	return ""
}

// planningLayout is the template of a planning page (parsed with layout:
// it uses "head" and "foot", and the func table).
const planningLayout = `{{define "planning"}}{{template "head" (page . "../style.css" "../index.html" .Title)}}
<main id="main" class="planning">
<h1>{{.Title}}</h1>
<p class="level">{{.LevelName}}{{if ne .Region.Level "land"}} ({{.Region.Code}}){{end}}{{if .Period}}. {{.T.Period}}: {{.Period}}{{end}}</p>
{{if .Back}}<p class="noprint"><a href="{{.Back}}">{{.T.BackTo}}: {{.Region.Name}}</a></p>{{end}}
<section aria-labelledby="uten-tilbud">
<h2 id="uten-tilbud">{{.T.Unmet}}</h2>
{{if .Unmet}}<p>{{.T.UnmetIntro}}</p>
<table class="plan narrow">
<caption>{{.T.Unmet}}: {{.Region.Name}}</caption>
<thead><tr><th scope="col">{{.T.Area}}</th><th scope="col">{{.T.Persons}}</th></tr></thead>
<tbody>{{range .Unmet}}<tr{{if .Suppressed}} class="suppressed"{{end}}><th scope="row">{{.Area}}</th><td>{{.Persons}}</td></tr>
{{end}}</tbody>
</table>
{{if .UnmetSuppressed}}<p class="note">{{.T.SuppressedNote}}</p>{{end}}{{else}}<p>{{.T.UnmetNone}}</p>{{end}}
</section>
<section aria-labelledby="med-tilbud">
<h2 id="med-tilbud">{{.T.Matched}}</h2>
{{if .Matched}}<p>{{.T.MatchedIntro}}</p>
<div class="wrap"><table class="plan matches">
<caption>{{.T.Matched}}: {{.Region.Name}}</caption>
<thead><tr><th scope="col">{{.T.Area}}</th><th scope="col">{{.T.Persons}}</th><th scope="col">{{.T.Coverage}}</th><th scope="col">{{.T.Rank}}</th><th scope="col" class="text">{{.T.Offer}}</th><th scope="col" class="text">{{.T.Provider}}</th><th scope="col" class="text">{{.T.Place}}</th><th scope="col" class="text">{{.T.Mode}}</th><th scope="col">{{.T.Start}}</th><th scope="col">{{.T.Points}}</th><th scope="col">{{.T.Capacity}}</th></tr></thead>
{{range .Matched}}<tbody>{{$n := .}}{{range $i, $o := .Offers}}<tr{{if $n.Suppressed}} class="suppressed"{{end}}>{{if eq $i 0}}<th scope="rowgroup" rowspan="{{$n.Span}}">{{$n.Area}}</th><td rowspan="{{$n.Span}}">{{$n.Persons}}</td><td rowspan="{{$n.Span}}">{{$n.Coverage}}</td>{{end}}<td class="num">{{$o.Rank}}</td><td class="text">{{$o.Title}}</td><td class="text">{{$o.Provider}}</td><td class="text">{{$o.Place}}</td><td class="text">{{$o.Mode}}</td><td class="date">{{$o.Start}}</td><td>{{$o.Points}}</td><td>{{$o.Capacity}}</td></tr>
{{end}}</tbody>
{{end}}</table></div>
{{if .MatchedSuppressed}}<p class="note">{{.T.SuppressedNote}}</p>{{end}}{{else}}<p>{{.T.MatchedNone}}</p>{{end}}
</section>
<section aria-labelledby="uten-behov">
<h2 id="uten-behov">{{.T.Idle}}</h2>
{{if .Idle}}<p>{{.T.IdleIntro}}</p>
<table class="plan">
<caption>{{.T.Idle}}: {{.Region.Name}}</caption>
<thead><tr><th scope="col" class="text">{{.T.Offer}}</th><th scope="col" class="text">{{.T.Provider}}</th><th scope="col" class="text">{{.T.Place}}</th><th scope="col" class="text">{{.T.Mode}}</th><th scope="col">{{.T.Start}}</th><th scope="col">{{.T.Capacity}}</th></tr></thead>
<tbody>{{range .Idle}}<tr><th scope="row">{{.Title}}</th><td class="text">{{.Provider}}</td><td class="text">{{.Place}}</td><td class="text">{{.Mode}}</td><td class="date">{{.Start}}</td><td>{{.Capacity}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>{{.T.IdleNone}}</p>{{end}}
</section>
<section aria-labelledby="tilbudsplanlegging" class="wide">
<h2 id="tilbudsplanlegging">{{.T.Table}}</h2>
{{if .Table}}<div class="scroll">{{table .Table}}</div>{{else}}<p>{{.TableNote}}</p>{{end}}
</section>
{{if .Rule}}<p class="desc">{{.T.Rule}}: {{.Rule}}</p>{{end}}
</main>
{{template "foot" .}}{{end}}
`
