package indicators

import (
	"errors"
	"fmt"
	"sort"
)

// Catalog returns the indicators in their listing order, each built fresh
// (no global state). Adding an indicator is one file plus one line here.
func Catalog() []*Indicator {
	return []*Indicator{
		utdanningGrunnskoleAndel(),
		utdanningVGSAndel(),
		utdanningFagskoleAndel(),
		utdanningHoyereAndel(),
		utdanningGrunnskoleAndel2564(),
		utdanningVGSAndel2564(),
		utdanningFagskoleAndel2564(),
		utdanningHoyereAndel2564(),
		sysselsettingsgrad1574(),
		sysselsettingsgrad2066(),
		sysselsatteNaeringLQ(),
		sysselsatteNaeringLQResten(),
		naeringHerfindahl(),
		naeringKrugman(),
		sysselsettingSkiftandel(),
		ledighetHeltAndel(),
		ledigeStillingerPer1000(),
		stillingerPerLedig(),
		ungeUtenforAndel(),
		utenfor3061Andel(),
		uforeAndel(),
		vedvarendeLavinntektAndel(),
		vgsFullfortAndel(),
		vgsFullfortStudieforberedende(),
		vgsFullfortYrkesfag(),
		evuDeltakelseAndel(),
		laerekontrakterPer1000(),
		vgsForsteonskeAndel(),
		stramhetNaering(),
		erstatning55plussAndel(),
		erstatningsbehov10aar(),
		bedrifterBehovAndel(),
		behovPersonerPer100(),
		behovMotTilbudGap(),
		sysselsatteGronnAndel(),
	}
}

// Registry is a validated catalog, looked up by ID.
type Registry struct {
	list []*Indicator
	byID map[string]*Indicator
}

// NewCatalog validates the indicators (every declared field present, ID
// snake_case) and refuses duplicate IDs. All problems are reported.
func NewCatalog(list ...*Indicator) (*Registry, error) {
	r := &Registry{byID: map[string]*Indicator{}}
	var errs []error
	for _, ind := range list {
		if err := ind.validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := r.byID[ind.ID]; dup {
			errs = append(errs, fmt.Errorf("indicators: duplicate ID %q", ind.ID))
			continue
		}
		r.byID[ind.ID] = ind
		r.list = append(r.list, ind)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return r, nil
}

// All returns the indicators in catalog order.
func (r *Registry) All() []*Indicator { return append([]*Indicator(nil), r.list...) }

// Lookup returns the indicator with id.
func (r *Registry) Lookup(id string) (*Indicator, bool) {
	ind, ok := r.byID[id]
	return ind, ok
}

// IDs returns the IDs sorted.
func (r *Registry) IDs() []string {
	ids := make([]string, 0, len(r.list))
	for _, ind := range r.list {
		ids = append(ids, ind.ID)
	}
	sort.Strings(ids)
	return ids
}

// Datasets returns every dataset ID the indicators read, sorted.
func (r *Registry) Datasets() []string {
	seen := map[string]bool{}
	var out []string
	for _, ind := range r.list {
		for _, in := range ind.Inputs {
			if !seen[in.Dataset] {
				seen[in.Dataset] = true
				out = append(out, in.Dataset)
			}
		}
	}
	sort.Strings(out)
	return out
}
