package charts

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// useTextHandler makes h the handler of the package's text styles until
// the returned function restores the previous one.
func useTextHandler(h text.Handler) (restore func()) {
	prev := textHandler
	set := func(h text.Handler) {
		textHandler = h
		titleStyle.Handler, subStyle.Handler, captionStyle.Handler, markStyle.Handler = h, h, h, h
	}
	set(h)
	return func() { set(prev) }
}

// identityCharts are the fixtures whose bytes must not depend on the text
// measurement cache: every kind, the book's figure, a wide heatmap and
// English texts. All SYNTHETIC.
func identityCharts(t *testing.T) map[string]Chart {
	cs := allCharts(t)
	cs["bookseries"] = fixtureBookSeries()
	cs["heatmap-wide"] = wideHeatmap()
	en := fixtureTimeSeries()
	en.Lang = English
	cs["timeseries-en"] = en
	rk := fixtureRanked(60)
	rk.Lang, rk.LowestFirst = English, true
	cs["ranked60-en"] = rk
	return cs
}

func renderAll(t *testing.T, cs map[string]Chart, fs ...Format) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for name, c := range cs {
		for _, f := range fs {
			b, err := Bytes(c, f)
			if err != nil {
				t.Fatalf("%s.%s: %v", name, f, err)
			}
			out[name+"."+string(f)] = b
		}
	}
	return out
}

func compareRenders(t *testing.T, what string, want, got map[string][]byte) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if g, ok := got[n]; ok && !bytes.Equal(want[n], g) {
			t.Errorf("%s: %s differs from the render with gonum's text.Plain (%d vs %d bytes)", what, n, len(got[n]), len(want[n]))
		}
	}
}

// TestTextCacheByteIdentical renders every fixture chart as PNG and SVG
// with gonum's own text.Plain handler (no cache), then with a fresh
// cachedText (cold), again with the same one (warm), with a cache so small
// that it drops entries all the time, and on several goroutines sharing
// one cache (the last two as SVG only, to keep the test short; PNG and SVG
// take their text positions from the same handler): every render must give
// the same bytes as text.Plain's.
//
// Under the race detector, where the goroutines sharing a cache are the
// point, the largest charts (357 bars, the municipality map) are left out
// and only SVG is drawn, to keep the test inside the race pass's time.
func TestTextCacheByteIdentical(t *testing.T) {
	cs := identityCharts(t)
	both := []Format{PNG, SVG}
	if raceEnabled {
		delete(cs, "ranked357")
		delete(cs, "choropleth")
		both = []Format{SVG}
	}
	restore := useTextHandler(plot.DefaultTextHandler)
	want := renderAll(t, cs, both...)
	restore()

	h := newCachedText(plot.DefaultTextHandler.Cache(), measureCacheBytes)
	restore = useTextHandler(h)
	compareRenders(t, "cold cache", want, renderAll(t, cs, both...))
	if h.widths.len() == 0 {
		t.Fatal("the cache holds no widths after rendering: the charts do not use it")
	}
	compareRenders(t, "warm cache", want, renderAll(t, cs, both...))
	restore()

	tiny := newCachedText(plot.DefaultTextHandler.Cache(), 4*widthEntryOverhead)
	restore = useTextHandler(tiny)
	compareRenders(t, "tiny cache", want, renderAll(t, cs, SVG))
	compareRenders(t, "tiny cache again", want, renderAll(t, cs, SVG))
	restore()

	shared := newCachedText(plot.DefaultTextHandler.Cache(), 16<<10)
	restore = useTextHandler(shared)
	defer restore()
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := make([]map[string][]byte, 3)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := map[string][]byte{}
			for name, c := range cs {
				b, err := Bytes(c, SVG)
				if err != nil {
					t.Errorf("%s.svg: %v", name, err)
					return
				}
				out[name+".svg"] = b
			}
			mu.Lock()
			got[i] = out
			mu.Unlock()
		}()
	}
	wg.Wait()
	for i, g := range got {
		compareRenders(t, fmt.Sprintf("goroutine %d", i), want, g)
	}
}

// TestCachedTextAnswersAsPlain: Box, Extents and Lines of cachedText equal
// text.Plain's, cold and warm, for the chart fonts and texts with kerning
// pairs, thin spaces, line breaks and invalid UTF-8.
func TestCachedTextAnswersAsPlain(t *testing.T) {
	plain := text.Plain{Fonts: plot.DefaultTextHandler.Cache()}
	h := newCachedText(plain.Fonts, measureCacheBytes)
	texts := []string{"", "AV To", "12\u2009345,7", "a\nb", "a\n", "\n\n", "x\xffy", "Nærøysund – Trøndelag", strings.Repeat("W", maxCachedText+1)}
	for _, sty := range []text.Style{textStyle(6.5, false, Black), textStyle(11, true, Black), {Font: font.Font{Typeface: "Nope", Variant: "Sans", Size: 9}}} {
		fnt := sty.Font
		if h.Extents(fnt) != plain.Extents(fnt) {
			t.Errorf("Extents(%v) = %v, want %v", fnt, h.Extents(fnt), plain.Extents(fnt))
		}
		for range 2 { // cold, then warm
			for _, s := range texts {
				gw, gh, gd := h.Box(s, fnt)
				ww, wh, wd := plain.Box(s, fnt)
				if gw != ww || gh != wh || gd != wd {
					t.Errorf("Box(%q, %v) = %v, %v, %v, want %v, %v, %v", s, fnt.Size, gw, gh, gd, ww, wh, wd)
				}
				if g, w := h.Lines(s), plain.Lines(s); fmt.Sprintf("%q", g) != fmt.Sprintf("%q", w) {
					t.Errorf("Lines(%q) = %q, want %q", s, g, w)
				}
			}
		}
	}
}

// TestWidthCacheBounded fills a cache of 64 KiB with 10 000 distinct
// strings: it must hold at most two generations of 64 KiB / (len +
// overhead) entries, keep answering the latest widths, and move an entry
// of the old generation back into the current one when it is read.
func TestWidthCacheBounded(t *testing.T) {
	const maxBytes = 64 << 10
	c := newWidthCache(maxBytes)
	key := func(i int) widthKey { return widthKey{1, fmt.Sprintf("label %05d", i)} }
	for i := range 10000 {
		c.put(key(i), vg.Length(i))
	}
	// Each entry is len("label 00000") = 11 bytes + widthEntryOverhead.
	perGen := maxBytes / (11 + widthEntryOverhead)
	if n := c.len(); n > 2*perGen {
		t.Errorf("cache holds %d entries, want at most %d (two generations of %d)", n, 2*perGen, perGen)
	}
	if w, ok := c.get(key(9999)); !ok || w != 9999 {
		t.Errorf("get(latest) = %v, %v, want 9999, true", w, ok)
	}
	if _, ok := c.get(key(0)); ok {
		t.Errorf("get(first of 10000) found an entry that should have been dropped")
	}
	// The first entry of the current generation's predecessor.
	old := 10000 - len(c.cur) - 1
	if _, ok := c.old[key(old)]; !ok {
		t.Fatalf("entry %d is not in the old generation", old)
	}
	if w, ok := c.get(key(old)); !ok || w != vg.Length(old) {
		t.Fatalf("get(old entry) = %v, %v, want %d, true", w, ok, old)
	}
	if _, ok := c.cur[key(old)]; !ok {
		t.Errorf("an entry read from the old generation was not moved to the current one")
	}
}

// TestWrapAllocations: wrapping a caption whose words are separated by
// single spaces allocates only the slice of lines (growing to 1, 2 and 4
// lines for a text wrapped into three): no string per word or junction.
func TestWrapAllocations(t *testing.T) {
	s := "Kilde: syntetiske demodata etter mønster av Statistisk sentralbyrå (SSB), tabell 09429, oppdatert 2025-06-11."
	width := func(s string) vg.Length { return vg.Length(len(s)) } // 1 pt per byte
	lines := wrapWith(width, s, 45)
	if len(lines) != 3 {
		t.Fatalf("wrapWith = %q, want 3 lines", lines)
	}
	if n := testing.AllocsPerRun(100, func() { wrapWith(width, s, 45) }); n > 3 {
		t.Errorf("wrapWith allocates %v times, want at most 3 (the lines slice)", n)
	}
}

// TestSizeOfFixedCharts: a chart kind whose size does not depend on its
// data is drawn at its Meta size (the defaults for zero), which Size
// returns without building the plot; the SVG's own size says the same.
func TestSizeOfFixedCharts(t *testing.T) {
	ts := fixtureBookSeries()
	if w, h := Size(ts); w != DefaultWidth || h != DefaultHeight {
		t.Errorf("Size(time series) = %v × %v, want %v × %v", w, h, DefaultWidth, DefaultHeight)
	}
	d := fixtureDiverging()
	d.Height = DefaultHeight + 33 // points
	w, h := Size(d)
	if w != DefaultWidth || h != DefaultHeight+33 {
		t.Errorf("Size(diverging) = %v × %v, want %v × %v", w, h, DefaultWidth, DefaultHeight+33)
	}
	svg, err := Bytes(d, SVG)
	if err != nil {
		t.Fatal(err)
	}
	// vgsvg writes the size to 5 significant digits.
	if want := fmt.Sprintf(`height="%.5gpt"`, float64(h)); !bytes.Contains(svg, []byte(want)) {
		t.Errorf("the SVG is not drawn at Size's height: no %s", want)
	}
}

// countTicks counts its calls and returns numTicks' ticks.
type countTicks struct{ n *int }

func (c countTicks) Ticks(min, max float64) []plot.Tick {
	*c.n++
	return numTicks{}.Ticks(min, max)
}

// TestMemoTicks: the remembered ticker computes the ticks of a range once
// however often it is asked, again for another range, and hands out
// copies (changing one does not change the next answer).
func TestMemoTicks(t *testing.T) {
	var n int
	m := memoTicks(countTicks{&n})
	want := fmt.Sprint(numTicks{}.Ticks(0, 1.3))
	for range 4 {
		got := m.Ticks(0, 1.3)
		if fmt.Sprint(got) != want {
			t.Fatalf("Ticks(0, 1.3) = %v, want %v", got, want)
		}
		got[0].Label = "changed"
	}
	if n != 1 {
		t.Errorf("4 calls for one range computed the ticks %d times, want 1", n)
	}
	m.Ticks(0, 2)
	if got := fmt.Sprint(m.Ticks(0, 1.3)); got != want || n != 3 {
		t.Errorf("after another range: Ticks(0, 1.3) = %v after %d computations, want %v after 3", got, n, want)
	}
}
