// Package store is grunnlag's knowledge base on disk: immutable raw snapshots of
// every response a source received, versioned Parquet datasets, and the catalog
// that says which version of each dataset is current. All Parquet I/O of the
// project goes through this package (parquet-go); every file is written
// atomically.
//
// # Layout
//
//	<kb>/raw/<source>/<sha[:2]>/<sha>.<ext>.zst        response body, zstd-compressed, content-addressed (sha256 of the uncompressed body)
//	<kb>/raw/<source>/<sha[:2]>/<sha>.meta.json        sidecar: every fetch that returned this body
//	<kb>/datasets/<id>/version=<stamp>/part-0.parquet  one Parquet file per dataset version
//	<kb>/indicators/version=<stamp>/indicators.parquet the indicator table's versions
//	<kb>/catalog.json                                  current version of every dataset, lineage, checksums
//	<kb>/grunnlag.lock                                 the kb lock (see [Store.LockFor])
//
// Source names and dataset IDs are made of ASCII letters, digits, '_', '-' and
// '.', and do not start with '.'. A stamp is the UTC publish time as
// 20060102T150405Z; when that folder already exists a suffix -2, -3, ... is
// added. A version folder is never rewritten.
//
// # Raw snapshots
//
// [Store.PutRaw] stores a body once (it is never rewritten when present) and
// appends the fetch ([SnapshotMeta]: URL, method, request body, status, the
// headers Content-Type, Last-Modified, ETag and Date, fetched_at, licence,
// attribution, note) to the sidecar, which keeps every earlier fetch. A
// sidecar looks like
//
//	{
//	  "sha256": "9f86d0…",
//	  "source": "ssb",
//	  "ext": "json",
//	  "bytes": 1234,
//	  "compression": "zstd",
//	  "fetches": [
//	    {
//	      "url": "https://data.ssb.no/api/pxwebapi/v2/tables/09429/data?lang=no",
//	      "method": "POST",
//	      "request_body": "{\"selection\":[]}",
//	      "status": 200,
//	      "headers": {"content-type": "application/json; charset=utf-8"},
//	      "fetched_at": "2026-01-15T08:15:00Z",
//	      "licence": "NLOD 2.0",
//	      "attribution": "Statistisk sentralbyrå"
//	    }
//	  ]
//	}
//
// A request body that is valid UTF-8 JSON is kept as text in request_body;
// any other body is kept in request_body_base64. [Store.ReplayTransport]
// answers HTTP requests from these sidecars (for --offline runs).
//
// Bodies are zstd-compressed (JSON-stat and CSV shrink about tenfold); a
// body an older grunnlag stored uncompressed (<sha>.<ext>, no
// "compression") is read as it is and never rewritten. Every read checks
// the uncompressed body against its sha256.
//
// # Dataset files
//
// [WriteParquet] maps an arrow.Record to one Parquet file, column for column
// in schema order and row for row in record order:
//
//	arrow type                          Parquet column
//	dictionary<utf8|large_utf8, any>    BYTE_ARRAY (String), RLE_DICTIONARY; optional if the field is nullable, else required
//	utf8, large_utf8                    BYTE_ARRAY (String), RLE_DICTIONARY; optional if nullable, else required
//	float64                             DOUBLE, always optional: null where the arrow value is null or NaN; RLE_DICTIONARY when it has few distinct values, else PLAIN
//	int64, int32                        INT64, INT32; optional if nullable, else required
//	bool                                BOOLEAN; optional if nullable, else required
//
// Any other type is an error naming the column. Pages are zstd-compressed
// (up to 1 MiB of values each, bounds in the column index, none in the page
// headers). The file's key-value metadata is the record's schema metadata,
// overlaid by the caller's map, plus "grunnlag.arrow_types" (comma-separated arrow type per
// column: dictionary, utf8, float64, int64, int32, bool), which
// [ReadParquet] uses to give back the same arrow types. Missing is never
// stored as 0 or NaN.
//
// [Store.Publish] adds these keys (empty ones are left out): dataset,
// version, source, table, title, unit, updated, fetched_at (RFC 3339 UTC),
// snapshots (comma-separated sha256), query, licence, attribution, synthetic
// ("true"/"false") and key_columns (comma-separated). Any engine reads the
// files, e.g. DuckDB:
//
//	SELECT * FROM read_parquet('kb/datasets/*/version=*/*.parquet', hive_partitioning=true)
//
// # Publishing
//
// Publish creates the version folder, writes the file under a hidden
// pending name (.part-0.parquet.pending, via a temp file, fsynced), replaces
// catalog.json atomically with the new version current, and only then
// renames the file into place and fsyncs the folder. So a glob over
// version=*/*.parquet sees only versions the catalog names, and a crash at
// any instant leaves the previous version current or the new one complete
// (after a crash between the catalog and the last rename the file is read
// under its pending name until the next catalog update renames it). A
// failed Publish removes what it wrote. Prune first renames the folders it
// drops to .pruned-version=<stamp>, then replaces the catalog, then removes
// them.
//
// # The catalog and the folders
//
// Nothing is removed on the word of a catalog that was not read intact. A
// catalog.json that does not parse, or contradicts itself, is a
// [*CatalogError] and stops every write. A missing catalog.json is rebuilt
// from the version folders: every file carries its metadata (including
// the list of its Extra keys, so the content hash comes out the same), and
// the newest version of each dataset becomes current. At every catalog
// update the catalog is checked against the folders: a complete version it
// does not name is adopted (Recovered set, diff unknown), a folder with no
// complete file is removed, one whose file is not Parquet is moved aside to
// .broken-version=<stamp>. [Store.VerifyVersion] checks a version's size,
// footer and (up to 64 MiB) sha256; Publish replaces a damaged current
// version with a new one (Repairs set) even when the content is unchanged.
//
// Publish diffs the record against the current version, keyed by the key
// columns (DatasetMeta.Keys, or by default every column except value, status
// and the <dim>_label columns): cells are added, removed, revised (value or
// status changed) or unchanged. When the data and the descriptive metadata
// (schema, every cell, keys, source, table, title, unit, query, licence,
// attribution, synthetic, and the Extra keys other than [VolatileExtra])
// are identical to the current version's, Publish
// writes no new version: it records the check (last_checked) and returns the
// current Version with Unchanged set.
//
// # Concurrency
//
// One Store serialises its own writes. Processes (and Stores) sharing a kb
// hold the one kb lock ([Store.LockFor]) around Publish, PutRaw,
// UpdateCatalog and Prune; the store does not take it itself. A whole
// `grunnlag run` holds it and passes it to its steps in the context
// ([Lease.Context]).
package store
