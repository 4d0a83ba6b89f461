package book

import (
	"math"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/charts"
)

// TestBookGreenLists: a region with green needs and offers lists them
// under the theme given (its own section when no indicator of the theme
// has values there), a suppressed need without a number; a region without
// lists gets no such section. SYNTHETIC needs and offers.
func TestBookGreenLists(t *testing.T) {
	in := synthInput()
	in.Map = nil
	in.Themes = append(in.Themes, Theme{ID: "gronn", Title: "Grønn omstilling"})
	in.Green = &GreenLists{Theme: "gronn",
		Needs: map[string][]GreenNeed{
			"40":   {{Area: "Elektro og datateknologi", Persons: 1234, Period: "2024"}},
			"4001": {{Area: "Elektro og datateknologi", Persons: math.NaN(), Suppressed: true, Period: "2024"}},
		},
		Offers: map[string][]GreenOffer{"40": {{Title: "Elektro påbygg (syntetisk)", Provider: "Demo fagskole (syntetisk)", Place: "Skien", Capacity: 24}}},
	}
	files := build(t, in)
	county := string(files["region/40.html"])
	for _, want := range []string{`<h2 id="tema-gronn">Grønn omstilling</h2>`, "Grønne kompetansebehov", "Elektro og datateknologi (2024): 1" + charts.ThinSpace + "234 personer",
		"Grønne tilbud innen rekkevidde", "Elektro påbygg (syntetisk), Demo fagskole (syntetisk) (Skien): 24 plasser"} {
		if !strings.Contains(county, want) {
			i := strings.Index(county, "tema-gronn")
			t.Errorf("Telemark's page lacks %q; around the theme: %q", want, county[max(0, i):min(len(county), i+800)])
		}
	}
	muni := string(files["region/4001.html"])
	if !strings.Contains(muni, "Elektro og datateknologi (2024): prikket") || strings.Contains(muni, "Grønne tilbud") {
		t.Errorf("Porsgrunn's page: want the suppressed need without a number and no offers list")
	}
	if other := string(files["region/4003.html"]); strings.Contains(other, "tema-gronn") {
		t.Errorf("Skien's page has a green section without lists or indicator values")
	}
}
