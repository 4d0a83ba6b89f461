package book

import (
	_ "embed"
	"fmt"
	"html/template"
)

//go:embed assets/style.css
var styleCSS []byte

const layout = `{{define "head"}}<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .PageTitle}}{{.PageTitle}} – {{end}}{{.BookTitle}}</title>
<link rel="stylesheet" href="{{.CSS}}">
{{if .RunningHead}}<style>@media print { @page { @top-left { content: "{{.RunningHead}}"; } @bottom-right { content: "{{.Text.PageWord}} " counter(page) " {{.Text.PageOf}} " counter(pages); } } }</style>
{{end}}</head>
<body>
<a class="skip" href="#main">{{.Text.Skip}}</a>
<header class="site"><span class="title">{{.BookTitle}}</span><nav aria-label="{{.Text.Index}}"><a href="{{.Home}}">{{.Text.Back}}</a></nav></header>
{{if .Synthetic}}<p class="banner" role="note">{{.Text.SyntheticBanner}}</p>{{end}}
{{end}}
{{define "foot"}}<footer><p>{{.Text.Version}}: {{.Version}}.{{if .Synthetic}} {{.Text.SyntheticBanner}}{{end}}</p></footer>
</body>
</html>
{{end}}
{{define "changes"}}<section aria-labelledby="endringer">
<h2 id="endringer">{{.Text.Changes}}</h2>
{{if .Changes}}<p>{{.Text.ChangesIntro}}</p>
<table>
<caption>{{.Text.Changes}}{{if .Previous}} ({{.Previous}} → {{.Version}}){{end}}</caption>
<thead><tr><th scope="col">{{.Text.Dataset}}</th><th scope="col">{{.Text.Version}}</th><th scope="col">{{.Text.Added}}</th><th scope="col">{{.Text.Removed}}</th><th scope="col">{{.Text.Revised}}</th></tr></thead>
<tbody>{{range .Changes}}<tr><th scope="row">{{if .Title}}{{.Title}}{{else}}{{.Name}}{{end}}</th><td>{{.Stamp}}</td><td>{{.Added}}</td><td>{{.Removed}}</td><td>{{.Revised}}</td></tr>
{{end}}</tbody>
</table>{{else}}<p>{{.Text.ChangesNone}}</p>{{end}}
</section>{{end}}

{{define "index"}}{{template "head" (page . "style.css" "index.html" "")}}
<main id="main">
<h1>{{.BookTitle}}</h1>
<p>{{.Text.IndexIntro}}</p>
<nav class="toc" aria-label="{{.Text.Regions}}">
<h2>{{.Text.Nation}}</h2>
<ul>{{range .Nation}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{end}}</ul>
{{if .Counties}}<h2>{{.Text.Counties}}</h2>
<ul class="cols">{{range .Counties}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{end}}</ul>{{end}}
{{if .Groupings}}<h2>{{.Text.Groupings}}</h2>
<ul class="cols">{{range .Groupings}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{end}}</ul>{{end}}
<h2>{{.Text.Municipalities}}</h2>
{{range .ByCounty}}<h3><a href="{{.County.Href}}">{{.County.Text}}</a></h3>
<ul class="cols">{{range .Munis}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{end}}</ul>
{{end}}{{if .Unassigned}}<h3>{{.Text.Unassigned}}</h3>
<ul class="cols">{{range .Unassigned}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{end}}</ul>{{end}}
</nav>
{{if .Planning}}<h2 id="behov-og-tilbud">{{.PlanningHeading}}</h2>
<ul class="cols">{{range .Planning}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{end}}</ul>{{end}}
<h2>{{.Text.Indicators}}</h2>
<ul class="cols">{{range .Indicators}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{end}}</ul>
{{template "changes" .}}
</main>
{{template "foot" .}}{{end}}

{{define "region"}}{{template "head" (page . "../style.css" "../index.html" .Region.Name)}}
<main id="main">
<h1>{{.Region.Name}}</h1>
<p class="level">{{.LevelName}}{{if ne .Region.Level "land"}} ({{.Region.Code}}){{end}}</p>
{{if .Parents}}<p>{{.Text.PartOf}}: {{range $i, $p := .Parents}}{{if $i}}, {{end}}<a href="{{$p.Href}}">{{$p.Text}}</a>{{end}}</p>{{end}}
{{if .Planning}}<p class="planning-link"><a href="{{.Planning.Href}}">{{.Planning.Text}}: {{.Region.Name}}</a></p>{{end}}
<nav class="toc noprint" aria-label="{{.Text.Index}}"><ul>{{if .Summary}}<li><a href="#avvik">{{.Text.Summary}}</a></li>{{end}}<li><a href="#befolkning">{{.Text.Population}}</a></li>{{range .Themes}}<li><a href="#tema-{{.ID}}">{{.Title}}</a></li>{{end}}<li><a href="#endringer">{{.Text.Changes}}</a></li></ul></nav>
{{if .Summary}}<section aria-labelledby="avvik"><h2 id="avvik">{{.Text.Summary}}</h2>
{{figure .Summary .Text.DataCSV}}</section>{{end}}
<section aria-labelledby="befolkning"><h2 id="befolkning">{{.Text.Population}}</h2>
{{if .Pyramid}}{{figure .Pyramid .Text.DataCSV}}{{else}}<p class="note">{{.PyramidNote}}</p>{{end}}</section>
{{range .Themes}}<section aria-labelledby="tema-{{.ID}}">
<h2 id="tema-{{.ID}}">{{.Title}}</h2>
{{range .Blocks}}<article class="indicator" aria-labelledby="ind-{{.ID}}">
<h3 id="ind-{{.ID}}">{{.Title}}</h3>
{{if .Description}}<p class="desc">{{.Description}}</p>{{end}}
<dl class="key">
<dt>{{$.Text.KeyNumber}}{{if .Period}} {{.Period}}{{end}}</dt><dd class="keynum">{{.Key}}</dd>
{{if .Gap}}<dt>{{$.Text.Gap}}</dt><dd>{{.Gap}}{{if .GapCounty}}; {{.GapCounty}}{{end}}</dd>{{else if .GapCounty}}<dt>{{$.Text.Gap}}</dt><dd>{{.GapCounty}}</dd>{{end}}
{{if .Trend}}<dt>{{$.Text.Trend}}</dt><dd>{{.Trend}}</dd>{{end}}
{{if .Rank}}<dt>{{$.Text.RankLabel}}</dt><dd>{{.Rank}}</dd>{{end}}
</dl>
{{if .Fig}}{{figure .Fig $.Text.DataCSV}}{{end}}
{{if .Table}}{{table .Table}}{{end}}
{{if .Notes}}<div class="notes"><h4>{{$.Text.Notes}}</h4><ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul></div>{{end}}
<p class="noprint"><a href="{{.IndicatorHref}}">{{$.Text.AboutIndicator}}: {{.Title}}</a></p>
</article>
{{end}}{{if .Green}}{{template "green" .Green}}{{end}}</section>
{{end}}
{{if .Heat}}<section aria-labelledby="kommunene"><h2 id="kommunene">{{.Text.Heat}}</h2>
{{figure .Heat .Text.DataCSV}}</section>{{end}}
{{if .Members}}<section aria-labelledby="medlemmer"><h2 id="medlemmer">{{.Text.Members}}</h2>
<ul class="cols">{{range .Members}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{end}}</ul></section>{{end}}
{{template "changes" .}}
</main>
{{template "foot" .}}{{end}}

{{define "indicator"}}{{template "head" (page . "../style.css" "../index.html" .Ind.Title)}}
<main id="main">
<h1>{{.Ind.Title}}</h1>
{{if .Ind.Description}}<p class="desc">{{.Ind.Description}}</p>{{end}}
{{if .Period}}<p>{{.Text.Period}}: {{.Period}}</p>{{end}}
{{range .Figures}}{{figure . $.Text.DataCSV}}{{end}}
{{if .Table}}{{table .Table}}{{end}}
{{if .Definition}}<section class="definition" aria-labelledby="om">
<h2 id="om">{{.Text.DefTitle}}</h2>
<dl class="def">{{range .Definition}}<dt>{{.Label}}</dt><dd>{{if .List}}<ul>{{range .List}}<li>{{.}}</li>{{end}}</ul>{{else}}{{.Value}}{{end}}</dd>
{{end}}</dl>
{{if .Inputs}}{{table .Inputs}}{{end}}
</section>{{end}}
</main>
{{template "foot" .}}{{end}}
`

// templates parses the book's templates.
func templates() (*template.Template, error) {
	return parseTemplates(layout+greenTemplate, planningLayout, nil)
}

// parseTemplates parses the templates pages and planning with the book's
// functions and extra ones (a test's).
func parseTemplates(pages, planning string, extra template.FuncMap) (*template.Template, error) {
	t, err := template.New("book").Funcs(template.FuncMap{
		"page": func(p any, css, home, title string) map[string]any {
			m := map[string]any{"CSS": css, "Home": home, "PageTitle": title}
			switch x := p.(type) {
			case *indexPage:
				addCommon(m, x.common)
			case *regionPage:
				addCommon(m, x.common)
			case *indicatorPage:
				addCommon(m, x.common)
			case *planningPage:
				addCommon(m, x.common)
			}
			return m
		},
		// figure and table write a figure or a data table (html.go).
		"figure": func(f *figure, csvText string) template.HTML { return f.html(csvText) },
		"table":  func(t *dataTable) template.HTML { return t.html() },
	}).Funcs(extra).Parse(pages)
	if err == nil {
		t, err = t.Parse(planning)
	}
	if err != nil {
		return nil, fmt.Errorf("book: templates: %w", err)
	}
	return t, nil
}

func addCommon(m map[string]any, c common) {
	m["BookTitle"], m["Lang"], m["Version"], m["Synthetic"], m["Text"] = c.BookTitle, c.Lang, c.Version, c.Synthetic, c.Text
	m["RunningHead"] = c.RunningHead
}
