package indicators

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
)

// Comparator names what a regional value is compared with. The strings are
// the values of the comparator column.
type Comparator string

// Comparators.
const (
	National      Comparator = "national"        // the nation's value
	RestOfCountry Comparator = "rest_of_country" // the nation minus the region, from sums
	County        Comparator = "county"          // the municipality's county (or the one county of a grouping)
	RegionGroup   Comparator = "region_group"    // a grouping the municipality belongs to
)

// Direction says whether a higher value is better.
type Direction string

// Directions.
const (
	HigherIsBetter Direction = "higher_is_better"
	LowerIsBetter  Direction = "lower_is_better"
	Neutral        Direction = "neutral" // neither (structure, specialisation)
)

// Basis says where the numbers come from, which decides whether values
// carry intervals.
type Basis string

// Bases.
const (
	Register Basis = "register" // full counts: no interval
	Survey   Basis = "survey"   // sample estimates: intervals, significance
)

// Region levels, as in the region_level column (the strings of
// pipelines/regions).
const (
	LevelNation       = "land"
	LevelCounty       = "fylke"
	LevelMunicipality = "kommune"
	LevelGrouping     = "gruppe"
)

// AllLevels are the four region levels in output order.
var AllLevels = []string{LevelNation, LevelCounty, LevelGrouping, LevelMunicipality}

// Input is one dataset an indicator reads, with the filter it applies and
// its role.
type Input struct {
	Dataset string // dataset ID as in the config (e.g. "utdanningsniva")
	Filter  string // human-readable filter, e.g. "Nivaa=03a+04a, Kjonn=0, ContentsCode=Personer"
	Role    string // "teller", "nevner" or "teller og nevner"
	// Optional marks inputs that may be absent without skipping the
	// indicator.
	Optional bool
}

// Disclosure is an indicator's disclosure rule: a value is suppressed
// (null, flag "suppressed") when its denominator is below MinDenominator
// or fewer than MinUnits units (firms, respondents) are behind it.
type Disclosure struct {
	MinDenominator float64
	MinUnits       int
	Rule           string // the rule in words (bokmål)
}

// Indicator is one entry of the catalog. Compute must be pure and safe for
// concurrent use.
type Indicator struct {
	ID            string
	Title         string // bokmål
	TitleEN       string
	Description   string // bokmål, one or two sentences
	DescriptionEN string
	Unit          string // "prosent", "indeks", "forhold", "per 1000 sysselsatte"
	Formula       string // as in the doc comment of the indicator's variable
	Inputs        []Input
	Numerator     string
	Denominator   string
	Levels        []string
	Comparators   []Comparator
	Direction     Direction
	Basis         Basis
	Disclosure    Disclosure
	Sources       []string
	Citation      string
	// Scale is the factor of a share or rate (100 for per cent, 1000 for
	// per thousand); 0 means the value is not a ratio of sums, so the
	// rest-of-country comparator cannot be computed from numerators and
	// denominators.
	Scale float64
	// Compute computes the indicator for every region and period the
	// inputs allow.
	Compute func(in *Inputs) ([]Value, error)
}

// MissingInputs returns the required input datasets absent from have,
// sorted; an indicator with missing inputs is skipped, not computed.
func (ind *Indicator) MissingInputs(have func(dataset string) bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, in := range ind.Inputs {
		if in.Optional || seen[in.Dataset] || have(in.Dataset) {
			continue
		}
		seen[in.Dataset] = true
		out = append(out, in.Dataset)
	}
	sort.Strings(out)
	return out
}

// Region is one unit to compute for.
type Region struct {
	Code   string // "0", county code, grouping ID or municipality code
	Name   string
	Level  string   // LevelNation, LevelCounty, LevelGrouping, LevelMunicipality
	County string   // county code of a municipality (or of a grouping inside one county); "" otherwise
	Groups []string // grouping IDs a municipality belongs to
	Units  int      // municipalities behind the unit (1 for a municipality)
	// Members are the municipalities (on the inputs' vintage) behind a
	// county that is no longer valid there (e.g. Vestfold og Telemark 38
	// for a survey published on the 2020 counties); nil for the units the
	// series are summed to. Indicators that combine such a county-level
	// value with municipal counts sum the members ([Series.GetUnit]).
	Members []string
}

// Cell is one count of a Series.
type Cell struct {
	Value       float64
	Valid       bool // false: missing (no number, or a missing status)
	Status      string
	Apportioned bool // a split's weight was used (pipelines/regions)
	Provisional bool // the source marked the number provisional
}

// Series is one dataset's additive counts on one boundary vintage, for
// every unit, keyed by region, period and the codes of Dims (the dataset's
// dimensions other than region and time, in a fixed order).
type Series struct {
	Dataset string
	Version string // the dataset version read, for the sources column
	Dims    []string
	cells   map[string]Cell
	periods map[string]bool
	codes   []map[string]bool
	labels  map[string]string // "dim\x1fcode" → label
}

// NewSeries returns an empty series of dataset with the given dimensions.
func NewSeries(dataset string, dims ...string) *Series {
	s := &Series{Dataset: dataset, Dims: dims, cells: map[string]Cell{}, periods: map[string]bool{}, labels: map[string]string{}}
	for range dims {
		s.codes = append(s.codes, map[string]bool{})
	}
	return s
}

func cellKey(region, period string, codes []string) string {
	return region + "\x1f" + period + "\x1f" + strings.Join(codes, "\x1f")
}

// Set stores a cell; codes are in Dims order. A second Set of the same key
// replaces the first.
func (s *Series) Set(region, period string, codes []string, c Cell) error {
	if len(codes) != len(s.Dims) {
		return fmt.Errorf("indicators: series %s: %d codes for dimensions %v", s.Dataset, len(codes), s.Dims)
	}
	s.cells[cellKey(region, period, codes)] = c
	s.periods[period] = true
	for i, code := range codes {
		s.codes[i][code] = true
	}
	return nil
}

// SetLabel records the label of a code of dimension dim.
func (s *Series) SetLabel(dim, code, label string) { s.labels[dim+"\x1f"+code] = label }

// Label returns the label of a code (the code itself when unknown).
func (s *Series) Label(dim, code string) string {
	if l, ok := s.labels[dim+"\x1f"+code]; ok && l != "" {
		return l
	}
	return code
}

// Len is the number of cells.
func (s *Series) Len() int { return len(s.cells) }

// Periods returns the periods present, sorted.
func (s *Series) Periods() []string {
	out := make([]string, 0, len(s.periods))
	for p := range s.periods {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Codes returns the codes of dimension dim present, sorted.
func (s *Series) Codes(dim string) []string {
	i := s.dim(dim)
	if i < 0 {
		return nil
	}
	out := make([]string, 0, len(s.codes[i]))
	for c := range s.codes[i] {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func (s *Series) dim(name string) int {
	for i, d := range s.Dims {
		if d == name {
			return i
		}
	}
	return -1
}

// Filter fixes a code for dimensions of a Series. A code may be a sum of
// codes joined by "+" ("03a+04a"): the cell is then the sum of the codes'
// cells.
type Filter map[string]string

// Get returns the cell of region and period under filter, which must fix
// every dimension. Sums ("03a+04a") are valid only when every term is
// present and valid; a term that is absent makes the sum missing with
// status "..". ok is false when no term is present at all.
func (s *Series) Get(region, period string, f Filter) (c Cell, ok bool) {
	codes := make([][]string, len(s.Dims))
	for i, d := range s.Dims {
		v, has := f[d]
		if !has {
			return Cell{}, false
		}
		codes[i] = strings.Split(v, "+")
	}
	sum := Cell{Valid: true}
	any := false
	idx := make([]int, len(codes))
	buf := make([]string, len(codes))
	for {
		for i := range codes {
			buf[i] = codes[i][idx[i]]
		}
		x, has := s.cells[cellKey(region, period, buf)]
		switch {
		case !has:
			if sum.Valid {
				sum.Valid, sum.Status = false, ".."
			}
		case !x.Valid:
			any = true
			if sum.Valid {
				sum.Valid, sum.Status = false, x.Status
				if sum.Status == "" {
					sum.Status = ".."
				}
			}
		default:
			any = true
			sum.Value += x.Value
		}
		if has {
			sum.Apportioned = sum.Apportioned || x.Apportioned
			sum.Provisional = sum.Provisional || x.Provisional
		}
		// next combination
		k := len(idx) - 1
		for ; k >= 0; k-- {
			idx[k]++
			if idx[k] < len(codes[k]) {
				break
			}
			idx[k] = 0
		}
		if k < 0 {
			break
		}
	}
	if !sum.Valid {
		sum.Value = 0
	}
	return sum, any
}

// Inputs is what Compute reads.
type Inputs struct {
	Regions []Region           // units in output order
	Series  map[string]*Series // by dataset ID
}

// Region returns the unit with code, if any.
func (in *Inputs) Region(code string) (Region, bool) {
	for _, r := range in.Regions {
		if r.Code == code {
			return r, true
		}
	}
	return Region{}, false
}

// Value is one computed indicator value.
type Value struct {
	Region        string
	Period        string
	Category      string // breakdown code (e.g. an industry); "" when none
	CategoryLabel string
	Value         float64
	Valid         bool
	Num, Den      float64 // numerator and denominator; NaN when not a ratio
	CILow, CIHigh float64 // NaN for register-based values
	NUnits        int     // municipalities (or responding units) behind the value
	Flags         []string
}

// Value flags.
const (
	FlagSuppressed   = "suppressed"
	FlagApportioned  = "apportioned"
	FlagProvisional  = "provisional"
	FlagMissingInput = "missing_input"
	FlagSignificant  = "significant"
	FlagNotSignif    = "not_significant"
	// FlagSeriesBreak is the prefix of "series_break:<break id>".
	FlagSeriesBreak = "series_break"
)

// idPattern is the form of indicator IDs.
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// validate checks the declared fields of an indicator.
func (ind *Indicator) validate() error {
	var errs []string
	req := func(ok bool, what string) {
		if !ok {
			errs = append(errs, what)
		}
	}
	req(idPattern.MatchString(ind.ID), "ID is not snake_case")
	req(ind.Title != "" && ind.TitleEN != "", "title (bokmål and English)")
	req(ind.Description != "" && ind.DescriptionEN != "", "description (bokmål and English)")
	req(ind.Unit != "", "unit")
	req(ind.Formula != "", "formula")
	req(len(ind.Inputs) > 0, "inputs")
	req(ind.Numerator != "", "numerator")
	req(len(ind.Levels) > 0, "levels")
	req(ind.Direction != "", "direction")
	req(ind.Basis == Register || ind.Basis == Survey, "basis")
	req(ind.Disclosure.Rule != "", "disclosure rule")
	req(len(ind.Sources) > 0 && ind.Citation != "", "sources and citation")
	req(ind.Compute != nil, "Compute")
	if len(errs) > 0 {
		return fmt.Errorf("indicators: %q: missing or invalid: %s", ind.ID, strings.Join(errs, ", "))
	}
	return nil
}

// ratioValue builds a Value num/den*scale with the missing and disclosure
// rules applied.
func ratioValue(ind *Indicator, r Region, period string, num, den Cell, numOK, denOK bool) Value {
	v := Value{Region: r.Code, Period: period, Num: num.Value, Den: den.Value, CILow: math.NaN(), CIHigh: math.NaN(), NUnits: r.Units}
	if num.Apportioned || den.Apportioned {
		v.Flags = append(v.Flags, FlagApportioned)
	}
	if num.Provisional || den.Provisional {
		v.Flags = append(v.Flags, FlagProvisional)
	}
	switch {
	case !numOK || !denOK || !num.Valid || !den.Valid:
		v.Num, v.Den = nanIf(!num.Valid || !numOK, num.Value), nanIf(!den.Valid || !denOK, den.Value)
		v.Flags = append(v.Flags, FlagMissingInput)
	case den.Value < ind.Disclosure.MinDenominator:
		v.Flags = append(v.Flags, FlagSuppressed)
	case den.Value == 0:
		v.Flags = append(v.Flags, FlagMissingInput)
	default:
		v.Value, v.Valid = num.Value/den.Value*ind.Scale, true
	}
	return v
}

func nanIf(cond bool, x float64) float64 {
	if cond {
		return math.NaN()
	}
	return x
}

// shareByRegion computes num/den*scale for every region of in and every
// period of the numerator's series.
func shareByRegion(ind *Indicator, in *Inputs, numDS string, numF Filter, denDS string, denF Filter) []Value {
	ns, ds := in.Series[numDS], in.Series[denDS]
	if ns == nil || ds == nil {
		return nil
	}
	var out []Value
	for _, p := range ns.Periods() {
		for _, r := range in.Regions {
			num, nok := ns.Get(r.Code, p, numF)
			den, dok := ds.Get(r.Code, p, denF)
			if !nok && !dok {
				continue
			}
			out = append(out, ratioValue(ind, r, p, num, den, nok, dok))
		}
	}
	return out
}

// GetUnit is Get for a unit: the cell of r.Code, or, when the series has
// none and r has Members, the sum of the members' cells (valid only when
// every member is present and valid; ok when any is present).
func (s *Series) GetUnit(r Region, period string, f Filter) (Cell, bool) {
	c, ok := s.Get(r.Code, period, f)
	if ok || len(r.Members) == 0 {
		return c, ok
	}
	sum := Cell{Valid: true}
	any := false
	for _, m := range r.Members {
		x, has := s.Get(m, period, f)
		if !has {
			sum.Valid = false
			continue
		}
		any = true
		if !x.Valid {
			if sum.Valid {
				sum.Status = x.Status
			}
			sum.Valid = false
		}
		sum.Value += x.Value
		sum.Apportioned = sum.Apportioned || x.Apportioned
		sum.Provisional = sum.Provisional || x.Provisional
	}
	if !sum.Valid {
		sum.Value = 0
		if sum.Status == "" {
			sum.Status = ".."
		}
	}
	return sum, any
}
