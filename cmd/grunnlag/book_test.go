package main

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/build"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// publishSynthIndicators writes a SYNTHETIC indicator table (nation,
// county 40, municipality 4001; utdanning_hoyere_andel 2025) into kb.
// Porsgrunn 31.0 against the nation's 37.0: a gap of −6.0 points.
func publishSynthIndicators(t *testing.T, kb string) {
	t.Helper()
	st, err := store.Open(kb)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	row := func(region, label, level string, v float64, comp, compRegion string, cv float64) build.Row {
		r := build.Row{Indicator: "utdanning_hoyere_andel", Region: region, RegionLabel: label, RegionLevel: level, Period: "2025",
			Value: v, Unit: "prosent", Numerator: nan, Denominator: nan, ComparatorValue: nan, GapAbs: nan, GapIndex: nan,
			Z: nan, CILow: nan, CIHigh: nan, NUnits: 1, Comparator: comp, ComparatorRegion: compRegion}
		if comp != "" {
			r.ComparatorValue, r.GapAbs, r.GapIndex = cv, v-cv, v/cv*100
		}
		return r
	}
	rows := []build.Row{
		row("0", "Hele landet", "land", 37, "", "", 0),
		row("40", "Telemark", "fylke", 33, "national", "0", 37),
		row("4001", "Porsgrunn", "kommune", 31, "national", "0", 37),
		row("4001", "Porsgrunn", "kommune", 31, "county", "40", 33),
	}
	rec, err := build.Record(rows)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if _, err := st.PublishIndicators(context.Background(), rec, nil); err != nil {
		t.Fatal(err)
	}
}

func TestBookChartsExportCommands(t *testing.T) {
	cfg, kb := writeSmallConfig(t, "")
	// Before build: no indicator table.
	code, _, stderr := runCLI(t, "book", "--config", cfg, "-q")
	if code != exitFailed || !strings.Contains(stderr, "grunnlag build") {
		t.Errorf("book without indicators: exit %d, stderr %q; want exit 1 naming grunnlag build", code, stderr)
	}
	publishSynthIndicators(t, kb)
	kart := "--kart=../../charts/mapdata/kommuner-2024.geojson"
	code, stdout, stderr := runCLI(t, "book", "--config", cfg, kart, "-q")
	if code != exitOK {
		t.Fatalf("book: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// index + 3 regions + 1 indicator page.
	if !strings.Contains(stdout, "5 sider") {
		t.Errorf("book stdout = %q, want 5 sider", stdout)
	}
	page, err := os.ReadFile(filepath.Join(kb, "book", "region", "4001.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "6,0 prosentpoeng lavere enn landet") {
		t.Errorf("region/4001.html lacks the gap in words")
	}
	if _, err := os.Stat(filepath.Join(kb, "book", "fig", "i", "utdanning_hoyere_andel-kart.png")); err != nil {
		t.Errorf("book has no map: %v", err)
	}
	code, _, stderr = runCLI(t, "charts", "--config", cfg, kart, "-q", "--workers", "2")
	if code != exitOK {
		t.Fatalf("charts: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"kart.png", "kart.svg", "kart.csv", "kommune.png"} {
		if _, err := os.Stat(filepath.Join(kb, "charts", "utdanning_hoyere_andel", f)); err != nil {
			t.Errorf("charts did not write %s: %v", f, err)
		}
	}
	code, _, stderr = runCLI(t, "export", "--config", cfg, "-q")
	if code != exitOK {
		t.Fatalf("export: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"indikatorer.xlsx", "indikatorer.csv", "indikatorer-plain.csv"} {
		if _, err := os.Stat(filepath.Join(kb, "exports", f)); err != nil {
			t.Errorf("export did not write %s: %v", f, err)
		}
	}
	// English book.
	code, _, stderr = runCLI(t, "book", "--config", cfg, "--kart=", "--lang", "en", "-q")
	if code != exitOK {
		t.Fatalf("book --lang en: exit %d\n%s", code, stderr)
	}
	page, _ = os.ReadFile(filepath.Join(kb, "book", "region", "4001.html"))
	if !strings.Contains(string(page), "6.0 percentage points lower than the nation") {
		t.Errorf("English region page lacks the gap in words")
	}
}

func TestPublishCommandErrors(t *testing.T) {
	cfg, _ := writeSmallConfig(t, "")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"book", "--config", cfg, "--lang", "sv"}, exitUsage, "ukjent språk"},
		{[]string{"book", "--config", cfg, "extra"}, exitUsage, "Bruk: grunnlag book"},
		{[]string{"charts", "--config", filepath.Join(t.TempDir(), "nope.yaml")}, exitConfig, "nope.yaml"},
		{[]string{"book", "--config", cfg, "--kart", filepath.Join(t.TempDir(), "nope.geojson")}, exitConfig, "nope.geojson"},
		{[]string{"export", "--config", cfg, "--kart", "x"}, exitUsage, "flag provided but not defined"},
		{[]string{"export", "-h"}, exitOK, "ett ark per tema"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("grunnlag %v: exit %d, stderr %q; want exit %d containing %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}
