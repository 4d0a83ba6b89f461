package book

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
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
		if _, err := Build(context.Background(), synthInput(), Options{}, w); err != nil {
			t.Fatal(err)
		}
	} else {
		sample = 10
	}
	pages := pagesToCheck(t, dir, sample)
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
