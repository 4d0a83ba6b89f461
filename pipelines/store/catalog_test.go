package store

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestUpdateCatalog(t *testing.T) {
	s, c := clockStore(t)
	publishCells(t, s, "b_sett", baseCells, DatasetMeta{Source: "ssb", Licence: "NLOD 2.0"})
	publishCells(t, s, "a_sett", baseCells, DatasetMeta{Source: "ssb"})
	before := readFile(t, filepath.Join(s.Root(), "catalog.json"))

	// An error from fn leaves the file as it was.
	boom := errors.New("boom")
	err := s.UpdateCatalog(func(c *Catalog) error {
		c.Datasets["a_sett"].LastError = "endret"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("UpdateCatalog() error = %v, want boom", err)
	}
	if got := readFile(t, filepath.Join(s.Root(), "catalog.json")); got != before {
		t.Errorf("catalog changed after a failed update")
	}

	// Stable key order: datasets sorted, fields in declaration order.
	order := []string{`"a_sett"`, `"current"`, `"versions"`, `"stamp"`, `"path"`, `"sha256"`, `"bytes"`, `"rows"`,
		`"content_sha256"`, `"source"`, `"synthetic"`, `"keys"`, `"diff"`, `"added"`, `"last_checked"`, `"b_sett"`, `"licence"`}
	last := -1
	for _, k := range order {
		i := strings.Index(before[last+1:], k)
		if i < 0 {
			t.Fatalf("catalog.json: %s not after position %d:\n%s", k, last, before)
		}
		last += 1 + i
	}

	// RecordCheck stores and clears last_error.
	c.t = t0.Add(time.Hour)
	if err := s.RecordCheck("a_sett", errors.New("ssb: 503")); err != nil {
		t.Fatal(err)
	}
	cat, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if e := cat.Datasets["a_sett"]; e.LastError != "ssb: 503" || !e.LastChecked.Equal(c.t) || e.Current == "" {
		t.Errorf("after RecordCheck: %+v, want last_error ssb: 503 at %v, current kept", e, c.t)
	}
	publishCells(t, s, "a_sett", v2Cells, DatasetMeta{Source: "ssb"})
	cat, _ = s.Catalog()
	if e := cat.Datasets["a_sett"]; e.LastError != "" {
		t.Errorf("last_error after a successful Publish = %q, want empty", e.LastError)
	}
}

func TestPrune(t *testing.T) {
	s, c := clockStore(t)
	var stamps []string
	for i := 0; i < 4; i++ {
		c.t = t0.Add(time.Duration(i) * time.Hour)
		cells := append([]cell(nil), baseCells...)
		cells[0].value = float64(i) // a revision each time
		stamps = append(stamps, publishCells(t, s, "befolkning", cells, DatasetMeta{}).Stamp)
	}
	publishCells(t, s, "annet", baseCells, DatasetMeta{})
	orphan := filepath.Join(s.Root(), "datasets", "befolkning", "version=19990101T000000Z")
	if err := os.Mkdir(orphan, 0o755); err != nil {
		t.Fatal(err)
	}

	removed, err := s.Prune(2)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"datasets/befolkning/version=19990101T000000Z",
		"datasets/befolkning/version=" + stamps[0],
		"datasets/befolkning/version=" + stamps[1],
	}
	if strings.Join(removed, " ") != strings.Join(want, " ") {
		t.Errorf("Prune(2) = %v, want %v", removed, want)
	}
	for _, r := range want {
		if _, err := os.Stat(filepath.Join(s.Root(), r)); !os.IsNotExist(err) {
			t.Errorf("%s still exists", r)
		}
	}
	cat, _ := s.Catalog()
	e := cat.Datasets["befolkning"]
	if len(e.Versions) != 2 || e.Versions[0].Stamp != stamps[2] || e.Current != stamps[3] {
		t.Errorf("after Prune(2): %d versions from %s, current %s; want 2 from %s, current %s",
			len(e.Versions), e.Versions[0].Stamp, e.Current, stamps[2], stamps[3])
	}
	if len(cat.Datasets["annet"].Versions) != 1 {
		t.Errorf("Prune(2) touched dataset annet")
	}

	// The current version is never removed, even when it is the oldest.
	if err := s.UpdateCatalog(func(c *Catalog) error {
		c.Datasets["befolkning"].Current = stamps[2]
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	removed, err = s.Prune(1)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0] != "datasets/befolkning/version="+stamps[3] {
		t.Errorf("Prune(1) with current oldest = %v, want only %s", removed, stamps[3])
	}
	rec, err := s.ReadVersion("befolkning", "")
	if err != nil {
		t.Fatalf("current version unreadable after Prune: %v", err)
	}
	rec.Release()
	if _, err := s.Prune(0); err == nil {
		t.Errorf("Prune(0) = nil error")
	}
}

func TestLock(t *testing.T) {
	s, _ := clockStore(t)
	lockPath := filepath.Join(s.Root(), "grunnlag.lock")
	lease, err := s.LockFor(context.Background(), "grunnlag run")
	if err != nil {
		t.Fatal(err)
	}
	if b := readFile(t, lockPath); !strings.Contains(b, `"pid":`+strconv.Itoa(os.Getpid())) || !strings.Contains(b, `"token":"`+lease.Info().Token+`"`) {
		t.Errorf("lock file = %s, want our pid and token", b)
	}

	// Busy: a done context fails at once with the holder named. A second
	// Store on the same kb in the same process is another holder.
	s2, err := Open(s.Root())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = s2.Lock(ctx)
	var le *LockError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("Lock(busy) error = %v, want *LockError wrapping ErrLocked", err)
	}
	// The message shows who, the holder's pid and the (test clock) time, in local time.
	host, _ := os.Hostname()
	wantMsg := "kunnskapsbasen er låst av pid " + strconv.Itoa(os.Getpid()) + " på " + host + " («grunnlag run»)"
	if !strings.Contains(err.Error(), wantMsg) || !strings.Contains(err.Error(), t0.Local().Format("2006-01-02 15:04:05")) {
		t.Errorf("Lock(busy) error = %q, want it to contain %q and the time", err, wantMsg)
	}
	if le.Who != "grunnlag run" || le.PID != os.Getpid() {
		t.Errorf("LockError = %+v, want who and pid of the holder", le)
	}
	// Busy with a deadline: waits, then fails.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	t1 := time.Now()
	if _, err := s.Lock(ctx2); !errors.Is(err, ErrLocked) {
		t.Errorf("Lock(busy, timeout) error = %v, want ErrLocked", err)
	}
	if d := time.Since(t1); d < 250*time.Millisecond {
		t.Errorf("Lock(busy, timeout) gave up after %v, want it to wait 300ms", d)
	}
	// A context carrying the lease does not wait for it.
	inner, err := s.Lock(lease.Context(ctx))
	if err != nil {
		t.Fatalf("Lock(ctx with our lease) = %v, want it granted", err)
	}
	inner() // a no-op: the lease still holds the file
	if _, err := os.Stat(lockPath); err != nil {
		t.Errorf("inner unlock removed the lock file: %v", err)
	}
	if _, ok := heldTokens.Load(lease.Info().Token); !ok {
		t.Errorf("inner unlock forgot that this process holds the lock")
	}

	// LockStatus says it is held, by whom.
	ls, err := s.LockStatus()
	if err != nil || ls == nil || !ls.Held || ls.Stale || ls.Holder.Who != "grunnlag run" {
		t.Errorf("LockStatus(held) = %+v, %v", ls, err)
	}

	lease.Unlock()
	lease.Unlock() // idempotent
	if _, err := os.Stat(lockPath); !os.IsNotExist(err) {
		t.Errorf("lock file after unlock: %v", err)
	}
	if _, err := s.Lock(lease.Context(ctx)); err != nil {
		t.Errorf("Lock(ctx with a released lease) = %v, want the lock taken anew", err)
	}
}

func TestLockStale(t *testing.T) {
	s, _ := clockStore(t)
	lockPath := filepath.Join(s.Root(), "grunnlag.lock")
	host, _ := os.Hostname()
	done, cancel := context.WithCancel(context.Background())
	cancel()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, content string
	}{
		// A dead process on this host.
		{"dead pid", `{"token":"t1","pid":` + strconv.Itoa(cmd.Process.Pid) + `,"host":"` + host + `","since":"2025-01-01T00:00:00Z"}`},
		// Our own pid, with a token this process never held: left by an
		// earlier process with the same pid (a restarted container's pid
		// 1). The old lock counted this as held forever.
		{"own pid reused", `{"token":"not-ours","pid":` + strconv.Itoa(os.Getpid()) + `,"host":"` + host + `","since":"2025-01-01T00:00:00Z"}`},
		// The pre-token format, own pid.
		{"own pid, no token", `{"pid":` + strconv.Itoa(os.Getpid()) + `,"host":"` + host + `","since":"2025-01-01T00:00:00Z"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(lockPath, []byte(c.content), 0o644); err != nil {
				t.Fatal(err)
			}
			ls, err := s.LockStatus()
			if err != nil || ls == nil || !ls.Stale || ls.Held {
				t.Fatalf("LockStatus = %+v, %v; want stale", ls, err)
			}
			if msg := ls.Message(); !strings.Contains(msg, "rm "+lockPath) || !strings.Contains(msg, "ikke kjører lenger") {
				t.Errorf("stale Message() = %q, want the rm command", msg)
			}
			unlock, err := s.Lock(done) // done ctx: must succeed without waiting
			if err != nil {
				t.Fatalf("Lock(stale) error = %v, want the stale lock taken over", err)
			}
			unlock()
		})
	}
}

func TestLockForeignHost(t *testing.T) {
	s, clk := clockStore(t)
	lockPath := filepath.Join(s.Root(), "grunnlag.lock")
	done, cancel := context.WithCancel(context.Background())
	cancel()
	// A lock held on another host cannot be checked and counts as held,
	// however old.
	since := t0.Add(-time.Hour)
	other := `{"token":"x","pid":1,"host":"annen-maskin","who":"grunnlag serve","since":"` + since.Format(time.RFC3339) + `"}`
	if err := os.WriteFile(lockPath, []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	var le *LockError
	if _, err := s.Lock(done); !errors.As(err, &le) || le.Host != "annen-maskin" || !strings.Contains(err.Error(), "annen-maskin") {
		t.Errorf("Lock(other host) error = %v, want a *LockError naming annen-maskin", err)
	}
	ls, err := s.LockStatus()
	if err != nil || !ls.Held || !ls.Foreign || ls.Old {
		t.Errorf("LockStatus(foreign, 1 h) = %+v, %v; want held, foreign, not old", ls, err)
	}
	if strings.Contains(ls.Message(), "rm ") {
		t.Errorf("Message() for a young foreign lock = %q, want no rm advice", ls.Message())
	}
	// Past ForeignLockAge (6 h) status says how to break it; Lock still
	// honours it.
	clk.t = t0.Add(6 * time.Hour)
	ls, err = s.LockStatus()
	if err != nil || !ls.Old {
		t.Fatalf("LockStatus(foreign, 7 h) = %+v, %v; want old", ls, err)
	}
	if msg := ls.Message(); !strings.Contains(msg, "rm "+lockPath) || !strings.Contains(msg, "annen-maskin") {
		t.Errorf("Message() for an old foreign lock = %q, want the host and the rm command", msg)
	}
	if _, err := s.Lock(done); !errors.Is(err, ErrLocked) {
		t.Errorf("Lock(old foreign) = %v, want it still honoured", err)
	}
}

// TestLockExclStale: where flock is not available, the O_EXCL lock treats
// a lock file with this process's pid and a token it does not hold as
// stale (a reused pid), and one with a token it holds as held.
func TestLockExclStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), LockFile)
	host, _ := os.Hostname()
	mine := []byte(`{"token":"t-mine","pid":` + strconv.Itoa(os.Getpid()) + `,"host":"` + host + `","since":"2026-01-01T00:00:00Z"}`)
	release, _, err := acquireExcl(path, mine, host)
	if err != nil || release == nil {
		t.Fatalf("acquireExcl(free) = %v, want the lock", err)
	}
	heldTokens.Store("t-mine", true)
	defer heldTokens.Delete("t-mine")
	other := []byte(`{"token":"t-other","pid":` + strconv.Itoa(os.Getpid()) + `,"host":"` + host + `"}`)
	if r, h, err := acquireExcl(path, other, host); err != nil || r != nil || h.Token != "t-mine" {
		t.Errorf("acquireExcl(held by our live token) = %v, %+v, %v; want busy", r != nil, h, err)
	}
	heldTokens.Delete("t-mine") // as after a restart: same pid, token not held
	r, _, err := acquireExcl(path, other, host)
	if err != nil || r == nil {
		t.Fatalf("acquireExcl(own pid, foreign token) = %v, want the stale lock taken", err)
	}
	r()
	release() // not ours any more: must leave nothing to remove
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("lock file after release: %v", err)
	}
}

// TestBatchChecks: inside a batch the check notes of RecordCheck and of an
// unchanged Publish are not written one by one: catalog.json stays as it
// was (a process killed now leaves it valid, with the earlier
// last_checked), Catalog shows them, and flush writes them in one update.
// A new version's Publish in a batch writes the notes made before it, and
// its own last_checked is not overwritten by an older note. The times are
// the test clock's (t0 plus whole hours), set by hand before each call.
func TestBatchChecks(t *testing.T) {
	s, c := clockStore(t)
	publishCells(t, s, "a_sett", baseCells, DatasetMeta{Source: "ssb"})
	publishCells(t, s, "b_sett", baseCells, DatasetMeta{Source: "ssb"})
	path := filepath.Join(s.Root(), "catalog.json")
	before := readFile(t, path)
	// onDisk reads the catalog as another process (or this one after a
	// kill) would: through a new Store, without this one's pending notes.
	onDisk := func() *Catalog {
		t.Helper()
		o, err := Open(s.Root())
		if err != nil {
			t.Fatal(err)
		}
		cat, err := o.Catalog()
		if err != nil {
			t.Fatalf("catalog on disk: %v", err)
		}
		return cat
	}
	check := func(what string, cat *Catalog, id string, at time.Time, lastErr string) {
		t.Helper()
		e := cat.Datasets[id]
		if e == nil || !e.LastChecked.Equal(at) || e.LastError != lastErr {
			t.Errorf("%s: %s = %+v, want last_checked %v, last_error %q", what, id, e, at, lastErr)
		}
	}

	flush := s.BatchChecks()
	c.t = t0.Add(1 * time.Hour)
	if err := s.RecordCheck("a_sett", errors.New("ssb: 503")); err != nil {
		t.Fatal(err)
	}
	c.t = t0.Add(2 * time.Hour)
	if v := publishCells(t, s, "b_sett", baseCells, DatasetMeta{Source: "ssb"}); !v.Unchanged {
		t.Fatalf("Publish of the same cells: Unchanged = false")
	}
	if err := s.RecordCheck("ny_sett", nil); err != nil {
		t.Fatal(err)
	}
	if readFile(t, path) != before {
		t.Errorf("catalog.json written inside a batch before flush")
	}
	check("on disk before flush", onDisk(), "a_sett", t0, "")
	check("on disk before flush", onDisk(), "b_sett", t0, "")
	cat, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	check("Catalog in the batch", cat, "a_sett", t0.Add(1*time.Hour), "ssb: 503")
	check("Catalog in the batch", cat, "b_sett", t0.Add(2*time.Hour), "")
	check("Catalog in the batch", cat, "ny_sett", t0.Add(2*time.Hour), "")

	if err := flush(); err != nil {
		t.Fatal(err)
	}
	disk := onDisk()
	check("on disk after flush", disk, "a_sett", t0.Add(1*time.Hour), "ssb: 503")
	check("on disk after flush", disk, "b_sett", t0.Add(2*time.Hour), "")
	check("on disk after flush", disk, "ny_sett", t0.Add(2*time.Hour), "")
	after := readFile(t, path)
	if err := flush(); err != nil || readFile(t, path) != after {
		t.Errorf("second flush = %v or rewrote the catalog; want nil and no write", err)
	}

	// Without a batch a check is written at once.
	c.t = t0.Add(3 * time.Hour)
	if err := s.RecordCheck("ny_sett", errors.New("nav: 500")); err != nil {
		t.Fatal(err)
	}
	check("on disk, no batch", onDisk(), "ny_sett", t0.Add(3*time.Hour), "nav: 500")

	// A new version's Publish writes the pending notes with it.
	flush = s.BatchChecks()
	c.t = t0.Add(4 * time.Hour)
	if err := s.RecordCheck("a_sett", errors.New("ssb: 502")); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordCheck("b_sett", errors.New("ssb: 504")); err != nil {
		t.Fatal(err)
	}
	c.t = t0.Add(5 * time.Hour)
	publishCells(t, s, "a_sett", v2Cells, DatasetMeta{Source: "ssb"})
	disk = onDisk()
	check("on disk after a new version", disk, "a_sett", t0.Add(5*time.Hour), "")
	check("on disk after a new version", disk, "b_sett", t0.Add(4*time.Hour), "ssb: 504")
	published := readFile(t, path)
	if err := flush(); err != nil || readFile(t, path) != published {
		t.Errorf("flush with nothing pending = %v or rewrote the catalog; want nil and no write", err)
	}
	check("Catalog after the batch", onDisk(), "a_sett", t0.Add(5*time.Hour), "")
}
