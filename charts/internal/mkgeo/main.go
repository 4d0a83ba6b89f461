// Command mkgeo simplifies a GeoJSON file of municipality boundaries for
// the bundled choropleth (charts/mapdata). It is run by hand when the
// boundaries change:
//
//	go run ./charts/internal/mkgeo -tol 0.01 -decimals 3 \
//	    Kommuner-S.geojson > charts/mapdata/kommuner-2024.geojson
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/grunnlag/grunnlag/charts"
)

func main() {
	tol := flag.Float64("tol", 0.01, "Douglas-Peucker tolerance in degrees of latitude")
	decimals := flag.Int("decimals", 3, "decimals kept in coordinates")
	prop := flag.String("code", "kommunenummer", "property holding the area code")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "bruk: mkgeo [-tol T] [-decimals N] FIL.geojson > ut.geojson")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkgeo:", err)
		os.Exit(1)
	}
	defer f.Close()
	m, err := charts.ParseGeoJSON(bufio.NewReader(f), *prop)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkgeo:", err)
		os.Exit(1)
	}
	s := m.Simplify(*tol)
	w := bufio.NewWriter(os.Stdout)
	if err := s.WriteGeoJSON(w, *prop, *decimals); err != nil {
		fmt.Fprintln(os.Stderr, "mkgeo:", err)
		os.Exit(1)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "mkgeo:", err)
		os.Exit(1)
	}
}
