package book

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/charts"
)

// The browser test opens the book in a real headless browser (Debian's
// chromium). It runs when /usr/bin/chromium exists (or GRUNNLAG_CHROMIUM
// names a binary) and skips otherwise.
//
// The book is served by a loopback httptest server that records every
// request: a page passes when chromium's --dump-dom shows its heading, the
// server answered every request with 200 (no missing image, stylesheet or
// link target), every <img> of the page was fetched, and chromium's log
// (--enable-logging=stderr --v=0, which prints every console message as
// "INFO:CONSOLE") holds no console message at all (the book has no
// scripts, so any console output is an error such as a blocked resource).
// Background networking, component updates and sync are off, so the only
// requests are the book's.
//
// By default the synthetic book of synthInput is checked page by page.
// GRUNNLAG_BOOK_DIR=<kb>/book checks an already built book instead (the
// index, every county page and every tenth other page). A screenshot of a
// region page is written to GRUNNLAG_ARTIFACTS (default: t.TempDir()),
// together with the page printed to PDF, whose page size must be A4.
//
// The printed PDF's text (poppler-utils' pdftotext; the check skips,
// saying so, when it is not installed) must show "Side N av M" on every
// page N of the M the PDF has, and the running head "<region> · <date>"
// of the page's print rule. Every figure of every region page must carry
// a guide (data-axes or data-legend, guide.go) that equals what the chart
// it shows holds (its axis titles, line names, sexes, colour scale), and
// every entry of it must be drawn in the figure's SVG.

func chromiumPath() string {
	if p := os.Getenv("GRUNNLAG_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

type requestLog struct {
	mu   sync.Mutex
	seen map[string]int // path → status
}

func (l *requestLog) handler(dir string) http.Handler {
	fs := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		fs.ServeHTTP(rec, r)
		l.mu.Lock()
		l.seen[r.URL.Path] = rec.status
		l.mu.Unlock()
	})
}

func (l *requestLog) reset() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.seen
	l.seen = map[string]int{}
	return s
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// chromium runs the browser headless with a fresh profile.
func chromium(t *testing.T, bin string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

var (
	consoleRe = regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`)
	h1Re      = regexp.MustCompile(`<h1>[^<]+</h1>`)
	srcRe     = regexp.MustCompile(`<img [^>]*src="([^"]+)"`)
)

func TestBrowser(t *testing.T) {
	bin := chromiumPath()
	if bin == "" {
		t.Skip("chromium not found: install Debian's chromium (apt-get install -y chromium) or set GRUNNLAG_CHROMIUM to run the browser test")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	dir := os.Getenv("GRUNNLAG_BOOK_DIR")
	sample := 1
	if dir == "" {
		dir = t.TempDir()
		w, _ := writeDir(dir)
		if _, err := Build(context.Background(), browserInput(), Options{}, w); err != nil {
			t.Fatal(err)
		}
	} else {
		sample = 10
	}
	pages := pagesToCheck(t, dir, sample)
	// The guides the figures must carry, from the charts themselves (for
	// the synthetic book; an already built book is checked against what
	// its SVGs draw only).
	var want map[string]charts.Chart
	if os.Getenv("GRUNNLAG_BOOK_DIR") == "" {
		want = chartsOf(t, browserInput())
	}
	log := &requestLog{seen: map[string]int{}}
	srv := httptest.NewServer(log.handler(dir))
	defer srv.Close()
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			log.reset()
			url := srv.URL + "/" + p
			if p == "index.html" {
				url = srv.URL + "/" // http.FileServer redirects /index.html to /
			}
			dom, stderr := chromium(t, bin, "--dump-dom", url)
			seen := log.reset()
			if !h1Re.MatchString(dom) {
				t.Errorf("%s: the rendered DOM has no <h1>", p)
			}
			if msgs := consoleRe.FindAllString(stderr, -1); len(msgs) > 0 {
				t.Errorf("%s: console messages:\n%s", p, strings.Join(msgs, "\n"))
			}
			for path, status := range seen {
				if status != http.StatusOK && path != "/favicon.ico" {
					t.Errorf("%s: request %s answered %d", p, path, status)
				}
			}
			for _, m := range srcRe.FindAllStringSubmatch(dom, -1) {
				want := "/" + pathJoin(p, m[1])
				if _, ok := seen[want]; !ok {
					t.Errorf("%s: image %s was not loaded", p, want)
				}
			}
			if _, ok := seen["/"+pathJoin(p, "../style.css")]; !ok && p != "index.html" {
				t.Errorf("%s: stylesheet not loaded", p)
			}
			checkFigures(t, dir, p, dom, want)
		})
	}
	// Screenshot and A4 print of a region page, kept as artifacts.
	out := os.Getenv("GRUNNLAG_ARTIFACTS")
	if out == "" {
		out = t.TempDir()
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	region := "region/4001.html"
	shot := filepath.Join(out, "region-4001.png")
	pdf := filepath.Join(out, "region-4001.pdf")
	chromium(t, bin, "--screenshot="+shot, "--window-size=1100,2400", "--hide-scrollbars", srv.URL+"/"+region)
	b, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if r := img.Bounds(); r.Dx() != 1100 || r.Dy() != 2400 {
		t.Errorf("screenshot is %v, want 1100×2400", r)
	}
	t.Logf("screenshot of %s: %s", region, shot)
	chromium(t, bin, "--print-to-pdf="+pdf, "--no-pdf-header-footer", srv.URL+"/"+region)
	pb, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatalf("no PDF: %v", err)
	}
	checkPrintedPages(t, pdf, pb, runningHead(t, dir, region))
	// A4 is 210 × 297 mm = 595.28 × 841.89 pt; chromium rounds the
	// MediaBox to whole or near-whole points.
	mb := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]`).FindSubmatch(pb)
	if mb == nil {
		t.Fatalf("the PDF has no MediaBox")
	}
	var w, h float64
	fmt.Sscan(string(mb[1]), &w)
	fmt.Sscan(string(mb[2]), &h)
	if w < 594 || w > 597 || h < 841 || h > 843 {
		t.Errorf("printed page is %v × %v pt, want A4 (595.28 × 841.89)", w, h)
	}
}

// pathJoin resolves a link relative to a page.
func pathJoin(page, link string) string {
	return path.Clean(path.Join(path.Dir(page), link))
}

func pagesToCheck(t *testing.T, dir string, every int) []string {
	t.Helper()
	var pages []string
	for _, sub := range []string{"region", "indikator"} {
		ents, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range ents {
			name := e.Name()
			county := len(strings.TrimSuffix(name, ".html")) == 2
			if i%every == 0 || county || name == "4001.html" {
				pages = append(pages, sub+"/"+name)
			}
		}
	}
	sort.Strings(pages)
	return append([]string{"index.html"}, pages...)
}

// writeDir returns a write function storing files under dir.
func writeDir(dir string) (func(string, []byte) error, *sync.Map) {
	var files sync.Map
	return func(rel string, data []byte) error {
		files.Store(rel, data)
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	}, &files
}

var (
	figRe     = regexp.MustCompile(`<figure data-axes="([^"]*)" data-legend="([^"]*)">\s*<img [^>]*src="([^"]+)"`)
	imgAnyRe  = regexp.MustCompile(`<img [^>]*src="[^"]*fig/`)
	headCSSRe = regexp.MustCompile(`@top-left \{ content: "([^"]*)"; \}`)
	pageNumRe = regexp.MustCompile(`Side (\d+) av (\d+)`)
)

// chartsOf returns the charts of every region page of in by image path
// (relative to the book's root).
func chartsOf(t *testing.T, in *Input) map[string]charts.Chart {
	t.Helper()
	d, err := index(in)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]charts.Chart{}
	for _, r := range d.regions {
		_, jobs := d.regionPage(r)
		for _, j := range jobs {
			out[j.Name+".svg"] = j.Chart
		}
	}
	return out
}

// wantGuide is what a chart's figure must list, read from the chart's own
// fields: axis titles, and the legend (line names with a value, a
// pyramid's sexes and comparator, a heatmap's scale title).
func wantGuide(c charts.Chart) (axes, legend []string) {
	m := c.Info()
	for _, a := range []string{m.XLabel, m.YLabel} {
		if a != "" {
			axes = append(axes, a)
		}
	}
	switch c := c.(type) {
	case *charts.TimeSeries:
		for _, l := range c.Lines {
			for i := range l.XY.Len() {
				if _, y := l.XY.XY(i); !math.IsNaN(y) {
					legend = append(legend, l.Name)
					break
				}
			}
		}
	case *charts.Pyramid:
		legend = []string{c.LeftLabel, c.RightLabel}
		if c.CompareLeft != nil {
			legend = append(legend, c.CompareLabel)
		}
	case *charts.Heatmap:
		legend = []string{c.ScaleLabel}
	case *charts.RankedBars:
		if !math.IsNaN(c.Reference) {
			legend = []string{c.RefLabel}
		}
	}
	return axes, legend
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, " | ")
}

// checkFigures checks every figure of a region page: it has a legend or a
// titled axis, the guide equals the chart's (want, by image path; nil
// skips that), and every entry is drawn in the SVG.
func checkFigures(t *testing.T, dir, page, dom string, want map[string]charts.Chart) {
	t.Helper()
	if !strings.HasPrefix(page, "region/") {
		return
	}
	figs := figRe.FindAllStringSubmatch(dom, -1)
	if n := len(imgAnyRe.FindAllString(dom, -1)); n != len(figs) {
		t.Errorf("%s: %d chart images, %d of them in a figure with a guide", page, n, len(figs))
	}
	for _, f := range figs {
		axes, legend, src := split(html.UnescapeString(f[1])), split(html.UnescapeString(f[2])), pathJoin(page, f[3])
		if len(axes) == 0 && len(legend) == 0 {
			t.Errorf("%s: %s has neither a legend nor a titled axis", page, src)
		}
		if c, ok := want[src]; ok {
			wa, wl := wantGuide(c)
			if strings.Join(wa, "|") != strings.Join(axes, "|") {
				t.Errorf("%s: %s axes %q, the chart's are %q", page, src, axes, wa)
			}
			// A heatmap's legend lists its class bounds after the title.
			if n := len(wl); n > len(legend) || strings.Join(wl, "|") != strings.Join(legend[:n], "|") {
				t.Errorf("%s: %s legend %q, the chart's is %q", page, src, legend, wl)
			}
		} else if want != nil {
			t.Errorf("%s: %s is not a chart of the page", page, src)
		}
		if !strings.HasSuffix(src, ".svg") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(src)))
		if err != nil {
			t.Errorf("%s: %v", page, err)
			continue
		}
		var drawn []string
		for _, m := range svgTxtRe.FindAllStringSubmatch(string(b), -1) {
			drawn = append(drawn, html.UnescapeString(m[1]))
		}
		all := strings.Join(drawn, "\n")
		for _, e := range append(append([]string(nil), axes...), legend...) {
			if !strings.Contains(all, e) {
				t.Errorf("%s: %s lists %q, which its SVG does not draw", page, src, e)
			}
		}
	}
}

// runningHead returns the running head a page's print rule sets.
func runningHead(t *testing.T, dir, page string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(page)))
	if err != nil {
		t.Fatal(err)
	}
	m := headCSSRe.FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s: no running head in its print rule", page)
	}
	return html.UnescapeString(string(m[1]))
}

// checkPrintedPages checks the text of a printed PDF page by page
// (pdftotext puts a form feed after every page): "Side N av M" on page N,
// M the number of pages of the PDF, and the running head on every page.
func checkPrintedPages(t *testing.T, pdf string, pb []byte, head string) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Logf("pdftotext not found (apt-get install poppler-utils): the printed page numbers and running heads are not checked")
		return
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f\n"), "\f")
	// The PDF's own page count: one /Type /Page object per page.
	n := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pb, -1))
	if n != len(pages) || n < 2 {
		t.Errorf("the PDF has %d page objects and pdftotext found %d pages; want the same, at least 2", n, len(pages))
	}
	for i, text := range pages {
		nums := pageNumRe.FindAllStringSubmatch(text, -1)
		want := fmt.Sprintf("Side %d av %d", i+1, len(pages))
		if len(nums) != 1 || nums[0][0] != want {
			t.Errorf("printed page %d: page numbers %q, want one %q", i+1, nums, want)
		}
		if strings.Count(text, head) != 1 {
			t.Errorf("printed page %d: running head %q found %d times, want once", i+1, head, strings.Count(text, head))
		}
	}
	if !t.Failed() {
		t.Logf("printed %d pages, each with %q and its page number", len(pages), head)
	}
}

// browserInput is synthInput with its population, so the region pages
// carry pyramids.
func browserInput() *Input {
	in := synthInput()
	in.Population = synthPopulation()
	return in
}
