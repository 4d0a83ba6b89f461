package charts

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
)

// Point is a position in longitude (X) and latitude (Y), WGS84 degrees.
type Point struct{ X, Y float64 }

// Feature is one area of a [Map]: a municipality or a county.
type Feature struct {
	Code string // "0301", "4003"
	Name string
	// Polygons are the parts of the area; each is a list of rings, the
	// first the outer boundary and the rest holes. Rings are closed (first
	// point equals last).
	Polygons [][][]Point
}

// Map is a set of areas to draw a choropleth on, sorted by code.
type Map struct {
	Features []Feature
}

// Feature returns the area with code, if any.
func (m *Map) Feature(code string) (*Feature, bool) {
	i := sort.Search(len(m.Features), func(i int) bool { return m.Features[i].Code >= code })
	if i < len(m.Features) && m.Features[i].Code == code {
		return &m.Features[i], true
	}
	return nil, false
}

// Bounds returns the smallest and largest longitude and latitude.
func (m *Map) Bounds() (min, max Point) {
	min = Point{math.Inf(1), math.Inf(1)}
	max = Point{math.Inf(-1), math.Inf(-1)}
	for _, f := range m.Features {
		for _, poly := range f.Polygons {
			for _, p := range poly[0] {
				min.X, min.Y = math.Min(min.X, p.X), math.Min(min.Y, p.Y)
				max.X, max.Y = math.Max(max.X, p.X), math.Max(max.Y, p.Y)
			}
		}
	}
	return min, max
}

type geoCollection struct {
	Type     string       `json:"type"`
	Features []geoFeature `json:"features"`
}

type geoFeature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   *geoGeometry   `json:"geometry"`
}

type geoGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// GeoError is a problem in a GeoJSON file, with the position of the feature.
type GeoError struct {
	Feature int    // index in the features array
	Code    string // the feature's code, when known
	Msg     string
}

func (e *GeoError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("charts: geojson: feature %d (%s): %s", e.Feature, e.Code, e.Msg)
	}
	return fmt.Sprintf("charts: geojson: feature %d: %s", e.Feature, e.Msg)
}

// ParseGeoJSON reads a GeoJSON FeatureCollection of Polygon and
// MultiPolygon features in WGS84 longitude/latitude. The code of a feature
// is its property codeProp ("kommunenummer", "fylkesnummer"; a number is
// formatted without decimals and left-padded with zeros to 4 digits for
// "kommunenummer" and 2 for "fylkesnummer"); the name is the property
// "name", else "kommunenavn", "fylkesnavn" or "navn". Features without
// geometry are skipped; a duplicate code, a ring with fewer than 4 points
// or a coordinate outside [-180,180]×[-90,90] is an error.
func ParseGeoJSON(r io.Reader, codeProp string) (*Map, error) {
	var fc geoCollection
	dec := json.NewDecoder(io.LimitReader(r, 256<<20))
	if err := dec.Decode(&fc); err != nil {
		return nil, fmt.Errorf("charts: geojson: %w", err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("charts: geojson: type %q, want FeatureCollection", fc.Type)
	}
	m := &Map{}
	seen := map[string]bool{}
	for i, gf := range fc.Features {
		code := propString(gf.Properties[codeProp], codeProp)
		if code == "" {
			return nil, &GeoError{Feature: i, Msg: fmt.Sprintf("no property %q", codeProp)}
		}
		if seen[code] {
			return nil, &GeoError{Feature: i, Code: code, Msg: "duplicate code"}
		}
		seen[code] = true
		if gf.Geometry == nil {
			continue
		}
		f := Feature{Code: code}
		for _, k := range []string{"name", "kommunenavn", "fylkesnavn", "navn"} {
			if s, ok := gf.Properties[k].(string); ok && s != "" {
				f.Name = s
				break
			}
		}
		var polys [][][][2]float64
		switch gf.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(gf.Geometry.Coordinates, &p); err != nil {
				return nil, &GeoError{Feature: i, Code: code, Msg: err.Error()}
			}
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			if err := json.Unmarshal(gf.Geometry.Coordinates, &polys); err != nil {
				return nil, &GeoError{Feature: i, Code: code, Msg: err.Error()}
			}
		default:
			return nil, &GeoError{Feature: i, Code: code, Msg: fmt.Sprintf("geometry type %q, want Polygon or MultiPolygon", gf.Geometry.Type)}
		}
		for _, poly := range polys {
			if len(poly) == 0 {
				return nil, &GeoError{Feature: i, Code: code, Msg: "polygon without rings"}
			}
			var rings [][]Point
			for _, ring := range poly {
				if len(ring) < 4 {
					return nil, &GeoError{Feature: i, Code: code, Msg: fmt.Sprintf("ring of %d points, want at least 4", len(ring))}
				}
				pts := make([]Point, len(ring))
				for k, c := range ring {
					if !(c[0] >= -180 && c[0] <= 180 && c[1] >= -90 && c[1] <= 90) {
						return nil, &GeoError{Feature: i, Code: code, Msg: fmt.Sprintf("coordinate %v out of range", c)}
					}
					pts[k] = Point{c[0], c[1]}
				}
				rings = append(rings, pts)
			}
			f.Polygons = append(f.Polygons, rings)
		}
		m.Features = append(m.Features, f)
	}
	sort.Slice(m.Features, func(i, j int) bool { return m.Features[i].Code < m.Features[j].Code })
	return m, nil
}

func propString(v any, prop string) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		if x != math.Trunc(x) || x < 0 {
			return ""
		}
		s := strconv.FormatFloat(x, 'f', 0, 64)
		width := 0
		switch prop {
		case "kommunenummer":
			width = 4
		case "fylkesnummer":
			width = 2
		}
		for len(s) < width {
			s = "0" + s
		}
		return s
	}
	return ""
}

// Simplify returns a copy of m with every ring simplified by
// Douglas-Peucker with tolerance tol (degrees of latitude; longitudes are
// scaled by the cosine of the map's middle latitude first, so the
// tolerance is about equal in both directions). Rings that shrink below 4
// points are dropped, except that every feature keeps its largest polygon.
func (m *Map) Simplify(tol float64) *Map {
	min, max := m.Bounds()
	kx := math.Cos((min.Y + max.Y) / 2 * math.Pi / 180)
	out := &Map{Features: make([]Feature, len(m.Features))}
	for i, f := range m.Features {
		nf := Feature{Code: f.Code, Name: f.Name}
		largest, largestArea := -1, -1.0
		for k, poly := range f.Polygons {
			if a := math.Abs(ringArea(poly[0])); a > largestArea {
				largest, largestArea = k, a
			}
		}
		for k, poly := range f.Polygons {
			var rings [][]Point
			for r, ring := range poly {
				s := SimplifyRing(ring, tol, kx)
				if len(s) < 4 {
					if r == 0 && k == largest {
						s = triangle(ring)
					} else {
						if r == 0 {
							break // drop the whole polygon
						}
						continue
					}
				}
				rings = append(rings, s)
			}
			if len(rings) > 0 {
				nf.Polygons = append(nf.Polygons, rings)
			}
		}
		out.Features[i] = nf
	}
	return out
}

// triangle keeps a ring's first point and two far points, closed.
func triangle(ring []Point) []Point {
	n := len(ring) - 1
	return []Point{ring[0], ring[n/3], ring[2*n/3], ring[0]}
}

func ringArea(ring []Point) float64 {
	var a float64
	for i := 0; i+1 < len(ring); i++ {
		a += ring[i].X*ring[i+1].Y - ring[i+1].X*ring[i].Y
	}
	return a / 2
}

// SimplifyRing simplifies a closed ring by Douglas-Peucker: a point is kept
// when it lies farther than tol from the chord between the kept points
// around it. X distances are multiplied by kx (the cosine of the
// latitude). The first and last points are kept, so the ring stays closed.
func SimplifyRing(ring []Point, tol, kx float64) []Point {
	if len(ring) < 3 {
		return append([]Point(nil), ring...)
	}
	keep := make([]bool, len(ring))
	keep[0], keep[len(ring)-1] = true, true
	// A closed ring's first and last points coincide; split it at the
	// point farthest from the first so the chord is not degenerate.
	far, farD := 0, -1.0
	for i, p := range ring {
		dx, dy := (p.X-ring[0].X)*kx, p.Y-ring[0].Y
		if d := dx*dx + dy*dy; d > farD {
			far, farD = i, d
		}
	}
	keep[far] = true
	type span struct{ a, b int }
	stack := []span{{0, far}, {far, len(ring) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.b-s.a < 2 {
			continue
		}
		idx, dmax := -1, tol
		for i := s.a + 1; i < s.b; i++ {
			if d := segDist(ring[i], ring[s.a], ring[s.b], kx); d > dmax {
				idx, dmax = i, d
			}
		}
		if idx >= 0 {
			keep[idx] = true
			stack = append(stack, span{s.a, idx}, span{idx, s.b})
		}
	}
	out := make([]Point, 0, 16)
	for i, k := range keep {
		if k {
			out = append(out, ring[i])
		}
	}
	return out
}

// segDist is the distance from p to the segment a-b, x scaled by kx.
func segDist(p, a, b Point, kx float64) float64 {
	px, py := p.X*kx, p.Y
	ax, ay := a.X*kx, a.Y
	bx, by := b.X*kx, b.Y
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = ((px-ax)*dx + (py-ay)*dy) / l2
		t = math.Max(0, math.Min(1, t))
	}
	ex, ey := ax+t*dx-px, ay+t*dy-py
	return math.Sqrt(ex*ex + ey*ey)
}

// WriteGeoJSON writes m as a GeoJSON FeatureCollection with properties
// "kommunenummer" (or codeProp) and "name", coordinates rounded to
// decimals places, one feature a line. Output is byte-stable.
func (m *Map) WriteGeoJSON(w io.Writer, codeProp string, decimals int) error {
	var buf []byte
	buf = append(buf, `{"type":"FeatureCollection","features":[`...)
	for i, f := range m.Features {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n"...)
		cp, _ := json.Marshal(codeProp)
		code, _ := json.Marshal(f.Code)
		name, _ := json.Marshal(f.Name)
		buf = append(buf, `{"type":"Feature","properties":{`...)
		buf = append(buf, cp...)
		buf = append(buf, ':')
		buf = append(buf, code...)
		buf = append(buf, `,"name":`...)
		buf = append(buf, name...)
		buf = append(buf, `},"geometry":{"type":"MultiPolygon","coordinates":[`...)
		for k, poly := range f.Polygons {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '[')
			for r, ring := range poly {
				if r > 0 {
					buf = append(buf, ',')
				}
				buf = append(buf, '[')
				for q, p := range ring {
					if q > 0 {
						buf = append(buf, ',')
					}
					buf = append(buf, '[')
					buf = strconv.AppendFloat(buf, round(p.X, decimals), 'f', -1, 64)
					buf = append(buf, ',')
					buf = strconv.AppendFloat(buf, round(p.Y, decimals), 'f', -1, 64)
					buf = append(buf, ']')
				}
				buf = append(buf, ']')
			}
			buf = append(buf, ']')
		}
		buf = append(buf, `]}}`...)
	}
	buf = append(buf, "\n]}\n"...)
	_, err := w.Write(buf)
	return err
}

func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}
