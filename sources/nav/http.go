package nav

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// DefaultMaxBody caps a downloaded file (256 MiB).
const DefaultMaxBody = 256 << 20

// Exchange is one HTTP request and the response received for it, handed
// to Options.Recorder so the pipeline can snapshot every response.
type Exchange struct {
	URL, Method string
	RequestBody []byte
	Status      int
	Header      http.Header
	Body        []byte
	FetchedAt   time.Time
}

// HTTPError is a response with a non-2xx status.
type HTTPError struct {
	URL    string
	Method string
	Status int
	// Body is the start of the response body (at most 4 KiB).
	Body []byte
}

// Error formats as "nav: GET <url>: 404 Not Found".
func (e *HTTPError) Error() string {
	return fmt.Sprintf("nav: %s %s: %d %s", e.Method, e.URL, e.Status, http.StatusText(e.Status))
}

// Retryable reports whether repeating the request may help (5xx, 429).
func (e *HTTPError) Retryable() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests
}

// do sends one request and returns the exchange; a non-2xx status is an
// *HTTPError (after the Recorder has seen the response).
func (c *Client) do(ctx context.Context, method, url string, body []byte, contentType string) (*Exchange, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, fmt.Errorf("nav: %s %s: %w", method, url, err)
	}
	req.Header.Set("User-Agent", c.ua)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("nav: %s %s: %w", method, url, err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("nav: %s %s: read body: %w", method, url, err)
	}
	if int64(len(data)) > c.maxBody {
		return nil, fmt.Errorf("nav: %s %s: response body exceeds %d bytes", method, url, c.maxBody)
	}
	ex := &Exchange{URL: url, Method: method, RequestBody: body, Status: resp.StatusCode,
		Header: resp.Header.Clone(), Body: data, FetchedAt: c.now().UTC()}
	if c.opts.Recorder != nil {
		if err := c.opts.Recorder(*ex); err != nil {
			return nil, fmt.Errorf("nav: record %s: %w", url, err)
		}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b := data
		if len(b) > 4<<10 {
			b = b[:4<<10]
		}
		return nil, &HTTPError{URL: url, Method: method, Status: resp.StatusCode, Body: append([]byte(nil), b...)}
	}
	return ex, nil
}
