package book

import (
	"bytes"
	"context"
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
