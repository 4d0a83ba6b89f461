package svgcheck

import (
	"math"
	"testing"
)

// TestTextBoxesHand checks the vertical extent and the origin of text
// boxes against hand calculation (independent of the font's advance
// widths): a 10 pt text with baseline y = 20 spans y 20 − 8 = 12 to
// 20 + 2.5 = 22.5; inside translate(5, 7) it moves by (5, 7); in vgsvg's
// flipped frame (scale(1, −1) translate(0, −50), the text scaled back by
// scale(1, −1)) y = −40 is 10 from the top.
func TestTextBoxesHand(t *testing.T) {
	svg := `<svg width="100pt" height="50pt">
<text x="10" y="20" style="font-size:10px">ab</text>
<g transform="translate(5, 7)"><text x="10" y="20" style="font-size:10px">ab</text></g>
<g transform="scale(1, -1) translate(0, -50)"><text x="5" y="-40" transform="scale(1, -1)" style="font-size:10px">ab</text></g>
</svg>`
	boxes, w, h, err := TextBoxes([]byte(svg))
	if err != nil {
		t.Fatal(err)
	}
	if len(boxes) != 3 || w != 100 || h != 50 {
		t.Fatalf("TextBoxes: %d boxes, %v × %v, want 3 in 100 × 50", len(boxes), w, h)
	}
	want := [][3]float64{{10, 12, 22.5}, {15, 19, 29.5}, {5, 2, 12.5}} // minX, minY, maxY
	for i, b := range boxes {
		if math.Abs(b.MinX-want[i][0]) > 1e-9 || math.Abs(b.MinY-want[i][1]) > 1e-9 || math.Abs(b.MaxY-want[i][2]) > 1e-9 {
			t.Errorf("box %d = x %v, y %v–%v, want x %v, y %v–%v", i, b.MinX, b.MinY, b.MaxY, want[i][0], want[i][1], want[i][2])
		}
		if adv := b.MaxX - b.MinX; adv <= 0 || adv > 20 {
			t.Errorf("box %d: advance of %q at 10 pt = %v, want between 0 and 20", i, b.Text, adv)
		}
	}
	// A text in bold is wider than the same text in regular.
	bold, _, _, err := TextBoxes([]byte(`<svg width="100pt" height="50pt"><text x="0" y="20" style="font-size:10px;font-weight:bold">ab</text></svg>`))
	if err != nil || len(bold) != 1 || bold[0].MaxX-bold[0].MinX <= boxes[0].MaxX-boxes[0].MinX {
		t.Errorf("bold box = %+v (%v), want wider than the regular %+v", bold, err, boxes[0])
	}
}

// TestOutsideCatches checks that the check can fail: a hand-written SVG
// in vgsvg's shape whose second text starts 10 pt before the right edge of
// a 100 pt image (its advance width at 8 pt is far more than 10 pt) and
// whose third is rotated off the left. (Moved from charts'
// TestLabelsInsideCatches.)
func TestOutsideCatches(t *testing.T) {
	svg := `<svg width="100pt" height="50pt"><g transform="scale(1, -1) translate(0, -50)">
<text x="5" y="-40" transform="scale(1, -1)" style="font-size:8px">inne</text>
<text x="90" y="-20" transform="scale(1, -1)" style="font-size:8px">langt ut over kanten</text>
<g transform="rotate(45)"><text x="-40" y="0" transform="scale(1, -1)" style="font-size:8px">rotert</text></g>
</g></svg>`
	boxes, w, h, err := TextBoxes([]byte(svg))
	if err != nil {
		t.Fatal(err)
	}
	if len(boxes) != 3 || w != 100 || h != 50 {
		t.Fatalf("TextBoxes: %d boxes, %v × %v, want 3 in 100 × 50", len(boxes), w, h)
	}
	out := Outside(boxes, w, h, 0)
	if len(out) != 2 || out[0].Text != "langt ut over kanten" || out[1].Text != "rotert" {
		t.Errorf("Outside = %+v, want the second and third text", out)
	}
	if !boxes[0].Inside(w, h, 0) {
		t.Errorf("%q at x %.1f–%.1f, y %.1f–%.1f: reported outside", boxes[0].Text, boxes[0].MinX, boxes[0].MaxX, boxes[0].MinY, boxes[0].MaxY)
	}
}

// TestTextBoxesErrors: an SVG that is not XML, and a transform the check
// cannot read, are errors, not an empty list that would pass.
func TestTextBoxesErrors(t *testing.T) {
	for _, svg := range []string{
		`<svg width="10pt"><text>a</svg>`,
		`<svg width="10pt" height="10pt"><g transform="skewX(30)"><text x="0" y="5">a</text></g></svg>`,
		`<svg width="10pt" height="10pt"><g transform="translate(1, x)"><text x="0" y="5">a</text></g></svg>`,
	} {
		if _, _, _, err := TextBoxes([]byte(svg)); err == nil {
			t.Errorf("TextBoxes(%q) = nil error, want one", svg)
		}
	}
}
