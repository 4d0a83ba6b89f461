package jsonstat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// bigResponse generates a synthetic JSON-stat 2.0 response shaped like a
// PxWebApi answer: region(100) × age(100) × year(100) = 1e6 cells, values
// with one decimal, every 97th null, a sparse status object.
func bigResponse() []byte {
	var b bytes.Buffer
	b.WriteString(`{"version":"2.0","class":"dataset","label":"synthetic benchmark","source":"bench",` +
		`"id":["region","age","year"],"size":[100,100,100],"role":{"time":["year"],"geo":["region"]},"dimension":{`)
	for k, id := range []string{"region", "age", "year"} {
		if k > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%s":{"label":"%s","category":{"index":{`, id, id)
		for i := 0; i < 100; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"%s%03d":%d`, id[:1], i, i)
		}
		b.WriteString(`},"label":{`)
		for i := 0; i < 100; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"%s%03d":"%s label %d"`, id[:1], i, id, i)
		}
		b.WriteString(`}}}`)
	}
	b.WriteString(`},"value":[`)
	buf := make([]byte, 0, 32)
	for i := 0; i < 1e6; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		if i%97 == 0 {
			b.WriteString("null")
			continue
		}
		buf = strconv.AppendFloat(buf[:0], float64(i%100000)/10, 'f', -1, 64)
		b.Write(buf)
	}
	b.WriteString(`],"status":{`)
	for i := 0; i < 1e6; i += 1000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":"p"`, i+1)
	}
	b.WriteString(`}}`)
	return b.Bytes()
}

func BenchmarkDecode(b *testing.B) {
	data := bigResponse()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := DecodeDataset(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if d.Size() != 1e6 {
			b.Fatalf("Size() = %d, want 1e6", d.Size())
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)*1e6/sec, "cells/s")
	b.ReportMetric(float64(b.N)*float64(len(data))/1e6/sec, "MB/s")
}

// BenchmarkJSONValid is the peer figure for BenchmarkDecode: Go's
// json.Valid over the same bytes, a scan that checks the syntax and builds
// nothing. The goal is that decoding reaches half its MB/s.
func BenchmarkJSONValid(b *testing.B) {
	data := bigResponse()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !json.Valid(data) {
			b.Fatal("json.Valid: false")
		}
	}
	b.ReportMetric(float64(b.N)*float64(len(data))/1e6/b.Elapsed().Seconds(), "MB/s")
}

func BenchmarkRecord(b *testing.B) {
	d, err := DecodeDataset(bytes.NewReader(bigResponse()))
	if err != nil {
		b.Fatal(err)
	}
	mem := memory.NewGoAllocator()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec, err := d.Record(mem)
		if err != nil {
			b.Fatal(err)
		}
		rec.Release()
	}
	b.ReportMetric(float64(b.N)*float64(d.Size())/b.Elapsed().Seconds(), "cells/s")
}
