package config

import (
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// KeyError is a key the config does not know, at its line in the file, with
// the nearest valid key at that place when one is close enough to be a typo.
type KeyError struct {
	// Line and Column are 1-based positions of the key in the file.
	Line, Column int
	// Key is the unknown key as written.
	Key string
	// Path is where the key is ("" at the top level, "sources.ssb", ...).
	Path string
	// Suggestion is the nearest valid key ("" when none is near).
	Suggestion string
	// Valid lists the keys valid at Path, sorted.
	Valid []string
}

// Error says it in the user's words (bokmål):
// `ukjent nøkkel «retension» på linje 2; mente du «retention»?`.
func (e *KeyError) Error() string {
	where := ""
	if e.Path != "" {
		where = " under " + e.Path
	}
	msg := fmt.Sprintf("ukjent nøkkel «%s» på linje %d%s", e.Key, e.Line, where)
	if e.Suggestion != "" {
		return msg + fmt.Sprintf("; mente du «%s»?", e.Suggestion)
	}
	return msg + " (gyldige nøkler her: " + strings.Join(e.Valid, ", ") + ")"
}

// ValueError is a value of the wrong type (a word where a number belongs, a
// duration that does not parse), at its line in the file.
type ValueError struct {
	// Line and Column are 1-based positions of the value in the file.
	Line, Column int
	// Path is the key the value belongs to ("retention", "datasets.x.expect").
	Path string
	// Value is the value as written.
	Value string
	// Want says what the key takes, in bokmål ("et heltall", "en varighet ...").
	Want string
}

// Error says it in bokmål: `retention på linje 3: «ti» er ikke et heltall`.
func (e *ValueError) Error() string {
	return fmt.Sprintf("%s på linje %d: «%s» er ikke %s", e.Path, e.Line, e.Value, e.Want)
}

var (
	durationType    = reflect.TypeFor[time.Duration]()
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
)

// nodeText is a short rendering of a node for a message: a scalar's value,
// else what kind of node it is.
func nodeText(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "{...}"
	case yaml.SequenceNode:
		return "[...]"
	}
	return n.Value
}

// dayYearRE finds the day and year terms of a duration such as "1y6d12h".
var dayYearRE = regexp.MustCompile(`([0-9]+(?:\.[0-9]*)?|\.[0-9]+)([dy])`)

// ParseDuration parses a duration as time.ParseDuration does ("90s", "30m",
// "1h30m") and also with days and years: a day "d" is 24 hours and a year
// "y" 365 days, so "31d" is 744h and "1y" 8760h. Units combine ("1y6d",
// "2d12h"); a leading sign applies to the whole duration.
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("config: empty duration")
	}
	var bad error
	t = dayYearRE.ReplaceAllStringFunc(t, func(m string) string {
		sub := dayYearRE.FindStringSubmatch(m)
		n, err := strconv.ParseFloat(sub[1], 64)
		if err != nil {
			bad = err
			return m
		}
		hours := n * 24
		if sub[2] == "y" {
			hours = n * 365 * 24
		}
		return strconv.FormatFloat(hours, 'f', -1, 64) + "h"
	})
	if bad != nil {
		return 0, fmt.Errorf("config: duration %q: %w", s, bad)
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		return 0, fmt.Errorf("config: duration %q: %w", s, err)
	}
	return d, nil
}

// checkNode walks a YAML node against the Go type it decodes into, before
// decoding: it reports every unknown key (*KeyError) and every value of
// the wrong type or shape (*ValueError: a word for a number, a word for a
// list, a mapping for a word) with its line, and rewrites durations written
// with days or years into hours so that yaml.v3 can decode them. A type
// that reads its own shapes (a yaml.Unmarshaler such as VarSelect) is left
// to itself, except that a mapping's keys are still checked.
//
// An aliased node is walked once per type, so that nested aliases cannot
// make the walk exponential.
//
// A struct with an inline map (Source, Dataset: the keys of a source kind,
// which its factory decodes) is open: keys it does not declare are left to
// the factory, and their positions are returned by path ("datasets.x" →
// key → position) so that the factory's refusal can name the line. A key
// near one the struct declares is taken for a typo of it and reported here.
func checkNode(n *yaml.Node, t reflect.Type, path string, errs *[]error) map[string]map[string]keyPos {
	c := &checker{errs: errs, seen: map[aliasKey]bool{}, open: map[string]map[string]keyPos{}}
	c.check(n, t, path)
	return c.open
}

// keyPos is where a key stands in the file.
type keyPos struct {
	line, column int
	reported     bool // already reported as a typo of a declared key
}

type aliasKey struct {
	n *yaml.Node
	t reflect.Type
}

type checker struct {
	errs *[]error
	seen map[aliasKey]bool
	open map[string]map[string]keyPos // path → keys left to a kind's factory
}

func (c *checker) check(n *yaml.Node, t reflect.Type, path string) {
	if n == nil {
		return
	}
	for n.Kind == yaml.AliasNode {
		if n.Alias == nil || c.seen[aliasKey{n.Alias, t}] {
			return
		}
		c.seen[aliasKey{n.Alias, t}] = true
		n = n.Alias
	}
	errs := c.errs
	if n.Kind == yaml.DocumentNode {
		for _, child := range n.Content {
			c.check(child, t, path)
		}
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if t == durationType {
		if n.Kind != yaml.ScalarNode {
			*errs = append(*errs, &ValueError{Line: n.Line, Column: n.Column, Path: path, Value: nodeText(n), Want: "en varighet"})
			return
		}
		d, err := ParseDuration(n.Value)
		if err != nil {
			*errs = append(*errs, &ValueError{Line: n.Line, Column: n.Column, Path: path, Value: n.Value,
				Want: "en varighet (for eksempel 90s, 30m, 6h, 31d eller 1y; en dag er 24 timer og et år 365 dager)"})
			return
		}
		n.Value, n.Tag, n.Style = d.String(), "!!str", 0
		return
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		// The type reads its own shapes (VarSelect: a list or a mapping);
		// a mapping is still checked key by key below.
		if t.Kind() != reflect.Struct || n.Kind != yaml.MappingNode {
			return
		}
	}
	shape := func(want string) {
		*errs = append(*errs, &ValueError{Line: n.Line, Column: n.Column, Path: path, Value: nodeText(n), Want: want})
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			shape("en del med nøkler (nøkkel: verdi på linjene under)")
			return
		}
		fields := yamlFields(t)
		open := hasInlineMap(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" { // a YAML merge key: the decoder merges it
				continue
			}
			ft, ok := fields[k.Value]
			if !ok && open {
				// Left to the kind's factory, unless it is a typo of a
				// key declared here: then it is reported now, and the
				// factory is told so (reported) to say nothing more.
				typo := nearest(k.Value, slices.Sorted(maps.Keys(fields))) != ""
				if c.open[path] == nil {
					c.open[path] = map[string]keyPos{}
				}
				c.open[path][k.Value] = keyPos{k.Line, k.Column, typo}
				if !typo {
					continue
				}
			}
			if !ok {
				valid := slices.Sorted(maps.Keys(fields))
				*errs = append(*errs, &KeyError{Line: k.Line, Column: k.Column, Key: k.Value, Path: path,
					Suggestion: nearest(k.Value, valid), Valid: valid})
				continue
			}
			c.check(v, ft, joinPath(path, k.Value))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			shape("en del med nøkler (nøkkel: verdi på linjene under)")
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			c.check(n.Content[i+1], t.Elem(), joinPath(path, n.Content[i].Value))
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			shape("en liste (for eksempel [a, b])")
			return
		}
		for i, child := range n.Content {
			c.check(child, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			shape("en enkelt verdi")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Bool:
		if n.Kind != yaml.ScalarNode {
			shape("en enkelt verdi")
			return
		}
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			want := "et heltall"
			switch t.Kind() {
			case reflect.Float32, reflect.Float64:
				want = "et tall"
			case reflect.Bool:
				want = "true eller false"
			case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				want = "et heltall på 0 eller mer"
			}
			*errs = append(*errs, &ValueError{Line: n.Line, Column: n.Column, Path: path, Value: n.Value, Want: want})
		}
	}
}

// hasInlineMap reports whether struct t has an inline map field (the keys
// of a source kind, left to its factory).
func hasInlineMap(t reflect.Type) bool {
	for i := range t.NumField() {
		f := t.Field(i)
		_, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if f.IsExported() && f.Type.Kind() == reflect.Map && strings.Contains(","+opts+",", ",inline,") {
			return true
		}
	}
	return false
}

// yamlFields maps the YAML keys of a struct to their field types, as
// yaml.v3 names them: the tag's name, else the lower-cased field name;
// "-" is skipped and ",inline" structs contribute their own keys.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(","+opts+",", ",inline,") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range yamlFields(ft) {
					out[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// nearest returns the valid key closest to key by edit distance (counting a
// swap of two neighbouring letters as one edit), or "" when none is within
// what a typo explains: at most 2 edits, or a third of the key's length for
// longer keys. A key differing only in case is always near.
func nearest(key string, valid []string) string {
	best, bestD := "", -1
	for _, v := range valid {
		d := editDistance(strings.ToLower(key), v)
		if bestD < 0 || d < bestD {
			best, bestD = v, d
		}
	}
	limit := max(2, utf8.RuneCountInString(key)/3)
	if bestD < 0 || bestD > limit || bestD >= utf8.RuneCountInString(key) {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of neighbours
// each count 1.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
