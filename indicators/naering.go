package indicators

import "math"

// Shared parts of the industry indicators (SSB 13470, employed by place of
// work and industry, 16 SN2007 groups).

const (
	industryDataset = "sysselsatte_naering"
	industryDim     = "NACE2007"
	industryTotal   = "00-99"
)

var industryInputs = []Input{
	{Dataset: industryDataset, Filter: "NACE2007=16 næringsgrupper og 00-99, ContentsCode=SysselsatteArb", Role: "teller og nevner"},
}

var industrySources = []string{"SSB tabell 13470 Sysselsatte per 4. kvartal, etter arbeidssted og næring"}

const industryCitation = "Statistisk sentralbyrå (SSB), tabell 13470, CC BY 4.0"

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

func industryQuery(s *Series, code string) *Query {
	return s.Query(Filter{industryDim: code, "ContentsCode": "SysselsatteArb"})
}

func industryCell(s *Series, region, period, code string) (Cell, bool) {
	return s.Get(region, period, Filter{industryDim: code, "ContentsCode": "SysselsatteArb"})
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
// industry; rest selects the rest of the country as reference.
func lqValues(in *Inputs, rest bool) ([]Value, error) {
	s := in.Series[industryDataset]
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
		qs[i] = industryQuery(s, g)
	}
	qtot := industryQuery(s, industryTotal)
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
		Inputs:      industryInputs,
		Levels:      AllLevels,
		Comparators: []Comparator{National, County, RegionGroup},
		Direction:   Neutral,
		Basis:       Register,
		Disclosure:  Disclosure{Rule: "registertall: ingen prikking utover SSBs egen"},
		Sources:     industrySources,
		Citation:    industryCitation,
	}
}
