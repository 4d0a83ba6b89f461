package book_test

import (
	"fmt"

	"github.com/grunnlag/grunnlag/charts"
	"github.com/grunnlag/grunnlag/charts/book"
)

func ExampleGapWords() {
	fmt.Println(book.GapWords(-4.2, "prosent", 1, "landet", charts.Bokmal))
	fmt.Println(book.GapWords(0.123, "forhold", 2, "Telemark", charts.Bokmal))
	fmt.Println(book.GapWords(0.01, "prosent", 1, "landet", charts.Bokmal))
	fmt.Println(book.GapWords(-4.2, "prosent", 1, "the nation", charts.English))
	// Output:
	// 4,2 prosentpoeng lavere enn landet
	// 0,12 høyere enn Telemark
	// på nivå med landet
	// 4.2 percentage points lower than the nation
}
