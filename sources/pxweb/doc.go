// Package pxweb is a client for PxWebApi, the statistics API of SSB
// (https://data.ssb.no/api/pxwebapi/v2), SCB and other PX-Web
// installations. It speaks v2 and falls back to v1 (/api/v0) when an
// installation has no v2.
//
// # Endpoints (v2)
//
//	GET  {base}/config                               Config: limits and formats
//	GET  {base}/tables?query=&pastDays=&pageNumber=  Tables, following page.totalPages
//	GET  {base}/tables/{id}                          Table: TableInfo (updated, periods)
//	GET  {base}/tables/{id}/metadata?outputFormat=json-stat2
//	                                                 Metadata: JSON-stat 2.0 without values
//	GET  {base}/tables/{id}/data?outputFormat=json-stat2&valueCodes[Var]=a,b
//	                                                 data (codelist[Var]=, outputValues[Var]=)
//	POST {base}/tables/{id}/data?outputFormat=json-stat2
//	     {"selection":[{"variableCode","codelist","outputValues","valueCodes"}]}
//	                                                 data, when the GET URL would exceed
//	                                                 2000 characters or a code has a comma
//	GET  {base}/codelists/{id}                       Codelist: aggregation or valueset
//
// lang= is sent when Options.Lang is set.
//
// # v1 fallback
//
// With Options.APIVersion "" the client detects the version: GET
// {base}/config answering 404 means {base} is a v1 root (such as
// https://data.ssb.no/api/v0). Then
//
//	GET  {base}/{lang}/?config    {"maxValues","maxCalls","timeWindow"}: the limits
//	GET  {base}/{lang}/table/{id} {title, variables:[{code,text,values,valueTexts,elimination,time}]}
//	POST {base}/{lang}/table/{id} {"query":[{"code":"Region","selection":{"filter":"item","values":[..]}}],
//	                               "response":{"format":"json-stat2"}}
//
// Every v1 query is sent with explicit codes (filter "item"; a codelist
// agg_X or vs_X becomes filter "agg:X" or "vs:X" and takes literal codes
// only, since v1 has no codelist endpoint). Tables, Table, Search,
// Describe and Codelist are v2 only.
//
// # Finding a table
//
// Search asks /tables?query= for one page of tables (TableInfo: id,
// label, firstPeriod, lastPeriod, updated, variableNames) with its paging
// (pageNumber, pageSize, totalElements, totalPages, the next link);
// Describe joins /tables/{id} and its metadata into the variables, their
// values, elimination, codelists and the contents' units. Both decode
// strictly and fail with a *FormatError naming the URL and the field.
// Source implements sources.Searcher with them, which is what `grunnlag
// tables search` and `tables show` use.
//
// # Selections
//
// A Selection lists, per variable, value codes and expressions (ParseExpr):
// codes, "*", masks ("2020*", "202?M12"), top(n), bottom(n), from(x),
// to(x), range(a,b), optionally against a codelist (agg_..., vs_...) with
// outputValues. Fetch resolves every expression against the metadata (and
// the codelist, fetched once per Fetch) before sending anything, so it
// knows exactly which codes, and how many values, each variable returns;
// requests carry explicit codes only. A variable left out is eliminated
// when its metadata allows (extension.elimination true, not the time
// variable); otherwise Fetch fails before any data request.
//
// # Limits
//
// The limits come from /config at run time: maxDataCells bounds every data
// request (Split chooses the cut needing the fewest requests; see its doc
// for the algorithm and a worked example), and maxCallsPerTimeWindow per
// timeWindow seconds builds the Limiter (a sliding-window log) shared by
// all requests of the Client, unless Options.Limiter supplies one to share
// between clients of the same host.
//
// # Errors and retries
//
// Requests go through package httpx, the HTTP layer of every source: a
// non-2xx response is an *httpx.HTTPError carrying the problem+json detail.
// 429 waits for Retry-After (seconds or HTTP date); 5xx, timeouts, resets,
// other network errors and a JSON body cut short back off exponentially
// with jitter, capped (RetryPolicy); 400 and 404 fail at once. A data
// request answered 403 (PxWebApi's "too many cells") is cut in two along
// its largest variable and the halves are requested instead; the client
// then remembers the lower limit, so every later chunk of the run (this
// Fetch's and later ones') is planned within it instead of being refused
// once more. Every wait selects on ctx.Done().
// A Fetch merges its chunks with jsonstat.Merge, the metadata giving the
// order; if any chunk fails, Fetch fails and returns no dataset.
//
// Options.Recorder sees every response (config, metadata, codelists, data,
// errors) before it is parsed, so a pipeline can keep raw snapshots.
package pxweb
