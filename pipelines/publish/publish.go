package publish

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Publisher writes the book, the chart set and the exports of a knowledge
// base. Build one per run; it holds no global state.
type Publisher struct {
	Store      *store.Store
	Indicators []*indicators.Indicator // the catalog (indicators.Catalog())
	Map        *charts.Map             // municipality boundaries; nil: no maps
	Lang       charts.Lang             // "" = bokmål
	Title      string                  // book title; "" = the default
	Workers    int                     // rendering goroutines; 0 = GOMAXPROCS
	Logger     *slog.Logger
	// Model, when set, gives the book every region code's validity (the
	// index shows "Telemark (40, fra 2024)").
	Model *regions.Model
	// Code identifies the code that draws and writes (the executable);
	// MapID the municipality boundaries. Both are part of every chart
	// node's key in ChartsIncremental, and Code of every export node's
	// (ExportNodesFile); Code "" draws every chart and writes every
	// export row.
	Code, MapID string
	// Inputs, when set, shares the book's input between the publishers of
	// one run (the charts and the book read the same table): see
	// InputCache. Nil reads it anew each time.
	Inputs *InputCache
}

// InputCache holds the book input of one run so that the charts and the
// book steps assemble it once, and the exports walk its rows
// (sharedRows): about half a million rows, two seconds of a demo run. It
// answers only for the same catalog versions (a step in between that
// publishes a new version of anything makes it read anew), language,
// title and region model. The zero value is ready; it is safe for
// concurrent use.
//
// The indicator table's rows, the bulk of an input (377 MB of a 20-year
// run, heap profile of 2026-12-08), are kept by indicator version on
// their own: an input whose other parts differ (the book reads the
// offers, which a cold run publishes after the charts read their input)
// shares them instead of reading the table again beside the first.
type InputCache struct {
	mu  sync.Mutex
	key string
	in  *book.Input
	// rowsVersion is the indicator version rows were read from.
	rowsVersion string
	rows        []book.Row
	// index is the book's index of the last input indexed (bookIndex).
	index *book.Index
	// tables are the indicator tables handed over by Keep, by version.
	tables map[string]arrow.Record
}

// Keep hands the cache the record of indicator table version stamp, as
// the build step of a run has it: the table it published and the one it
// carried rows over from. The input then makes its rows from the first
// and compares with the second (the previous version) instead of reading
// their files back, which is most of a one-cell run's input. Each record
// is used once, then released; Drop releases those never used. The cache
// retains rec; a second record for the same stamp replaces the first.
func (c *InputCache) Keep(stamp string, rec arrow.Record) {
	if rec == nil || stamp == "" {
		return
	}
	rec.Retain()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tables == nil {
		c.tables = map[string]arrow.Record{}
	}
	if old := c.tables[stamp]; old != nil {
		old.Release()
	}
	c.tables[stamp] = rec
}

// taken returns the record kept for stamp and forgets it (nil: none); the
// caller holds c.mu and releases the record.
func (c *InputCache) taken(stamp string) arrow.Record {
	rec := c.tables[stamp]
	delete(c.tables, stamp)
	return rec
}

// Drop forgets the held input and rows, so that their memory can be
// reclaimed once their last reader is done, and releases the tables kept
// and not used.
func (c *InputCache) Drop() {
	c.mu.Lock()
	c.key, c.in = "", nil
	c.rowsVersion, c.rows = "", nil
	c.index = nil
	for _, rec := range c.tables {
		rec.Release()
	}
	c.tables = nil
	c.mu.Unlock()
}

// readIndicators reads indicator table version stamp: the record kept
// for it in p.Inputs when there is one (the caller holds p.Inputs.mu),
// else the file. The caller releases the record.
func (p *Publisher) readIndicators(stamp string) (arrow.Record, error) {
	if c := p.Inputs; c != nil {
		if rec := c.taken(stamp); rec != nil {
			return rec, nil
		}
	}
	return p.Store.ReadIndicators(stamp)
}

// bookIndex returns the book's index of in for book.Options.Index: with
// p.Inputs, the one kept there when it fits in (book.Index.Fits: the
// charts and the book of a run show the same rows), else made and kept;
// without, nil (book.Build and book.Charts index in themselves).
func (p *Publisher) bookIndex(in *book.Input) (*book.Index, error) {
	c := p.Inputs
	if c == nil {
		return nil, nil
	}
	c.mu.Lock() // one indexes while the other waits for it
	defer c.mu.Unlock()
	if c.index.Fits(in) {
		return c.index, nil
	}
	x, err := book.NewIndex(in)
	if err != nil {
		return nil, err
	}
	c.index = x
	return x, nil
}

// inputKey identifies what Input reads: the catalog's versions, the
// language, the title and whether a region model and a map are set (the
// publishers sharing a cache are made from one configuration).
func (p *Publisher) inputKey(cat *store.Catalog) (string, error) {
	// Every dataset's versions (the current one is read; the indicator
	// table's older ones are compared with), not when it was last checked.
	type entry struct {
		Current  string
		Versions []store.Version
	}
	ids := slices.Sorted(maps.Keys(cat.Datasets))
	entries := make([]entry, 0, len(ids)+1)
	for _, id := range ids {
		e := cat.Datasets[id]
		entries = append(entries, entry{e.Current, e.Versions})
	}
	if e := cat.Indicators; e != nil {
		entries = append(entries, entry{e.Current, e.Versions})
	}
	b, err := json.Marshal(struct {
		IDs     []string
		Entries []entry
	}{ids, entries})
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(b)
	fmt.Fprintf(h, "\x00%s\x00%s\x00%t\x00%t", p.Lang, p.Title, p.Model != nil, p.Map != nil)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Result says what a step wrote.
type Result struct {
	Dir      string // the output directory
	Version  string // indicator table version used
	Files    int
	Pages    int // book only
	Charts   int
	Duration time.Duration
	// ChartsDrawn are the charts drawn in this run (of Charts; Book with
	// a Code and ChartsIncremental carry the others over). Drawn and
	// Carried are ChartsIncremental's chart nodes (indicator IDs,
	// book.HeatmapChart) drawn and carried over unchanged, and Export's
	// nodes (see ExportNodesFile): "sheet:<theme>" for a theme's sheet of
	// the workbook, "csv:<indicator>" for an indicator's CSV rows.
	ChartsDrawn    int
	Drawn, Carried []string
}

// ErrNoIndicators is returned when the knowledge base has no indicator
// table yet (run `grunnlag build` first).
var ErrNoIndicators = errors.New("publish: the knowledge base has no indicator table (kjør «grunnlag build» først)")

func (p *Publisher) log() *slog.Logger {
	if p.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Logger
}

// Input reads the current indicator table and the catalog and assembles
// the book's input.
func (p *Publisher) Input() (*book.Input, error) {
	cat, err := p.Store.Catalog()
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if p.Inputs == nil {
		return p.input(cat)
	}
	c := p.Inputs
	c.mu.Lock() // held while input runs: it reads c's rows (indicatorRows)
	defer c.mu.Unlock()
	key, keyErr := p.inputKey(cat)
	if keyErr == nil && c.in != nil && c.key == key {
		cp := *c.in // callers may set fields (Planning) on their copy
		return &cp, nil
	}
	in, err := p.input(cat)
	if err != nil {
		return nil, err
	}
	if keyErr == nil {
		c.key, c.in = key, in
	}
	cp := *in
	return &cp, nil
}

// sharedRows returns the rows of indicator version cur from p.Inputs,
// read into it when it holds none of that version; nil without p.Inputs.
// The rows are shared and read only.
func (p *Publisher) sharedRows(cur string) ([]book.Row, error) {
	c := p.Inputs
	if c == nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return p.indicatorRows(cur)
}

// indicatorRows returns the rows of indicator version cur: from
// p.Inputs when it holds that version's (the caller holds p.Inputs.mu),
// else read from the store (and kept in p.Inputs when set). The rows are
// shared and read only.
func (p *Publisher) indicatorRows(cur string) ([]book.Row, error) {
	c := p.Inputs
	if c != nil && c.rows != nil && c.rowsVersion == cur {
		return c.rows, nil
	}
	rec, err := p.readIndicators(cur)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	rows, err := Rows(rec)
	rec.Release()
	if err != nil {
		return nil, err
	}
	if c != nil {
		c.rowsVersion, c.rows = cur, rows
	}
	return rows, nil
}

// input assembles the book's input from the catalog cat (with p.Inputs
// set, the caller holds its lock: see indicatorRows).
func (p *Publisher) input(cat *store.Catalog) (*book.Input, error) {
	if cat.Indicators == nil || cat.Indicators.Current == "" {
		return nil, ErrNoIndicators
	}
	cur := cat.Indicators.Current
	// The previous version, compared with below, is read beside the
	// current one: the other publishing steps wait for this input.
	prev, readPrev, prevErr := p.previous(cat.Indicators, cur)
	if c := p.Inputs; c != nil && prev != "" {
		// Kept by the build (see Keep): taken here, where the caller
		// holds the lock, not on the goroutine that reads the cells.
		if rec := c.taken(prev); rec != nil {
			readPrev = func() (arrow.Record, error) { return rec, nil }
		}
	}
	oldCells := readCellsAsync(readPrev)
	defer oldCells() // waited for on every return
	rows, err := p.indicatorRows(cur)
	if err != nil {
		return nil, err
	}
	in := &book.Input{Title: p.Title, Lang: p.Lang, Version: cur, Rows: rows, Map: p.Map,
		Themes: Themes(string(p.Lang)), Breaks: map[string]string{}, TotalCategory: indicators.IsTotalCategory}
	for _, b := range indicators.Breaks() {
		in.Breaks[b.ID] = b.Title
		if p.Lang == charts.English && b.TitleEN != "" {
			in.Breaks[b.ID] = b.TitleEN
		}
	}
	pop, pv, err := Population(p.Store, cat)
	if err != nil {
		return nil, err
	}
	in.Population = pop
	if pv != nil {
		in.PopulationSource, in.PopulationTable = pv.Attribution, pv.Table
		if in.PopulationTable == "" {
			if src := cat.Datasets[PopulationDataset].CurrentVersion(); src != nil {
				in.PopulationSource, in.PopulationTable = src.Attribution, src.Table
			}
		}
	}
	if p.Model != nil {
		in.Validity = Validity(p.Model, rows)
		in.History = History(p.Model, rows)
	}
	present := map[string]bool{}
	for i := range rows {
		present[rows[i].Indicator] = true
	}
	for _, ind := range p.Indicators {
		if !present[ind.ID] {
			continue
		}
		bi := book.Indicator{ID: ind.ID, Title: ind.Title, Description: ind.Description, Unit: ind.Unit,
			Theme: ind.Theme, Decimals: ind.Decimals, Direction: string(ind.Direction), Survey: ind.Basis == indicators.Survey}
		if p.Lang == charts.English {
			bi.Title, bi.Description = ind.TitleEN, ind.DescriptionEN
		}
		var srcs, tables, updated []string
		for _, inp := range ind.Inputs {
			v := cat.Datasets[inp.Dataset].CurrentVersion()
			if v == nil {
				continue
			}
			srcs = appendNew(srcs, v.Attribution)
			tables = appendNew(tables, v.Table)
			if len(v.SourceUpdated) >= 10 {
				updated = appendNew(updated, v.SourceUpdated[:10])
			}
			bi.Synthetic = bi.Synthetic || v.Synthetic
		}
		if len(srcs) == 0 {
			srcs = ind.ProseIn(p.Lang == charts.English).Sources
		}
		sort.Strings(updated)
		bi.Source, bi.Table = strings.Join(srcs, "; "), strings.Join(tables, ", ")
		if len(updated) > 0 {
			bi.Updated = updated[len(updated)-1]
		}
		bi.Definition = Definition(ind, cat, p.Lang)
		in.Synthetic = in.Synthetic || bi.Synthetic
		in.Indicators = append(in.Indicators, bi)
	}
	// The green needs and offers of each region (theme «Grønn omstilling»).
	green, synth, err := p.greenLists(cat)
	if err != nil {
		return nil, err
	}
	in.Green, in.Synthetic = green, in.Synthetic || (green != nil && synth)
	// What changed: datasets published after the previous indicator
	// version, and the register indicators against the previous version
	// (which is in the secure zone: see the package docs). Nothing derived
	// from firms' responses is compared.
	firmData := map[string]bool{}
	for _, id := range needs.FirmDerived {
		firmData[id] = true
	}
	firmInd := needs.FirmDerivedIndicators(p.Indicators)
	if prevErr != nil {
		p.log().Warn("previous indicator version unknown; changes not compared", "err", prevErr)
	}
	in.Previous = prev
	for _, id := range slices.Sorted(maps.Keys(cat.Datasets)) {
		v := cat.Datasets[id].CurrentVersion()
		if layer, _ := store.LayerOf(id); layer != "" {
			continue // a derived layer: its dataset's change is listed
		}
		if v == nil || firmData[id] || (prev != "" && v.Stamp <= prev) || !v.Diff.Changed() {
			continue
		}
		in.Changes = append(in.Changes, book.Change{Name: id, Title: v.Title, Stamp: v.Stamp,
			Added: v.Diff.Added, Removed: v.Diff.Removed, Revised: v.Diff.Revised})
	}
	if readPrev != nil {
		old := oldCells()
		if old.readErr != nil {
			p.log().Warn("previous indicator version unreadable; changes not compared", "version", prev, "err", old.readErr)
		} else if old.err != nil {
			return nil, fmt.Errorf("publish: previous indicator version %s: %w", prev, old.err)
		} else {
			diffs := diffRows(old.cells, cellsOfRows(rows), firmInd)
			for _, ind := range p.Indicators {
				if c := diffs[ind.ID]; c != nil && !firmInd[ind.ID] {
					c.Title, c.Stamp = ind.Title, cur
					in.Changes = append(in.Changes, *c)
				}
			}
		}
	}
	return in, nil
}

// readCells is what readCellsAsync read: the cells, the error of reading
// the record and that of taking its cells.
type readCells struct {
	cells        []cell
	readErr, err error
}

// readCellsAsync reads the cells of the record read returns (nil: none)
// on a goroutine of its own; the function it returns waits for them.
func readCellsAsync(read func() (arrow.Record, error)) func() readCells {
	if read == nil {
		return func() readCells { return readCells{} }
	}
	var (
		out  readCells
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		rec, err := read()
		if err != nil {
			out.readErr = err
			return
		}
		if rec == nil {
			return
		}
		out.cells, out.err = cellsOfRecord(rec)
		rec.Release()
	}()
	return func() readCells {
		<-done
		return out
	}
}

// previous finds the indicator version before cur: the newest older
// version still in the catalog (a kb from before superseded versions were
// retired) or retired to the secure zone. It returns its stamp and a
// reader; "" and nil when there is none.
func (p *Publisher) previous(e *store.DatasetEntry, cur string) (string, func() (arrow.Record, error), error) {
	prev, read := "", func() (arrow.Record, error) { return nil, nil }
	for _, v := range e.Versions {
		if v.Stamp < cur && v.Stamp > prev {
			stamp := v.Stamp
			prev, read = stamp, func() (arrow.Record, error) { return p.Store.ReadIndicators(stamp) }
		}
	}
	retired, err := needs.RetiredVersions(p.Store, needs.IndicatorTable)
	for _, v := range retired {
		if v.Stamp < cur && v.Stamp > prev {
			prev, read = v.Stamp, func() (arrow.Record, error) { return needs.ReadRetired(p.Store, needs.IndicatorTable, v) }
		}
	}
	if prev == "" {
		return "", nil, err
	}
	return prev, read, err
}

func appendNew(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Book writes <kb>/book atomically.
func (p *Publisher) Book(ctx context.Context) (*Result, error) {
	start := time.Now()
	in, err := p.Input()
	if err != nil {
		return nil, err
	}
	if in.Planning, err = p.Planning(); err != nil {
		return nil, err
	}
	res := &Result{Dir: filepath.Join(p.Store.Root(), "book"), Version: in.Version}
	// With a Code, figures unchanged since the current book are carried
	// over instead of drawn (see booknodes.go).
	carrier := p.newFigureCarrier(res.Dir)
	idx, err := p.bookIndex(in)
	if err != nil {
		return nil, err
	}
	err = replaceDir(res.Dir, func(tmp string) error {
		opts := book.Options{Workers: p.Workers, Index: idx}
		if p.Code != "" {
			opts.Carry = func(j charts.Job) bool { return carrier.carry(tmp, j) }
		}
		sum, err := book.Build(ctx, in, opts, fileWriter(tmp, carrier.mk))
		if err != nil {
			return err
		}
		res.Files, res.Pages, res.Charts = sum.Files+carrier.files, sum.Pages, sum.Charts
		res.ChartsDrawn = sum.Charts - carrier.carried
		return carrier.save(tmp)
	})
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	p.log().Info("book written", "dir", res.Dir, "version", in.Version, "pages", res.Pages, "charts", res.Charts, "duration", res.Duration)
	return res, nil
}

// folderMaker makes folders, each once: the book's 20,000 files (most in
// one folder) each asked for their folder, 0.11 s of a one-cell run's CPU
// (profile of BenchmarkOneCellChange, 2026-12-07). Safe for concurrent
// use; the zero value is ready, and a nil one makes every folder it is
// asked for.
type folderMaker struct {
	made sync.Map // folder path -> struct{}
}

// mkdirAll is os.MkdirAll(dir, 0o755) for a folder not made before.
func (m *folderMaker) mkdirAll(dir string) error {
	if m == nil {
		return os.MkdirAll(dir, 0o755)
	}
	if _, ok := m.made.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	m.made.Store(dir, struct{}{})
	return nil
}

// fileWriter writes book files under dir, making their folders with mk
// (safe for concurrent use: every call writes its own file).
func fileWriter(dir string, mk *folderMaker) func(rel string, data []byte) error {
	return func(rel string, data []byte) error {
		clean := filepath.Clean(filepath.FromSlash(rel))
		if filepath.IsAbs(clean) || strings.HasPrefix(clean, "..") {
			return fmt.Errorf("publish: path %q escapes the output directory", rel)
		}
		path := filepath.Join(dir, clean)
		if err := mk.mkdirAll(filepath.Dir(path)); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		return nil
	}
}

// replaceDir writes a directory in full with fill into a new hidden
// sibling, .<name>.v-<random>, syncs it once (fill writes without syncing;
// see syncAll), and swaps it in with one rename:
// dir is a symbolic link to the current content folder, and a new link
// renamed over it flips to the new folder, so a kill at any instant leaves
// dir naming the old content or the new, complete either way. The old
// folder is removed afterwards, and leftovers of a crashed run (content
// folders dir does not name, temp links) first. A dir that is still a real
// folder (written by an older grunnlag) is moved aside once, at the first
// swap; on a system without symbolic links the swap is that pair of renames.
func replaceDir(dir string, fill func(tmp string) error) (err error) {
	parent, name := filepath.Split(filepath.Clean(dir))
	if parent == "" {
		parent = "."
	}
	dir = filepath.Join(parent, name)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	sweepDirLeftovers(parent, name)
	var rb [6]byte
	if _, err := rand.Read(rb[:]); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	suffix := hex.EncodeToString(rb[:])
	target := "." + name + ".v-" + suffix
	tmp := filepath.Join(parent, target)
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(tmp)
		}
	}()
	if err := fill(tmp); err != nil {
		return err
	}
	// The files were written unsynced; one sync makes them all durable
	// before the swap names them.
	if err := syncAll(tmp); err != nil {
		return fmt.Errorf("publish: sync %s: %w", tmp, err)
	}
	swapStep("filled")
	oldTarget, _ := os.Readlink(dir)
	link := filepath.Join(parent, "."+name+".link-"+suffix)
	if err := os.Symlink(target, link); err != nil {
		// No symbolic links here: swap by two renames.
		return swapByRenames(parent, dir, tmp, name, suffix)
	}
	swapStep("linked")
	if fi, err := os.Lstat(dir); err == nil && fi.IsDir() {
		// A real folder from an older grunnlag: move it aside once.
		if err := os.Rename(dir, filepath.Join(parent, "."+name+".old-"+suffix)); err != nil {
			_ = os.Remove(link)
			return fmt.Errorf("publish: %w", err)
		}
	}
	if err := os.Rename(link, dir); err != nil {
		_ = os.Remove(link)
		return fmt.Errorf("publish: %w", err)
	}
	if err := syncDir(parent); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	swapStep("flipped")
	if oldTarget != "" && oldTarget != target && filepath.Base(oldTarget) == oldTarget {
		_ = os.RemoveAll(filepath.Join(parent, oldTarget))
	}
	sweepDirLeftovers(parent, name)
	return nil
}

// swapStep is called between the steps of a swap (tests look at the
// folder there).
var swapStep = func(step string) {}

// sweepDirLeftovers removes the hidden siblings of parent/name that dir
// does not name: content folders of earlier or crashed swaps, temp links,
// and folders an older grunnlag set aside (an .old- folder is put back
// instead when name itself is missing: it is then the only copy).
func sweepDirLeftovers(parent, name string) {
	dir := filepath.Join(parent, name)
	cur, _ := os.Readlink(dir)
	_, statErr := os.Lstat(dir)
	for _, pat := range []string{"." + name + ".tmp-*", "." + name + ".link-*", "." + name + ".old-*", "." + name + ".v-*"} {
		matches, _ := filepath.Glob(filepath.Join(parent, pat))
		for _, m := range matches {
			if filepath.Base(m) == cur {
				continue
			}
			if errors.Is(statErr, os.ErrNotExist) && strings.Contains(filepath.Base(m), ".old-") {
				if os.Rename(m, dir) == nil {
					statErr = nil
					continue
				}
			}
			_ = os.RemoveAll(m)
		}
	}
}

// swapByRenames is the swap without symbolic links: dir → .old, tmp → dir,
// remove .old. A kill between the two renames leaves the old content in
// .old, which the next swap puts back first.
func swapByRenames(parent, dir, tmp, name, suffix string) error {
	oldDir := filepath.Join(parent, "."+name+".old-"+suffix)
	hadOld := false
	if _, err := os.Lstat(dir); err == nil {
		if err := os.Rename(dir, oldDir); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		hadOld = true
	}
	if err := os.Rename(tmp, dir); err != nil {
		if hadOld {
			_ = os.Rename(oldDir, dir)
		}
		return fmt.Errorf("publish: %w", err)
	}
	if err := syncDir(parent); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if hadOld {
		if err := os.RemoveAll(oldDir); err != nil {
			return fmt.Errorf("publish: remove old %s: %w", oldDir, err)
		}
	}
	return nil
}

// syncKind is what one sync made durable, for syncHook.
type syncKind string

// Sync kinds.
const (
	syncedFS   syncKind = "filesystem" // one syncfs(2) for a whole tree
	syncedFile syncKind = "file"       // one fsync of a file or directory in a tree
	syncedDir  syncKind = "dir"        // one fsync of a directory (after a rename)
)

// syncHook is called after every sync this package makes, with what was
// synced (tests count them).
var syncHook = func(kind syncKind, path string) {}

// syncAll makes everything written under root durable: on Linux with one
// syncfs(2) of root's file system, which writes back every file and
// directory under it at once (15,874 files of a full book: one call
// instead of as many fsyncs); elsewhere by syncTree.
func syncAll(root string) error {
	if !syncsFS {
		return syncTree(root)
	}
	if err := syncFS(root); err != nil {
		return err
	}
	syncHook(syncedFS, root)
	return nil
}

// syncTree fsyncs every file and directory under root.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		serr := f.Sync()
		cerr := f.Close()
		if serr != nil && !d.IsDir() {
			return serr
		}
		syncHook(syncedFile, path)
		return cerr
	})
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		syncHook(syncedDir, dir)
	}
	return err
}

// Validity is, for every county and municipality code of rows, the years
// it is valid in the model: from the first year of its earliest version to
// the last day of its latest (To 0 while it is valid; a KLASS validTo is
// the first day no longer valid).
func Validity(m *regions.Model, rows []book.Row) map[string]book.Validity {
	out := map[string]book.Validity{}
	for i := range rows {
		code := rows[i].Region
		if _, done := out[code]; done {
			continue
		}
		vs := m.Versions(code)
		if len(vs) == 0 {
			continue
		}
		v := book.Validity{From: vs[0].From.Year()}
		open := false
		var last time.Time
		for _, r := range vs {
			if r.From.Year() < v.From {
				v.From = r.From.Year()
			}
			if r.To.IsZero() {
				open = true
			} else if r.To.After(last) {
				last = r.To
			}
		}
		if !open && !last.IsZero() {
			v.To = last.AddDate(0, 0, -1).Year()
		}
		out[code] = v
	}
	return out
}

// History maps every county code valid on the model's latest vintage to
// the county codes of rows that are no longer valid and whose
// municipalities (on their last valid day) roll into it: 40 Telemark to
// 38 Vestfold og Telemark and 08 Telemark. Sorted by code.
func History(m *regions.Model, rows []book.Row) map[string][]string {
	target := m.Latest()
	seen := map[string]bool{}
	out := map[string][]string{}
	for i := range rows {
		h := rows[i].Region
		if seen[h] {
			continue
		}
		seen[h] = true
		if lv, ok := regions.LevelOf(h); !ok || lv != regions.County {
			continue
		}
		if _, err := m.Resolve(h, target); err == nil {
			continue // still valid
		}
		vs := m.Versions(h)
		if len(vs) == 0 {
			continue
		}
		last := vs[len(vs)-1].To
		for _, v := range vs {
			if v.To.After(last) {
				last = v.To
			}
		}
		if last.IsZero() {
			continue
		}
		at := last.AddDate(0, 0, -1)
		into := map[string]bool{}
		for _, mu := range m.Regions(regions.Municipality, at) {
			if !strings.HasPrefix(mu.Code, h) {
				continue
			}
			rs, _, _, err := m.Roll(mu.Code, at, regions.Options{Target: target})
			if err != nil {
				continue // a split without weights: its parts are not known
			}
			for _, r := range rs {
				into[r.Code[:2]] = true
			}
		}
		for c := range into {
			out[c] = append(out[c], h)
		}
	}
	for c := range out {
		sort.Strings(out[c])
	}
	return out
}
