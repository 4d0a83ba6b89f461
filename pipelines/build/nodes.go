package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/harmonise"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// The build is a graph of fine-grained nodes: one per input dataset (its
// harmonised series) and one per indicator of the catalog. Each node has a
// key, the sha256 of everything its result is made from:
//
//	dataset:   nodesVersion, code identity, target, groupings, series breaks,
//	           weights version, harmonise.CodeVersion, the target's units,
//	           dataset ID, current version stamp, content sha256, synthetic
//	indicator: the same context, every unit (with the counties no longer
//	           valid that a county-level dataset is published for), the
//	           indicator's declaration (every field but Compute), and the
//	           key of each input dataset ("-" when absent)
//
// The code identity is CodeVersion and the sha256 of the running
// executable, so a new binary (a changed formula) recomputes everything.
// The keys of the last build are kept in <kb>/state/build-nodes.json with
// the stamp and sha256 of the indicator table they describe; a build reuses
// the rows (or the empty or unsuitable verdict) of an indicator whose key
// is unchanged from that table, and computes the others; the rows reused
// are carried from the previous table's record into the new one (see
// assemble), not read into Go values. A missing or
// unreadable manifest, one describing another table, or a damaged table
// means a full build; an unknown code identity does too.

// nodesVersion is mixed into every node key; bump it when the recipe changes.
const nodesVersion = "grunnlag-build-nodes/1"

// Verdicts of an indicator node.
const (
	nodeRows       = "rows"
	nodeEmpty      = "empty"
	nodeUnsuitable = "unsuitable"
)

// manifest is <kb>/state/build-nodes.json.
type manifest struct {
	Version     string                   `json:"version"`
	Table       string                   `json:"table"`        // stamp of the indicator table described
	TableSHA256 string                   `json:"table_sha256"` // its file's sha256
	Datasets    map[string]datasetNode   `json:"datasets"`
	Indicators  map[string]indicatorNode `json:"indicators"`
}

// datasetNode is what a build keeps of one input dataset's series: what
// the other nodes need without reading it again.
type datasetNode struct {
	Key      string              `json:"key"`
	Hist     []indicators.Region `json:"hist,omitempty"` // counties no longer valid it is published for
	Warnings int                 `json:"warnings,omitempty"`
}

// indicatorNode is the last verdict of one indicator.
type indicatorNode struct {
	Key    string `json:"key"`
	Status string `json:"status"` // nodeRows, nodeEmpty, nodeUnsuitable
	Reason string `json:"reason,omitempty"`
	Empty  *Empty `json:"empty,omitempty"`
}

// ManifestPath is where a build keeps its node keys.
func ManifestPath(st *store.Store) string {
	return filepath.Join(st.Root(), "state", "build-nodes.json")
}

var exeID = sync.OnceValue(func() string {
	path, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
})

// CodeIdentity is CodeVersion and the sha256 of the running executable;
// "" when the executable cannot be read (every indicator is then
// computed). Later steps key their own nodes on it too.
func CodeIdentity() string {
	id := exeID()
	if id == "" {
		return ""
	}
	return CodeVersion + "+" + id
}

// newKey hashes parts as JSON, each followed by a NUL.
func newKey(parts ...any) string {
	h := sha256.New()
	for _, p := range parts {
		b, err := json.Marshal(p)
		if err != nil {
			// Only plain data is hashed; a value that does not marshal
			// makes the key unique, so the node is computed (fail safe).
			b = fmt.Appendf(nil, "unmarshalable %T %p", p, &p)
		}
		h.Write(b)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// declaration is an indicator's fields without its functions (Compute),
// by field name, for its key: a new field is part of the key by itself.
func declaration(ind *indicators.Indicator) map[string]any {
	v := reflect.ValueOf(ind).Elem()
	out := map[string]any{}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Type.Kind() == reflect.Func {
			continue
		}
		out[f.Name] = v.Field(i).Interface()
	}
	return out
}

// readManifest reads the manifest; nil and the reason when there is none
// or it cannot be used for the current indicator table.
func readManifest(st *store.Store, cat *store.Catalog) (*manifest, string) {
	b, err := os.ReadFile(ManifestPath(st))
	if errors.Is(err, os.ErrNotExist) {
		return nil, "ingen nøkler fra forrige bygging"
	}
	if err != nil {
		return nil, "nøklene fra forrige bygging kan ikke leses"
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Version != nodesVersion {
		return nil, "nøklene fra forrige bygging kan ikke leses"
	}
	cur := cat.Indicators.CurrentVersion()
	if cur == nil || cur.Stamp != m.Table || cur.SHA256 != m.TableSHA256 {
		return nil, "nøklene gjelder ikke gjeldende indikatortabell"
	}
	return &m, ""
}

// writeManifest replaces the manifest atomically.
func writeManifest(st *store.Store, m *manifest) error {
	if err := store.WriteJSON(ManifestPath(st), m); err != nil {
		return fmt.Errorf("build: nodes: %w", err)
	}
	return nil
}

// removeManifest removes the manifest, so that the next build is full.
func removeManifest(st *store.Store) {
	_ = os.Remove(ManifestPath(st))
}

// TableRows reads an indicator table written by [Record] back into rows:
// Record(TableRows(rec)) holds the same cells as rec. Nulls read as the
// values Record writes as null (NaN, 0, "").
func TableRows(rec arrow.Record) ([]Row, error) {
	n := int(rec.NumRows())
	str := make([]func(int) string, 0, 12)
	for _, c := range []string{"indicator", "region", "region_label", "region_level", "period", "category", "category_label",
		"unit", "comparator", "comparator_region", "flags", "sources"} {
		f, err := store.StringColumn(rec, c)
		if err != nil {
			return nil, fmt.Errorf("build: indicator table: %w", err)
		}
		str = append(str, f)
	}
	num := make([]func(int) float64, 0, 14)
	for _, c := range []string{"value", "numerator", "denominator", "comparator_value", "gap_abs", "gap_index",
		"rank", "n_ranked", "z_score", "ci_low", "ci_high", "n_units"} {
		f, err := store.FloatColumn(rec, c)
		if err != nil {
			return nil, fmt.Errorf("build: indicator table: %w", err)
		}
		num = append(num, f)
	}
	var bools []func(int) bool
	for _, c := range []string{"synthetic", "computed"} {
		f, err := boolColumn(rec, c)
		if err != nil {
			return nil, fmt.Errorf("build: indicator table: %w", err)
		}
		bools = append(bools, f)
	}
	toInt := func(x float64) int {
		if math.IsNaN(x) {
			return 0
		}
		return int(x)
	}
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{Indicator: str[0](i), Region: str[1](i), RegionLabel: str[2](i), RegionLevel: str[3](i), Period: str[4](i),
			Category: str[5](i), CategoryLabel: str[6](i), Unit: str[7](i), Comparator: str[8](i), ComparatorRegion: str[9](i),
			Flags: str[10](i), Sources: str[11](i),
			Value: num[0](i), Numerator: num[1](i), Denominator: num[2](i), ComparatorValue: num[3](i), GapAbs: num[4](i),
			GapIndex: num[5](i), Rank: toInt(num[6](i)), NRanked: toInt(num[7](i)), Z: num[8](i), CILow: num[9](i),
			CIHigh: num[10](i), NUnits: toInt(num[11](i)), Synthetic: bools[0](i), Computed: bools[1](i)}
	}
	return rows, nil
}

func boolColumn(rec arrow.Record, name string) (func(int) bool, error) {
	idx := rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		return nil, fmt.Errorf("no column %q", name)
	}
	col, ok := rec.Column(idx[0]).(interface {
		IsValid(int) bool
		Value(int) bool
	})
	if !ok {
		return nil, fmt.Errorf("column %q has type %s, want bool", name, rec.Column(idx[0]).DataType())
	}
	return func(i int) bool { return col.IsValid(i) && col.Value(i) }, nil
}

// mergeHist merges the datasets' counties no longer valid, the first
// dataset (in ids order) naming a code giving its unit, as a build that
// reads the datasets in that order does; sorted by code.
func mergeHist(ids []string, nodes map[string]datasetNode) []indicators.Region {
	seen := map[string]bool{}
	var out []indicators.Region
	for _, ds := range ids {
		for _, r := range nodes[ds].Hist {
			if !seen[r.Code] {
				seen[r.Code] = true
				out = append(out, r)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// datasetKey is the key of one input dataset's series.
func datasetKey(base string, ds string, v *store.Version) string {
	if v == nil {
		return newKey(base, ds, "-")
	}
	return newKey(base, ds, v.Stamp, v.ContentSHA256, v.Synthetic, harmonise.CodeVersion)
}

// dataset returns the node of ds in m (nil m: none).
func (m *manifest) dataset(ds string) (datasetNode, bool) {
	if m == nil {
		return datasetNode{}, false
	}
	n, ok := m.Datasets[ds]
	return n, ok
}

// indicator returns the node of id in m (nil m: none).
func (m *manifest) indicator(id string) (indicatorNode, bool) {
	if m == nil {
		return indicatorNode{}, false
	}
	n, ok := m.Indicators[id]
	return n, ok
}

// computeEach computes each indicator of list on its own (as Compute with
// a one-indicator list; indicators are independent nodes), on up to
// workers goroutines (0: GOMAXPROCS), and returns each indicator's rows
// (chunks[i] those of list[i], nil for none) and the skips in list order,
// as Compute on the whole list gives them joined. The rows are not joined
// into one slice: at 20 years the joined copy was as large as the rows
// themselves (377 MB), held beside them. The first error in list order is
// returned.
func computeEach(ctx context.Context, m *regions.Model, target time.Time, groups []regions.Group, list []*indicators.Indicator,
	in *indicators.Inputs, breaks []indicators.Break, workers int) (chunks [][]Row, skips []Skip, err error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type result struct {
		rows  []Row
		skips []Skip
		err   error
	}
	results := make([]result, len(list))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(list)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rows, skips, err := Compute(ctx, m, target, groups, list[i:i+1], in, breaks)
				results[i] = result{rows, skips, err}
			}
		}()
	}
	for i := range list {
		next <- i
	}
	close(next)
	wg.Wait()
	chunks = make([][]Row, len(list))
	for i := range results {
		r := &results[i]
		if r.err != nil {
			return nil, nil, r.err
		}
		chunks[i] = r.rows
		skips = append(skips, r.skips...)
	}
	return chunks, skips, nil
}
