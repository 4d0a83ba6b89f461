package build

import (
	"testing"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// TestNationFromCounties: a county-level dataset without a national row
// gets the nation as the sum of today's counties, marked computed; one
// masked county makes the nation missing, never a smaller sum. SYNTHETIC
// values: county i has 10*i+1 (hand sum over today's counties below).
func TestNationFromCounties(t *testing.T) {
	m := loadModel(t)
	target := m.Latest()
	counties := m.Regions(regions.County, target)
	mk := func(masked string) *table {
		tab := &table{dataset: "fylkestall", labels: map[string]string{}}
		for i, c := range counties {
			r := row{code: c.Code, period: "2024", value: float64(10*i + 1), valid: c.Code != masked, published: true, key: []string{}}
			if !r.valid {
				r.status = ":"
			}
			tab.published = append(tab.published, r)
		}
		return tab
	}
	want := 0.0
	for i := range counties {
		want += float64(10*i + 1)
	}
	h := &harmoniser{model: m, target: target}
	s, _, err := h.series(mk(""), "v1")
	if err != nil {
		t.Fatal(err)
	}
	c, ok := s.Get(regions.NationCode, "2024", indicators.Filter{})
	if !ok || !c.Valid || c.Value != want || !c.Computed || !s.Computed(regions.NationCode, "2024") {
		t.Errorf("nation = %+v (ok %v), want the sum %v of %d counties, computed", c, ok, want, len(counties))
	}
	if cc, _ := s.Get(counties[0].Code, "2024", indicators.Filter{}); cc.Computed || cc.Value != 1 {
		t.Errorf("county %s = %+v, want the published 1, not computed", counties[0].Code, cc)
	}
	s, _, err = h.series(mk(counties[3].Code), "v1")
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := s.Get(regions.NationCode, "2024", indicators.Filter{}); !ok || c.Valid {
		t.Errorf("nation with county %s masked = %+v, want missing", counties[3].Code, c)
	}
}
