package demo

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

var update = flag.Bool("update", false, "rewrite testdata/demo/ssb from testdata/demo/source")

const (
	srcDir    = "../../testdata/demo/source"
	bundleDir = "../../testdata/demo/ssb"
)

var (
	buildOnce sync.Once
	builtDir  string
	buildErr  error
)

// built builds the bundle once per test binary into a temporary directory.
func built(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		builtDir, buildErr = os.MkdirTemp("", "demo-bundle-")
		if buildErr == nil {
			buildErr = Build(srcDir, builtDir)
		}
	})
	if buildErr != nil {
		t.Fatalf("Build(%s) = %v", srcDir, buildErr)
	}
	return builtDir
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	if twentyDir != "" {
		os.RemoveAll(twentyDir)
	}
	os.Exit(code)
}

func listFiles(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBundleUpToDate checks that the committed bundle is what Build writes
// now. Regenerate with: go test ./pipelines/demo -run TestBundleUpToDate -update
func TestBundleUpToDate(t *testing.T) {
	if *update {
		if err := os.RemoveAll(bundleDir); err != nil {
			t.Fatal(err)
		}
		if err := Build(srcDir, bundleDir); err != nil {
			t.Fatalf("Build(%s, %s) = %v", srcDir, bundleDir, err)
		}
	}
	out := t.TempDir()
	if err := Build(srcDir, out); err != nil {
		t.Fatalf("Build(%s) = %v", srcDir, err)
	}
	got, want := listFiles(t, out), listFiles(t, bundleDir)
	var total int
	for name, b := range got {
		total += len(b)
		w, ok := want[name]
		switch {
		case !ok:
			t.Errorf("Build wrote %s, not in %s (run with -update)", name, bundleDir)
		case !bytes.Equal(b, w):
			t.Errorf("Build wrote %s different from %s (run with -update and review the diff)", name, bundleDir)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s/%s is not written by Build (stale; run with -update)", bundleDir, name)
		}
	}
	// The brief caps the bundle at about 8 MB.
	if total > 8<<20 {
		t.Errorf("bundle size = %d bytes, want at most %d", total, 8<<20)
	}
}

func TestBuildDeterministic(t *testing.T) {
	a, b := built(t), t.TempDir()
	if err := Build(srcDir, b); err != nil {
		t.Fatalf("Build(%s) = %v", srcDir, err)
	}
	fa, fb := listFiles(t, a), listFiles(t, b)
	if len(fa) != len(fb) {
		t.Fatalf("two builds wrote %d and %d files", len(fa), len(fb))
	}
	for name, x := range fa {
		if !bytes.Equal(x, fb[name]) {
			t.Errorf("two builds differ in %s", name)
		}
	}
}

func load(t *testing.T, id string) *jsonstat.Dataset {
	t.Helper()
	f, err := os.Open(filepath.Join(built(t), "tables", id, "data.json"))
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

// cell returns the value at the given codes (one per dimension).
func cell(t *testing.T, d *jsonstat.Dataset, codes ...string) (float64, bool) {
	t.Helper()
	coords := make([]int, len(codes))
	for i, c := range codes {
		coords[i] = slices.Index(d.Dims[i].Codes, c)
		if coords[i] < 0 {
			t.Fatalf("dataset %q: dimension %s has no code %q", d.Label, d.Dims[i].ID, c)
		}
	}
	i := d.Index(coords)
	return d.Values[i], d.Present[i]
}

func TestRealValues(t *testing.T) {
	edu := load(t, "09429")
	emp := load(t, "06445")
	nav := load(t, "10540")
	neet := load(t, "13556")
	tests := []struct {
		name  string
		d     *jsonstat.Dataset
		codes []string
		want  float64 // NaN: must be missing
	}{
		// PROVENANCE.md (telemark-fylke): Skien 2025 kort 11432, lang 4033.
		{"Skien 2025 UH kort", edu, []string{"4003", "03a", "0", "Personer", "2025"}, 11432},
		{"Skien 2025 UH lang", edu, []string{"4003", "04a", "0", "Personer", "2025"}, 4033},
		// utdanningsnivaa.csv: Skien 2025 kort 24.0 %, lang 8.5 % (sum 32.5 %, PROVENANCE.md).
		{"Skien 2025 UH kort %", edu, []string{"4003", "03a", "0", "PersonerProsent", "2025"}, 24.0},
		{"Skien 2025 UH lang %", edu, []string{"4003", "04a", "0", "PersonerProsent", "2025"}, 8.5},
		// utdanningsnivaa.csv line "Bamble,Fagskolenivå,Begge kjønn,Personer 16 år og over,2024,471.0".
		{"Bamble 2024 fagskole", edu, []string{"4012", "11", "0", "Personer", "2024"}, 471},
		// 4012 did not exist before 2024: null, not 0.
		{"4012 in 2019", edu, []string{"4012", "11", "0", "Personer", "2019"}, math.NaN()},
		{"0814 in 2020", edu, []string{"0814", "11", "0", "Personer", "2020"}, math.NaN()},
		// Up to 2024 the real file has no percentage for uoppgitt.
		{"Skien 2024 uoppgitt %", edu, []string{"4003", "09a", "0", "PersonerProsent", "2024"}, math.NaN()},
		// sysselsetting_i_kommunene.csv: Siljan 69.8, Kragerø 61.3 (PROVENANCE.md).
		{"Siljan 2025 sysselsatte %", emp, []string{"4010", "0", "15-74", "SysselsatteProsent", "2025"}, 69.8},
		{"Kragerø 2025 sysselsatte %", emp, []string{"4014", "0", "15-74", "SysselsatteProsent", "2025"}, 61.3},
		// PROVENANCE.md: NAV Telemark helt ledige 2024-03 = 2166 (0.025); Landet 61071 (0.02).
		{"Telemark 2024M03 helt ledige", nav, []string{"40", "HeltLedige", "2024M03"}, 2166},
		{"Telemark 2024M03 %", nav, []string{"40", "HeltLedigeProsent", "2024M03"}, 2.5},
		{"Landet 2024M03 helt ledige", nav, []string{"0", "HeltLedige", "2024M03"}, 61071},
		{"Landet 2024M03 %", nav, []string{"0", "HeltLedigeProsent", "2024M03"}, 2.0},
		// arbeidsledighet.csv: "Troms " (trailing space) 2023-12 = 1178 (0.013).
		{"Troms 2023M12", nav, []string{"55", "HeltLedige", "2023M12"}, 1178},
		{"Troms 2023M12 %", nav, []string{"55", "HeltLedigeProsent", "2023M12"}, 1.3},
		// andel_unge_utenfor_kommuner.csv: Skien 11.5, Siljan 5.0 in 2024 (PROVENANCE.md).
		{"Skien 2024 NEET %", neet, []string{"4003", "NEET", "15-29", "BosatteProsent", "2024"}, 11.5},
		{"Siljan 2024 NEET %", neet, []string{"4010", "NEET", "15-29", "BosatteProsent", "2024"}, 5.0},
		{"Fyresdal 2024 NEET %", neet, []string{"4032", "NEET", "15-29", "BosatteProsent", "2024"}, 6.5},
		// 3806 was Porsgrunn until 2023: null in 2024.
		{"3806 in 2024", neet, []string{"3806", "NEET", "15-29", "BosatteProsent", "2024"}, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cell(t, tt.d, tt.codes...)
			if math.IsNaN(tt.want) {
				if ok {
					t.Errorf("cell(%v) = %v, want missing", tt.codes, got)
				}
				return
			}
			if !ok || got != tt.want {
				t.Errorf("cell(%v) = %v (present %v), want %v", tt.codes, got, ok, tt.want)
			}
		})
	}
}

// TestHigherEducationShares recomputes the published shares of PROVENANCE.md
// from the bundle: Skien 2025 (11432+4033)/47535 = 32.5 % and Telemark, the
// sum over the 17 current municipalities, 31.04 % in 2025.
func TestHigherEducationShares(t *testing.T) {
	edu := load(t, "09429")
	share := func(region string) (float64, float64) {
		var total float64
		for _, l := range nivaaCodes {
			v, ok := cell(t, edu, region, l, "0", "Personer", "2025")
			if !ok {
				t.Fatalf("09429 %s %s 2025 missing", region, l)
			}
			total += v
		}
		k, _ := cell(t, edu, region, "03a", "0", "Personer", "2025")
		g, _ := cell(t, edu, region, "04a", "0", "Personer", "2025")
		return 100 * (k + g) / total, total
	}
	if got, total := share("4003"); total != 47535 || math.Round(got*10)/10 != 32.5 {
		t.Errorf("Skien 2025 høyere utdanning = %.3f %% of %v, want 32.5 %% of 47535", got, total)
	}
	if got, _ := share("40"); math.Round(got*100)/100 != 31.04 {
		t.Errorf("Telemark 2025 høyere utdanning = %.4f %%, want 31.04 %%", got)
	}
}

// TestPercentRule checks every 09429 percentage against the documented rule
// (and so also that real and synthetic rows follow the same rule).
func TestPercentRule(t *testing.T) {
	edu := load(t, "09429")
	bad := 0
	for _, r := range edu.Dims[0].Codes {
		for _, s := range kjonnCodes {
			for _, y := range edu.Dims[4].Codes {
				var n [6]int
				var ok [6]bool
				for l, lv := range nivaaCodes {
					v, has := cell(t, edu, r, lv, s, "Personer", y)
					n[l], ok[l] = int(v), has
				}
				year := 0
				for _, c := range y {
					year = 10*year + int(c-'0')
				}
				want := pctRule(n, ok, year)
				for l, lv := range nivaaCodes {
					got, has := cell(t, edu, r, lv, s, "PersonerProsent", y)
					// Exact: the real rows follow the rule to the last
					// digit (testdata/demo/source/PROVENANCE.md).
					if has != want[l].ok || (has && got != want[l].v) {
						if bad++; bad <= 5 {
							t.Errorf("09429 %s %s %s %s: PersonerProsent = %v (%v), want %v (%v)", r, lv, s, y, got, has, want[l].v, want[l].ok)
						}
					}
				}
			}
		}
	}
}

func TestHalfUp(t *testing.T) {
	tests := []struct {
		n, d int
		want float64
	}{
		{11432, 47535, 24.0}, // 24.0496…
		{4033, 47535, 8.5},   // 8.4843…
		{39, 624, 6.3},       // 6.25 exactly: half up (utdanningsnivaa.csv Nissedal Menn 2024 UH lang = 6.3)
		{1, 3, 33.3},
		{2, 3, 66.7},
		{0, 5, 0},
	}
	for _, tt := range tests {
		if got := halfUp(tt.n, tt.d); got != tt.want {
			t.Errorf("halfUp(%d, %d) = %v, want %v", tt.n, tt.d, got, tt.want)
		}
	}
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		total int
		w     []float64
		want  []int
	}{
		{10, []float64{1, 1, 1}, []int{4, 3, 3}},
		{7, []float64{0.5, 0.25, 0.25}, []int{3, 2, 2}}, // 3.5, 1.75, 1.75: floors 3+1+1, the two left go to remainders 0.75, 0.75
		{0, []float64{1, 2}, []int{0, 0}},
		{5, []float64{0, 0}, []int{0, 0}},
	}
	for _, tt := range tests {
		if got := allocate(tt.total, tt.w); !slices.Equal(got, tt.want) {
			t.Errorf("allocate(%d, %v) = %v, want %v", tt.total, tt.w, got, tt.want)
		}
	}
}

// TestJSONStat checks that every data.json is JSON-stat 2.0 with as many
// values as the product of its sizes, carries the DEMO markers, and that
// table.json labels match.
func TestJSONStat(t *testing.T) {
	root := built(t)
	for _, id := range TableIDs() {
		t.Run(id, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(root, "tables", id, "data.json"))
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Version   string            `json:"version"`
				Class     string            `json:"class"`
				Label     string            `json:"label"`
				ID        []string          `json:"id"`
				Size      []int             `json:"size"`
				Note      []string          `json:"note"`
				Value     []*float64        `json:"value"`
				Status    map[string]string `json:"status"`
				Dimension map[string]struct {
					Category struct {
						Index map[string]int `json:"index"`
					} `json:"category"`
					Extension struct {
						Codelists []struct {
							ID string `json:"id"`
						} `json:"codelists"`
					} `json:"extension"`
				} `json:"dimension"`
				Extension struct {
					Grunnlag struct {
						Synthetic string `json:"synthetic"`
						RealCells string `json:"real_cells"`
						Generator string `json:"generator"`
					} `json:"grunnlag"`
				} `json:"extension"`
			}
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatalf("json.Unmarshal(data.json) = %v", err)
			}
			if doc.Version != "2.0" || doc.Class != "dataset" {
				t.Errorf("version, class = %q, %q, want 2.0, dataset", doc.Version, doc.Class)
			}
			n := 1
			for i, id := range doc.ID {
				if got := len(doc.Dimension[id].Category.Index); got != doc.Size[i] {
					t.Errorf("dimension %s has %d categories, size says %d", id, got, doc.Size[i])
				}
				n *= doc.Size[i]
			}
			if len(doc.Value) != n {
				t.Errorf("len(value) = %d, want product of size %v = %d", len(doc.Value), doc.Size, n)
			}
			for k, s := range doc.Status {
				var i int
				for _, c := range k {
					i = 10*i + int(c-'0')
				}
				if s != ".." || i >= n || doc.Value[i] != nil {
					t.Errorf("status[%s] = %q on value %v, want \"..\" on null", k, s, doc.Value[i])
				}
			}
			if len(doc.Note) == 0 || !strings.HasPrefix(doc.Note[0], "DEMO:") {
				t.Errorf("note[0] = %q, want a DEMO: note", doc.Note)
			}
			g := doc.Extension.Grunnlag
			suffix := map[string]string{"full": suffixFull, "partial": suffixPart}[g.Synthetic]
			if suffix == "" || g.Generator != "pipelines/demo" || g.RealCells == "" {
				t.Errorf("extension.grunnlag = %+v, want synthetic full|partial, real_cells, generator pipelines/demo", g)
			}
			if !strings.HasSuffix(doc.Label, suffix) {
				t.Errorf("label = %q, want suffix %q", doc.Label, suffix)
			}
			var lists []string
			for _, c := range doc.Dimension["Region"].Extension.Codelists {
				lists = append(lists, c.ID)
			}
			if !slices.Contains(lists, "agg_KommSummer") || !slices.Contains(lists, "agg_KommFylker") {
				t.Errorf("Region codelists = %v, want agg_KommSummer and agg_KommFylker", lists)
			}
			// The independent decoder agrees.
			d := load(t, id)
			if d.Size() != n || len(d.Values) != n {
				t.Errorf("jsonstat: Size() = %d, len(Values) = %d, want %d", d.Size(), len(d.Values), n)
			}
			var info struct {
				ID    string `json:"id"`
				Label string `json:"label"`
			}
			b, err := os.ReadFile(filepath.Join(root, "tables", id, "table.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &info); err != nil {
				t.Fatalf("json.Unmarshal(table.json) = %v", err)
			}
			if info.ID != id || info.Label != doc.Label {
				t.Errorf("table.json id, label = %q, %q, want %q, %q", info.ID, info.Label, id, doc.Label)
			}
		})
	}
}

// TestSums checks the documented aggregate rules on the bundle: in 09429,
// 13470, 07459, 13556, 07984, demo-utdanning-alder, 13563, 12944,
// demo-ufore and demo-evu a county is the sum
// of its member codes (agg_KommFylker)
// and "0" the sum of the counties; in 10540 the synthetic municipalities of
// a county add up to NAV's county figure.
func TestSums(t *testing.T) {
	root := built(t)
	var fylker struct {
		Values []struct {
			Code     string   `json:"code"`
			ValueMap []string `json:"valueMap"`
		} `json:"values"`
	}
	b, err := os.ReadFile(filepath.Join(root, "codelists", "agg_KommFylker.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fylker); err != nil {
		t.Fatal(err)
	}
	if len(fylker.Values) != 15 {
		t.Fatalf("agg_KommFylker has %d values, want the 15 counties of 2024", len(fylker.Values))
	}
	check := func(t *testing.T, d *jsonstat.Dataset, rest []string) {
		var nation float64
		for _, f := range fylker.Values {
			county := strings.TrimPrefix(f.Code, "F-")
			var sum float64
			for _, code := range f.ValueMap {
				if v, ok := cell(t, d, append([]string{code}, rest...)...); ok {
					sum += v
				}
			}
			got, _ := cell(t, d, append([]string{county}, rest...)...)
			if got != sum {
				t.Errorf("%s %v: county %s = %v, want sum of members %v", d.Label, rest, county, got, sum)
			}
			nation += got
		}
		if got, _ := cell(t, d, append([]string{"0"}, rest...)...); got != nation {
			t.Errorf("%s %v: Hele landet = %v, want sum of counties %v", d.Label, rest, got, nation)
		}
	}
	t.Run("09429", func(t *testing.T) { check(t, load(t, "09429"), []string{"03a", "2", "Personer", "2017"}) })
	t.Run("13470", func(t *testing.T) { check(t, load(t, "13470"), []string{"86-88", "SysselsatteArb", "2022"}) })
	t.Run("07459", func(t *testing.T) { check(t, load(t, "07459"), []string{"1", "020-024", "Personer1", "2025"}) })
	t.Run("13556", func(t *testing.T) { check(t, load(t, "13556"), []string{"NEET", "15-29", "Bosatte", "2024"}) })
	t.Run("07984", func(t *testing.T) { check(t, load(t, "07984"), []string{"41-43", "55-66", "Sysselsatte", "2022"}) })
	t.Run(eduAgeID, func(t *testing.T) { check(t, load(t, eduAgeID), []string{"03a", "0", "30-34", "Personer", "2019"}) })
	t.Run("13563", func(t *testing.T) { check(t, load(t, "13563"), []string{"NEET2", "30-61", "Bosatte", "2022"}) })
	t.Run("12944", func(t *testing.T) { check(t, load(t, "12944"), []string{"35-49", "VedvarendeLav", "2020-2022"}) })
	t.Run(uforeID, func(t *testing.T) { check(t, load(t, uforeID), []string{"18-66", "UforeMottakere", "2021"}) })
	t.Run(evuID, func(t *testing.T) { check(t, load(t, evuID), []string{"25-64", "Befolkning", "2024"}) })
	t.Run("10540", func(t *testing.T) {
		d := load(t, "10540")
		for _, f := range fylker.Values {
			county := strings.TrimPrefix(f.Code, "F-")
			if county == "40" {
				continue // Telemark municipalities are NAV's own figures
			}
			var sum float64
			for _, code := range f.ValueMap {
				v, _ := cell(t, d, code, "HeltLedige", "2025M06")
				sum += v
			}
			if got, _ := cell(t, d, county, "HeltLedige", "2025M06"); got != sum {
				t.Errorf("10540 2025M06: county %s = %v, want sum of municipalities %v", county, got, sum)
			}
		}
	})
}

// TestCodelists checks the Telemark crosswalk in agg_KommSummer
// (kommune_metadata.csv: 814 → 3813 → 4012, 821 and 822 → 3817 → 4020).
func TestCodelists(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(built(t), "codelists", "agg_KommSummer.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cl struct {
		Type   string `json:"type"`
		Values []struct {
			Code     string   `json:"code"`
			ValueMap []string `json:"valueMap"`
		} `json:"values"`
	}
	if err := json.Unmarshal(b, &cl); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"K-4012": {"0814", "3813", "4012"},
		"K-4020": {"0821", "0822", "3817", "4020"},
		"K-0301": {"0301"},
		"K-5001": {"5001"},
	}
	if cl.Type != "Aggregation" || len(cl.Values) != 357 {
		t.Errorf("agg_KommSummer: type %q with %d values, want Aggregation with 357", cl.Type, len(cl.Values))
	}
	for _, v := range cl.Values {
		if w, ok := want[v.Code]; ok && !slices.Equal(v.ValueMap, w) {
			t.Errorf("agg_KommSummer %s valueMap = %v, want %v", v.Code, v.ValueMap, w)
		}
	}
}

func TestSplitValidity(t *testing.T) {
	tests := []struct{ in, name, suffix string }{
		{"Bamble (-2019)", "Bamble", "-2019"},
		{"Kragerø (1960-2019)", "Kragerø", "1960-2019"},
		{"Bø (Telemark) (-2019)", "Bø (Telemark)", "-2019"},
		{"Bamble (2020-2023)", "Bamble", "2020-2023"},
		{"Sande (Vestfold)", "Sande (Vestfold)", ""},
		{"Bamble", "Bamble", ""},
	}
	for _, tt := range tests {
		if n, s := splitValidity(tt.in); n != tt.name || s != tt.suffix {
			t.Errorf("splitValidity(%q) = %q, %q, want %q, %q", tt.in, n, s, tt.name, tt.suffix)
		}
	}
}

func FuzzSplitValidity(f *testing.F) {
	for _, s := range []string{"Bamble (-2019)", "Kragerø (1960-2019)", "Bø (Telemark) (-2019)", "Sande (Vestfold)", "", " ()", "(-)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, lab string) {
		name, suffix := splitValidity(lab)
		switch {
		case suffix == "" && name != lab:
			t.Errorf("splitValidity(%q) = %q, %q: name changed without a suffix", lab, name, suffix)
		case suffix != "" && name+" ("+suffix+")" != lab:
			t.Errorf("splitValidity(%q) = %q, %q: does not rebuild the label", lab, name, suffix)
		}
	})
}

func ExampleBuild() {
	out, err := os.MkdirTemp("", "demo-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(out)
	if err := Build("../../testdata/demo/source", out); err != nil {
		panic(err)
	}
	for _, id := range TableIDs() {
		if _, err := os.Stat(filepath.Join(out, "tables", id, "data.json")); err == nil {
			fmt.Println("tables/" + id + "/data.json")
		}
	}
	// Output:
	// tables/09429/data.json
	// tables/13470/data.json
	// tables/06445/data.json
	// tables/10540/data.json
	// tables/07459/data.json
	// tables/13556/data.json
	// tables/07984/data.json
	// tables/demo-utdanning-alder/data.json
	// tables/13563/data.json
	// tables/14863/data.json
	// tables/demo-ufore/data.json
	// tables/12944/data.json
	// tables/demo-evu/data.json
}

// TestYouthAndAgeTables checks the rules of the two newer tables by hand
// arithmetic on the bundle: in 13556 a NEET count is the share × the
// population 15-29 (the real 2024 shares within rounding, 50/population
// percentage points), the population is 07459's 15-19 + 20-24 + 25-29; in
// 07984 a municipality's employed over all industries and ages equal
// 06445's employed 15-74, and 00-99 is the sum of the 16 groups.
func TestYouthAndAgeTables(t *testing.T) {
	neet, pop, emp, age := load(t, "13556"), load(t, "07459"), load(t, "06445"), load(t, "07984")
	for _, tc := range []struct {
		code string
		real float64 // andel_unge_utenfor_kommuner.csv
	}{{"4003", 11.5}, {"4010", 5.0}, {"4036", 9.0}} {
		t.Run(tc.code, func(t *testing.T) {
			n, _ := cell(t, neet, tc.code, "NEET", "15-29", "Bosatte", "2024")
			tot, _ := cell(t, neet, tc.code, "TOT", "15-29", "Bosatte", "2024")
			var want float64
			for _, s := range []string{"1", "2"} {
				for _, a := range []string{"015-019", "020-024", "025-029"} {
					v, _ := cell(t, pop, tc.code, s, a, "Personer1", "2024")
					want += v
				}
			}
			if tot != want || tot == 0 {
				t.Errorf("13556 TOT(%s, 2024) = %v, want 07459 15-29 = %v", tc.code, tot, want)
			}
			if got := n / tot * 100; math.Abs(got-tc.real) > 50/tot {
				t.Errorf("13556 NEET/TOT(%s, 2024) = %v, want %v ± %v", tc.code, got, tc.real, 50/tot)
			}
		})
	}
	for _, code := range []string{"4003", "0301", "5001"} {
		t.Run("07984/"+code, func(t *testing.T) {
			var all, groups float64
			for _, a := range []string{"15-19", "20-24", "25-39", "40-54", "55-66", "67-74"} {
				v, _ := cell(t, age, code, "00-99", a, "Sysselsatte", "2024")
				all += v
				for _, g := range naceCodes[1:] {
					x, _ := cell(t, age, code, g, a, "Sysselsatte", "2024")
					groups += x
				}
			}
			e, _ := cell(t, emp, code, "0", "15-74", "Sysselsatte", "2024")
			if all != e || groups != e || e == 0 {
				t.Errorf("07984(%s, 2024): 00-99 = %v, sum of groups = %v; want 06445 employed 15-74 = %v", code, all, groups, e)
			}
		})
	}
}

// TestOutsideByAge checks 13563's rules by hand arithmetic on the bundle:
// its 15-29 cells are 13556's (TOT3 = TOT, NEET2 = NEET, so the real 2024
// Telemark shares carry over), its TOT3 30-61 is 07459's 30-34 ... 55-59
// plus two fifths of 60-64 per sex, rounded, and every NEET2 count is at
// most its TOT3.
func TestOutsideByAge(t *testing.T) {
	out, neet, pop := load(t, "13563"), load(t, "13556"), load(t, "07459")
	for _, code := range []string{"4003", "4010", "0301", "40", "0"} {
		t.Run(code, func(t *testing.T) {
			for _, st := range [][2]string{{"TOT3", "TOT"}, {"NEET2", "NEET"}} {
				got, _ := cell(t, out, code, st[0], "15-29", "Bosatte", "2024")
				want, _ := cell(t, neet, code, st[1], "15-29", "Bosatte", "2024")
				if got != want || got == 0 {
					t.Errorf("13563 %s 15-29 (%s, 2024) = %v, want 13556 %s = %v", st[0], code, got, st[1], want)
				}
			}
			n, _ := cell(t, out, code, "NEET2", "30-61", "Bosatte", "2024")
			tot, _ := cell(t, out, code, "TOT3", "30-61", "Bosatte", "2024")
			if n <= 0 || n >= tot {
				t.Errorf("13563 30-61 (%s, 2024): NEET2 %v, TOT3 %v; want 0 < NEET2 < TOT3", code, n, tot)
			}
		})
	}
	var want float64
	for _, s := range []string{"1", "2"} {
		for _, a := range []string{"030-034", "035-039", "040-044", "045-049", "050-054", "055-059"} {
			v, _ := cell(t, pop, "4003", s, a, "Personer1", "2024")
			want += v
		}
		v, _ := cell(t, pop, "4003", s, "060-064", "Personer1", "2024")
		want += math.Round(0.4 * v)
	}
	if got, _ := cell(t, out, "4003", "TOT3", "30-61", "Bosatte", "2024"); got != want || got == 0 {
		t.Errorf("13563 TOT3 30-61 (4003, 2024) = %v, want 07459 30-59 + 2/5 of 60-64 = %v", got, want)
	}
}

// TestCompletionByProgramType checks 14863's rules by hand arithmetic on
// the bundle: UtdProgram 00 is 01 + 02 in every outcome, the nation is the
// sum of the 15 counties, and Prosent is the count over its programme
// type's cohort, rounded half up to one decimal.
func TestCompletionByProgramType(t *testing.T) {
	d := load(t, "14863")
	counties := []string{"03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"}
	const span = "2018-2024"
	for _, k := range fullforingCodes {
		for _, code := range append([]string{"0"}, counties...) {
			all, _ := cell(t, d, code, k, "00", "0", "Personer", span)
			a, _ := cell(t, d, code, k, "01", "0", "Personer", span)
			b, _ := cell(t, d, code, k, "02", "0", "Personer", span)
			if all != a+b {
				t.Errorf("14863 %s %s: 00 = %v, want 01 + 02 = %v", code, k, all, a+b)
			}
		}
		for _, prog := range progTypeCodes {
			var sum float64
			for _, code := range counties {
				v, _ := cell(t, d, code, k, prog, "0", "Personer", span)
				sum += v
			}
			if got, _ := cell(t, d, "0", k, prog, "0", "Personer", span); got != sum || got == 0 {
				t.Errorf("14863 0 %s %s = %v, want sum of counties %v", k, prog, got, sum)
			}
		}
	}
	var cohort float64
	for _, k := range fullforingCodes {
		v, _ := cell(t, d, "40", k, "02", "0", "Personer", span)
		cohort += v
	}
	n, _ := cell(t, d, "40", "5a", "02", "0", "Personer", span)
	pct, _ := cell(t, d, "40", "5a", "02", "0", "Prosent", span)
	if want := math.Floor(n/cohort*1000+0.5) / 10; pct != want {
		t.Errorf("14863 40 5a 02 Prosent = %v, want %v / %v * 100 rounded = %v", pct, n, cohort, want)
	}
}

// TestLowIncomeAndRates checks the rules of 12944, demo-ufore and demo-evu
// by hand arithmetic on the bundle: in 12944 all ages (999A) is the sum of
// the five age groups; the recipients and
// participants are fewer than their population; demo-evu's population
// 25-64 is 07459's 25-29 ... 60-64.
func TestLowIncomeAndRates(t *testing.T) {
	low, ufore, evu, pop := load(t, "12944"), load(t, uforeID), load(t, evuID), load(t, "07459")
	for _, tc := range []struct{ code, period string }{{"0301", "2022-2024"}, {"3806", "2020-2022"}, {"0806", "2016-2018"}, {"40", "2019-2021"}, {"0", "2022-2024"}} {
		var sum float64
		for _, a := range lowIncomeAges[1:] {
			v, _ := cell(t, low, tc.code, a, "VedvarendeLav", tc.period)
			sum += v
		}
		all, _ := cell(t, low, tc.code, "999A", "VedvarendeLav", tc.period)
		if all != sum || all == 0 {
			t.Errorf("12944 %s %s: 999A = %v, want sum of the age groups %v", tc.code, tc.period, all, sum)
		}
	}
	for _, tc := range []struct{ code, year string }{{"4003", "2024"}, {"0301", "2019"}, {"0", "2024"}} {
		for _, d := range []struct {
			t       string
			num, pp string
		}{{uforeID, "UforeMottakere", "18-66"}, {evuID, "IUtdanning", "25-64"}} {
			tab := ufore
			if d.t == evuID {
				tab = evu
			}
			n, _ := cell(t, tab, tc.code, d.pp, d.num, tc.year)
			p, _ := cell(t, tab, tc.code, d.pp, "Befolkning", tc.year)
			if n <= 0 || n >= p {
				t.Errorf("%s %s %s: %s %v of population %v; want 0 < count < population", d.t, tc.code, tc.year, d.num, n, p)
			}
		}
	}
	var want float64
	for _, s := range []string{"1", "2"} {
		for _, a := range []string{"025-029", "030-034", "035-039", "040-044", "045-049", "050-054", "055-059", "060-064"} {
			v, _ := cell(t, pop, "4003", s, a, "Personer1", "2024")
			want += v
		}
	}
	if got, _ := cell(t, evu, "4003", "25-64", "Befolkning", "2024"); got != want || got == 0 {
		t.Errorf("demo-evu Befolkning 25-64 (4003, 2024) = %v, want 07459 25-29 ... 60-64 = %v", got, want)
	}
}
