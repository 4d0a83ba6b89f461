package regions_test

import (
	"strings"
	"testing"
	"time"
)

func TestCodeOnDate(t *testing.T) {
	m := loadModel(t)
	d2024 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	d2019 := time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		at   time.Time
		want string
	}{
		// Telemark became county 40 in 2024 (DOMAIN.md §3.1); in 2019 the
		// old county 08 still existed.
		{"Telemark", d2024, "40"},
		{" telemark ", d2024, "40"},
		{"Skien", d2024, "4003"},
		{"Hele landet", d2024, "0"},
		// Oslo is both county 03 and municipality 0301: the county wins.
		{"Oslo", d2024, "03"},
		{"Trondheim", d2019, "5001"},
	} {
		got, err := m.CodeOnDate(tc.name, tc.at)
		if err != nil || got != tc.want {
			t.Errorf("CodeOnDate(%q, %s) = %q, %v; want %q", tc.name, tc.at.Format("2006-01-02"), got, err, tc.want)
		}
	}
	if _, err := m.CodeOnDate("Ukjent", d2024); err == nil {
		t.Error(`CodeOnDate("Ukjent") succeeded, want an error`)
	}
	if !m.Known("4003", d2024) || m.Known("4003", d2019) || !m.Known("0", d2019) {
		t.Error("Known: 4003 is valid from 2024 only; 0 always")
	}
}

// TestCodeOnDateAt: a level settles the names that are both a county and a
// municipality (Oslo: county 03, municipality 0301, KLASS 104 and 131).
func TestCodeOnDateAt(t *testing.T) {
	m := loadModel(t)
	d2024 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ name, level, want string }{
		{"Oslo", "", "03"},
		{"Oslo", "fylke", "03"},
		{"Oslo", "kommune", "0301"},
		{"Skien", "kommune", "4003"},
		{"Hele landet", "kommune", "0"},
	} {
		got, err := m.CodeOnDateAt(tc.name, tc.level, d2024)
		if err != nil || got != tc.want {
			t.Errorf("CodeOnDateAt(%q, %q) = %q, %v; want %q", tc.name, tc.level, got, err, tc.want)
		}
	}
	// Skien is a municipality, not a county: at level fylke it is unknown.
	if _, err := m.CodeOnDateAt("Skien", "fylke", d2024); err == nil || !strings.Contains(err.Error(), `no county is called "Skien"`) {
		t.Errorf(`CodeOnDateAt("Skien", "fylke") error = %v, want "no county is called"`, err)
	}
	if _, err := m.CodeOnDateAt("Oslo", "bydel", d2024); err == nil {
		t.Error(`CodeOnDateAt("Oslo", "bydel") succeeded, want an error for the level`)
	}
}
