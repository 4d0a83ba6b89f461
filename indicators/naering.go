package indicators

import "math"

// Shared parts of the industry indicators (SSB 13470, employed by place of
// work and industry, 16 SN2007 groups).

const (
	industryDataset = "sysselsatte_naering"
	industryDim     = "NACE2007"
	industryTotal   = "00-99"
)

// industryInputs is the one input of the industry-structure indicators:
// employment in every group and in the total, read by industryQuery.
func industryInputs() []Input {
	return []Input{{Dataset: industryDataset, Filter: Filter{"ContentsCode": "SysselsatteArb"},
		Vary:   map[string]string{industryDim: "16 næringsgrupper og " + industryTotal},
		VaryEN: map[string]string{industryDim: "16 industry groups and " + industryTotal}, Role: "teller og nevner"}}
}

var industrySources = []string{"SSB tabell 13470 Sysselsatte per 4. kvartal, etter arbeidssted og næring"}

var industrySourcesEN = []string{"SSB table 13470 Employed persons in the 4th quarter, by place of work and industry"}

const (
	industryCitation   = "Statistisk sentralbyrå (SSB), tabell 13470, CC BY 4.0"
	industryCitationEN = "Statistics Norway (SSB), table 13470, CC BY 4.0"
)

// industries returns the industry groups of the series (every NACE2007
// code but the total).
func industries(s *Series) []string {
	var out []string
	for _, c := range s.Codes(industryDim) {
		if c != industryTotal {
			out = append(out, c)
		}
	}
	return out
}

// industryQuery is the query of industry group code under an input's
// filter f (industryInputs).
func industryQuery(s *Series, f Filter, code string) *Query {
	return s.Query(f.With(industryDim, code))
}

// industryVector returns the employment of region by industry group and
// whether every group is present and valid, plus the flags of its cells.
// qs are the groups' queries (industryQuery).
func industryVector(qs []*Query, region, period string) ([]float64, bool, []string) {
	e := make([]float64, len(qs))
	ok := true
	apport, prov := false, false
	for i, q := range qs {
		c, has := q.Get(region, period)
		if !has || !c.Valid {
			ok = false
		}
		e[i] = c.Value
		apport = apport || c.Apportioned
		prov = prov || c.Provisional
	}
	return e, ok, cellFlags(apport, prov)
}

func cellFlags(apport, prov bool) []string {
	var f []string
	if apport {
		f = append(f, FlagApportioned)
	}
	if prov {
		f = append(f, FlagProvisional)
	}
	return f
}

func newValue(r Region, period string) Value {
	return Value{Region: r.Code, Period: period, Num: math.NaN(), Den: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN(), NUnits: r.Units}
}

// lqValues computes location quotients for every region, period and
// industry of input emp (industryInputs); rest selects the rest of the
// country as reference.
func lqValues(in *Inputs, emp Input, rest bool) ([]Value, error) {
	s := in.Series[emp.Dataset]
	if s == nil {
		return nil, nil
	}
	groups := industries(s)
	periods := s.Periods()
	out := make([]Value, 0, len(periods)*len(in.Regions)*len(groups))
	labels := make([]string, len(groups))
	for i, g := range groups {
		labels[i] = s.Label(industryDim, g)
	}
	nat := make([]Cell, len(groups))
	natOK := make([]bool, len(groups))
	qs := make([]*Query, len(groups))
	for i, g := range groups {
		qs[i] = industryQuery(s, emp.Filter, g)
	}
	qtot := industryQuery(s, emp.Filter, industryTotal)
	for _, p := range periods {
		ntot, hasN := qtot.Get("0", p)
		for i := range groups {
			nat[i], natOK[i] = qs[i].Get("0", p)
		}
		for _, r := range in.Regions {
			if rest && r.Level == LevelNation {
				continue
			}
			tot, hasTot := qtot.Get(r.Code, p)
			if !hasTot {
				continue
			}
			for gi, g := range groups {
				v := newValue(r, p)
				v.Category, v.CategoryLabel = g, labels[gi]
				e, hasE := qs[gi].Get(r.Code, p)
				ne, hasNE := nat[gi], natOK[gi]
				v.Flags = cellFlags(e.Apportioned || tot.Apportioned, e.Provisional || tot.Provisional)
				if !hasE || !e.Valid || !tot.Valid || !hasN || !ntot.Valid || !hasNE || !ne.Valid {
					v.Flags = append(v.Flags, FlagMissingInput)
					out = append(out, v)
					continue
				}
				v.Num, v.Den = e.Value, tot.Value
				refE, refT := ne.Value, ntot.Value
				if rest {
					refE, refT = ne.Value-e.Value, ntot.Value-tot.Value
				}
				if tot.Value <= 0 || refE <= 0 || refT <= 0 {
					v.Flags = append(v.Flags, FlagMissingInput)
					out = append(out, v)
					continue
				}
				lq, err := LocationQuotient(e.Value, tot.Value, refE, refT)
				if err != nil {
					return nil, err
				}
				v.Value, v.Valid = lq, true
				out = append(out, v)
			}
		}
	}
	return out, nil
}

func industryIndicator(id string) *Indicator {
	return &Indicator{
		ID:          id,
		Unit:        "indeks",
		Theme:       ThemeIndustry,
		Decimals:    2,
		Inputs:      industryInputs(),
		Levels:      AllLevels,
		Comparators: []Comparator{National, County, RegionGroup},
		Direction:   Neutral,
		Basis:       Register,
		Disclosure:  registerDisclosure,
		Sources:     industrySources,
		SourcesEN:   industrySourcesEN,
		Citation:    industryCitation,
		CitationEN:  industryCitationEN,
	}
}
