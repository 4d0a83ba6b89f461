package legacy

import (
	"encoding/json"
	"errors"
	"strconv"
	"unsafe"
)

// The value and status members can hold millions of cells, so they are not
// walked with json.Decoder.Token (one interface allocation per cell) but
// handed whole to UnmarshalJSON below, which scans the raw bytes once. The
// json.Decoder has already checked that the bytes are valid JSON; the
// scanners still check bounds so that no input can make them panic.

var errScan = errors.New("malformed JSON in value or status")

// valueList is the decoded "value" member before the sizes are known.
type valueList struct {
	dense    bool // array form
	sparse   bool // object form
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
	list     []string // statusArray, or statusObject values
	idx      []int    // statusObject keys
	badIndex int
	badKind  string
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipWS(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// scanString returns the end (one past the closing quote) of the string
// starting at b[i] == '"', and whether it contains escapes.
func scanString(b []byte, i int) (int, bool, error) {
	esc := false
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return j + 1, esc, nil
		}
	}
	return 0, false, errScan
}

// skipComposite returns the end of the object or array starting at b[i].
func skipComposite(b []byte, i int) (int, error) {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			end, _, err := scanString(b, i)
			if err != nil {
				return 0, err
			}
			i = end
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		}
		i++
	}
	return 0, errScan
}

func isNumByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// bstr views b as a string without copying; the result must not outlive b
// nor be retained (strconv copies the input into its errors).
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// scanElem reads one value element at b[i]. It returns the end, the
// number, whether it was null, and a non-empty kind when it was not a
// number or null.
func scanElem(b []byte, i int) (end int, f float64, null bool, kind string, err error) {
	if i >= len(b) {
		return 0, 0, false, "", errScan
	}
	switch c := b[i]; {
	case c == 'n':
		if i+4 > len(b) {
			return 0, 0, false, "", errScan
		}
		return i + 4, 0, true, "", nil
	case c == 't':
		return i + 4, 0, false, "a boolean", nil
	case c == 'f':
		return i + 5, 0, false, "a boolean", nil
	case c == '"':
		end, _, err := scanString(b, i)
		return end, 0, false, "a string", err
	case c == '{':
		end, err := skipComposite(b, i)
		return end, 0, false, "an object", err
	case c == '[':
		end, err := skipComposite(b, i)
		return end, 0, false, "an array", err
	}
	j := i
	for j < len(b) && isNumByte(b[j]) {
		j++
	}
	if j == i {
		return 0, 0, false, "", errScan
	}
	f, err = strconv.ParseFloat(bstr(b[i:j]), 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return j, 0, false, "a number outside the float64 range", nil
		}
		return 0, 0, false, "", errScan
	}
	return j, f, false, "", nil
}

// key reads an object key at b[i] and returns it unescaped.
func scanKey(b []byte, i int) (string, int, error) {
	if i >= len(b) || b[i] != '"' {
		return "", 0, errScan
	}
	end, esc, err := scanString(b, i)
	if err != nil {
		return "", 0, err
	}
	var k string
	if esc {
		if err := json.Unmarshal(b[i:end], &k); err != nil {
			return "", 0, errScan
		}
	} else {
		k = string(b[i+1 : end-1])
	}
	j := skipWS(b, end)
	if j >= len(b) || b[j] != ':' {
		return "", 0, errScan
	}
	return k, skipWS(b, j+1), nil
}

// sep consumes a ',' (returning false) or the closing delimiter (returning
// true) after an element.
func sep(b []byte, i int, close byte) (int, bool, error) {
	i = skipWS(b, i)
	if i >= len(b) {
		return 0, false, errScan
	}
	switch b[i] {
	case ',':
		return skipWS(b, i+1), false, nil
	case close:
		return i + 1, true, nil
	}
	return 0, false, errScan
}

// UnmarshalJSON scans a value array, a sparse value object or null.
func (v *valueList) UnmarshalJSON(b []byte) error {
	*v = valueList{badIndex: -1}
	i := skipWS(b, 0)
	if i >= len(b) {
		return errScan
	}
	switch b[i] {
	case 'n':
		return nil
	case '[':
		v.dense = true
		// A cheap upper bound on the element count avoids regrowing.
		est := 0
		for _, c := range b {
			if c == ',' {
				est++
			}
		}
		v.vals = make([]float64, 0, est+1)
		v.present = make([]bool, 0, est+1)
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == ']' {
			return nil
		}
		for {
			end, f, null, kind, err := scanElem(b, i)
			if err != nil {
				return err
			}
			if kind != "" && v.badIndex < 0 {
				v.badIndex, v.badKind = len(v.vals), kind
			}
			v.vals = append(v.vals, f)
			v.present = append(v.present, !null && kind == "")
			var done bool
			if i, done, err = sep(b, end, ']'); err != nil {
				return err
			}
			if done {
				return nil
			}
		}
	case '{':
		v.sparse = true
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == '}' {
			return nil
		}
		for {
			k, j, err := scanKey(b, i)
			if err != nil {
				return err
			}
			idx, err := strconv.Atoi(k)
			if err != nil {
				idx = -1
			}
			end, f, null, kind, err := scanElem(b, j)
			if err != nil {
				return err
			}
			if idx < 0 && v.badIndex < 0 {
				v.badIndex, v.badKind = len(v.vals), "keyed by "+strconv.Quote(k)+", not a cell index"
			}
			if kind != "" && v.badIndex < 0 {
				v.badIndex, v.badKind = idx, kind
			}
			v.idx = append(v.idx, idx)
			v.vals = append(v.vals, f)
			v.present = append(v.present, !null && kind == "")
			var done bool
			if i, done, err = sep(b, end, '}'); err != nil {
				return err
			}
			if done {
				return nil
			}
		}
	}
	// A scalar value: not valid JSON-stat.
	v.dense = true
	_, _, _, kind, err := scanElem(b, i)
	if err != nil {
		return err
	}
	if kind == "" {
		kind = "a number"
	}
	v.badIndex, v.badKind = 0, kind+" instead of an array or object"
	v.vals = []float64{0}
	v.present = []bool{false}
	return nil
}

// scanStatus reads a status element (string or null) at b[i].
func (s *statusList) scanStatus(b []byte, i int, intern map[string]string, cell int) (string, int, error) {
	if i >= len(b) {
		return "", 0, errScan
	}
	switch b[i] {
	case 'n':
		return "", i + 4, nil
	case '"':
		end, esc, err := scanString(b, i)
		if err != nil {
			return "", 0, err
		}
		raw := b[i+1 : end-1]
		if st, ok := intern[bstr(raw)]; ok && !esc {
			return st, end, nil
		}
		var st string
		if esc {
			if err := json.Unmarshal(b[i:end], &st); err != nil {
				return "", 0, errScan
			}
		} else {
			st = string(raw)
			if len(intern) < 1024 {
				intern[st] = st
			}
		}
		return st, end, nil
	}
	end, _, _, kind, err := scanElem(b, i)
	if err != nil {
		return "", 0, err
	}
	if kind == "" {
		kind = "a number"
	}
	if s.badIndex < 0 {
		s.badIndex, s.badKind = cell, kind
	}
	return "", end, nil
}

// UnmarshalJSON scans a status string, array, object or null.
func (s *statusList) UnmarshalJSON(b []byte) error {
	*s = statusList{badIndex: -1}
	intern := map[string]string{}
	i := skipWS(b, 0)
	if i >= len(b) {
		return errScan
	}
	switch b[i] {
	case 'n':
		return nil
	case '[':
		s.kind = statusArray
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == ']' {
			return nil
		}
		for {
			st, end, err := s.scanStatus(b, i, intern, len(s.list))
			if err != nil {
				return err
			}
			s.list = append(s.list, st)
			var done bool
			if i, done, err = sep(b, end, ']'); err != nil {
				return err
			}
			if done {
				return nil
			}
		}
	case '{':
		s.kind = statusObject
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == '}' {
			return nil
		}
		for {
			k, j, err := scanKey(b, i)
			if err != nil {
				return err
			}
			idx, err := strconv.Atoi(k)
			if err != nil {
				idx = -1
				if s.badIndex < 0 {
					s.badIndex, s.badKind = len(s.list), "keyed by "+strconv.Quote(k)+", not a cell index"
				}
			}
			st, end, err := s.scanStatus(b, j, intern, idx)
			if err != nil {
				return err
			}
			s.idx = append(s.idx, idx)
			s.list = append(s.list, st)
			var done bool
			if i, done, err = sep(b, end, '}'); err != nil {
				return err
			}
			if done {
				return nil
			}
		}
	}
	s.kind = statusString
	st, _, err := s.scanStatus(b, i, intern, 0)
	s.all = st
	return err
}
