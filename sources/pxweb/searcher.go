package pxweb

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/grunnlag/grunnlag/sources"
)

var _ sources.Searcher = (*Source)(nil)

// Search is Client.Search as a sources.Searcher: one page of the tables
// matching q.Text.
func (s *Source) Search(ctx context.Context, q sources.SearchQuery) (*sources.SearchPage, error) {
	page := max(q.Page, 1)
	res, err := s.Client.Search(ctx, q.Text, page)
	if err != nil {
		return nil, err
	}
	out := &sources.SearchPage{Page: res.Page.PageNumber, Pages: res.Page.TotalPages, Total: res.Page.TotalElements}
	for _, t := range res.Tables {
		out.Tables = append(out.Tables, summary(t))
	}
	return out, nil
}

func summary(t TableInfo) sources.TableSummary {
	return sources.TableSummary{ID: t.ID, Title: t.Label, FirstPeriod: t.FirstPeriod, LastPeriod: t.LastPeriod,
		Updated: t.Updated, Variables: t.VariableNames, Discontinued: t.Discontinued}
}

// Describe is Client.Describe as a sources.Searcher. Its DatasetKeys are a
// `select:` with every variable of the table and every value ("*"), in
// metadata order, each line commented with the variable's label, its
// number of values and whether it may be left out; the section is checked
// with the factory's Query before it is returned.
func (s *Source) Describe(ctx context.Context, table string) (*sources.TableDescription, error) {
	d, err := s.Client.Describe(ctx, table)
	if err != nil {
		return nil, err
	}
	out := &sources.TableDescription{TableSummary: summary(d.Info), Producer: d.Source}
	for _, v := range d.Variables {
		sv := sources.Variable{Code: v.Code, Label: v.Label, Time: v.Time, Elimination: v.Elimination}
		for _, val := range v.Values {
			sv.Values = append(sv.Values, sources.Value{Code: val.Code, Label: val.Label, Unit: val.Unit})
		}
		for _, cl := range v.Codelists {
			sv.Codelists = append(sv.Codelists, sources.Codelist{ID: cl.ID, Label: cl.Label, Type: cl.Type})
		}
		out.Variables = append(out.Variables, sv)
	}
	keys := DatasetKeys{Variables: d.Variables}
	node, err := keys.MarshalYAML()
	if err != nil {
		return nil, err
	}
	if _, err := (factory{}).Query(sources.DatasetSpec{ID: "check", Table: d.Info.ID, Section: nodeSection{node.(*yaml.Node)}}); err != nil {
		return nil, fmt.Errorf("pxweb: table %s: the dataset section made for it does not validate: %w", table, err)
	}
	out.DatasetKeys = keys
	return out, nil
}

// DatasetKeys are the pxweb keys of a dataset section reading every value
// of every variable of a table; it marshals to YAML as
//
//	select:
//	  Region: ["*"] # region: 312 verdier; kan utelates; kodelister: vs_CKM01Riket, vs_CKM02Län
//	  Tid: ["*"] # månad: 16 verdier; tid ("top(5)" gir de fem siste)
type DatasetKeys struct {
	Variables []Variable
}

// MarshalYAML returns the `select:` mapping as a node with a comment per
// variable (bokmål: the user edits it).
func (k DatasetKeys) MarshalYAML() (any, error) {
	sel := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, v := range k.Variables {
		key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v.Code}
		all := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "*", Style: yaml.DoubleQuotedStyle}
		val := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: []*yaml.Node{all}}
		n := strconv.Itoa(len(v.Values)) + " verdier"
		if len(v.Values) == 1 {
			n = "1 verdi"
		}
		note := []string{v.Label + ": " + n}
		switch {
		case v.Time:
			note = append(note, `tid ("top(5)" gir de fem siste)`)
		case v.Elimination:
			note = append(note, "kan utelates")
		}
		if len(v.Codelists) > 0 {
			ids := make([]string, len(v.Codelists))
			for i, cl := range v.Codelists {
				ids[i] = cl.ID
			}
			note = append(note, "kodelister: "+strings.Join(ids, ", "))
		}
		val.LineComment = "# " + strings.Join(note, "; ")
		sel.Content = append(sel.Content, key, val)
	}
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: "select"}, sel}}, nil
}

// nodeSection is a dataset section held as a YAML mapping node.
type nodeSection struct{ n *yaml.Node }

func (s nodeSection) Decode(v any) error { return s.n.Decode(v) }
