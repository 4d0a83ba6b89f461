package indicators

import (
	"strings"
	"testing"
)

// TestCatalogThemesAndDecimals: every catalog indicator has a theme of its
// own (none falls into "annet") and shows the decimals its unit calls
// for: one for a share in per cent and a rate per 100 or per 1000, two
// for an index or a quotient, none for persons; the Herfindahl index,
// which lies in [1/16, 1], three.
func TestCatalogThemesAndDecimals(t *testing.T) {
	byUnit := map[string]int{"prosent": 1, "per 1000 sysselsatte": 1, "per 1000 innbyggere 15-24 år": 1, "per 100 sysselsatte": 1,
		"indeks": 2, "forhold": 2, "personer": 0}
	themes := map[string]string{}
	for _, th := range Themes() {
		if th.Title == "" || th.TitleEN == "" {
			t.Errorf("theme %s: title missing (bokmål %q, English %q)", th.ID, th.Title, th.TitleEN)
		}
		themes[th.ID] = th.Title
	}
	for _, ind := range Catalog() {
		if _, ok := themes[ind.Theme]; !ok || ind.Theme == ThemeOther {
			t.Errorf("%s: theme %q, want one of the named themes", ind.ID, ind.Theme)
		}
		want, ok := byUnit[ind.Unit]
		if ind.ID == "naering_herfindahl" {
			want, ok = 3, true
		}
		if !ok {
			t.Errorf("%s: unit %q has no expected decimals in this test", ind.ID, ind.Unit)
			continue
		}
		if ind.Decimals != want {
			t.Errorf("%s (%s): Decimals = %d, want %d", ind.ID, ind.Unit, ind.Decimals, want)
		}
	}
	// The four indicators the book's own theme map had left in "annet".
	for id, want := range map[string]string{"sysselsettingsgrad_20_66": ThemeEmployment, "sysselsetting_skiftandel": ThemeIndustry,
		"behov_personer_per_100_sysselsatte": ThemeDemand, "behov_mot_tilbud_gap": ThemeDemand} {
		for _, ind := range Catalog() {
			if ind.ID == id && ind.Theme != want {
				t.Errorf("%s: theme %q, want %q", id, ind.Theme, want)
			}
		}
	}
}

// TestNewCatalogRefusesThemesAndDecimals: a theme not in Themes and
// decimals out of range are refused, each named.
func TestNewCatalogRefusesThemesAndDecimals(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Indicator)
		want   string
	}{
		{"unknown theme", func(ind *Indicator) { ind.Theme = "okonomi" }, `theme "okonomi"`},
		{"no theme", func(ind *Indicator) { ind.Theme = "" }, `theme ""`},
		{"negative decimals", func(ind *Indicator) { ind.Decimals = -1 }, "decimals -1"},
		{"too many decimals", func(ind *Indicator) { ind.Decimals = 7 }, "decimals 7"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ind := utdanningHoyereAndel()
			tc.change(ind)
			_, err := NewCatalog(ind)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), ind.ID) {
				t.Errorf("NewCatalog(%s) = %v, want an error naming %s and %q", tc.name, err, ind.ID, tc.want)
			}
		})
	}
	if _, err := NewCatalog(utdanningHoyereAndel()); err != nil {
		t.Errorf("NewCatalog(unchanged) = %v", err)
	}
}
