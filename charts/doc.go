// Package charts draws grunnlag's indicator charts with gonum/plot, in
// PNG and SVG, each with the CSV of exactly the numbers it draws. It knows
// nothing of indicators or the knowledge base: a chart is a value of one
// of the kinds below, holding its data as gonum/plot's own small
// interfaces (plotter.XYer, plotter.Valuer, plotter.GridXYZ) plus a
// [Meta] with its texts.
//
// # Kinds
//
//   - [TimeSeries]: a region against its county and the nation over time;
//     NaN values leave gaps; series breaks are dashed vertical lines.
//   - [RankedBars]: all municipalities (or counties, groupings) ranked,
//     the region highlighted, the nation as a dashed reference line. Every
//     unit is a labelled horizontal bar; a chart of more units than fit
//     its height (357 municipalities) grows taller, [BarPitch] per bar.
//     Missing values are not drawn and are counted in the caption.
//   - [DivergingBars]: gaps from zero, blue above and orange below.
//   - [DotInterval]: survey estimates with their intervals.
//   - [Heatmap]: regions × indicators on a diverging scale around a
//     midpoint (gap index, nation = 100); missing cells hatched.
//   - [Pyramid]: a population pyramid with an optional comparator
//     outline.
//   - [Choropleth]: municipalities coloured in quantile classes with a
//     legend; areas without a value or suppressed are hatched grey, never
//     coloured as zero. Boundaries come from [ParseGeoJSON]; the bundled
//     file is charts/mapdata/kommuner-2024.geojson (see its PROVENANCE.md),
//     simplified from Kartverket's data with [Map.Simplify].
//
// # What every chart carries
//
// Title and subtitle (bokmål by default, English when Meta.Lang is
// [English]), axis labels with units, numbers in Norwegian format
// ([FormatNumber]: decimal comma, thin-space thousands, true minus: 12 345,7
// and −4,2), a caption with source, table ID and the source's updated date
// ("Kilde: Statistisk sentralbyrå (SSB), tabell 09429, oppdatert
// 2025-06-11."), notes (series breaks, suppression), and, for synthetic
// data, the line "SYNTETISKE DEMODATA, ikke offisiell statistikk". Colours
// are the Okabe–Ito palette, viridis for sequential and ColorBrewer PuOr
// for diverging scales, all safe for colour-blind readers.
//
// # Output
//
// [Render] writes one chart in one [Format] to an io.Writer (callers write
// files atomically). Output is deterministic: the same chart gives the
// same bytes. [RenderAll] renders many charts on all cores. The CSV of a
// chart ([Chart.Table]) has a header and plain numbers ('.' decimals, full
// precision): exactly the points, bars or areas drawn. [Chart.AltText]
// describes the data in words for screen readers.
package charts
