package book

import (
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/charts"
)

// TestRankWords: rank 1 is the best by the indicator's direction, and the
// words say which end that is (the issue: Telemark "nummer 1 av 15
// fylker" for the highest share with only basic schooling, on a
// lower-is-better indicator, read as a compliment).
func TestRankWords(t *testing.T) {
	tests := []struct {
		rank, n   int
		dir, unit string
		lang      charts.Lang
		want      string
	}{
		{1, 15, "lower_is_better", "prosent", charts.Bokmal, "nummer 1 av 15 fylker (lavest andel)"},
		{4, 15, "lower_is_better", "prosent", charts.Bokmal, "nummer 4 av 15 fylker (1 = lavest andel)"},
		{1, 15, "higher_is_better", "prosent", charts.Bokmal, "nummer 1 av 15 fylker (høyest andel)"},
		{2, 15, "neutral", "indeks", charts.Bokmal, "nummer 2 av 15 fylker (1 = høyest verdi)"},
		{1, 15, "lower_is_better", "prosent", charts.English, "rank 1 of 15 fylker (lowest share)"},
	}
	for _, tc := range tests {
		if got := RankWords(tc.rank, tc.n, "fylker", tc.dir, tc.unit, tc.lang); got != tc.want {
			t.Errorf("RankWords(%d, %d, %s, %s) = %q, want %q", tc.rank, tc.n, tc.dir, tc.unit, got, tc.want)
		}
	}
}

// TestBookComputedAndRank: a grouping's value marked computed gets the
// note on its page and the caption line on its chart's source; the rank of
// a lower-is-better indicator reads with its direction (SYNTHETIC
// fixture: Grenland is computed; Porsgrunn is rank 1 of 3 municipalities
// with the lowest value, as the build ranks a lower-is-better indicator).
func TestBookComputedAndRank(t *testing.T) {
	in := synthInput()
	in.Indicators[0].Direction = "lower_is_better"
	for i := range in.Rows {
		r := &in.Rows[i]
		if r.Region == "grenland" {
			r.Computed = true
		}
		if r.Region == "4001" && r.Period == "2025" && r.Indicator == "utdanning_hoyere_andel" {
			r.Rank, r.NRanked = 1, 3
		}
	}
	files := build(t, in)
	if p := string(files["region/grenland.html"]); !strings.Contains(p, "Beregnet: kilden publiserer ikke tallet for Grenland") {
		t.Errorf("region/grenland.html lacks the computed note")
	}
	if p := string(files["region/4001.html"]); !strings.Contains(p, "nummer 1 av 3 kommuner (lavest andel)") {
		t.Errorf("region/4001.html lacks the rank with its direction")
	}
}
