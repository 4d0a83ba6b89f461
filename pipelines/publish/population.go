package publish

import (
	"fmt"
	"math"
	"slices"

	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// PopulationDataset is the dataset the book's population pyramids are
// drawn from: persons by region, sex (Kjonn 1, 2) and age (Alder), SSB
// table 07459.
const PopulationDataset = "befolkning"

// populationContents is the ContentsCode of persons in 07459.
const populationContents = "Personer1"

// Population reads the current harmonised version of the befolkning
// dataset for the book's pyramids: its municipality cells on today's
// regions and its published county and national rows, men and women by
// age, the last period only (a missing cell is NaN). It returns nil rows
// and no error when the knowledge base has no such layer (a config
// without befolkning); the book then says so on every page.
func Population(st *store.Store, cat *store.Catalog) (rows []book.PopulationRow, v *store.Version, err error) {
	id := store.LayerID(store.HarmonisedLayer, PopulationDataset)
	v = cat.Datasets[id].CurrentVersion()
	if v == nil {
		return nil, nil, nil
	}
	rec, err := st.ReadVersion(id, v.Stamp)
	if err != nil {
		return nil, nil, fmt.Errorf("publish: population: %w", err)
	}
	l, err := harmonise.ReadLayer(PopulationDataset, rec)
	rec.Release()
	if err != nil {
		return nil, nil, fmt.Errorf("publish: population: %w", err)
	}
	sex, age, contents := slices.Index(l.Dims, "Kjonn"), slices.Index(l.Dims, "Alder"), slices.Index(l.Dims, "ContentsCode")
	if sex < 0 || age < 0 {
		return nil, nil, fmt.Errorf("publish: population: dataset %s has dimensions %v, want Kjonn and Alder", id, l.Dims)
	}
	last := ""
	for _, c := range l.Cells {
		last = max(last, c.Period)
	}
	for _, cells := range [][]harmonise.Cell{l.Cells, l.Published} {
		for _, c := range cells {
			if c.Period != last || contents >= 0 && c.Key[contents] != populationContents {
				continue
			}
			val := c.Value
			if !c.Valid {
				val = math.NaN()
			}
			rows = append(rows, book.PopulationRow{Region: c.Region, Period: c.Period, Sex: c.Key[sex], Age: c.Key[age], Value: val})
		}
	}
	return rows, v, nil
}
