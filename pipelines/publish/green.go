package publish

import (
	"fmt"
	"math"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/offers"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// greenLists reads the book's lists of green needs and offers (the theme
// «Grønn omstilling») from the current behov_tilbud: for each region of a
// need, its needs of areas tagged green (behov_gronn ja; the published
// persons, a suppressed need without them) and the offers tagged green
// (tilbud_gronn ja) among the best offers matched to its needs; for a
// municipality also the green offers there that match no mapped need.
// synthetic reports a synthetic behov_tilbud. nil when the knowledge base
// has no behov_tilbud, or one built before the tag, or nothing green.
func (p *Publisher) greenLists(cat *store.Catalog) (lists *book.GreenLists, synthetic bool, err error) {
	v := cat.Datasets[offers.DatasetMatches].CurrentVersion()
	if v == nil {
		return nil, false, nil
	}
	rec, err := p.Store.ReadVersion(offers.DatasetMatches, v.Stamp)
	if err != nil {
		return nil, false, fmt.Errorf("publish: %w", err)
	}
	defer rec.Release()
	if len(rec.Schema().FieldIndices(offers.ColumnNeedGreen)) == 0 {
		return nil, false, nil // built before the tag
	}
	cols := map[string]func(int) string{}
	for _, name := range []string{"periode", "region", "kompetanseomrade", "kompetanseomrade_label", "liste", "rang", "tilbud", "tilbud_label",
		"tilbyder", "kommune", "form", "maal", "status", offers.ColumnNeedGreen, offers.ColumnOfferGreen} {
		c, err := store.StringColumn(rec, name)
		if err != nil {
			return nil, false, fmt.Errorf("publish: dataset %s: %w", offers.DatasetMatches, err)
		}
		cols[name] = c
	}
	val, err := store.FloatColumn(rec, "value")
	if err != nil {
		return nil, false, fmt.Errorf("publish: dataset %s: %w", offers.DatasetMatches, err)
	}
	en := p.Lang == charts.English
	place := func(muni, mode string) string {
		if mode == "nett" || muni == "" {
			if en {
				return "online"
			}
			return "nett"
		}
		if p.Model != nil {
			if r, err := p.Model.Resolve(muni, p.Model.Latest()); err == nil {
				return r.Name
			}
		}
		return muni
	}
	lists = &book.GreenLists{Theme: indicators.ThemeGreen, Needs: map[string][]book.GreenNeed{}, Offers: map[string][]book.GreenOffer{}}
	index := map[[2]string]int{} // (region, offer) → position in lists.Offers[region]
	for i := 0; i < int(rec.NumRows()); i++ {
		region, maal := cols["region"](i), cols["maal"](i)
		switch {
		case cols["rang"](i) == needs.Total && cols["liste"](i) != offers.ListIdle:
			// A need's summary row.
			if maal != "personer" || cols[offers.ColumnNeedGreen](i) != needs.GreenYes {
				continue
			}
			n := book.GreenNeed{Area: cols["kompetanseomrade_label"](i), Persons: val(i), Period: cols["periode"](i),
				Suppressed: cols["status"](i) == needs.SuppressedStatus}
			if n.Suppressed {
				n.Persons = math.NaN()
			}
			lists.Needs[region] = append(lists.Needs[region], n)
		case cols[offers.ColumnOfferGreen](i) == needs.GreenYes && maal == "kapasitet":
			// An offer's row: ranked for a need, or without demand.
			if cols["liste"](i) == offers.ListIdle && cols["region"](i) == "nett" {
				continue // online and matching no need: no region page
			}
			capacity := -1
			if x := val(i); !math.IsNaN(x) {
				capacity = int(x)
			}
			k := [2]string{region, cols["tilbud"](i)}
			if _, seen := index[k]; seen {
				continue
			}
			index[k] = len(lists.Offers[region])
			lists.Offers[region] = append(lists.Offers[region], book.GreenOffer{Title: cols["tilbud_label"](i), Provider: cols["tilbyder"](i),
				Place: place(cols["kommune"](i), cols["form"](i)), Capacity: capacity})
		}
	}
	if len(lists.Needs) == 0 && len(lists.Offers) == 0 {
		return nil, false, nil
	}
	return lists, v.Synthetic, nil
}
