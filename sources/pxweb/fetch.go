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
	"strings"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// Result is the outcome of a Fetch.
type Result struct {
	// Dataset is the whole selection merged from its chunks, dimensions and
	// categories in metadata order (an aggregated codelist's values in
	// codelist order).
	Dataset *jsonstat.Dataset
	// Plan is the plan executed; its Chunks include any cut in two after a
	// 403.
	Plan *Plan
	// Exchanges are every response received during the Fetch, in order.
	Exchanges []Exchange
	// Requests is the number of HTTP requests sent during the Fetch
	// (config, metadata, codelists, data, retries).
	Requests int
}

// dimExt is the part of a PxWebApi dimension extension the client reads.
type dimExt struct {
	Elimination *bool `json:"elimination"`
}

// Plan resolves sel against the table's metadata (and codelists) and
// returns the chunks a Fetch would request, without requesting data.
func (c *Client) Plan(ctx context.Context, id string, sel Selection) (*Plan, error) {
	p, _, err := c.plan(ctx, nil, id, sel)
	return p, err
}

func (c *Client) plan(ctx context.Context, cl *call, id string, sel Selection) (*Plan, *jsonstat.Dataset, error) {
	cfg, err := c.config(ctx, cl)
	if err != nil {
		return nil, nil, fmt.Errorf("pxweb: table %s: %w", id, err)
	}
	meta, err := c.metadata(ctx, cl, id)
	if err != nil {
		return nil, nil, err
	}
	vars, shape, err := c.resolve(ctx, cl, cfg.Version, meta, sel)
	if err != nil {
		return nil, nil, fmt.Errorf("pxweb: table %s: %w", id, err)
	}
	maxCells := cfg.MaxDataCells
	if lim := c.cellLimit(); lim > 0 && lim < maxCells {
		maxCells = lim
	}
	p := &Plan{Table: id, MaxCells: maxCells, Vars: vars}
	sizes := make([]int, len(vars))
	ti := -1
	for i, v := range vars {
		sizes[i] = len(v.Codes)
		if v.Time && ti < 0 {
			ti = i
		}
	}
	b, err := Split(sizes, maxCells, ti)
	if err != nil {
		return nil, nil, fmt.Errorf("pxweb: table %s: %w", id, err)
	}
	for i := range p.Vars {
		p.Vars[i].Blocks = b[i]
	}
	p.makeChunks()
	return p, shape, nil
}

// resolve turns sel into explicit codes per variable, in metadata order,
// and builds the merge shape (the metadata restricted to the selected
// variables, an aggregated codelist replacing its variable's values).
//
// A valueset is resolved against its codes put in metadata order and sent
// with its codelist. An aggregation with output "aggregated" (or "") is
// resolved against its codes in codelist order and sent with its codelist;
// with "single" the selected groups are expanded to their valueMap members,
// which are sent as plain value codes (the same values, without a
// codelist). With v1 a codelist takes literal codes only (v1 has no
// codelist endpoint), in the order given.
func (c *Client) resolve(ctx context.Context, cl *call, version string, meta *jsonstat.Dataset, sel Selection) ([]PlanVar, *jsonstat.Dataset, error) {
	byVar := map[string]VarSelection{}
	for _, vs := range sel {
		if meta.Dim(vs.Variable) == nil {
			return nil, nil, fmt.Errorf("variable %q is not in the table", vs.Variable)
		}
		if _, dup := byVar[vs.Variable]; dup {
			return nil, nil, fmt.Errorf("variable %q selected twice", vs.Variable)
		}
		byVar[vs.Variable] = vs
	}
	shape := &jsonstat.Dataset{Label: meta.Label, Source: meta.Source, Updated: meta.Updated,
		Role: meta.Role, Extension: meta.Extension, Note: meta.Note}
	var vars []PlanVar
	for _, dim := range meta.Dims {
		isTime := slices.Contains(meta.Role.Time, dim.ID)
		vs, ok := byVar[dim.ID]
		if !ok {
			var ext dimExt
			if len(dim.Extension) > 0 {
				_ = json.Unmarshal(dim.Extension, &ext)
			}
			if isTime || ext.Elimination == nil || !*ext.Elimination {
				return nil, nil, fmt.Errorf("variable %q must be selected: it cannot be eliminated", dim.ID)
			}
			continue
		}
		pv, sdim, err := c.resolveVar(ctx, cl, version, dim, isTime, vs)
		if err != nil {
			return nil, nil, fmt.Errorf("variable %q: %w", dim.ID, err)
		}
		vars = append(vars, pv)
		shape.Dims = append(shape.Dims, sdim)
	}
	return vars, shape, nil
}

func (c *Client) resolveVar(ctx context.Context, cl *call, version string, dim *jsonstat.Dimension, isTime bool, vs VarSelection) (PlanVar, *jsonstat.Dimension, error) {
	pv := PlanVar{Variable: dim.ID, Time: isTime}
	if len(vs.ValueCodes) == 0 {
		return pv, nil, fmt.Errorf("no value codes")
	}
	pick := func(codes []string, pos []int) []string {
		out := make([]string, len(pos))
		for i, p := range pos {
			out[i] = codes[p]
		}
		return out
	}
	if vs.Codelist == "" {
		pos, err := Resolve(dim.Codes, isTime, vs.ValueCodes)
		if err != nil {
			return pv, nil, err
		}
		pv.Codes = pick(dim.Codes, pos)
		return pv, dim, nil
	}
	ov := strings.ToLower(vs.OutputValues)
	if ov != "" && ov != "aggregated" && ov != "single" {
		return pv, nil, fmt.Errorf("outputValues %q: want aggregated or single", vs.OutputValues)
	}
	if version == "v1" {
		var codes []string
		for _, s := range vs.ValueCodes {
			if e, err := ParseExpr(s); err != nil || e.Kind != ExprCode {
				return pv, nil, fmt.Errorf("codelist %s: v1 takes literal codes only, got %q", vs.Codelist, s)
			}
			if !slices.Contains(codes, s) {
				codes = append(codes, s)
			}
		}
		pv.Codelist, pv.OutputValues, pv.Codes = vs.Codelist, ov, codes
		return pv, &jsonstat.Dimension{ID: dim.ID, Label: dim.Label, Codes: codes, Labels: codes}, nil
	}
	list, err := c.codelist(ctx, cl, vs.Codelist)
	if err != nil {
		return pv, nil, err
	}
	metaPos := make(map[string]int, len(dim.Codes))
	for i, code := range dim.Codes {
		metaPos[code] = i
	}
	lcodes := make([]string, len(list.Values))
	for i, v := range list.Values {
		lcodes[i] = v.Code
	}
	switch {
	case strings.EqualFold(list.Type, "Valueset"):
		// Codes in metadata order.
		var ps []int
		for _, code := range lcodes {
			p, ok := metaPos[code]
			if !ok {
				return pv, nil, fmt.Errorf("codelist %s: value %q is not a value of the variable", list.ID, code)
			}
			ps = append(ps, p)
		}
		slices.Sort(ps)
		ordered := pick(dim.Codes, ps)
		pos, err := Resolve(ordered, isTime, vs.ValueCodes)
		if err != nil {
			return pv, nil, fmt.Errorf("codelist %s: %w", list.ID, err)
		}
		pv.Codelist, pv.OutputValues, pv.Codes = list.ID, ov, pick(ordered, pos)
		return pv, dim, nil
	case ov == "single":
		pos, err := Resolve(lcodes, isTime, vs.ValueCodes)
		if err != nil {
			return pv, nil, fmt.Errorf("codelist %s: %w", list.ID, err)
		}
		seen := map[int]bool{}
		var ps []int
		for _, p := range pos {
			for _, m := range list.Values[p].ValueMap {
				mp, ok := metaPos[m]
				if !ok {
					return pv, nil, fmt.Errorf("codelist %s: value %q: member %q is not a value of the variable", list.ID, list.Values[p].Code, m)
				}
				if !seen[mp] {
					seen[mp] = true
					ps = append(ps, mp)
				}
			}
		}
		slices.Sort(ps)
		pv.Codes = pick(dim.Codes, ps)
		return pv, dim, nil
	default: // aggregation, aggregated output
		pos, err := Resolve(lcodes, isTime, vs.ValueCodes)
		if err != nil {
			return pv, nil, fmt.Errorf("codelist %s: %w", list.ID, err)
		}
		pv.Codelist, pv.OutputValues, pv.Codes = list.ID, "aggregated", pick(lcodes, pos)
		sd := &jsonstat.Dimension{ID: dim.ID, Label: dim.Label, Extension: dim.Extension}
		for _, v := range list.Values {
			sd.Codes = append(sd.Codes, v.Code)
			sd.Labels = append(sd.Labels, v.Label)
		}
		return pv, sd, nil
	}
}

// Fetch plans the selection (see Split), requests every chunk through the
// Limiter with retries, cuts a chunk answered 403 in two and requests the
// halves, and merges the chunks into one dataset with jsonstat.Merge, the
// metadata giving the order. Any chunk that fails fails the Fetch: there is
// no partial result.
func (c *Client) Fetch(ctx context.Context, id string, sel Selection) (*Result, error) {
	cl := &call{}
	res, err := c.fetch(ctx, cl, id, sel)
	if res != nil {
		res.Exchanges, res.Requests = cl.Exchanges, cl.Requests
	}
	return res, err
}

func (c *Client) fetch(ctx context.Context, cl *call, id string, sel Selection) (*Result, error) {
	p, shape, err := c.plan(ctx, cl, id, sel)
	if err != nil {
		return nil, err
	}
	cfg, err := c.config(ctx, cl) // cached by plan
	if err != nil {
		return nil, err
	}
	version := cfg.Version
	queue := slices.Clone(p.Chunks)
	var done []Chunk
	var parts []*jsonstat.Dataset
	total := len(queue)
	for len(queue) > 0 {
		ch := queue[0]
		queue = queue[1:]
		// A 403 earlier in the run lowered the limit: cut a chunk above it
		// before sending it rather than after the server refuses it.
		if lim := c.cellLimit(); lim > 0 && ch.Cells > lim {
			if a, b, ok := ch.halve(); ok {
				queue = append([]Chunk{a, b}, queue...)
				total++
				continue
			}
		}
		ds, err := c.chunk(ctx, cl, version, id, ch)
		var he *httpx.HTTPError
		if errors.As(err, &he) && he.Status == http.StatusForbidden {
			if a, b, ok := ch.halve(); ok {
				c.lowerCellLimit(max(a.Cells, b.Cells))
				c.log.WarnContext(ctx, "pxweb: too many cells, cutting chunk in two", "dataset", id, "cells", ch.Cells)
				queue = append([]Chunk{a, b}, queue...)
				total++
				continue
			}
		}
		if err != nil {
			return nil, fmt.Errorf("pxweb: table %s: chunk %d of %d: %w", id, len(done)+1, total, err)
		}
		parts = append(parts, ds)
		done = append(done, ch)
		if c.opts.Progress != nil {
			c.opts.Progress(len(done), total)
		}
	}
	p.Chunks = done
	if version == "v1" {
		v1Labels(shape, p.Vars, parts)
	}
	merged, err := jsonstat.Merge(shape, parts)
	if err != nil {
		return nil, fmt.Errorf("pxweb: table %s: merging %d chunks: %w", id, len(parts), err)
	}
	return &Result{Dataset: merged, Plan: p}, nil
}

// chunk requests and decodes one chunk.
func (c *Client) chunk(ctx context.Context, cl *call, version, id string, ch Chunk) (*jsonstat.Dataset, error) {
	var ex *Exchange
	var err error
	if version == "v1" {
		ex, err = c.v1Data(ctx, cl, id, ch.Selection)
	} else {
		ex, err = c.v2Data(ctx, cl, id, ch.Selection)
	}
	if err != nil {
		return nil, err
	}
	ds, err := jsonstat.DecodeDataset(bytes.NewReader(ex.Body))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", ex.Method, httpx.ShortURL(ex.URL), err)
	}
	if ds.Size() != ch.Cells {
		return nil, fmt.Errorf("%s %s: response has %d cells, want %d", ex.Method, httpx.ShortURL(ex.URL), ds.Size(), ch.Cells)
	}
	return ds, nil
}

// v2Body is the POST body of /tables/{id}/data.
type v2Body struct {
	Selection []v2VarSel `json:"selection"`
}

type v2VarSel struct {
	VariableCode string   `json:"variableCode"`
	Codelist     string   `json:"codelist,omitempty"`
	OutputValues string   `json:"outputValues,omitempty"`
	ValueCodes   []string `json:"valueCodes"`
}

// DataRequest returns the method, URL and body (nil for GET) of the v2
// data request for an explicit selection: GET with valueCodes[Var]=a,b
// (plus codelist[Var] and outputValues[Var]) unless the URL would exceed
// 2000 characters or a code contains a comma, else POST with a JSON body.
func (c *Client) DataRequest(id string, sel Selection) (method, u string, body []byte) {
	base := c.base + "/tables/" + url.PathEscape(id) + "/data"
	q := c.query("outputFormat", "json-stat2")
	var b strings.Builder
	b.WriteString(base)
	b.WriteString(q)
	post := false
	for _, v := range sel {
		name := url.QueryEscape(v.Variable)
		if v.Codelist != "" {
			fmt.Fprintf(&b, "&codelist[%s]=%s", name, url.QueryEscape(v.Codelist))
		}
		if v.OutputValues != "" {
			fmt.Fprintf(&b, "&outputValues[%s]=%s", name, url.QueryEscape(v.OutputValues))
		}
		fmt.Fprintf(&b, "&valueCodes[%s]=", name)
		for i, code := range v.ValueCodes {
			if strings.Contains(code, ",") {
				post = true
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(url.QueryEscape(code))
		}
	}
	if !post && b.Len() <= maxGETURL {
		return http.MethodGet, b.String(), nil
	}
	var pb v2Body
	for _, v := range sel {
		pb.Selection = append(pb.Selection, v2VarSel{VariableCode: v.Variable, Codelist: v.Codelist,
			OutputValues: v.OutputValues, ValueCodes: v.ValueCodes})
	}
	body, _ = json.Marshal(pb) // strings and slices only: cannot fail
	return http.MethodPost, base + q, body
}

func (c *Client) v2Data(ctx context.Context, cl *call, id string, sel Selection) (*Exchange, error) {
	m, u, body := c.DataRequest(id, sel)
	return c.do(ctx, cl, m, u, body)
}

// v1Labels fills the labels of v1 codelist dimensions of shape (known only
// as codes before the data arrive) from the parts.
func v1Labels(shape *jsonstat.Dataset, vars []PlanVar, parts []*jsonstat.Dataset) {
	for k, v := range vars {
		if v.Codelist == "" {
			continue
		}
		sd := shape.Dims[k]
		labels := map[string]string{}
		for _, part := range parts {
			if d := part.Dim(sd.ID); d != nil {
				for i, c := range d.Codes {
					labels[c] = d.Labels[i]
				}
			}
		}
		nl := make([]string, len(sd.Codes))
		for i, c := range sd.Codes {
			nl[i] = c
			if l, ok := labels[c]; ok {
				nl[i] = l
			}
		}
		shape.Dims[k] = &jsonstat.Dimension{ID: sd.ID, Label: sd.Label, Codes: sd.Codes, Labels: nl, Extension: sd.Extension}
	}
}

// cellLimit is the cell limit lowered by a 403 earlier in the client's
// life (the run), or 0 when none was.
func (c *Client) cellLimit() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.maxCells
}

// lowerCellLimit remembers that the server refused more than n cells, for
// the rest of the Fetch and for every later Plan and Fetch of the client.
func (c *Client) lowerCellLimit(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.maxCells == 0 || n < c.maxCells {
		c.maxCells = n
	}
}
