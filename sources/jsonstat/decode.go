package jsonstat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// DefaultMaxCells is the number of cells, summed over all datasets of one
// document, that Decode will hold in memory: 10 000 000, which is 12.5
// times PxWebApi's 800 000-cell extract limit and about 400 MB once
// decoded. A dataset is held densely (one entry per cell of the declared
// cube), so a small file whose sparse value object or single status string
// declares a large cube would otherwise cost memory out of all proportion
// to its size. A larger document is refused before anything is allocated,
// with an *Error naming the dimensions and their sizes; DecodeWith raises
// the limit for callers that mean it.
const DefaultMaxCells = 10_000_000

// maxCells bounds the number of cells DecodeWith accepts as a limit and
// that Merge produces, so that cell counts never overflow an int.
const maxCells = 1 << 40

// Options tune Decode.
type Options struct {
	// MaxCells is the most cells (summed over the document's datasets)
	// the decoder will hold; 0 means DefaultMaxCells.
	MaxCells int
}

// Decode reads one JSON-stat document from r: a 2.0 dataset, a 2.0
// collection (its embedded datasets, in link.item order; link-only items
// are skipped) or a 1.x bundle (its datasets, in file order). See the
// package documentation for the accepted forms. It holds at most
// DefaultMaxCells cells.
//
// A UTF-8 byte-order mark before the document is skipped. An object that
// gives a key twice is a *DuplicateKeyError naming the key and its byte
// offset (encoding/json would silently keep the last).
//
// Structural and semantic errors are *Error; malformed JSON is a
// *SyntaxError; a read error, or io.ErrUnexpectedEOF for input that ends
// early, is returned wrapped with the byte offset in the file.
func Decode(r io.Reader) ([]*Dataset, error) {
	return DecodeWith(r, Options{})
}

// DecodeWith is Decode with options.
func DecodeWith(r io.Reader, opt Options) ([]*Dataset, error) {
	limit := opt.MaxCells
	if limit <= 0 {
		limit = DefaultMaxCells
	}
	if limit > maxCells {
		limit = maxCells
	}
	p := &parser{lex: newLexer(r), limit: limit}
	if p.bom() {
		// A UTF-8 byte-order mark (some Windows tools write one) is not
		// JSON; skip it, keeping byte offsets those of the file.
		p.lex.i += len(utf8BOM)
	}
	top, err := p.document()
	if err != nil {
		return nil, err
	}
	return top.datasets(&cellBudget{left: limit, limit: limit})
}

// cellBudget counts the cells a document's datasets may still allocate.
type cellBudget struct{ left, limit int }

// DecodeDataset is Decode for documents that must hold exactly one dataset;
// it is an error if there are none or several.
func DecodeDataset(r io.Reader) (*Dataset, error) {
	ds, err := Decode(r)
	if err != nil {
		return nil, err
	}
	if len(ds) != 1 {
		return nil, &Error{Index: -1, Msg: fmt.Sprintf("document holds %d datasets, want exactly 1", len(ds))}
	}
	return ds[0], nil
}

type parser struct {
	lex   *lexer
	limit int // the document's cell limit
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// bom reports whether the input starts with a UTF-8 byte-order mark.
func (p *parser) bom() bool {
	for k, b := range utf8BOM {
		if c, ok := p.lex.at(k); !ok || c != b {
			return false
		}
	}
	return true
}

// off is the byte offset in the file just past the last token read.
func (p *parser) off() int64 { return p.lex.off() }

// keySet holds the keys of one object read so far.
type keySet map[string]struct{}

// DuplicateKeyError is an object that gives the same key twice, which
// encoding/json would accept, keeping the last. Offset is the byte just
// past the second occurrence.
type DuplicateKeyError struct {
	Key    string
	Offset int64
}

// Error names the key and where it is given the second time.
func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("jsonstat: byte %d: key %q given twice in one object", e.Offset, e.Key)
}

// add records key k, or fails when the object already had it.
func (p *parser) add(seen keySet, k string) error {
	if _, dup := seen[k]; dup {
		return &DuplicateKeyError{Key: k, Offset: p.off()}
	}
	seen[k] = struct{}{}
	return nil
}

// decodeStrict is decode for small members decoded whole (role, unit,
// child, extension): it refuses duplicate keys at any depth first.
func (p *parser) decodeStrict(v any) error {
	raw, err := p.lex.raw()
	if err != nil {
		return p.syntax(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := p.noDuplicates(dec, p.off()-int64(len(raw))); err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return p.syntax(err)
	}
	return nil
}

// noDuplicates walks one value of dec (valid JSON) and fails at the first
// object that gives a key twice; base is the value's offset in the file.
func (p *parser) noDuplicates(dec *json.Decoder, base int64) error {
	t, err := dec.Token()
	if err != nil {
		return p.syntax(err)
	}
	d, ok := t.(json.Delim)
	if !ok {
		return nil
	}
	seen := keySet{}
	for dec.More() {
		if d == '{' {
			t, err := dec.Token()
			if err != nil {
				return p.syntax(err)
			}
			k, _ := t.(string)
			if _, dup := seen[k]; dup {
				return &DuplicateKeyError{Key: k, Offset: base + dec.InputOffset()}
			}
			seen[k] = struct{}{}
		}
		if err := p.noDuplicates(dec, base); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing delimiter
		return p.syntax(err)
	}
	return nil
}

// node is one JSON object that may be a dataset, a collection or a 1.x
// bundle; which one is only known once all its keys have been read.
type node struct {
	class, version               string
	label, source, updated, href string
	note                         []string
	extension                    json.RawMessage
	role                         *roleJSON
	ids                          []string
	sizes                        []int
	hasIDs, hasSizes             bool
	dims                         map[string]*rawDim
	dimIDs                       []string // 1.x dimension.id
	dimSizes                     []int    // 1.x dimension.size
	has1xIDs, has1xSizes         bool
	dimRole                      *roleJSON // 1.x dimension.role
	values                       *valueList
	status                       *statusList
	items                        []*node // link.item
	bundle                       []*node // 1.x bundle entries
	bundleNames                  []string
}

type roleJSON struct {
	Time   []string `json:"time"`
	Geo    []string `json:"geo"`
	Metric []string `json:"metric"`
}

type rawDim struct {
	label     string
	note      []string
	extension json.RawMessage
	hasCat    bool
	index     []string // codes in index order (array form)
	indexPos  []int    // for object form: position of index[i]
	indexObj  bool
	hasIndex  bool
	labelKeys []string // category.label in file order
	labelVals []string
	unit      map[string]unitJSON
	child     map[string][]string
	arrays    map[string][]string // other keys holding string arrays (1.x role detection)
}

type unitJSON struct {
	Label      string  `json:"label"`
	Symbol     string  `json:"symbol"`
	Position   string  `json:"position"`
	Decimals   *int    `json:"decimals"`
	Base       string  `json:"base"`
	Multiplier float64 `json:"multiplier"`
}

func (p *parser) syntax(err error) error {
	var se *SyntaxError
	if errors.As(err, &se) {
		return err
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("jsonstat: byte %d: %w", p.off(), err)
}

func (p *parser) token() (json.Token, error) {
	t, err := p.lex.Token()
	if err != nil {
		return nil, p.syntax(err)
	}
	return t, nil
}

// decode reads the next value whole into v with json.Unmarshal.
func (p *parser) decode(v any) error {
	raw, err := p.lex.raw()
	if err != nil {
		return p.syntax(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return p.syntax(err)
	}
	return nil
}

func (p *parser) expectDelim(want json.Delim, what string) error {
	t, err := p.token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("jsonstat: byte %d: %s: got %v, want %q", p.off(), what, t, string(want))
	}
	return nil
}

func (p *parser) document() (*node, error) {
	if err := p.expectDelim('{', "document"); err != nil {
		return nil, err
	}
	n, err := p.object(true)
	if err != nil {
		return nil, err
	}
	if _, err := p.lex.Token(); err != io.EOF {
		return nil, fmt.Errorf("jsonstat: byte %d: data after the top-level object", p.off())
	}
	return n, nil
}

// key reads an object key, or returns ok=false at the closing brace. A key
// already in seen is a *DuplicateKeyError.
func (p *parser) key(seen keySet) (string, bool, error) {
	t, err := p.token()
	if err != nil {
		return "", false, err
	}
	switch v := t.(type) {
	case string:
		if err := p.add(seen, v); err != nil {
			return "", false, err
		}
		return v, true, nil
	case json.Delim:
		if v == '}' {
			return "", false, nil
		}
	}
	return "", false, fmt.Errorf("jsonstat: byte %d: unexpected %v, want an object key", p.off(), t)
}

// skipRest skips the remainder of an array or object whose opening
// delimiter has been read.
func (p *parser) skipRest() error {
	depth := 1
	for depth > 0 {
		t, err := p.token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			default:
				depth--
			}
		}
	}
	return nil
}

// skipValue skips a value whose first token is t.
func (p *parser) skipValue(t json.Token) error {
	if d, ok := t.(json.Delim); ok && (d == '{' || d == '[') {
		return p.skipRest()
	}
	return nil
}

// str reads a string value (null reads as "").
func (p *parser) str(key string) (string, error) {
	t, err := p.token()
	if err != nil {
		return "", err
	}
	switch v := t.(type) {
	case string:
		return v, nil
	case nil:
		return "", nil
	}
	if err := p.skipValue(t); err != nil {
		return "", err
	}
	return "", fmt.Errorf("jsonstat: byte %d: %q is %v, want a string", p.off(), key, t)
}

// notes reads a note: an array of strings or a single string.
// extension reads an extension object verbatim; null is none.
func (p *parser) extension() (json.RawMessage, error) {
	var raw json.RawMessage
	if err := p.decodeStrict(&raw); err != nil {
		return nil, err
	}
	if string(raw) == "null" {
		return nil, nil
	}
	return raw, nil
}

func (p *parser) notes() ([]string, error) {
	raw, err := p.lex.raw()
	if err != nil {
		return nil, p.syntax(err)
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		return list, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return []string{s}, nil
	}
	return nil, fmt.Errorf("jsonstat: byte %d: note is not a string or an array of strings", p.off())
}

// object reads the members of an object whose '{' has been read. At the
// top level, members with object values that are not JSON-stat properties
// are 1.x bundle entries.
func (p *parser) object(top bool) (*node, error) {
	n := &node{}
	seen := keySet{}
	for {
		k, ok, err := p.key(seen)
		if err != nil {
			return nil, err
		}
		if !ok {
			return n, nil
		}
		switch k {
		case "version", "class", "label", "source", "updated", "href":
			t, err := p.token()
			if err != nil {
				return nil, err
			}
			if d, ok := t.(json.Delim); ok && d == '{' && top {
				if err := p.bundleEntry(n, k); err != nil {
					return nil, err
				}
				continue
			}
			var s string
			switch v := t.(type) {
			case string:
				s = v
			case nil:
			default:
				if err := p.skipValue(t); err != nil {
					return nil, err
				}
				return nil, fmt.Errorf("jsonstat: byte %d: %q is %v, want a string", p.off(), k, t)
			}
			switch k {
			case "version":
				n.version = s
			case "class":
				n.class = s
			case "label":
				n.label = s
			case "source":
				n.source = s
			case "updated":
				n.updated = s
			case "href":
				n.href = s
			}
		case "note":
			if n.note, err = p.notes(); err != nil {
				return nil, err
			}
		case "extension":
			if n.extension, err = p.extension(); err != nil {
				return nil, err
			}
		case "role":
			n.role = &roleJSON{}
			if err := p.decodeStrict(n.role); err != nil {
				return nil, err
			}
		case "id":
			n.hasIDs = true
			if err := p.decode(&n.ids); err != nil {
				return nil, err
			}
		case "size":
			n.hasSizes = true
			if err := p.decode(&n.sizes); err != nil {
				return nil, err
			}
		case "value":
			if n.values, err = p.values(n.cellHint(p.limit)); err != nil {
				return nil, p.syntax(err)
			}
		case "status":
			if n.status, err = p.statuses(); err != nil {
				return nil, p.syntax(err)
			}
		case "dimension":
			if err := p.expectDelim('{', "dimension"); err != nil {
				return nil, err
			}
			if err := p.dimensions(n); err != nil {
				return nil, err
			}
		case "link":
			if err := p.link(n); err != nil {
				return nil, err
			}
		default:
			t, err := p.token()
			if err != nil {
				return nil, err
			}
			if d, ok := t.(json.Delim); ok && d == '{' && top {
				if err := p.bundleEntry(n, k); err != nil {
					return nil, err
				}
				continue
			}
			if err := p.skipValue(t); err != nil {
				return nil, err
			}
		}
	}
}

func (p *parser) bundleEntry(n *node, name string) error {
	e, err := p.object(false)
	if err != nil {
		return err
	}
	n.bundle = append(n.bundle, e)
	n.bundleNames = append(n.bundleNames, name)
	return nil
}

// link reads a link object; only the "item" relation is kept.
func (p *parser) link(n *node) error {
	t, err := p.token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return p.skipValue(t)
	}
	seen := keySet{}
	for {
		rel, ok, err := p.key(seen)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		t, err := p.token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); !ok || d != '[' || rel != "item" {
			if err := p.skipValue(t); err != nil {
				return err
			}
			continue
		}
		for {
			t, err := p.token()
			if err != nil {
				return err
			}
			if d, ok := t.(json.Delim); ok && d == ']' {
				break
			}
			if d, ok := t.(json.Delim); ok && d == '{' {
				item, err := p.object(false)
				if err != nil {
					return err
				}
				n.items = append(n.items, item)
				continue
			}
			if err := p.skipValue(t); err != nil {
				return err
			}
			n.items = append(n.items, &node{}) // keep positions stable
		}
	}
}

// dimensions reads the members of the dimension object.
func (p *parser) dimensions(n *node) error {
	if n.dims == nil {
		n.dims = map[string]*rawDim{}
	}
	seen := keySet{}
	for {
		k, ok, err := p.key(seen)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		t, err := p.token()
		if err != nil {
			return err
		}
		d, _ := t.(json.Delim)
		switch {
		case (k == "id" || k == "size") && d == '[':
			var list []string
			var sizes []int
			for {
				t, err := p.token()
				if err != nil {
					return err
				}
				if d, ok := t.(json.Delim); ok && d == ']' {
					break
				}
				switch v := t.(type) {
				case string:
					list = append(list, v)
				case json.Number:
					i, err := strconv.Atoi(string(v))
					if err != nil {
						return fmt.Errorf("jsonstat: byte %d: dimension.size: %v is not an integer", p.off(), v)
					}
					sizes = append(sizes, i)
				default:
					return fmt.Errorf("jsonstat: byte %d: dimension.%s: unexpected %v", p.off(), k, t)
				}
			}
			if k == "id" {
				n.dimIDs, n.has1xIDs = list, true
				if len(sizes) > 0 {
					return fmt.Errorf("jsonstat: byte %d: dimension.id holds numbers", p.off())
				}
			} else {
				n.dimSizes, n.has1xSizes = sizes, true
				if len(list) > 0 {
					return fmt.Errorf("jsonstat: byte %d: dimension.size holds strings", p.off())
				}
			}
		case d == '{':
			rd, err := p.dimension()
			if err != nil {
				return err
			}
			if k == "role" && !rd.hasCat && rd.arrays != nil {
				n.dimRole = &roleJSON{Time: rd.arrays["time"], Geo: rd.arrays["geo"], Metric: rd.arrays["metric"]}
				continue
			}
			if _, dup := n.dims[k]; dup {
				return &Error{Dimension: k, Index: -1, Msg: "dimension object given twice"}
			}
			n.dims[k] = rd
		default:
			if err := p.skipValue(t); err != nil {
				return err
			}
		}
	}
}

// dimension reads a dimension object whose '{' has been read.
func (p *parser) dimension() (*rawDim, error) {
	rd := &rawDim{}
	seen := keySet{}
	for {
		k, ok, err := p.key(seen)
		if err != nil {
			return nil, err
		}
		if !ok {
			return rd, nil
		}
		switch k {
		case "label":
			if rd.label, err = p.str(k); err != nil {
				return nil, err
			}
		case "note":
			if rd.note, err = p.notes(); err != nil {
				return nil, err
			}
		case "extension":
			if rd.extension, err = p.extension(); err != nil {
				return nil, err
			}
		case "category":
			rd.hasCat = true
			if err := p.expectDelim('{', "category"); err != nil {
				return nil, err
			}
			if err := p.category(rd); err != nil {
				return nil, err
			}
		default:
			t, err := p.token()
			if err != nil {
				return nil, err
			}
			if d, ok := t.(json.Delim); ok && d == '[' {
				// Possibly a 1.x role array ("time": [...]).
				var list []string
				for {
					t, err := p.token()
					if err != nil {
						return nil, err
					}
					if d, ok := t.(json.Delim); ok && d == ']' {
						break
					}
					if s, ok := t.(string); ok {
						list = append(list, s)
						continue
					}
					if err := p.skipValue(t); err != nil {
						return nil, err
					}
				}
				if rd.arrays == nil {
					rd.arrays = map[string][]string{}
				}
				rd.arrays[k] = list
				continue
			}
			if err := p.skipValue(t); err != nil {
				return nil, err
			}
		}
	}
}

// category reads a category object whose '{' has been read, keeping the
// order of index and label keys as they appear in the file.
func (p *parser) category(rd *rawDim) error {
	seen := keySet{}
	for {
		k, ok, err := p.key(seen)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		switch k {
		case "index":
			t, err := p.token()
			if err != nil {
				return err
			}
			d, _ := t.(json.Delim)
			switch d {
			case '[':
				rd.hasIndex = true
				for {
					t, err := p.token()
					if err != nil {
						return err
					}
					if d, ok := t.(json.Delim); ok && d == ']' {
						break
					}
					s, ok := t.(string)
					if !ok {
						if err := p.skipValue(t); err != nil {
							return err
						}
						return fmt.Errorf("jsonstat: byte %d: category.index holds %v, want strings", p.off(), t)
					}
					rd.index = append(rd.index, s)
				}
			case '{':
				rd.hasIndex, rd.indexObj = true, true
				codes := keySet{}
				for {
					code, ok, err := p.key(codes)
					if err != nil {
						return err
					}
					if !ok {
						break
					}
					t, err := p.token()
					if err != nil {
						return err
					}
					num, isNum := t.(json.Number)
					pos, perr := strconv.Atoi(string(num))
					if !isNum || perr != nil {
						if err := p.skipValue(t); err != nil {
							return err
						}
						return fmt.Errorf("jsonstat: byte %d: category.index[%q] is %v, want an integer", p.off(), code, t)
					}
					rd.index = append(rd.index, code)
					rd.indexPos = append(rd.indexPos, pos)
				}
			default:
				if err := p.skipValue(t); err != nil {
					return err
				}
				if t != nil {
					return fmt.Errorf("jsonstat: byte %d: category.index is %v, want an array or an object", p.off(), t)
				}
			}
		case "label":
			t, err := p.token()
			if err != nil {
				return err
			}
			if d, ok := t.(json.Delim); !ok || d != '{' {
				if err := p.skipValue(t); err != nil {
					return err
				}
				if t != nil {
					return fmt.Errorf("jsonstat: byte %d: category.label is %v, want an object", p.off(), t)
				}
				continue
			}
			codes := keySet{}
			for {
				code, ok, err := p.key(codes)
				if err != nil {
					return err
				}
				if !ok {
					break
				}
				l, err := p.str("category.label")
				if err != nil {
					return err
				}
				rd.labelKeys = append(rd.labelKeys, code)
				rd.labelVals = append(rd.labelVals, l)
			}
		case "unit":
			if err := p.decodeStrict(&rd.unit); err != nil {
				return err
			}
		case "child":
			if err := p.decodeStrict(&rd.child); err != nil {
				return err
			}
		default:
			t, err := p.token()
			if err != nil {
				return err
			}
			if err := p.skipValue(t); err != nil {
				return err
			}
		}
	}
}

// cellHint is the cell count declared by the sizes read so far (size, or
// the 1.x dimension.size), when that is positive and within limit; else 0.
func (n *node) cellHint(limit int) int {
	sizes := n.sizes
	if !n.hasSizes {
		sizes = n.dimSizes
	}
	if len(sizes) == 0 {
		return 0
	}
	cells := 1
	for _, s := range sizes {
		if s <= 0 || cells > limit/s {
			return 0
		}
		cells *= s
	}
	return cells
}

// isDataset reports whether the node carries dataset content.
func (n *node) isDataset() bool {
	return n.dims != nil || n.hasIDs || n.has1xIDs || n.values != nil
}

// datasets returns the datasets of a top-level node.
func (n *node) datasets(b *cellBudget) ([]*Dataset, error) {
	switch n.class {
	case "collection":
		var out []*Dataset
		if err := n.collect(&out, "", 0, b); err != nil {
			return nil, err
		}
		return out, nil
	case "dataset":
		d, err := n.dataset("", b)
		if err != nil {
			return nil, err
		}
		return []*Dataset{d}, nil
	case "", "bundle":
		if n.isDataset() {
			d, err := n.dataset("", b)
			if err != nil {
				return nil, err
			}
			return []*Dataset{d}, nil
		}
		if len(n.bundle) == 0 {
			return nil, &Error{Index: -1, Msg: "document holds no dataset, collection or 1.x bundle"}
		}
		out := make([]*Dataset, 0, len(n.bundle))
		for i, e := range n.bundle {
			d, err := e.dataset(n.bundleNames[i], b)
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		return out, nil
	}
	return nil, &Error{Index: -1, Msg: fmt.Sprintf("class %q is not supported (want dataset, collection or a 1.x bundle)", n.class)}
}

// collect appends the embedded datasets of a collection, recursing into
// embedded collections. Names are item positions, joined by "/" when
// nested.
func (n *node) collect(out *[]*Dataset, prefix string, depth int, b *cellBudget) error {
	if depth > 32 {
		return &Error{Index: -1, Msg: "collections nested too deeply"}
	}
	for i, it := range n.items {
		name := prefix + strconv.Itoa(i)
		switch {
		case it.class == "collection":
			if err := it.collect(out, name+"/", depth+1, b); err != nil {
				return err
			}
		case it.isDataset():
			d, err := it.dataset(name, b)
			if err != nil {
				return err
			}
			*out = append(*out, d)
		}
	}
	return nil
}

// dataset builds and validates a Dataset from a node.
func (n *node) dataset(name string, b *cellBudget) (*Dataset, error) {
	d := &Dataset{
		Name:      name,
		Label:     n.label,
		Source:    n.source,
		Updated:   n.updated,
		Href:      n.href,
		Note:      n.note,
		Extension: n.extension,
	}
	dsName := displayName(name, n.label, n.href)
	fail := func(dim string, index int, format string, args ...any) error {
		return &Error{Dataset: dsName, Dimension: dim, Index: index, Msg: fmt.Sprintf(format, args...)}
	}

	ids, sizes := n.ids, n.sizes
	hasIDs, hasSizes := n.hasIDs, n.hasSizes
	if !hasIDs && n.has1xIDs {
		ids, hasIDs = n.dimIDs, true
	}
	if !hasSizes && n.has1xSizes {
		sizes, hasSizes = n.dimSizes, true
	}
	if !hasIDs {
		return nil, fail("", -1, "no dimension ids (want \"id\" or 1.x \"dimension.id\")")
	}
	if !hasSizes {
		return nil, fail("", -1, "no dimension sizes (want \"size\" or 1.x \"dimension.size\")")
	}
	if len(ids) != len(sizes) {
		return nil, fail("", -1, "id has %d entries but size has %d", len(ids), len(sizes))
	}
	role := n.role
	if role == nil {
		role = n.dimRole
	}
	if role != nil {
		d.Role = Roles{Time: role.Time, Geo: role.Geo, Metric: role.Metric}
	}

	seen := make(map[string]bool, len(ids))
	cells := 1
	for k, id := range ids {
		if seen[id] {
			return nil, fail(id, -1, "dimension id listed twice")
		}
		seen[id] = true
		rd := n.dims[id]
		if rd == nil {
			return nil, fail(id, -1, "listed in id but has no dimension object")
		}
		dim, err := rd.build(id, sizes[k], fail)
		if err != nil {
			return nil, err
		}
		d.Dims = append(d.Dims, dim)
		if sizes[k] < 0 {
			return nil, fail(id, -1, "negative size %d", sizes[k])
		}
		if sizes[k] > 0 && cells > maxCells/sizes[k] {
			cells = maxCells + 1 // saturate: over every limit, and no overflow
		} else {
			cells *= sizes[k]
		}
	}
	if n.holdsValues() && cells > b.left {
		return nil, b.refuse(d, cells, fail)
	}
	if n.holdsValues() {
		b.left -= cells
	}
	for _, r := range [][]string{d.Role.Time, d.Role.Geo, d.Role.Metric} {
		for _, id := range r {
			if !seen[id] {
				return nil, fail(id, -1, "role names a dimension that is not in id")
			}
		}
	}

	if err := n.fillValues(d, cells, fail); err != nil {
		return nil, err
	}
	return d, nil
}

type failFunc func(dim string, index int, format string, args ...any) error

// holdsValues reports whether fillValues will allocate the dataset's cells.
func (n *node) holdsValues() bool {
	v := n.values
	return v != nil && (v.sparse || (v.dense && v.n > 0))
}

// refuse is the error for a dataset of cells cells when the budget has
// less left: it names every dimension with its size.
func (b *cellBudget) refuse(d *Dataset, cells int, fail failFunc) error {
	var dims strings.Builder
	for i, dim := range d.Dims {
		if i > 0 {
			dims.WriteString(" × ")
		}
		fmt.Fprintf(&dims, "%s (%d)", dim.ID, len(dim.Codes))
	}
	size := strconv.Itoa(cells)
	if cells > maxCells {
		size = fmt.Sprintf("more than %d", maxCells)
	}
	var err error
	if used := b.limit - b.left; used > 0 {
		err = fail("", -1, "%s = %s cells, with %d cells in earlier datasets, is over the limit of %d cells a document may hold (refused before allocating)", dims.String(), size, used, b.limit)
	} else {
		err = fail("", -1, "%s = %s cells is over the limit of %d cells a document may hold (refused before allocating)", dims.String(), size, b.limit)
	}
	err.(*Error).Err = ErrTooManyCells
	return err
}

// build turns the raw category data of one dimension into a Dimension.
func (rd *rawDim) build(id string, size int, fail failFunc) (*Dimension, error) {
	dim := &Dimension{ID: id, Label: rd.label, Note: rd.note, Extension: rd.extension, Child: rd.child}
	switch {
	case rd.indexObj:
		dim.Codes = make([]string, len(rd.index))
		filled := make([]bool, len(rd.index))
		for i, code := range rd.index {
			pos := rd.indexPos[i]
			if pos < 0 || pos >= len(rd.index) {
				return nil, fail(id, pos, "category %q has index %d, outside 0..%d", code, pos, len(rd.index)-1)
			}
			if filled[pos] {
				return nil, fail(id, pos, "categories %q and %q share index position %d", dim.Codes[pos], code, pos)
			}
			filled[pos] = true
			dim.Codes[pos] = code
		}
	case rd.hasIndex:
		dim.Codes = rd.index
	default:
		dim.Codes = rd.labelKeys
	}
	if len(dim.Codes) != size {
		return nil, fail(id, -1, "size says %d categories but the category object has %d", size, len(dim.Codes))
	}
	pos := make(map[string]int, len(dim.Codes))
	for i, c := range dim.Codes {
		if j, dup := pos[c]; dup {
			return nil, fail(id, i, "category %q appears at index %d and %d", c, j, i)
		}
		pos[c] = i
	}
	dim.Labels = make([]string, len(dim.Codes))
	copy(dim.Labels, dim.Codes)
	for i, code := range rd.labelKeys {
		j, ok := pos[code]
		if !ok {
			return nil, fail(id, -1, "category.label names unknown category %q", code)
		}
		dim.Labels[j] = rd.labelVals[i]
	}
	if rd.unit != nil {
		dim.Unit = make(map[string]Unit, len(rd.unit))
		for code, u := range rd.unit {
			dim.Unit[code] = Unit{Label: u.Label, Symbol: u.Symbol, Position: u.Position,
				Decimals: u.Decimals, Base: u.Base, Multiplier: int(u.Multiplier)}
		}
	}
	return dim, nil
}

// fillValues places the decoded value and status lists into d.
func (n *node) fillValues(d *Dataset, cells int, fail failFunc) error {
	v := n.values
	if v == nil || (v.dense && v.n == 0 && cells > 0) || (!v.dense && !v.sparse) {
		// Metadata only: value absent, null or [].
		return nil
	}
	if v.badIndex >= 0 {
		return fail("", v.badIndex, "value is %s, want a number or null", v.badKind)
	}
	if v.dense {
		if v.n != cells {
			return fail("", -1, "value has %d entries but the sizes give %d cells", v.n, cells)
		}
		d.Values, d.Present = v.vals, v.present
		if d.Values == nil {
			d.Values, d.Present = []float64{}, []bool{}
		}
	} else {
		d.Values = make([]float64, cells)
		d.Present = make([]bool, cells)
		for i, idx := range v.idx {
			if idx < 0 || idx >= cells {
				return fail("", idx, "value key is outside the %d cells", cells)
			}
			if v.seen(idx, cells) {
				return fail("", idx, "value key given twice")
			}
			d.Values[idx] = v.vals[i]
			d.Present[idx] = v.present[i]
		}
	}

	s := n.status
	if s == nil || s.kind == statusNone {
		return nil
	}
	if s.badIndex >= 0 {
		return fail("", s.badIndex, "status is %s, want a string or null", s.badKind)
	}
	d.Status = make([]string, cells)
	switch s.kind {
	case statusString:
		for i := range d.Status {
			d.Status[i] = s.all
		}
	case statusArray:
		switch s.n {
		case cells:
			copy(d.Status, s.list)
		case 1:
			// A one-element array applies to every cell (JSON-stat 1.x
			// convention, used by the canada.json sample).
			for i := range d.Status {
				d.Status[i] = s.list[0]
			}
		case 0:
			d.Status = nil
			return nil
		default:
			return fail("", -1, "status has %d entries but the sizes give %d cells", s.n, cells)
		}
	case statusObject:
		given := make([]uint64, (cells+63)/64)
		for i, idx := range s.idx {
			if idx < 0 || idx >= cells {
				return fail("", idx, "status key is outside the %d cells", cells)
			}
			w, b := idx/64, uint64(1)<<(idx%64)
			if given[w]&b != 0 {
				return fail("", idx, "status key given twice")
			}
			given[w] |= b
			d.Status[idx] = s.list[i]
		}
	}
	for i, st := range d.Status {
		if MissingStatus(st) && d.Present[i] {
			d.Present[i] = false
			d.Values[i] = 0
		}
	}
	return nil
}

// seen is used to detect duplicate sparse keys; it lazily builds a bitmap.
func (v *valueList) seen(idx, cells int) bool {
	if v.seenBits == nil {
		v.seenBits = make([]uint64, (cells+63)/64)
	}
	w, b := idx/64, uint64(1)<<(idx%64)
	if v.seenBits[w]&b != 0 {
		return true
	}
	v.seenBits[w] |= b
	return false
}
