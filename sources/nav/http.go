package nav

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/wire"
)

// DefaultMaxBody caps a response body (256 MiB).
const DefaultMaxBody = wire.DefaultMaxBody

// Exchange is one HTTP request and its response, handed to
// Options.Recorder so the pipeline can snapshot every response.
type Exchange = wire.Exchange

// BundleEntry is one recorded response of a bundle directory's index.json.
type BundleEntry = wire.BundleEntry

// Bundle returns an http.RoundTripper that answers from a bundle directory
// of recorded responses (the offline demo and tests); see package wire for
// the format. An unknown request is an error naming its URL.
func Bundle(dir string) (http.RoundTripper, error) { return wire.Bundle("nav", dir) }

// newHTTP builds the source's client of the HTTP layer.
func newHTTP(source string, timeout time.Duration, hc *http.Client, ua string, maxBody int64, clock httpx.Clock,
	now func() time.Time, log *slog.Logger, retry httpx.Policy, onRetry func(int, time.Duration, error), rec func(Exchange) error) *httpx.Client {
	if clock == nil {
		clock = httpx.NowClock(now)
	}
	return httpx.New(httpx.Options{Source: source, HTTP: hc, Timeout: timeout, UserAgent: ua, MaxBody: maxBody,
		Clock: clock, Logger: log, Retry: retry, OnRetry: onRetry, Recorder: rec})
}
