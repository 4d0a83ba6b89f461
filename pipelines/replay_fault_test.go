package pipelines

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/pxweb"
	"github.com/grunnlag/grunnlag/sources/replay"
)

// countingTransport counts the requests it passes on.
type countingTransport struct {
	mu   sync.Mutex
	n    int
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return c.next.RoundTrip(r)
}

// instantClock is an httpx.Clock whose Sleep returns at once.
type instantClock struct{}

func (instantClock) Now() time.Time                                   { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
func (instantClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// TestReplayChecksumFailureNotRetried: a raw snapshot whose body no longer
// matches its sha256 fails the offline request at once with a typed
// *replay.CorruptError; it is not retried five times as a network fault.
func TestReplayChecksumFailureNotRetried(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const base = "https://data.ssb.no/api/pxwebapi/v2"
	sha, err := st.PutRaw("ssb", store.Snapshot{Body: []byte(`{"maxDataCells":800000,"maxCallsPerTimeWindow":30,"timeWindow":10}`), Ext: "json",
		Meta: store.SnapshotMeta{URL: base + "/config", Method: http.MethodGet, Status: 200, FetchedAt: instantClock{}.Now()}})
	if err != nil {
		t.Fatal(err)
	}
	// Damage the stored body: overwrite whatever file holds it.
	files, err := filepath.Glob(filepath.Join(st.Root(), "raw", "ssb", sha[:2], sha+".json*"))
	if err != nil || len(files) != 1 {
		t.Fatalf("body file of %s: %v, %v", sha, files, err)
	}
	if err := os.WriteFile(files[0], []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	ct := &countingTransport{next: st.ReplayTransport("ssb")}
	c := pxweb.New(base, pxweb.Options{HTTP: &http.Client{Transport: ct}, Clock: instantClock{}, APIVersion: "v2"})
	_, err = c.Config(context.Background())
	var re *replay.CorruptError
	if !errors.As(err, &re) || !strings.Contains(re.Snapshot, sha) {
		t.Fatalf("Config() error = %v, want a *replay.CorruptError for snapshot %s", err, sha)
	}
	if ct.n != 1 {
		t.Errorf("replay asked %d times, want 1 (a damaged snapshot is not a network fault)", ct.n)
	}
}
