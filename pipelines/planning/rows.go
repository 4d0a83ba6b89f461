package planning

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// DimProgramme is the programme dimension of the Udir datasets.
const DimProgramme = "Utdprogram"

// Signal thresholds (see the package doc).
const (
	// PlacesSurplus: flere_plasser_enn_sokere fires when places are at
	// least this many times the first-choice applicants.
	PlacesSurplus = 1.10
	// ApplicantFall: mangel_fallende_sokere needs first-choice applicants
	// to have fallen by at least this share of the year before.
	ApplicantFall = 0.05
)

// Signal codes.
const (
	SignalMoreApplicantsThanPlaces  = "flere_sokere_enn_plasser"
	SignalMorePlacesThanApplicants  = "flere_plasser_enn_sokere"
	SignalMoreApprenticeApplicants  = "flere_sokere_enn_laereplasser"
	SignalShortageFallingApplicants = "mangel_fallende_sokere"
)

// Inputs are the measures' tables; a nil table is an input the knowledge
// base does not hold (its figures are missing, "..").
type Inputs struct {
	Applicants           *Table // first-choice Vg1 applicants by programme, one period per year
	Places               *Table // Vg1 places by programme
	Pupils               *Table // pupils by programme
	Contracts            *Table // current apprenticeship contracts by programme
	ApprenticeApplicants *Table // applicants for an apprenticeship by programme
	Completion           *Table // completed and passed within five/six years (percent) by programme
	Vacancies            *Table // NAV: vacancies by occupation group (Yrke, ContentsCode=Stillinger)
	Shortage             *Table // NAV Bedriftsundersøkelsen: shortage by industry (Naering)
	Employed             *Table // SSB 07984: employed by industry group (NACE2007) and age (Alder)
}

// Row is one row of tilbudsplanlegging.
type Row struct {
	Period    string // the application year
	Unit      Unit
	Programme Programme
	// The measures, in column order.
	Applicants, Places, Pupils, Contracts, ApprenticeApplicants, ApplicantsPerContract,
	Completion, Vacancies, Shortage, Replacement, ApplicantsChange Figure
	Signals   []Signal
	Synthetic bool
}

// Signal is one signal of a row: its code and its bokmål text.
type Signal struct{ Code, Text string }

// Compute makes the rows: for every year of the Udir programme inputs,
// every county among units with a published row in one of them and every
// grouping among units, every programme of ps. Rows are ordered by year,
// counties before groupings, code, then crosswalk order.
func Compute(in Inputs, ps []Programme, units []Unit) []Row {
	annual := []*Table{in.Applicants, in.Places, in.Pupils, in.Contracts, in.ApprenticeApplicants}
	years := map[int]bool{}
	for _, t := range annual {
		if t == nil {
			continue
		}
		for _, p := range t.periods {
			if y := startYear(p); y > 0 {
				years[y] = true
			}
		}
	}
	published := counties(annual...)
	var us []Unit
	for _, u := range units {
		if u.Level == regions.Grouping {
			us = append(us, u)
			continue
		}
		if _, ok := published[u.Code]; ok && u.Level == regions.County {
			us = append(us, u)
		}
	}
	sort.SliceStable(us, func(i, j int) bool {
		if (us[i].Level == regions.County) != (us[j].Level == regions.County) {
			return us[i].Level == regions.County
		}
		return us[i].Code < us[j].Code
	})
	ys := make([]int, 0, len(years))
	for y := range years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	var rows []Row
	for _, y := range ys {
		for _, u := range us {
			for _, p := range ps {
				rows = append(rows, row(in, y, u, p))
			}
		}
	}
	return rows
}

func programmeIs(code string) map[string]func(string) bool {
	return map[string]func(string) bool{DimProgramme: func(c string) bool { return c == code }}
}

// annualFigure is a Udir measure of year y.
func annualFigure(t *Table, y int, u Unit, p Programme) Figure {
	per := t.periodOf(y)
	if per == "" {
		return missing(StatusNoData)
	}
	return t.sum(u, per, t.match(per, programmeIs(p.Code)))
}

func row(in Inputs, y int, u Unit, p Programme) Row {
	r := Row{Period: strconv.Itoa(y), Unit: u, Programme: p}
	r.Applicants = annualFigure(in.Applicants, y, u, p)
	r.Places = annualFigure(in.Places, y, u, p)
	r.Pupils = annualFigure(in.Pupils, y, u, p)
	general := p.Type == General
	if general {
		r.Contracts, r.ApprenticeApplicants, r.ApplicantsPerContract = missing(StatusNotApplicable), missing(StatusNotApplicable), missing(StatusNotApplicable)
	} else {
		r.Contracts = annualFigure(in.Contracts, y, u, p)
		r.ApprenticeApplicants = annualFigure(in.ApprenticeApplicants, y, u, p)
		r.ApplicantsPerContract = ratio(r.ApprenticeApplicants, r.Contracts)
	}
	if per := in.Completion.latest(y); per != "" {
		r.Completion = in.Completion.sum(u, per, in.Completion.match(per, programmeIs(p.Code)))
		if r.Completion.Computed {
			// A share is never summed over municipalities: that needs the
			// members' numerators and denominators, which Udir does not
			// give, so only a published figure is used.
			r.Completion = missing(StatusNoData)
		}
		r.Completion.Period = per
	} else {
		r.Completion = missing(StatusNoData)
	}
	if general {
		r.Vacancies, r.Shortage, r.Replacement = missing(StatusNotApplicable), missing(StatusNotApplicable), missing(StatusNotApplicable)
	} else {
		r.Vacancies = latestFigure(in.Vacancies, y, u, map[string]func(string) bool{
			"Yrke":         func(c string) bool { return slices.Contains(p.NAVGroups, c) },
			"ContentsCode": func(c string) bool { return c == "Stillinger" },
		})
		r.Shortage = latestFigure(in.Shortage, y, u, map[string]func(string) bool{
			"Naering": func(c string) bool {
				rg, ok := navIndustries[c]
				return ok && p.Covers(rg)
			},
		})
		r.Replacement = latestFigure(in.Employed, y, u, map[string]func(string) bool{
			"NACE2007": func(c string) bool {
				rg, err := ParseRange(c)
				return err == nil && p.Covers(rg)
			},
			"Alder": func(c string) bool { return c == "55-66" || c == "67-74" },
		})
	}
	prev := annualFigure(in.Applicants, y-1, u, p)
	r.ApplicantsChange = difference(r.Applicants, prev)
	r.Signals = signals(r, prev)
	for _, f := range r.figures() {
		if f.Valid && len(f.Inputs) > 0 {
			r.Synthetic = r.Synthetic || in.synthetic(f.Inputs)
		}
	}
	return r
}

// all returns the tables in a fixed order (nil ones included).
func (in Inputs) all() []*Table {
	return []*Table{in.Applicants, in.Places, in.Pupils, in.Contracts, in.ApprenticeApplicants, in.Completion, in.Vacancies, in.Shortage, in.Employed}
}

// synthetic reports whether any table named in ids is synthetic.
func (in Inputs) synthetic(ids []string) bool {
	for _, t := range in.all() {
		if t != nil && t.Synthetic && slices.Contains(ids, t.ID) {
			return true
		}
	}
	return false
}

// latestFigure sums the keys of t matching want in its latest period that
// ended by year y.
func latestFigure(t *Table, y int, u Unit, want map[string]func(string) bool) Figure {
	per := t.latest(y)
	if per == "" {
		return missing(StatusNoData)
	}
	f := t.sum(u, per, t.match(per, want))
	f.Period = per
	return f
}

// ratio is num/den, missing when either is (keeping the worse status) or
// den is 0 (".").
func ratio(num, den Figure) Figure {
	if !num.Valid || !den.Valid {
		return missing(worse(statusOf(num), statusOf(den)))
	}
	if den.Value == 0 {
		return missing(StatusNotApplicable)
	}
	return Figure{Value: num.Value / den.Value, Valid: true, Computed: num.Computed || den.Computed, Inputs: append(append([]string{}, num.Inputs...), den.Inputs...)}
}

// difference is a - b, missing when either is.
func difference(a, b Figure) Figure {
	if !a.Valid || !b.Valid {
		return missing(worse(statusOf(a), statusOf(b)))
	}
	return Figure{Value: a.Value - b.Value, Valid: true, Computed: a.Computed || b.Computed, Inputs: append(append([]string{}, a.Inputs...), b.Inputs...)}
}

func statusOf(f Figure) string {
	if f.Valid {
		return ""
	}
	return firstStatus(f.Status)
}

// signals applies the written rules (package doc) to a row; prev is the
// first-choice applicants the year before.
func signals(r Row, prev Figure) []Signal {
	var out []Signal
	a, pl := r.Applicants, r.Places
	if a.Valid && pl.Valid && a.Value > pl.Value {
		out = append(out, Signal{SignalMoreApplicantsThanPlaces,
			fmt.Sprintf("Flere førsteønskesøkere (%s) enn Vg1-plasser (%s)", num(a.Value), num(pl.Value))})
	}
	// The tolerance keeps 88 places for 80 applicants (exactly 1,10 ×) in,
	// whatever the rounding of 1.10 × 80.
	if a.Valid && pl.Valid && pl.Value > 0 && pl.Value >= PlacesSurplus*a.Value-1e-9 {
		out = append(out, Signal{SignalMorePlacesThanApplicants,
			fmt.Sprintf("Minst %s flere Vg1-plasser (%s) enn førsteønskesøkere (%s)", pct(PlacesSurplus-1), num(pl.Value), num(a.Value))})
	}
	l, c := r.ApprenticeApplicants, r.Contracts
	if l.Valid && c.Valid && l.Value > c.Value {
		out = append(out, Signal{SignalMoreApprenticeApplicants,
			fmt.Sprintf("Flere søkere til læreplass (%s) enn lærekontrakter (%s)", num(l.Value), num(c.Value))})
	}
	s, d := r.Shortage, r.ApplicantsChange
	if s.Valid && s.Value > 0 && d.Valid && prev.Valid && prev.Value > 0 && d.Value <= -ApplicantFall*prev.Value {
		out = append(out, Signal{SignalShortageFallingApplicants,
			fmt.Sprintf("Mangel på arbeidskraft i programmets næringer (%s personer, %s) og færre førsteønskesøkere enn året før (%s, %s)",
				num(s.Value), s.Period, num(d.Value), pct(d.Value/prev.Value))})
	}
	return out
}

// num formats a count in bokmål: space as thousands separator, a minus
// sign for negatives, decimals (comma) only when the value has them.
func num(v float64) string {
	neg := v < 0
	v = math.Abs(v)
	s := strconv.FormatFloat(v, 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, ch := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(ch)
	}
	out := b.String()
	if frac != "" {
		if len(frac) > 2 {
			frac = strconv.FormatFloat(v, 'f', 2, 64)[len(intPart)+1:]
		}
		out += "," + frac
	}
	if neg {
		out = "−" + out
	}
	return out
}

// pct formats a share as percent with one decimal (bokmål): 0.065 is
// "6,5 %", -0.1 is "−10,0 %".
func pct(x float64) string {
	s := strconv.FormatFloat(math.Abs(x)*100, 'f', 1, 64)
	s = strings.Replace(s, ".", ",", 1) + " %"
	if x < 0 {
		s = "−" + s
	}
	return s
}

// figures returns the row's measures in column order.
func (r *Row) figures() []Figure {
	return []Figure{r.Applicants, r.Places, r.Pupils, r.Contracts, r.ApprenticeApplicants, r.ApplicantsPerContract,
		r.Completion, r.Vacancies, r.Shortage, r.Replacement, r.ApplicantsChange}
}

// navIndustries are the industries of NAV's Bedriftsundersøkelsen (as the
// nav-bedriftsundersokelse-naering mapping names them) as SN2007
// divisions: NAV groups by SN2007 section (A 01-03, B 05-09, C 10-33, D+E
// 35-39, F 41-43, G 45-47, H 49-53, I 55-56, J 58-63, K 64-66, L+M+N
// 68-82, O 84, P 85, Q 86-88, R+S 90-99).
var navIndustries = map[string]Range{
	"Jordbruk, skogbruk og fiske":                              {1, 3},
	"Bergverksdrift og utvinning":                              {5, 9},
	"Industrien":                                               {10, 33},
	"Elektrisitet, vann og renovasjon":                         {35, 39},
	"Bygge- og anleggsvirksomhet":                              {41, 43},
	"Varehandel, motorvognreparasjoner":                        {45, 47},
	"Transport og lagring":                                     {49, 53},
	"Overnattings- og serveringsvirksomhet":                    {55, 56},
	"Informasjon og kommunikasjon":                             {58, 63},
	"Finansiering og forsikring":                               {64, 66},
	"Eiendomsdrift, forretningsmessig og faglig tjenesteyting": {68, 82},
	"Offentlig administrasjon og forsvar, og trygdeordninger underlagt offentlig forvaltning": {84, 84},
	"Undervisning":             {85, 85},
	"Helse- og sosialtjeneste": {86, 88},
	"Personlig tjenesteyting":  {90, 99},
}
