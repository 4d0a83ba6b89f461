package build

import (
	"sort"
	"strings"
	"testing"
	"time"
)

// A county-level dataset of 2020 (the 11 counties of 2020-2023, synthetic
// values) is read on the real region history: 30 Viken and 54 Troms og
// Finnmark are no longer counties on the 2024 target, so each becomes a unit
// of its own with the 2024 municipalities its 2020 municipalities became.
// Counted in the KLASS 131 versions of testdata/klass: version 2020 has 51
// codes 30xx and 39 codes 54xx; version 2024 has 12 + 21 + 18 = 51 codes in
// 31, 32 and 33 and 21 + 18 = 39 in 55 and 56.
func TestCountyDataset2020(t *testing.T) {
	m := loadModel(t)
	codes := []string{"03", "11", "15", "18", "30", "34", "38", "42", "46", "50", "54"}
	tb := &table{dataset: "fylke_2020", labels: map[string]string{}}
	for i, c := range codes {
		tb.published = append(tb.published, row{code: c, period: "2020", value: float64(100 + i), valid: true, published: true})
	}
	h := &harmoniser{model: m, target: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, _, err := h.series(tb, "v1")
	if err != nil {
		t.Fatalf("series(2020 county data) error = %v", err)
	}
	for i, c := range codes {
		got, ok := s.Get(c, "2020", nil)
		if !ok || !got.Valid || got.Value != float64(100+i) {
			t.Errorf("series: %s 2020 = %+v (found %v), want %d", c, got, ok, 100+i)
		}
	}
	prefixes := func(ms []string) string {
		seen := map[string]bool{}
		for _, m := range ms {
			seen[m[:2]] = true
		}
		var out []string
		for p := range seen {
			out = append(out, p)
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	for _, tt := range []struct {
		code, name, prefixes string
		n                    int
	}{
		{"30", "Viken", "31 32 33", 51},
		{"38", "Vestfold og Telemark", "39 40", 23},
		{"54", "Troms og Finnmark", "55 56", 39},
	} {
		hc, ok := h.hist[tt.code]
		if !ok || hc.name != tt.name || len(hc.members) != tt.n || prefixes(hc.members) != tt.prefixes {
			t.Errorf("hist[%s] = %q with %d members in %s (found %v), want %q with %d in %s",
				tt.code, hc.name, len(hc.members), prefixes(hc.members), ok, tt.name, tt.n, tt.prefixes)
		}
	}
	if len(h.hist) != 3 {
		t.Errorf("hist has %d counties, want 3 (30, 38, 54): the others are counties on the target", len(h.hist))
	}
}
