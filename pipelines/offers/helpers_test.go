package offers

import (
	"math"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/store"
)

func memoryAlloc() memory.Allocator { return memory.NewGoAllocator() }

// recordRows returns the rows of a builder record as column -> text, value
// "null" for a null value and status "" for a null status.
func recordRows(t *testing.T, rec arrow.Record) []map[string]string {
	t.Helper()
	out := make([]map[string]string, rec.NumRows())
	for i := range out {
		out[i] = map[string]string{}
	}
	for _, f := range rec.Schema().Fields() {
		if f.Name == "value" {
			v, err := store.FloatColumn(rec, "value")
			if err != nil {
				t.Fatal(err)
			}
			for i := range out {
				if x := v(i); math.IsNaN(x) {
					out[i]["value"] = "null"
				} else {
					out[i]["value"] = strconv.FormatFloat(x, 'g', -1, 64)
				}
			}
			continue
		}
		s, err := store.StringColumn(rec, f.Name)
		if err != nil {
			t.Fatal(err)
		}
		for i := range out {
			out[i][f.Name] = s(i)
		}
	}
	return out
}
