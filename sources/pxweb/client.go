package pxweb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
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
	// OnRetry, if set, is told of every retry (httpx.Options.OnRetry).
	OnRetry func(attempt int, wait time.Duration, err error)
}

// RetryPolicy says how failed requests are repeated (httpx.Policy): a
// request is retried when httpx.Recoverable(err) is true; 429 waits for
// Retry-After (seconds or an HTTP date; without it, like a 5xx), 5xx and
// network errors wait min(MaxDelay, BaseDelay*2^(attempt-1)) scaled by
// (1+Jitter())/2.
type RetryPolicy = httpx.Policy

// Exchange is one HTTP request and the response received for it: the
// record every source hands its recorder (package httpx).
type Exchange = httpx.Exchange

// Client talks to one PxWebApi installation. It is safe for concurrent use.
type Client struct {
	base  string
	opts  Options
	clock Clock
	log   *slog.Logger
	hx    *httpx.Client

	mu       sync.Mutex
	cfg      *APIConfig
	version  string
	limiter  *Limiter
	early    []time.Time // request starts before the limiter existed
	maxCells int         // lowered after a 403 for too many cells; 0: the server's
}

// New returns a client for the API at baseURL: the v2 root (for example
// "https://data.ssb.no/api/pxwebapi/v2") or, for a v1 installation, the v1
// root before the language ("https://data.ssb.no/api/v0").
func New(baseURL string, opts Options) *Client {
	c := &Client{base: strings.TrimRight(baseURL, "/"), opts: opts}
	hc := opts.HTTP
	if hc == nil {
		hc = &http.Client{
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
		c.clock = httpx.RealClock{}
	}
	c.log = opts.Logger
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	maxBody := opts.MaxBody
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	ua := opts.UserAgent
	if ua == "" {
		ua = "grunnlag-pxweb/1"
	}
	c.limiter = opts.Limiter
	switch opts.APIVersion {
	case "v1", "v2":
		c.version = opts.APIVersion
	}
	c.hx = httpx.New(httpx.Options{Source: "pxweb", HTTP: hc, UserAgent: ua, MaxBody: maxBody, Clock: c.clock,
		Logger: c.log, Retry: opts.Retry, Limiter: waiter{c}, Recorder: opts.Recorder, OnRetry: opts.OnRetry})
	return c
}

// waiter makes the client's limiter, which exists only once /config has
// been read, an httpx.Waiter.
type waiter struct{ c *Client }

func (w waiter) Wait(ctx context.Context) error { return w.c.wait(ctx) }

// call collects the exchanges of one public operation.
type call = httpx.Tally

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

// do sends one request through httpx (limiter, retries, recorder) and
// returns the exchange of a 2xx response whose body is complete JSON, or
// an error (an *httpx.HTTPError for other statuses).
func (c *Client) do(ctx context.Context, cl *call, method, u string, body []byte) (*Exchange, error) {
	return c.hx.Do(ctx, httpx.Request{Method: method, URL: u, Body: body, Accept: "application/json",
		Check: c.hx.CheckJSON, Tally: cl})
}

func (c *Client) getJSON(ctx context.Context, cl *call, u string, v any) error {
	ex, err := c.do(ctx, cl, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(ex.Body, v); err != nil {
		return fmt.Errorf("pxweb: GET %s: decoding: %w", httpx.ShortURL(u), err)
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
		var he *httpx.HTTPError
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
		l.Note(early)
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
