package publish

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/indicators"
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
}

// Result says what a step wrote.
type Result struct {
	Dir      string // the output directory
	Version  string // indicator table version used
	Files    int
	Pages    int // book only
	Charts   int
	Duration time.Duration
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
	if cat.Indicators == nil || cat.Indicators.Current == "" {
		return nil, ErrNoIndicators
	}
	cur := cat.Indicators.Current
	rec, err := p.Store.ReadIndicators(cur)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	rows, err := Rows(rec)
	rec.Release()
	if err != nil {
		return nil, err
	}
	in := &book.Input{Title: p.Title, Lang: p.Lang, Version: cur, Rows: rows, Map: p.Map,
		Themes: Themes(string(p.Lang)), Breaks: map[string]string{}, TotalCategory: indicators.IsTotalCategory}
	for _, b := range indicators.Breaks() {
		in.Breaks[b.ID] = b.Title
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
			srcs = ind.Sources
		}
		sort.Strings(updated)
		bi.Source, bi.Table = strings.Join(srcs, "; "), strings.Join(tables, ", ")
		if len(updated) > 0 {
			bi.Updated = updated[len(updated)-1]
		}
		in.Synthetic = in.Synthetic || bi.Synthetic
		in.Indicators = append(in.Indicators, bi)
	}
	// What changed: datasets published after the previous indicator
	// version, and the indicator table against the previous version.
	prev := ""
	if vs := cat.Indicators.Versions; len(vs) > 1 {
		for i := range vs {
			if vs[i].Stamp == cur && i > 0 {
				prev = vs[i-1].Stamp
			}
		}
	}
	in.Previous = prev
	for _, id := range slices.Sorted(maps.Keys(cat.Datasets)) {
		v := cat.Datasets[id].CurrentVersion()
		if v == nil || (prev != "" && v.Stamp <= prev) || !v.Diff.Changed() {
			continue
		}
		in.Changes = append(in.Changes, book.Change{Name: id, Title: v.Title, Stamp: v.Stamp,
			Added: v.Diff.Added, Removed: v.Diff.Removed, Revised: v.Diff.Revised})
	}
	if prev != "" {
		old, err := p.Store.ReadIndicators(prev)
		if err != nil {
			p.log().Warn("previous indicator version unreadable; changes not compared", "version", prev, "err", err)
		} else {
			oldRows, err := Rows(old)
			old.Release()
			if err != nil {
				return nil, err
			}
			diffs := diffRows(oldRows, rows)
			for _, ind := range p.Indicators {
				if c := diffs[ind.ID]; c != nil {
					c.Title, c.Stamp = ind.Title, cur
					in.Changes = append(in.Changes, *c)
				}
			}
		}
	}
	return in, nil
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
	res := &Result{Dir: filepath.Join(p.Store.Root(), "book"), Version: in.Version}
	err = replaceDir(res.Dir, func(tmp string) error {
		sum, err := book.Build(ctx, in, book.Options{Workers: p.Workers}, fileWriter(tmp))
		if err != nil {
			return err
		}
		res.Files, res.Pages, res.Charts = sum.Files, sum.Pages, sum.Charts
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	p.log().Info("book written", "dir", res.Dir, "version", in.Version, "pages", res.Pages, "charts", res.Charts, "duration", res.Duration)
	return res, nil
}

// fileWriter writes book files under dir (safe for concurrent use: every
// call writes its own file).
func fileWriter(dir string) func(rel string, data []byte) error {
	return func(rel string, data []byte) error {
		clean := filepath.Clean(filepath.FromSlash(rel))
		if filepath.IsAbs(clean) || strings.HasPrefix(clean, "..") {
			return fmt.Errorf("publish: path %q escapes the output directory", rel)
		}
		path := filepath.Join(dir, clean)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		return nil
	}
}

// replaceDir writes a directory in full with fill into a temporary
// sibling, fsyncs its files, then swaps it in for dir: dir → .old, tmp →
// dir, remove .old, fsync the parent. Leftovers of a crashed run (".<name>.tmp-*",
// ".<name>.old-*") are removed first.
func replaceDir(dir string, fill func(tmp string) error) (err error) {
	parent, name := filepath.Split(filepath.Clean(dir))
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	for _, pat := range []string{"." + name + ".tmp-*", "." + name + ".old-*"} {
		old, _ := filepath.Glob(filepath.Join(parent, pat))
		for _, o := range old {
			_ = os.RemoveAll(o)
		}
	}
	var rb [6]byte
	if _, err := rand.Read(rb[:]); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	suffix := hex.EncodeToString(rb[:])
	tmp := filepath.Join(parent, "."+name+".tmp-"+suffix)
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
	if err := syncTree(tmp); err != nil {
		return fmt.Errorf("publish: sync %s: %w", tmp, err)
	}
	oldDir := filepath.Join(parent, "."+name+".old-"+suffix)
	hadOld := false
	if _, err := os.Stat(dir); err == nil {
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
	return err
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
