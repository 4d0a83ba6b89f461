// Package dbh reads higher-education and fagskole statistics from DBH
// (Database for statistikk om høyere utdanning, HK-dir): students by
// institution, field and level, fagskole (DBH-F) included.
//
// The API is one POST endpoint, https://dbh.hkdir.no/api/Tabeller/hentJSONTabellData,
// with a JSON body naming the table, the columns to group by and filters:
//
//	{"tabell_id": 308, "api_versjon": 1, "statuslinje": "N", "begrensning": "1000",
//	 "kodetekst": "J", "desimal_separator": ".",
//	 "groupBy": ["Institusjonskode", "Årstall"], "sortBy": ["Institusjonskode"],
//	 "filter": [{"variabel": "Årstall",
//	             "selection": {"filter": "item", "values": ["2024"], "exclude": [""]}}]}
//
// Filters are "item", "all", "top", "between", "like" and "lessthan". The
// answer is a JSON array of rows keyed by Norwegian column names, values as
// strings or numbers:
//
//	[{"Årstall": "2024", "Fylkesnr": "50", "Fylkesnavn": "Trøndelag", "Antall studenter": "1235"}]
//
// 204 No Content means the query has no data (ErrNoData). DBH rounds counts
// to the nearest 5; every dataset says so in a note and in the extension
// entry "rounded_to": 5.
//
// The rows become the tidy dataset through a tabular mapping built from
// the Query: region, period, dimension and value columns.
package dbh

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/tabular"
)

// DefaultURL is the table endpoint.
const DefaultURL = "https://dbh.hkdir.no/api/Tabeller/hentJSONTabellData"

// RoundingNote is the note every DBH dataset carries.
const RoundingNote = "DBH runder av antall til nærmeste 5; summer av avrundede tall kan avvike fra avrundede totaler."

// ErrNoData is returned (wrapped) when DBH answers 204 No Content.
var ErrNoData = errors.New("no data (204)")

// Selection is a filter's selection.
type Selection struct {
	Filter  string   `json:"filter"` // item | all | top | between | like | lessthan
	Values  []string `json:"values"`
	Exclude []string `json:"exclude"`
}

// Filter is one filter of a query.
type Filter struct {
	Variable  string    `json:"variabel"`
	Selection Selection `json:"selection"`
}

// Query is one table request and how its rows map to the tidy dataset.
type Query struct {
	// Table is tabell_id.
	Table int
	// GroupBy and SortBy are column names.
	GroupBy, SortBy []string
	Filter          []Filter
	// Limit is begrensning ("" means "1000").
	Limit string

	// Region, Period and Dims say which response columns hold what (as
	// in a tabular mapping); Value is the value column.
	Region tabular.Region
	Period tabular.Period
	Dims   tabular.Dims
	Value  string
	// Label is the dataset's label ("" means "DBH tabell N").
	Label string
}

// Body returns the POST body of the query.
func (q Query) Body() ([]byte, error) {
	type body struct {
		TableID  int      `json:"tabell_id"`
		Version  int      `json:"api_versjon"`
		Status   string   `json:"statuslinje"`
		Limit    string   `json:"begrensning"`
		CodeText string   `json:"kodetekst"`
		Decimal  string   `json:"desimal_separator"`
		GroupBy  []string `json:"groupBy"`
		SortBy   []string `json:"sortBy"`
		Filter   []Filter `json:"filter"`
	}
	b := body{TableID: q.Table, Version: 1, Status: "N", Limit: q.Limit, CodeText: "J", Decimal: ".",
		GroupBy: q.GroupBy, SortBy: q.SortBy, Filter: q.Filter}
	if b.Limit == "" {
		b.Limit = "1000"
	}
	if b.GroupBy == nil {
		b.GroupBy = []string{}
	}
	if b.SortBy == nil {
		b.SortBy = []string{}
	}
	if b.Filter == nil {
		b.Filter = []Filter{}
	}
	for i := range b.Filter {
		if b.Filter[i].Selection.Exclude == nil {
			b.Filter[i].Selection.Exclude = []string{""}
		}
		if b.Filter[i].Selection.Values == nil {
			b.Filter[i].Selection.Values = []string{}
		}
	}
	return json.Marshal(b)
}

// Options configure a Client. The zero value is usable.
type Options struct {
	// HTTP is the client; nil means one with a 60 s timeout.
	HTTP *http.Client
	// UserAgent; "" means "grunnlag-dbh/1".
	UserAgent string
	// Logger; nil discards.
	Logger *slog.Logger
	// Recorder is called with every response (any status) before it is
	// parsed; an error from it aborts the call.
	Recorder func(Exchange) error
	// Regions validates region codes and resolves names; nil skips.
	Regions tabular.Regions
	// MaxBody caps a response; 0 means DefaultMaxBody.
	MaxBody int64
	// Now is the clock for Exchange.FetchedAt; nil means time.Now.
	Now func() time.Time
	// Clock, if set, replaces Now and times the retry waits (tests).
	Clock httpx.Clock
	// Retry is the retry policy of the HTTP layer; zero fields take
	// httpx's defaults.
	Retry httpx.Policy
	// OnRetry, if set, is told of every retry (httpx.Options.OnRetry).
	OnRetry func(attempt int, wait time.Duration, err error)
}

// Client posts DBH table queries. It is safe for concurrent use.
type Client struct {
	url  string
	opts Options
	w    *httpx.Client
	log  *slog.Logger
}

// New returns a client for the endpoint URL ("" means DefaultURL).
func New(endpoint string, opts Options) *Client {
	if endpoint == "" {
		endpoint = DefaultURL
	}
	c := &Client{url: endpoint, opts: opts, log: opts.Logger,
		w: newHTTP("dbh", 60*time.Second, opts.HTTP, opts.UserAgent, opts.MaxBody, opts.Clock, opts.Now, opts.Logger, opts.Retry, opts.OnRetry, opts.Recorder)}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c
}

// Fetch posts the query and parses the answer. A 204 answer is ErrNoData
// (wrapped).
func (c *Client) Fetch(ctx context.Context, q Query) (*jsonstat.Dataset, *Exchange, error) {
	ex, err := c.Post(ctx, q)
	if err != nil {
		return nil, ex, err
	}
	ds, err := ParseExchange(q, ex, c.opts.Regions)
	if err != nil {
		return nil, ex, err
	}
	c.log.Debug("dbh table", "source", "dbh", "dataset", q.Table, "bytes", len(ex.Body))
	return ds, ex, nil
}

// Post posts the query and returns the answer without parsing it.
func (c *Client) Post(ctx context.Context, q Query) (*Exchange, error) {
	body, err := q.Body()
	if err != nil {
		return nil, fmt.Errorf("dbh: table %d: %w", q.Table, err)
	}
	ex, err := c.w.Do(ctx, httpx.Request{Method: http.MethodPost, URL: c.url, Body: body,
		ContentType: "application/json", Accept: "application/json", Check: c.checkBody})
	if err != nil {
		return nil, fmt.Errorf("dbh: table %d: %w", q.Table, err)
	}
	return ex, nil
}

// ParseExchange parses an answer of Post (pure): a 204 is ErrNoData
// (wrapped), anything else goes to Parse.
func ParseExchange(q Query, ex *Exchange, regions tabular.Regions) (*jsonstat.Dataset, error) {
	if ex.Status == http.StatusNoContent {
		return nil, fmt.Errorf("dbh: table %d: %w", q.Table, ErrNoData)
	}
	return Parse(q, ex.Body, regions)
}

// checkBody passes a 204 (no data, handled by Fetch) and otherwise wants
// complete JSON: a body cut short is retried.
func (c *Client) checkBody(ex *Exchange) error {
	if ex.Status == http.StatusNoContent {
		return nil
	}
	return c.w.CheckJSON(ex)
}

// Parse turns a response body (a JSON array of rows) into the tidy
// dataset (pure). An empty body or array is ErrNoData.
func Parse(q Query, body []byte, regions tabular.Regions) (*jsonstat.Dataset, error) {
	name := fmt.Sprintf("DBH tabell %d", q.Table)
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, fmt.Errorf("dbh: table %d: %w", q.Table, ErrNoData)
	}
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, fmt.Errorf("dbh: table %d: the answer is not a JSON array of rows: %w", q.Table, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("dbh: table %d: %w", q.Table, ErrNoData)
	}
	// Columns: the union of keys, sorted (JSON objects are unordered).
	seen := map[string]bool{}
	var cols []string
	for _, r := range rows {
		for k := range r {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		}
	}
	sort.Strings(cols)
	t := &tabular.Table{File: name, Header: [][]string{cols}}
	for i, r := range rows {
		rec := make([]string, len(cols))
		for j, k := range cols {
			s, err := scalar(r[k])
			if err != nil {
				return nil, &tabular.ParseError{File: name, Row: i + 1, Column: k, Err: err}
			}
			rec[j] = s
		}
		t.Rows = append(t.Rows, rec)
		t.Line = append(t.Line, i+1)
	}
	m := &tabular.Mapping{
		Name:    fmt.Sprintf("dbh-%d", q.Table),
		Label:   q.Label,
		Source:  "DBH (HK-dir)",
		Decimal: ".",
		Region:  q.Region,
		Period:  q.Period,
		Dims:    q.Dims,
		Value:   tabular.ValueColumn{Column: q.Value},
		Notes:   []string{RoundingNote},
	}
	if m.Label == "" {
		m.Label = name
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("dbh: table %d: %w", q.Table, err)
	}
	ds, err := tabular.Build(t, m, tabular.Options{Regions: regions})
	if err != nil {
		return nil, fmt.Errorf("dbh: table %d: %w", q.Table, err)
	}
	ext := map[string]json.RawMessage{}
	if len(ds.Extension) > 0 {
		if err := json.Unmarshal(ds.Extension, &ext); err != nil {
			return nil, fmt.Errorf("dbh: table %d: %w", q.Table, err)
		}
	}
	ext["rounded_to"] = json.RawMessage("5")
	if err := tabular.SetExtension(ds, ext); err != nil {
		return nil, fmt.Errorf("dbh: table %d: %w", q.Table, err)
	}
	return ds, nil
}

// scalar renders a JSON string, number or null as cell text.
func scalar(raw json.RawMessage) (string, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return "", nil
	}
	if s[0] == '"' {
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", err
		}
		return v, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", fmt.Errorf("value %s is not a string, number or null", s)
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}
