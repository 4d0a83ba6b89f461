package publish

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// The chart set is a graph of nodes too: one per indicator (its folder of
// charts) and one for the county heatmap. A node's key is the sha256 of
// chartNodesVersion, the publisher's Code, MapID and language, the
// context every chart reads (the regions as the rows name them, validity,
// history, themes, series breaks, the synthetic banner), the indicator's
// book entry and every one of its rows; the heatmap's key is that of all
// indicator nodes together. ChartsIncremental draws the nodes whose key
// changed and carries the files of the others over (hard links, or copies
// where links are refused) into the fresh folder before the atomic swap.
// The keys and each node's files are kept in the chart folder itself
// (ChartNodesFile), so they are swapped with the charts they describe.

// chartNodesVersion is mixed into every chart node key.
const chartNodesVersion = "grunnlag-chart-nodes/2"

// ChartNodesFile is the file in <kb>/charts that lists the chart nodes'
// keys and files.
const ChartNodesFile = ".nodes.json"

type chartManifest struct {
	Version string               `json:"version"`
	Nodes   map[string]chartNode `json:"nodes"`
}

type chartNode struct {
	Key    string   `json:"key"`
	Charts int      `json:"charts"`
	Files  []string `json:"files"` // slash-separated, relative to the chart folder
}

// readChartManifest reads the manifest of the current chart folder; nil
// when there is none or it cannot be used.
func readChartManifest(dir string) *chartManifest {
	b, err := os.ReadFile(filepath.Join(dir, ChartNodesFile))
	if err != nil {
		return nil
	}
	var m chartManifest
	if json.Unmarshal(b, &m) != nil || m.Version != chartNodesVersion {
		return nil
	}
	return &m
}

// chartKeys returns the key of every chart node of in.
func (p *Publisher) chartKeys(in *book.Input) map[string]string {
	ctxHash := sha256.New()
	fmt.Fprintf(ctxHash, "%s\x00%s\x00%s\x00%s\x00%t\x00", chartNodesVersion, p.Code, p.MapID, in.Lang, in.Synthetic)
	fmt.Fprintf(ctxHash, "%#v\x00%#v\x00%#v\x00%#v\x00", in.Validity, in.History, in.Themes, in.Breaks)
	// The regions as the book's index makes them from the rows: the first
	// label and level of each code, and the county and groupings its
	// comparator rows name.
	shown := map[string]bool{}
	for _, ind := range in.Indicators {
		shown[ind.ID] = true
	}
	seen := map[string]bool{}
	for i := range in.Rows {
		r := &in.Rows[i]
		if !shown[r.Indicator] {
			continue
		}
		t := r.Region + "\x1f" + r.RegionLabel + "\x1f" + r.RegionLevel
		if r.Comparator == "county" || r.Comparator == "region_group" {
			t += "\x1f" + r.Comparator + "\x1f" + r.ComparatorRegion
		}
		if !seen[t] {
			seen[t] = true
			io.WriteString(ctxHash, t+"\x1e")
		}
	}
	base := ctxHash.Sum(nil)
	per := map[string]hash.Hash{}
	for _, ind := range in.Indicators {
		h := sha256.New()
		h.Write(base)
		// %#v of a pointer is its address, which differs from run to
		// run: the definition is hashed by value.
		c := ind
		c.Definition = nil
		fmt.Fprintf(h, "%#v\x00", c)
		if ind.Definition != nil {
			fmt.Fprintf(h, "%#v\x00", *ind.Definition)
		}
		per[ind.ID] = h
	}
	var buf []byte
	for i := range in.Rows {
		if h := per[in.Rows[i].Indicator]; h != nil {
			buf = appendRowKey(buf[:0], &in.Rows[i])
			h.Write(buf)
		}
	}
	keys := map[string]string{}
	all := sha256.New()
	all.Write(base)
	for _, ind := range in.Indicators {
		k := hex.EncodeToString(per[ind.ID].Sum(nil))
		keys[ind.ID] = k
		io.WriteString(all, ind.ID+"="+k+"\x00")
	}
	keys[book.HeatmapChart] = hex.EncodeToString(all.Sum(nil))
	return keys
}

// appendRowKey appends every field of r to buf in a fixed binary form:
// strings and the flag list length-prefixed, numbers as their IEEE bits
// (every NaN alike, as a missing value is one value), integers and
// booleans as fixed-width words. TestAppendRowKeyCoversRow fails when a
// field of book.Row is added without being keyed here.
func appendRowKey(buf []byte, r *book.Row) []byte {
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	num := func(x float64) {
		if math.IsNaN(x) {
			x = math.NaN()
		}
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(x))
	}
	integer := func(n int) { buf = binary.LittleEndian.AppendUint64(buf, uint64(n)) }
	boolean := func(b bool) {
		if b {
			buf = append(buf, 1)
		} else {
			buf = append(buf, 0)
		}
	}
	str(r.Indicator)
	str(r.Region)
	str(r.RegionLabel)
	str(r.RegionLevel)
	str(r.Period)
	str(r.Category)
	str(r.CategoryLabel)
	num(r.Value)
	str(r.Unit)
	num(r.Numerator)
	num(r.Denominator)
	str(r.Comparator)
	str(r.ComparatorRegion)
	num(r.ComparatorValue)
	num(r.GapAbs)
	num(r.GapIndex)
	integer(r.Rank)
	integer(r.NRanked)
	num(r.Z)
	num(r.CILow)
	num(r.CIHigh)
	integer(r.NUnits)
	buf = binary.AppendUvarint(buf, uint64(len(r.Flags)))
	for _, f := range r.Flags {
		str(f)
	}
	str(r.Sources)
	boolean(r.Synthetic)
	boolean(r.Computed)
	return buf
}

// nodeOf is the chart node a file of the chart set belongs to: the
// indicator whose folder it is in, or the heatmap.
func nodeOf(rel string) string {
	if dir, _, ok := strings.Cut(rel, "/"); ok {
		return dir
	}
	return strings.TrimSuffix(rel, path.Ext(rel))
}

// carryFiles links (or copies) files, relative to from, into to.
func carryFiles(from, to string, files []string, mk *folderMaker) error {
	for _, rel := range files {
		if clean := filepath.Clean(filepath.FromSlash(rel)); filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
			return fmt.Errorf("publish: carried path %q escapes the folder", rel)
		}
		src := filepath.Join(from, filepath.FromSlash(rel))
		dst := filepath.Join(to, filepath.FromSlash(rel))
		if err := mk.mkdirAll(filepath.Dir(dst)); err != nil {
			return err
		}
		if err := os.Link(src, dst); err == nil {
			continue
		}
		b, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// ChartsIncremental writes <kb>/charts atomically, as Charts does, but
// draws only the chart nodes whose key changed since the chart folder was
// written (all of them when p.Code is "", the folder has no node list, or
// a carried file is missing) and carries the others' files over.
// Result.Drawn and Result.Carried name the nodes.
func (p *Publisher) ChartsIncremental(ctx context.Context) (*Result, error) {
	start := time.Now()
	in, err := p.Input()
	if err != nil {
		return nil, err
	}
	res := &Result{Dir: filepath.Join(p.Store.Root(), "charts"), Version: in.Version}
	keys := p.chartKeys(in)
	names := make([]string, 0, len(keys))
	for _, ind := range in.Indicators {
		names = append(names, ind.ID)
	}
	names = append(names, book.HeatmapChart)
	var prev *chartManifest
	if p.Code != "" {
		prev = readChartManifest(res.Dir)
	}
	next := &chartManifest{Version: chartNodesVersion, Nodes: map[string]chartNode{}}
	err = replaceDir(res.Dir, func(tmp string) error {
		mk := &folderMaker{}
		draw := map[string]bool{}
		res.Drawn, res.Carried = nil, nil
		for _, name := range names {
			old, ok := chartNode{}, false
			if prev != nil {
				old, ok = prev.Nodes[name]
			}
			if ok && old.Key == keys[name] {
				if err := carryFiles(res.Dir, tmp, old.Files, mk); err == nil {
					next.Nodes[name] = old
					res.Carried = append(res.Carried, name)
					res.Files += len(old.Files)
					res.Charts += old.Charts
					continue
				}
				// A carried file is gone: the node is drawn. The files
				// linked so far are unlinked first, so that drawing
				// cannot write into the current folder's files.
				for _, rel := range old.Files {
					_ = os.Remove(filepath.Join(tmp, filepath.FromSlash(rel)))
				}
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			draw[name] = true
			res.Drawn = append(res.Drawn, name)
			next.Nodes[name] = chartNode{Key: keys[name]}
		}
		var mu sync.Mutex
		files := map[string][]string{}
		write := fileWriter(tmp, mk)
		idx, err := p.bookIndex(in)
		if err != nil {
			return err
		}
		sum, err := book.Charts(ctx, in, book.Options{Workers: p.Workers, Index: idx, Draw: func(n string) bool { return draw[n] }},
			func(rel string, data []byte) error {
				mu.Lock()
				n := nodeOf(rel)
				files[n] = append(files[n], rel)
				mu.Unlock()
				return write(rel, data)
			})
		if err != nil {
			return err
		}
		res.Files += sum.Files
		res.Charts += sum.Charts
		res.ChartsDrawn = sum.Charts
		for n, fs := range files {
			nd := next.Nodes[n]
			slices.Sort(fs)
			nd.Files = fs
			charts := 0
			for _, f := range fs {
				if strings.HasSuffix(f, ".csv") {
					charts++ // every chart has its CSV
				}
			}
			nd.Charts = charts
			next.Nodes[n] = nd
		}
		if p.Code == "" {
			return nil // nothing to key the next run on
		}
		b, err := json.MarshalIndent(next, "", " ")
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		return store.WriteFileAtomic(filepath.Join(tmp, ChartNodesFile), func(w io.Writer) error {
			_, err := w.Write(b)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	p.log().Info("charts written", "dir", res.Dir, "version", in.Version, "charts", res.Charts, "drawn", res.ChartsDrawn,
		"nodes_drawn", len(res.Drawn), "nodes_carried", len(res.Carried), "duration", res.Duration)
	return res, nil
}
