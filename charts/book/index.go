package book

import (
	"reflect"

	"github.com/grunnlag/grunnlag/charts"
)

// Index is an input's rows arranged for the book's pages and charts: by
// indicator, region, category and period, with each point's flags and
// comparisons, and the regions found in them. Indexing is the bulk of the
// book's memory (400 MB of a 20-year run when the charts and the book
// each made their own), so the charts and the book of one run can share
// one through Options.Index. An Index is read only and safe for
// concurrent use.
type Index struct {
	d *dataset
}

// NewIndex indexes in (as Build and Charts do).
func NewIndex(in *Input) (*Index, error) {
	d, err := index(in)
	if err != nil {
		return nil, err
	}
	return &Index{d: d}, nil
}

// Fits reports whether x shows what indexing in would: x was made from
// the same rows (the same slice, not a copy), in the same language, for
// equal indicators, regions and population rows. An input that differs
// elsewhere (its planning pages, its green lists, its changes) fits.
func (x *Index) Fits(in *Input) bool {
	if x == nil || in == nil {
		return false
	}
	was := x.d.in
	if langOf(was) != langOf(in) || len(was.Rows) != len(in.Rows) ||
		len(in.Rows) > 0 && &was.Rows[0] != &in.Rows[0] {
		return false
	}
	if len(was.Population) != len(in.Population) ||
		len(in.Population) > 0 && &was.Population[0] != &in.Population[0] && !reflect.DeepEqual(was.Population, in.Population) {
		return false
	}
	return reflect.DeepEqual(was.Indicators, in.Indicators) && reflect.DeepEqual(was.Regions, in.Regions)
}

// datasetFor returns the dataset Build and Charts draw in from: x's,
// pointed at in, when x fits in, else in indexed anew.
func (x *Index) datasetFor(in *Input) (*dataset, error) {
	if !x.Fits(in) {
		return index(in)
	}
	d := *x.d // the maps and slices are shared and only read
	d.in = in
	return &d, nil
}

// langOf is the language an input is written in (bokmål when unset).
func langOf(in *Input) charts.Lang {
	if in.Lang == "" {
		return charts.Bokmal
	}
	return in.Lang
}
