package main

import (
	"bufio"
	"bytes"
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
	"github.com/grunnlag/grunnlag/sources/px"
)

func convertCommand() *command {
	return &command{
		name:  "convert",
		short: "gjør en JSON-stat- eller PX-fil om til Parquet eller CSV",
		run:   runConvert,
	}
}

func runConvert(ctx context.Context, e *env, args []string) int {
	var (
		out      string
		dataset  string
		lang     string
		maxCells int
	)
	fs := newFlagSet(e, "convert", "convert INNFIL --out UTFIL.parquet|UTFIL.csv [--dataset NAVN] [--lang SPRÅK]",
		"Leser en JSON-stat-fil (2.0-datasett, samling eller 1.x-bunt) eller en PC-Axis-fil (PX) og skriver\n"+
			"én tabell: for hver dimensjon en kode- og en etikettkolonne (<id>, <id>_label), så value og status.\n"+
			"Formatet følger endelsen på innfilen (.px, .json), ellers de første bytene; «-» er standard inn.\n"+
			"CSV er UTF-8, kommaseparert, med overskriftsrad; tomme celler er manglende verdier.")
	fs.StringVar(&out, "out", "", "utfil; formatet følger endelsen (.parquet eller .csv)")
	fs.StringVar(&dataset, "dataset", "", "i en samling eller bunt: hvilket datasett (navn, etikett eller nummer fra 0)")
	fs.StringVar(&lang, "lang", "", "i en PX-fil: språket for etikettene (et av LANGUAGES; standard er filens LANGUAGE)")
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

	var src io.Reader = e.stdin
	if in != "-" {
		f, err := os.Open(in)
		if err != nil {
			fmt.Fprintf(e.stderr, "grunnlag: convert: %v\n", err)
			return exitFailed
		}
		defer f.Close()
		src = f
	}
	r := bufio.NewReaderSize(src, 1<<20)
	isPX := inputIsPX(in, r)
	if lang != "" && !isPX {
		fmt.Fprintf(e.stderr, "grunnlag: convert: %s: --lang gjelder bare PX-filer\n", in)
		return exitUsage
	}
	var (
		all []*jsonstat.Dataset
		err error
	)
	if isPX {
		var ds *jsonstat.Dataset
		ds, err = px.Decode(r, px.Options{Name: in, Language: lang, MaxCells: maxCells})
		if err == nil {
			all = []*jsonstat.Dataset{ds}
		}
	} else {
		all, err = jsonstat.DecodeWith(r, jsonstat.Options{MaxCells: maxCells})
	}
	if err != nil {
		if isPX {
			fmt.Fprintf(e.stderr, "grunnlag: convert: %v\n", err) // a px error names the file
		} else {
			fmt.Fprintf(e.stderr, "grunnlag: convert: %s: %v\n", in, err)
		}
		if errors.Is(err, px.ErrLanguage) {
			return exitUsage
		}
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

// inputIsPX reports whether the input is a PC-Axis file: by its extension
// (.px, or .json/.jsonstat for JSON-stat), else by its first bytes after a
// byte order mark and white space: JSON starts with '{' or '[', a PX file
// with a keyword (an ASCII letter).
func inputIsPX(name string, r *bufio.Reader) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".px":
		return true
	case ".json", ".jsonstat":
		return false
	}
	head, _ := r.Peek(512)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) == 0 {
		return false
	}
	c := head[0]
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
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
