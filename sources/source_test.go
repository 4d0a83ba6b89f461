package sources

import (
	"testing"
)

type kindOnly string

func (k kindOnly) Kind() string                   { return string(k) }
func (kindOnly) New(Env, Section) (Source, error) { return nil, nil }
func (kindOnly) Query(DatasetSpec) (Query, error) { return nil, nil }

func TestNewRegistry(t *testing.T) {
	tests := []struct {
		name string
		fs   []Factory
		ok   bool
	}{
		{"two kinds", []Factory{kindOnly("a"), kindOnly("b")}, true},
		{"none", nil, true},
		{"duplicate", []Factory{kindOnly("a"), kindOnly("b"), kindOnly("a")}, false},
		{"empty kind", []Factory{kindOnly("")}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewRegistry(tc.fs...)
			if (err == nil) != tc.ok {
				t.Fatalf("NewRegistry = %v, want ok %v", err, tc.ok)
			}
			if err != nil {
				return
			}
			for _, f := range tc.fs {
				if got, ok := r.Lookup(f.Kind()); !ok || got != f {
					t.Errorf("Lookup(%q) = %v, %v", f.Kind(), got, ok)
				}
			}
			if _, ok := r.Lookup("zz"); ok {
				t.Error("Lookup(zz) found a kind never registered")
			}
		})
	}
}
