package pxweb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/wire"
)

// DefaultMaxBody is the default cap on a response body (512 MiB).
const DefaultMaxBody = 512 << 20

// DefaultRateMargin is added to the server's timeWindow when the Limiter is
// built from /config, so that requests whose latencies differ do not
// arrive at the server closer together than the client sent them.
const DefaultRateMargin = 100 * time.Millisecond

// maxGETURL is the longest data URL sent with GET; longer selections are
// POSTed (PxWebApi v2 GET URLs are limited to about 2000 characters).
const maxGETURL = 2000

// Options configure a Client. The zero value is usable.
type Options struct {
	// HTTP is the client used for every request; nil means one with a
	// 10 min overall timeout, 60 s to the response headers and 10 s for the
	// TLS handshake.
	HTTP *http.Client
	// Lang is the language parameter ("no", "en", "sv"); "" lets a v2
	// server use its default and means "no" for v1 (the language is part of
	// the v1 path).
	Lang string
	// UserAgent is sent with every request; "" means "grunnlag-pxweb/1".
	UserAgent string
	// Logger receives debug lines per request and warnings per retry; nil
	// discards.
	Logger *slog.Logger
	// Limiter is shared by every client of the same host; nil means one
	// built from /config (maxCallsPerTimeWindow per timeWindow+RateMargin).
	Limiter *Limiter
	// RateMargin is added to the window of a Limiter built from /config;
	// 0 means DefaultRateMargin, negative means none.
	RateMargin time.Duration
	// Retry is the retry policy; zero fields take defaults.
	Retry RetryPolicy
	// Recorder is called with every response received (any status), before
	// it is parsed. An error from it aborts the call.
	Recorder func(Exchange) error
	// Progress is called after each data chunk of a Fetch with the number
	// of chunks done and the current total (which grows when a chunk
	// answered 403 is cut in two).
	Progress func(done, total int)
	// APIVersion is "v2", "v1", or "" to detect: GET /config answering 404
	// means v1.
	APIVersion string
	// MaxBody caps every response body; 0 means DefaultMaxBody.
	MaxBody int64
	// Clock is used by the Limiter built from /config and by retry waits;
	// nil means the real clock.
	Clock Clock
}

// RetryPolicy says how failed requests are repeated. A request is retried
// when Retryable(err) is true: 429 waits for Retry-After (seconds or an
// HTTP date; without it, like a 5xx), 5xx and network errors wait
// min(MaxDelay, BaseDelay*2^(attempt-1)) scaled by (1+Jitter())/2.
type RetryPolicy struct {
	MaxAttempts int           // total attempts per request; 0 means 5
	BaseDelay   time.Duration // 0 means 1 s
	MaxDelay    time.Duration // 0 means 30 s
	// MaxRetryAfter is the longest Retry-After honoured; a longer one fails
	// the request. 0 means 5 min.
	MaxRetryAfter time.Duration
	// Jitter returns a number in [0,1); nil means math/rand/v2.Float64.
	Jitter func() float64
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 5
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = time.Second
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 5 * time.Minute
	}
	if p.Jitter == nil {
		p.Jitter = rand.Float64
	}
	return p
}

// Backoff returns the wait before attempt+1 after a failed attempt
// (attempt counts from 1).
func (p RetryPolicy) Backoff(attempt int) time.Duration {
	p = p.withDefaults()
	d := p.BaseDelay
	for i := 1; i < attempt && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	return d/2 + time.Duration(p.Jitter()*float64(d/2))
}

// Exchange is one HTTP request and the response received for it: the
// record every source hands its recorder (package wire).
type Exchange = wire.Exchange

// Client talks to one PxWebApi installation. It is safe for concurrent use.
type Client struct {
	base    string
	opts    Options
	http    *http.Client
	clock   Clock
	log     *slog.Logger
	retry   RetryPolicy
	maxBody int64

	mu      sync.Mutex
	cfg     *APIConfig
	version string
	limiter *Limiter
	early   []time.Time // request starts before the limiter existed
}

// New returns a client for the API at baseURL: the v2 root (for example
// "https://data.ssb.no/api/pxwebapi/v2") or, for a v1 installation, the v1
// root before the language ("https://data.ssb.no/api/v0").
func New(baseURL string, opts Options) *Client {
	c := &Client{base: strings.TrimRight(baseURL, "/"), opts: opts}
	c.http = opts.HTTP
	if c.http == nil {
		c.http = &http.Client{
			Timeout: 10 * time.Minute, // whole exchange, body included (large extracts)
			Transport: &http.Transport{
				Proxy:                 http.ProxyFromEnvironment,
				TLSHandshakeTimeout:   10 * time.Second,
				ResponseHeaderTimeout: 60 * time.Second,
				IdleConnTimeout:       90 * time.Second,
				MaxIdleConnsPerHost:   4,
			},
		}
	}
	c.clock = opts.Clock
	if c.clock == nil {
		c.clock = RealClock{}
	}
	c.log = opts.Logger
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.retry = opts.Retry.withDefaults()
	c.maxBody = opts.MaxBody
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxBody
	}
	c.limiter = opts.Limiter
	switch opts.APIVersion {
	case "v1", "v2":
		c.version = opts.APIVersion
	}
	return c
}

// call collects the exchanges of one public operation.
type call struct {
	exchanges []Exchange
	requests  int
}

func (cl *call) add(ex Exchange) {
	if cl != nil {
		cl.exchanges = append(cl.exchanges, ex)
	}
}

// wait takes a slot of the limiter, or notes the start when there is no
// limiter yet (the limiter built later counts it).
func (c *Client) wait(ctx context.Context) error {
	c.mu.Lock()
	l := c.limiter
	if l == nil {
		c.early = append(c.early, c.clock.Now())
	}
	c.mu.Unlock()
	if l == nil {
		return ctx.Err()
	}
	return l.Wait(ctx)
}

// do sends one request, retrying per the policy, and returns the exchange
// of a 2xx response or an error (an *HTTPError for other statuses).
func (c *Client) do(ctx context.Context, cl *call, method, u string, body []byte) (*Exchange, error) {
	var lastErr error
	for attempt := 1; ; attempt++ {
		if err := c.wait(ctx); err != nil {
			return nil, fmt.Errorf("pxweb: %s %s: %w", method, u, err)
		}
		if cl != nil {
			cl.requests++
		}
		ex, err := c.once(ctx, method, u, body)
		if ex != nil {
			cl.add(*ex)
			if c.opts.Recorder != nil {
				if rerr := c.opts.Recorder(*ex); rerr != nil {
					return nil, fmt.Errorf("pxweb: %s %s: recorder: %w", method, u, rerr)
				}
			}
		}
		if err == nil {
			return ex, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			return nil, fmt.Errorf("pxweb: %s %s: %w", method, u, ctx.Err())
		}
		if !Retryable(err) || attempt >= c.retry.MaxAttempts {
			if attempt > 1 {
				return nil, fmt.Errorf("pxweb: after %d attempts: %w", attempt, lastErr)
			}
			return nil, err
		}
		d := c.retry.Backoff(attempt)
		var he *HTTPError
		if errors.As(err, &he) && he.Status == http.StatusTooManyRequests && he.RetryAfter > 0 {
			if he.RetryAfter > c.retry.MaxRetryAfter {
				return nil, fmt.Errorf("pxweb: retry-after %v exceeds %v: %w", he.RetryAfter, c.retry.MaxRetryAfter, err)
			}
			d = he.RetryAfter
		}
		c.log.WarnContext(ctx, "pxweb: retrying", "url", u, "attempt", attempt, "wait", d, "err", err)
		if err := c.clock.Sleep(ctx, d); err != nil {
			return nil, fmt.Errorf("pxweb: %s %s: %w", method, u, err)
		}
	}
}

// once sends one request. It returns the exchange whenever a response was
// received, with an *HTTPError for a non-2xx status.
func (c *Client) once(ctx context.Context, method, u string, body []byte) (*Exchange, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("pxweb: %s %s: %w", method, u, err)
	}
	ua := c.opts.UserAgent
	if ua == "" {
		ua = "grunnlag-pxweb/1"
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := c.clock.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("pxweb: %s %s: %w", method, u, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("pxweb: %s %s: reading body: %w", method, u, err)
	}
	if int64(len(data)) > c.maxBody {
		return nil, &tooLargeError{url: u, limit: c.maxBody}
	}
	ex := &Exchange{URL: u, Method: method, RequestBody: body, Status: resp.StatusCode,
		Header: resp.Header.Clone(), Body: data, FetchedAt: start.UTC()}
	c.log.DebugContext(ctx, "pxweb: response", "url", u, "method", method, "status", resp.StatusCode,
		"bytes", len(data), "duration", c.clock.Now().Sub(start))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return ex, newHTTPError(method, u, resp.StatusCode, resp.Header, data, c.clock.Now())
	}
	return ex, nil
}

func (c *Client) getJSON(ctx context.Context, cl *call, u string, v any) error {
	ex, err := c.do(ctx, cl, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(ex.Body, v); err != nil {
		return fmt.Errorf("pxweb: GET %s: decoding: %w", u, err)
	}
	return nil
}

// query returns "?lang=..&k=v.." (or "" when empty) for v2 URLs.
func (c *Client) query(kv ...string) string {
	v := url.Values{}
	if c.opts.Lang != "" {
		v.Set("lang", c.opts.Lang)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

func (c *Client) v1Lang() string {
	if c.opts.Lang == "" {
		return "no"
	}
	return c.opts.Lang
}

// APIConfig is the /config response of PxWebApi v2 (for v1, the ?config
// response mapped onto the same fields).
type APIConfig struct {
	APIVersion            string     `json:"apiVersion"`
	AppVersion            string     `json:"appVersion"`
	Languages             []Language `json:"languages"`
	DefaultLanguage       string     `json:"defaultLanguage"`
	MaxDataCells          int        `json:"maxDataCells"`
	MaxCallsPerTimeWindow int        `json:"maxCallsPerTimeWindow"`
	// TimeWindow is in seconds.
	TimeWindow        int               `json:"timeWindow"`
	License           string            `json:"license"`
	SourceReferences  []SourceReference `json:"sourceReferences"`
	DefaultDataFormat string            `json:"defaultDataFormat"`
	DataFormats       []string          `json:"dataFormats"`
	// Version is the protocol the client speaks to the server: "v2" or "v1".
	Version string `json:"-"`
}

// Language is one language of an installation.
type Language struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// SourceReference is the attribution text in one language.
type SourceReference struct {
	Language string `json:"language"`
	Text     string `json:"text"`
}

// Window returns TimeWindow as a duration.
func (a *APIConfig) Window() time.Duration { return time.Duration(a.TimeWindow) * time.Second }

// Config returns the installation's limits, fetching /config once (v1:
// {base}/{lang}/?config) and detecting the API version when
// Options.APIVersion is "".
func (c *Client) Config(ctx context.Context) (*APIConfig, error) {
	return c.config(ctx, nil)
}

func (c *Client) config(ctx context.Context, cl *call) (*APIConfig, error) {
	c.mu.Lock()
	cfg, version := c.cfg, c.version
	c.mu.Unlock()
	if cfg != nil {
		return cfg, nil
	}
	var got APIConfig
	if version != "v1" {
		err := c.getJSON(ctx, cl, c.base+"/config", &got)
		var he *HTTPError
		switch {
		case err == nil:
			version = "v2"
		case version == "" && errors.As(err, &he) && he.Status == http.StatusNotFound:
			version = "v1"
		default:
			return nil, fmt.Errorf("pxweb: config: %w", err)
		}
	}
	if version == "v1" {
		var v1 struct {
			MaxValues  int `json:"maxValues"`
			MaxCalls   int `json:"maxCalls"`
			TimeWindow int `json:"timeWindow"`
		}
		if err := c.getJSON(ctx, cl, c.base+"/"+url.PathEscape(c.v1Lang())+"/?config", &v1); err != nil {
			return nil, fmt.Errorf("pxweb: v1 config: %w", err)
		}
		got = APIConfig{MaxDataCells: v1.MaxValues, MaxCallsPerTimeWindow: v1.MaxCalls, TimeWindow: v1.TimeWindow,
			DefaultDataFormat: "json-stat2"}
	}
	got.Version = version
	if got.MaxDataCells < 1 || got.MaxCallsPerTimeWindow < 1 || got.TimeWindow < 1 {
		return nil, fmt.Errorf("pxweb: config: invalid limits: maxDataCells %d, maxCallsPerTimeWindow %d, timeWindow %d",
			got.MaxDataCells, got.MaxCallsPerTimeWindow, got.TimeWindow)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cfg == nil {
		c.cfg, c.version = &got, version
	}
	if c.limiter == nil {
		margin := c.opts.RateMargin
		if margin == 0 {
			margin = DefaultRateMargin
		}
		margin = max(margin, 0)
		l, err := NewLimiter(got.MaxCallsPerTimeWindow, got.Window()+margin, c.clock)
		if err != nil {
			return nil, fmt.Errorf("pxweb: config: %w", err)
		}
		// Count the requests already made (config, detection) in the window.
		early := c.early
		if len(early) > l.n {
			early = early[len(early)-l.n:]
		}
		l.log = append(l.log, early...)
		c.early = nil
		c.limiter = l
	}
	return c.cfg, nil
}

// TableInfo is a table item of /tables and /tables/{id}.
type TableInfo struct {
	ID            string    `json:"id"`
	Label         string    `json:"label"`
	Description   string    `json:"description"`
	Updated       time.Time `json:"updated"` // last data update, UTC
	FirstPeriod   string    `json:"firstPeriod"`
	LastPeriod    string    `json:"lastPeriod"`
	TimeUnit      string    `json:"timeUnit"`
	Category      string    `json:"category"`
	VariableNames []string  `json:"variableNames"`
	Discontinued  bool      `json:"discontinued"`
	Source        string    `json:"source"`
	SubjectCode   string    `json:"subjectCode"`
}

// TablesQuery filters /tables.
type TablesQuery struct {
	Query               string // e.g. "title:09429", "befolkning", "updated:20250908*"
	PastDays            int    // tables updated in the last N days; 0 = no filter
	IncludeDiscontinued bool
	PageSize            int // 0 = the server's default
	MaxPages            int // stop after this many pages; 0 = all
}

// Table returns /tables/{id} (v2 only).
func (c *Client) Table(ctx context.Context, id string) (*TableInfo, error) {
	if err := c.needV2(ctx, nil); err != nil {
		return nil, fmt.Errorf("pxweb: table %s: %w", id, err)
	}
	var t TableInfo
	if err := c.getJSON(ctx, nil, c.base+"/tables/"+url.PathEscape(id)+c.query(), &t); err != nil {
		return nil, fmt.Errorf("pxweb: table %s: %w", id, err)
	}
	return &t, nil
}

// Tables lists /tables, following pages until page.totalPages (v2 only).
func (c *Client) Tables(ctx context.Context, q TablesQuery) ([]TableInfo, error) {
	if err := c.needV2(ctx, nil); err != nil {
		return nil, fmt.Errorf("pxweb: tables: %w", err)
	}
	var all []TableInfo
	for page := 1; ; page++ {
		kv := []string{"query", q.Query, "pageNumber", strconv.Itoa(page)}
		if q.PastDays > 0 {
			kv = append(kv, "pastDays", strconv.Itoa(q.PastDays))
		}
		if q.PageSize > 0 {
			kv = append(kv, "pageSize", strconv.Itoa(q.PageSize))
		}
		if q.IncludeDiscontinued {
			kv = append(kv, "includeDiscontinued", "true")
		}
		tp, err := c.tablesPage(ctx, c.base+"/tables"+c.query(kv...))
		if err != nil {
			return nil, fmt.Errorf("pxweb: tables: page %d: %w", page, err)
		}
		all = append(all, tp.Tables...)
		if page >= tp.Page.TotalPages || len(tp.Tables) == 0 || (q.MaxPages > 0 && page >= q.MaxPages) {
			return all, nil
		}
	}
}

// TablesPage is one page of /tables.
type TablesPage struct {
	Language string      `json:"language"`
	Tables   []TableInfo `json:"tables"`
	Page     struct {
		PageNumber    int `json:"pageNumber"`
		PageSize      int `json:"pageSize"`
		TotalElements int `json:"totalElements"`
		TotalPages    int `json:"totalPages"`
	} `json:"page"`
}

func (c *Client) tablesPage(ctx context.Context, u string) (*TablesPage, error) {
	var tp TablesPage
	if err := c.getJSON(ctx, nil, u, &tp); err != nil {
		return nil, err
	}
	return &tp, nil
}

func (c *Client) needV2(ctx context.Context, cl *call) error {
	cfg, err := c.config(ctx, cl)
	if err != nil {
		return err
	}
	if cfg.Version != "v2" {
		return fmt.Errorf("not supported by PxWebApi %s", cfg.Version)
	}
	return nil
}

// Codelist is a /codelists/{id} response: an aggregation (each value sums
// the variable values in its ValueMap) or a valueset (a subset of values).
type Codelist struct {
	ID          string          `json:"id"`
	Label       string          `json:"label"`
	Language    string          `json:"language"`
	Type        string          `json:"type"` // "Aggregation" or "Valueset"
	Elimination bool            `json:"elimination"`
	Values      []CodelistValue `json:"values"`
}

// CodelistValue is one value of a codelist.
type CodelistValue struct {
	Code     string   `json:"code"`
	Label    string   `json:"label"`
	ValueMap []string `json:"valueMap"`
}

// Codelist returns /codelists/{id} (v2 only).
func (c *Client) Codelist(ctx context.Context, id string) (*Codelist, error) {
	return c.codelist(ctx, nil, id)
}

func (c *Client) codelist(ctx context.Context, cl *call, id string) (*Codelist, error) {
	if err := c.needV2(ctx, cl); err != nil {
		return nil, fmt.Errorf("pxweb: codelist %s: %w", id, err)
	}
	var l Codelist
	if err := c.getJSON(ctx, cl, c.base+"/codelists/"+url.PathEscape(id)+c.query(), &l); err != nil {
		return nil, fmt.Errorf("pxweb: codelist %s: %w", id, err)
	}
	if len(l.Values) == 0 {
		return nil, fmt.Errorf("pxweb: codelist %s: no values", id)
	}
	return &l, nil
}

// Metadata returns the table's metadata as a dataset without values: v2
// /tables/{id}/metadata?outputFormat=json-stat2, or the v1 GET of the table
// converted to the same shape (dimension extension {"elimination":bool},
// role time from the v1 "time" flag).
func (c *Client) Metadata(ctx context.Context, id string) (*jsonstat.Dataset, error) {
	return c.metadata(ctx, nil, id)
}

func (c *Client) metadata(ctx context.Context, cl *call, id string) (*jsonstat.Dataset, error) {
	cfg, err := c.config(ctx, cl)
	if err != nil {
		return nil, fmt.Errorf("pxweb: table %s: %w", id, err)
	}
	if cfg.Version == "v1" {
		return c.v1Metadata(ctx, cl, id)
	}
	u := c.base + "/tables/" + url.PathEscape(id) + "/metadata" + c.query("outputFormat", "json-stat2")
	ex, err := c.do(ctx, cl, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("pxweb: table %s: metadata: %w", id, err)
	}
	ds, err := jsonstat.DecodeDataset(bytes.NewReader(ex.Body))
	if err != nil {
		return nil, fmt.Errorf("pxweb: table %s: metadata: %w", id, err)
	}
	return ds, nil
}
