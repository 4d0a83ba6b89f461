package klass

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
)

// DefaultBaseURL is the production API.
const DefaultBaseURL = "https://data.ssb.no/api/klass/v1"

// DefaultUserAgent is sent when Options.UserAgent is empty.
const DefaultUserAgent = "grunnlag (+https://github.com/grunnlag/grunnlag)"

// maxBody caps how much of a response is read (classification lists are a
// few hundred kB; SN2007 codes over a range is the largest).
const maxBody = 32 << 20

// Exchange is one request and its response, as handed to
// Options.Recorder: the record every source hands its recorder (package
// httpx; RequestBody is always empty, KLASS is read with GET).
type Exchange = httpx.Exchange

// Options configures a Client. The zero value is usable.
type Options struct {
	HTTP      *http.Client // nil => a client with a 30 s timeout
	UserAgent string       // "" => DefaultUserAgent
	Language  string       // "nb", "nn", "en"; "" => the API default (nb)
	Logger    *slog.Logger // nil => discard
	// Recorder is called for every response received (any status), before
	// it is parsed. An error from it aborts the call.
	Recorder func(Exchange) error
	// Now is the clock for Exchange.FetchedAt; nil => time.Now.
	Now func() time.Time
	// Clock, if set, replaces Now and times the retry waits (tests).
	Clock httpx.Clock
	// Retry is the retry policy of the HTTP layer; zero fields take
	// httpx's defaults. Errors are *httpx.HTTPError (KLASS itself answers
	// only 200, 400 and 404) or the other typed errors of httpx.
	Retry httpx.Policy
}

// Client talks to one KLASS API base URL. It is safe for concurrent use.
type Client struct {
	base string
	opts Options
	hx   *httpx.Client
}

// New returns a client for baseURL ("" => DefaultBaseURL).
func New(baseURL string, opts Options) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	clock := opts.Clock
	if clock == nil {
		clock = httpx.NowClock(opts.Now)
	}
	hx := httpx.New(httpx.Options{Source: "klass", HTTP: opts.HTTP, Timeout: 30 * time.Second, UserAgent: opts.UserAgent,
		MaxBody: maxBody, Clock: clock, Logger: opts.Logger, Retry: opts.Retry, Recorder: opts.Recorder})
	return &Client{base: strings.TrimRight(baseURL, "/"), opts: opts, hx: hx}
}

// CodesAt returns the codes of classification id valid on date.
func (c *Client) CodesAt(ctx context.Context, id int, date time.Time) ([]Code, error) {
	q := url.Values{"date": {date.Format(DateLayout)}}
	body, err := c.get(ctx, id, "codesAt", q)
	if err != nil {
		return nil, err
	}
	return wrapParse(id, "codesAt")(ParseCodes(bytes.NewReader(body)))
}

// Codes returns the codes of classification id valid at some time in
// [from, to), each with its validity.
func (c *Client) Codes(ctx context.Context, id int, from, to time.Time) ([]Code, error) {
	q := url.Values{"from": {from.Format(DateLayout)}, "to": {to.Format(DateLayout)}}
	body, err := c.get(ctx, id, "codes", q)
	if err != nil {
		return nil, err
	}
	return wrapParse(id, "codes")(ParseCodes(bytes.NewReader(body)))
}

// Changes returns the code changes of classification id that occurred in
// [from, to). Note that to is exclusive: pass 2020-01-02 to include the
// changes of 1 January 2020.
func (c *Client) Changes(ctx context.Context, id int, from, to time.Time) ([]Change, error) {
	q := url.Values{"from": {from.Format(DateLayout)}, "to": {to.Format(DateLayout)}}
	body, err := c.get(ctx, id, "changes", q)
	if err != nil {
		return nil, err
	}
	ch, err := ParseChanges(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("klass: classification %d: changes: %w", id, err)
	}
	return ch, nil
}

// CorrespondsAt returns the correspondence from classification id to target
// valid on date (for example 131 → 104, municipality → county).
func (c *Client) CorrespondsAt(ctx context.Context, id, target int, date time.Time) ([]Correspondence, error) {
	q := url.Values{"targetClassificationId": {strconv.Itoa(target)}, "date": {date.Format(DateLayout)}}
	body, err := c.get(ctx, id, "correspondsAt", q)
	if err != nil {
		return nil, err
	}
	items, err := ParseCorrespondences(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("klass: classification %d: correspondsAt %d: %w", id, target, err)
	}
	return items, nil
}

func wrapParse(id int, ep string) func([]Code, error) ([]Code, error) {
	return func(cs []Code, err error) ([]Code, error) {
		if err != nil {
			return nil, fmt.Errorf("klass: classification %d: %s: %w", id, ep, err)
		}
		return cs, nil
	}
}

// RequestURL returns the URL the client requests for an endpoint of
// classification id (endpoint "" is the classification itself); exported
// so bundles and snapshot stores can name files by request.
func (c *Client) RequestURL(id int, endpoint string, q url.Values) string {
	if c.opts.Language != "" {
		q = cloneValues(q)
		q.Set("language", c.opts.Language)
	}
	u := fmt.Sprintf("%s/classifications/%d", c.base, id)
	if endpoint != "" {
		u += "/" + endpoint
	}
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q)+1)
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// Classification returns classification id with the versions it lists
// (GET /classifications/{id}).
func (c *Client) Classification(ctx context.Context, id int) (*Classification, error) {
	body, err := c.get(ctx, id, "", nil)
	if err != nil {
		return nil, err
	}
	cl, err := ParseClassification(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("klass: classification %d: %w", id, err)
	}
	return cl, nil
}

// Version returns one version of a classification with all its items
// (GET /versions/{id}; the id is a VersionRef.ID, not a classification id).
func (c *Client) Version(ctx context.Context, id int) (*Version, error) {
	body, err := c.getURL(ctx, c.VersionURL(id))
	if err != nil {
		return nil, err
	}
	v, err := ParseVersion(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("klass: version %d: %w", id, err)
	}
	if v.ID != 0 && v.ID != id {
		return nil, fmt.Errorf("klass: version %d: the answer is version %d", id, v.ID)
	}
	return v, nil
}

// VersionURL returns the URL the client requests for version id.
func (c *Client) VersionURL(id int) string {
	u := fmt.Sprintf("%s/versions/%d", c.base, id)
	if c.opts.Language != "" {
		u += "?" + url.Values{"language": {c.opts.Language}}.Encode()
	}
	return u
}

func (c *Client) get(ctx context.Context, id int, endpoint string, q url.Values) ([]byte, error) {
	return c.getURL(ctx, c.RequestURL(id, endpoint, q))
}

// getURL fetches one KLASS answer by its full URL through the HTTP layer.
func (c *Client) getURL(ctx context.Context, u string) ([]byte, error) {
	ex, err := c.hx.Do(ctx, httpx.Request{URL: u, Accept: "application/json", Check: c.hx.CheckJSON})
	if err != nil {
		return nil, err
	}
	return ex.Body, nil
}
