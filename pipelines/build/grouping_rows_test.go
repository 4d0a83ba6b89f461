package build

import (
	"testing"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// TestGroupingRowsPublished: a dataset's own row for a grouping (the
// survey's disclosure-controlled grouping rows) is the grouping's value,
// official figures first, not the sum of its members; a suppressed one
// stays missing with its status even where every member has a value; a
// region that is no grouping of the model is left out. SYNTHETIC values:
// members 10 and 20 (sum 30) against the published 25.
func TestGroupingRowsPublished(t *testing.T) {
	m := loadModel(t)
	target := m.Latest()
	groups := []regions.Group{{ID: "g1", Name: "G1", Members: []string{"5001", "5035"}, Source: "test"},
		{ID: "g2", Name: "G2", Members: []string{"5001", "5035"}, Source: "test"}}
	tab := &table{dataset: "kartlegging", labels: map[string]string{}}
	for code, v := range map[string]float64{"5001": 10, "5035": 20} {
		tab.rows = append(tab.rows, row{code: code, period: "2024", value: v, valid: true, key: []string{}})
	}
	tab.published = append(tab.published,
		row{code: "g1", period: "2024", value: 25, valid: true, key: []string{}, published: true, grouping: true},
		row{code: "g2", period: "2024", status: ":", key: []string{}, published: true, grouping: true},
		row{code: "ukjent", period: "2024", value: 7, valid: true, key: []string{}, published: true, grouping: true})
	h := &harmoniser{model: m, target: target, groups: groups}
	s, _, err := h.series(tab, "v1")
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := s.Get("g1", "2024", indicators.Filter{}); !ok || !c.Valid || c.Value != 25 || c.Computed {
		t.Errorf("g1 = %+v (ok %v), want the published 25, not computed (the sum would be 30)", c, ok)
	}
	if c, ok := s.Get("g2", "2024", indicators.Filter{}); !ok || c.Valid || c.Status != ":" {
		t.Errorf("g2 = %+v (ok %v), want missing with status \":\"", c, ok)
	}
	if _, ok := s.Get("ukjent", "2024", indicators.Filter{}); ok {
		t.Error("a region code that is no grouping got a value")
	}
}
