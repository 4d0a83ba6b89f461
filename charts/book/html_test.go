package book

import (
	"bytes"
	"context"
	"html/template"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/grunnlag/grunnlag/charts"
)

// figTemplate and tableTemplate are the templates html.go replaced, as the
// book used them: the reference the Go writers are compared with.
const figTemplate = `{{define "fig"}}<figure data-axes="{{join .Axes}}" data-legend="{{join .Legend}}">
<img src="{{.Src}}" alt="{{.Alt}}" width="{{.Width}}" height="{{.Height}}">
<figcaption><a href="{{.CSV}}">{{$.CSVText}}</a></figcaption>
</figure>{{end}}`

const tableTemplate = `{{define "table"}}<table>
<caption>{{.Caption}}</caption>
<thead><tr>{{range .Header}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<th scope="row">{{$c}}</th>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</tbody>
</table>{{end}}`

// referenceFuncs are the functions the reference templates called.
var referenceFuncs = template.FuncMap{
	"join": func(ss []string) string { return strings.Join(ss, " | ") },
	"fig": func(f *figure, csvText string) map[string]any {
		return map[string]any{"Src": f.Src, "Alt": f.Alt, "CSV": f.CSV, "Width": f.Width, "Height": f.Height, "CSVText": csvText,
			"Axes": f.Axes, "Legend": f.Legend}
	},
}

// referenceTemplates are the book's templates with the figures and tables
// written by the reference templates again.
func referenceTemplates() (*template.Template, error) {
	back := func(s string) string {
		s = regexp.MustCompile(`\{\{figure ([^}]*)\}\}`).ReplaceAllString(s, `{{template "fig" (fig $1)}}`)
		return regexp.MustCompile(`\{\{table ([^}]*)\}\}`).ReplaceAllString(s, `{{template "table" $1}}`)
	}
	return parseTemplates(back(layout+greenTemplate)+figTemplate+tableTemplate, back(planningLayout), referenceFuncs)
}

// hostile holds what html/template escapes in each context: NUL, both
// quotes, '&', '+', '<', '>', letters beyond ASCII, an invalid byte, a
// noncharacter, and for URLs spaces, parentheses, '%' and a javascript:
// scheme.
var hostile = []string{"", "plain", "a\x00b", `"quoted" & 'single'`, "1+1<2>0", "æøå Sámi ÆØÅ", "bad \xff byte", "\ufdd0", "=cmd|' /C calc'!A0",
	"fig/r/5001.a b(c).svg", "fig/x%41+y&z?q=1#frag", "javascript:alert(1)", "JavaScript:x", "https://ssb.no/a?b=c&d", "mailto:a@b", "data:text/html,x", "rel/with:colon", "//host/path"}

// TestHTMLWritersMatchTemplates: the table and figure writers give, byte
// for byte, what html/template gave with the templates they replaced, for
// every hostile string in every field.
func TestHTMLWritersMatchTemplates(t *testing.T) {
	ref, err := template.New("ref").Funcs(referenceFuncs).Parse(figTemplate + tableTemplate +
		`{{define "f"}}{{template "fig" (fig .F .T)}}{{end}}{{define "t"}}{{template "table" .}}{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, data any, got template.HTML) {
		t.Helper()
		var want bytes.Buffer
		if err := ref.ExecuteTemplate(&want, name, data); err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("got\n%s\nwant\n%s", got, want.String())
		}
	}
	for _, s := range hostile {
		f := &figure{Src: s, Alt: s, CSV: s, Width: 640, Height: -3, Axes: []string{s, s}, Legend: []string{s}}
		check("f", map[string]any{"F": f, "T": s}, f.html(s))
		tb := &dataTable{Caption: s, Header: []string{s, "x"}, Rows: [][]string{{s, s, s}, {"a"}, {}}}
		check("t", tb, tb.html())
	}
	empty := &dataTable{}
	check("t", empty, empty.html())
	check("f", map[string]any{"F": &figure{}, "T": ""}, (&figure{}).html(""))
}

// TestPagesMatchTemplates: every page of a demo-sized book, in bokmål and
// in English, is byte for byte the page the reference templates write.
func TestPagesMatchTemplates(t *testing.T) {
	for _, lang := range []charts.Lang{charts.Bokmal, charts.English} {
		in := demoSizeInput()
		in.Lang = lang
		pages := func(opts Options) map[string]string {
			var mu sync.Mutex
			out := map[string]string{}
			opts.Carry = func(charts.Job) bool { return true } // pages only
			_, err := Build(context.Background(), in, opts, func(rel string, data []byte) error {
				if strings.HasSuffix(rel, ".html") {
					mu.Lock()
					out[rel] = string(data)
					mu.Unlock()
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		got, want := pages(Options{}), pages(Options{templates: referenceTemplates})
		if len(got) < 300 || len(got) != len(want) {
			t.Fatalf("%s: %d pages, the reference %d", lang, len(got), len(want))
		}
		tables := 0
		for rel, w := range want {
			tables += strings.Count(w, "<table>")
			if got[rel] != w {
				t.Errorf("%s: %s differs from the reference templates' page", lang, rel)
			}
		}
		if tables == 0 || !strings.Contains(strings.Join(mapValues(want), ""), "<figure") {
			t.Fatalf("%s: the pages hold %d tables and no figure: nothing compared", lang, tables)
		}
	}
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
