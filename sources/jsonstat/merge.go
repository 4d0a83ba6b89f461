package jsonstat

import (
	"fmt"
	"strings"
)

// Merge stitches the parts of one split query back into one dataset.
//
// shape (typically the table's metadata, but any dataset will do) gives the
// dimensions, their order and the order of their categories; its values
// are not used. Each part must have values and the same dimension IDs as
// shape (in any order), with categories that shape knows. The result has,
// per dimension, the categories present in at least one part, in shape's
// order, and every one of its cells must come from exactly one part: a cell
// that no part covers (a gap) or that two parts cover (an overlap) is an
// *Error naming the cell's coordinates. Dataset and dimension metadata
// (label, source, updated, note, role, units...) come from shape, falling
// back to the first part when shape leaves a dataset field empty; units and
// child lists are restricted to the categories kept. Status is nil unless a
// part has one. Merge does not modify its arguments.
func Merge(shape *Dataset, parts []*Dataset) (*Dataset, error) {
	name := displayName(shape.Name, shape.Label, shape.Href)
	fail := func(dim string, index int, format string, args ...any) error {
		return &Error{Dataset: name, Dimension: dim, Index: index, Msg: "merge: " + fmt.Sprintf(format, args...)}
	}
	if len(parts) == 0 {
		return nil, fail("", -1, "no parts")
	}
	pm, err := mapParts(shape, parts, fail)
	if err != nil {
		return nil, err
	}
	out, outPos, err := mergedShape(shape, parts[0], pm.used, fail)
	if err != nil {
		return nil, err
	}
	if err := fillMerged(out, outPos, parts, pm, fail); err != nil {
		return nil, err
	}
	return out, nil
}

// partMapping says where each part's categories sit in the shape.
type partMapping struct {
	// pos[p][k][c] is the shape position of category c of part p's copy
	// of shape dimension k; dim[p][k] the index of that dimension in p.
	pos [][][]int
	dim [][]int
	// used[k][i]: some part has shape category i of dimension k.
	used [][]bool
	// status: some part has a status.
	status bool
}

// mapParts checks every part against the shape and maps its categories to
// shape positions.
func mapParts(shape *Dataset, parts []*Dataset, fail failFunc) (*partMapping, error) {
	nd := len(shape.Dims)
	shapePos := make([]map[string]int, nd)
	pm := &partMapping{pos: make([][][]int, len(parts)), dim: make([][]int, len(parts)), used: make([][]bool, nd)}
	for k, dim := range shape.Dims {
		shapePos[k] = make(map[string]int, len(dim.Codes))
		for i, c := range dim.Codes {
			shapePos[k][c] = i
		}
		pm.used[k] = make([]bool, len(dim.Codes))
	}
	for p, part := range parts {
		if !part.HasValues() {
			return nil, fail("", -1, "part %d has no values", p)
		}
		if len(part.Values) != part.Size() || len(part.Present) != len(part.Values) ||
			(part.Status != nil && len(part.Status) != len(part.Values)) {
			return nil, fail("", -1, "part %d: values, present and status do not all have Size() entries", p)
		}
		pm.status = pm.status || part.Status != nil
		if len(part.Dims) != nd {
			return nil, fail("", -1, "part %d has %d dimensions, shape has %d", p, len(part.Dims), nd)
		}
		pm.pos[p] = make([][]int, nd)
		pm.dim[p] = make([]int, nd)
		for k, sdim := range shape.Dims {
			j := -1
			for jj, pd := range part.Dims {
				if pd.ID == sdim.ID {
					j = jj
					break
				}
			}
			if j < 0 {
				return nil, fail(sdim.ID, -1, "part %d lacks the dimension", p)
			}
			pm.dim[p][k] = j
			m := make([]int, len(part.Dims[j].Codes))
			for c, code := range part.Dims[j].Codes {
				pos, ok := shapePos[k][code]
				if !ok {
					return nil, fail(sdim.ID, c, "part %d has category %q, unknown to the shape", p, code)
				}
				m[c] = pos
				pm.used[k][pos] = true
			}
			pm.pos[p][k] = m
		}
	}
	return pm, nil
}

// mergedShape returns the merged dataset without values: shape's
// metadata (first's where shape leaves a field empty) and, per dimension,
// the used categories in shape order, with units and child lists kept for
// them. outPos[k][i] is the output position of shape category i, or -1.
func mergedShape(shape, first *Dataset, used [][]bool, fail failFunc) (*Dataset, [][]int, error) {
	out := &Dataset{
		Name: shape.Name, Label: shape.Label, Source: shape.Source, Updated: shape.Updated,
		Href: shape.Href, Note: shape.Note, Extension: shape.Extension, Role: shape.Role,
	}
	if out.Label == "" {
		out.Label = first.Label
	}
	if out.Source == "" {
		out.Source = first.Source
	}
	if out.Updated == "" {
		out.Updated = first.Updated
	}
	outPos := make([][]int, len(shape.Dims))
	cells := 1
	for k, sdim := range shape.Dims {
		od := &Dimension{ID: sdim.ID, Label: sdim.Label, Note: sdim.Note, Extension: sdim.Extension}
		outPos[k] = make([]int, len(sdim.Codes))
		kept := map[string]bool{}
		for i, code := range sdim.Codes {
			outPos[k][i] = -1
			if used[k][i] {
				outPos[k][i] = len(od.Codes)
				od.Codes = append(od.Codes, code)
				od.Labels = append(od.Labels, sdim.Labels[i])
				kept[code] = true
			}
		}
		od.Unit, od.Child = keptUnits(sdim.Unit, kept), keptChildren(sdim.Child, kept)
		out.Dims = append(out.Dims, od)
		if len(od.Codes) > 0 && cells > DefaultMaxCells/len(od.Codes) {
			return nil, nil, fail(sdim.ID, -1, "result has more than %d cells (DefaultMaxCells)", DefaultMaxCells)
		}
		cells *= len(od.Codes)
	}
	return out, outPos, nil
}

// keptUnits restricts a unit map to the kept categories (nil stays nil).
func keptUnits(units map[string]Unit, kept map[string]bool) map[string]Unit {
	if units == nil {
		return nil
	}
	out := map[string]Unit{}
	for code, u := range units {
		if kept[code] {
			out[code] = u
		}
	}
	return out
}

// keptChildren restricts a child map to kept parents and children (nil
// stays nil; a parent left without children is dropped).
func keptChildren(child map[string][]string, kept map[string]bool) map[string][]string {
	if child == nil {
		return nil
	}
	out := map[string][]string{}
	for parent, children := range child {
		if !kept[parent] {
			continue
		}
		var keep []string
		for _, c := range children {
			if kept[c] {
				keep = append(keep, c)
			}
		}
		if len(keep) > 0 {
			out[parent] = keep
		}
	}
	return out
}

// fillMerged places every part's cells in out; a cell in two parts or in
// none is an error naming its coordinates.
func fillMerged(out *Dataset, outPos [][]int, parts []*Dataset, pm *partMapping, fail failFunc) error {
	nd := len(out.Dims)
	strides := make([]int, nd)
	stride := 1
	for k := nd - 1; k >= 0; k-- {
		strides[k] = stride
		stride *= len(out.Dims[k].Codes)
	}
	cells := out.Size()
	out.Values = make([]float64, cells)
	out.Present = make([]bool, cells)
	if pm.status {
		out.Status = make([]string, cells)
	}
	owner := make([]int32, cells)
	for i := range owner {
		owner[i] = -1
	}
	for p, part := range parts {
		// tab[j][c] = contribution of category c of part dimension j to
		// the output flat index.
		tab := make([][]int, nd)
		for k := range out.Dims {
			t := make([]int, len(pm.pos[p][k]))
			for c, pos := range pm.pos[p][k] {
				t[c] = outPos[k][pos] * strides[k]
			}
			tab[pm.dim[p][k]] = t
		}
		coords := make([]int, nd)
		for i := range part.Values {
			o := 0
			for j, c := range coords {
				o += tab[j][c]
			}
			if owner[o] >= 0 {
				return fail("", o, "cell %s is in part %d and part %d", out.coordString(o), owner[o], p)
			}
			owner[o] = int32(p)
			out.Values[o] = part.Values[i]
			out.Present[o] = part.Present[i]
			if part.Status != nil {
				out.Status[o] = part.Status[i]
			}
			for j := nd - 1; j >= 0; j-- {
				coords[j]++
				if coords[j] < len(part.Dims[j].Codes) {
					break
				}
				coords[j] = 0
			}
		}
	}
	for o, p := range owner {
		if p < 0 {
			return fail("", o, "cell %s is in no part", out.coordString(o))
		}
	}
	return nil
}

// coordString formats the coordinates of flat cell index i as
// "(dim=code, dim=code)".
func (d *Dataset) coordString(i int) string {
	parts := make([]string, len(d.Dims))
	for k := len(d.Dims) - 1; k >= 0; k-- {
		n := len(d.Dims[k].Codes)
		parts[k] = d.Dims[k].ID + "=" + d.Dims[k].Codes[i%n]
		i /= n
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
