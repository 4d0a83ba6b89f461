package book

import (
	"fmt"
	"math"

	"github.com/grunnlag/grunnlag/charts"
)

// GreenLists are the region's green needs and green offers that a region
// page lists under one theme, after its indicators (the theme «Grønn
// omstilling»: needs of competence areas tagged green, offers tagged
// green). Regions without an entry get no lists; a theme with lists but no
// indicator for the region still gets its section.
type GreenLists struct {
	Theme  string                  // the Theme.ID the lists go under
	Needs  map[string][]GreenNeed  // by region code
	Offers map[string][]GreenOffer // by region code
}

// GreenNeed is one mapped need of a competence area tagged green, as
// published (after disclosure control).
type GreenNeed struct {
	Area       string  // the competence area's name
	Persons    float64 // persons needed (weighted); NaN when not published
	Suppressed bool    // the cell is suppressed (":"): persons are not shown
	Period     string
}

// GreenOffer is one offer tagged green that is within reach of the region.
type GreenOffer struct {
	Title, Provider string
	Place           string // municipality name, or the online mode's word
	Capacity        int    // places; -1 when not known
}

// greenBlock is a theme's lists on a region page, formatted.
type greenBlock struct {
	NeedsTitle, OffersTitle string
	Needs, Offers           []string
	Note                    string
}

// greenBlock formats the lists of region code, nil when it has none.
func (d *dataset) greenBlock(code string) *greenBlock {
	g := d.in.Green
	if g == nil || (len(g.Needs[code]) == 0 && len(g.Offers[code]) == 0) {
		return nil
	}
	w := struct{ needs, offers, note, suppressed, missing, persons, places string }{
		"Grønne kompetansebehov", "Grønne tilbud innen rekkevidde",
		"Behov i kompetanseområder som er merket grønne i krysslisten, og tilbud som er merket grønne (oppgitt i katalogen eller avledet av næring og kompetanseområde). Prikkede behov vises uten antall.",
		"prikket", "ikke oppgitt", "personer", "plasser"}
	if d.lang == charts.English {
		w.needs, w.offers = "Green skills needs", "Green offers within reach"
		w.note = "Needs in competence areas tagged green in the crosswalk, and offers tagged green (given in the catalog or derived from industry and competence area). Suppressed needs are shown without a number."
		w.suppressed, w.missing, w.persons, w.places = "suppressed", "not available", "persons", "places"
	}
	b := &greenBlock{NeedsTitle: w.needs, OffersTitle: w.offers, Note: w.note}
	for _, n := range g.Needs[code] {
		what := charts.FormatNumber(n.Persons, 0, d.lang) + " " + w.persons
		switch {
		case n.Suppressed:
			what = w.suppressed
		case math.IsNaN(n.Persons):
			what = w.missing
		}
		b.Needs = append(b.Needs, fmt.Sprintf("%s (%s): %s", n.Area, n.Period, what))
	}
	for _, o := range g.Offers[code] {
		line := o.Title + ", " + o.Provider
		if o.Place != "" {
			line += " (" + o.Place + ")"
		}
		if o.Capacity >= 0 {
			line += ": " + charts.FormatNumber(float64(o.Capacity), 0, d.lang) + " " + w.places
		}
		b.Offers = append(b.Offers, line)
	}
	return b
}

// greenTemplate is the additive block of the lists, rendered inside the
// theme's section of a region page.
const greenTemplate = `{{define "green"}}<div class="green" aria-label="{{.NeedsTitle}}">
{{if .Needs}}<h3>{{.NeedsTitle}}</h3>
<ul>{{range .Needs}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Offers}}<h3>{{.OffersTitle}}</h3>
<ul>{{range .Offers}}<li>{{.}}</li>{{end}}</ul>{{end}}
<p class="note">{{.Note}}</p>
</div>{{end}}
`
