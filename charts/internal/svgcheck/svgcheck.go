// Package svgcheck measures the texts of an SVG written by gonum/plot's
// vgsvg backend, for the tests that no chart label is clipped: every text's
// box must lie inside the image. It is used only by tests (charts'
// fixture charts and the charts of a built book).
//
// A text's box is its advance width, measured with the chart fonts
// (Liberation Sans, bold where the style says so), from the baseline
// point, and 0.8 of the font size above the baseline (ascent) to 0.25
// below (descent), carried through every transform of the text and its
// ancestors (translate, scale, rotate, matrix):
//
//	<svg width="100pt" height="50pt"><g transform="scale(1, -1) translate(0, -50)">
//	<text x="5" y="-40" transform="scale(1, -1)" style="font-size:8px">inne</text>
//	</g></svg>
//	    → one Box "inne", x 5 to 5+advance, y 10−6.4 to 10+2, in a 100 × 50 image
package svgcheck

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Tolerance is the distance (pt) a box may reach past the image's edge
// before it counts as clipped: the font metrics' rounding.
const Tolerance = 0.5

// Box is a drawn text with the corners of its box on the image (pt, y
// down as in SVG).
type Box struct {
	Text       string
	MinX, MinY float64
	MaxX, MaxY float64
}

// Inside reports whether b lies inside a width × height image, give or
// take tol.
func (b Box) Inside(width, height, tol float64) bool {
	return b.MinX >= -tol && b.MinY >= -tol && b.MaxX <= width+tol && b.MaxY <= height+tol
}

// Outside returns the boxes that do not lie inside a width × height image
// (Box.Inside with tol).
func Outside(boxes []Box, width, height, tol float64) []Box {
	var out []Box
	for _, b := range boxes {
		if !b.Inside(width, height, tol) {
			out = append(out, b)
		}
	}
	return out
}

// TextBoxes returns the box of every <text> of svg and the image's width
// and height (the root's width and height in pt). An SVG that is not
// well-formed XML, or a transform it cannot read, is an error.
func TextBoxes(svg []byte) (boxes []Box, width, height float64, err error) {
	dec := xml.NewDecoder(strings.NewReader(string(svg)))
	stack := []affine{identity}
	var cur *Box
	var curSize float64
	var curBold bool
	var curM affine
	var curX, curY float64
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, 0, fmt.Errorf("svgcheck: %w", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range e.Attr {
				attr[a.Name.Local] = a.Value
			}
			m := stack[len(stack)-1]
			if tr, ok := attr["transform"]; ok {
				x, err := parseTransform(tr)
				if err != nil {
					return nil, 0, 0, fmt.Errorf("svgcheck: <%s>: %w", e.Name.Local, err)
				}
				m = m.mul(x)
			}
			stack = append(stack, m)
			switch e.Name.Local {
			case "svg":
				width, _ = strconv.ParseFloat(strings.TrimSuffix(attr["width"], "pt"), 64)
				height, _ = strconv.ParseFloat(strings.TrimSuffix(attr["height"], "pt"), 64)
			case "text":
				curX, _ = strconv.ParseFloat(attr["x"], 64)
				curY, _ = strconv.ParseFloat(attr["y"], 64)
				curM = stack[len(stack)-2] // x, y are in the parent's frame, before the text's own scale
				if tr, ok := attr["transform"]; ok {
					x, _ := parseTransform(tr) // read above
					curM = curM.mul(x)
				}
				st := attr["style"]
				curBold = strings.Contains(st, "font-weight:bold")
				curSize = 0
				if i := strings.Index(st, "font-size:"); i >= 0 {
					v := st[i+len("font-size:"):]
					if j := strings.IndexAny(v, "p;"); j >= 0 {
						v = v[:j]
					}
					curSize, _ = strconv.ParseFloat(v, 64)
				}
				cur = &Box{}
			}
		case xml.CharData:
			if cur != nil {
				cur.Text += string(e)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if e.Name.Local == "text" && cur != nil {
				adv := float64(textStyle(vg.Length(curSize), curBold).Width(cur.Text))
				cur.MinX, cur.MinY = math.Inf(1), math.Inf(1)
				cur.MaxX, cur.MaxY = math.Inf(-1), math.Inf(-1)
				for _, p := range [][2]float64{{curX, curY - 0.8*curSize}, {curX + adv, curY - 0.8*curSize}, {curX, curY + 0.25*curSize}, {curX + adv, curY + 0.25*curSize}} {
					x, y := curM.apply(p[0], p[1])
					cur.MinX, cur.MaxX = math.Min(cur.MinX, x), math.Max(cur.MaxX, x)
					cur.MinY, cur.MaxY = math.Min(cur.MinY, y), math.Max(cur.MaxY, y)
				}
				boxes = append(boxes, *cur)
				cur = nil
			}
		}
	}
	return boxes, width, height, nil
}

// textStyle is the charts' text style (charts.textStyle): Liberation
// Sans of size, bold or regular, measured by gonum's default text
// handler.
func textStyle(size vg.Length, bold bool) text.Style {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{Font: f, Handler: plot.DefaultTextHandler}
}

// affine is a 2-D affine transform (x' = a·x + c·y + e, y' = b·x + d·y + f),
// as SVG's matrix(a b c d e f).
type affine struct{ a, b, c, d, e, f float64 }

var identity = affine{1, 0, 0, 1, 0, 0}

// mul returns the transform m applied after n (m·n): SVG nests a child's
// transform inside its parent's.
func (m affine) mul(n affine) affine {
	return affine{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

// parseTransform reads the SVG transform lists vgsvg writes: translate,
// scale, rotate (degrees) and matrix.
func parseTransform(s string) (affine, error) {
	m := identity
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		open, close := strings.IndexByte(s, '('), strings.IndexByte(s, ')')
		if open < 0 || close < open {
			return m, fmt.Errorf("transform %q", s)
		}
		name := strings.TrimSpace(s[:open])
		var args []float64
		for _, f := range strings.FieldsFunc(s[open+1:close], func(r rune) bool { return r == ',' || r == ' ' }) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return m, fmt.Errorf("transform %q: %w", s[:close+1], err)
			}
			args = append(args, v)
		}
		var t affine
		switch {
		case name == "translate" && len(args) == 2:
			t = affine{1, 0, 0, 1, args[0], args[1]}
		case name == "scale" && len(args) == 2:
			t = affine{args[0], 0, 0, args[1], 0, 0}
		case name == "rotate" && len(args) == 1:
			r := args[0] * math.Pi / 180
			t = affine{math.Cos(r), math.Sin(r), -math.Sin(r), math.Cos(r), 0, 0}
		case name == "matrix" && len(args) == 6:
			t = affine{args[0], args[1], args[2], args[3], args[4], args[5]}
		default:
			return m, fmt.Errorf("transform %q", s[:close+1])
		}
		m = m.mul(t)
		s = s[close+1:]
	}
	return m, nil
}
