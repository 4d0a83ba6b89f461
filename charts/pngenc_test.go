package charts

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// canvasImage draws c as Render does for PNG and returns the image.
func canvasImage(t *testing.T, c Chart) *image.RGBA {
	t.Helper()
	p, notes, err := c.plot()
	if err != nil {
		t.Fatal(err)
	}
	width, height, l := chartSize(c, notes)
	cv := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))
	compose(draw.New(cv), l, p)
	m, ok := cv.Image().(*image.RGBA)
	if !ok {
		t.Fatalf("the canvas is a %T, not an *image.RGBA", cv.Image())
	}
	return m
}

// samePixels fails t unless the decoded PNG b has m's bounds' size and
// exactly its colours.
func samePixels(t *testing.T, name string, m image.Image, b []byte) {
	t.Helper()
	back, err := png.Decode(bytes.NewReader(b)) // checks every chunk's CRC and the zlib checksum
	if err != nil {
		t.Fatalf("%s: image/png cannot read it back: %v", name, err)
	}
	r := m.Bounds()
	if back.Bounds().Dx() != r.Dx() || back.Bounds().Dy() != r.Dy() {
		t.Fatalf("%s: %v read back, want the size of %v", name, back.Bounds(), r)
	}
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			want := color.NRGBAModel.Convert(m.At(r.Min.X+x, r.Min.Y+y))
			got := color.NRGBAModel.Convert(back.At(back.Bounds().Min.X+x, back.Bounds().Min.Y+y))
			if want != got {
				t.Fatalf("%s: pixel (%d, %d) reads back %v, want %v", name, x, y, got, want)
			}
		}
	}
}

// TestEncodeOpaque: what encodeOpaque writes, image/png reads back pixel
// for pixel, for charts (the 357-bar ranked chart, a time series, the
// municipality map) and for opaque noise of awkward sizes (every row
// differs, so both filters are chosen; one pixel; one row; one column; a
// sub-image whose pixels do not start at its buffer's start). The ranked
// chart's file is no larger than image/png's at the same zlib level
// (measured: 341,571 bytes beside 352,108). Every fixture is SYNTHETIC:
// the charts' values (fixtures_test.go) and the seeded noise.
func TestEncodeOpaque(t *testing.T) {
	for name, c := range map[string]Chart{"ranked357": fixtureRanked(357), "timeseries": fixtureTimeSeries(), "map": fixtureMap(t)} {
		m := canvasImage(t, c)
		var ours, std bytes.Buffer
		if err := writePNG(&ours, m); err != nil {
			t.Fatal(err)
		}
		samePixels(t, name, m, ours.Bytes())
		if name == "ranked357" {
			if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&std, m); err != nil {
				t.Fatal(err)
			}
			if ours.Len() > std.Len() {
				t.Errorf("ranked357: %d bytes, image/png %d", ours.Len(), std.Len())
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	noise := func(w, h int) *image.RGBA {
		m := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := range m.Pix {
			m.Pix[i] = byte(rng.IntN(256))
			if i%4 == 3 {
				m.Pix[i] = 0xff
			}
		}
		return m
	}
	big := noise(61, 40)
	for name, m := range map[string]*image.RGBA{
		"noise 37×23": noise(37, 23), "1×1": noise(1, 1), "1 row": noise(50, 1), "1 column": noise(1, 50),
		"sub-image": big.SubImage(image.Rect(5, 7, 44, 33)).(*image.RGBA),
	} {
		var b bytes.Buffer
		if err := encodeOpaque(&b, m); err != nil {
			t.Fatal(err)
		}
		samePixels(t, name, m, b.Bytes())
	}
}

// TestWritePNGNotOpaque: an image with transparency goes through
// image/png and keeps its alpha.
func TestWritePNGNotOpaque(t *testing.T) {
	m := image.NewRGBA(image.Rect(0, 0, 3, 2))
	m.Set(0, 0, color.NRGBA{R: 200, A: 128})
	m.Set(2, 1, color.NRGBA{G: 10, B: 250, A: 255})
	var b bytes.Buffer
	if err := writePNG(&b, m); err != nil {
		t.Fatal(err)
	}
	samePixels(t, "transparent", m, b.Bytes())
}

// failAfter fails every write once n bytes have been written.
type failAfter struct{ n int }

var errFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		f.n = 0
		return 0, errFull
	}
	f.n -= len(p)
	return len(p), nil
}

// TestEncodeOpaqueWriteError: a writer that fails anywhere in the file
// (the signature, the header, the rows, the end) makes encodeOpaque
// return its error, and the next encode is whole again.
func TestEncodeOpaqueWriteError(t *testing.T) {
	m := canvasImage(t, fixtureTimeSeries())
	var whole bytes.Buffer
	if err := encodeOpaque(&whole, m); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 5, 20, 40, whole.Len() / 2, whole.Len() - 6} {
		if err := encodeOpaque(&failAfter{n: n}, m); !errors.Is(err, errFull) {
			t.Errorf("failing after %d of %d bytes: %v, want %v", n, whole.Len(), err, errFull)
		}
	}
	var again bytes.Buffer
	if err := encodeOpaque(&again, m); err != nil || !bytes.Equal(again.Bytes(), whole.Bytes()) {
		t.Errorf("after the failures: %d bytes (%v), want the %d of the first encode", again.Len(), err, whole.Len())
	}
}
