package book

import (
	"bytes"
	"context"
	"math"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/mapdata"
)

// memWriter collects the files Build writes.
type memWriter struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memWriter) write(rel string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[rel] = data
	return nil
}

func build(t *testing.T, in *Input) map[string][]byte {
	t.Helper()
	var m memWriter
	if _, err := Build(context.Background(), in, Options{Workers: 2}, m.write); err != nil {
		t.Fatalf("Build() error: %v", err)
	}
	return m.files
}

func TestGapWords(t *testing.T) {
	tests := []struct {
		gap        float64
		unit       string
		dec        int
		comparator string
		lang       charts.Lang
		want       string
	}{
		{-4.2, "prosent", 1, "landet", charts.Bokmal, "4,2 prosentpoeng lavere enn landet"},
		{4.25, "prosent", 1, "Telemark", charts.Bokmal, "4,2 prosentpoeng høyere enn Telemark"}, // 4.25 is 4.2499… in binary
		{0.04, "prosent", 1, "landet", charts.Bokmal, "på nivå med landet"},
		{-0.123, "forhold", 2, "landet", charts.Bokmal, "0,12 lavere enn landet"},
		{12.5, "per 1000 sysselsatte", 1, "landet", charts.Bokmal, "12,5 per 1000 sysselsatte høyere enn landet"},
		{-1234.5, "personer", 0, "landet", charts.Bokmal, "1\u2009234 personer lavere enn landet"}, // round half to even
		{-4.2, "prosent", 1, "the nation", charts.English, "4.2 percentage points lower than the nation"},
	}
	for _, tt := range tests {
		if got := GapWords(tt.gap, tt.unit, tt.dec, tt.comparator, tt.lang); got != tt.want {
			t.Errorf("GapWords(%v, %q, %d, %q, %s) = %q, want %q", tt.gap, tt.unit, tt.dec, tt.comparator, tt.lang, got, tt.want)
		}
	}
}

func TestTrendWords(t *testing.T) {
	tests := []struct {
		from, to float64
		want     string
	}{
		{30, 31.5, "økt med 1,5 prosentpoeng siden 2020"},
		{31.5, 30, "gått ned med 1,5 prosentpoeng siden 2020"},
		{30, 30.01, "uendret siden 2020"},
	}
	for _, tt := range tests {
		if got := TrendWords(tt.from, tt.to, "2020", "prosent", 1, charts.Bokmal); got != tt.want {
			t.Errorf("TrendWords(%v, %v) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

// TestBookPages builds the synthetic book and checks the content a forum
// member reads. Expected numbers by hand from synthInput: Porsgrunn 2025 =
// 30 + 0.3×5 = 31.5, Telemark 31 + 0.4×5 = 33.0, nation 35 + 0.5×5 = 37.5.
func TestBookPages(t *testing.T) {
	files := build(t, synthInput())
	page := string(files["region/4001.html"])
	for _, want := range []string{
		`<html lang="nb">`,
		"<h1>Porsgrunn</h1>",
		`<dd class="keynum">31,5 %</dd>`,
		"6,0 prosentpoeng lavere enn landet; 1,5 prosentpoeng lavere enn Telemark",
		"økt med 1,5 prosentpoeng siden 2020 (merk brudd i serien 2024)",
		"Brudd i serien 2024: Fylkesdelingen.",
		"Syntetiske demodata",
		`<a href="40.html">Telemark</a>`,
		`<a href="grenland.html">Grenland</a>`,
		"Hva er endret siden forrige versjon",
		"<td>357</td><td>0</td><td>12</td>",
		"Høyest: Industri, 1,40",
		`<th scope="col">Porsgrunn</th><th scope="col">Telemark</th><th scope="col">Landet</th>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("region/4001.html lacks %q", want)
		}
	}
	// Notodden 2023 is suppressed: a note, and no number in the table.
	if p := string(files["region/4005.html"]); !strings.Contains(p, "Tallet for 2023 er prikket") {
		t.Errorf("region/4005.html lacks the suppression note")
	}
	// The county page has the heatmap of its municipalities and lists them.
	county := string(files["region/40.html"])
	for _, want := range []string{"Kommunene sammenlignet", `<a href="4001.html">Porsgrunn</a>`, `<a href="4005.html">Notodden</a>`} {
		if !strings.Contains(county, want) {
			t.Errorf("region/40.html lacks %q", want)
		}
	}
	if !strings.Contains(string(files["style.css"]), "@page { size: A4") {
		t.Error("style.css has no A4 print rule")
	}
	csv := string(files["fig/r/4001.utdanning_hoyere_andel.csv"])
	if !strings.Contains(csv, "Porsgrunn,2025,31.5\n") || !strings.Contains(csv, "Landet,2025,37.5\n") {
		t.Errorf("chart CSV lacks the drawn numbers:\n%s", csv)
	}
}

var (
	hrefRe = regexp.MustCompile(`(?:href|src)="([^"]+)"`)
	imgRe  = regexp.MustCompile(`<img [^>]*>`)
	altRe  = regexp.MustCompile(`alt="([^"]*)"`)
)

// TestBookLinks: every link and image of every page resolves to a written
// file, nothing points to the network, every image has alt text, and every
// region page is linked from the index (one click; two with the browser's
// back button).
func TestBookLinks(t *testing.T) {
	files := build(t, synthInput())
	var pages []string
	for name := range files {
		if strings.HasSuffix(name, ".html") {
			pages = append(pages, name)
		}
	}
	sort.Strings(pages)
	if len(pages) != 9 { // index + 6 regions + 2 indicators
		t.Errorf("Build() wrote %d pages, want 9: %v", len(pages), pages)
	}
	for _, p := range pages {
		body := string(files[p])
		if strings.Contains(body, "http://") || strings.Contains(body, "https://") || strings.Contains(body, "<script") {
			t.Errorf("%s refers to the network or has a script", p)
		}
		for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
			target := m[1]
			if strings.HasPrefix(target, "#") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			resolved := path.Clean(path.Join(path.Dir(p), target))
			if _, ok := files[resolved]; !ok {
				t.Errorf("%s links to %s, which was not written", p, m[1])
			}
		}
		for _, img := range imgRe.FindAllString(body, -1) {
			alt := altRe.FindStringSubmatch(img)
			if alt == nil || len(alt[1]) < 20 {
				t.Errorf("%s: image without a real alt text: %s", p, img)
			}
		}
	}
	index := string(files["index.html"])
	for _, code := range []string{"0", "40", "grenland", "4001", "4003", "4005"} {
		if !strings.Contains(index, `href="region/`+code+`.html"`) {
			t.Errorf("index.html does not link region %s", code)
		}
	}
}

func TestBookDeterministic(t *testing.T) {
	a, b := build(t, synthInput()), build(t, synthInput())
	if len(a) != len(b) {
		t.Fatalf("two builds wrote %d and %d files", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

func TestBookEnglish(t *testing.T) {
	in := synthInput()
	in.Lang = charts.English
	files := build(t, in)
	page := string(files["region/4001.html"])
	for _, want := range []string{`<html lang="en">`, "6.0 percentage points lower than the nation", "up 1.5 percentage points since 2020"} {
		if !strings.Contains(page, want) {
			t.Errorf("English region/4001.html lacks %q", want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	in := synthInput()
	in.Indicators = append(in.Indicators, in.Indicators[0])
	if _, err := Build(context.Background(), in, Options{}, func(string, []byte) error { return nil }); err == nil {
		t.Error("Build() with a duplicate indicator = nil error, want one")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, synthInput(), Options{}, func(string, []byte) error { return nil }); err == nil {
		t.Error("Build(cancelled) = nil error, want one")
	}
}

func TestCharts(t *testing.T) {
	in := synthInput()
	var err error
	in.Map, err = charts.ParseGeoJSON(bytes.NewReader(mapdata.Kommuner2024), "kommunenummer")
	if err != nil {
		t.Fatal(err)
	}
	var m memWriter
	sum, err := Charts(context.Background(), in, Options{}, m.write)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"utdanning_hoyere_andel/kart.png", "utdanning_hoyere_andel/kart.svg", "utdanning_hoyere_andel/kart.csv",
		"utdanning_hoyere_andel/kommune.png", "utdanning_hoyere_andel/fylke.svg", "utdanning_hoyere_andel/gruppe.csv", "avviksindeks-fylker.png"} {
		if _, ok := m.files[want]; !ok {
			t.Errorf("Charts() did not write %s", want)
		}
	}
	if sum.Files != len(m.files) {
		t.Errorf("Charts() summary says %d files, wrote %d", sum.Files, len(m.files))
	}
	// The municipal ranking: Skien 35.5 first, Porsgrunn 31.5, Notodden 26.0 (25 + 0.2×5).
	got := string(m.files["utdanning_hoyere_andel/kommune.csv"])
	want := "rang,enhet,verdi,uthevet\n1,Skien,35.5,\n2,Porsgrunn,31.5,\n3,Notodden,26,\n,Landet,37.5,referanse\n"
	if got != want {
		t.Errorf("kommune.csv =\n%s\nwant\n%s", got, want)
	}
}

// TestBookAllSuppressed: an indicator with a county value but no
// publishable value at any municipality (every cell suppressed, as for a
// survey too small to show municipalities) still gives a book: no ranked chart or map for it, the
// region pages say there is no value and why. SYNTHETIC rows.
func TestBookAllSuppressed(t *testing.T) {
	in := synthInput()
	for _, code := range []string{"4001", "4003", "4005"} {
		in.Rows = append(in.Rows, Row{Indicator: "behov_test", Region: code, RegionLabel: code, RegionLevel: LevelMunicipality,
			Period: "2024", Value: math.NaN(), Unit: "prosent", Numerator: math.NaN(), Denominator: math.NaN(),
			ComparatorValue: math.NaN(), GapAbs: math.NaN(), GapIndex: math.NaN(), Z: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN(),
			Flags: []string{"suppressed"}})
	}
	// The county has a value, so the indicator has a latest period.
	in.Rows = append(in.Rows, Row{Indicator: "behov_test", Region: "40", RegionLabel: "Telemark", RegionLevel: LevelCounty,
		Period: "2024", Value: 2.5, Unit: "prosent", Numerator: math.NaN(), Denominator: math.NaN(),
		ComparatorValue: math.NaN(), GapAbs: math.NaN(), GapIndex: math.NaN(), Z: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()})
	in.Indicators = append(in.Indicators, Indicator{ID: "behov_test", Title: "Behov (test)", Unit: "prosent", Theme: "utdanning",
		Source: "syntetisk", Synthetic: true})
	in.Map = nil
	var m memWriter
	if _, err := Build(context.Background(), in, Options{}, m.write); err != nil {
		t.Fatalf("Build with an all-suppressed indicator = %v", err)
	}
	for name := range m.files {
		if strings.Contains(name, "behov_test-kommune") {
			t.Errorf("a ranked chart %s was drawn with no values", name)
		}
	}
}

// TestBookKeyNumberSkipsTotal: for a count by category, the key number is
// the largest category, not the breakdown's own total ("00-99"), which is
// always the largest. Made-up counts for Porsgrunn 2025: total 500 = 200
// (Bygg og anlegg) + 300 (Helse).
func TestBookKeyNumberSkipsTotal(t *testing.T) {
	in := synthInput()
	for _, c := range []struct {
		code, label string
		v           float64
	}{{"00-99", "Alle næringer", 500}, {"41-43", "Bygg og anlegg", 200}, {"86-88", "Helse", 300}} {
		in.Rows = append(in.Rows, Row{Indicator: "erstatningsbehov_10aar", Region: "4001", RegionLabel: "Porsgrunn", RegionLevel: "kommune",
			Period: "2025", Category: c.code, CategoryLabel: c.label, Value: c.v, Unit: "personer", Numerator: math.NaN(), Denominator: math.NaN(),
			ComparatorValue: math.NaN(), GapAbs: math.NaN(), GapIndex: math.NaN(), Z: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()})
	}
	in.Indicators = append(in.Indicators, Indicator{ID: "erstatningsbehov_10aar", Title: "Erstatningsbehov", Unit: "personer", Theme: "naering",
		Source: "Statistisk sentralbyrå (SSB)", Table: "07984", Synthetic: true})
	in.TotalCategory = func(c string) bool { return c == "00-99" } // as indicators.IsTotalCategory
	page := string(build(t, in)["region/4001.html"])
	if !strings.Contains(page, "Høyest: Helse, 300 personer") || strings.Contains(page, "Høyest: Alle næringer") {
		i := strings.Index(page, "Høyest")
		t.Errorf("key number of the count: %q, want Høyest: Helse, 300 personer", page[i:min(len(page), i+60)])
	}
}
