package replay_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/sources/replay"
)

// get sends one request through rt and returns status, Content-Type and body.
func get(t *testing.T, rt http.RoundTripper, method, u, body string) (int, string, string, error) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, u, r)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b), nil
}

func TestKey(t *testing.T) {
	for _, tc := range []struct {
		name      string
		a, b      [3]string // method, url, body
		wantEqual bool
	}{
		{"query order", [3]string{"GET", "https://h/p?b=2&a=1", ""}, [3]string{"GET", "https://h/p?a=1&b=2", ""}, true},
		{"scheme and host case", [3]string{"GET", "HTTPS://H.Example/p", ""}, [3]string{"GET", "https://h.example/p", ""}, true},
		{"path case matters", [3]string{"GET", "https://h/P", ""}, [3]string{"GET", "https://h/p", ""}, false},
		{"empty method is GET", [3]string{"", "https://h/p", ""}, [3]string{"get", "https://h/p", ""}, true},
		{"fragment dropped", [3]string{"GET", "https://h/p#x", ""}, [3]string{"GET", "https://h/p", ""}, true},
		{"JSON whitespace", [3]string{"POST", "https://h/p", "{ \"a\" : [1, 2] }\n"}, [3]string{"POST", "https://h/p", `{"a":[1,2]}`}, true},
		{"JSON values differ", [3]string{"POST", "https://h/p", `{"a":1}`}, [3]string{"POST", "https://h/p", `{"a":2}`}, false},
		{"non-JSON body byte for byte", [3]string{"POST", "https://h/p", "a=1& b=2"}, [3]string{"POST", "https://h/p", "a=1&b=2"}, false},
		{"method differs", [3]string{"POST", "https://h/p", ""}, [3]string{"GET", "https://h/p", ""}, false},
		{"query value differs", [3]string{"GET", "https://h/p?a=1", ""}, [3]string{"GET", "https://h/p?a=2", ""}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ka := replay.Key(tc.a[0], tc.a[1], []byte(tc.a[2]))
			kb := replay.Key(tc.b[0], tc.b[1], []byte(tc.b[2]))
			if (ka == kb) != tc.wantEqual {
				t.Errorf("Key(%q) == Key(%q) is %v, want %v", tc.a, tc.b, ka == kb, tc.wantEqual)
			}
		})
	}
}

// writeFiles writes a synthetic bundle: name -> content.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestIndex(t *testing.T) {
	// Synthetic bundle.
	dir := writeFiles(t, map[string]string{
		"index.json": `[
			{"method": "GET", "url": "https://nav.offline/a.csv?y=2&x=1", "status": 200, "content_type": "text/csv", "file": "a.csv"},
			{"method": "POST", "url": "https://dbh.offline/api", "body": "{\"tabell_id\": 998}", "status": 200, "content_type": "application/json", "file": "sub/b.json"},
			{"url": "https://nav.offline/empty", "status": 204},
			{"url": "https://nav.offline/gone", "status": 404, "content_type": "text/plain", "file": "gone.txt"}
		]`,
		"a.csv":      "kode;antall\n0301;12\n",
		"sub/b.json": `[{"Antall":3}]`,
		"gone.txt":   "not found",
	})
	rt, err := replay.Index("test", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, method, url, body string
		status                  int
		ctype, want             string
	}{
		{"GET, query in another order", "GET", "https://nav.offline/a.csv?x=1&y=2", "", 200, "text/csv", "kode;antall\n0301;12\n"},
		{"POST, compact body", "POST", "https://dbh.offline/api", `{"tabell_id":998}`, 200, "application/json", `[{"Antall":3}]`},
		{"no method means GET, no file means no body", "GET", "https://nav.offline/empty", "", 204, "", ""},
		{"recorded 404", "GET", "https://nav.offline/gone", "", 404, "text/plain", "not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, ctype, body, err := get(t, rt, tc.method, tc.url, tc.body)
			if err != nil || status != tc.status || ctype != tc.ctype || body != tc.want {
				t.Errorf("RoundTrip(%s %s) = %d %q %q, %v; want %d %q %q", tc.method, tc.url, status, ctype, body, err, tc.status, tc.ctype, tc.want)
			}
		})
	}
	_, _, _, err = get(t, rt, "POST", "https://dbh.offline/api", `{"tabell_id":999}`)
	var miss *replay.MissError
	if !errors.As(err, &miss) || miss.Method != "POST" || miss.URL != "https://dbh.offline/api" || miss.Source != "test" {
		t.Errorf("RoundTrip(unrecorded body) error = %v, want *MissError for POST https://dbh.offline/api", err)
	}
}

func TestIndexRefusesBadBundles(t *testing.T) {
	for _, tc := range []struct {
		name, index, want string
	}{
		{"file outside the bundle", `[{"url": "https://h/x", "file": "../secret"}]`, "not inside the bundle"},
		{"no url", `[{"method": "GET", "file": "a"}]`, "entry 0: no url"},
		{"not JSON", `{`, "index.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := replay.Index("test", writeFiles(t, map[string]string{"index.json": tc.index}))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Index(%s) error = %v, want one saying %q", tc.index, err, tc.want)
			}
		})
	}
	if _, err := replay.Index("test", t.TempDir()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Index(no index.json) error = %v, want fs.ErrNotExist", err)
	}
}

func TestKLASSLayout(t *testing.T) {
	const base = "https://data.ssb.no/api/klass/v1"
	// Synthetic bundle: two answers with queries, one without (a
	// /versions/{id} answer), and files that are not answers.
	dir := writeFiles(t, map[string]string{
		"classifications/131/codes/from=2013-01-01&to=2025-01-01.json": `{"codes":[]}`,
		"classifications/104/codesAt/date=2024-01-01.json":             `{"codes":[{"code":"40"}]}`,
		"versions/1160/_.json": `{"id":1160}`,
		"PROVENANCE.md":        "# where from",
		"top.json":             `{"not":"an answer"}`,
		"sources/x.csv":        "a;b",
	})
	rt, err := replay.KLASS(base+"/", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ url, want string }{
		{base + "/classifications/131/codes?to=2025-01-01&from=2013-01-01", `{"codes":[]}`},
		{base + "/classifications/104/codesAt?date=2024-01-01", `{"codes":[{"code":"40"}]}`},
		{base + "/versions/1160", `{"id":1160}`},
	} {
		status, ctype, body, err := get(t, rt, "GET", tc.url, "")
		if err != nil || status != 200 || !strings.HasPrefix(ctype, "application/json") || body != tc.want {
			t.Errorf("GET %s = %d %q %q, %v; want 200 application/json %q", tc.url, status, ctype, body, err, tc.want)
		}
	}
	for _, u := range []string{base + "/top", base + "/classifications/131/codes", "https://other.host/api/klass/v1/versions/1160"} {
		_, _, _, err := get(t, rt, "GET", u, "")
		var miss *replay.MissError
		if !errors.As(err, &miss) || miss.URL != u {
			t.Errorf("GET %s error = %v, want *MissError naming the URL", u, err)
		}
	}
	if _, err := replay.KLASS(base, filepath.Join(dir, "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("KLASS(missing dir) error = %v, want fs.ErrNotExist", err)
	}
}

// TestKLASSBundle serves every answer file of the project's KLASS bundle
// (testdata/klass, whatever files it holds) at the URL its path names, with
// its bytes unchanged.
func TestKLASSBundle(t *testing.T) {
	const dir = "../../testdata/klass"
	const base = "http://klass.offline/api/klass/v1"
	rt, err := replay.KLASS(base, dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") || filepath.Dir(p) == filepath.Clean(dir) {
			return err
		}
		rel, _ := filepath.Rel(dir, filepath.Dir(p))
		q := strings.TrimSuffix(d.Name(), ".json")
		u := base + "/" + filepath.ToSlash(rel)
		if q != "_" {
			u += "?" + q
		}
		want, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		status, _, body, err := get(t, rt, "GET", u, "")
		if err != nil || status != 200 || body != string(want) {
			t.Errorf("GET %s = %d, %d bytes, %v; want 200 and the %d bytes of %s", u, status, len(body), err, len(want), p)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no answers found under %s", dir)
	}
}

// TestCubesTransport: the demo's SSB bundle answers under the configured
// base URL and nowhere else.
func TestCubesTransport(t *testing.T) {
	const dir = "../../testdata/demo/ssb"
	const base = "https://data.ssb.no/api/pxwebapi/v2"
	rt, err := replay.CubesTransport(base, dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, "tables", "09429", "table.json"))
	if err != nil {
		t.Fatal(err)
	}
	status, ctype, body, err := get(t, rt, "GET", base+"/tables/09429", "")
	if err != nil || status != 200 || ctype != "application/json" || body != string(want) {
		t.Errorf("GET /tables/09429 = %d %q, %d bytes, %v; want 200 application/json and table.json", status, ctype, len(body), err)
	}
	status, _, body, err = get(t, rt, "GET", base+"/tables/nosuch", "")
	if err != nil || status != 404 || !strings.Contains(body, "Table nosuch not found") {
		t.Errorf("GET /tables/nosuch = %d %s, %v; want 404 naming the table", status, body, err)
	}
	// A selection is answered by the emulator (not looked up): one region,
	// one level, the latest year.
	sel := url.Values{"valueCodes[Region]": {"0301"}, "valueCodes[Nivaa]": {"01"}, "valueCodes[Kjonn]": {"0"},
		"valueCodes[ContentsCode]": {"Personer"}, "valueCodes[Tid]": {"top(1)"}}
	status, _, body, err = get(t, rt, "GET", base+"/tables/09429/data?"+sel.Encode(), "")
	if err != nil || status != 200 || !strings.Contains(body, `"value":[`) {
		t.Errorf("GET /tables/09429/data = %d %.200s, %v; want 200 and a JSON-stat dataset", status, body, err)
	}
	// In process there is no server to protect: /config reports no
	// practical call limit (so a client does not pace itself), and the
	// recorded cell limit (so requests are split as against SSB).
	status, _, body, err = get(t, rt, "GET", base+"/config", "")
	var cfg struct {
		MaxDataCells int `json:"maxDataCells"`
		MaxCalls     int `json:"maxCallsPerTimeWindow"`
	}
	if err != nil || status != 200 || json.Unmarshal([]byte(body), &cfg) != nil {
		t.Fatalf("GET /config = %d %.200s, %v", status, body, err)
	}
	if cfg.MaxCalls != replay.BundleMaxCalls || cfg.MaxDataCells != 800000 { // 800000: testdata/demo/ssb/config.json
		t.Errorf("/config: maxCallsPerTimeWindow %d, maxDataCells %d; want %d and the recorded 800000", cfg.MaxCalls, cfg.MaxDataCells, replay.BundleMaxCalls)
	}
	_, _, _, err = get(t, rt, "GET", "https://example.org/api/pxwebapi/v2/config", "")
	var miss *replay.MissError
	if !errors.As(err, &miss) || miss.URL != "https://example.org/api/pxwebapi/v2/config" {
		t.Errorf("GET another host: error = %v, want *MissError naming the URL", err)
	}
}

// TestCorruptErrorIsTyped: an Open that reports a corrupt snapshot reaches
// the caller as a *CorruptError through the RoundTrip's wrapping.
func TestCorruptErrorIsTyped(t *testing.T) {
	bad := &replay.CorruptError{Source: "ssb", Snapshot: "raw/ssb/ab/abc.json.zst", Err: errors.New("body does not match its sha256")}
	rt := replay.Exchanges("ssb", []replay.Exchange{{URL: "https://h/p", Open: func() ([]byte, error) { return nil, bad }}})
	_, _, _, err := get(t, rt, "GET", "https://h/p", "")
	var got *replay.CorruptError
	if !errors.As(err, &got) || got.Snapshot != "raw/ssb/ab/abc.json.zst" {
		t.Fatalf("RoundTrip error = %v, want the *CorruptError", err)
	}
	if !strings.Contains(err.Error(), "raw/ssb/ab/abc.json.zst") {
		t.Errorf("error %q does not name the snapshot", err)
	}
	// Through http.Client the error is a *url.Error (a net.Error, which
	// retry layers treat as retryable); Permanent still sees through it.
	_, err = (&http.Client{Transport: rt}).Get("https://h/p")
	if !replay.Permanent(err) {
		t.Errorf("Permanent(%v) = false, want true", err)
	}
	_, err = (&http.Client{Transport: rt}).Get("https://h/unrecorded")
	if !replay.Permanent(err) {
		t.Errorf("Permanent(%v) = false, want true (a miss)", err)
	}
	if replay.Permanent(errors.New("connection reset")) {
		t.Error("Permanent(other error) = true, want false")
	}
}

// TestReload: with Options.Reload a miss reads the exchanges again, so an
// answer recorded after the first request is found; without, it is not.
func TestReload(t *testing.T) {
	for _, reload := range []bool{true, false} {
		var xs []replay.Exchange
		loads := 0
		rt := replay.New("s", func() ([]replay.Exchange, error) { loads++; return xs, nil }, replay.Options{Reload: reload})
		if _, _, _, err := get(t, rt, "GET", "https://h/late", ""); err == nil {
			t.Fatalf("reload %v: GET before recording succeeded", reload)
		}
		xs = append(xs, replay.Exchange{URL: "https://h/late", Open: func() ([]byte, error) { return []byte("ok"), nil }})
		_, _, body, err := get(t, rt, "GET", "https://h/late", "")
		if reload && (err != nil || body != "ok") {
			t.Errorf("reload: GET after recording = %q, %v; want ok", body, err)
		}
		if !reload && err == nil {
			t.Errorf("no reload: GET after recording = %q, want a miss (the set is read once)", body)
		}
	}
}

func FuzzKey(f *testing.F) {
	f.Add("GET", "https://h/p?b=2&a=1", `{"a": 1}`)
	f.Add("post", "%zz", "\x00")
	f.Fuzz(func(t *testing.T, method, u, body string) {
		// Key never panics and is deterministic.
		k := replay.Key(method, u, []byte(body))
		if k != replay.Key(method, u, []byte(body)) {
			t.Fatalf("Key(%q, %q, %q) is not deterministic", method, u, body)
		}
	})
}
