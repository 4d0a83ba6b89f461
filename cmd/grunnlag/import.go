package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/tabular"
)

const importAbout = `Leser en CSV- eller XLSX-fil (NAV, Udir, IMDi, SSB-eksport, Bedriftsundersøkelsen)
etter en mappingfil og skriver én ryddig tabell: region, region_label, period, for hver
dimensjon i mappingen <dim> og <dim>_label, så value og status. CSV er UTF-8,
kommaseparert, med overskriftsrad, som for «convert»; tomme celler er manglende verdier.

--mapping er en YAML-fil eller navnet på en medfølgende mapping:
  %s

Prikkede og manglende celler («*», «..», «:», «.», «-») får tomt value og symbolet i status,
aldri 0. Regionnavn (code: name) krever regionmodellen; uten den må filen ha regionkoder.`

// importCommand is `grunnlag import`. Region codes are not validated and
// region names cannot be resolved; see importCommandWith.
func importCommand() *command {
	return importCommandWith(nil)
}

// importCommandWith is `grunnlag import` with a regions model (an adapter
// over pipelines/regions) to validate codes and resolve names; nil skips.
func importCommandWith(regs tabular.Regions) *command {
	return &command{
		name:  "import",
		short: "les en CSV- eller XLSX-fil etter en mapping og skriv Parquet eller CSV",
		run: func(ctx context.Context, e *env, args []string) int {
			return runImport(ctx, e, args, regs)
		},
	}
}

func runImport(ctx context.Context, e *env, args []string, regs tabular.Regions) int {
	var (
		out, mapping, region, regionLabel, period, sheet string
		cfgPath                                          string
		list                                             bool
	)
	fs := newFlagSet(e, "import", "import FIL --mapping MAPPING.yaml|NAVN --out UTFIL.parquet|UTFIL.csv",
		fmt.Sprintf(importAbout, strings.Join(tabular.BuiltinNames(), "\n  ")))
	fs.StringVar(&out, "out", "", "utfil; formatet følger endelsen (.parquet eller .csv)")
	fs.StringVar(&mapping, "mapping", "", "mappingfil (YAML) eller navn på en medfølgende mapping")
	fs.StringVar(&region, "region", "", "regionkode for alle rader (for filer som ikke oppgir region)")
	fs.StringVar(&regionLabel, "region-label", "", "navn på regionen gitt med --region")
	fs.StringVar(&period, "period", "", "periode for alle rader (for filer som ikke oppgir periode), f.eks. 2021")
	fs.StringVar(&sheet, "sheet", "", "XLSX: arknavn (standard: mappingens, ellers det første)")
	fs.BoolVar(&list, "list", false, "vis de medfølgende mappingene og avslutt")
	fs.StringVar(&cfgPath, "config", "", "konfigurasjonsfil: regionmodellen i den (regions:) kontrollerer koder og slår opp regionnavn")
	pos, done, code := parseArgs(fs, args)
	if done {
		return code
	}
	if list {
		for _, n := range tabular.BuiltinNames() {
			m, err := tabular.Builtin(n)
			if err != nil {
				fmt.Fprintf(e.stderr, "grunnlag: import: %v\n", err)
				return exitFailed
			}
			fmt.Fprintf(e.stdout, "%s\t%s\n", n, m.Label)
		}
		return exitOK
	}
	// The input may stand before, between or after the flags.
	var in string
	if len(pos) > 0 {
		in, pos = pos[0], pos[1:]
	}
	if in == "" || out == "" || mapping == "" || len(pos) > 0 {
		fs.Usage()
		return exitUsage
	}
	ext := strings.ToLower(filepath.Ext(out))
	if ext != ".parquet" && ext != ".csv" {
		fmt.Fprintf(e.stderr, "grunnlag: import: %s: ukjent format %q (bruk .parquet eller .csv)\n", out, ext)
		return exitUsage
	}
	m, err := tabular.LoadMappingFile(mapping)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: import: %v\n", err)
		if n := tabular.BuiltinNames(); len(n) > 0 && !strings.ContainsAny(mapping, "/\\.") {
			fmt.Fprintf(e.stderr, "medfølgende mappinger: %s\n", strings.Join(n, ", "))
		}
		return exitConfig
	}
	if region != "" {
		m.Region = tabular.Region{Cell: tabular.Cell{Value: region, Label: regionLabel}}
	}
	if period != "" {
		m.Period = tabular.Period{Cell: tabular.Cell{Value: period}}
	}
	if sheet != "" {
		m.Sheet = sheet
	}
	if err := m.Validate(); err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: import: %v\n", err)
		return exitConfig
	}
	if regs == nil && cfgPath != "" {
		cfg, code := loadConfig(e, cfgPath)
		if cfg == nil {
			return code
		}
		model, _, err := pipelines.LoadRegions(ctx, cfg.Regions)
		if err != nil {
			fmt.Fprintf(e.stderr, "grunnlag: import: %v\n", err)
			return exitConfig
		}
		regs = model
	}
	ds, err := tabular.ParseFile(in, m, tabular.Options{Regions: regs})
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: import: %v\n", err)
		if regs == nil && errors.Is(err, tabular.ErrNoRegions) {
			fmt.Fprintln(e.stderr, "tips: filen oppgir regionnavn; gi --config med en regions-seksjon så slås navnene opp i regionmodellen")
		}
		return exitFailed
	}
	if err := ctx.Err(); err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: import: %v\n", err)
		return exitFailed
	}
	full, err := ds.Record(memory.DefaultAllocator)
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: import: %s: %v\n", in, err)
		return exitFailed
	}
	defer full.Release()
	rec := dropColumn(full, tabular.DimPeriod+"_label")
	defer rec.Release()
	err = store.WriteFileAtomic(out, func(w io.Writer) error {
		if ext == ".csv" {
			return store.WriteCSV(w, rec)
		}
		kv := map[string]string{
			"source":        ds.Source,
			"title":         ds.Label,
			"imported_from": filepath.Base(in),
			"mapping":       m.Name,
		}
		if len(ds.Note) > 0 {
			kv["notes"] = strings.Join(ds.Note, "\n")
		}
		if len(ds.Extension) > 0 {
			kv["extension"] = string(ds.Extension)
		}
		return store.WriteParquet(w, rec, kv)
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "grunnlag: import: %v\n", err)
		return exitFailed
	}
	for _, n := range ds.Note {
		fmt.Fprintf(e.stderr, "merk: %s\n", n)
	}
	fmt.Fprintf(e.stderr, "skrev %s: %d rader, %d kolonner\n", out, rec.NumRows(), rec.NumCols())
	return exitOK
}

// dropColumn returns rec without the named column (retained; the caller
// releases it), or rec itself retained when there is no such column.
func dropColumn(rec arrow.Record, name string) arrow.Record {
	idx := rec.Schema().FieldIndices(name)
	if len(idx) == 0 {
		rec.Retain()
		return rec
	}
	var fields []arrow.Field
	var cols []arrow.Array
	for i, f := range rec.Schema().Fields() {
		if i == idx[0] {
			continue
		}
		fields = append(fields, f)
		cols = append(cols, rec.Column(i))
	}
	md := rec.Schema().Metadata()
	return array.NewRecord(arrow.NewSchema(fields, &md), cols, rec.NumRows())
}
