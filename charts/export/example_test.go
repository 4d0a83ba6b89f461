package export_test

import (
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/grunnlag/grunnlag/charts/export"
)

// The Norwegian CSV flavour of a small (synthetic) table: BOM, semicolons,
// decimal comma; a text that looks like a formula gets an apostrophe.
func ExampleWriteCSV() {
	s := export.Sheet{
		Columns: []export.Column{{Name: "region", Kind: export.Text}, {Name: "verdi", Kind: export.Number}},
		Rows:    [][]any{{"4001", 31.04}, {"=1+2", -4.2}},
	}
	var b strings.Builder
	if err := export.WriteCSV(&b, s, export.Norwegian); err != nil {
		fmt.Println(err)
	}
	fmt.Print(strings.NewReplacer("\ufeff", "<BOM>", "\r\n", "\n").Replace(b.String()))
	_ = export.WriteCSV(os.Stdout, s, export.Plain)
	// Output:
	// <BOM>region;verdi
	// 4001;31,04
	// '=1+2;-4,2
	// region,verdi
	// 4001,31.04
	// '=1+2,-4.2
}

// Rows streamed one at a time to CSV (a SYNTHETIC table): the row slice is
// reused, nothing is boxed; a missing number is an empty cell.
func ExampleCSVWriter() {
	cols := []export.Column{{Name: "region", Kind: export.Text}, {Name: "verdi", Kind: export.Number}, {Name: "rang", Kind: export.Integer}}
	cw, err := export.NewCSVWriter(os.Stdout, "eksempel", cols, export.Plain)
	if err != nil {
		fmt.Println(err)
		return
	}
	row := make([]export.Cell, 3)
	for i, v := range []float64{31.04, math.NaN()} {
		row[0], row[1], row[2] = export.TextCell(fmt.Sprint(4001+2*i)), export.FixedCell(v, 1), export.IntCell(int64(i+1))
		if err := cw.WriteRow(row); err != nil {
			fmt.Println(err)
		}
	}
	if err := cw.Close(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// region,verdi,rang
	// 4001,31.04,1
	// 4003,,2
}
