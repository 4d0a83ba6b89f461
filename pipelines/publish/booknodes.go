package publish

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// The book's figures are nodes too: each chart job is keyed by the
// sha256 of figureNodesVersion, the publisher's Code and MapID, the job's
// formats and the whole chart value (every field, exported or not, walked
// by reflection; the municipality map by MapID). A figure whose key is the
// one it had in the current book is carried over (linked) into the fresh
// folder instead of drawn. The pages themselves are always written: they
// show the table version and what changed. The keys live in the book
// folder (ChartNodesFile), swapped with it.

const figureNodesVersion = "grunnlag-figure-nodes/1"

type figureManifest struct {
	Version string            `json:"version"`
	Figures map[string]figure `json:"figures"`
}

type figure struct {
	Key   string   `json:"key"`
	Files []string `json:"files"`
}

// errUnhashable marks a chart holding a value the key cannot cover (a
// function, a channel): such a figure is always drawn.
var errUnhashable = errors.New("publish: chart value cannot be keyed")

var mapPtrType = reflect.TypeOf((*charts.Map)(nil))

// figureKey returns the key of a chart job.
func (p *Publisher) figureKey(j charts.Job) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%v\x00", figureNodesVersion, p.Code, p.MapID, j.Formats)
	if err := hashValue(h, reflect.ValueOf(&j.Chart).Elem(), p.MapID, 0); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashValue writes v to h, unambiguously (kinds, lengths and type names
// are written too).
func hashValue(h hash.Hash, v reflect.Value, mapID string, depth int) error {
	if depth > 64 {
		return errUnhashable
	}
	var buf [8]byte
	num := func(x uint64) {
		binary.LittleEndian.PutUint64(buf[:], x)
		h.Write(buf[:])
	}
	h.Write([]byte{byte(v.Kind())})
	switch v.Kind() {
	case reflect.Invalid:
		return nil
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			h.Write([]byte("nil"))
			return nil
		}
		if v.Kind() == reflect.Interface {
			io.WriteString(h, v.Elem().Type().String())
			return hashValue(h, v.Elem(), mapID, depth+1)
		}
		if v.Type() == mapPtrType {
			if mapID == "" {
				return errUnhashable
			}
			io.WriteString(h, "map="+mapID)
			return nil
		}
		return hashValue(h, v.Elem(), mapID, depth+1)
	case reflect.Struct:
		io.WriteString(h, v.Type().String())
		for i := range v.NumField() {
			if err := hashValue(h, v.Field(i), mapID, depth+1); err != nil {
				return err
			}
		}
		return nil
	case reflect.Slice, reflect.Array:
		num(uint64(v.Len()))
		for i := range v.Len() {
			if err := hashValue(h, v.Index(i), mapID, depth+1); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		num(uint64(v.Len()))
		keys := v.MapKeys()
		type kv struct {
			sum  []byte
			k, v reflect.Value
		}
		entries := make([]kv, 0, len(keys))
		for _, k := range keys {
			kh := sha256.New()
			if err := hashValue(kh, k, mapID, depth+1); err != nil {
				return err
			}
			entries = append(entries, kv{kh.Sum(nil), k, v.MapIndex(k)})
		}
		slices.SortFunc(entries, func(a, b kv) int { return slices.Compare(a.sum, b.sum) })
		for _, e := range entries {
			h.Write(e.sum)
			if err := hashValue(h, e.v, mapID, depth+1); err != nil {
				return err
			}
		}
		return nil
	case reflect.String:
		num(uint64(v.Len()))
		io.WriteString(h, v.String())
		return nil
	case reflect.Bool:
		if v.Bool() {
			num(1)
		} else {
			num(0)
		}
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		num(uint64(v.Int()))
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		num(v.Uint())
		return nil
	case reflect.Float32, reflect.Float64:
		num(math.Float64bits(v.Float()))
		return nil
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		num(math.Float64bits(real(c)))
		num(math.Float64bits(imag(c)))
		return nil
	}
	return errUnhashable // func, chan, unsafe pointer
}

// figureFiles are the files a job writes.
func figureFiles(j charts.Job) []string {
	fs := j.Formats
	if fs == nil {
		fs = []charts.Format{charts.PNG, charts.SVG, charts.CSV}
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = j.Name + "." + string(f)
	}
	return out
}

// figureCarrier carries unchanged figures of the book in dir over into a
// fresh folder and notes the keys of all of them for the next book.
type figureCarrier struct {
	p       *Publisher
	dir     string
	prev    *figureManifest
	next    *figureManifest
	mu      sync.Mutex
	carried int
	files   int
	// mk makes the fresh folder's subfolders, shared with the book's
	// fileWriter.
	mk *folderMaker
}

func (p *Publisher) newFigureCarrier(dir string) *figureCarrier {
	c := &figureCarrier{p: p, dir: dir, mk: &folderMaker{}, next: &figureManifest{Version: figureNodesVersion, Figures: map[string]figure{}}}
	if p.Code == "" {
		return c
	}
	b, err := os.ReadFile(filepath.Join(dir, ChartNodesFile))
	if err != nil {
		return c
	}
	var m figureManifest
	if json.Unmarshal(b, &m) == nil && m.Version == figureNodesVersion {
		c.prev = &m
	}
	return c
}

// carry links the job's files from the current book into tmp when its key
// is unchanged and reports whether it did; it notes the job's key either
// way.
func (c *figureCarrier) carry(tmp string, j charts.Job) bool {
	if c.p.Code == "" {
		return false
	}
	key, err := c.p.figureKey(j)
	if err != nil {
		return false
	}
	files := figureFiles(j)
	c.mu.Lock()
	c.next.Figures[j.Name] = figure{Key: key, Files: files}
	old, ok := figure{}, false
	if c.prev != nil {
		old, ok = c.prev.Figures[j.Name]
	}
	c.mu.Unlock()
	if !ok || old.Key != key || !slices.Equal(old.Files, files) {
		return false
	}
	if err := carryFiles(c.dir, tmp, files, c.mk); err != nil {
		for _, rel := range files {
			_ = os.Remove(filepath.Join(tmp, filepath.FromSlash(rel)))
		}
		return false
	}
	c.mu.Lock()
	c.carried++
	c.files += len(files)
	c.mu.Unlock()
	return true
}

// save writes the keys into tmp (nothing without a Code).
func (c *figureCarrier) save(tmp string) error {
	if c.p.Code == "" {
		return nil
	}
	b, err := json.Marshal(c.next)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return store.WriteFileAtomic(filepath.Join(tmp, ChartNodesFile), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
