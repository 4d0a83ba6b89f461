package harmonise

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// CodeVersion identifies the harmonise step's code in the pipeline's DAG
// and in every harmonised version's metadata: a change here re-harmonises
// every dataset.
const CodeVersion = "grunnlag-harmonise/1"

// WeightsDataset is the dataset the split weights are read from.
const WeightsDataset = "befolkning"

// Harmoniser writes and reads the harmonised layer of a knowledge base.
// The caller holds the kb lock when it may write (Run, Load).
type Harmoniser struct {
	Store  *store.Store
	Model  *regions.Model
	Target time.Time // zero: Model.Latest()
	Logger *slog.Logger

	// Shared, when set, shares the split weights with the other
	// harmonisers of a run (see WeightsCache); nil reads them here.
	Shared *WeightsCache

	weights      regions.Weights
	weightsStamp string
	weightsDone  bool
}

// WeightsCache shares the split weights between the harmonisers of one
// run (the harmonise, planning and build steps each have one): the
// befolkning version is read and summed (SplitWeights) once per model and
// version, not once per step: three reads were 0.27 s of CPU of every
// one-cell demo run (profile of 4 runs of BenchmarkOneCellChange,
// 2026-12-07), on its one-step-at-a-time part. The weights are
// shared and read only. The zero value is ready; it is safe for
// concurrent use.
type WeightsCache struct {
	mu    sync.Mutex
	model *regions.Model
	stamp string // the befolkning version ("": none)
	w     regions.Weights
	ok    bool
}

func (h *Harmoniser) log() *slog.Logger {
	if h.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Logger
}

func (h *Harmoniser) target() time.Time {
	if h.Target.IsZero() {
		return h.Model.Latest()
	}
	return h.Target
}

// Weights returns the split weights from the current befolkning version
// (none when the kb has none), read once (once per run with Shared).
func (h *Harmoniser) Weights() (regions.Weights, error) {
	if h.weightsDone {
		return h.weights, nil
	}
	cat, err := h.Store.Catalog()
	if err != nil {
		return nil, err
	}
	stamp := ""
	if e := cat.Datasets[WeightsDataset]; e.CurrentVersion() != nil {
		stamp = e.Current
	}
	if c := h.Shared; c != nil {
		c.mu.Lock() // held while the weights are made: one reads, the others wait
		defer c.mu.Unlock()
		if c.ok && c.model == h.Model && c.stamp == stamp {
			h.weights, h.weightsStamp, h.weightsDone = c.w, stamp, true
			return h.weights, nil
		}
	}
	var pop *Source
	if stamp != "" {
		rec, err := h.Store.ReadVersion(WeightsDataset, stamp)
		if err != nil {
			return nil, fmt.Errorf("harmonise: %w", err)
		}
		pop, err = ReadSource(WeightsDataset, rec)
		rec.Release()
		if err != nil {
			return nil, err
		}
	}
	h.weights, h.weightsStamp, h.weightsDone = SplitWeights(h.Model, pop), stamp, true
	if c := h.Shared; c != nil {
		c.model, c.stamp, c.w, c.ok = h.Model, stamp, h.weights, true
	}
	return h.weights, nil
}

// want is the Meta a current harmonised version of dataset must have.
func (h *Harmoniser) want(cat *store.Catalog, dataset string) (Meta, error) {
	if _, err := h.Weights(); err != nil {
		return Meta{}, err
	}
	e := cat.Datasets[dataset]
	if e.CurrentVersion() == nil {
		return Meta{}, fmt.Errorf("harmonise: dataset %s: no current version", dataset)
	}
	return Meta{Input: e.Current, Weights: h.weightsStamp, Target: h.target().Format("2006-01-02"), Code: CodeVersion}, nil
}

// Load returns the harmonised layer of dataset: the stored version when it
// was made from the dataset's current version (and the same weights,
// target and code), else the dataset harmonised anew and published first.
func (h *Harmoniser) Load(ctx context.Context, dataset string) (*Layer, error) {
	cat, err := h.Store.Catalog()
	if err != nil {
		return nil, err
	}
	want, err := h.want(cat, dataset)
	if err != nil {
		return nil, err
	}
	id := store.LayerID(store.HarmonisedLayer, dataset)
	if cat.Datasets[id].CurrentVersion() != nil {
		rec, err := h.Store.ReadVersion(id, "")
		if err == nil {
			l, err := ReadLayer(dataset, rec)
			rec.Release()
			if err == nil && l.Meta == want {
				return l, nil
			}
		}
		// Stale or unreadable: harmonised anew below.
	}
	l, _, err := h.publish(ctx, dataset, want)
	return l, err
}

// publish harmonises the current version of dataset and publishes it to
// the harmonised layer.
func (h *Harmoniser) publish(ctx context.Context, dataset string, want Meta) (*Layer, *store.Version, error) {
	rec, err := h.Store.ReadVersion(dataset, "")
	if err != nil {
		return nil, nil, fmt.Errorf("harmonise: %w", err)
	}
	src, err := ReadSource(dataset, rec)
	rec.Release()
	if err != nil {
		return nil, nil, err
	}
	l, err := harmoniseSource(src, h.Model, h.target(), h.weights, h.log())
	if err != nil {
		return nil, nil, err
	}
	l.Meta = want
	out, err := l.Record(memory.DefaultAllocator)
	if err != nil {
		return nil, nil, err
	}
	defer out.Release()
	cat, err := h.Store.Catalog()
	if err != nil {
		return nil, nil, err
	}
	src0 := cat.Datasets[dataset].CurrentVersion()
	meta := store.DatasetMeta{Source: src0.Source, Table: src0.Table, Title: src0.Title, Unit: src0.Unit,
		Updated: src0.SourceUpdated, Licence: src0.Licence, Attribution: src0.Attribution, Synthetic: src0.Synthetic,
		Keys: Keys(l.Dims)}
	v, err := h.Store.Publish(ctx, store.LayerID(store.HarmonisedLayer, dataset), out, meta)
	if err != nil {
		return nil, nil, fmt.Errorf("harmonise: %w", err)
	}
	return l, v, nil
}

// Result is what Run did.
type Result struct {
	Datasets  int // source datasets harmonised
	Published int // harmonised versions written (the rest unchanged)
	Warnings  int
}

// Views are the sources (DatasetMeta.Source) of the datasets that later
// steps make for readers from the harmonised layer (the offers step's
// tilbud and behov_tilbud, the planning step's tilbudsplanlegging): they
// are outputs, not inputs, and Run leaves them out.
var Views = []string{"offers", "planning"}

// Run harmonises the current version of every source dataset in the
// catalog (not the Views) and publishes each to the harmonised layer (an
// unchanged one is only checked, as Publish does).
func (h *Harmoniser) Run(ctx context.Context) (*Result, error) {
	cat, err := h.Store.Catalog()
	if err != nil {
		return nil, err
	}
	res := &Result{}
	for _, id := range slices.Sorted(maps.Keys(cat.Datasets)) {
		v := cat.Datasets[id].CurrentVersion()
		if layer, _ := store.LayerOf(id); layer != "" || v == nil || slices.Contains(Views, v.Source) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		want, err := h.want(cat, id)
		if err != nil {
			return nil, err
		}
		l, v, err := h.publish(ctx, id, want)
		if err != nil {
			return nil, err
		}
		res.Datasets++
		res.Warnings += l.Warnings
		if !v.Unchanged {
			res.Published++
		}
		h.log().Debug("dataset harmonised", "dataset", id, "cells", len(l.Cells)+len(l.Published))
	}
	return res, nil
}
