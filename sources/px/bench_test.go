package px_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/grunnlag/grunnlag/sources/px"
)

// syntheticLarge returns a synthetic PX file of rows × cols cells, every
// tenth of them "..".
func syntheticLarge(rows, cols int) []byte {
	var b bytes.Buffer
	b.WriteString("CHARSET=\"ANSI\";\nDECIMALS=1;\nSTUB=\"r\";\nHEADING=\"c\";\nVALUES(\"r\")=")
	for i := range rows {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "\"r%d\"", i)
	}
	b.WriteString(";\nVALUES(\"c\")=")
	for j := range cols {
		if j > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\"c%d\"", j)
	}
	b.WriteString(";\nDATA=\n")
	for i := range rows {
		for j := range cols {
			if (i*cols+j)%10 == 9 {
				b.WriteString(`".." `)
			} else {
				fmt.Fprintf(&b, "%d.%d ", i+j, j%10)
			}
		}
		b.WriteByte('\n')
	}
	b.WriteString(";\n")
	return b.Bytes()
}

// BenchmarkDecode decodes a synthetic 1000 × 1000 table (1 M cells).
func BenchmarkDecode(b *testing.B) {
	data := syntheticLarge(1000, 1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := px.Decode(bytes.NewReader(data), px.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "cells/s")
}
