package httpx

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseRetryAfter: a server's Retry-After never panics the parser, and
// an accepted value is a delay between 0 and 24 h.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", " 1 ", "0", "-5", "Wed, 21 Oct 2015 07:28:30 GMT", "soon", "99999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2015, 10, 21, 7, 28, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if ok && (d < 0 || d > 24*time.Hour) {
			t.Errorf("ParseRetryAfter(%q) = %v, want within [0, 24h]", v, d)
		}
		if !ok && d != 0 {
			t.Errorf("ParseRetryAfter(%q) = %v, false; want 0 when not ok", v, d)
		}
	})
}

// FuzzShortURL: the shown URL is never longer than MaxShownURL runes plus
// the ellipsis, and a short valid URL is shown whole.
func FuzzShortURL(f *testing.F) {
	f.Add("https://h/x?a=b")
	f.Add("https://data.ssb.no/api/pxwebapi/v2/tables/09429/data?" + strings.Repeat("a=b&", 100))
	f.Add(strings.Repeat("ø", 300))
	f.Fuzz(func(t *testing.T, u string) {
		if !utf8.ValidString(u) {
			return
		}
		got := ShortURL(u)
		if n := utf8.RuneCountInString(got); n > MaxShownURL+1 {
			t.Errorf("ShortURL(%d runes) = %d runes, want at most %d", utf8.RuneCountInString(u), n, MaxShownURL+1)
		}
		if utf8.RuneCountInString(u) <= MaxShownURL && got != u {
			t.Errorf("ShortURL(%q) = %q, want it whole", u, got)
		}
	})
}
