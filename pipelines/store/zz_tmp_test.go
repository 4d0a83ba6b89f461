package store

import (
	"bytes"
	"math/rand"
	"os"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

func TestZZHang(t *testing.T) {
	rec := makeRecord(t, baseCells)
	var buf bytes.Buffer
	if err := WriteParquet(&buf, rec, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	seed := buf.Bytes()
	rng := rand.New(rand.NewSource(1))
	for iter := 0; iter < 20000; iter++ {
		d := append([]byte(nil), seed...)
		for k := 0; k < 1+rng.Intn(4); k++ {
			d[rng.Intn(len(d))] = byte(rng.Intn(256))
		}
		done := make(chan struct{})
		go func() {
			r, err := ReadParquet(bytes.NewReader(d), int64(len(d)), memory.DefaultAllocator)
			if err == nil {
				r.Release()
			}
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			os.WriteFile("/tmp/hang.parquet", d, 0o644)
			t.Fatalf("hang at iter %d", iter)
		}
	}
}
