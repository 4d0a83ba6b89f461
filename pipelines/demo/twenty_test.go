package demo

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

var (
	twentyOnce sync.Once
	twentyDir  string
	twentyErr  error
)

// twenty builds the 20-year variant (Options{FirstYear: TwentyYears}) once
// per test binary into a temporary directory; it is never committed.
func twenty(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("the 20-year bundle takes a few seconds to build")
	}
	twentyOnce.Do(func() {
		twentyDir, twentyErr = os.MkdirTemp("", "demo-twenty-")
		if twentyErr == nil {
			twentyErr = BuildWith(srcDir, twentyDir, Options{FirstYear: TwentyYears})
		}
	})
	if twentyErr != nil {
		t.Fatalf("BuildWith(%s, 20 years) = %v", srcDir, twentyErr)
	}
	return twentyDir
}

func loadFrom(t *testing.T, dir, id string) *jsonstat.Dataset {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "tables", id, "data.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := jsonstat.DecodeDataset(f)
	if err != nil {
		t.Fatalf("jsonstat.DecodeDataset(%s) = %v", id, err)
	}
	return d
}

// The periods of every table in the 20-year bundle: first 2006 (cohorts
// and three-year periods starting 2006), last as in the demo; 10540 is
// unchanged (monthly from 2023M01; NAV's county figures begin there).
func TestTwentyYearsPeriods(t *testing.T) {
	dir := twenty(t)
	tests := []struct{ id, first, last string }{
		{"09429", "2006", "2025"}, {"13470", "2006", "2024"}, {"06445", "2006", "2025"},
		{"10540", "2023M01", "2026M01"}, {"07459", "2006", "2025"}, {"13556", "2006", "2024"},
		{"07984", "2006", "2024"}, {eduAgeID, "2006", "2025"}, {"13563", "2006", "2024"},
		{"14863", "2006-2012", "2018-2024"}, {uforeID, "2006", "2024"}, {lowIncomeID, "2006-2008", "2022-2024"},
		{evuID, "2006", "2024"},
	}
	if len(tests) != len(TableIDs()) {
		t.Fatalf("%d tables listed here, Build writes %d", len(tests), len(TableIDs()))
	}
	for _, tt := range tests {
		d := loadFrom(t, dir, tt.id)
		tid := d.Dim("Tid").Codes
		if tid[0] != tt.first || tid[len(tid)-1] != tt.last {
			t.Errorf("%s: periods %s..%s, want %s..%s", tt.id, tid[0], tid[len(tid)-1], tt.first, tt.last)
		}
		var ext struct {
			Grunnlag struct {
				Synthetic string `json:"synthetic"`
				First     string `json:"variant_first_year"`
			} `json:"grunnlag"`
		}
		if err := json.Unmarshal(d.Extension, &ext); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(d.Label, suffixFull) && !strings.HasSuffix(d.Label, suffixPart) {
			t.Errorf("%s: label %q does not say it is synthetic", tt.id, d.Label)
		}
		if !strings.HasPrefix(d.Note[0], "DEMO:") {
			t.Errorf("%s: first note %q, want the DEMO note", tt.id, d.Note[0])
		}
		wantVariant := tt.id != "10540"
		if got := len(d.Note) > 1 && strings.HasPrefix(d.Note[1], "DEMO, forlenget utgave"); got != wantVariant {
			t.Errorf("%s: second note %q; want the variant note: %v", tt.id, d.Note[1], wantVariant)
		}
		if wantVariant && ext.Grunnlag.First != tt.first[:4] {
			t.Errorf("%s: extension.grunnlag.variant_first_year = %q, want %q", tt.id, ext.Grunnlag.First, tt.first[:4])
		}
	}
}

// Every cell of the bundled demo is in the 20-year bundle, unchanged (value,
// presence and status at the same codes): the real cells stay where they
// are, and the synthetic ones too, since each is drawn from a stream keyed
// by its region and period, not by its position. The one exception is
// 14863's 2014-2020 cohort of Telemark (40) and the nation: the demo has
// no population for Telemark's codes in 2014 (its real 09429 cells begin
// in 2015), the 20-year bundle a synthetic one.
func TestTwentyYearsKeepsDemoCells(t *testing.T) {
	dir := twenty(t)
	for _, id := range TableIDs() {
		old, long := load(t, id), loadFrom(t, dir, id)
		if len(old.Dims) != len(long.Dims) {
			t.Fatalf("%s: %d dimensions, demo has %d", id, len(long.Dims), len(old.Dims))
		}
		coords := make([]int, len(old.Dims))
		changed := 0
		for i := range old.Values {
			// i's codes in the demo, their indexes in the 20-year bundle.
			rest := i
			codes := make([]string, len(old.Dims))
			for k := len(old.Dims) - 1; k >= 0; k-- {
				n := len(old.Dims[k].Codes)
				codes[k] = old.Dims[k].Codes[rest%n]
				rest /= n
				coords[k] = slices.Index(long.Dims[k].Codes, codes[k])
				if coords[k] < 0 {
					t.Fatalf("%s: code %s of %s is not in the 20-year bundle", id, codes[k], old.Dims[k].ID)
				}
			}
			j := long.Index(coords)
			same := old.Present[i] == long.Present[j] && old.Values[i] == long.Values[j]
			if old.Status != nil || long.Status != nil {
				same = same && old.Status != nil && long.Status != nil && old.Status[i] == long.Status[j]
			}
			if same {
				continue
			}
			if id == "14863" && codes[len(codes)-1] == "2014-2020" && (codes[0] == "40" || codes[0] == "0") {
				changed++
				continue
			}
			t.Errorf("%s %v: demo %v (present %v), 20-year %v (present %v)", id, codes, old.Values[i], old.Present[i], long.Values[j], long.Present[j])
			return
		}
		if id == "14863" && changed == 0 {
			t.Errorf("14863: Telemark's 2014-2020 cohort is unchanged, want a synthetic one (the demo's is empty)")
		}
	}
}

// Before 2015, Telemark's codes are synthetic like every other
// municipality's, and counties and the nation are still the sums of their
// municipality codes (09429 Personer, both sexes, 2010 and 2006): 0805
// Porsgrunn (-2019) has every level; county 40 is the sum of its codes
// valid then (08xx; 38xx and 40xx are missing), the nation the sum of the
// counties.
func TestTwentyYearsTelemarkAndSums(t *testing.T) {
	d := loadFrom(t, twenty(t), "09429")
	for _, year := range []string{"2006", "2010"} {
		for _, l := range nivaaCodes {
			if v, ok := cell(t, d, "0805", l, "0", "Personer", year); !ok || v <= 0 {
				t.Errorf("09429 0805 %s %s = %v (present %v), want a synthetic count", l, year, v, ok)
			}
			if _, ok := cell(t, d, "4001", l, "0", "Personer", year); ok {
				t.Errorf("09429 4001 %s %s present, want missing (the code begins in 2024)", l, year)
			}
			var nation float64
			for _, county := range d.Dim("Region").Codes {
				if len(county) != 2 {
					continue
				}
				var sum float64
				for _, code := range d.Dim("Region").Codes {
					if len(code) == 4 && (code[:2] == county || county == "40" && (code[:2] == "08" || code[:2] == "38")) {
						if v, ok := cell(t, d, code, l, "0", "Personer", year); ok {
							sum += v
						}
					}
				}
				got, _ := cell(t, d, county, l, "0", "Personer", year)
				if county == "40" && got != sum {
					t.Errorf("09429 40 %s %s = %v, want the sum of its codes %v", l, year, got, sum)
				}
				nation += got
			}
			if got, _ := cell(t, d, "0", l, "0", "Personer", year); got != nation {
				t.Errorf("09429 Hele landet %s %s = %v, want the sum of the counties %v", l, year, got, nation)
			}
		}
	}
}

// Options outside 2005-2014 are refused, naming the year.
func TestBuildWithBadFirstYear(t *testing.T) {
	for _, y := range []int{2004, 2015, 2030} {
		if err := BuildWith(srcDir, t.TempDir(), Options{FirstYear: y}); err == nil || !strings.Contains(err.Error(), "first year") {
			t.Errorf("BuildWith(FirstYear %d) = %v, want an error naming the first year", y, err)
		}
	}
}
