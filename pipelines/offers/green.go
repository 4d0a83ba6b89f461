package offers

import (
	"fmt"
	"slices"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/sources/offers"
)

// Green is an offer's green tag (the theme «Grønn omstilling») and how it
// was reached.
type Green struct {
	Tag   string // needs.GreenYes or needs.GreenNo
	Basis string // bokmål: "oppgitt i katalogen", or what it was derived from
}

// OfferGreen tags an offer. The catalog's own gronn (offers.Offer.Green)
// is kept as given. Otherwise the tag is derived through the same
// definitions as the needs': ja when one of the offer's SN2007 divisions
// is a green division of indicators/gronn.csv
// (indicators.GreenDefinition.TouchesRange), or when a competence area it
// names, or one its STYRK-08 codes map to (needs.Crosswalk.OccupationAreas),
// is tagged green in the crosswalk; nei otherwise. A NUS field alone never
// makes an offer green: a field such as 5 (technical subjects) spans green
// and other areas alike.
func OfferGreen(o offers.Offer, cw *needs.Crosswalk, def *indicators.GreenDefinition) Green {
	if o.Green != "" {
		return Green{Tag: o.Green, Basis: "oppgitt i katalogen"}
	}
	for _, rg := range o.Industries {
		if def.TouchesRange(rg[0], rg[1]) {
			sn := fmt.Sprintf("%02d", rg[0])
			if rg[0] != rg[1] {
				sn += fmt.Sprintf("-%02d", rg[1])
			}
			return Green{Tag: needs.GreenYes, Basis: "utledet: SN2007 " + sn + " har en grønn næring (" + indicators.GreenFile + ")"}
		}
	}
	areas := slices.Clone(o.Areas)
	for _, s := range o.STYRK {
		areas = append(areas, cw.OccupationAreas(s)...)
	}
	for _, a := range areas {
		if cw.GreenTag(a) == needs.GreenYes {
			return Green{Tag: needs.GreenYes, Basis: "utledet: kompetanseområdet " + a + " er grønt i krysslisten"}
		}
	}
	return Green{Tag: needs.GreenNo, Basis: "utledet: ingen grønn næring eller grønt kompetanseområde"}
}

// OfferGreens tags every offer (OfferGreen), in catalog order.
func OfferGreens(os []offers.Offer, cw *needs.Crosswalk, def *indicators.GreenDefinition) []Green {
	out := make([]Green, len(os))
	for i, o := range os {
		out[i] = OfferGreen(o, cw, def)
	}
	return out
}
