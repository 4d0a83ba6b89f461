package harmonise

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Published is the region_flag of a county or national row as the source
// publishes it (not harmonised, not summed).
const Published regions.Flag = "published"

// Cell is one cell of the harmonised layer.
type Cell struct {
	Region, Label string
	Level         regions.Level
	Flag          regions.Flag // native, merged, apportioned, or Published
	Period        string
	Key           []string // codes of the other dimensions, in Layer.Dims order
	Value         float64  // meaningful only when Valid
	Valid         bool
	Status        string
}

// Layer is one dataset harmonised: its municipality cells on the target
// vintage (merges summed, splits apportioned, flagged) and its county and
// national rows as published, unchanged.
type Layer struct {
	Dataset string
	Dims    []string
	Labels  map[string]string // "dim\x1fcode" → label, as Source.Labels
	// Cells are the municipality cells on the target vintage.
	Cells []Cell
	// Published are the source's county and national rows, flag Published.
	Published []Cell
	// Warnings counts the (period, key) groups of cells left out because
	// harmonisation failed (logged when harmonised).
	Warnings int
	Meta     Meta
}

// Meta is what a harmonised version was made from; a stored version whose
// Meta differs from the wanted one is stale.
type Meta struct {
	Input   string // stamp of the source dataset version
	Weights string // stamp of the befolkning version the split weights come from ("" none)
	Target  string // target vintage, YYYY-MM-DD
	Code    string // CodeVersion
}

// Schema metadata keys of a harmonised version.
const (
	keyInput    = "harmonised.input"
	keyWeights  = "harmonised.weights"
	keyTarget   = "harmonised.target"
	keyCode     = "harmonised.code"
	keyWarnings = "harmonised.warnings"
	keyLabels   = "harmonised.labels"
	keyDims     = "harmonised.dims"
)

// harmoniseSource puts a source's municipality cells on the target vintage,
// one (period, key) group at a time, and keeps its published rows.
func harmoniseSource(src *Source, model *regions.Model, target time.Time, weights regions.Weights, log *slog.Logger) (*Layer, error) {
	l := &Layer{Dataset: src.Dataset, Dims: src.Dims, Labels: src.Labels}
	type gk struct{ period, key string }
	groups := map[gk][]Row{}
	var order []gk
	for _, r := range src.Rows {
		k := gk{r.Period, strings.Join(r.Key, "\x1f")}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].period != order[j].period {
			return order[i].period < order[j].period
		}
		return order[i].key < order[j].key
	})
	for _, k := range order {
		rows := groups[k]
		at, err := regions.DefaultPeriodDate(k.period)
		if err != nil {
			return nil, fmt.Errorf("harmonise: dataset %s: %w", src.Dataset, err)
		}
		hs, warn, err := harmoniseGroup(model, target, weights, log, src.Dataset, k.period, at, rows)
		if err != nil {
			return nil, err
		}
		l.Warnings += warn
		for _, x := range hs {
			l.Cells = append(l.Cells, Cell{Region: x.Region.Code, Label: x.Region.Name, Level: regions.Municipality, Flag: x.Flag,
				Period: k.period, Key: rows[0].Key, Value: x.Value, Valid: x.Valid, Status: x.Status})
		}
	}
	for _, r := range src.Published {
		lv, ok := regions.LevelOf(r.Code)
		if !ok {
			lv = regions.Grouping // a grouping's own row, by its ID
		}
		l.Published = append(l.Published, Cell{Region: r.Code, Label: r.Label, Level: lv, Flag: Published,
			Period: r.Period, Key: r.Key, Value: r.Value, Valid: r.Valid, Status: r.Status})
	}
	return l, nil
}

// harmoniseGroup harmonises one (period, key) group of municipality rows
// to the target vintage: codes valid on the period's date are rolled
// forward from it, codes of the target vintage (K- prefix, or valid only
// on the target, as NAV gives earlier periods on today's codes) are taken
// as they are. An empty cell of a code valid on neither is skipped; a
// native cell without value or status keeps no status. A
// failure to harmonise the first kind (a split without weights) leaves
// that part out, logged and counted in warn; an unknown code is an error.
// The result is sorted by code.
func harmoniseGroup(model *regions.Model, target time.Time, weights regions.Weights, log *slog.Logger, dataset, period string, at time.Time, rows []Row) (out []regions.Harmonised, warn int, err error) {
	var a, b []regions.Cell
	for _, r := range rows {
		c := regions.Cell{Code: r.Code, Value: r.Value, Valid: r.Valid, Status: r.Status}
		if r.Target {
			b = append(b, c)
			continue
		}
		if _, err := model.Resolve(r.Code, at); err == nil {
			a = append(a, c)
			continue
		}
		if _, err := model.Resolve(r.Code, target); err == nil && r.Valid {
			b = append(b, c)
		}
		// else: an empty cell of a code not valid then: skipped.
	}
	byCode := map[string]regions.Harmonised{}
	opt := regions.Options{Target: target, Weights: weights, Dataset: dataset, Period: period}
	if len(a) > 0 {
		hs, err := model.HarmoniseCells(a, at, opt)
		if err != nil {
			var ue *regions.UnknownCodeError
			if errors.As(err, &ue) {
				return nil, 0, fmt.Errorf("harmonise: %w", err)
			}
			warn++
			log.Warn("harmonisation failed; cells left out", "dataset", dataset, "period", period, "err", err)
		}
		for _, x := range hs {
			byCode[x.Region.Code] = x
		}
	}
	if len(b) > 0 {
		hs, err := model.HarmoniseCells(b, target, opt)
		if err != nil {
			return nil, 0, fmt.Errorf("harmonise: %w", err)
		}
		for _, x := range hs {
			if _, dup := byCode[x.Region.Code]; !dup {
				byCode[x.Region.Code] = x
			}
		}
	}
	status := map[string]string{} // input code → its source status
	for _, c := range append(a, b...) {
		status[c.Code] = c.Status
	}
	out = make([]regions.Harmonised, 0, len(byCode))
	for _, x := range byCode {
		if !x.Valid && x.Flag == regions.Native && len(x.Sources) == 1 && status[x.Sources[0]] == "" {
			// A cell with neither value nor status (a combination a long
			// source file has no row for) stays without a status: absent,
			// not a missing cell (".." would say the source marked it).
			x.Status = ""
		}
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Region.Code < out[j].Region.Code })
	return out, warn, nil
}

// Record returns the layer as a record with the columns of the harmonised
// layer: region, region_label, region_level, region_flag, period, every
// other dimension (code, and code_label), value (null when missing),
// status (null when none); its schema metadata holds l.Meta, the warnings,
// the dimension order and the labels.
func (l *Layer) Record(mem memory.Allocator) (arrow.Record, error) {
	str := arrow.BinaryTypes.String
	fields := []arrow.Field{{Name: "region", Type: str}, {Name: "region_label", Type: str}, {Name: "region_level", Type: str},
		{Name: "region_flag", Type: str}, {Name: "period", Type: str}}
	for _, d := range l.Dims {
		fields = append(fields, arrow.Field{Name: dimColumn(d), Type: str}, arrow.Field{Name: dimColumn(d) + "_label", Type: str, Nullable: true})
	}
	fields = append(fields, arrow.Field{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		arrow.Field{Name: "status", Type: str, Nullable: true})
	labels, err := json.Marshal(l.Labels)
	if err != nil {
		return nil, fmt.Errorf("harmonise: %w", err)
	}
	dims, err := json.Marshal(l.Dims)
	if err != nil {
		return nil, fmt.Errorf("harmonise: %w", err)
	}
	md := arrow.NewMetadata(
		[]string{keyInput, keyWeights, keyTarget, keyCode, keyWarnings, keyLabels, keyDims},
		[]string{l.Meta.Input, l.Meta.Weights, l.Meta.Target, l.Meta.Code, fmt.Sprint(l.Warnings), string(labels), string(dims)})
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, &md))
	defer b.Release()
	s := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
	nd := len(l.Dims)
	for _, cs := range [][]Cell{l.Cells, l.Published} {
		for _, c := range cs {
			s(0).Append(c.Region)
			s(1).Append(c.Label)
			s(2).Append(string(c.Level))
			s(3).Append(string(c.Flag))
			s(4).Append(c.Period)
			for j, d := range l.Dims {
				s(5 + 2*j).Append(c.Key[j])
				if lab, ok := l.Labels[d+"\x1f"+c.Key[j]]; ok {
					s(6 + 2*j).Append(lab)
				} else {
					s(6 + 2*j).AppendNull()
				}
			}
			if c.Valid {
				b.Field(5 + 2*nd).(*array.Float64Builder).Append(c.Value)
			} else {
				b.Field(5 + 2*nd).(*array.Float64Builder).AppendNull()
			}
			if c.Status != "" {
				s(6 + 2*nd).Append(c.Status)
			} else {
				s(6 + 2*nd).AppendNull()
			}
		}
	}
	return b.NewRecord(), nil
}

// isLayerColumn reports whether name is one of the layer's own columns.
func isLayerColumn(name string) bool {
	switch name {
	case "region", "region_label", "region_level", "region_flag", "period", "value", "status":
		return true
	}
	return false
}

// dimColumn is the column of dimension d: d, or "source_"+d where d is the
// name of one of the layer's own columns (the needs_vs_supply dataset's
// region_level dimension).
func dimColumn(d string) string {
	if isLayerColumn(d) {
		return "source_" + d
	}
	return d
}

// Keys are the key columns of a layer with dims: region, period, dims.
func Keys(dims []string) []string {
	out := []string{"region", "period"}
	for _, d := range dims {
		out = append(out, dimColumn(d))
	}
	return out
}

// ReadLayer reads a harmonised version's record back into a Layer. A
// missing value is a missing cell (Valid false).
func ReadLayer(dataset string, rec arrow.Record) (*Layer, error) {
	sc := rec.Schema()
	l := &Layer{Dataset: dataset, Labels: map[string]string{}}
	l.Meta = Meta{Input: store.SchemaValue(sc, keyInput), Weights: store.SchemaValue(sc, keyWeights),
		Target: store.SchemaValue(sc, keyTarget), Code: store.SchemaValue(sc, keyCode)}
	if _, err := fmt.Sscan(store.SchemaValue(sc, keyWarnings), &l.Warnings); err != nil {
		return nil, fmt.Errorf("harmonise: dataset %s: metadata %s: %w", dataset, keyWarnings, err)
	}
	if err := json.Unmarshal([]byte(store.SchemaValue(sc, keyLabels)), &l.Labels); err != nil {
		return nil, fmt.Errorf("harmonise: dataset %s: metadata %s: %w", dataset, keyLabels, err)
	}
	if err := json.Unmarshal([]byte(store.SchemaValue(sc, keyDims)), &l.Dims); err != nil {
		return nil, fmt.Errorf("harmonise: dataset %s: metadata %s: %w", dataset, keyDims, err)
	}
	col := func(name string) (func(int) string, error) {
		c, err := store.StringColumn(rec, name)
		if err != nil {
			return nil, fmt.Errorf("harmonise: dataset %s: %w", dataset, err)
		}
		return c, nil
	}
	var cols []func(int) string
	names := []string{"region", "region_label", "region_level", "region_flag", "period", "status"}
	for _, d := range l.Dims {
		names = append(names, dimColumn(d))
	}
	for _, name := range names {
		c, err := col(name)
		if err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	value, err := store.FloatColumn(rec, "value")
	if err != nil {
		return nil, fmt.Errorf("harmonise: dataset %s: %w", dataset, err)
	}
	vi := sc.FieldIndices("value")[0]
	// The cells and their keys in slices of the exact size, counted
	// first: growing the slices of ReadLayer, ReadSource and addCounts
	// was 6.6 s of the 20-year run's 105 s of CPU (profile of
	// `grunnlag run` on BenchmarkFullBuild20Years's bundle, 2026-12-07).
	n, k := int(rec.NumRows()), len(l.Dims)
	published := 0
	for i := range n {
		if regions.Flag(cols[3](i)) == Published {
			published++
		}
	}
	l.Published, l.Cells = make([]Cell, 0, published), make([]Cell, 0, n-published)
	keys := make([]string, n*k)
	for i := range n {
		c := Cell{Region: cols[0](i), Label: cols[1](i), Level: regions.Level(cols[2](i)), Flag: regions.Flag(cols[3](i)),
			Period: cols[4](i), Status: cols[5](i), Valid: rec.Column(vi).IsValid(i)}
		if c.Valid {
			c.Value = value(i)
		}
		c.Key = keys[i*k : (i+1)*k : (i+1)*k]
		for j := range l.Dims {
			c.Key[j] = cols[6+j](i)
		}
		if c.Flag == Published {
			l.Published = append(l.Published, c)
		} else {
			l.Cells = append(l.Cells, c)
		}
	}
	return l, nil
}
