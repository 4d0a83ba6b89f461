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
	nd := len(shape.Dims)
	shapePos := make([]map[string]int, nd)
	for k, dim := range shape.Dims {
		shapePos[k] = make(map[string]int, len(dim.Codes))
		for i, c := range dim.Codes {
			shapePos[k][c] = i
		}
	}

	// partMap[p][k][c] = shape position of category c of part p's copy of
	// shape dimension k; partDim[p][k] = the index of that dimension in p.
	used := make([][]bool, nd)
	for k, dim := range shape.Dims {
		used[k] = make([]bool, len(dim.Codes))
	}
	partMap := make([][][]int, len(parts))
	partDim := make([][]int, len(parts))
	anyStatus := false
	for p, part := range parts {
		if !part.HasValues() {
			return nil, fail("", -1, "part %d has no values", p)
		}
		if len(part.Values) != part.Size() || len(part.Present) != len(part.Values) ||
			(part.Status != nil && len(part.Status) != len(part.Values)) {
			return nil, fail("", -1, "part %d: values, present and status do not all have Size() entries", p)
		}
		if part.Status != nil {
			anyStatus = true
		}
		if len(part.Dims) != nd {
			return nil, fail("", -1, "part %d has %d dimensions, shape has %d", p, len(part.Dims), nd)
		}
		partMap[p] = make([][]int, nd)
		partDim[p] = make([]int, nd)
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
			partDim[p][k] = j
			m := make([]int, len(part.Dims[j].Codes))
			for c, code := range part.Dims[j].Codes {
				pos, ok := shapePos[k][code]
				if !ok {
					return nil, fail(sdim.ID, c, "part %d has category %q, unknown to the shape", p, code)
				}
				m[c] = pos
				used[k][pos] = true
			}
			partMap[p][k] = m
		}
	}

	// Output dimensions: the used categories in shape order.
	out := &Dataset{
		Name: shape.Name, Label: shape.Label, Source: shape.Source, Updated: shape.Updated,
		Href: shape.Href, Note: shape.Note, Extension: shape.Extension, Role: shape.Role,
	}
	first := parts[0]
	if out.Label == "" {
		out.Label = first.Label
	}
	if out.Source == "" {
		out.Source = first.Source
	}
	if out.Updated == "" {
		out.Updated = first.Updated
	}
	outPos := make([][]int, nd) // shape position -> output position, or -1
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
		if sdim.Unit != nil {
			od.Unit = map[string]Unit{}
			for code, u := range sdim.Unit {
				if kept[code] {
					od.Unit[code] = u
				}
			}
		}
		if sdim.Child != nil {
			od.Child = map[string][]string{}
			for parent, children := range sdim.Child {
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
					od.Child[parent] = keep
				}
			}
		}
		out.Dims = append(out.Dims, od)
		if len(od.Codes) > 0 && cells > DefaultMaxCells/len(od.Codes) {
			return nil, fail(sdim.ID, -1, "result has more than %d cells (DefaultMaxCells)", DefaultMaxCells)
		}
		cells *= len(od.Codes)
	}
	strides := make([]int, nd)
	stride := 1
	for k := nd - 1; k >= 0; k-- {
		strides[k] = stride
		stride *= len(out.Dims[k].Codes)
	}

	out.Values = make([]float64, cells)
	out.Present = make([]bool, cells)
	if anyStatus {
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
		for k := range shape.Dims {
			j := partDim[p][k]
			t := make([]int, len(partMap[p][k]))
			for c, pos := range partMap[p][k] {
				t[c] = outPos[k][pos] * strides[k]
			}
			tab[j] = t
		}
		coords := make([]int, nd)
		for i := range part.Values {
			o := 0
			for j, c := range coords {
				o += tab[j][c]
			}
			if owner[o] >= 0 {
				return nil, fail("", o, "cell %s is in part %d and part %d", out.coordString(o), owner[o], p)
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
			return nil, fail("", o, "cell %s is in no part", out.coordString(o))
		}
	}
	return out, nil
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
