package store

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/grunnlag/grunnlag/sources/replay"
)

// ReplayMissError is returned by the replay transport for a request that no
// snapshot answers (replay.MissError; its Source is the source name).
type ReplayMissError = replay.MissError

// ReplayTransport returns an http.RoundTripper that answers requests from
// the snapshots of source, with no network, through sources/replay: a
// request matches a recorded fetch when method, URL (scheme and host
// case-insensitive, query parameters in any order) and request body (JSON
// whitespace removed) are equal. When several fetches match, the one with
// the latest fetched_at wins. The response has the stored status, the
// stored headers (Content-Type, Last-Modified, ETag, Date) and the stored
// body. A request that matches nothing fails with a *ReplayMissError naming
// its method and URL; a body that fails its sha256 (or cannot be
// decompressed) fails with a *replay.CorruptError naming the snapshot file,
// which no retry can cure. The index of snapshots is read at the first
// request and read again when a request misses.
func (s *Store) ReplayTransport(source string) http.RoundTripper {
	return replay.New(source, func() ([]replay.Exchange, error) { return s.replayExchanges(source) },
		replay.Options{Reload: true, Hint: "run without --offline"})
}

// replayExchanges lists every recorded fetch of source, oldest first, so
// the latest of equal requests wins.
func (s *Store) replayExchanges(source string) ([]replay.Exchange, error) {
	dir := filepath.Join(s.root, "raw", source)
	paths, err := filepath.Glob(filepath.Join(dir, "*", "*.meta.json"))
	if err != nil {
		return nil, err
	}
	type fetch struct {
		x  replay.Exchange
		at time.Time
	}
	var fs []fetch
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("store: replay %s: %w", source, err)
		}
		sc := new(Sidecar)
		if err := json.Unmarshal(b, sc); err != nil {
			return nil, fmt.Errorf("store: replay %s: %s: %w", source, s.rel(p), err)
		}
		open := func() ([]byte, error) {
			return s.readBody(s.rawDir(source, sc.SHA256), sc)
		}
		for _, f := range sc.Fetches {
			h := http.Header{}
			for k, v := range f.Header {
				h[k] = append([]string(nil), v...)
			}
			fs = append(fs, fetch{x: replay.Exchange{Method: f.Method, URL: f.URL, Body: f.RequestBody,
				Status: f.Status, Header: h, Open: open}, at: f.FetchedAt})
		}
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].at.Before(fs[j].at) })
	xs := make([]replay.Exchange, len(fs))
	for i, f := range fs {
		xs[i] = f.x
	}
	return xs, nil
}
