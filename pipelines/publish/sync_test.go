package publish

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/grunnlag/grunnlag/indicators"
)

// TestBookSyncsOnce counts the syncs of writing a book through syncHook:
// the files are written unsynced and the fresh content folder is synced
// once, as a whole, before the swap names it (then the book's parent once,
// for the rename) — not once per file, which for this small book alone
// was one fsync for each of its files and folders.
func TestBookSyncsOnce(t *testing.T) {
	if !syncsFS {
		t.Skip("no whole-file-system sync here: the book is synced file by file")
	}
	st := synthStore(t, 31)
	p := &Publisher{Store: st, Indicators: indicators.Catalog(), Map: testMap(t), Workers: 2}
	var (
		mu     sync.Mutex
		counts = map[syncKind]int{}
		trees  []string
		order  []string
	)
	defer func() { syncHook = func(syncKind, string) {}; swapStep = func(string) {} }()
	syncHook = func(kind syncKind, path string) {
		mu.Lock()
		defer mu.Unlock()
		counts[kind]++
		order = append(order, string(kind))
		if kind == syncedFS {
			trees = append(trees, path)
		}
	}
	swapStep = func(step string) {
		mu.Lock()
		defer mu.Unlock()
		order = append(order, step)
	}
	res, err := p.Book(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Files < 20 {
		t.Fatalf("the book has %d files; the test needs a book of many files", res.Files)
	}
	if counts[syncedFS] != 1 || counts[syncedFile] != 0 || counts[syncedDir] != 1 {
		t.Errorf("writing a book of %d files synced %v, want 1 file system sync, no file sync, 1 directory sync (the rename)",
			res.Files, counts)
	}
	cur, err := os.Readlink(filepath.Join(st.Root(), "book"))
	if err != nil {
		t.Fatal(err)
	}
	if len(trees) != 1 || filepath.Base(trees[0]) != cur {
		t.Errorf("synced %v, want the new content folder %s", trees, cur)
	}
	// The one sync comes before the swap: filled, linked, then the
	// rename and the parent's sync, then flipped.
	if got, want := strings.Join(order, " "), "filesystem filled linked dir flipped"; got != want {
		t.Errorf("syncs and swap steps in order: %s, want %s", got, want)
	}
}
