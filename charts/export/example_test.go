package export_test

import (
	"fmt"
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
