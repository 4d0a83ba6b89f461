package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/grunnlag/grunnlag/sources/replay"
)

func testStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPutRaw(t *testing.T) {
	s := testStore(t)
	body := []byte(`{"version":"2.0","class":"dataset"}`) // synthetic
	sum := sha256.Sum256(body)
	wantSHA := hex.EncodeToString(sum[:])
	t1 := time.Date(2026, 1, 15, 8, 15, 0, 0, time.UTC)
	first := SnapshotMeta{
		URL: "https://data.example/api/v2/tables/09429/data?lang=no", Method: "POST",
		RequestBody: []byte(`{"selection":[{"variableCode":"Region","valueCodes":["5001"]}]}`),
		Status:      200,
		Header: http.Header{
			"Content-Type":  {"application/json; charset=utf-8"},
			"Etag":          {`"abc"`},
			"Set-Cookie":    {"secret=1"},
			"Last-Modified": {"Wed, 14 Jan 2026 06:00:00 GMT"},
		},
		FetchedAt: t1, Licence: "NLOD 2.0", Attribution: "Statistisk sentralbyrå",
	}
	sha, err := s.PutRaw("ssb", Snapshot{Body: body, Ext: "json", Meta: first})
	if err != nil {
		t.Fatal(err)
	}
	if sha != wantSHA {
		t.Fatalf("PutRaw() sha = %s, want %s", sha, wantSHA)
	}
	// The body is stored zstd-compressed as <sha>.json.zst; the sha256 is
	// of the uncompressed body.
	bodyPath := filepath.Join(s.Root(), "raw", "ssb", sha[:2], sha+".json.zst")
	zb, err := os.ReadFile(bodyPath)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	if got, err := dec.DecodeAll(zb, nil); err != nil || string(got) != string(body) {
		t.Fatalf("body file decompressed = %q, %v; want %q", got, err, body)
	}
	if got, _, err := s.Raw("ssb", sha); err != nil || string(got) != string(body) {
		t.Fatalf("Raw() = %q, %v; want %q", got, err, body)
	}
	side, err := os.ReadFile(filepath.Join(s.Root(), "raw", "ssb", sha[:2], sha+".meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(side, &raw); err != nil {
		t.Fatal(err)
	}
	f0 := raw["fetches"].([]any)[0].(map[string]any)
	if f0["request_body"] != `{"selection":[{"variableCode":"Region","valueCodes":["5001"]}]}` {
		t.Errorf("sidecar request_body = %v, want the JSON text", f0["request_body"])
	}
	hdr := f0["headers"].(map[string]any)
	if hdr["content-type"] != "application/json; charset=utf-8" || hdr["etag"] != `"abc"` || hdr["last-modified"] == nil {
		t.Errorf("sidecar headers = %v, want content-type, etag, last-modified", hdr)
	}
	if _, ok := hdr["set-cookie"]; ok {
		t.Errorf("sidecar headers kept set-cookie: %v", hdr)
	}
	if f0["fetched_at"] != "2026-01-15T08:15:00Z" || f0["licence"] != "NLOD 2.0" {
		t.Errorf("sidecar fetched_at, licence = %v, %v", f0["fetched_at"], f0["licence"])
	}

	// Same body fetched again later, with a note and a binary request body:
	// the body file stays as it was and the sidecar gains a second fetch.
	before, _ := os.Stat(bodyPath)
	second := SnapshotMeta{
		URL: "https://data.example/other", Method: "POST", RequestBody: []byte{0xff, 0x00},
		Status: 200, FetchedAt: t1.Add(time.Hour), Note: "served from bundled demo data",
	}
	if _, err := s.PutRaw("ssb", Snapshot{Body: body, Ext: "json", Meta: second}); err != nil {
		t.Fatal(err)
	}
	// An identical fetch recorded twice is kept once.
	if _, err := s.PutRaw("ssb", Snapshot{Body: body, Ext: "json", Meta: second}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(bodyPath)
	if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("body file was rewritten")
	}
	sc, err := s.Sidecar("ssb", sha)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Fetches) != 2 {
		t.Fatalf("Sidecar().Fetches has %d fetches, want 2", len(sc.Fetches))
	}
	if sc.Fetches[0].URL != first.URL || string(sc.Fetches[0].RequestBody) != string(first.RequestBody) {
		t.Errorf("first fetch lost: %+v", sc.Fetches[0])
	}
	if string(sc.Fetches[1].RequestBody) != "\xff\x00" {
		t.Errorf("binary request body round trip = %q, want \\xff\\x00", sc.Fetches[1].RequestBody)
	}
	if !strings.Contains(readFile(t, filepath.Join(s.Root(), "raw", "ssb", sha[:2], sha+".meta.json")), `"request_body_base64": "/wA="`) {
		t.Errorf("binary request body not stored as base64 /wA=")
	}

	b, meta, err := s.Raw("ssb", sha)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != string(body) || meta.Note != "served from bundled demo data" {
		t.Errorf("Raw() = %q, note %q; want body and latest fetch's note", b, meta.Note)
	}

	// A corrupted body is detected: other content (valid zstd) fails the
	// sha256 check, and bytes that are not zstd fail to decompress.
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bodyPath, enc.EncodeAll([]byte("tampered"), nil), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Raw("ssb", sha); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("Raw(tampered) error = %v, want sha256 mismatch", err)
	}
	if err := os.WriteFile(bodyPath, []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Raw("ssb", sha); err == nil || !strings.Contains(err.Error(), "zstd") {
		t.Errorf("Raw(not zstd) error = %v, want a zstd error", err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPutRawInvalid(t *testing.T) {
	s := testStore(t)
	for _, tc := range []struct{ source, ext string }{
		{"", "json"}, {"../x", "json"}, {".hidden", "json"}, {"a/b", "json"}, {"ssb", "../x"}, {"ssb", "j s"},
	} {
		t.Run(tc.source+"_"+tc.ext, func(t *testing.T) {
			if _, err := s.PutRaw(tc.source, Snapshot{Body: []byte("x"), Ext: tc.ext}); err == nil {
				t.Errorf("PutRaw(%q, ext %q) = nil error, want an error", tc.source, tc.ext)
			}
		})
	}
	if _, _, err := s.Raw("ssb", "../../etc"); err == nil {
		t.Errorf("Raw(ssb, ../../etc) = nil error, want an error")
	}
}

func TestReplayTransport(t *testing.T) {
	s := testStore(t)
	t0 := time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC)
	put := func(body, method, url, reqBody string, status int, ctype string, at time.Time) {
		t.Helper()
		h := http.Header{}
		if ctype != "" {
			h.Set("Content-Type", ctype)
		}
		var rb []byte
		if reqBody != "" {
			rb = []byte(reqBody)
		}
		if _, err := s.PutRaw("ssb", Snapshot{Body: []byte(body), Ext: "json", Meta: SnapshotMeta{
			URL: url, Method: method, RequestBody: rb, Status: status, Header: h, FetchedAt: at,
		}}); err != nil {
			t.Fatal(err)
		}
	}
	const base = "https://data.example/api/v2"
	put(`{"old":1}`, "GET", base+"/tables/09429?lang=no&x=1", "", 200, "application/json", t0)
	put(`{"new":2}`, "GET", base+"/tables/09429?lang=no&x=1", "", 200, "application/json", t0.Add(time.Hour))
	put(`{"post":"a"}`, "POST", base+"/tables/09429/data", `{"sel":"a"}`, 200, "application/json", t0)
	put(`{"post":"b"}`, "POST", base+"/tables/09429/data", `{"sel":"b"}`, 200, "application/json", t0)
	put(`{"type":"about:blank","status":403}`, "POST", base+"/tables/09429/data", `{"sel":"big"}`, 403, "application/problem+json", t0)

	client := &http.Client{Transport: s.ReplayTransport("ssb")}
	for _, tc := range []struct {
		name, method, url, body string
		wantStatus              int
		wantType, wantBody      string
	}{
		{"latest fetch wins, query order ignored", "GET", base + "/tables/09429?x=1&lang=no", "", 200, "application/json", `{"new":2}`},
		{"host case ignored", "GET", "https://DATA.example/api/v2/tables/09429?lang=no&x=1", "", 200, "application/json", `{"new":2}`},
		{"post body a", "POST", base + "/tables/09429/data", `{"sel":"a"}`, 200, "application/json", `{"post":"a"}`},
		{"post body b", "POST", base + "/tables/09429/data", `{"sel":"b"}`, 200, "application/json", `{"post":"b"}`},
		{"stored status", "POST", base + "/tables/09429/data", `{"sel":"big"}`, 403, "application/problem+json", `{"type":"about:blank","status":403}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req, err := http.NewRequestWithContext(context.Background(), tc.method, tc.url, body)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("Do(%s %s) error = %v", tc.method, tc.url, err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.wantStatus || resp.Header.Get("Content-Type") != tc.wantType || string(got) != tc.wantBody {
				t.Errorf("Do(%s %s) = %d %q %s, want %d %q %s", tc.method, tc.url, resp.StatusCode,
					resp.Header.Get("Content-Type"), got, tc.wantStatus, tc.wantType, tc.wantBody)
			}
		})
	}

	t.Run("unknown request", func(t *testing.T) {
		req, _ := http.NewRequest("POST", base+"/tables/09429/data", strings.NewReader(`{"sel":"c"}`))
		_, err := client.Do(req)
		var miss *ReplayMissError
		if !errors.As(err, &miss) {
			t.Fatalf("Do(unknown) error = %v, want *ReplayMissError", err)
		}
		if miss.Source != "ssb" || miss.Method != "POST" || miss.URL != base+"/tables/09429/data" || miss.Hint != "run without --offline" {
			t.Errorf("Do(unknown) error = %+v, want source ssb, POST %s/tables/09429/data and the hint to run without --offline", *miss, base)
		}
	})

	t.Run("snapshot added after first use", func(t *testing.T) {
		put(`{"late":1}`, "GET", base+"/config", "", 200, "application/json", t0)
		resp, err := client.Get(base + "/config")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(got) != `{"late":1}` {
			t.Errorf("Get(/config) = %s, want {\"late\":1}", got)
		}
	})
}

// TestRawUncompressed: a body stored uncompressed by an older grunnlag
// (<sha>.<ext>, no compression in the sidecar) is read as it is by Raw and
// by the replay transport, and a later PutRaw of the same body leaves it
// uncompressed.
func TestRawUncompressed(t *testing.T) {
	s := testStore(t)
	body := []byte(`{"class":"dataset","note":"synthetic"}`)
	sum := sha256.Sum256(body)
	sha := hex.EncodeToString(sum[:])
	dir := filepath.Join(s.Root(), "raw", "ssb", sha[:2])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, sha+".json"), body, 0o644); err != nil {
		t.Fatal(err)
	}
	side := `{"sha256": "` + sha + `", "source": "ssb", "ext": "json", "bytes": 38, "fetches": [` +
		`{"url": "https://data.example/t", "method": "GET", "status": 200, "fetched_at": "2025-01-01T00:00:00Z"}]}`
	if err := os.WriteFile(filepath.Join(dir, sha+".meta.json"), []byte(side), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.Raw("ssb", sha); err != nil || string(got) != string(body) {
		t.Fatalf("Raw(old body) = %q, %v; want %q", got, err, body)
	}
	resp, err := (&http.Client{Transport: s.ReplayTransport("ssb")}).Get("https://data.example/t")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(got) != string(body) {
		t.Errorf("replay of old body = %q, want %q", got, body)
	}
	if _, err := s.PutRaw("ssb", Snapshot{Body: body, Ext: "json", Meta: SnapshotMeta{URL: "https://data.example/t2", Method: "GET", Status: 200}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, sha+".json.zst")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("PutRaw of a body stored uncompressed wrote a .zst copy (stat error %v)", err)
	}
	// A corrupted body is an error, not data.
	if err := os.WriteFile(filepath.Join(dir, sha+".json"), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Raw("ssb", sha); err == nil || !strings.Contains(err.Error(), "does not match its sha256") {
		t.Errorf("Raw(tampered) error = %v, want a sha256 mismatch", err)
	}
}

// TestReplayJSONWhitespace: a recorded POST body and the request's body
// match when they differ only in JSON whitespace (the one matching rule of
// sources/replay), as a client that re-encodes its query sends it.
func TestReplayJSONWhitespace(t *testing.T) {
	s := testStore(t)
	const u = "https://data.example/api/v2/tables/09429/data"
	if _, err := s.PutRaw("ssb", Snapshot{Body: []byte(`{"ok":1}`), Ext: "json", Meta: SnapshotMeta{
		URL: u, Method: "POST", RequestBody: []byte(`{"selection": [ {"variableCode": "Tid"} ]}`), Status: 200,
		FetchedAt: time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC)}}); err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Transport: s.ReplayTransport("ssb")}).Post(u, "application/json", strings.NewReader(`{"selection":[{"variableCode":"Tid"}]}`))
	if err != nil {
		t.Fatalf("Post(compact body) error = %v, want the recorded answer", err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(got) != `{"ok":1}` {
		t.Errorf("Post(compact body) = %s, want {\"ok\":1}", got)
	}
}

// TestReplayCorruptSnapshot: a body file whose bytes no longer match its
// sha256 fails the request at once with a *replay.CorruptError naming the
// snapshot file, not a miss and not a wrong answer.
func TestReplayCorruptSnapshot(t *testing.T) {
	s := testStore(t)
	const u = "https://data.example/t"
	sha, err := s.PutRaw("ssb", Snapshot{Body: []byte(`{"n":1}`), Ext: "json", Meta: SnapshotMeta{
		URL: u, Method: "GET", Status: 200, FetchedAt: time.Date(2026, 1, 15, 8, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(s.Root(), "raw", "ssb", sha[:2])
	files, err := filepath.Glob(filepath.Join(dir, sha+".json*"))
	if err != nil || len(files) != 1 {
		t.Fatalf("body files of %s = %v, %v; want one", sha, files, err)
	}
	// Replace the body with another valid body (uncompressed, as an older
	// grunnlag stored it) so only the checksum can tell.
	if err := os.Remove(files[0]); err != nil {
		t.Fatal(err)
	}
	side := filepath.Join(dir, sha+".meta.json")
	b, err := os.ReadFile(side)
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.Replace(string(b), `"compression": "zstd"`, `"compression": ""`, 1))
	b = []byte(strings.Replace(string(b), `"compression":"zstd"`, `"compression":""`, 1))
	if err := os.WriteFile(side, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, sha+".json"), []byte(`{"n":2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = (&http.Client{Transport: s.ReplayTransport("ssb")}).Get(u)
	var bad *replay.CorruptError
	if !errors.As(err, &bad) {
		t.Fatalf("Get(tampered snapshot) error = %v, want *replay.CorruptError", err)
	}
	if want := filepath.Join("raw", "ssb", sha[:2], sha+".json"); !strings.HasSuffix(bad.Snapshot, want) || bad.Source != "ssb" {
		t.Errorf("CorruptError = %+v, want source ssb and snapshot ending in %s", *bad, want)
	}
	var miss *ReplayMissError
	if errors.As(err, &miss) {
		t.Errorf("Get(tampered snapshot) error %v is also a miss", err)
	}
}

// TestPutRawRefetchKeepsFirstAndLatest: a source fetched again at every run
// that answers the same body (NAV, Udir and DBH publish no update stamp)
// must not grow its sidecar by a fetch per run. Of 50 fetches of one
// request it keeps the first and the latest; a fetch of another request
// of the same body is kept beside them, and a replay answers the request
// with the body.
func TestPutRawRefetchKeepsFirstAndLatest(t *testing.T) {
	s := testStore(t)
	body := []byte(`{"rows":[]}`) // synthetic
	t0 := time.Date(2026, 3, 1, 7, 0, 0, 0, time.UTC)
	meta := func(url string, i int) SnapshotMeta {
		return SnapshotMeta{URL: url, Status: 200, FetchedAt: t0.Add(time.Duration(i) * 24 * time.Hour)}
	}
	var sha string
	for i := 0; i < 50; i++ {
		var err error
		if sha, err = s.PutRaw("nav", Snapshot{Body: body, Ext: "json", Meta: meta("https://nav.example/a.json", i)}); err != nil {
			t.Fatal(err)
		}
		if i == 10 {
			if _, err := s.PutRaw("nav", Snapshot{Body: body, Ext: "json", Meta: meta("https://nav.example/b.json", i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	sc, err := s.Sidecar("nav", sha)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range sc.Fetches {
		got = append(got, f.URL+" "+f.FetchedAt.Format("2006-01-02"))
	}
	want := []string{"https://nav.example/a.json 2026-03-01", "https://nav.example/b.json 2026-03-11", "https://nav.example/a.json 2026-04-19"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("fetches:\n%s\nwant the first and latest of a.json and the one of b.json:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if l := sc.Latest(); l == nil || !l.FetchedAt.Equal(t0.Add(49*24*time.Hour)) {
		t.Errorf("Latest() = %+v, want the 50th fetch", l)
	}
}
