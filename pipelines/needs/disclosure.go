package needs

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"

	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// Key identifies a published cell: a region, a breakdown (View, "_T" for
// the region's total) and a category of it ("_T" for the total).
type Key struct {
	Region, View, Category string
}

// Total is the code of a total (region, view or category).
const Total = "_T"

func (k Key) String() string { return k.Region + "/" + k.View + "/" + k.Category }

// Cell is one cell of the table before publication.
type Cell struct {
	Key Key
	// Firms is the number of responding firms counted in the cell (with a
	// need in it, or in the domain for firm-attribute views).
	Firms int
	// Respondents is the number of responding firms in the cell's domain.
	Respondents int
	// People is the unweighted number of people needed; MaxFirmPeople the
	// largest single firm's part of it.
	People, MaxFirmPeople float64
	// Primary and Secondary say why the cell is suppressed.
	Primary, Secondary bool
	// Reason is the primary rule that fired ("n<3" or "dominans").
	Reason string
}

// Suppressed reports whether the cell is withheld.
func (c *Cell) Suppressed() bool { return c.Primary || c.Secondary }

// Line is one published additive relation: the members sum to the total.
// People always add up; Firms adds up only when FirmsAdditive (a firm is in
// exactly one member, as for regions, industries and size bands; not for
// competence areas, where one firm can have needs in several).
type Line struct {
	Total         Key
	Members       []Key
	FirmsAdditive bool
}

// Table is the set of cells and the relations a reader of the published
// table knows.
type Table struct {
	Cells map[Key]*Cell
	Lines []Line
}

// Rule is the primary suppression rule.
type Rule struct {
	// MinFirms: a cell with 1 to MinFirms-1 firms is suppressed (default 3).
	MinFirms int
	// Dominance: a cell where one firm holds more than this share of the
	// people needed is suppressed (default 0.5: "one firm holds most of
	// the total"); 1 disables the rule.
	Dominance float64
}

func (r Rule) withDefaults() Rule {
	if r.MinFirms == 0 {
		r.MinFirms = 3
	}
	if r.Dominance == 0 {
		r.Dominance = 0.5
	}
	return r
}

// Suppress applies primary suppression, then secondary suppression until
// no suppressed cell can be recovered exactly from the published cells and
// totals (checked by Audit, a linear program per suppressed cell). Cells in
// prev (suppressed in the previous refresh) are preferred as secondary
// suppressions, so the pattern stays stable from year to year. It returns
// the number of primary and secondary suppressions.
func (t *Table) Suppress(rule Rule, prev map[Key]bool) (primary, secondary int, err error) {
	rule = rule.withDefaults()
	for _, c := range t.Cells {
		c.Primary, c.Secondary, c.Reason = false, false, ""
		switch {
		case c.Firms > 0 && c.Firms < rule.MinFirms:
			c.Primary, c.Reason = true, fmt.Sprintf("n<%d", rule.MinFirms)
		case c.People > 0 && c.MaxFirmPeople > rule.Dominance*c.People:
			c.Primary, c.Reason = true, "dominans"
		}
		if c.Primary {
			primary++
		}
	}
	// A region with 1 to MinFirms-1 respondents is withheld whole: even
	// its zero cells would tell what those few firms answered.
	for k, c := range t.Cells {
		tot := t.Cells[Key{k.Region, Total, Total}]
		if !c.Primary && tot != nil && tot.Firms > 0 && tot.Firms < rule.MinFirms {
			c.Primary, c.Reason = true, fmt.Sprintf("n<%d i regionen", rule.MinFirms)
			primary++
		}
	}
	for round := 0; ; round++ {
		if round > len(t.Cells)+1 {
			return primary, secondary, errors.New("needs: disclosure: secondary suppression did not converge")
		}
		secondary += t.lineRule(prev)
		exposed, err := t.Audit()
		if err != nil {
			return primary, secondary, err
		}
		if len(exposed) == 0 {
			return primary, secondary, nil
		}
		// Protect the first exposed cell with one more suppression in one
		// of its lines.
		added := false
		for _, e := range exposed {
			if t.addPartner(e.Key, prev, true) {
				secondary++
				added = true
				break
			}
		}
		if !added {
			for _, e := range exposed {
				if t.addPartner(e.Key, prev, false) {
					secondary++
					added = true
					break
				}
			}
		}
		if !added {
			return primary, secondary, fmt.Errorf("needs: disclosure: cannot protect cell %s", exposed[0].Key)
		}
	}
}

// lineRule suppresses, in every line with exactly one suppressed cell, one
// more cell, until no such line is left.
func (t *Table) lineRule(prev map[Key]bool) int {
	n := 0
	for changed := true; changed; {
		changed = false
		for _, l := range t.Lines {
			var sup []Key
			for _, k := range append([]Key{l.Total}, l.Members...) {
				if t.Cells[k].Suppressed() {
					sup = append(sup, k)
				}
			}
			if len(sup) != 1 {
				continue
			}
			if k, ok := t.candidate(l, prev, true); ok {
				t.Cells[k].Secondary = true
			} else if k, ok := t.candidate(l, prev, false); ok {
				t.Cells[k].Secondary = true
			} else {
				continue
			}
			n++
			changed = true
		}
	}
	return n
}

// candidate picks the cell of line l to suppress next: not suppressed,
// positive (when positive is set: a suppressed zero can be pinned by x >=
// 0), suppressed last time first, then members before the total, then the
// fewest people, then the key.
func (t *Table) candidate(l Line, prev map[Key]bool, positive bool) (Key, bool) {
	var cands []Key
	for _, k := range append([]Key{l.Total}, l.Members...) {
		c := t.Cells[k]
		if c.Suppressed() || (positive && (c.People <= 0 || c.Firms <= 0)) {
			continue
		}
		cands = append(cands, k)
	}
	if len(cands) == 0 {
		return Key{}, false
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if prev[a] != prev[b] {
			return prev[a]
		}
		if (a == l.Total) != (b == l.Total) {
			return b == l.Total
		}
		ca, cb := t.Cells[a], t.Cells[b]
		if ca.People != cb.People {
			return ca.People < cb.People
		}
		return a.String() < b.String()
	})
	return cands[0], true
}

// addPartner suppresses one more cell in a line containing k.
func (t *Table) addPartner(k Key, prev map[Key]bool, positive bool) bool {
	for _, l := range t.Lines {
		in := l.Total == k
		for _, m := range l.Members {
			in = in || m == k
		}
		if !in {
			continue
		}
		if c, ok := t.candidate(l, prev, positive); ok {
			t.Cells[c].Secondary = true
			return true
		}
	}
	return false
}

// Exposure is a suppressed cell whose feasible range, given every published
// cell and total, is narrower than one unit (which pins a count).
type Exposure struct {
	Key      Key
	Measure  string // "people" or "firms"
	Low, Max float64
}

// Audit solves, for every suppressed cell and for the people measure (and
// for firms on the lines where firms add up), the smallest and the largest
// value consistent with the published cells and totals and with x >= 0
// (two linear programs, gonum's simplex). A range narrower than 1 is an
// exposure: counts are whole numbers, so it pins the cell.
func (t *Table) Audit() ([]Exposure, error) {
	var out []Exposure
	for _, m := range []string{"people", "firms"} {
		val := func(c *Cell) float64 {
			if m == "firms" {
				return float64(c.Firms)
			}
			return c.People
		}
		var lines []Line
		for _, l := range t.Lines {
			if m == "people" || l.FirmsAdditive {
				lines = append(lines, l)
			}
		}
		ranges, err := FeasibleRanges(t.Cells, lines, val)
		if err != nil {
			return nil, fmt.Errorf("needs: disclosure audit (%s): %w", m, err)
		}
		keys := make([]Key, 0, len(ranges))
		for k := range ranges {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			r := ranges[k]
			if r[1]-r[0] < 1-1e-6 {
				out = append(out, Exposure{Key: k, Measure: m, Low: r[0], Max: r[1]})
			}
		}
	}
	return out, nil
}

// FeasibleRanges returns, for every suppressed cell, [min, max] of its
// value over all non-negative assignments to the suppressed cells that
// satisfy every line (members sum to total) with the published cells at
// their values. A cell in no line with another suppressed cell is pinned
// (range of width 0) unless it is unconstrained (range [0, +Inf]).
func FeasibleRanges(cells map[Key]*Cell, lines []Line, val func(*Cell) float64) (map[Key][2]float64, error) {
	idx := map[Key]int{}
	var vars []Key
	for k, c := range cells {
		if c.Suppressed() {
			idx[k] = -1
			vars = append(vars, k)
		}
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].String() < vars[j].String() })
	for i, k := range vars {
		idx[k] = i
	}
	n := len(vars)
	if n == 0 {
		return nil, nil
	}
	// The simplex is exact only up to its tolerances, so the answer must not
	// depend on the order callers happen to build lines in (map order):
	// put lines and their members in one fixed order first.
	lines = sortedLines(lines)
	// Rows: one per line touching a suppressed cell.
	var rows [][]float64
	var rhs []float64
	for _, l := range lines {
		row := make([]float64, n)
		b := 0.0
		touch := false
		add := func(k Key, sign float64) {
			c := cells[k]
			if c == nil {
				return
			}
			if c.Suppressed() {
				row[idx[k]] += sign
				touch = true
			} else {
				b -= sign * val(c)
			}
		}
		add(l.Total, -1)
		for _, m := range l.Members {
			add(m, 1)
		}
		if touch {
			rows = append(rows, row)
			rhs = append(rhs, b)
		}
	}
	rows, rhs = independentRows(rows, rhs)
	out := map[Key][2]float64{}
	used := make([]bool, n)
	for _, r := range rows {
		for j, v := range r {
			if v != 0 {
				used[j] = true
			}
		}
	}
	if len(rows) == 0 {
		for _, k := range vars {
			out[k] = [2]float64{0, math.Inf(1)}
		}
		return out, nil
	}
	// Unused variables are unconstrained; drop them from the program.
	var cols []int
	for j := range vars {
		if used[j] {
			cols = append(cols, j)
		} else {
			out[vars[j]] = [2]float64{0, math.Inf(1)}
		}
	}
	A := mat.NewDense(len(rows), len(cols), nil)
	for i, r := range rows {
		for jj, j := range cols {
			A.Set(i, jj, r[j])
		}
	}
	if len(rows) == len(cols) {
		// Square and full rank: the solution is unique.
		var x mat.VecDense
		if err := x.SolveVec(A, mat.NewVecDense(len(rhs), rhs)); err != nil {
			return nil, err
		}
		for jj, j := range cols {
			out[vars[j]] = [2]float64{x.AtVec(jj), x.AtVec(jj)}
		}
		return out, nil
	}
	// Every program below has the same constraints, so one basic feasible
	// solution serves them all: the first solve finds one (gonum's phase I,
	// which costs far more than the optimisation itself), the others start
	// from it.
	var basis []int
	for jj, j := range cols {
		c := make([]float64, len(cols))
		c[jj] = 1
		lo, x, err := simplexFrom(c, A, rhs, basis)
		if err != nil {
			return nil, fmt.Errorf("cell %s: min: %w", vars[j], err)
		}
		if basis == nil {
			basis = feasibleBasis(A, rhs, x)
		}
		c[jj] = -1
		hi, _, err := simplexFrom(c, A, rhs, basis)
		if errors.Is(err, lp.ErrUnbounded) {
			hi = math.Inf(-1)
		} else if err != nil {
			return nil, fmt.Errorf("cell %s: max: %w", vars[j], err)
		}
		out[vars[j]] = [2]float64{lo, -hi}
	}
	return out, nil
}

// lpTol is the simplex tolerance of FeasibleRanges.
const lpTol = 1e-9

// simplexFrom is lp.Simplex started from basis when it is non-nil. gonum
// panics on a basis it finds infeasible or singular; then, and on any
// error other than unboundedness, the program is solved again from
// scratch, so the basis can only save time, never change the answer's
// validity.
func simplexFrom(c []float64, A mat.Matrix, b []float64, basis []int) (f float64, x []float64, err error) {
	if basis != nil {
		ok := func() (ok bool) {
			defer func() {
				if recover() != nil {
					ok = false
				}
			}()
			f, x, err = lp.Simplex(c, A, b, lpTol, basis)
			return err == nil || errors.Is(err, lp.ErrUnbounded)
		}()
		if ok {
			return f, x, err
		}
	}
	return lp.Simplex(c, A, b, lpTol, nil)
}

// feasibleBasis returns m column indices of A (m×n, full row rank) that
// form a basic feasible solution of A·x = b, x ≥ 0, built around x, a
// basic feasible solution (an optimum from lp.Simplex): the columns where x
// is positive, completed with further linearly independent columns. It
// returns nil when it cannot find one (the caller then lets gonum search).
func feasibleBasis(A *mat.Dense, b []float64, x []float64) []int {
	m, n := A.Dims()
	if len(x) != n {
		return nil
	}
	order := make([]int, 0, n)
	for j := range n {
		if x[j] > lpTol {
			order = append(order, j)
		}
	}
	for j := range n {
		if x[j] <= lpTol {
			order = append(order, j)
		}
	}
	// Greedy modified Gram-Schmidt: keep a column when it adds a direction.
	var basis []int
	var q [][]float64
	for _, j := range order {
		if len(basis) == m {
			break
		}
		v := make([]float64, m)
		norm0 := 0.0
		for i := range m {
			v[i] = A.At(i, j)
			norm0 += v[i] * v[i]
		}
		if norm0 == 0 {
			continue
		}
		for _, u := range q {
			d := 0.0
			for i := range m {
				d += u[i] * v[i]
			}
			for i := range m {
				v[i] -= d * u[i]
			}
		}
		norm := 0.0
		for i := range m {
			norm += v[i] * v[i]
		}
		if norm <= 1e-18*norm0 {
			continue
		}
		norm = math.Sqrt(norm)
		for i := range m {
			v[i] /= norm
		}
		q = append(q, v)
		basis = append(basis, j)
	}
	if len(basis) != m {
		return nil
	}
	// The basic solution must be feasible: A_B·x_B = b with x_B ≥ 0.
	ab := mat.NewDense(m, m, nil)
	for k, j := range basis {
		for i := range m {
			ab.Set(i, k, A.At(i, j))
		}
	}
	var xb mat.VecDense
	if err := xb.SolveVec(ab, mat.NewVecDense(m, b)); err != nil {
		return nil
	}
	for i := range m {
		if xb.AtVec(i) < -1e-10 {
			return nil
		}
	}
	return basis
}

// independentRows keeps a maximal set of linearly independent rows
// (Gaussian elimination with partial pivoting on a copy), with their
// right-hand sides.
func independentRows(rows [][]float64, rhs []float64) ([][]float64, []float64) {
	if len(rows) == 0 {
		return nil, nil
	}
	n := len(rows[0])
	var basis [][]float64 // reduced rows, each with a pivot column
	var pivots []int
	var keep [][]float64
	var keepB []float64
	for i, r := range rows {
		v := append([]float64(nil), r...)
		for bi, b := range basis {
			p := pivots[bi]
			if v[p] != 0 {
				f := v[p] / b[p]
				for j := 0; j < n; j++ {
					v[j] -= f * b[j]
				}
			}
		}
		p, best := -1, 1e-9
		for j := 0; j < n; j++ {
			if math.Abs(v[j]) > best {
				p, best = j, math.Abs(v[j])
			}
		}
		if p < 0 {
			continue
		}
		basis = append(basis, v)
		pivots = append(pivots, p)
		keep = append(keep, r)
		keepB = append(keepB, rhs[i])
	}
	return keep, keepB
}

// protectMunicipalities decides which municipality cells are published.
// Municipality rows are not part of the disclosure table: they are
// published whole or withheld whole, by rules that are safe by
// construction (no linear program over municipalities). For every county
// with columns cols (the total and the competence areas):
//
//  1. A municipality with respondents is published only when its whole
//     row passes the primary rule (at least MinFirms respondents; every
//     cell 0 or at least MinFirms firms, no dominant firm). A row is never
//     published in part: its own total would pin a single withheld cell.
//  2. The withheld municipalities W form a remainder any reader can
//     compute (county minus published municipalities). Unless W has no
//     respondents, it must hold at least two municipalities with
//     respondents and itself pass the primary rule, so no withheld
//     municipality is the remainder and the remainder is as safe as a
//     published cell.
//  3. For a cell suppressed in the county table, the published
//     municipalities' sum must not exceed the cell's smallest feasible
//     value (min, from the county table's audit): the new lower bound is
//     then implied already and narrows no range of the county table.
//
// While 2 or 3 fails, the published municipality with the fewest
// respondents joins W. Municipalities without respondents are published as
// zeros. Withheld cells are marked Secondary with Reason "kommune" unless
// they fail the primary rule themselves.
func protectMunicipalities(t *Table, est map[Key]*Estimate, counties []string, munis map[string][]string, cols [][2]string, rule Rule) error {
	rule = rule.withDefaults()
	fails := func(c *Cell) bool {
		return (c.Firms > 0 && c.Firms < rule.MinFirms) || (c.People > 0 && c.MaxFirmPeople > rule.Dominance*c.People)
	}
	// Smallest feasible values of the county table's suppressed cells.
	mins := map[string]map[Key]float64{}
	for _, m := range []string{"people", "firms"} {
		val := func(c *Cell) float64 {
			if m == "firms" {
				return float64(c.Firms)
			}
			return c.People
		}
		var lines []Line
		for _, l := range t.Lines {
			if m == "people" || l.FirmsAdditive {
				lines = append(lines, l)
			}
		}
		r, err := FeasibleRanges(t.Cells, lines, val)
		if err != nil {
			return err
		}
		mins[m] = map[Key]float64{}
		for k, v := range r {
			mins[m][k] = v[0]
		}
	}
	cell := func(r string, col [2]string) *Estimate { return est[Key{r, col[0], col[1]}] }
	for _, county := range counties {
		var withResp []string
		withheld := map[string]bool{}
		for _, m := range munis[county] {
			tot := cell(m, [2]string{Total, Total})
			if tot == nil || tot.Respondents == 0 {
				continue
			}
			withResp = append(withResp, m)
			bad := tot.Respondents < rule.MinFirms
			for _, col := range cols {
				if e := cell(m, col); e != nil && fails(e.Cell) {
					bad = true
					e.Primary, e.Reason = true, fmt.Sprintf("n<%d", rule.MinFirms)
				}
			}
			if bad {
				withheld[m] = true
			}
		}
		ok := func() bool {
			for _, col := range cols {
				ck := Key{county, col[0], col[1]}
				if c := t.Cells[ck]; c != nil && c.Suppressed() {
					var people, firms float64
					for _, m := range withResp {
						if !withheld[m] {
							people += cell(m, col).People
							firms += float64(cell(m, col).Firms)
						}
					}
					if people > mins["people"][ck]+1e-9 || firms > mins["firms"][ck]+1e-9 {
						return false
					}
				}
			}
			if len(withheld) == 0 {
				return true
			}
			if len(withheld) < 2 {
				return false
			}
			resp := 0
			for m := range withheld {
				resp += cell(m, [2]string{Total, Total}).Respondents
			}
			if resp < rule.MinFirms {
				return false
			}
			for _, col := range cols {
				var rest Cell
				for m := range withheld {
					e := cell(m, col)
					rest.Firms += e.Firms
					rest.People += e.People
					rest.MaxFirmPeople = math.Max(rest.MaxFirmPeople, e.MaxFirmPeople)
				}
				if fails(&rest) {
					return false
				}
			}
			return true
		}
		for !ok() {
			next := ""
			for _, m := range withResp {
				if !withheld[m] && (next == "" || cell(m, [2]string{Total, Total}).Respondents < cell(next, [2]string{Total, Total}).Respondents) {
					next = m
				}
			}
			if next == "" {
				break // every municipality with respondents is withheld
			}
			withheld[next] = true
		}
		for m := range withheld {
			for _, col := range cols {
				if e := cell(m, col); e != nil && !e.Primary {
					e.Secondary, e.Reason = true, "kommune"
				}
			}
		}
	}
	return nil
}

// sortedLines returns a copy of lines, each line's members sorted and the
// lines sorted by total, then members.
func sortedLines(lines []Line) []Line {
	out := make([]Line, len(lines))
	keys := make([]string, len(lines))
	for i, l := range lines {
		ms := append([]Key(nil), l.Members...)
		sort.Slice(ms, func(a, b int) bool { return ms[a].String() < ms[b].String() })
		out[i] = l
		out[i].Members = ms
		var b strings.Builder
		b.WriteString(l.Total.String())
		for _, m := range ms {
			b.WriteByte('|')
			b.WriteString(m.String())
		}
		keys[i] = b.String()
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return keys[idx[a]] < keys[idx[b]] })
	sorted := make([]Line, len(out))
	for i, j := range idx {
		sorted[i] = out[j]
	}
	return sorted
}

// protectGroups decides which grouping cells are published. A grouping is
// the sum of its member municipalities, groupings overlap, and a grouping
// may cover a county, so a reader can difference any two published cells
// (and solve any set of them together). The rule is safe by construction:
//
//  1. Primary rule, as for every cell: a grouping cell with 1 to
//     MinFirms-1 firms or a dominant firm is suppressed (Primary).
//  2. A grouping row is published only when every member municipality's
//     row is published: it is then a sum of published numbers, and no
//     difference of groupings, counties and municipalities tells anything
//     the municipality rows do not. Otherwise, or when 1 fired for any of
//     its cells, the row is withheld whole (Secondary, Reason "gruppe"),
//     so its own total cannot pin a single withheld cell.
//
// Build then checks the whole published set, groupings included, with the
// exact audit (AuditVersions with the grouping lines) and publishes nothing
// if it finds a pinned cell. Uncovered groupings take no part: they have no
// estimate.
func protectGroups(est map[Key]*Estimate, groups []regions.Group, cols [][2]string, rule Rule) error {
	rule = rule.withDefaults()
	for _, g := range groups {
		tot := est[Key{g.ID, Total, Total}]
		if tot == nil || tot.Uncovered {
			continue
		}
		withhold := tot.Respondents > 0 && tot.Respondents < rule.MinFirms
		for _, col := range cols {
			e := est[Key{g.ID, col[0], col[1]}]
			if e == nil {
				continue
			}
			switch {
			case e.Firms > 0 && e.Firms < rule.MinFirms:
				e.Primary, e.Reason = true, fmt.Sprintf("n<%d", rule.MinFirms)
			case e.People > 0 && e.MaxFirmPeople > rule.Dominance*e.People:
				e.Primary, e.Reason = true, "dominans"
			}
			withhold = withhold || e.Primary
			for _, m := range g.Members {
				me := est[Key{m, col[0], col[1]}]
				// A member without a published cell (no municipality rows)
				// makes the grouping a sum of unpublished numbers.
				withhold = withhold || me == nil || me.Suppressed()
			}
		}
		if !withhold {
			continue
		}
		for _, col := range cols {
			if e := est[Key{g.ID, col[0], col[1]}]; e != nil && !e.Primary {
				e.Secondary, e.Reason = true, "gruppe"
			}
		}
	}
	return nil
}

// publishedOf is what a reader of the table built from est would know
// (as ReadPublished reads it from the record), with the groupings'
// membership for the audit's grouping lines.
func publishedOf(name string, est map[Key]*Estimate, groups []regions.Group) *PublishedVersion {
	pv := &PublishedVersion{Name: name, Values: map[string]map[Key]float64{}, Suppressed: map[string]map[Key]bool{}, Groups: map[string][]string{}}
	for _, m := range auditMeasures {
		pv.Values[m] = map[Key]float64{}
		pv.Suppressed[m] = map[Key]bool{}
	}
	for _, g := range groups {
		pv.Groups[g.ID] = g.Members
	}
	for k, e := range est {
		vals := map[string]float64{"respondenter": float64(e.Respondents), "virksomheter_med_behov": float64(e.WithNeed), "personer": e.People}
		for _, m := range auditMeasures {
			switch {
			case e.Suppressed():
				pv.Suppressed[m][k] = true
			case e.Uncovered:
				pv.Values[m][k] = 0 // read as ".." (no estimate): known to be nothing
			default:
				pv.Values[m][k] = vals[m]
			}
		}
	}
	return pv
}
