// Package wire holds what the file and report sources (NAV, Udir, DBH)
// share beyond the HTTP layer (package httpx, which sends their requests,
// retries them and types their errors): the Exchange record and bundles of
// recorded responses that stand in for the network in the offline demo and
// in tests.
//
// A bundle is a directory with an index.json listing recorded responses:
//
//	[{"method": "POST", "url": "https://dbh.hkdir.no/api/Tabeller/hentJSONTabellData",
//	  "body": "{\"tabell_id\": 999}", "status": 200,
//	  "content_type": "application/json", "file": "responses/students.json"}]
//
// A request matches an entry on method, URL (query parameters in any order)
// and, when it has a body, the body's bytes with JSON whitespace removed.
// A request with no entry is an error naming its URL: nothing falls through
// to the network.
package wire

import "github.com/grunnlag/grunnlag/sources/httpx"

// DefaultMaxBody caps a response body (256 MiB).
const DefaultMaxBody = httpx.DefaultMaxBody

// Exchange is one HTTP request and the response received for it, handed
// to the recorder so the pipeline can snapshot every response.
type Exchange = httpx.Exchange
