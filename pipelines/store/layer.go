package store

import (
	"path/filepath"
	"strings"
)

// HarmonisedLayer is the ID prefix of the harmonised layer: the dataset
// "befolkning" harmonised to today's regions is published as
// "harmonised/befolkning" and stored under
// <kb>/harmonised/befolkning/version=<stamp>/part-0.parquet, versioned,
// atomic and in the catalog like every dataset (see docs/knowledge-base.md).
const HarmonisedLayer = "harmonised/"

// LayerID returns the ID of dataset in layer (e.g. HarmonisedLayer).
func LayerID(layer, dataset string) string { return layer + dataset }

// LayerOf splits a dataset ID into its layer prefix ("" for a source
// dataset under <kb>/datasets) and its dataset name.
func LayerOf(id string) (layer, dataset string) {
	if rest, ok := strings.CutPrefix(id, HarmonisedLayer); ok {
		return HarmonisedLayer, rest
	}
	return "", id
}

// validID reports whether id is usable as a dataset ID: a valid name,
// optionally behind a layer prefix.
func validID(id string) bool {
	_, name := LayerOf(id)
	return validName(name)
}

// layerDir returns the folder of a layer under the kb root: "datasets" for
// source datasets, "harmonised" for the harmonised layer.
func layerDir(layer string) string {
	if layer == "" {
		return "datasets"
	}
	return strings.TrimSuffix(layer, "/")
}

func (s *Store) datasetDir(id string) string {
	layer, name := LayerOf(id)
	return filepath.Join(s.root, layerDir(layer), name)
}
