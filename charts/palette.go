package charts

import (
	"image/color"
	"math"
)

// The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"),
// distinguishable with the common forms of colour-vision deficiency.
var (
	Black     = color.RGBA{0x00, 0x00, 0x00, 0xff}
	Orange    = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	SkyBlue   = color.RGBA{0x56, 0xb4, 0xe9, 0xff}
	Green     = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	Yellow    = color.RGBA{0xf0, 0xe4, 0x42, 0xff}
	Blue      = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	Vermilion = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
	Purple    = color.RGBA{0xcc, 0x79, 0xa7, 0xff}
	// Grey is for context (all other units) and missing areas.
	Grey      = color.RGBA{0xbb, 0xbb, 0xbb, 0xff}
	LightGrey = color.RGBA{0xe4, 0xe4, 0xe4, 0xff}
	DarkGrey  = color.RGBA{0x55, 0x55, 0x55, 0xff}
)

// Series colours by role: the region in focus, its county, the nation,
// and further series.
var Qualitative = []color.RGBA{Blue, Orange, Black, Green, Vermilion, SkyBlue, Purple, Yellow}

// Sequential is a 5-class sequential scale (viridis samples, perceptually
// uniform and colour-blind safe), light to dark.
var Sequential = []color.RGBA{
	{0xfd, 0xe7, 0x25, 0xff},
	{0x5e, 0xc9, 0x62, 0xff},
	{0x21, 0x91, 0x8c, 0xff},
	{0x3b, 0x52, 0x8b, 0xff},
	{0x44, 0x01, 0x54, 0xff},
}

// Diverging is a 7-class diverging scale (ColorBrewer PuOr, marked
// colour-blind safe), low (orange) to high (purple) with a neutral middle.
var Diverging = []color.RGBA{
	{0xb3, 0x58, 0x06, 0xff},
	{0xf1, 0xa3, 0x40, 0xff},
	{0xfe, 0xe0, 0xb6, 0xff},
	{0xf7, 0xf7, 0xf7, 0xff},
	{0xd8, 0xda, 0xeb, 0xff},
	{0x99, 0x8e, 0xc3, 0xff},
	{0x54, 0x27, 0x88, 0xff},
}

// DivergingColor maps v to the diverging scale, centre mid and half-width
// span (values at mid±span and beyond get the end classes).
func DivergingColor(v, mid, span float64) color.RGBA {
	if span <= 0 {
		span = 1
	}
	t := (v - mid) / span // -1..1
	t = math.Max(-1, math.Min(1, t))
	i := int(math.Round((t + 1) / 2 * float64(len(Diverging)-1)))
	return Diverging[i]
}
