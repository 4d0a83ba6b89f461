package pxweb_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/grunnlag/grunnlag/sources/pxweb"
	"github.com/grunnlag/grunnlag/sources/pxweb/pxwebtest"
)

// BenchmarkFetch fetches the whole synthetic SYN01 (720 cells) in 8
// chunks of at most 100 cells, in-process (no socket, no rate limit).
func BenchmarkFetch(b *testing.B) {
	srv, err := pxwebtest.New(bundle, pxwebtest.Options{MaxDataCells: 100, MaxCalls: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Transport: srv.Transport()}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		c := pxweb.New("http://px.test", pxweb.Options{HTTP: hc})
		if _, err := c.Fetch(ctx, "SYN01", allSYN01()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(720*b.N)/b.Elapsed().Seconds(), "cells/s")
}
