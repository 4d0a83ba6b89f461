package book

import (
	"html/template"
	"strconv"
	"strings"
)

// The book's tables and figures are written here rather than by
// html/template: its reflection and escaper calls per cell made them 45 %
// of the pages' time, and a region page holds about 25 of each
// (BenchmarkPages, 2026-12-07: 265 ms a book with the two templates, 184
// without the tables, 225 without the figures; 170-200 with these
// writers). The bytes are the
// ones the templates they replace wrote (figTemplate and tableTemplate in
// html_test.go, compared there on hostile strings): text and quoted
// attribute values escaped as html/template escapes a string (its
// htmlEscaper and attrEscaper), URL attributes filtered and normalised as
// its urlFilter and urlNormalizer do.

// appendText appends s escaped as html/template escapes a string in text
// or in a quoted attribute: NUL, the quotes, '&', '+', '<' and '>'
// replaced, everything else (other bytes of any UTF-8 sequence, which are
// never below 0x80) as it is.
func appendText(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, repl...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// appendURL appends s as html/template writes a whole URL attribute value
// (src, href): a scheme other than http, https or mailto replaced by
// "#ZgotmplZ", every byte that is neither unreserved, reserved nor '%'
// percent-encoded (lower-case hex, as it does), then escaped as text.
func appendURL(b []byte, s string) []byte {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		s = "#ZgotmplZ"
	}
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b = append(b, c)
		case strings.IndexByte("-._~!#$*,/:;=?@[]%", c) >= 0:
			b = append(b, c)
		case c == '&':
			b = append(b, "&amp;"...)
		case c == '+':
			b = append(b, "&#43;"...)
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}

// html is the table as the "table" template wrote it: a caption, a header
// row of column headings and the rows, each row's first cell its heading.
func (t *dataTable) html() template.HTML {
	if t == nil {
		return ""
	}
	b := make([]byte, 0, 256+64*len(t.Rows)*len(t.Header))
	b = append(b, "<table>\n<caption>"...)
	b = appendText(b, t.Caption)
	b = append(b, "</caption>\n<thead><tr>"...)
	for _, h := range t.Header {
		b = append(b, `<th scope="col">`...)
		b = appendText(b, h)
		b = append(b, "</th>"...)
	}
	b = append(b, "</tr></thead>\n<tbody>"...)
	for _, r := range t.Rows {
		b = append(b, "<tr>"...)
		for i, c := range r {
			if i == 0 {
				b = append(b, `<th scope="row">`...)
				b = appendText(b, c)
				b = append(b, "</th>"...)
			} else {
				b = append(b, "<td>"...)
				b = appendText(b, c)
				b = append(b, "</td>"...)
			}
		}
		b = append(b, "</tr>\n"...)
	}
	b = append(b, "</tbody>\n</table>"...)
	return template.HTML(b)
}

// html is the figure as the "fig" template wrote it: the image with its
// size and alternative text, the axes and legend entries as attributes
// (separated by " | ") and a caption linking the chart's data as csvText.
func (f *figure) html(csvText string) template.HTML {
	if f == nil {
		return ""
	}
	b := make([]byte, 0, 256+len(f.Alt))
	b = append(b, `<figure data-axes="`...)
	b = appendText(b, strings.Join(f.Axes, " | "))
	b = append(b, `" data-legend="`...)
	b = appendText(b, strings.Join(f.Legend, " | "))
	b = append(b, "\">\n<img src=\""...)
	b = appendURL(b, f.Src)
	b = append(b, `" alt="`...)
	b = appendText(b, f.Alt)
	b = append(b, `" width="`...)
	b = strconv.AppendInt(b, int64(f.Width), 10)
	b = append(b, `" height="`...)
	b = strconv.AppendInt(b, int64(f.Height), 10)
	b = append(b, "\">\n<figcaption><a href=\""...)
	b = appendURL(b, f.CSV)
	b = append(b, `">`...)
	b = appendText(b, csvText)
	b = append(b, "</a></figcaption>\n</figure>"...)
	return template.HTML(b)
}
