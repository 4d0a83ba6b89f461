package needs

import (
	"bytes"
	"context"
	"flag"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/klass/klasstest"
)

var update = flag.Bool("update", false, "rewrite the demo files in testdata/survey")

const dataDir = "../../testdata/survey"

var (
	modelOnce sync.Once
	model     *regions.Model
	modelErr  error
)

// testModel loads the region model from the bundled KLASS responses, as the
// CLI does (cmd/grunnlag/regions.go).
func testModel(t testing.TB) *regions.Model {
	modelOnce.Do(func() {
		c := klass.New("http://klass.offline/api/klass/v1", klass.Options{HTTP: &http.Client{Transport: klasstest.Transport("../../testdata/klass")}})
		model, modelErr = regions.Load(context.Background(), c, time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC))
	})
	if modelErr != nil {
		t.Fatal(modelErr)
	}
	return model
}

func TestDemoFilesUpToDate(t *testing.T) {
	var s, r bytes.Buffer
	if err := WriteDemoSurvey(&s); err != nil {
		t.Fatal(err)
	}
	if err := WriteDemoRegister(&r); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"demo-syntetisk.csv": s.Bytes(), "demo-enheter.json.gz": r.Bytes()}
	for name, want := range files {
		p := filepath.Join(dataDir, name)
		if *update {
			if err := os.WriteFile(p, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output (run go test ./pipelines/needs -run TestDemoFilesUpToDate -update)", name)
		}
	}
}

func TestRegionChecker(t *testing.T) {
	rc := RegionChecker{testModel(t)}
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	// KLASS 131: Trondheim was 1601 until 2017 and 5001 from 2018;
	// Porsgrunn 0805 until 2019, 3806 2020-2023, 4001 from 2024 (DOMAIN.md §3).
	tests := []struct {
		code, date string
		ok         bool
	}{
		{"5001", "2024-03-14", true}, {"1601", "2024-03-14", false}, {"1601", "2017-06-01", true},
		{"4001", "2023-12-31", false}, {"4001", "2024-01-01", true}, {"50", "2024-01-01", false},
	}
	for _, tt := range tests {
		if err := rc.ValidMunicipality(tt.code, d(tt.date)); (err == nil) != tt.ok {
			t.Errorf("ValidMunicipality(%s, %s) = %v, want ok=%v", tt.code, tt.date, err, tt.ok)
		}
	}
}

func TestCrosswalk(t *testing.T) {
	cw, err := DefaultCrosswalk()
	if err != nil {
		t.Fatal(err)
	}
	// Expected areas follow keywords.csv: "sveis" -> teknologi_industri;
	// "sky" starts "Skyløsninger"; "helsefag" (8 letters) beats nothing
	// shorter; "data" must start a word, so "kandidater" has no match.
	tests := map[string]string{
		"Sveisere med sertifikat":   "teknologi_industri",
		"Skyløsninger og drift":     "ikt",
		"HELSEFAGARBEIDER":          "helse_oppvekst",
		"Tømrer til rehabilitering": "bygg_anlegg",
		"gode kandidater":           Unmapped,
		"Bærekraftsrapportering":    Unmapped,
		"":                          Unmapped,
	}
	for in, want := range tests {
		if got := cw.Match(in); got != want {
			t.Errorf("Match(%q) = %q, want %q", in, got, want)
		}
	}
	if !cw.Known("ikt") || cw.Known(Unmapped) || len(cw.Areas) != 12 {
		t.Errorf("crosswalk: Known(ikt)=%v Known(uoppgitt)=%v areas=%d; want true, false, 12", cw.Known("ikt"), cw.Known(Unmapped), len(cw.Areas))
	}
	a, _ := cw.Area("bygg_anlegg")
	if !a.Overlaps(41, 43) || a.Overlaps(45, 47) {
		t.Errorf("bygg_anlegg overlaps 41-43 = %v, 45-47 = %v; want true, false (crosswalk.csv: 41-43)", a.Overlaps(41, 43), a.Overlaps(45, 47))
	}
	rep := UnmappedReport([]string{"ESG", "  Bærekraft ", "bærekraft", "esg", "Bærekraft", "norsk"})
	want := []UnmappedText{{"bærekraft", 3}, {"esg", 2}, {"norsk", 1}}
	if len(rep) != 3 || rep[0] != want[0] || rep[1] != want[1] || rep[2] != want[2] {
		t.Errorf("UnmappedReport = %v, want %v", rep, want)
	}
	if _, err := LoadCrosswalk(strings.NewReader("omrade;navn;nus_felt;utdanningsprogram;styrk08;sn2007\nx;X;5;;7;43-41\n"), strings.NewReader("nokkelord;omrade\nfoo;nope\n")); err == nil {
		t.Error("LoadCrosswalk(bad range, unknown area) = nil error")
	}
}

func TestWilson(t *testing.T) {
	// 5 of 10: the textbook Wilson 95 % interval is [0.2366, 0.7634]
	// (centre 0.5, half-width 1.96/1.38415*sqrt(0.025+0.0096040) = 0.2634).
	// 0 of 10: [0, 3.8415/13.8415 = 0.2775].
	tests := []struct {
		p      float64
		n      int
		lo, hi float64
	}{
		{0.5, 10, 0.2366, 0.7634},
		{0, 10, 0, 0.2775},
		{1, 10, 0.7225, 1},
	}
	for _, tt := range tests {
		lo, hi := Wilson(tt.p, tt.n, 1.959964)
		if math.Abs(lo-tt.lo) > 5e-5 || math.Abs(hi-tt.hi) > 5e-5 {
			t.Errorf("Wilson(%g, %d) = [%.4f, %.4f], want [%.4f, %.4f]", tt.p, tt.n, lo, hi, tt.lo, tt.hi)
		}
	}
}

func TestPostStratify(t *testing.T) {
	a := Stratum{"50", "F", "0-4"}
	b := Stratum{"50", "G", "5-19"}
	c := Stratum{"40", "C", "100+"}
	d := Stratum{"40", "I", "0-4"}
	// Hand: a has 2 respondents of 10 firms => 5; b 1 of 4 => 4; c has no
	// register count => 1 and is reported; d has firms but no respondents.
	w := PostStratify([]Stratum{a, a, b, c}, map[Stratum]float64{a: 10, b: 4, d: 7})
	if w.ByStratum[a] != 5 || w.ByStratum[b] != 4 || w.ByStratum[c] != 1 {
		t.Errorf("PostStratify weights = %v, want a=5 b=4 c=1", w.ByStratum)
	}
	if len(w.Empty) != 1 || w.Empty[0] != d || len(w.NotInRegister) != 1 || w.NotInRegister[0] != c {
		t.Errorf("PostStratify empty = %v, not in register = %v; want [%v], [%v]", w.Empty, w.NotInRegister, d, c)
	}
}

func TestBootstrap(t *testing.T) {
	// Two strata; stratum s1 has firms with 1 and 3 people (weight 2),
	// s2 one firm with 5 (weight 1). s2 has one firm, alone in its region,
	// so CollapseStrata pools it with s1: three draws from weighted
	// contributions {2, 6, 5}, so every replicate total lies in [3*2, 3*6]
	// = [6, 18]; the full-sample total is 13. (Without pooling s2 would
	// always add exactly 5: [9, 17].)
	s1, s2 := Stratum{Region: "1"}, Stratum{Region: "2"}
	firms := [][]contribution{{{cell: 0, people: 1}}, {{cell: 0, people: 3}}, {{cell: 0, people: 5}}}
	val := func(c contribution) float64 { return c.people }
	ci, err := Bootstrap(1, firms, []Stratum{s1, s1, s2}, []float64{2, 2, 1}, val, 999, 0.95, 7)
	if err != nil {
		t.Fatal(err)
	}
	if ci[0][0] < 6 || ci[0][1] > 18 || ci[0][0] > 13 || ci[0][1] < 13 {
		t.Errorf("Bootstrap = %v, want within [6, 18] and around 13", ci[0])
	}
	again, _ := Bootstrap(1, firms, []Stratum{s1, s1, s2}, []float64{2, 2, 1}, val, 999, 0.95, 7)
	if again[0] != ci[0] {
		t.Errorf("Bootstrap with the same seed = %v then %v, want equal", ci[0], again[0])
	}
}

// TestProtectMunicipalities checks the municipality rules on hand-made
// cells of county 50 (columns: total, areas x and y; min 3 firms,
// dominance 0.5). A (10 respondents) passes every rule; B (2 respondents)
// fails; C passes or fails by case; D has no respondents.
func TestProtectMunicipalities(t *testing.T) {
	type row struct{ resp, tf, tp, xf, xp, yf, yp float64 }
	mk := func(c row) map[[2]string]*Cell {
		return map[[2]string]*Cell{
			{Total, Total}:  {Firms: int(c.tf), Respondents: int(c.resp), People: c.tp, MaxFirmPeople: min(c.tp, 2)},
			{ViewArea, "x"}: {Firms: int(c.xf), People: c.xp, MaxFirmPeople: min(c.xp, 1)},
			{ViewArea, "y"}: {Firms: int(c.yf), People: c.yp, MaxFirmPeople: min(c.yp, 1)},
		}
	}
	a := row{10, 10, 18, 5, 10, 4, 8}
	b := row{2, 2, 3, 1, 1, 1, 2}
	tests := []struct {
		name string
		c    row
		want map[string]bool // municipality -> withheld
	}{
		// C fails (2 firms in x, 1 in y): W = {B, C}, remainder 5 respondents,
		// x 1+2 = 3 firms, y 1+1 = 2 firms -> fails; A joins W: all withheld.
		{"remainder too small", row{3, 3, 4, 2, 3, 1, 1}, map[string]bool{"5001": true, "5006": true, "5007": true}},
		// C fails (2 firms in x): W = {B, C}: x 1+2 = 3, y 1+3 = 4 firms,
		// people 1+2=3 and 2+3=5, largest firm 1 <= half: passes; A published.
		{"remainder passes", row{4, 4, 5, 2, 2, 3, 3}, map[string]bool{"5001": false, "5006": true, "5007": true}},
		// C passes (3 and 3 firms): W = {B} alone would be B itself, so the
		// smallest published (C, 4 respondents) joins: W = {B, C}; A published.
		{"single withheld", row{4, 4, 6, 3, 3, 3, 3}, map[string]bool{"5001": false, "5006": true, "5007": true}},
	}
	cols := [][2]string{{Total, Total}, {ViewArea, "x"}, {ViewArea, "y"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			est := map[Key]*Estimate{}
			for m, r := range map[string]row{"5001": a, "5006": b, "5007": tt.c, "5014": {}} {
				for col, c := range mk(r) {
					c.Key = Key{m, col[0], col[1]}
					est[c.Key] = &Estimate{Cell: c}
				}
			}
			county := &Table{Cells: map[Key]*Cell{{"50", Total, Total}: {Firms: 40}}}
			if err := protectMunicipalities(county, est, []string{"50"}, map[string][]string{"50": {"5001", "5006", "5007", "5014"}}, cols, Rule{}); err != nil {
				t.Fatal(err)
			}
			for m, want := range tt.want {
				for _, col := range cols {
					if got := est[Key{m, col[0], col[1]}].Suppressed(); got != want {
						t.Errorf("protectMunicipalities: %s %v withheld = %v, want %v", m, col, got, want)
					}
				}
			}
			for _, col := range cols {
				if est[Key{"5014", col[0], col[1]}].Suppressed() {
					t.Errorf("protectMunicipalities: 5014 (no respondents) %v withheld, want published zeros", col)
				}
			}
		})
	}
}
