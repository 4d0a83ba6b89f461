package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

func TestPublishIndicators(t *testing.T) {
	now := time.Date(2026, 1, 15, 8, 15, 0, 0, time.UTC)
	s, err := Open(t.TempDir(), WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema([]arrow.Field{
		{Name: "indicator", Type: arrow.BinaryTypes.String}, {Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil))
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"a", "b"}, nil)
	b.Field(1).(*array.Float64Builder).AppendValues([]float64{31.04, 0}, []bool{true, false})
	rec := b.NewRecord()
	defer rec.Release()
	v, err := s.PublishIndicators(context.Background(), rec, map[string]string{"k": "v"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "indicators/version=20260115T081500Z/indicators.parquet"; v.Path != want || v.Rows != 2 {
		t.Errorf("PublishIndicators = %s, %d rows; want %s, 2", v.Path, v.Rows, want)
	}
	if _, err := os.Stat(filepath.Join(s.Root(), filepath.FromSlash(v.Path))); err != nil {
		t.Error(err)
	}
	again, err := s.PublishIndicators(context.Background(), rec, map[string]string{"k": "v"})
	if err != nil || !again.Unchanged || again.Stamp != v.Stamp {
		t.Errorf("second PublishIndicators = %+v, %v; want Unchanged %s", again, err, v.Stamp)
	}
	back, err := s.ReadIndicators("")
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	if back.NumRows() != 2 || back.Column(1).IsValid(1) {
		t.Errorf("ReadIndicators: %d rows, value[1] valid %v; want 2 rows, null", back.NumRows(), back.Column(1).IsValid(1))
	}
	// Prune leaves the indicator table alone.
	if _, err := s.Prune(1); err != nil {
		t.Errorf("Prune = %v", err)
	}
}
