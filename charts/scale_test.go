package charts

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// wrapNaive is the former wrap: it measures every candidate line whole.
// It is the reference the linear wrap must agree with.
func wrapNaive(width func(string) vg.Length, s string, w vg.Length) []string {
	if s == "" {
		return nil
	}
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		cur := ""
		for _, word := range strings.Fields(para) {
			next := word
			if cur != "" {
				next = cur + " " + word
			}
			if cur != "" && width(next) > w {
				lines = append(lines, cur)
				cur = word
				continue
			}
			cur = next
		}
		lines = append(lines, cur)
	}
	return lines
}

// TestWrapMatchesWholeLineMeasure: with the real caption font (kerning
// included), the linear wrap breaks texts exactly where measuring whole
// lines does, for several widths. The texts are real caption and note
// shapes: long words, thin-space numbers, several paragraphs, runs of
// spaces, invalid UTF-8 and other white space than spaces. wrap measures
// through the width cache, wrapNaive through text.Style.Width.
func TestWrapMatchesWholeLineMeasure(t *testing.T) {
	texts := []string{
		"Kilde: syntetiske demodata etter mønster av Statistisk sentralbyrå (SSB), tabell 09429, oppdatert 2025-06-11.",
		"Tall kilden ikke publiserer (grupperinger, omregnede fylker), er beregnet av grunnlag fra kommunetallene.",
		"AVAVAV To Ty Yo WA  Va.\nLandet 12\u2009345,7 og   Porsgrunn −4,2 Guovdageaidnu - Kautokeino",
		"Ett",
		"",
		"Ugyldig \xff UTF-8\xfe og \ufffd, hardt\u00a0mellomrom,\ttabulator og\r\nlinjeskift ",
	}
	for _, sty := range []struct {
		size vg.Length
		bold bool
	}{{6.5, false}, {11, true}} {
		st := textStyle(sty.size, sty.bold, Black)
		for _, s := range texts {
			for _, w := range []vg.Length{20, 60, 120, 200, 453} {
				got := wrap(st, s, w)
				want := wrapNaive(st.Width, s, w)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("wrap(%v pt, %q, %v) = %q, want %q", sty.size, s, w, got, want)
				}
			}
		}
	}
}

// TestWrapLinear counts the runes measured (the work of font.Face.Width,
// which walks every rune) when wrapping n and 2n words into one wide
// line: doubling the words must about double the work. The whole-line
// measuring of wrapNaive quadruples it (checked below, so the counter
// can tell the two apart).
func TestWrapLinear(t *testing.T) {
	measured := func(f func(func(string) vg.Length, string, vg.Length) []string, words int) int {
		runes := 0
		width := func(s string) vg.Length {
			runes += len([]rune(s))
			return vg.Length(len([]rune(s))) // 1 pt per rune
		}
		s := strings.Repeat("ord ", words)
		if lines := f(width, s, 1e9); len(lines) != 1 {
			t.Fatalf("%d words wrapped into %d lines, want 1", words, len(lines))
		}
		return runes
	}
	for _, n := range []int{200, 1000} {
		a, b := measured(wrapWith, n), measured(wrapWith, 2*n)
		if r := float64(b) / float64(a); r > 2.05 {
			t.Errorf("wrap: %d words measure %d runes, %d words %d: ratio %.2f, want about 2 (linear)", n, a, 2*n, b, r)
		}
		a, b = measured(wrapNaive, n), measured(wrapNaive, 2*n)
		if r := float64(b) / float64(a); r < 3.5 {
			t.Errorf("naive wrap: ratio %.2f, want about 4: the counter does not see quadratic work", r)
		}
	}
}

var svgText = regexp.MustCompile(`<text x="([-0-9.e]+)" y="([-0-9.e]+)"[^>]*>([^<]*)</text>`)

// TestRankedBars357Labelled: all 357 municipalities (one missing) get a
// label: every drawn unit's name is a text of the SVG exactly once, inside
// the image, and neighbouring labels are at least BarPitch apart, more
// than their 7 pt font is high, so none overlaps another or is clipped.
func TestRankedBars357Labelled(t *testing.T) {
	c := fixtureRanked(357)
	w, h := Size(c)
	if w != DefaultWidth || h < 356*BarPitch {
		t.Fatalf("Size = %v × %v, want the default width and at least 356 rows of %v", w, h, BarPitch)
	}
	svg, err := Bytes(c, SVG)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte(fmt.Sprintf(`height="%gpt"`, float64(h)))) {
		t.Errorf("SVG is not %v high (Size and Render disagree)", h)
	}
	pos := map[string][]float64{}
	for _, m := range svgText.FindAllSubmatch(svg, -1) {
		x, _ := strconv.ParseFloat(string(m[1]), 64)
		y, _ := strconv.ParseFloat(string(m[2]), 64)
		y = -y // vgsvg flips the y axis
		if x < 0 || y < 0 || y > float64(h) {
			t.Errorf("text %q at (%v, %v) lies outside the %v × %v image", m[3], x, y, w, h)
		}
		pos[string(m[3])] = append(pos[string(m[3])], y)
	}
	var ys []float64
	for i, l := range c.Labels {
		if i == 357/2 {
			if len(pos[l]) != 0 {
				t.Errorf("unit %q without a value is labelled", l)
			}
			continue // the missing unit is not drawn
		}
		if len(pos[l]) != 1 {
			t.Errorf("label %q drawn %d times, want once", l, len(pos[l]))
			continue
		}
		ys = append(ys, pos[l][0])
	}
	sort.Float64s(ys)
	for i := 1; i < len(ys); i++ {
		if d := ys[i] - ys[i-1]; d < float64(BarPitch)-0.01 {
			t.Fatalf("labels %v pt apart, want at least %v", d, BarPitch)
		}
	}
}
