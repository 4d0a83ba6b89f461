package pxweb

import (
	"fmt"
	"math"
	"math/bits"
	"sort"
	"strings"
)

// Plan is how one Fetch is cut into requests. It is computed before any
// data request (Client.Plan), so a dry run can show it.
type Plan struct {
	Table    string
	MaxCells int // the server's maxDataCells when the plan was made
	// Vars are the selected variables in table (metadata) order, with the
	// values each returns and the number of blocks it is cut into.
	Vars []PlanVar
	// Cells is the size of the whole selection: the product of
	// len(Vars[i].Codes).
	Cells int
	// Chunks are the requests, in row-major order of the blocks (the last
	// variable's blocks vary fastest). Each is at most MaxCells cells.
	Chunks []Chunk
}

// PlanVar is one selected variable of a Plan.
type PlanVar struct {
	Variable     string
	Codelist     string // as sent to the server ("" = none)
	OutputValues string // as sent to the server ("" = none)
	// Codes are the codes sent to the server for this variable, in metadata
	// (or codelist) order; the response has one category per code.
	Codes []string
	// Blocks is the number of contiguous blocks Codes is cut into.
	Blocks int
	// Time reports whether the variable has the time role.
	Time bool
}

// Chunk is one data request: explicit codes for every selected variable.
type Chunk struct {
	Selection Selection
	Cells     int
}

// Requests returns the number of data requests the plan needs (before any
// retry or 403 re-plan).
func (p *Plan) Requests() int { return len(p.Chunks) }

// String describes the plan on a few lines (for --dry-run).
func (p *Plan) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "table %s: %d cells, max %d per request, %d requests\n", p.Table, p.Cells, p.MaxCells, len(p.Chunks))
	for _, v := range p.Vars {
		fmt.Fprintf(&b, "  %s: %d values in %d blocks", v.Variable, len(v.Codes), v.Blocks)
		if v.Codelist != "" {
			fmt.Fprintf(&b, " (codelist %s", v.Codelist)
			if v.OutputValues != "" {
				fmt.Fprintf(&b, ", %s", v.OutputValues)
			}
			b.WriteString(")")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Split chooses how many contiguous blocks to cut each variable into so
// that every request stays within maxCells cells with the fewest requests.
//
// sizes[i] is the number of values variable i returns; timeIndex is the
// index of the time variable, or -1. The result b has 1 <= b[i] <= sizes[i].
// Cutting variable i into b[i] blocks as evenly as possible gives blocks of
// at most s[i] = ceil(sizes[i]/b[i]) values, so the largest chunk has
// prod s[i] cells, and the number of requests is prod b[i]. Split returns
// the b that minimises prod b[i] subject to prod s[i] <= maxCells.
//
// Only the block size matters, so for each variable only the smallest b
// giving each distinct s = ceil(n/b) is a candidate (O(sqrt n) candidates).
// A depth-first search over the candidates, with the variables taken in
// preference order, prunes with the bound
//
//	requests >= prod(chosen b) * ceil(prod(rest n) * prod(chosen s) / maxCells)
//
// which holds because b >= n/s for every variable. The search is exact.
// Ties (equal request counts) are broken deterministically: fewer variables
// cut wins; then more blocks on the more preferred variable, the
// preference order being the time variable first, then larger variables
// first, then table order.
//
// Worked example: Region 12 values, Kjonn 3, ContentsCode 2, Tid 10 =
// 720 cells, maxCells 100. No plan can use fewer than ceil(720/100) = 8
// requests. Cutting only Tid needs blocks of 1 period (12*3*2 = 72 cells,
// 144 > 100), so 10 requests; cutting only Region needs 12. Region in 4
// blocks of 3 times Tid in 2 blocks of 5 gives chunks of 3*3*2*5 = 90
// cells in 4*2 = 8 requests, the minimum. Region 4 x ContentsCode 2 (also
// 90 cells, 8 requests) ties and loses to it because Tid is preferred; so
// does Region 2 x ContentsCode 2 x Tid 2 (90 cells) because it cuts three
// variables. Result: b = [4 1 1 2].
func Split(sizes []int, maxCells int, timeIndex int) ([]int, error) {
	if maxCells < 1 {
		return nil, fmt.Errorf("pxweb: split: maxCells %d, want >= 1", maxCells)
	}
	for i, n := range sizes {
		if n < 1 {
			return nil, fmt.Errorf("pxweb: split: variable %d has %d values, want >= 1", i, n)
		}
	}
	k := len(sizes)
	order := make([]int, k) // preference order
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ia, ib := order[a], order[b]
		if (ia == timeIndex) != (ib == timeIndex) {
			return ia == timeIndex
		}
		return sizes[ia] > sizes[ib]
	})
	type cand struct{ b, s uint64 }
	cands := make([][]cand, k)  // per position in order, b ascending
	rest := make([]uint64, k+1) // rest[p] = prod sizes[order[p:]], saturating
	rest[k] = 1
	for p := k - 1; p >= 0; p-- {
		rest[p] = satMul(rest[p+1], uint64(sizes[order[p]]))
	}
	for p, i := range order {
		n := uint64(sizes[i])
		for b := uint64(1); ; {
			s := (n + b - 1) / b // b is the smallest block count giving s
			if s <= uint64(maxCells) {
				cands[p] = append(cands[p], cand{b, s})
			}
			if s == 1 {
				break
			}
			b = (n + s - 2) / (s - 1) // smallest b with ceil(n/b) <= s-1
		}
	}
	M := uint64(maxCells)
	best := uint64(math.MaxUint64)
	var bestB []uint64 // in preference order
	cur := make([]uint64, k)
	better := func(a, b []uint64) bool { // a better than b at equal products
		ca, cb := 0, 0
		for p := range a {
			if a[p] > 1 {
				ca++
			}
			if b[p] > 1 {
				cb++
			}
		}
		if ca != cb {
			return ca < cb
		}
		for p := range a {
			if a[p] != b[p] {
				return a[p] > b[p]
			}
		}
		return false
	}
	var dfs func(p int, prodB, cells uint64)
	dfs = func(p int, prodB, cells uint64) {
		if p == k {
			if prodB < best || (prodB == best && better(cur, bestB)) {
				best = prodB
				bestB = append(bestB[:0], cur...)
			}
			return
		}
		for _, c := range cands[p] {
			cl := satMul(cells, c.s)
			if cl > M {
				continue // larger b (smaller s) follows
			}
			pb := satMul(prodB, c.b)
			if satMul(pb, ceilDiv128(rest[p+1], cl, M)) > best {
				// Candidates are in ascending b, but the bound is not
				// monotone in b (cl shrinks), so keep looking only while
				// pb alone can still tie.
				if pb > best {
					return
				}
				continue
			}
			cur[p] = c.b
			dfs(p+1, pb, cl)
		}
	}
	dfs(0, 1, 1)
	if bestB == nil {
		return nil, fmt.Errorf("pxweb: split: no plan within %d cells", maxCells)
	}
	out := make([]int, k)
	for p, i := range order {
		out[i] = int(bestB[p])
	}
	return out, nil
}

func satMul(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi != 0 {
		return math.MaxUint64
	}
	return lo
}

// ceilDiv128 returns max(1, ceil(a*b/m)), saturating.
func ceilDiv128(a, b, m uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	if hi >= m {
		return math.MaxUint64
	}
	q, r := bits.Div64(hi, lo, m)
	if r != 0 {
		q++
	}
	return max(q, 1)
}

// blocks cuts n items into b contiguous blocks as evenly as possible (the
// first n%b blocks get one more) and returns the [lo,hi) bounds.
func blocks(n, b int) [][2]int {
	out := make([][2]int, 0, b)
	size, extra := n/b, n%b
	lo := 0
	for i := 0; i < b; i++ {
		hi := lo + size
		if i < extra {
			hi++
		}
		out = append(out, [2]int{lo, hi})
		lo = hi
	}
	return out
}

// makeChunks builds the chunks of p from p.Vars (Codes and Blocks set).
func (p *Plan) makeChunks() {
	k := len(p.Vars)
	bl := make([][][2]int, k)
	p.Cells = 1
	for i, v := range p.Vars {
		bl[i] = blocks(len(v.Codes), v.Blocks)
		p.Cells *= len(v.Codes)
	}
	p.Chunks = nil
	idx := make([]int, k)
	for {
		ch := Chunk{Cells: 1}
		for i, v := range p.Vars {
			r := bl[i][idx[i]]
			ch.Selection = append(ch.Selection, VarSelection{
				Variable: v.Variable, Codelist: v.Codelist, OutputValues: v.OutputValues,
				ValueCodes: v.Codes[r[0]:r[1]:r[1]],
			})
			ch.Cells *= r[1] - r[0]
		}
		p.Chunks = append(p.Chunks, ch)
		// advance the odometer, last variable fastest
		i := k - 1
		for ; i >= 0; i-- {
			idx[i]++
			if idx[i] < len(bl[i]) {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			break
		}
	}
}

// halve cuts a chunk in two along its variable with the most codes (the
// first such in table order); ok is false for a one-cell chunk.
func (ch Chunk) halve() (a, b Chunk, ok bool) {
	best := -1
	for i, v := range ch.Selection {
		if len(v.ValueCodes) > 1 && (best < 0 || len(v.ValueCodes) > len(ch.Selection[best].ValueCodes)) {
			best = i
		}
	}
	if best < 0 {
		return Chunk{}, Chunk{}, false
	}
	codes := ch.Selection[best].ValueCodes
	mid := (len(codes) + 1) / 2
	a.Selection = append(Selection(nil), ch.Selection...)
	b.Selection = append(Selection(nil), ch.Selection...)
	a.Selection[best].ValueCodes = codes[:mid:mid]
	b.Selection[best].ValueCodes = codes[mid:]
	a.Cells = ch.Cells / len(codes) * mid
	b.Cells = ch.Cells / len(codes) * (len(codes) - mid)
	return a, b, true
}
