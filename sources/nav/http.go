package nav

import (
	"net/http"

	"github.com/grunnlag/grunnlag/sources/wire"
)

// DefaultMaxBody caps a response body (256 MiB).
const DefaultMaxBody = wire.DefaultMaxBody

// Exchange is one HTTP request and its response, handed to
// Options.Recorder so the pipeline can snapshot every response.
type Exchange = wire.Exchange

// HTTPError is a response with a non-2xx status.
type HTTPError = wire.HTTPError

// BundleEntry is one recorded response of a bundle directory's index.json.
type BundleEntry = wire.BundleEntry

// Bundle returns an http.RoundTripper that answers from a bundle directory
// of recorded responses (the offline demo and tests); see package wire for
// the format. An unknown request is an error naming its URL.
func Bundle(dir string) (http.RoundTripper, error) { return wire.Bundle("nav", dir) }
