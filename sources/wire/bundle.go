package wire

import (
	"net/http"

	"github.com/grunnlag/grunnlag/sources/replay"
)

// BundleEntry is one recorded response of a bundle directory's
// index.json (replay.Entry).
type BundleEntry = replay.Entry

// Bundle returns an http.RoundTripper for the named source that answers from
// a bundle directory (the offline demo and tests): replay.Index, which
// documents the format and the matching. An unrecorded request fails with a
// *replay.MissError naming its URL.
func Bundle(source, dir string) (http.RoundTripper, error) {
	return replay.Index(source, dir)
}
