package charts

import (
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Text measurement was most of the CPU time of a small chart: gonum's
// text.Plain measures a string by walking its glyphs' advances and
// kerning in the font file (font.Face.Width), allocating a glyph buffer
// every time, and gonum/plot measures the same tick labels, legend
// entries and caption lines several times per chart. cachedText is a
// text.Handler that gives the same answers as text.Plain over the same
// font cache, remembering font faces and extents per font and string
// widths per (font, string) in a bounded cache shared by all charts (and
// goroutines). The numbers are the ones text.Plain computes, so the
// drawn output is byte-identical.

// measureCacheBytes bounds the width cache: the bytes of one generation
// of cached strings plus widthEntryOverhead per entry (the whole cache
// holds at most two generations).
const measureCacheBytes = 2 << 20

// widthEntryOverhead is the memory of one cache entry besides its
// string, generously estimated: the key's face number and string header,
// the width and the map's own share.
const widthEntryOverhead = 128

// maxCachedText is the longest string whose width is cached; longer ones
// (rare: caption lines are wrapped to the image width) are measured every
// time.
const maxCachedText = 512

// textHandler is the handler of every text style of this package's
// charts.
var textHandler text.Handler = newCachedText(plot.DefaultTextHandler.Cache(), measureCacheBytes)

// cachedText is a text.Handler that answers as text.Plain{Fonts: fonts}
// but remembers what it measured (see the comment at the top of the file).
// It assumes, as gonum/plot does, that a font descriptor keeps resolving
// to the same face in fonts.
type cachedText struct {
	plain  text.Plain
	faces  *faceCache
	widths *widthCache
}

var _ text.Handler = (*cachedText)(nil)

func newCachedText(fonts *font.Cache, maxBytes int) *cachedText {
	return &cachedText{
		plain:  text.Plain{Fonts: fonts},
		faces:  newFaceCache(fonts),
		widths: newWidthCache(maxBytes),
	}
}

// Cache implements text.Handler.
func (h *cachedText) Cache() *font.Cache { return h.plain.Fonts }

// Extents implements text.Handler.
func (h *cachedText) Extents(fnt font.Font) font.Extents { return h.faces.get(fnt).ext }

// Lines implements text.Handler as text.Plain does, without splitting
// (and its scan) for a text of one line.
func (h *cachedText) Lines(txt string) []string {
	txt = strings.TrimRight(txt, "\n")
	if strings.IndexByte(txt, '\n') < 0 {
		return []string{txt}
	}
	return strings.Split(txt, "\n")
}

// Box implements text.Handler: the width of txt (one line) in fnt, and the
// font's ascent and descent.
func (h *cachedText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	fi := h.faces.get(fnt)
	return h.width(fi, txt), fi.ext.Ascent, fi.ext.Descent
}

// width is the width of txt in the face of fi, from the cache or measured.
func (h *cachedText) width(fi *faceInfo, txt string) vg.Length {
	if len(txt) > maxCachedText {
		return fi.face.Width(txt)
	}
	k := widthKey{fi.id, txt}
	if w, ok := h.widths.get(k); ok {
		return w
	}
	w := fi.face.Width(txt)
	h.widths.put(k, w)
	return w
}

// widthFunc returns sty.Width for texts without line breaks: the cached
// width in sty's face straight from the cache (not negative, as
// text.Style.Width), or sty.Width itself for another handler.
func widthFunc(sty text.Style) func(string) vg.Length {
	h, ok := sty.Handler.(*cachedText)
	if !ok {
		return sty.Width
	}
	fi := h.faces.get(sty.Font)
	return func(s string) vg.Length {
		if w := h.width(fi, s); w > 0 {
			return w
		}
		return 0
	}
}

// lineHeight is the height of one line of text in sty as text.Style.Height
// computes it for a text without line breaks: ascent plus descent.
func lineHeight(sty text.Style) vg.Length {
	e := sty.Handler.Extents(sty.Font)
	var h vg.Length
	h += e.Ascent + e.Descent
	return h
}

// Draw implements text.Handler: text.Plain.Draw, with the face, extents
// and line widths from the caches.
func (h *cachedText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if len(txt) == 0 {
		return
	}
	fi := h.faces.get(sty.Font)
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	cos := vg.Length(cos64)
	sin := vg.Length(sin64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	if strings.IndexByte(txt, '\n') < 0 {
		// One line: sty.Height(txt) is ascent plus descent.
		pt.Y += lineHeight(sty)*vg.Length(sty.YAlign) - fi.ext.Ascent
		xoffs := vg.Length(sty.XAlign) * h.width(fi, txt)
		c.FillString(fi.face, pt.Add(vg.Point{X: xoffs, Y: sty.Font.Size}), txt)
	} else {
		lines := h.Lines(txt)
		ht := sty.Height(txt)
		pt.Y += ht*vg.Length(sty.YAlign) - fi.ext.Ascent
		for i, line := range lines {
			xoffs := vg.Length(sty.XAlign) * h.width(fi, line)
			n := vg.Length(len(lines) - i)
			c.FillString(fi.face, pt.Add(vg.Point{X: xoffs, Y: n * sty.Font.Size}), line)
		}
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}

// faceInfo is a font descriptor's face (as fonts.Lookup returns it), its
// extents and a number that stands for it in the width cache's keys.
type faceInfo struct {
	font font.Font // the descriptor asked for
	face font.Face
	ext  font.Extents
	id   int
}

// faceCache remembers the faces of font descriptors: the charts use a
// dozen (the styles of this package: family, weight and size), so it is
// not bounded, and a scan of them is faster than hashing the
// descriptor's strings. Reads take no lock: the list is replaced, never
// changed, when a font is added.
type faceCache struct {
	fonts *font.Cache
	mu    sync.Mutex // serialises additions
	list  atomic.Pointer[[]*faceInfo]
}

func newFaceCache(fonts *font.Cache) *faceCache {
	c := &faceCache{fonts: fonts}
	c.list.Store(&[]*faceInfo{})
	return c
}

func find(list []*faceInfo, fnt font.Font) *faceInfo {
	for _, fi := range list {
		if fi.font.Size == fnt.Size && fi.font.Weight == fnt.Weight && fi.font.Style == fnt.Style &&
			fi.font.Typeface == fnt.Typeface && fi.font.Variant == fnt.Variant {
			return fi
		}
	}
	return nil
}

func (c *faceCache) get(fnt font.Font) *faceInfo {
	if fi := find(*c.list.Load(), fnt); fi != nil {
		return fi
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.list.Load()
	if fi := find(old, fnt); fi != nil {
		return fi
	}
	face := c.fonts.Lookup(fnt, fnt.Size)
	fi := &faceInfo{font: fnt, face: face, ext: face.Extents(), id: len(old)}
	list := append(append(make([]*faceInfo, 0, len(old)+1), old...), fi)
	c.list.Store(&list)
	return fi
}

// widthKey is a string in a face (faceInfo.id).
type widthKey struct {
	face int
	s    string
}

// widthCache is a bounded map of string widths safe for concurrent use,
// in two generations: new entries go to cur; when cur holds maxBytes, it
// becomes old and a new cur starts, so what was not used during a whole
// generation is dropped, and an entry found in old moves back to cur.
type widthCache struct {
	mu       sync.RWMutex
	cur, old map[widthKey]vg.Length
	curBytes int
	maxBytes int
}

func newWidthCache(maxBytes int) *widthCache {
	return &widthCache{cur: map[widthKey]vg.Length{}, maxBytes: maxBytes}
}

func (c *widthCache) get(k widthKey) (vg.Length, bool) {
	c.mu.RLock()
	w, ok := c.cur[k]
	if ok {
		c.mu.RUnlock()
		return w, true
	}
	w, ok = c.old[k]
	c.mu.RUnlock()
	if ok {
		c.put(k, w)
	}
	return w, ok
}

// put stores the width of k, with a copy of k's string so that the cache
// never keeps a larger text alive through a substring of it.
func (c *widthCache) put(k widthKey, w vg.Length) {
	k.s = strings.Clone(k.s)
	size := len(k.s) + widthEntryOverhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.cur[k]; ok {
		return
	}
	if c.curBytes+size > c.maxBytes {
		c.old, c.cur, c.curBytes = c.cur, make(map[widthKey]vg.Length, len(c.cur)), 0
	}
	c.cur[k] = w
	c.curBytes += size
}

// len returns the number of entries in both generations (for tests).
func (c *widthCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.cur) + len(c.old)
}
