// Package sources holds everything that speaks a foreign protocol or
// format, and the contract every source of the refresh pipeline meets.
//
// Each source is its own sub-package: pxweb (Statistics Norway's StatBank
// and any PxWebApi installation), nav (NAV's published files), udir (Udir's
// statistics portal), dbh (DBH's table API), klass (SSB's classification
// API), brreg (the company register), jsonstat (the JSON-stat decoder every
// PxWeb response goes through), tabular and survey (files). A source never
// imports pipelines, indicators or charts; it returns tidy tables (code and
// label per dimension, value and status) and hands every HTTP exchange to a
// recorder so the pipeline can keep a raw snapshot of it. Every request goes
// through package httpx: one rate limiter, one retry classification
// (httpx.Recoverable), Retry-After, jittered backoff, and one typed
// *httpx.HTTPError.
//
// # The contract
//
// A kind of source is a Factory: it decodes its own keys of a source's
// config section (New) and of a dataset's (Query), strictly, and builds a
// Source, which fetches a Snapshot for a Query (network) and parses a
// Snapshot into a dataset (pure). A source that can tell cheaply whether a
// table changed also implements Updater; one whose data carry region codes
// implements RegionsUser; one that can answer from recorded responses
// implements Bundler; one that can find its tables and describe one (for
// `grunnlag tables search` and `tables show`) implements Searcher.
//
// The kinds of a build are listed in package sources/all, one line each,
// and NewRegistry refuses a kind listed twice. There is no init()
// registration and no global registry: main and the pipelines build it and
// pass it down. Adding a source is one new package with a NewFactory, plus
// one line in sources/all; the conformance test in sources/all then runs it
// against the same faults as every other source (503, reset, 429 with
// Retry-After, a body cut short, 404).
//
// A config names the kind and keeps the keys every kind shares (kind,
// base_url, bundle, timeout, licence, attribution, user_agent; a dataset's
// source, table, title, unit, expect, synthetic); everything else in the
// section is the kind's:
//
//	sources:
//	  ssb: {kind: pxweb, base_url: "https://data.ssb.no/api/pxwebapi/v2", lang: "no"}
//	datasets:
//	  utdanningsniva:
//	    source: ssb
//	    table: "09429"
//	    select: {Region: ["*"], Tid: ["top(10)"]}
package sources
