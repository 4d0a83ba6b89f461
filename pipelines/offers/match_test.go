package offers

import (
	"fmt"
	"math"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/sources/offers"
)

func crosswalk(t *testing.T) *needs.Crosswalk {
	t.Helper()
	cw, err := needs.DefaultCrosswalk()
	if err != nil {
		t.Fatal(err)
	}
	return cw
}

// geo is Namdal and Fosen as in testdata/regions/grupper-trondelag.yaml
// (5020 Osen is in both).
var geo = Geography{Groups: map[string][]string{
	"namdal": {"5007", "5049", "5047", "5045", "5046", "5044", "5042", "5043", "5052", "5060", "5020"},
	"fosen":  {"5054", "5020", "5057", "5058"},
}}

func TestReach(t *testing.T) {
	cases := []struct {
		region, level, muni, mode string
		want                      string
	}{
		{"5007", LevelMunicipality, "5007", "stedbasert", ReachInside},
		// 5049 Flatanger shares Namdal with 5007 Namsos.
		{"5007", LevelMunicipality, "5049", "stedbasert", ReachGroup},
		// 5054 Indre Fosen and 5049 Flatanger share no grouping: same county.
		{"5054", LevelMunicipality, "5049", "stedbasert", ReachCounty},
		// 5020 Osen is in Namdal and Fosen: a neighbour of 5054 through Fosen.
		{"5054", LevelMunicipality, "5020", "stedbasert", ReachGroup},
		{"5007", LevelMunicipality, "5001", "stedbasert", ReachCounty},
		{"5007", LevelMunicipality, "4003", "stedbasert", ""},
		// Online from Skien: not near, but online.
		{"5007", LevelMunicipality, "4003", offers.ModeOnline, ReachOnline},
		{"5007", LevelMunicipality, "", offers.ModeOnline, ReachOnline},
		// Online in Namsos itself: the nearer reach wins.
		{"5007", LevelMunicipality, "5007", offers.ModeOnline, ReachInside},
		{"namdal", LevelGroup, "5020", "samlingsbasert", ReachInside},
		{"namdal", LevelGroup, "5001", "samlingsbasert", ReachCounty},
		{"namdal", LevelGroup, "4003", "samlingsbasert", ""},
		{"50", LevelCounty, "5001", "stedbasert", ReachInside},
		{"40", LevelCounty, "5001", "stedbasert", ""},
	}
	for _, c := range cases {
		got, ok := geo.Reach(c.region, c.level, c.muni, c.mode)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("Reach(%s, %s, %s, %s) = %q, %v; want %q", c.region, c.level, c.muni, c.mode, got, ok, c.want)
		}
	}
}

// FieldPoints through the shipped crosswalk: ikt has STYRK 25, SN2007
// 58-63 and NUS field 5 (pipelines/needs/crosswalk.csv).
func TestFieldPoints(t *testing.T) {
	cw := crosswalk(t)
	for _, tt := range []struct {
		name string
		o    offers.Offer
		want int
	}{
		{"area named", offers.Offer{Areas: []string{"ikt"}}, 3},
		{"STYRK 2512 under 25", offers.Offer{STYRK: []string{"2512"}}, 3},
		{"SN2007 62", offers.Offer{Industries: [][2]int{{62, 62}}}, 2},
		{"SN2007 range 41-58 overlaps 58", offers.Offer{Industries: [][2]int{{41, 58}}}, 2},
		{"NUS 5", offers.Offer{NUS: "5"}, 1},
		{"NUS 6 (health)", offers.Offer{NUS: "6"}, 0},
		{"other area", offers.Offer{Areas: []string{"helse_oppvekst"}}, 0},
	} {
		if got := FieldPoints(tt.o, "ikt", cw); got != tt.want {
			t.Errorf("FieldPoints(%s, ikt) = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// matchFixture: three needs and five offers (SYNTHETIC), with the rule's
// points worked out by hand in TestMatchAll.
func matchFixture() ([]Need, []offers.Offer, map[string][]string) {
	ns := []Need{
		{Region: "5007", RegionLabel: "Namsos", RegionLevel: LevelMunicipality, Area: "ikt", Persons: 10},
		// Suppressed; Persons 7 stands for a hidden value that must never
		// come out (ReadNeeds itself gives NaN).
		{Region: "namdal", RegionLabel: "Namdal regionråd", RegionLevel: LevelGroup, Area: "ikt", Persons: 7, Suppressed: true},
		{Region: "40", RegionLabel: "Telemark", RegionLevel: LevelCounty, Area: "helse_oppvekst", Persons: 20},
	}
	os := []offers.Offer{
		{Title: "Sky på nett", OrgNr: "999000851", Level: "hoyere", Areas: []string{"ikt"}, Mode: offers.ModeOnline, Capacity: 40},
		{Title: "IT-drift Flatanger", OrgNr: "999001963", Level: "vgs", STYRK: []string{"2512"}, Municipality: "5049", Mode: "stedbasert", Capacity: 5},
		{Title: "Teknikk Trondheim", OrgNr: "999001963", Level: "fagskole", NUS: "5", Municipality: "5001", Mode: "samlingsbasert", Capacity: -1},
		{Title: "IKT Skien", OrgNr: "999000118", Level: "hoyere", Areas: []string{"ikt"}, Municipality: "4003", Mode: "stedbasert", Capacity: 30},
		{Title: "Helse Namsos", OrgNr: "999000487", Level: "vgs", Areas: []string{"helse_oppvekst"}, Municipality: "5007", Mode: "stedbasert", Capacity: 12},
	}
	levels := map[string][]string{"50": {"hoyere"}, "40": {"vgs"}}
	return ns, os, levels
}

func TestMatchAll(t *testing.T) {
	ns, os, levels := matchFixture()
	got, idle := MatchAll(ns, os, geo, crosswalk(t), levels)
	// Need 0, Namsos ikt, 10 persons; Trøndelag asked for hoyere:
	//   offer 0 online: field 3 (area) + level 1 (hoyere) + place 1 (nett) = 5
	//   offer 1 Flatanger (Namdal neighbour): field 3 (STYRK 2512 -> 25 ikt)
	//           + level 0 (vgs) + place 2 (same grouping) = 5
	//   offer 2 Trondheim: field 1 (NUS 5) + level 0 + place 1 (county) = 2
	//   offer 3 Skien: another county, not online: out of reach
	//   offer 4 Namsos: health, no field: no match
	// Ties at 5 go to more place points: 1 before 0. Capacity 40 + 5 = 45
	// known, offer 2 unknown: coverage missing.
	// Need 1, Namdal ikt (suppressed): offer 0 nett 3+1+1 = 5, offer 1 in
	//   Namdal 3+0+3 = 6, offer 2 Trondheim (all members in 50) 1+0+1 = 2.
	// Need 2, Telemark health: offer 4 is in Trøndelag, nothing online: none.
	// Offers 3 and 4 match no published need: idle.
	want := []string{
		"[1:samme_gruppe:3+0+2=5 0:nett:3+1+1=5 2:samme_fylke:1+0+1=2] cap 45 unknown 1",
		"[1:i_regionen:3+0+3=6 0:nett:3+1+1=5 2:samme_fylke:1+0+1=2] cap 45 unknown 1",
		"[] cap 0 unknown 0",
	}
	for i, nm := range got {
		s := "["
		for k, m := range nm.Matches {
			if k > 0 {
				s += " "
			}
			s += fmt.Sprintf("%d:%s:%d+%d+%d=%d", m.Offer, m.Reach, m.Field, m.Level, m.Place, m.Score)
		}
		s += fmt.Sprintf("] cap %d unknown %d", nm.Capacity, nm.UnknownCapacity)
		if s != want[i] {
			t.Errorf("need %d (%s %s) = %s, want %s", i, nm.Need.Region, nm.Need.Area, s, want[i])
		}
	}
	if fmt.Sprint(idle) != "[3 4]" {
		t.Errorf("idle offers = %v, want [3 4]", idle)
	}
	if c := got[0].Coverage(); !math.IsNaN(c) {
		t.Errorf("coverage of need 0 = %v, want NaN (a capacity is unknown)", c)
	}
	if c := got[1].Coverage(); !math.IsNaN(c) {
		t.Errorf("coverage of the suppressed need = %v, want NaN", c)
	}
	// Need 2 has no offer: coverage 0 / 20 = 0.
	if c := got[2].Coverage(); c != 0 {
		t.Errorf("coverage of need 2 = %v, want 0", c)
	}
}

// A known capacity everywhere gives coverage = capacity / persons:
// (40 + 5) / 10 = 4.5 when offer 2 is dropped.
func TestCoverage(t *testing.T) {
	ns, os, levels := matchFixture()
	got, _ := MatchAll(ns[:1], os[:2], geo, crosswalk(t), levels)
	if c := got[0].Coverage(); c != 4.5 {
		t.Errorf("Coverage = %v, want 4.5", c)
	}
}

// The suppressed need stays suppressed in behov_tilbud: its personer and
// dekning are null with status ":", and no row of it carries a number
// that depends on its persons.
func TestMatchesRecordSuppressed(t *testing.T) {
	ns, os, levels := matchFixture()
	nms, idle := MatchAll(ns, os, geo, crosswalk(t), levels)
	rec := MatchesRecord(memoryAlloc(), "2024", nms, idle, os, 3, func(string) string { return "" }, nil)
	defer rec.Release()
	rows := recordRows(t, rec)
	var seen int
	for _, r := range rows {
		if r["region"] != "namdal" || r["rang"] != "_T" {
			continue
		}
		seen++
		switch r["maal"] {
		case "personer", "dekning":
			if r["value"] != "null" || r["status"] != ":" {
				t.Errorf("namdal %s = %s status %q, want null with \":\"", r["maal"], r["value"], r["status"])
			}
		case "kapasitet":
			// 40 + 5 known; the offers' capacities, not the need's persons.
			if r["value"] != "45" {
				t.Errorf("namdal kapasitet = %s, want 45", r["value"])
			}
		}
	}
	if seen != 5 {
		t.Errorf("namdal summary rows = %d, want 5 (personer, antall_tilbud, kapasitet, kapasitet_ukjent, dekning)", seen)
	}
	// Namsos: published persons 10 and list matchet; Telemark health: uten_tilbud.
	for _, r := range rows {
		if r["region"] == "5007" && r["maal"] == "personer" && (r["value"] != "10" || r["liste"] != ListMatched) {
			t.Errorf("Namsos personer = %v", r)
		}
		if r["region"] == "40" && r["maal"] == "personer" && (r["value"] != "20" || r["liste"] != ListUnmet) {
			t.Errorf("Telemark personer = %v", r)
		}
	}
	var idleRows []string
	for _, r := range rows {
		if r["liste"] == ListIdle {
			idleRows = append(idleRows, r["region"]+" "+r["tilbud_label"]+" "+r["value"])
		}
	}
	if fmt.Sprint(idleRows) != "[4003 IKT Skien 30 5007 Helse Namsos 12]" {
		t.Errorf("uten_behov rows = %v", idleRows)
	}
}
