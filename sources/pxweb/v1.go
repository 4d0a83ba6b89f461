package pxweb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// v1Meta is the GET response of a v1 table.
type v1Meta struct {
	Title     string `json:"title"`
	Variables []struct {
		Code        string   `json:"code"`
		Text        string   `json:"text"`
		Values      []string `json:"values"`
		ValueTexts  []string `json:"valueTexts"`
		Elimination bool     `json:"elimination"`
		Time        bool     `json:"time"`
	} `json:"variables"`
}

func (c *Client) v1TableURL(id string) string {
	return c.base + "/" + url.PathEscape(c.v1Lang()) + "/table/" + url.PathEscape(id)
}

// v1Metadata GETs the v1 table and converts it to a dataset without values.
func (c *Client) v1Metadata(ctx context.Context, cl *call, id string) (*jsonstat.Dataset, error) {
	var m v1Meta
	if err := c.getJSON(ctx, cl, c.v1TableURL(id), &m); err != nil {
		return nil, fmt.Errorf("pxweb: table %s: v1 metadata: %w", id, err)
	}
	ds := &jsonstat.Dataset{Label: m.Title}
	for i, v := range m.Variables {
		if v.Code == "" || len(v.Values) == 0 {
			return nil, fmt.Errorf("pxweb: table %s: v1 metadata: variable %d (%q): no code or no values", id, i, v.Code)
		}
		labels := v.ValueTexts
		if len(labels) != len(v.Values) {
			labels = v.Values
		}
		ext, _ := json.Marshal(map[string]bool{"elimination": v.Elimination})
		ds.Dims = append(ds.Dims, &jsonstat.Dimension{ID: v.Code, Label: v.Text,
			Codes: v.Values, Labels: labels, Extension: ext})
		if v.Time {
			ds.Role.Time = append(ds.Role.Time, v.Code)
		}
	}
	return ds, nil
}

type v1Query struct {
	Query    []v1VarQuery `json:"query"`
	Response struct {
		Format string `json:"format"`
	} `json:"response"`
}

type v1VarQuery struct {
	Code      string `json:"code"`
	Selection struct {
		Filter string   `json:"filter"`
		Values []string `json:"values"`
	} `json:"selection"`
}

// V1Filter maps a v2 codelist ID to a v1 filter: "" -> "item",
// "agg_X" -> "agg:X", "vs_X" -> "vs:X"; other IDs are taken as
// "agg:" + ID. (With outputValues "single", v1Data sends "agg_single:X".)
func V1Filter(codelist string) string {
	switch {
	case codelist == "":
		return "item"
	case strings.HasPrefix(codelist, "agg_"):
		return "agg:" + codelist[len("agg_"):]
	case strings.HasPrefix(codelist, "vs_"):
		return "vs:" + codelist[len("vs_"):]
	}
	return "agg:" + codelist
}

// v1Data POSTs a v1 query with explicit codes for one chunk.
func (c *Client) v1Data(ctx context.Context, cl *call, id string, sel Selection) (*Exchange, error) {
	var q v1Query
	q.Response.Format = "json-stat2"
	for _, v := range sel {
		vq := v1VarQuery{Code: v.Variable}
		vq.Selection.Filter = V1Filter(v.Codelist)
		if v.OutputValues == "single" && strings.HasPrefix(vq.Selection.Filter, "agg:") {
			vq.Selection.Filter = "agg_single:" + vq.Selection.Filter[len("agg:"):]
		}
		vq.Selection.Values = v.ValueCodes
		q.Query = append(q.Query, vq)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(q) // strings and slices only: cannot fail
	return c.do(ctx, cl, http.MethodPost, c.v1TableURL(id), bytes.TrimSpace(buf.Bytes()))
}
