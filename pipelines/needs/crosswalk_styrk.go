package needs

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/grunnlag/grunnlag/sources/klass"
)

// styrk08JS is STYRK-08 (KLASS classification 7, "Yrkesklassifisering
// 2011"), version 319, as a KLASS /versions/319 answer wrapped in a
// JavaScript module: a real file copied byte for byte (see
// styrk08-version-319.md).
//
//go:embed styrk08-version-319.js
var styrk08JS []byte

// Occupations is STYRK-08 on its four levels: 10 major groups ("2"), 43
// sub-major groups ("25"), 122 minor groups ("251") and 407 unit groups
// ("2512"). A code's parent is its code without the last digit, which
// ParseOccupations checks.
type Occupations struct {
	names  map[string]string
	levels map[string]int
}

var (
	defaultOccOnce sync.Once
	defaultOcc     *Occupations
	defaultOccErr  error
)

// DefaultOccupations returns the STYRK-08 shipped with the crosswalk.
func DefaultOccupations() (*Occupations, error) {
	defaultOccOnce.Do(func() { defaultOcc, defaultOccErr = ParseOccupations(styrk08JS) })
	return defaultOcc, defaultOccErr
}

// ParseOccupations reads a KLASS /versions/{id} answer of STYRK-08, either
// plain JSON or wrapped as "module.exports = {...}" with trailing commas
// (the form of the shipped file). Every item must have a level 1-4 whose
// code has as many digits, and a parent (from level 2) that is the code
// without its last digit and is itself an item.
func ParseOccupations(b []byte) (*Occupations, error) {
	v, err := klass.ParseVersion(bytes.NewReader(jsObjectToJSON(b)))
	if err != nil {
		return nil, fmt.Errorf("needs: styrk08: %w", err)
	}
	o := &Occupations{names: map[string]string{}, levels: map[string]int{}}
	for _, it := range v.Items {
		lv := len(it.Code)
		if it.Level != fmt.Sprint(lv) || lv > 4 || !allDigits(it.Code) {
			return nil, fmt.Errorf("needs: styrk08: code %q at level %q: a level-n code has n digits, n 1-4", it.Code, it.Level)
		}
		o.names[it.Code], o.levels[it.Code] = it.Name, lv
	}
	for _, it := range v.Items {
		want := it.Code[:len(it.Code)-1]
		if it.ParentCode != want || (want != "" && o.levels[want] == 0) {
			return nil, fmt.Errorf("needs: styrk08: code %s has parent %q, want %q (an item)", it.Code, it.ParentCode, want)
		}
	}
	return o, nil
}

// Known reports whether code is a STYRK-08 code of any level.
func (o *Occupations) Known(code string) bool { return o.levels[code] > 0 }

// Name returns the name of code ("" if unknown).
func (o *Occupations) Name(code string) string { return o.names[code] }

// Count returns the number of codes on each level 1-4.
func (o *Occupations) Count() [5]int {
	var n [5]int
	for _, lv := range o.levels {
		n[lv]++
	}
	return n
}

// OccupationAreas returns the areas of a STYRK-08 code of any level: the
// areas that list the code itself or, failing that, its nearest ancestor
// (2512 → 251 → 25 → 2). The most specific level listed wins, so an area
// that lists 751 (butchers, bakers) takes 7512 from one that lists 75
// (other craft work). Areas are in crosswalk order; none for an
// occupation no area covers.
func (c *Crosswalk) OccupationAreas(code string) []string {
	for n := len(code); n > 0; n-- {
		if ids := c.byStyrk[code[:n]]; len(ids) > 0 {
			return append([]string(nil), ids...)
		}
	}
	return nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// jsObjectToJSON turns "module.exports = {...}" into the JSON object: it
// keeps what lies between the first "{" and the last "}" and drops every
// comma (outside strings) that is followed, after white space, by "}" or
// "]". Input that is already JSON passes through unchanged.
func jsObjectToJSON(b []byte) []byte {
	i, j := bytes.IndexByte(b, '{'), bytes.LastIndexByte(b, '}')
	if i < 0 || j < i {
		return b
	}
	b = b[i : j+1]
	out := make([]byte, 0, len(b))
	inStr, esc := false, false
	for k := 0; k < len(b); k++ {
		ch := b[k]
		if inStr {
			out = append(out, ch)
			switch {
			case esc:
				esc = false
			case ch == '\\':
				esc = true
			case ch == '"':
				inStr = false
			}
			continue
		}
		if ch == '"' {
			inStr = true
		}
		if ch == ',' {
			n := k + 1
			for n < len(b) && (b[n] == ' ' || b[n] == '\t' || b[n] == '\n' || b[n] == '\r') {
				n++
			}
			if n < len(b) && (b[n] == '}' || b[n] == ']') {
				continue
			}
		}
		out = append(out, ch)
	}
	return out
}

// styrkIndex maps every STYRK-08 code the areas list to those areas, after
// checking each code against STYRK-08; row numbers are the file's.
func styrkIndex(areas []Area, rows []int, occ *Occupations) (map[string][]string, []error) {
	idx := map[string][]string{}
	var errs []error
	for i, a := range areas {
		for _, code := range a.STYRK {
			if !occ.Known(code) {
				errs = append(errs, fmt.Errorf("needs: crosswalk: row %d: styrk08: %q is not a STYRK-08 code (KLASS 7, version 319)", rows[i], code))
				continue
			}
			if ids := idx[code]; len(ids) == 0 || ids[len(ids)-1] != a.ID {
				idx[code] = append(ids, a.ID)
			}
		}
	}
	return idx, errs
}
