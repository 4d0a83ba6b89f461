package book

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/export"
)

// renderJobs renders jobs with charts.RenderAll and hands every output to
// write as "<name>.<format>". The CSV of a chart is not taken from
// RenderAll: it is the chart's table with every text cell neutralised
// against formula injection (safeTable), because labels come from data
// and a label such as "=HYPERLINK(...)" must not become a formula in the
// spreadsheet a reader opens the CSV in.
func renderJobs(ctx context.Context, jobs []charts.Job, workers int, write func(rel string, data []byte) error) error {
	draw := make([]charts.Job, 0, len(jobs))
	var tables []charts.Job
	for _, j := range jobs {
		fs := j.Formats
		if fs == nil {
			fs = []charts.Format{charts.PNG, charts.SVG, charts.CSV}
		}
		var img []charts.Format
		for _, f := range fs {
			if f == charts.CSV {
				tables = append(tables, j)
			} else {
				img = append(img, f)
			}
		}
		if len(img) > 0 {
			j.Formats = img
			draw = append(draw, j)
		}
	}
	err := charts.RenderAll(ctx, draw, workers, func(name string, f charts.Format, data []byte) error {
		return write(name+"."+string(f), data)
	})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, j := range tables {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf.Reset()
		if err := safeTable(j.Chart.Table()).WriteCSV(&buf); err != nil {
			return fmt.Errorf("charts: %s: %w", j.Name, err)
		}
		if err := write(j.Name+".csv", bytes.Clone(buf.Bytes())); err != nil {
			return fmt.Errorf("charts: %s.csv: %w", j.Name, err)
		}
	}
	return nil
}

// safeTable returns a copy of t with every cell that is not a plain
// number passed through export.Neutralise (the exports' rule: a leading
// '=', '+', '-', '@', tab or CR gets an apostrophe). Numbers are left as
// they are, so "-4.2" stays a number.
func safeTable(t charts.Table) charts.Table {
	out := charts.Table{Header: make([]string, len(t.Header)), Rows: make([][]string, len(t.Rows))}
	for i, h := range t.Header {
		out.Header[i] = safeCell(h)
	}
	for i, r := range t.Rows {
		row := make([]string, len(r))
		for j, c := range r {
			row[j] = safeCell(c)
		}
		out.Rows[i] = row
	}
	return out
}

func safeCell(s string) string {
	if plainNumber(s) {
		return s
	}
	return export.Neutralise(s)
}

// plainNumber reports whether s is a finite decimal number as the charts
// write them ("-4.2", "1e-05"): digits, sign, '.', exponent, nothing else.
func plainNumber(s string) bool {
	if s == "" || strings.IndexFunc(s, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r == '-' || r == '+' || r == '.' || r == 'e' || r == 'E')
	}) >= 0 {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
