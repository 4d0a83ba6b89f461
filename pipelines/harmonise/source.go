package harmonise

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

// Row is one tidy cell of a source dataset version, as the source
// publishes it (code of the source's vintage).
type Row struct {
	Code, Period string
	Key          []string // codes of the other dimensions, in Source.Dims order
	Value        float64
	Valid        bool
	Status       string
	Target       bool   // the code is on the target vintage already (K- prefix)
	Published    bool   // a county or nation total as published
	Label        string // the source's label of the region, "" if none
}

// Source is a source dataset version read into rows: the derived
// denominators applied, rates, groupings and codes of no level dropped.
type Source struct {
	Dataset string
	Dims    []string          // other dimensions, in schema order
	Labels  map[string]string // "dim\x1fcode" → label
	Rows    []Row             // municipality cells
	// Published are county and nation totals as published: the value of
	// today's county or nation where it covers today's territory, and the
	// only cells of a county-level dataset (one without municipality rows).
	Published []Row
}

// AttributesKey is the schema metadata key listing, comma-separated, the
// columns of a dataset that are attributes of other columns (a tag of a
// category), not dimensions: ReadSource does not key cells by them.
const AttributesKey = "grunnlag.attributes"

// ReadSource turns a source dataset record into rows, applying the derived
// denominators (a count X beside a rate XProsent gives X_nevner = X * 100 /
// rate) and dropping rates, groupings and codes of no region level.
func ReadSource(dataset string, rec arrow.Record) (*Source, error) {
	sc := rec.Schema()
	geo, tid := "Region", "Tid"
	if g := store.SchemaValue(sc, "jsonstat.role.geo"); g != "" && !strings.Contains(g, ",") {
		geo = g
	}
	if t := store.SchemaValue(sc, "jsonstat.role.time"); t != "" && !strings.Contains(t, ",") {
		tid = t
	}
	regionCol, err := store.StringColumn(rec, geo)
	if err != nil {
		return nil, fmt.Errorf("harmonise: dataset %s: %w", dataset, err)
	}
	regionLabel, lerr := store.StringColumn(rec, geo+"_label")
	if lerr != nil {
		regionLabel = func(int) string { return "" }
	}
	timeCol, err := store.StringColumn(rec, tid)
	if err != nil {
		return nil, fmt.Errorf("harmonise: dataset %s: %w", dataset, err)
	}
	vi := sc.FieldIndices("value")
	if len(vi) != 1 {
		return nil, fmt.Errorf("harmonise: dataset %s: no value column", dataset)
	}
	values, ok := rec.Column(vi[0]).(*array.Float64)
	if !ok {
		return nil, fmt.Errorf("harmonise: dataset %s: value column is %s, want float64", dataset, rec.Column(vi[0]).DataType())
	}
	statusCol := func(int) string { return "" }
	if len(sc.FieldIndices("status")) == 1 {
		if statusCol, err = store.StringColumn(rec, "status"); err != nil {
			return nil, fmt.Errorf("harmonise: dataset %s: %w", dataset, err)
		}
	}
	t := &Source{Dataset: dataset, Labels: map[string]string{}}
	attrs := map[string]bool{}
	for _, a := range strings.Split(store.SchemaValue(sc, AttributesKey), ",") {
		if a = strings.TrimSpace(a); a != "" {
			attrs[a] = true
		}
	}
	var cols, labelCols []func(int) string
	for _, f := range sc.Fields() {
		switch {
		case f.Name == geo || f.Name == tid || f.Name == "value" || f.Name == "status" || strings.HasSuffix(f.Name, "_label"), attrs[f.Name]:
			continue
		}
		c, err := store.StringColumn(rec, f.Name)
		if err != nil {
			return nil, fmt.Errorf("harmonise: dataset %s: %w", dataset, err)
		}
		lc, lerr := store.StringColumn(rec, f.Name+"_label")
		if lerr != nil {
			lc = func(int) string { return "" }
		}
		t.Dims = append(t.Dims, f.Name)
		cols = append(cols, c)
		labelCols = append(labelCols, lc)
	}
	contents := -1
	for i, d := range t.Dims {
		if d == "ContentsCode" {
			contents = i
		}
	}
	n := int(rec.NumRows())
	rates := map[rateKey]Row{}
	counts := make([]Row, 0, n)
	// Every row's key in one slab, not a slice per row (see ReadLayer
	// for what growing these slices cost).
	keys, k := make([]string, n*len(cols)), len(cols)
	for i := 0; i < n; i++ {
		code := regionCol(i)
		r := Row{Code: code, Period: timeCol(i), Value: values.Value(i), Valid: values.IsValid(i), Status: statusCol(i), Label: regionLabel(i)}
		if strings.HasPrefix(code, "K-") {
			r.Code, r.Target = code[2:], true
		}
		lv, ok := regions.LevelOf(r.Code)
		switch {
		case !ok && r.Code != "" && !r.Target:
			// Perhaps a grouping's own figure (the survey's rows for
			// groupings, disclosure-controlled as a whole): kept as
			// published; build uses it when the code is a grouping's ID.
			r.Published = true
		case !ok || lv == regions.Grouping:
			continue
		default:
			r.Published = lv != regions.Municipality
		}
		if jsonstat.MissingStatus(r.Status) {
			r.Valid = false
		}
		r.Key = keys[i*k : (i+1)*k : (i+1)*k]
		for j, c := range cols {
			r.Key[j] = c(i)
			if l := labelCols[j](i); l != "" {
				t.Labels[t.Dims[j]+"\x1f"+r.Key[j]] = l
			}
		}
		if contents >= 0 && strings.HasSuffix(r.Key[contents], "Prosent") {
			k := append([]string(nil), r.Key...)
			k[contents] = strings.TrimSuffix(k[contents], "Prosent")
			rates[rateKey{r.Code, r.Period, strings.Join(k, "\x1f")}] = r
			continue
		}
		counts = append(counts, r)
	}
	t.addCounts(counts, rates, contents)
	return t, nil
}

// rateKey identifies a rate cell by (code, period, key with ContentsCode X)
// for the count X it derives X_nevner from.
type rateKey struct{ code, period, key string }

// addCounts adds the count rows and, beside a rate of the same cell, the
// derived denominator X_nevner.
func (t *Source) addCounts(counts []Row, rates map[rateKey]Row, contents int) {
	// Each count, and a derived denominator beside each rate.
	published := 0
	for i := range counts {
		if counts[i].Published {
			published++
		}
	}
	extra := min(len(rates), len(counts))
	t.Published = slices.Grow(t.Published, published+extra)
	t.Rows = slices.Grow(t.Rows, len(counts)-published+extra)
	add := func(r Row) {
		if r.Published {
			t.Published = append(t.Published, r)
		} else {
			t.Rows = append(t.Rows, r)
		}
	}
	for _, r := range counts {
		var rate Row
		hasRate := false
		if contents >= 0 {
			rate, hasRate = rates[rateKey{r.Code, r.Period, strings.Join(r.Key, "\x1f")}]
		}
		if hasRate && maskedCount(r, rate) {
			// NAV writes a masked count (1-4 persons) as 0 beside a
			// positive rate: the count is unknown, not zero.
			r.Valid, r.Status = false, MaskedStatus
		}
		add(r)
		if !hasRate {
			continue
		}
		d := r
		d.Key = append([]string(nil), r.Key...)
		d.Key[contents] = r.Key[contents] + "_nevner"
		d.Valid = r.Valid && rate.Valid && rate.Value != 0
		if d.Valid {
			d.Value = r.Value * 100 / rate.Value
		} else {
			d.Value = 0
			if d.Status == "" {
				d.Status = rate.Status
			}
		}
		t.Labels["ContentsCode\x1f"+d.Key[contents]] = "Nevner utledet av " + r.Key[contents] + "Prosent"
		add(d)
	}
}

// MaskedStatus is the status given to a count that the source masked
// but wrote as 0 (see maskedCount): ":" as SSB's "confidential".
const MaskedStatus = ":"

// maskedCount reports whether a count published as 0 beside a positive
// rate of the same cell is a masked count: no labour force has 0 persons
// at a rate above 0 (NAV masks small municipal counts this way, e.g.
// Fyresdal 2024-03: 0 persons, 0.5 %).
func maskedCount(count, rate Row) bool {
	return count.Valid && count.Value == 0 && rate.Valid && rate.Value > 0
}

// SplitWeights returns population weights for every split the model knows,
// from the befolkning dataset (sum of every cell of a municipality in the
// year of the split). Splits without population are left out (harmonising
// across them fails and is logged).
func SplitWeights(m *regions.Model, pop *Source) regions.Weights {
	w := regions.Weights{}
	if pop == nil {
		return w
	}
	sum := map[string]float64{} // code\x1fyear
	for _, r := range pop.Rows {
		if r.Valid {
			sum[r.Code+"\x1f"+r.Period[:min(4, len(r.Period))]] += r.Value
		}
	}
	for _, sp := range m.Splits() {
		year := sp.Date.Format("2006")
		ws := map[string]float64{}
		ok := true
		for _, c := range sp.NewCodes {
			v, has := sum[c+"\x1f"+year]
			if !has || v <= 0 {
				ok = false
				break
			}
			ws[c] = v
		}
		if ok {
			w[sp.Key] = ws
		}
	}
	return w
}
