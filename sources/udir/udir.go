// Package udir reads upper-secondary and apprenticeship statistics from the
// Norwegian Directorate for Education and Training (Udir): pupils and
// applicants by programme, apprenticeship contracts and applicants, and
// completion, by county.
//
// The source is the report API behind Udir's statistics bank
// (https://statistikkportalen.udir.no/api/rapportering/rest/v1). Udir says
// it is not meant for external use and may change without notice, so every
// run resolves the report's current data path and fails loudly on anything
// unexpected (the pipeline then keeps the last good dataset):
//
//	GET Rapportside/{code}               -> the data path, e.g. "Statistikk/VGO/ResultatFagV/2/5"
//	                                        (a JSON string, or an object with "sti", "path" or "dataSti")
//	GET {path}/filterVerdier             -> [{"id":"TidID","navn":"Skoleår","verdier":[{"id":"202406","navn":"2024-25"}]}]
//	GET {path}/data?radSti=F&filter=TidID(202406)_EierformID(-10)
//	                                     -> {"metadata":{"rowHierarchy":[{"id":"F","navn":"Fylke"}],
//	                                                     "columns":[{"id":"202406","navn":"2024-25"}]},
//	                                         "rows":[{"navn":"Telemark","id":"40","data":["2 741","*"]}]}
//
// A filter is rendered as ID(value) and filters are joined with "_"; several
// values of one filter are joined with "_" inside the parentheses; -10 means
// "all". The value "siste" asks for the highest value filterVerdier lists.
// Each requested filter value must be listed by filterVerdier.
//
// The rows (one per region at the level radSti selects; a row hierarchy of
// more than one level is an error) become the region dimension: the row id
// is the county code (-10, the national total, becomes 0). The columns
// become the period dimension (their names parsed by tabular.ParsePeriod:
// "2024-25" -> "2024-2025") or, with Query.ColumnDim, another dimension.
// Cells are numbers as text with decimal comma and space thousands
// separators, JSON numbers, null (missing) or markers ("*", "..") kept as
// status with the value missing.
//
// The statistics-bank export files are read by the tabular importer with
// the shipped "udir-statistikkbank" mapping (ParseExport).
package udir

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/tabular"
)

// DefaultBaseURL is the report API.
const DefaultBaseURL = "https://statistikkportalen.udir.no/api/rapportering/rest/v1"

// Attribution is the credit Udir's licence (NLOD) requires.
const Attribution = "Inneholder data under NLOD, tilgjengeliggjort på data.udir.no"

// Filter is one filter of a data request: ID(v1_v2).
type Filter struct {
	ID     string
	Values []string
}

// Query is one report request.
type Query struct {
	// Report is the Rapportside code, e.g. "FOY_LK_FylkUtdprogAar".
	Report string
	// RowPath is radSti, the row level ("F" = county).
	RowPath string
	// Filter lists the filters in order.
	Filter []Filter
	// ColumnDim is "period" (default: columns are periods) or the ID of
	// another dimension whose categories are the columns; ColumnDimLabel is
	// its label.
	ColumnDim, ColumnDimLabel string
	// Period is the period of every value when the columns are not periods.
	Period string
	// Label is the dataset's label ("" means the report code).
	Label string
	// RegionMap replaces row ids by region codes; nil means {"-10": "0"}.
	RegionMap map[string]string
	// SeriesBreaks are added to the dataset when the data span them.
	// Completion reports ("Gjennomfoering" in the code) always get the note
	// that counties are those at the start of the cohort.
	SeriesBreaks []tabular.SeriesBreak
}

// FilterInfo is one filter listed by filterVerdier.
type FilterInfo struct {
	ID      string       `json:"id"`
	Navn    string       `json:"navn"`
	Verdier []FilterItem `json:"verdier"`
}

// FilterItem is one value of a filter.
type FilterItem struct {
	ID   string `json:"id"`
	Navn string `json:"navn"`
}

// Options configure a Client. The zero value is usable.
type Options struct {
	// HTTP is the client; nil means one with a 60 s timeout.
	HTTP *http.Client
	// UserAgent; "" means "grunnlag-udir/1".
	UserAgent string
	// Logger; nil discards.
	Logger *slog.Logger
	// Recorder is called with every response (any status) before it is
	// parsed; an error from it aborts the call.
	Recorder func(Exchange) error
	// Regions validates county codes on the period's start date; nil
	// skips validation.
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

// Client talks to the Udir report API. It is safe for concurrent use.
type Client struct {
	base string
	opts Options
	w    *httpx.Client
	log  *slog.Logger
}

// New returns a client for the API at baseURL ("" means DefaultBaseURL).
func New(baseURL string, opts Options) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	c := &Client{base: strings.TrimRight(baseURL, "/"), opts: opts, log: opts.Logger,
		w: newHTTP("udir", 60*time.Second, opts.HTTP, opts.UserAgent, opts.MaxBody, opts.Clock, opts.Now, opts.Logger, opts.Retry, opts.OnRetry, opts.Recorder)}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c
}

// Result is a fetched report.
type Result struct {
	Dataset *jsonstat.Dataset
	// Path is the data path Rapportside resolved to.
	Path string
	// Exchanges are the HTTP exchanges, in order.
	Exchanges []Exchange
}

// Fetch resolves the report, checks the filters against filterVerdier,
// fetches the data and parses it: Download, then Parse of the data
// response.
func (c *Client) Fetch(ctx context.Context, q Query) (*Result, error) {
	res, err := c.Download(ctx, q)
	if err != nil {
		return nil, err
	}
	body := res.Exchanges[len(res.Exchanges)-1].Body
	ds, err := Parse(q, body, c.opts.Regions)
	if err != nil {
		return nil, err
	}
	c.log.Debug("udir report", "source", "udir", "dataset", q.Report, "path", res.Path, "bytes", len(body))
	res.Dataset = ds
	return res, nil
}

// Download resolves the report, checks the filters against filterVerdier
// and fetches the data, without parsing it: the Result has no Dataset, and
// its last exchange is the data response.
func (c *Client) Download(ctx context.Context, q Query) (*Result, error) {
	res := &Result{}
	path, ex, err := c.resolve(ctx, q.Report)
	if ex != nil {
		res.Exchanges = append(res.Exchanges, *ex)
	}
	if err != nil {
		return nil, err
	}
	res.Path = path
	filters, ex, err := c.filters(ctx, q.Report, path)
	if ex != nil {
		res.Exchanges = append(res.Exchanges, *ex)
	}
	if err != nil {
		return nil, err
	}
	fs, err := checkFilters(q, filters)
	if err != nil {
		return nil, err
	}
	u := c.base + "/" + path + "/data?" + dataQuery(q.RowPath, fs)
	ex, err = c.w.Do(ctx, httpx.Request{URL: u, Accept: "application/json", Check: c.w.CheckJSON})
	if ex != nil {
		res.Exchanges = append(res.Exchanges, *ex)
	}
	if err != nil {
		return nil, fmt.Errorf("udir: report %s: %w", q.Report, err)
	}
	return res, nil
}

// Resolve returns the current data path of a report code.
func (c *Client) Resolve(ctx context.Context, code string) (string, error) {
	p, _, err := c.resolve(ctx, code)
	return p, err
}

func (c *Client) resolve(ctx context.Context, code string) (string, *Exchange, error) {
	if code == "" {
		return "", nil, fmt.Errorf("udir: no report code")
	}
	ex, err := c.w.Do(ctx, httpx.Request{URL: c.base + "/Rapportside/" + url.PathEscape(code), Accept: "application/json", Check: c.w.CheckJSON})
	if err != nil {
		return "", ex, fmt.Errorf("udir: report %s: resolve: %w", code, err)
	}
	p, err := parsePath(ex.Body)
	if err != nil {
		return "", ex, fmt.Errorf("udir: report %s: Rapportside: %w", code, err)
	}
	return p, ex, nil
}

// parsePath reads a Rapportside response: a JSON string or an object with
// "sti", "path", "dataSti" or "url".
func parsePath(body []byte) (string, error) {
	var s string
	if json.Unmarshal(body, &s) == nil && s != "" {
		return cleanPath(s)
	}
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		return "", fmt.Errorf("not a JSON string or object: %w", err)
	}
	for _, k := range []string{"sti", "path", "dataSti", "url", "Sti", "Path"} {
		if v, ok := obj[k].(string); ok && v != "" {
			return cleanPath(v)
		}
	}
	return "", fmt.Errorf("no data path (sti, path, dataSti or url) in the response")
}

func cleanPath(p string) (string, error) {
	p = strings.Trim(strings.TrimSpace(p), "/")
	if p == "" || strings.Contains(p, "..") || strings.ContainsAny(p, "?#") {
		return "", fmt.Errorf("data path %q is not usable", p)
	}
	return p, nil
}

// Filters returns the filter values a data path accepts.
func (c *Client) Filters(ctx context.Context, path string) ([]FilterInfo, error) {
	f, _, err := c.filters(ctx, path, path)
	return f, err
}

func (c *Client) filters(ctx context.Context, code, path string) ([]FilterInfo, *Exchange, error) {
	ex, err := c.w.Do(ctx, httpx.Request{URL: c.base + "/" + path + "/filterVerdier", Accept: "application/json", Check: c.w.CheckJSON})
	if err != nil {
		return nil, ex, fmt.Errorf("udir: report %s: filterVerdier: %w", code, err)
	}
	var fs []FilterInfo
	if err := json.Unmarshal(ex.Body, &fs); err != nil {
		return nil, ex, fmt.Errorf("udir: report %s: filterVerdier: %w", code, err)
	}
	return fs, ex, nil
}

// checkFilters checks every requested value against filterVerdier and
// resolves "siste" to the highest listed value.
func checkFilters(q Query, infos []FilterInfo) ([]Filter, error) {
	byID := map[string]FilterInfo{}
	for _, f := range infos {
		byID[f.ID] = f
	}
	out := make([]Filter, 0, len(q.Filter))
	for _, f := range q.Filter {
		info, ok := byID[f.ID]
		if !ok {
			ids := make([]string, 0, len(byID))
			for id := range byID {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			return nil, fmt.Errorf("udir: report %s: filter %s is not offered (filters: %s)", q.Report, f.ID, strings.Join(ids, ", "))
		}
		known := map[string]bool{"-10": true}
		latest := ""
		for _, v := range info.Verdier {
			known[v.ID] = true
			if idLess(latest, v.ID) {
				latest = v.ID
			}
		}
		nf := Filter{ID: f.ID}
		for _, v := range f.Values {
			if v == "siste" {
				if latest == "" {
					return nil, fmt.Errorf("udir: report %s: filter %s has no values", q.Report, f.ID)
				}
				v = latest
			}
			if !known[v] {
				return nil, fmt.Errorf("udir: report %s: filter %s: value %s is not offered", q.Report, f.ID, v)
			}
			nf.Values = append(nf.Values, v)
		}
		out = append(out, nf)
	}
	return out, nil
}

// idLess compares filter value ids numerically when both are integers.
func idLess(a, b string) bool {
	if a == "" {
		return true
	}
	x, e1 := strconv.Atoi(a)
	y, e2 := strconv.Atoi(b)
	if e1 == nil && e2 == nil {
		return x < y
	}
	return a < b
}

// dataQuery renders radSti and filter parameters.
func dataQuery(rowPath string, fs []Filter) string {
	parts := make([]string, 0, len(fs))
	for _, f := range fs {
		parts = append(parts, f.ID+"("+strings.Join(f.Values, "_")+")")
	}
	v := url.Values{}
	if rowPath != "" {
		v.Set("radSti", rowPath)
	}
	if len(parts) > 0 {
		v.Set("filter", strings.Join(parts, "_"))
	}
	return v.Encode()
}

// DataURL returns the data URL Fetch requests for a resolved path (after
// "siste" is resolved), for building bundles and tests.
func DataURL(base, path, rowPath string, fs []Filter) string {
	return strings.TrimRight(base, "/") + "/" + path + "/data?" + dataQuery(rowPath, fs)
}

// response is the data response.
type response struct {
	Metadata struct {
		RowHierarchy []struct {
			ID   string `json:"id"`
			Navn string `json:"navn"`
		} `json:"rowHierarchy"`
		Columns []struct {
			ID   string `json:"id"`
			Navn string `json:"navn"`
		} `json:"columns"`
	} `json:"metadata"`
	Rows []struct {
		Navn string            `json:"navn"`
		ID   json.RawMessage   `json:"id"`
		Data []json.RawMessage `json:"data"`
	} `json:"rows"`
}

// Parse turns a data response into the tidy dataset (pure).
func Parse(q Query, body []byte, regions tabular.Regions) (*jsonstat.Dataset, error) {
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("udir: report %s: data: %w", q.Report, err)
	}
	if n := len(r.Metadata.RowHierarchy); n > 1 {
		return nil, fmt.Errorf("udir: report %s: data: a row hierarchy of %d levels is not supported; select one level with radSti", q.Report, n)
	}
	if len(r.Metadata.Columns) == 0 {
		return nil, fmt.Errorf("udir: report %s: data: metadata.columns is empty", q.Report)
	}
	name := "Udir " + q.Report
	t := &tabular.Table{File: name, Header: [][]string{{"id", "navn"}, {"", ""}}}
	labels := map[string]string{}
	for i, c := range r.Metadata.Columns {
		id := c.ID
		if id == "" {
			id = strconv.Itoa(i)
		}
		t.Header[0] = append(t.Header[0], "col:"+id)
		t.Header[1] = append(t.Header[1], c.Navn)
		labels[id] = c.Navn
	}
	for i, row := range r.Rows {
		id, err := scalar(row.ID)
		if err != nil {
			return nil, &tabular.ParseError{File: name, Row: i + 1, Column: "id", Err: err}
		}
		if len(row.Data) != len(r.Metadata.Columns) {
			return nil, &tabular.ParseError{File: name, Row: i + 1, Column: "data",
				Err: fmt.Errorf("%d cells for %d columns", len(row.Data), len(r.Metadata.Columns))}
		}
		rec := []string{id, row.Navn}
		for j, d := range row.Data {
			s, err := scalar(d)
			if err != nil {
				return nil, &tabular.ParseError{File: name, Row: i + 1, Column: t.Header[0][j+2], Err: err}
			}
			rec = append(rec, s)
		}
		t.Rows = append(t.Rows, rec)
		t.Line = append(t.Line, i+1)
	}
	two := 2
	m := &tabular.Mapping{
		Name:       strings.ToLower(q.Report),
		Label:      firstOf(q.Label, q.Report),
		Source:     "Utdanningsdirektoratet",
		HeaderRows: &two,
		Decimal:    ",",
		Region:     tabular.Region{Cell: tabular.Cell{Column: "id", LabelColumn: "navn", Map: q.RegionMap}},
		Notes:      []string{Attribution},
		Melt:       &tabular.Melt{Columns: "^col:"},
	}
	if m.Region.Map == nil {
		m.Region.Map = map[string]string{"-10": "0"}
	}
	if q.ColumnDim == "" || q.ColumnDim == tabular.DimPeriod {
		m.Melt.Parts = []tabular.Part{{Dim: tabular.DimPeriod, Row: 1}}
	} else {
		if q.Period == "" {
			return nil, fmt.Errorf("udir: report %s: columns are %s, so the query must give the period", q.Report, q.ColumnDim)
		}
		m.Period = tabular.Period{Cell: tabular.Cell{Value: q.Period}}
		m.Melt.Parts = []tabular.Part{{Dim: q.ColumnDim, DimLabel: q.ColumnDimLabel, Row: 0, Pattern: "^col:(.*)$", Labels: labels}}
	}
	m.SeriesBreaks = append(m.SeriesBreaks, q.SeriesBreaks...)
	if strings.Contains(strings.ToLower(q.Report), "gjennomfoering") {
		m.SeriesBreaks = append(m.SeriesBreaks, tabular.SeriesBreak{Note: "Fylke er fylket eleven gikk i ved start av kullet (før 2020 de gamle fylkene), ikke dagens fylke."})
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("udir: report %s: %w", q.Report, err)
	}
	ds, err := tabular.Build(t, m, tabular.Options{Regions: regions})
	if err != nil {
		return nil, fmt.Errorf("udir: report %s: %w", q.Report, err)
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
		return "", fmt.Errorf("cell %s is not a string, number or null", s)
	}
	// Render with a decimal comma to match the Udir text cells.
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1), nil
}

// ParseExport reads a statistics-bank export file (the fallback) with the
// shipped "udir-statistikkbank" mapping.
func ParseExport(name string, data []byte, regions tabular.Regions) (*jsonstat.Dataset, error) {
	m, err := tabular.Builtin("udir-statistikkbank")
	if err != nil {
		return nil, fmt.Errorf("udir: %w", err)
	}
	ds, err := tabular.Parse(name, data, m, tabular.Options{Regions: regions})
	if err != nil {
		return nil, fmt.Errorf("udir: %w", err)
	}
	return ds, nil
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// FetchExport downloads a statistics-bank export file (the fallback when
// the report API fails) and reads it with ParseExport.
func (c *Client) FetchExport(ctx context.Context, fileURL string) (*jsonstat.Dataset, *Exchange, error) {
	ex, err := c.w.Do(ctx, httpx.Request{URL: fileURL})
	if err != nil {
		return nil, ex, err
	}
	ds, err := ParseExport(fileName(fileURL), ex.Body, c.opts.Regions)
	return ds, ex, err
}

func fileName(u string) string {
	if i := strings.LastIndexByte(u, '/'); i >= 0 && i+1 < len(u) {
		return u[i+1:]
	}
	return u
}
