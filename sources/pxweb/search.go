package pxweb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// FormatError is a 2xx answer of the API that does not have the shape the
// client needs: a required field missing, a field of the wrong type, page
// numbers that contradict each other. Field is the JSON path of the
// offending field ("page.totalPages", "tables[3].id",
// "dimension.Region.extension"), "" for the body as a whole.
type FormatError struct {
	URL   string
	Field string
	Err   error
}

func (e *FormatError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("pxweb: GET %s: %v", httpx.ShortURL(e.URL), e.Err)
	}
	return fmt.Sprintf("pxweb: GET %s: %s: %v", httpx.ShortURL(e.URL), e.Field, e.Err)
}

// Unwrap returns the underlying problem.
func (e *FormatError) Unwrap() error { return e.Err }

// Paging is the page object of a /tables answer.
type Paging struct {
	PageNumber    int `json:"pageNumber"` // 1-based
	PageSize      int `json:"pageSize"`
	TotalElements int `json:"totalElements"`
	TotalPages    int `json:"totalPages"`
	// Next is the href of the page's "next" link; "" on the last page.
	Next string `json:"-"`
}

// SearchResult is one page of a table search (GET /tables?query=).
type SearchResult struct {
	Language string
	Tables   []TableInfo
	Page     Paging
}

// Search asks GET {base}/tables?query=Q&pageNumber=P (and lang= when
// Options.Lang is set) for one page of the tables matching query; query ""
// lists every table. PxWebApi v2 only; page is 1-based.
//
// The answer is decoded strictly (decodeTablesPage): an answer without
// `tables` or `page`, a table without id or label, a page number past
// totalPages or more tables than pageSize is a *FormatError naming the URL
// and the field.
func (c *Client) Search(ctx context.Context, query string, page int) (*SearchResult, error) {
	if page < 1 {
		return nil, fmt.Errorf("pxweb: search %q: page %d: pages are numbered from 1", query, page)
	}
	if err := c.needV2(ctx, nil); err != nil {
		return nil, fmt.Errorf("pxweb: search %q: %w", query, err)
	}
	u := c.base + "/tables" + c.query("query", query, "pageNumber", strconv.Itoa(page))
	ex, err := c.do(ctx, nil, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("pxweb: search %q: %w", query, err)
	}
	res, err := decodeTablesPage(ex.Body)
	if err != nil {
		return nil, withURL(u, err)
	}
	return res, nil
}

// withURL fills in the URL of a *FormatError made without one.
func withURL(u string, err error) error {
	var fe *FormatError
	if errors.As(err, &fe) && fe.URL == "" {
		fe.URL = u
	}
	return err
}

// link is an item of a PxWebApi links array.
type link struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
}

// decodeTablesPage decodes a /tables answer:
//
//	{"language":"sv","tables":[TableInfo...],
//	 "page":{"pageNumber":1,"pageSize":20,"totalElements":4246,"totalPages":213,
//	         "links":[{"rel":"next","href":"..."}]},
//	 "links":[...]}
//
// `tables` (possibly empty) and `page` with its four numbers are required;
// every table needs an id and a label, and no id may appear twice. The
// numbers must agree: pageNumber >= 1, no count negative, no more tables
// than pageSize (when pageSize > 0), totalPages >= 1 when totalElements >
// 0, and pageNumber <= totalPages unless the page is empty. Unknown fields
// are ignored (later API versions add some). The errors are *FormatError
// without URL; Search adds it.
func decodeTablesPage(b []byte) (*SearchResult, error) {
	var raw struct {
		Language string             `json:"language"`
		Tables   *[]json.RawMessage `json:"tables"`
		Page     *struct {
			PageNumber    *int   `json:"pageNumber"`
			PageSize      *int   `json:"pageSize"`
			TotalElements *int   `json:"totalElements"`
			TotalPages    *int   `json:"totalPages"`
			Links         []link `json:"links"`
		} `json:"page"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, &FormatError{Field: jsonField(err), Err: err}
	}
	bad := func(field, format string, a ...any) error {
		return &FormatError{Field: field, Err: fmt.Errorf(format, a...)}
	}
	if raw.Tables == nil {
		return nil, bad("tables", "missing")
	}
	if raw.Page == nil {
		return nil, bad("page", "missing")
	}
	p := raw.Page
	for _, f := range []struct {
		name string
		v    *int
	}{{"pageNumber", p.PageNumber}, {"pageSize", p.PageSize}, {"totalElements", p.TotalElements}, {"totalPages", p.TotalPages}} {
		if f.v == nil {
			return nil, bad("page."+f.name, "missing")
		}
		if *f.v < 0 {
			return nil, bad("page."+f.name, "negative (%d)", *f.v)
		}
	}
	res := &SearchResult{Language: raw.Language, Page: Paging{PageNumber: *p.PageNumber, PageSize: *p.PageSize,
		TotalElements: *p.TotalElements, TotalPages: *p.TotalPages}}
	pg := &res.Page
	n := len(*raw.Tables)
	switch {
	case pg.PageNumber < 1:
		return nil, bad("page.pageNumber", "%d: pages are numbered from 1", pg.PageNumber)
	case pg.PageSize > 0 && n > pg.PageSize:
		return nil, bad("tables", "%d tables on a page of size %d", n, pg.PageSize)
	case n > pg.TotalElements:
		return nil, bad("page.totalElements", "%d, but the page holds %d tables", pg.TotalElements, n)
	case pg.TotalElements > 0 && pg.TotalPages < 1:
		return nil, bad("page.totalPages", "%d for %d tables", pg.TotalPages, pg.TotalElements)
	case n > 0 && pg.PageNumber > pg.TotalPages:
		return nil, bad("page.pageNumber", "%d is past totalPages %d", pg.PageNumber, pg.TotalPages)
	}
	for _, l := range p.Links {
		if l.Rel == "next" {
			pg.Next = l.Href
		}
	}
	seen := make(map[string]bool, n)
	res.Tables = make([]TableInfo, 0, n)
	for i, rt := range *raw.Tables {
		at := "tables[" + strconv.Itoa(i) + "]"
		var t TableInfo
		if err := json.Unmarshal(rt, &t); err != nil {
			f := jsonField(err)
			if f != "" {
				f = at + "." + f
			} else {
				f = at
			}
			return nil, &FormatError{Field: f, Err: err}
		}
		if t.ID == "" {
			return nil, bad(at+".id", "missing or empty")
		}
		if t.Label == "" {
			return nil, bad(at+".label", "missing or empty (table %s)", t.ID)
		}
		if seen[t.ID] {
			return nil, bad(at+".id", "table %s listed twice", t.ID)
		}
		seen[t.ID] = true
		res.Tables = append(res.Tables, t)
	}
	return res, nil
}

// jsonField returns the field an encoding/json error names, "" if none.
func jsonField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}

// TableDescription is a table as `grunnlag tables show` prints it: its
// TableInfo (GET /tables/{id}) and its variables from the metadata (GET
// /tables/{id}/metadata?outputFormat=json-stat2).
type TableDescription struct {
	Info TableInfo
	// Source is the metadata's source (the producer: "SCB", "Statistisk
	// sentralbyrå").
	Source string
	// Notes are the table's notes from the metadata.
	Notes []string
	// Variables are in metadata order.
	Variables []Variable
}

// Variable is one variable (dimension) of a table.
type Variable struct {
	Code  string
	Label string
	// Time is true for the time variable (role time).
	Time bool
	// Elimination is true when the variable may be left out of a
	// selection (extension.elimination, never for the time variable);
	// EliminationValue is the value the table then shows
	// (extension.eliminationValueCode), "" when the server sums.
	Elimination      bool
	EliminationValue string
	Values           []Value
	// Codelists are the aggregations and valuesets the variable can be
	// selected through (extension.codelists).
	Codelists []CodelistRef
}

// Value is one value of a variable. The unit fields are set for the
// values of the contents variable (role metric, "ContentsCode").
type Value struct {
	Code  string
	Label string
	// Unit is category.unit's base (PxWebApi's unit name: "antal",
	// "prosent"), else its label.
	Unit     string
	Decimals *int
	// MeasuringType ("Stock", "Flow", "Average"...) and RefPeriod come
	// from the contents variable's extension.
	MeasuringType string
	RefPeriod     string
}

// CodelistRef names a codelist of a variable; Codelist returns its values.
type CodelistRef struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Type  string `json:"type"` // "Aggregation" or "Valueset"
}

// dimExtension is the PxWebApi v2 extension of a metadata dimension.
type dimExtension struct {
	Elimination          *bool             `json:"elimination"`
	EliminationValueCode string            `json:"eliminationValueCode"`
	Codelists            []CodelistRef     `json:"codelists"`
	MeasuringType        map[string]string `json:"measuringType"`
	RefPeriod            map[string]string `json:"refperiod"`
}

// Describe returns the table's TableInfo and variables: GET /tables/{id},
// then its metadata. PxWebApi v2 only. A metadata dimension whose
// extension is malformed, or a TableInfo without id, is a *FormatError
// naming the URL; a table the server does not know is the
// *httpx.HTTPError of its 404.
func (c *Client) Describe(ctx context.Context, id string) (*TableDescription, error) {
	if id == "" {
		return nil, errors.New("pxweb: describe: no table ID")
	}
	if err := c.needV2(ctx, nil); err != nil {
		return nil, fmt.Errorf("pxweb: table %s: %w", id, err)
	}
	u := c.base + "/tables/" + url.PathEscape(id) + c.query()
	ex, err := c.do(ctx, nil, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("pxweb: table %s: %w", id, err)
	}
	var info TableInfo
	if err := json.Unmarshal(ex.Body, &info); err != nil {
		return nil, &FormatError{URL: u, Field: jsonField(err), Err: err}
	}
	if info.ID == "" {
		return nil, &FormatError{URL: u, Field: "id", Err: errors.New("missing or empty")}
	}
	mu := c.base + "/tables/" + url.PathEscape(id) + "/metadata" + c.query("outputFormat", "json-stat2")
	ex, err = c.do(ctx, nil, http.MethodGet, mu, nil)
	if err != nil {
		return nil, fmt.Errorf("pxweb: table %s: metadata: %w", id, err)
	}
	meta, err := jsonstat.DecodeDataset(bytes.NewReader(ex.Body))
	if err != nil {
		return nil, &FormatError{URL: mu, Err: err}
	}
	d, err := describeMetadata(info, meta)
	if err != nil {
		return nil, withURL(mu, err)
	}
	return d, nil
}

// describeMetadata builds the description of a table from its TableInfo
// and metadata.
func describeMetadata(info TableInfo, meta *jsonstat.Dataset) (*TableDescription, error) {
	if len(meta.Dims) == 0 {
		return nil, &FormatError{Field: "dimension", Err: errors.New("the metadata has no variables")}
	}
	d := &TableDescription{Info: info, Source: meta.Source, Notes: meta.Note}
	for _, dim := range meta.Dims {
		var ext dimExtension
		if len(dim.Extension) > 0 {
			if err := json.Unmarshal(dim.Extension, &ext); err != nil {
				return nil, &FormatError{Field: "dimension." + dim.ID + ".extension", Err: err}
			}
		}
		v := Variable{Code: dim.ID, Label: dim.Label, Time: slices.Contains(meta.Role.Time, dim.ID),
			EliminationValue: ext.EliminationValueCode, Codelists: ext.Codelists}
		v.Elimination = !v.Time && ext.Elimination != nil && *ext.Elimination
		v.Values = make([]Value, len(dim.Codes))
		for i, code := range dim.Codes {
			val := Value{Code: code, Label: dim.Labels[i], MeasuringType: ext.MeasuringType[code], RefPeriod: ext.RefPeriod[code]}
			if u, ok := dim.Unit[code]; ok {
				val.Unit, val.Decimals = u.Base, u.Decimals
				if val.Unit == "" {
					val.Unit = u.Label
				}
			}
			v.Values[i] = val
		}
		d.Variables = append(d.Variables, v)
	}
	return d, nil
}
