package all

import (
	"slices"
	"testing"
)

func TestNew(t *testing.T) {
	got := New().Kinds()
	// The kinds of the demo config (testdata/demo/grunnlag.yaml).
	want := []string{"dbh", "nav", "pxweb", "udir"}
	if !slices.Equal(got, want) {
		t.Errorf("Kinds() = %v, want %v", got, want)
	}
}
