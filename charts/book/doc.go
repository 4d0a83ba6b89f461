// Package book writes the regional indicator book: a static HTML site
// that works offline from the file system (no scripts, fonts or anything
// else from the network), prints as tidy A4 pages, and is accessible
// (headings, alt text written from each chart's data, data tables with
// captions and scoped headers, a skip link, lang attribute).
//
// Input is the long indicator table (DESIGN.md, "Indicator schema (long)")
// as [Row] values, with indicator descriptions ([Indicator]), themes,
// series-break titles and "what changed" lines ([Change]). Layout of the
// book:
//
//	index.html                 every region, by level and by county: any
//	                           page is one click away
//	region/<code>.html         one page per municipality, grouping, county
//	                           and the nation: indicators by theme, each with
//	                           chart, key number, gap to the nation and the
//	                           county in words ("4,2 prosentpoeng lavere enn
//	                           landet"), trend, rank, notes on breaks,
//	                           suppression and uncertainty, and a table of
//	                           the last five periods; a chart of the gaps;
//	                           for counties and groupings a heatmap of their
//	                           municipalities; "what changed" at the end
//	indikator/<id>.html        the map of municipalities and ranked bars of
//	                           municipalities, counties and groupings
//	planlegging/<code>.html    "Behov og tilbud – <region>" (when
//	                           Input.Planning is set): needs without an
//	                           offer first (a suppressed need as "prikket"
//	                           with the reason), then matched needs with
//	                           their best offers, offers without demand, and
//	                           the region's rows of the planning table
//	fig/...                    the charts (SVG; maps PNG) with a CSV each
//	style.css                  screen and print (@page A4) styles
//
// [Build] renders through charts.RenderAll on all cores and hands every
// file to a write callback; it never touches the file system, so the
// caller decides how to publish (pipelines/publish writes atomically).
// [Charts] renders the national chart set (PNG, SVG and CSV) the same way.
//
// Every chart CSV is neutralised against formula injection as the exports
// are (charts/export.Neutralise): a text cell from data starting with '=',
// '+', '-', '@', a tab or CR gets a leading apostrophe, so a label such as
// "=HYPERLINK(...)" is text in a spreadsheet; numbers are left as they are.
package book
