package legacy

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Dataset is one decoded JSON-stat dataset.
type Dataset struct {
	// Name is the key of the dataset in a 1.x bundle, the position of the
	// item in link.item ("0", "1", ...) for a dataset embedded in a
	// collection, and "" for a stand-alone 2.0 dataset.
	Name      string
	Label     string
	Source    string
	Updated   string // verbatim from the file ("2024-06-11T06:00:00Z" or a date)
	Href      string
	Note      []string
	Extension json.RawMessage // verbatim; nil when absent
	Role      Roles
	Dims      []*Dimension // in `id` order
	// Values holds the cells in row-major order, len = Size(), or is nil
	// when the dataset carries no values (metadata only, see HasValues).
	// Missing cells hold 0, never NaN: consult Present.
	Values []float64
	// Present[i] is false when cell i is missing: null in the file, absent
	// from a sparse value object, or carrying a missing status (see
	// MissingStatus). Same length as Values.
	Present []bool
	// Status is nil when the dataset has no status; otherwise it has
	// len(Values) entries, "" meaning no status for that cell.
	Status []string
}

// Roles lists the dimension IDs that play the time, geo and metric roles.
type Roles struct {
	Time   []string
	Geo    []string
	Metric []string
}

// Dimension is one dimension of a dataset with its categories.
type Dimension struct {
	ID    string
	Label string
	// Codes are the category codes in index order.
	Codes []string
	// Labels are the category labels in the same order as Codes; the
	// code when the file has no label for it.
	Labels []string
	// Unit is the category.unit object, keyed by category code; nil when
	// absent.
	Unit map[string]Unit
	Note []string
	// Child is the category.child hierarchy: parent code -> child codes;
	// nil when absent.
	Child     map[string][]string
	Extension json.RawMessage // verbatim; nil when absent
}

// Unit is the unit of measure of a category (usually of a metric dimension).
type Unit struct {
	Label    string
	Symbol   string
	Position string // "start" or "end" when given
	Decimals *int   // nil when the file does not say
	// Base is the unit's base ("antal", "personer", "per cent"); PxWebApi
	// puts its unit name here rather than in Label.
	Base string
	// Multiplier is the power of ten the values are scaled by (3 =
	// thousands); 0 when absent.
	Multiplier int
}

// Error is a structural or semantic error in a JSON-stat document. Dataset
// names the dataset (its Name, else its label, else its href), Dimension
// the dimension ID when one is concerned and Index the category or flat
// cell index when one is concerned (-1 otherwise).
type Error struct {
	Dataset   string
	Dimension string
	Index     int
	Msg       string
	// Err is the class of the error where callers may act on it
	// (ErrTooManyCells), nil otherwise.
	Err error
}

// ErrTooManyCells is the class of the *Error for a document that declares
// more cells than the decoder's limit (see DefaultMaxCells).
var ErrTooManyCells = errors.New("too many cells")

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// Error formats as "jsonstat: dataset %q: dimension %q: index %d: %s",
// leaving out the parts that do not apply.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("jsonstat: ")
	if e.Dataset != "" {
		fmt.Fprintf(&b, "dataset %q: ", e.Dataset)
	}
	if e.Dimension != "" {
		fmt.Fprintf(&b, "dimension %q: ", e.Dimension)
	}
	if e.Index >= 0 {
		fmt.Fprintf(&b, "index %d: ", e.Index)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// MissingStatus reports whether a cell status marks the value as missing:
// ".", "..", "...", ":" and "-" do (the PX and Eurostat conventions for
// "not applicable", "not available", "confidential", "nil"); annotations
// such as "e" (estimate), "p" (provisional) or "r" (revised) do not.
func MissingStatus(s string) bool {
	switch s {
	case ".", "..", "...", ":", "-":
		return true
	}
	return false
}

// Size returns the number of cells, the product of the dimension sizes
// (1 for a dataset without dimensions).
func (d *Dataset) Size() int {
	n := 1
	for _, dim := range d.Dims {
		n *= len(dim.Codes)
	}
	return n
}

// HasValues reports whether the dataset carries values. A metadata
// response (PxWebApi's /metadata, value [] or absent) does not.
func (d *Dataset) HasValues() bool {
	return d.Values != nil
}

// Index returns the row-major flat index of the cell at coords (one
// category position per dimension, in Dims order): the last dimension
// varies fastest. It returns -1 when coords has the wrong length or a
// position is out of range.
func (d *Dataset) Index(coords []int) int {
	if len(coords) != len(d.Dims) {
		return -1
	}
	idx := 0
	for k, dim := range d.Dims {
		c := coords[k]
		if c < 0 || c >= len(dim.Codes) {
			return -1
		}
		idx = idx*len(dim.Codes) + c
	}
	return idx
}

// Dim returns the dimension with the given ID, or nil.
func (d *Dataset) Dim(id string) *Dimension {
	for _, dim := range d.Dims {
		if dim.ID == id {
			return dim
		}
	}
	return nil
}

// displayName is the name used in errors: Name, else label, else href.
func displayName(name, label, href string) string {
	switch {
	case name != "":
		return name
	case label != "":
		return label
	}
	return href
}
