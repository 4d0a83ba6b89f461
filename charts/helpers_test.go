package charts

import (
	"bytes"
	"image/color"
	"image/png"

	"gonum.org/v1/plot/vg"
)

type vgPoint struct{ X, Y float64 }

func toVG(rings [][]vgPoint) [][]vg.Point {
	out := make([][]vg.Point, len(rings))
	for i, r := range rings {
		for _, p := range r {
			out[i] = append(out[i], vg.Point{X: vg.Length(p.X), Y: vg.Length(p.Y)})
		}
	}
	return out
}

// pngEqualApprox reports whether two PNGs have the same size and every
// pixel but a fraction maxFrac within delta in the YIQ colour metric of
// gonum/plot's cmpimg.EqualApprox (Kotsarenko & Ramos; the same
// coefficients and scale). cmpimg itself is not used because it pulls in
// rsc.io/pdf, which go.mod does not carry.
func pngEqualApprox(a, b []byte, delta, maxFrac float64) (bool, float64, error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return false, 0, err
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return false, 0, err
	}
	if ia.Bounds() != ib.Bounds() {
		return false, 1, nil
	}
	const max = 35215.0
	bad, n := 0, 0
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c1 := color.RGBAModel.Convert(ia.At(x, y)).(color.RGBA)
			c2 := color.RGBAModel.Convert(ib.At(x, y)).(color.RGBA)
			r1, g1, b1 := float64(c1.R), float64(c1.G), float64(c1.B)
			r2, g2, b2 := float64(c2.R), float64(c2.G), float64(c2.B)
			yy := (r1-r2)*0.29889531 + (g1-g2)*0.58662247 + (b1-b2)*0.11448223
			ii := (r1-r2)*0.59597799 - (g1-g2)*0.27417610 - (b1-b2)*0.32180189
			qq := (r1-r2)*0.21147017 - (g1-g2)*0.52261711 + (b1-b2)*0.31114694
			if 0.5053*yy*yy+0.299*ii*ii+0.1957*qq*qq > max*delta*delta {
				bad++
			}
			n++
		}
	}
	frac := float64(bad) / float64(n)
	return frac <= maxFrac, frac, nil
}
