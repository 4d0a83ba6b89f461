// Package publish is the step after `build`: it reads the current
// indicator table (<kb>/indicators/version=<stamp>/indicators.parquet, the
// long schema of pipelines/build) and the catalog from the knowledge base,
// and writes what people read:
//
//	<kb>/book/      the static HTML indicator book (charts/book): index.html,
//	                region/<code>.html, indikator/<id>.html, fig/..., style.css
//	<kb>/charts/    the national chart set, PNG + SVG + CSV per chart:
//	                <indicator>/kommuner, fylker, grupper (ranked bars),
//	                <indicator>/kart (choropleth), <indicator>/fylker-tid
//	                (time series of the counties' gap to the nation is not
//	                drawn; see the book), avviksindeks-fylker (heatmap)
//	<kb>/exports/   indikatorer.xlsx (one sheet per theme, then
//	                «Definisjoner», one row per catalog indicator),
//	                indikatorer.csv (Norwegian Excel flavour),
//	                indikatorer-plain.csv, and needs_vs_supply.{xlsx,csv}
//	                when that dataset exists; streamed from the indicator
//	                table in record batches, each row written once to all
//	                three (see Export); planlegging.xlsx (behov_tilbud,
//	                needs without an offer, offers without demand, the
//	                offer catalog and tilbudsplanlegging) when the offers
//	                are built
//
// Every output directory is replaced atomically: <kb>/book (and
// <kb>/exports) is a symbolic link to a hidden content folder
// (.book.v-<random>); a new folder is written in full and fsynced, and a
// new link renamed over the old one flips to it in one rename, so a kill at
// any instant leaves either the old or the new directory complete, never a
// mix and never none (at worst a leftover hidden folder, removed on the
// next run).
//
// Every indicator sheet ends in the columns retning (the direction the
// rank follows: "lavere er bedre" ranks the lowest first), syntetisk and
// beregnet (from the indicator table's synthetic and computed columns); the
// needs sheet gets syntetisk and beregnet too. A table with no row for any
// catalog indicator exports a «Merknad» sheet instead of failing.
//
// Titles, units, themes (indicators.Themes), the decimals values are
// shown with and directions come from the indicator catalog
// (indicators.Catalog); source, table ID, the source's updated date and the
// synthetic mark from the catalog entries of the datasets each indicator
// reads; series-break titles from indicators.Breaks. "What changed since
// last version" lists the datasets published since the previous indicator
// version with the catalog's added/removed/revised counts, and the
// indicator table's own per-indicator counts computed against the previous
// version: the newest older one in the catalog or, as pipelines/build
// retires superseded versions, in <kb>/secure/versions/indicators/ (read
// with its sha256 checked). Nothing derived from firms' responses is
// compared: neither the firm-derived datasets (needs.FirmDerived) nor the
// indicators computed from them (needs.FirmDerivedIndicators), since the
// difference of two versions of those is one firm's answer when one
// response was added or removed. The book and the exports are replaced
// whole on each run (the old content folder is removed after the swap), so
// no older run's figures stay readable beside the new ones.
package publish

// CodeVersion identifies the publishing code (charts, book, exports) in the
// pipeline's DAG: a change re-draws them even when the indicators did not
// change.
const CodeVersion = "grunnlag-publish/2"
