package book

import (
	"bytes"
	"context"
	"math"
	"slices"
	"testing"

	"github.com/grunnlag/grunnlag/charts"
)

// TestIndexShared: a book built with the index of another input that
// shows the same rows (as the charts' input of a run is to the book's:
// the same rows, other green lists and planning) equals the book built
// on its own, file for file; an index made from other rows, another
// language or other indicators does not fit and is not used. SYNTHETIC
// rows (synthInput).
func TestIndexShared(t *testing.T) {
	first := synthInput()
	x, err := NewIndex(first)
	if err != nil {
		t.Fatal(err)
	}
	second := *first // the same rows, another input
	second.Green = nil
	second.Changes = nil
	if !x.Fits(&second) {
		t.Fatal("the index does not fit an input with the same rows")
	}
	want := build(t, &second)
	var m memWriter
	if _, err := Build(context.Background(), &second, Options{Workers: 2, Index: x}, m.write); err != nil {
		t.Fatal(err)
	}
	if len(m.files) != len(want) {
		t.Fatalf("with the shared index %d files, on its own %d", len(m.files), len(want))
	}
	for name, data := range want {
		if !bytes.Equal(data, m.files[name]) {
			t.Errorf("%s differs with the shared index", name)
		}
	}

	copied := second
	copied.Rows = append([]Row(nil), first.Rows...) // equal rows, but not the same
	en := second
	en.Lang = charts.English
	renamed := second
	renamed.Indicators = append([]Indicator(nil), first.Indicators...)
	renamed.Indicators[0].Title += " (ny)"
	for name, in := range map[string]*Input{"copied rows": &copied, "English": &en, "renamed indicator": &renamed} {
		if x.Fits(in) {
			t.Errorf("the index fits the input with %s", name)
		}
	}
	// An index that does not fit is not used: the English book is the
	// English book.
	var e memWriter
	if _, err := Build(context.Background(), &en, Options{Workers: 2, Index: x}, e.write); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(e.files["region/4001.html"], []byte(`<html lang="en">`)) {
		t.Error("Build with an index that does not fit wrote a bokmål page for an English input")
	}
	var nilIndex *Index
	if nilIndex.Fits(first) {
		t.Error("a nil index fits")
	}
}

// TestPointOfRows: a point is a view of its rows, wherever they are in
// Input.Rows: its value, interval and rank are its first row's, its flags
// those of all its rows, each once in the order first seen, and a
// comparison the last row's with that comparator. Expected values by hand
// from the rows below (SYNTHETIC): 2021 of 4001 has rows 0, 2 and 4, with
// row 3 of another region and row 1 of an earlier period between them.
func TestPointOfRows(t *testing.T) {
	nan := math.NaN()
	row := func(reg, per string, v float64, comparator, compRegion string, gap, index float64, flags ...string) Row {
		return Row{Indicator: "a", Region: reg, RegionLevel: LevelMunicipality, Period: per, Value: v,
			CILow: nan, CIHigh: nan, Comparator: comparator, ComparatorRegion: compRegion, GapAbs: gap, GapIndex: index, Flags: flags}
	}
	rows := []Row{
		row("4001", "2021", 1, "national", "0", 0.5, 90, "provisional"),
		row("4001", "2020", 2, "county", "40", 1, nan),
		row("4001", "2021", 99, "county", "40", 3, nan, "significant", "provisional"),
		row("4003", "2021", 7, "national", "0", 1, 110, "suppressed"),
		row("4001", "2021", 98, "national", "0", 0.25, 95, "provisional", "provisional"),
		row("4001", "2019", 4, "", "", nan, nan, "x", "x"),
	}
	rows[0].Rank, rows[0].NRanked, rows[0].Computed = 3, 357, true
	d, err := index(&Input{Indicators: []Indicator{{ID: "a", Title: "A"}}, Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	s := d.data["a"]["4001"][""]
	if s == nil {
		t.Fatal("no series of a in 4001")
	}
	if want := []string{"2019", "2020", "2021"}; !slices.Equal(s.periods, want) {
		t.Fatalf("periods %v, want %v", s.periods, want)
	}
	p := s.at("2021")
	if !p.ok() || p.value() != 1 || p.rank() != 3 || p.nRanked() != 357 || !p.computed() {
		t.Errorf("2021: ok %t, value %v, rank %d of %d, computed %t; want the first row's: 1, 3 of 357, computed",
			p.ok(), p.value(), p.rank(), p.nRanked(), p.computed())
	}
	if got, want := p.flags(), (flagSet{"provisional", "significant"}); !slices.Equal(got, want) {
		t.Errorf("2021 flags %v, want %v", got, want)
	}
	if !p.hasFlag("significant") || p.hasFlag("suppressed") {
		t.Error("2021: hasFlag does not see its own rows' flags only")
	}
	if c, ok := p.comp("national"); !ok || c.index != 95 || c.gap != 0.25 || c.region != "0" {
		t.Errorf("2021 national %+v (%t), want the last national row's: index 95, gap 0.25", c, ok)
	}
	if c := p.compAt("county"); c.region != "40" || c.gap != 3 {
		t.Errorf("2021 county %+v, want region 40, gap 3", c)
	}
	if _, ok := p.comp("region_group"); ok {
		t.Error("2021 has a region_group comparison it has no row for")
	}
	if _, ok := s.at("2019").comp(""); ok {
		t.Error("a row without a comparator is a comparison")
	}
	if got := s.at("2019").flags(); !slices.Equal(got, flagSet{"x"}) {
		t.Errorf("2019 flags %v, want [x] (a row's own duplicate once)", got)
	}
	if got := s.at("2020").flags(); len(got) != 0 {
		t.Errorf("2020 flags %v, want none", got)
	}
	if s.at("2018").ok() || (*series)(nil).at("2021").ok() {
		t.Error("a point where there is none")
	}
	var vals []float64
	for p := range s.all() {
		vals = append(vals, p.value())
	}
	if want := []float64{4, 2, 1}; !slices.Equal(vals, want) {
		t.Errorf("all() values %v, want %v (period order)", vals, want)
	}
	if o := d.data["a"]["4003"][""].at("2021"); !o.hasFlag("suppressed") || o.value() != 7 {
		t.Error("4003's point takes rows of 4001 or misses its own")
	}
}
