package indicators

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
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

// Disclosure is an indicator's disclosure rule: a value is suppressed
// (null, flag "suppressed") when its denominator is below MinDenominator
// or fewer than MinUnits units (firms, respondents) are behind it.
type Disclosure struct {
	MinDenominator float64
	MinUnits       int
	Rule           string // the rule in words (bokmål)
	RuleEN         string // the rule in words (English)
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
	// Formula is the formula as in the doc comment of the indicator's
	// variable, with the terms named in bokmål; FormulaEN names them in
	// English (codes, table IDs and operators unchanged).
	Formula     string
	FormulaEN   string
	Inputs      []Input
	Numerator   string // bokmål
	NumeratorEN string
	// Denominator is "ingen ..." (none) for a count, never empty in the
	// catalog.
	Denominator   string // bokmål
	DenominatorEN string
	Levels        []string
	Comparators   []Comparator
	Direction     Direction
	Basis         Basis
	Disclosure    Disclosure
	Sources       []string // bokmål, one entry per source
	SourcesEN     []string // English, entry for entry as Sources
	Citation      string   // bokmål
	CitationEN    string
	// Caveats is what a reader must know before using the values (bokmål;
	// optional): what the inputs cannot tell apart, what a definition
	// leaves out. CaveatsEN is the same in English, present exactly when
	// Caveats is.
	Caveats   string
	CaveatsEN string
	// Theme is the ID of the indicator's theme (one of [Themes]): its
	// section of the book and its sheet of the workbook.
	Theme string
	// Decimals is how many decimals the value is shown with (the book,
	// chart labels, the workbook's value, comparator, gap and interval
	// columns): 1 for a per-cent share or a rate per 1000, 2 for an index
	// or a quotient, 0 for a count of persons. Only the display is
	// rounded; the computed values keep full precision.
	Decimals int
	// Scale is the factor of a share or rate (100 for per cent, 1000 for
	// per thousand); 0 means the value is not a ratio of sums, so the
	// rest-of-country comparator cannot be computed from numerators and
	// denominators.
	Scale float64
	// Compute computes the indicator for every region and period the
	// inputs allow.
	Compute func(in *Inputs) ([]Value, error)
}

// surveyTotal is the total code of the company-needs datasets (inndeling
// and kategori "_T", pipelines/needs.Total).
const surveyTotal = "_T"

// IsTotalCategory reports whether a category code is its breakdown's own
// total: SN2007 "00-99" (SSB 13470, 07984), Udir's "-10" (all programmes)
// and the company-needs datasets' "_T".
func IsTotalCategory(code string) bool {
	return code == industryTotal || code == completionTotal || code == surveyTotal
}

// lk06Programmes maps the upper-secondary programme codes Udir still
// writes with the LK06 names to the LK20 abbreviation of the same
// programme: HS (helse- og oppvekstfag) is HO, TP (teknologi- og
// industrifag) is TIF (DOMAIN.md §6). PROJECT-DEFINED, NOT OFFICIAL. The
// other LK06 programmes are not aliased: LK20 split them (service og
// samferdsel SS into SR and IM, design og håndverk DH into HDP and FBIE).
var lk06Programmes = map[string]string{"HS": "HO", "TP": "TIF"}

// LK20Programme returns the LK20 abbreviation of a Udir programme code:
// the code itself, or its LK20 name when Udir writes it with the LK06 one
// (lk06Programmes).
func LK20Programme(code string) string {
	if lk20, ok := lk06Programmes[code]; ok {
		return lk20
	}
	return code
}

// ErrUnsuitable is wrapped by the error of a Compute whose inputs are
// present but cannot give the indicator (age groups that do not make up
// its age range, say). pipelines/build skips such an indicator and reports
// the error, instead of stopping the build; any other error stops it.
var ErrUnsuitable = errors.New("inputs unsuitable for the indicator")

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
	// Computed marks a county, nation or grouping cell that grunnlag summed
	// from its members because the source does not publish it.
	Computed bool
}

// Series is one dataset's additive counts on one boundary vintage, for
// every unit, keyed by region, period and the codes of Dims (the dataset's
// dimensions other than region and time, in a fixed order). At most
// MaxDims dimensions.
//
// Regions, periods and codes are interned to small integers, so a lookup
// costs a few map probes and no allocation.
type Series struct {
	Dataset string
	Version string // the dataset version read, for the sources column
	// Synthetic marks a dataset whose numbers are made up (demo data);
	// every indicator value computed from it is marked synthetic.
	Synthetic bool
	Dims      []string
	regions   map[string]int32
	periods   map[string]int32
	codes     []map[string]int32
	cells     map[cellKey]cell
	status    []string          // interned statuses; 0 is ""
	labels    map[string]string // "dim\x1fcode" → label
	// dense is the cells laid out in an array, built on the first lookup
	// after the last Set (Series are filled, then read).
	dense  atomic.Pointer[denseCells]
	freeze sync.Mutex
	// computed counts the computed cells of each (region, period).
	computed map[[2]int32]int
}

// denseCells is a Series' cells in one array indexed by region, period and
// code IDs; ok is false when the array would be too large (the map is
// used instead).
type denseCells struct {
	ok    bool
	n     [MaxDims]int32 // codes per dimension
	cells []cell
	has   []bool
}

// cell is a Cell as stored: without pointers, so that the garbage
// collector does not scan large series.
type cell struct {
	v      float64
	status int32 // index into Series.status
	flags  uint8
}

const (
	cellValid uint8 = 1 << iota
	cellApportioned
	cellProvisional
	cellComputed
)

func (s *Series) pack(c Cell) cell {
	x := cell{v: c.Value}
	if c.Valid {
		x.flags |= cellValid
	}
	if c.Apportioned {
		x.flags |= cellApportioned
	}
	if c.Provisional {
		x.flags |= cellProvisional
	}
	if c.Computed {
		x.flags |= cellComputed
	}
	if c.Status != "" {
		id := -1
		for i, st := range s.status {
			if st == c.Status {
				id = i
				break
			}
		}
		if id < 0 {
			id = len(s.status)
			s.status = append(s.status, c.Status)
		}
		x.status = int32(id)
	}
	return x
}

func (s *Series) unpack(x cell) Cell {
	return Cell{Value: x.v, Valid: x.flags&cellValid != 0, Status: s.status[x.status],
		Apportioned: x.flags&cellApportioned != 0, Provisional: x.flags&cellProvisional != 0, Computed: x.flags&cellComputed != 0}
}

// maxDense is the largest array a Series lays its cells out in.
const maxDense = 1 << 24

// lookup returns the cell at k.
func (s *Series) lookup(k cellKey) (Cell, bool) {
	d := s.dense.Load()
	if d == nil {
		d = s.layout()
	}
	if !d.ok {
		c, ok := s.cells[k]
		return s.unpack(c), ok
	}
	i := int(k.r)*len(s.periods) + int(k.p)
	for j := range s.Dims {
		i = i*int(d.n[j]) + int(k.c[j])
	}
	return s.unpack(d.cells[i]), d.has[i]
}

// layout builds s.dense.
func (s *Series) layout() *denseCells {
	s.freeze.Lock()
	defer s.freeze.Unlock()
	if d := s.dense.Load(); d != nil {
		return d
	}
	d := &denseCells{}
	size := len(s.regions) * len(s.periods)
	for j := range s.Dims {
		d.n[j] = int32(len(s.codes[j]))
		size *= len(s.codes[j])
	}
	if size <= maxDense {
		d.ok = true
		d.cells, d.has = make([]cell, size), make([]bool, size)
		for k, c := range s.cells {
			i := int(k.r)*len(s.periods) + int(k.p)
			for j := range s.Dims {
				i = i*int(d.n[j]) + int(k.c[j])
			}
			d.cells[i], d.has[i] = c, true
		}
	}
	s.dense.Store(d)
	return d
}

// MaxDims is the largest number of dimensions (besides region and period)
// a Series holds.
const MaxDims = 8

type cellKey struct {
	r, p int32
	c    [MaxDims]int32
}

// NewSeries returns an empty series of dataset with the given dimensions.
func NewSeries(dataset string, dims ...string) *Series {
	s := &Series{Dataset: dataset, Dims: dims, regions: map[string]int32{}, periods: map[string]int32{},
		cells: map[cellKey]cell{}, status: []string{""}, labels: map[string]string{}}
	for range dims {
		s.codes = append(s.codes, map[string]int32{})
	}
	return s
}

func intern(m map[string]int32, x string) int32 {
	id, ok := m[x]
	if !ok {
		id = int32(len(m))
		m[x] = id
	}
	return id
}

// Set stores a cell; codes are in Dims order. A second Set of the same key
// replaces the first.
func (s *Series) Set(region, period string, codes []string, c Cell) error {
	if len(codes) != len(s.Dims) {
		return fmt.Errorf("indicators: series %s: %d codes for dimensions %v", s.Dataset, len(codes), s.Dims)
	}
	if len(codes) > MaxDims {
		return fmt.Errorf("indicators: series %s: %d dimensions, at most %d", s.Dataset, len(codes), MaxDims)
	}
	k := cellKey{r: intern(s.regions, region), p: intern(s.periods, period)}
	for i, code := range codes {
		k.c[i] = intern(s.codes[i], code)
	}
	rp := [2]int32{k.r, k.p}
	if old, had := s.cells[k]; had && old.flags&cellComputed != 0 {
		if s.computed[rp]--; s.computed[rp] == 0 {
			delete(s.computed, rp)
		}
	}
	s.cells[k] = s.pack(c)
	if c.Computed {
		if s.computed == nil {
			s.computed = map[[2]int32]int{}
		}
		s.computed[rp]++
	}
	s.dense.Store(nil)
	return nil
}

// Computed reports whether any cell of region and period was computed
// (Cell.Computed): summed by grunnlag, not published by the source.
func (s *Series) Computed(region, period string) bool {
	r, ok := s.regions[region]
	if !ok {
		return false
	}
	p, ok := s.periods[period]
	if !ok {
		return false
	}
	return s.computed[[2]int32{r, p}] > 0
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
func (s *Series) Periods() []string { return slices.Sorted(maps.Keys(s.periods)) }

// Codes returns the codes of dimension dim present, sorted.
func (s *Series) Codes(dim string) []string {
	i := s.dim(dim)
	if i < 0 {
		return nil
	}
	return slices.Sorted(maps.Keys(s.codes[i]))
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

// absent is what Get returns when no term of a filter is present.
var absent = Cell{Status: ".."}

// Get returns the cell of region and period under filter, which must fix
// every dimension. Sums ("03a+04a") are valid only when every term is
// present and valid; a term that is absent makes the sum missing with
// status "..". ok is false when no term is present at all.
func (s *Series) Get(region, period string, f Filter) (c Cell, ok bool) {
	if len(f) < len(s.Dims) {
		return Cell{}, false
	}
	k := cellKey{}
	var found bool
	if k.r, found = s.regions[region]; !found {
		return s.checkFilter(f)
	}
	if k.p, found = s.periods[period]; !found {
		return s.checkFilter(f)
	}
	single := true
	miss := false
	for i, d := range s.Dims {
		v, has := f[d]
		if !has {
			return Cell{}, false
		}
		if strings.IndexByte(v, '+') >= 0 {
			single = false
			continue
		}
		id, known := s.codes[i][v]
		if !known {
			miss = true
		}
		k.c[i] = id
	}
	if single {
		if miss {
			return absent, false
		}
		x, has := s.lookup(k)
		if !has {
			return absent, false
		}
		if !x.Valid {
			x.Value = 0
			if x.Status == "" {
				x.Status = ".."
			}
		}
		return x, true
	}
	return s.getSum(k, f)
}

// checkFilter is Get's answer for an unknown region or period.
func (s *Series) checkFilter(f Filter) (Cell, bool) {
	for _, d := range s.Dims {
		if _, has := f[d]; !has {
			return Cell{}, false
		}
	}
	return absent, false
}

// getSum is Get for a filter with sums; k holds region and period.
func (s *Series) getSum(k cellKey, f Filter) (Cell, bool) {
	return s.sumTerms(k, s.Query(f).terms)
}

// sumTerms sums the cells of every combination of terms (code IDs, -1 for
// an unknown code); k holds region and period.
func (s *Series) sumTerms(k cellKey, terms [][]int32) (Cell, bool) {
	sum := Cell{Valid: true}
	any := false
	idx := make([]int, len(terms))
	for {
		has := true
		for i := range terms {
			id := terms[i][idx[i]]
			if id < 0 {
				has = false
			}
			k.c[i] = id
		}
		var x Cell
		if has {
			x, has = s.lookup(k)
		}
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
			sum.Computed = sum.Computed || x.Computed
		}
		// next combination
		j := len(idx) - 1
		for ; j >= 0; j-- {
			idx[j]++
			if idx[j] < len(terms[j]) {
				break
			}
			idx[j] = 0
		}
		if j < 0 {
			break
		}
	}
	if !sum.Valid {
		sum.Value = 0
	}
	return sum, any
}

// Query is a Filter resolved against a Series once, for many lookups of
// different regions and periods: Get without parsing or hashing the codes
// again.
type Query struct {
	s     *Series
	ok    bool      // the filter fixes every dimension
	terms [][]int32 // per dimension: the code IDs summed (-1: unknown code)
	sum   bool      // some dimension has more than one term
}

// Query resolves f against s (see Get for the rules).
func (s *Series) Query(f Filter) *Query {
	q := &Query{s: s, ok: true, terms: make([][]int32, len(s.Dims))}
	for i, d := range s.Dims {
		v, has := f[d]
		if !has {
			q.ok = false
			return q
		}
		for _, code := range strings.Split(v, "+") {
			id, known := s.codes[i][code]
			if !known {
				id = -1
			}
			q.terms[i] = append(q.terms[i], id)
		}
		q.sum = q.sum || len(q.terms[i]) > 1
	}
	return q
}

// Get is Series.Get(region, period, f) for the query's filter f.
func (q *Query) Get(region, period string) (Cell, bool) {
	if !q.ok {
		return Cell{}, false
	}
	s := q.s
	k := cellKey{}
	var found bool
	if k.r, found = s.regions[region]; !found {
		return absent, false
	}
	if k.p, found = s.periods[period]; !found {
		return absent, false
	}
	if !q.sum {
		for i, t := range q.terms {
			if t[0] < 0 {
				return absent, false
			}
			k.c[i] = t[0]
		}
		x, has := s.lookup(k)
		if !has {
			return absent, false
		}
		if !x.Valid {
			x.Value = 0
			if x.Status == "" {
				x.Status = ".."
			}
		}
		return x, true
	}
	return s.sumTerms(k, q.terms)
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
	// FlagComputed marks a value of a county, the nation or a grouping
	// that grunnlag summed from its members because the source does not
	// publish it (the indicator table's computed column).
	FlagComputed    = "computed"
	FlagSignificant = "significant"
	FlagNotSignif   = "not_significant"
	// FlagSeriesBreak is the prefix of "series_break:<break id>".
	FlagSeriesBreak = "series_break"
)

// idPattern is the form of indicator IDs.
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// maxDecimals is the most decimals an indicator may be shown with.
const maxDecimals = 6

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
	req(knownTheme(ind.Theme), fmt.Sprintf("theme %q (not one of Themes)", ind.Theme))
	req(ind.Decimals >= 0 && ind.Decimals <= maxDecimals, fmt.Sprintf("decimals %d (0 to %d)", ind.Decimals, maxDecimals))
	req(ind.Formula != "", "formula")
	req(len(ind.Inputs) > 0, "inputs")
	for _, in := range ind.Inputs {
		if err := in.validate(); err != nil {
			errs = append(errs, err.Error())
		}
	}
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
	if num.Computed || den.Computed {
		v.Flags = append(v.Flags, FlagComputed)
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
	periods := ns.Periods()
	nq, dq := ns.Query(numF), ds.Query(denF)
	out := make([]Value, 0, len(periods)*len(in.Regions))
	for _, p := range periods {
		for _, r := range in.Regions {
			num, nok := nq.Get(r.Code, p)
			den, dok := dq.Get(r.Code, p)
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
	// A sum over the members is grunnlag's, not the source's.
	sum := Cell{Valid: true, Computed: true}
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
