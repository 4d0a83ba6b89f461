package pxweb

import (
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
)

// Clock is the source of time for the Limiter and the retry waits
// (httpx.Clock). The zero Options use the real clock; tests inject a fake
// one whose Sleep advances its Now.
type Clock = httpx.Clock

// Limiter allows at most N requests in any sliding window of length W
// (httpx.Limiter). One Limiter is shared by every request to a host
// (PxWebApi counts per IP).
type Limiter = httpx.Limiter

// NewLimiter returns a Limiter allowing n requests per window. A nil clock
// means the real clock.
func NewLimiter(n int, window time.Duration, clock Clock) (*Limiter, error) {
	return httpx.NewLimiter(n, window, clock)
}
