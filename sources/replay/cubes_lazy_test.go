package replay_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/grunnlag/grunnlag/sources/replay"
)

const (
	demoSSB = "../../testdata/demo/ssb"
	ssbBase = "https://data.ssb.no/api/pxwebapi/v2"
)

// copyTable copies config.json and the table id of the demo's SSB bundle
// into a new bundle and returns its directory.
func copyTable(t *testing.T, id string) string {
	t.Helper()
	dir := t.TempDir()
	cp := func(rel string) {
		b, err := os.ReadFile(filepath.Join(demoSSB, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cp("config.json")
	cp(filepath.Join("tables", id, "table.json"))
	cp(filepath.Join("tables", id, "data.json"))
	return dir
}

// TestCubesDecodeDataLazily: a bundle whose data.json is damaged still
// opens and answers GET /tables/{id} and the listing from table.json (so
// a run that only checks `updated` never decodes a cube); a request that
// needs the cube fails with a *CorruptError naming data.json through the
// transport (not retried: Permanent), and with 500 through ServeHTTP.
// Before cubes were decoded lazily, CubesTransport itself failed.
func TestCubesDecodeDataLazily(t *testing.T) {
	dir := copyTable(t, "10540")
	data := filepath.Join(dir, "tables", "10540", "data.json")
	if err := os.WriteFile(data, []byte(`{"version":"2.0","class":"dataset","value":[1,`), 0o644); err != nil {
		t.Fatal(err)
	}
	rt, err := replay.CubesTransport(ssbBase, dir)
	if err != nil {
		t.Fatalf("CubesTransport with a damaged data.json: %v; want it to open (data.json is read on first use)", err)
	}
	info, err := os.ReadFile(filepath.Join(dir, "tables", "10540", "table.json"))
	if err != nil {
		t.Fatal(err)
	}
	status, _, body, err := get(t, rt, "GET", ssbBase+"/tables/10540", "")
	if err != nil || status != 200 || body != string(info) {
		t.Errorf("GET /tables/10540 = %d, %d bytes, %v; want 200 and table.json", status, len(body), err)
	}
	status, _, body, err = get(t, rt, "GET", ssbBase+"/tables?query=10540", "")
	if err != nil || status != 200 || !strings.Contains(body, `"totalElements":1`) {
		t.Errorf("GET /tables?query=10540 = %d %.200s, %v; want 200 listing the table", status, body, err)
	}
	for _, path := range []string{"/tables/10540/metadata", "/tables/10540/data?valueCodes[Tid]=top(1)"} {
		_, _, _, err = get(t, rt, "GET", ssbBase+path, "")
		var bad *replay.CorruptError
		if !errors.As(err, &bad) || bad.Snapshot != data || !replay.Permanent(err) {
			t.Errorf("GET %s: error = %v; want a permanent *CorruptError naming %s", path, err, data)
		}
	}
	c, err := replay.NewCubes(dir, replay.CubeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	c.ServeHTTP(w, httptest.NewRequest("GET", "/tables/10540/metadata", nil))
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "data.json") {
		t.Errorf("ServeHTTP metadata = %d %s; want 500 naming data.json", w.Code, w.Body)
	}
}

// TestCubesFirstRequestsConcurrent: the first requests for a table, sent
// at once from several goroutines (the cube is decoded on first use, once),
// get the same answers as one request at a time on a fresh emulator; the
// metadata answer is data.json without values and status, with the table
// ID in extension.px. Run under -race in CI's race pass.
func TestCubesFirstRequestsConcurrent(t *testing.T) {
	dir := copyTable(t, "10540")
	sel := url.Values{"valueCodes[Region]": {"*"}, "valueCodes[ContentsCode]": {"*"}, "valueCodes[Tid]": {"top(3)"}}
	paths := []string{"/tables/10540/data?" + sel.Encode(), "/tables/10540/metadata", "/tables/10540"}
	answer := func(c *replay.Cubes, path string) string {
		w := httptest.NewRecorder()
		c.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != 200 {
			t.Errorf("GET %s = %d %.200s, want 200", path, w.Code, w.Body)
		}
		return w.Body.String()
	}
	seq, err := replay.NewCubes(dir, replay.CubeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, p := range paths {
		want[p] = answer(seq, p)
	}
	par, err := replay.NewCubes(dir, replay.CubeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		for _, p := range paths {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got := answer(par, p); got != want[p] {
					t.Errorf("concurrent GET %s = %.200s, want %.200s", p, got, want[p])
				}
			}()
		}
	}
	wg.Wait()

	var meta map[string]json.RawMessage
	if err := json.Unmarshal([]byte(want["/tables/10540/metadata"]), &meta); err != nil {
		t.Fatal(err)
	}
	if string(meta["value"]) != "[]" || meta["status"] != nil || !strings.Contains(string(meta["extension"]), `"tableid":"10540"`) {
		t.Errorf("metadata value %s, status %s, extension %s; want [], none and tableid 10540", meta["value"], meta["status"], meta["extension"])
	}
	var ds struct {
		Value []*float64 `json:"value"`
		Size  []int      `json:"size"`
	}
	if err := json.Unmarshal([]byte(want[paths[0]]), &ds); err != nil {
		t.Fatal(err)
	}
	cells := 1
	for _, n := range ds.Size {
		cells *= n
	}
	if len(ds.Value) == 0 || len(ds.Value) != cells {
		t.Errorf("data answer: %d values for sizes %v; want their product, at least one", len(ds.Value), ds.Size)
	}
}
