package charts

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
)

// TestBundledMap checks the simplified boundaries against the facts in
// charts/mapdata/PROVENANCE.md: 357 municipalities, named codes present.
func TestBundledMap(t *testing.T) {
	m := testMap(t)
	if len(m.Features) != 357 {
		t.Fatalf("ParseGeoJSON(kommuner-2024) has %d features, want 357", len(m.Features))
	}
	for code, name := range map[string]string{"0301": "Oslo", "4001": "Porsgrunn", "5001": "Trondheim - Tråante", "5501": "Tromsø", "3101": "Halden"} {
		f, ok := m.Feature(code)
		if !ok || f.Name != name {
			t.Errorf("Feature(%s) = %v, want %s", code, f, name)
		}
		if ok && len(f.Polygons) == 0 {
			t.Errorf("Feature(%s) has no polygons", code)
		}
	}
	min, max := m.Bounds()
	// Norway's mainland lies within about 4–32°E, 57.9–71.2°N.
	if min.X < 4 || max.X > 32 || min.Y < 57.5 || max.Y > 71.5 {
		t.Errorf("Bounds() = %v, %v, want inside 4–32°E, 57.5–71.5°N", min, max)
	}
}

func TestParseGeoJSON(t *testing.T) {
	ring := `[[10,60],[11,60],[11,61],[10,61],[10,60]]`
	tests := []struct {
		name    string
		in      string
		codes   []string
		wantErr string
	}{
		{"polygon and integer code", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kommunenummer":301,"navn":"Oslo"},"geometry":{"type":"Polygon","coordinates":[` + ring + `]}}]}`, []string{"0301"}, ""},
		{"multipolygon sorted", `{"type":"FeatureCollection","features":[
			{"type":"Feature","properties":{"kommunenummer":"5001"},"geometry":{"type":"MultiPolygon","coordinates":[[` + ring + `],[` + ring + `]]}},
			{"type":"Feature","properties":{"kommunenummer":"4001"},"geometry":{"type":"Polygon","coordinates":[` + ring + `]}}]}`, []string{"4001", "5001"}, ""},
		{"no geometry skipped", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kommunenummer":"1"},"geometry":null}]}`, nil, ""},
		{"not a collection", `{"type":"Feature"}`, nil, "want FeatureCollection"},
		{"short ring", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kommunenummer":"1"},"geometry":{"type":"Polygon","coordinates":[[[1,1],[2,2],[1,1]]]}}]}`, nil, "feature 0 (1): ring of 3 points"},
		{"duplicate", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kommunenummer":"1"},"geometry":null},{"type":"Feature","properties":{"kommunenummer":"1"},"geometry":null}]}`, nil, "feature 1 (1): duplicate code"},
		{"out of range", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kommunenummer":"1"},"geometry":{"type":"Polygon","coordinates":[[[200,1],[2,2],[3,3],[200,1]]]}}]}`, nil, "out of range"},
		{"point", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kommunenummer":"1"},"geometry":{"type":"Point","coordinates":[1,2]}}]}`, nil, "geometry type \"Point\""},
		{"no code", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}`, nil, "no property"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseGeoJSON(strings.NewReader(tt.in), "kommunenummer")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseGeoJSON() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range m.Features {
				got = append(got, f.Code)
			}
			if strings.Join(got, ",") != strings.Join(tt.codes, ",") {
				t.Errorf("ParseGeoJSON() codes = %v, want %v", got, tt.codes)
			}
		})
	}
	var ge *GeoError
	_, err := ParseGeoJSON(strings.NewReader(tests[5].in), "kommunenummer")
	if !errors.As(err, &ge) || ge.Feature != 1 || ge.Code != "1" {
		t.Errorf("ParseGeoJSON(duplicate) error = %#v, want *GeoError{Feature: 1, Code: 1}", err)
	}
}

func TestSimplifyRing(t *testing.T) {
	// A square with a point 0.001 off the middle of its bottom edge: with
	// tolerance 0.01 the bump goes, with 0.0001 it stays (distance by hand:
	// 0.001 from the chord (0,0)-(1,0)).
	ring := []Point{{0, 0}, {0.5, -0.001}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	if got := SimplifyRing(ring, 0.01, 1); len(got) != 5 {
		t.Errorf("SimplifyRing(tol 0.01) = %v, want 5 points (bump removed)", got)
	}
	if got := SimplifyRing(ring, 0.0001, 1); len(got) != 6 {
		t.Errorf("SimplifyRing(tol 0.0001) = %v, want all 6 points", got)
	}
	got := SimplifyRing(ring, 0.01, 1)
	if got[0] != got[len(got)-1] {
		t.Errorf("SimplifyRing() = %v, not closed", got)
	}
}

// TestSimplifyKeepsEveryArea: simplifying the bundled map very hard still
// leaves every municipality with a polygon, and round-trips through
// WriteGeoJSON.
func TestSimplifyKeepsEveryArea(t *testing.T) {
	s := testMap(t).Simplify(0.2)
	for _, f := range s.Features {
		if len(f.Polygons) == 0 || len(f.Polygons[0][0]) < 4 {
			t.Fatalf("Simplify(0.2): %s lost its area", f.Code)
		}
	}
	var buf bytes.Buffer
	if err := s.WriteGeoJSON(&buf, "kommunenummer", 3); err != nil {
		t.Fatal(err)
	}
	back, err := ParseGeoJSON(&buf, "kommunenummer")
	if err != nil {
		t.Fatalf("ParseGeoJSON(WriteGeoJSON()) error: %v", err)
	}
	if len(back.Features) != 357 {
		t.Errorf("round trip has %d features, want 357", len(back.Features))
	}
	p := back.Features[0].Polygons[0][0][0]
	if math.Abs(p.X*1000-math.Round(p.X*1000)) > 1e-6 {
		t.Errorf("WriteGeoJSON(decimals 3) wrote %v", p.X)
	}
}

func FuzzParseGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kommunenummer":"0301"},"geometry":{"type":"Polygon","coordinates":[[[10,60],[11,60],[11,61],[10,60]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kommunenummer":5},"geometry":{"type":"MultiPolygon","coordinates":[]}}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseGeoJSON(bytes.NewReader(data), "kommunenummer")
		if err != nil {
			return
		}
		for _, ft := range m.Features {
			for _, poly := range ft.Polygons {
				for _, ring := range poly {
					if len(ring) < 4 {
						t.Fatalf("accepted a ring of %d points", len(ring))
					}
				}
			}
		}
		_ = m.Simplify(0.01)
	})
}
