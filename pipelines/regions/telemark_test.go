package regions_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
)

// extract is testdata/regions/utdanningsnivaa-telemark-extract.csv (real SSB
// 09429 counts for Telemark municipalities, see PROVENANCE.md), keyed by
// municipality code of the vintage each row was published on.
type extract struct {
	rows []extractRow
}

type extractRow struct {
	code, level, year string
	value             float64
}

var vintageSuffix = regexp.MustCompile(` \((\d{4})?-(\d{4})\)$`)

func loadExtract(tb testing.TB) extract {
	tb.Helper()
	// Names → codes per vintage from the Telemark crosswalk (real, see
	// testdata/regions/PROVENANCE.md): "0821 Bø (Telemark)", "3817 Midt-Telemark".
	mf, err := os.Open("../../testdata/regions/telemark-kommune_metadata.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer mf.Close()
	mr := csv.NewReader(mf)
	mr.Comma = ';'
	meta, err := mr.ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	byVintage := map[string]map[string]string{"2019": {}, "2023": {}, "2024": {}}
	for _, r := range meta[1:] {
		for vint, col := range map[string]int{"2019": 2, "2023": 6, "2024": 9} {
			code, name, _ := strings.Cut(r[col], " ")
			byVintage[vint][name] = code
		}
	}
	f, err := os.Open("../../testdata/regions/utdanningsnivaa-telemark-extract.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var ex extract
	for i, r := range recs[1:] {
		name, vint := r[0], "2024"
		if m := vintageSuffix.FindStringSubmatch(name); m != nil {
			name, vint = strings.TrimSuffix(name, m[0]), m[2]
		}
		code, ok := byVintage[vint][name]
		if !ok && vint == "2024" {
			// Telemark names in 2024 that exist in 2019 only in the crosswalk's
			// 2019 spelling do not occur; every row must map.
			tb.Fatalf("extract row %d: no code for %q (vintage %s)", i+2, r[0], vint)
		}
		if !ok || !strings.HasPrefix(code, map[string]string{"2019": "08", "2023": "38", "2024": "40"}[vint]) {
			tb.Fatalf("extract row %d: no Telemark code for %q (vintage %s)", i+2, r[0], vint)
		}
		v, err := strconv.ParseFloat(r[5], 64)
		if err != nil {
			tb.Fatalf("extract row %d: %v", i+2, err)
		}
		ex.rows = append(ex.rows, extractRow{code, r[1], r[4], v})
	}
	return ex
}

// byYear sums the year's counts per code over the levels whose name starts
// with prefix ("" = all levels).
func (e extract) byYear(year, prefix string) map[string]float64 {
	out := map[string]float64{}
	for _, r := range e.rows {
		if r.year == year && strings.HasPrefix(r.level, prefix) {
			out[r.code] += r.value
		}
	}
	return out
}

func ExampleModel_Harmonise() {
	c := klass.New("https://data.ssb.no/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: klasstest.Transport(klassDir)}})
	m, err := regions.Load(context.Background(), c, date("2013-01-01"), date("2025-01-02"))
	if err != nil {
		fmt.Println(err)
		return
	}
	// 2019 counts on 2019 boundaries: Bø and Sauherad merged into
	// Midt-Telemark (3817 in 2020, 4020 in 2024); Skien was renumbered.
	codes, values, valid, flags, err := m.Harmonise(
		[]string{"0806", "0821", "0822"}, []float64{100, 30, 20}, nil,
		date("2019-10-01"), regions.Options{Dataset: "demo"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range codes {
		fmt.Println(codes[i], values[i], valid[i], flags[i])
	}
	// Output:
	// 4003 100 true merged
	// 4020 50 true merged
}
