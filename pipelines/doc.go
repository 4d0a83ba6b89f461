// Package pipelines runs grunnlag's steps: it pulls datasets from the
// configured sources, keeps every response as a raw snapshot, and publishes
// each dataset version as Parquet in the knowledge base.
//
// The refresh step, per dataset:
//
//  1. Cheap check. Unless forced, ask the source whether the table changed
//     since the version we hold: one /tables?pastDays=N request answers for
//     every table of a source that was checked within N days; otherwise one
//     GET /tables/{id}. A table whose `updated` equals the stored
//     source_updated is not downloaded again.
//  2. Fetch. The PxWebApi client splits the selection within the server's
//     limits (read from /config), fetches every chunk, and merges them into
//     one table in a deterministic order. A failed chunk fails the dataset:
//     nothing partial is published.
//  3. Publish. The merged table becomes an Arrow record and is written as one
//     Parquet file under <kb>/datasets/<id>/version=<stamp>/ with its
//     provenance as key-value metadata; the catalog is replaced last and
//     records how many cells were added, removed and revised.
//
// Every HTTP response is stored content-addressed under <kb>/raw/<source>/
// before it is parsed, so a run with Offline set re-parses from snapshots
// with no network at all.
//
// Failures of one dataset do not stop the others; the run record in
// <kb>/runs/ lists what happened, and Refresh returns an error naming every
// failed dataset.
package pipelines
