package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

func convertCommand() *command {
	return &command{
		name:  "convert",
		short: "gjør en JSON-stat-fil om til Parquet eller CSV",
		run:   runConvert,
	}
}

func runConvert(ctx context.Context, e *env, args []string) int {
	var (
		out      string
		dataset  string
		maxCells int
	)
	fs := newFlagSet(e, "convert", "convert INNFIL --out UTFIL.parquet|UTFIL.csv [--dataset NAVN]",
		"Leser en JSON-stat-fil (2.0-datasett, samling eller 1.x-bunt; «-» er standard inn) og skriver én\n"+
			"tabell: for hver dimensjon en kode- og en etikettkolonne (<id>, <id>_label), så value og status.\n"+
			"CSV er UTF-8, kommaseparert, med overskriftsrad; tomme celler er manglende verdier.")
	fs.StringVar(&out, "out", "", "utfil; formatet følger endelsen (.parquet eller .csv)")
	fs.StringVar(&dataset, "dataset", "", "i en samling eller bunt: hvilket datasett (navn, etikett eller nummer fra 0)")
	fs.IntVar(&maxCells, "max-cells", jsonstat.DefaultMaxCells, "største antall celler filen kan ha (alle datasett til sammen); en kube holdes tett i minnet, så en liten fil med glisne verdier kan kreve mye minne")
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	// The input may stand before, between or after the flags.
	var in string
	if len(pos) > 0 {
		in, pos = pos[0], pos[1:]
	}
	if in == "" || out == "" || len(pos) > 0 {
		fs.Usage()
		return exitUsage
	}
	ext := strings.ToLower(filepath.Ext(out))
	if ext != ".parquet" && ext != ".csv" {
		fmt.Fprintf(e.stderr, "grunnlag: convert: %s: ukjent format %q (bruk .parquet eller .csv)\n", out, ext)
		return exitUsage
	}

	var r io.Reader = e.stdin
	if in != "-" {
		f, err := os.Open(in)
		if err != nil {
			fmt.Fprintf(e.stderr, "grunnlag: convert: %v\n", err)
			return exitFailed
		}
		defer f.Close()
		r = bufio.NewReaderSize(f, 1<<20)
	}
	all, err := jsonstat.DecodeWith(r, jsonstat.Options{MaxCells: maxCells})
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: convert: %s: %v\n", in, err)
		if errors.Is(err, jsonstat.ErrTooManyCells) {
			fmt.Fprintf(e.stderr, "grunnlag: convert: filen er ikke lest inn; hev grensen med --max-cells hvis den er ment så stor (hver celle koster om lag 40 byte minne)\n")
		}
		return exitFailed
	}
	ds, err := pickDataset(all, dataset)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: convert: %s: %v\n", in, err)
		return exitUsage
	}
	rec, err := ds.Record(memory.DefaultAllocator)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: convert: %s: %v\n", in, err)
		return exitFailed
	}
	defer rec.Release()
	err = store.WriteFileAtomic(out, func(w io.Writer) error {
		if ext == ".csv" {
			return store.WriteCSV(w, rec)
		}
		kv := map[string]string{
			"source":         ds.Source,
			"title":          ds.Label,
			"updated":        ds.Updated,
			"converted_from": filepath.Base(in),
		}
		return store.WriteParquet(w, rec, kv)
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: convert: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(e.stderr, "skrev %s: %d rader, %d kolonner\n", out, rec.NumRows(), rec.NumCols())
	return exitOK
}

// pickDataset chooses one dataset of a file: the only one, or the one named.
func pickDataset(all []*jsonstat.Dataset, want string) (*jsonstat.Dataset, error) {
	if len(all) == 0 {
		return nil, fmt.Errorf("filen har ingen datasett")
	}
	if want == "" {
		if len(all) == 1 {
			return all[0], nil
		}
		var names []string
		for i, d := range all {
			names = append(names, fmt.Sprintf("%d: %s", i, firstNonEmpty(d.Name, d.Label)))
		}
		return nil, fmt.Errorf("filen har %d datasett; velg ett med --dataset (%s)", len(all), strings.Join(names, "; "))
	}
	for i, d := range all {
		if d.Name == want || d.Label == want || fmt.Sprint(i) == want {
			return d, nil
		}
	}
	return nil, fmt.Errorf("fant ikke datasettet %q", want)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func versionCommand() *command {
	return &command{
		name:  "version",
		short: "vis versjon",
		run: func(ctx context.Context, e *env, args []string) int {
			fs := newFlagSet(e, "version", "version", "Viser versjonen til grunnlag.")
			pos, done, code := parseArgs(fs, args)
			if done {
				return code
			}
			if len(pos) > 0 {
				fs.Usage()
				return exitUsage
			}
			fmt.Fprintln(e.stdout, "grunnlag", version)
			return exitOK
		},
	}
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"
