package jsonstat

import (
	"encoding/json"
	"errors"
	"strconv"
	"unsafe"
)

// The value and status members can hold millions of cells, so they are not
// walked token by token (one interface allocation per cell) but scanned
// straight from the lexer's buffer into the columns, checking the JSON
// syntax on the way: one pass over their bytes.
//
// Each list keeps at most limit+1 entries (limit being the document's cell
// limit) while counting all of them: a dataset with more entries than that
// is an error whatever the rest says (its value length cannot match a cell
// count within the limit, or, sparse, some entry among the first cells+1
// repeats a cell or lies outside the cube), so the lists never outgrow the
// limit either.

// valueList is the decoded "value" member before the sizes are known.
type valueList struct {
	dense    bool // array form
	sparse   bool // object form
	n        int  // entries in the file; vals holds the first limit+1
	vals     []float64
	present  []bool
	idx      []int // sparse: flat index of vals[i]
	badIndex int   // first cell whose value is not a number or null, or -1
	badKind  string
	seenBits []uint64
}

// statusKind tells which form the "status" member had.
type statusKind int

const (
	statusNone statusKind = iota
	statusString
	statusArray
	statusObject
)

// statusList is the decoded "status" member before the sizes are known.
type statusList struct {
	kind     statusKind
	all      string   // statusString
	n        int      // entries in the file; list holds the first limit+1
	list     []string // statusArray, or statusObject values
	idx      []int    // statusObject keys
	badIndex int
	badKind  string
}

// float64pow10 holds the powers of ten that a float64 represents exactly.
var float64pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseNumber parses s, a run of number bytes. ok is false when s is not a
// JSON number; outOfRange is true (and f 0) when it is one but beyond the
// float64 range, as strconv.ParseFloat's ErrRange.
//
// The result is always strconv.ParseFloat(s, 64), bit for bit. Numbers
// without an exponent whose digits, the decimal point left out, form an
// integer m <= 2^53 with d <= 22 decimals (integers and the usual few
// decimals of statistics) are converted as float64(m) / 10^d: both
// operands are exact, so the IEEE division rounds the exact quotient
// correctly, and the correctly rounded value is what ParseFloat returns
// (this is its own exact fast path). A minus sign negates, which is exact
// and gives -0 for "-0". Everything else (exponents, longer mantissas) is
// left to ParseFloat.
func parseNumber(s []byte) (f float64, ok, outOfRange bool) {
	i := 0
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		i = 1
	}
	if i >= len(s) {
		return 0, false, false
	}
	var m uint64
	nd := 0 // digits accumulated into m (m cannot overflow while nd <= 19)
	switch c := s[i]; {
	case c == '0':
		i++
	case c >= '1' && c <= '9':
		for i < len(s) && s[i]-'0' <= 9 {
			m = m*10 + uint64(s[i]-'0')
			nd++
			i++
		}
	default:
		return 0, false, false
	}
	frac := 0
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i]-'0' <= 9 {
			m = m*10 + uint64(s[i]-'0')
			nd++
			i++
		}
		if frac = i - start; frac == 0 {
			return 0, false, false
		}
	}
	if i == len(s) && nd <= 19 && m <= 1<<53 && frac <= 22 {
		f = float64(m)
		if frac > 0 {
			f /= float64pow10[frac]
		}
		if neg {
			f = -f
		}
		return f, true, false
	}
	if i < len(s) && !validExponent(s[i:]) {
		return 0, false, false
	}
	f, err := strconv.ParseFloat(bstr(s), 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, true, true
		}
		return 0, false, false // not reached: s is a JSON number
	}
	return f, true, false
}

// validExponent reports whether s is a JSON exponent: e or E, an optional
// sign, one digit or more.
func validExponent(s []byte) bool {
	if len(s) < 2 || (s[0] != 'e' && s[0] != 'E') {
		return false
	}
	i := 1
	if s[i] == '+' || s[i] == '-' {
		i++
	}
	if i == len(s) {
		return false
	}
	for ; i < len(s); i++ {
		if s[i]-'0' > 9 {
			return false
		}
	}
	return true
}

// validNumber reports whether s is a JSON number.
func validNumber(s []byte) bool {
	i := 0
	if len(s) > 0 && s[0] == '-' {
		i = 1
	}
	switch {
	case i >= len(s):
		return false
	case s[i] == '0':
		i++
	case s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i]-'0' <= 9 {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i]-'0' <= 9 {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(s) || validExponent(s[i:])
}

// bstr views b as a string without copying; the result must not outlive b
// nor be retained (strconv copies the input into its errors).
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// number reads the number at the next byte. A number beyond the float64
// range is not an error here but kind "a number outside the float64
// range", as for other values that are no float64.
func (l *lexer) number() (f float64, null bool, kind string, err error) {
	j := l.numberEnd()
	s := l.buf[l.i : l.i+j]
	f, ok, over := parseNumber(s)
	if !ok {
		return 0, false, "", l.errorf(0, "invalid number literal %q", s)
	}
	l.i += j
	if over {
		return 0, false, "a number outside the float64 range", nil
	}
	return f, false, "", nil
}

// elem reads one value element: a number, null, or another value, which
// is skipped and named by kind ("a string", "a boolean", "an object", "an
// array"). depth is the nesting depth of its container.
func (l *lexer) elem(depth int) (f float64, null bool, kind string, err error) {
	c, err := l.peekIn()
	if err != nil {
		return 0, false, "", err
	}
	switch c {
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return l.number()
	case 'n':
		return 0, true, "", l.literal("null")
	case 't':
		return 0, false, "a boolean", l.literal("true")
	case 'f':
		return 0, false, "a boolean", l.literal("false")
	case '"', '{', '[':
		end, err := l.scanValue(0, depth)
		if err != nil {
			return 0, false, "", err
		}
		l.i += end
		switch c {
		case '"':
			return 0, false, "a string", nil
		case '{':
			return 0, false, "an object", nil
		}
		return 0, false, "an array", nil
	}
	return 0, false, "", l.errorf(0, "invalid character %s looking for beginning of value", quoteChar(c))
}

// sep consumes the ',' (returning false) or the closing delimiter
// (returning true) after an element.
func (l *lexer) sep(close byte) (bool, error) {
	c, err := l.peekIn()
	if err != nil {
		return false, err
	}
	switch c {
	case ',':
		l.i++
		return false, nil
	case close:
		l.i++
		return true, nil
	}
	if close == '}' {
		return false, l.errorf(0, "invalid character %s after object key:value pair", quoteChar(c))
	}
	return false, l.errorf(0, "invalid character %s after array element", quoteChar(c))
}

// cellKey reads an object key that should be a flat cell index, and the
// colon after it. When it is not an integer (isInt false), idx is -1; when
// idx is negative, badKind says the key is not a cell index.
func (l *lexer) cellKey() (idx int, isInt bool, badKind string, err error) {
	c, err := l.peekIn()
	if err != nil {
		return 0, false, "", err
	}
	if c != '"' {
		return 0, false, "", l.errorf(0, "invalid character %s looking for beginning of object key string", quoteChar(c))
	}
	end, esc, _, err := l.scanString(0)
	if err != nil {
		return 0, false, "", err
	}
	q := l.buf[l.i : l.i+end]
	k := bstr(q[1 : len(q)-1])
	if esc {
		if err := json.Unmarshal(q, &k); err != nil {
			return 0, false, "", l.errorf(0, "%v", err)
		}
	}
	idx, aerr := strconv.Atoi(k)
	if isInt = aerr == nil; !isInt {
		idx = -1
	}
	if idx < 0 {
		badKind = "keyed by " + strconv.Quote(k) + ", not a cell index"
	}
	l.i += end
	if c, err = l.peekIn(); err != nil {
		return 0, false, "", err
	}
	if c != ':' {
		return 0, false, "", l.errorf(0, "invalid character %s after object key", quoteChar(c))
	}
	l.i++
	return idx, isInt, badKind, nil
}

// values reads the value member, whose key has just been read: an array,
// a sparse object, null, or a scalar (kept as a bad first cell). hint is
// the cell count the sizes read so far declare (the capacity to reserve)
// or 0.
func (p *parser) values(hint int) (*valueList, error) {
	l := p.lex
	c, err := l.beginValue()
	if err != nil {
		return nil, err
	}
	v := &valueList{badIndex: -1}
	switch c {
	case '[':
		l.i++
		v.dense = true
		if err := p.denseValues(v, hint); err != nil {
			return nil, err
		}
	case '{':
		l.i++
		v.sparse = true
		if err := p.sparseValues(v); err != nil {
			return nil, err
		}
	case 'n':
		if err := l.literal("null"); err != nil {
			return nil, err
		}
	default:
		// A scalar value: not valid JSON-stat.
		_, _, kind, err := l.elem(0)
		if err != nil {
			return nil, err
		}
		if kind == "" {
			kind = "a number"
		}
		v.dense, v.n = true, 1
		v.badIndex, v.badKind = 0, kind+" instead of an array or object"
		v.vals = []float64{0}
		v.present = []bool{false}
	}
	l.valueEnd()
	return v, nil
}

// denseValues reads the elements of a value array whose '[' has been
// read. This is the decoder's hot loop: one element per cell.
func (p *parser) denseValues(v *valueList, hint int) error {
	l := p.lex
	if hint > 0 && hint <= p.limit {
		v.vals = make([]float64, 0, hint)
		v.present = make([]bool, 0, hint)
	}
	c, err := l.peekIn()
	if err != nil {
		return err
	}
	if c == ']' {
		l.i++
		return nil
	}
	for {
		var (
			f    float64
			null bool
			kind string
			err  error
		)
		if l.i < len(l.buf) && (l.buf[l.i]-'0' <= 9 || l.buf[l.i] == '-') {
			f, null, kind, err = l.number()
		} else {
			f, null, kind, err = l.elem(1)
		}
		if err != nil {
			return err
		}
		if kind != "" && v.badIndex < 0 {
			v.badIndex, v.badKind = v.n, kind
		}
		if v.n <= p.limit {
			v.vals = append(v.vals, f)
			v.present = append(v.present, !null && kind == "")
		}
		v.n++
		if l.i < len(l.buf) && l.buf[l.i] == ',' {
			l.i++
			continue
		}
		done, err := l.sep(']')
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// sparseValues reads the members of a sparse value object whose '{' has
// been read.
func (p *parser) sparseValues(v *valueList) error {
	l := p.lex
	c, err := l.peekIn()
	if err != nil {
		return err
	}
	if c == '}' {
		l.i++
		return nil
	}
	for {
		idx, _, badKey, err := l.cellKey()
		if err != nil {
			return err
		}
		f, null, kind, err := l.elem(1)
		if err != nil {
			return err
		}
		if badKey != "" && v.badIndex < 0 {
			v.badIndex, v.badKind = v.n, badKey
		}
		if kind != "" && v.badIndex < 0 {
			v.badIndex, v.badKind = idx, kind
		}
		if v.n <= p.limit {
			v.idx = append(v.idx, idx)
			v.vals = append(v.vals, f)
			v.present = append(v.present, !null && kind == "")
		}
		v.n++
		done, err := l.sep('}')
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// statuses reads the status member, whose key has just been read: a
// string, an array, an object keyed by cell index, or null.
func (p *parser) statuses() (*statusList, error) {
	l := p.lex
	c, err := l.beginValue()
	if err != nil {
		return nil, err
	}
	s := &statusList{badIndex: -1}
	intern := map[string]string{}
	switch c {
	case 'n':
		if err := l.literal("null"); err != nil {
			return nil, err
		}
	case '[':
		l.i++
		s.kind = statusArray
		if c, err = l.peekIn(); err != nil {
			return nil, err
		}
		if c == ']' {
			l.i++
			break
		}
		for {
			st, err := p.status(s, intern, s.n)
			if err != nil {
				return nil, err
			}
			if s.n <= p.limit {
				s.list = append(s.list, st)
			}
			s.n++
			done, err := l.sep(']')
			if err != nil {
				return nil, err
			}
			if done {
				break
			}
		}
	case '{':
		l.i++
		s.kind = statusObject
		if c, err = l.peekIn(); err != nil {
			return nil, err
		}
		if c == '}' {
			l.i++
			break
		}
		for {
			// Unlike a value key, a negative integer here is not a bad
			// key but a cell outside the cube (fillValues says so).
			idx, isInt, badKey, err := l.cellKey()
			if err != nil {
				return nil, err
			}
			if !isInt && s.badIndex < 0 {
				s.badIndex, s.badKind = s.n, badKey
			}
			st, err := p.status(s, intern, idx)
			if err != nil {
				return nil, err
			}
			if s.n <= p.limit {
				s.idx = append(s.idx, idx)
				s.list = append(s.list, st)
			}
			s.n++
			done, err := l.sep('}')
			if err != nil {
				return nil, err
			}
			if done {
				break
			}
		}
	default:
		s.kind = statusString
		if s.all, err = p.status(s, intern, 0); err != nil {
			return nil, err
		}
	}
	l.valueEnd()
	return s, nil
}

// status reads one status element: a string, or null (""). Anything else
// is recorded as the list's first bad element, at cell, and reads as "".
// Unescaped strings are interned (up to 1024 distinct ones), as a status
// column repeats a handful of codes.
func (p *parser) status(s *statusList, intern map[string]string, cell int) (string, error) {
	l := p.lex
	c, err := l.peekIn()
	if err != nil {
		return "", err
	}
	switch c {
	case 'n':
		return "", l.literal("null")
	case '"':
		end, esc, _, err := l.scanString(0)
		if err != nil {
			return "", err
		}
		q := l.buf[l.i : l.i+end]
		l.i += end
		if esc {
			var st string
			if err := json.Unmarshal(q, &st); err != nil {
				return "", l.errorf(-end, "%v", err)
			}
			return st, nil
		}
		raw := q[1 : len(q)-1]
		if st, ok := intern[string(raw)]; ok {
			return st, nil
		}
		st := string(raw)
		if len(intern) < 1024 {
			intern[st] = st
		}
		return st, nil
	}
	_, _, kind, err := l.elem(1)
	if err != nil {
		return "", err
	}
	if kind == "" {
		kind = "a number"
	}
	if s.badIndex < 0 {
		s.badIndex, s.badKind = cell, kind
	}
	return "", nil
}
