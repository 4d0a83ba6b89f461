// Package mapdata holds the municipality boundaries the choropleth maps are
// drawn on, embedded in the binary so a book can be made from any working
// directory: the 357 municipalities of 2024, simplified from Kartverket's
// data (CC BY 4.0) as PROVENANCE.md beside this file describes. Features
// carry the property "kommunenummer" (four digits, as a string).
package mapdata

import _ "embed"

// Kommuner2024 is the GeoJSON FeatureCollection of the 2024 municipalities.
//
//go:embed kommuner-2024.geojson
var Kommuner2024 []byte
