package pxweb_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/grunnlag/grunnlag/sources/pxweb"
	"github.com/grunnlag/grunnlag/sources/pxweb/pxwebtest"
)

// Fetch the two latest years of the synthetic table SYN02 from a
// pxwebtest server standing in for data.ssb.no.
func ExampleClient_Fetch() {
	srv, err := pxwebtest.New("testdata/bundle", pxwebtest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	c := pxweb.New(ts.URL, pxweb.Options{Lang: "no", UserAgent: "example/1"})
	res, err := c.Fetch(context.Background(), "SYN02", pxweb.Selection{
		{Variable: "Naering", ValueCodes: []string{"*"}},
		{Variable: "Tid", ValueCodes: []string{"top(2)"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("requests:", res.Plan.Requests())
	for _, d := range res.Dataset.Dims {
		fmt.Println(d.ID, d.Codes)
	}
	fmt.Println(res.Dataset.Values)
	// Output:
	// requests: 1
	// Naering [A B]
	// Tid [2023 2024]
	// [11 12 21 22]
}

// Plan shows how a selection will be cut into requests without fetching
// data (for --dry-run).
func ExampleClient_Plan() {
	srv, err := pxwebtest.New("testdata/bundle", pxwebtest.Options{MaxDataCells: 100})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	c := pxweb.New(ts.URL, pxweb.Options{})
	p, err := c.Plan(context.Background(), "SYN01", pxweb.Selection{
		{Variable: "Region", ValueCodes: []string{"*"}},
		{Variable: "Kjonn", ValueCodes: []string{"*"}},
		{Variable: "ContentsCode", ValueCodes: []string{"*"}},
		{Variable: "Tid", ValueCodes: []string{"*"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(p)
	// Output:
	// table SYN01: 720 cells, max 100 per request, 8 requests
	//   Region: 12 values in 4 blocks
	//   Kjonn: 3 values in 1 blocks
	//   ContentsCode: 2 values in 1 blocks
	//   Tid: 10 values in 2 blocks
}

func ExampleSplit() {
	// Region 12, Kjonn 3, ContentsCode 2, Tid 10 (the time variable, index
	// 3) under 100 cells per request.
	b, err := pxweb.Split([]int{12, 3, 2, 10}, 100, 3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(b)
	// Output: [4 1 1 2]
}

// Search finds tables by their text, one page at a time, here in the
// synthetic bundle of a pxwebtest server.
func ExampleClient_Search() {
	srv, err := pxwebtest.New("testdata/bundle", pxwebtest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	c := pxweb.New(ts.URL, pxweb.Options{})
	res, err := c.Search(context.Background(), "sysselsatte", 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("page %d of %d, %d tables\n", res.Page.PageNumber, res.Page.TotalPages, res.Page.TotalElements)
	for _, t := range res.Tables {
		fmt.Println(t.ID, t.FirstPeriod, t.LastPeriod, t.Label)
	}
	// Output:
	// page 1 of 1, 1 tables
	// SYN02 2022 2024 Syntetisk tabell 2: sysselsatte etter næring og år. 2022-2024
}

// Describe lists a table's variables, what each may do in a selection,
// and its values.
func ExampleClient_Describe() {
	srv, err := pxwebtest.New("testdata/bundle", pxwebtest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	c := pxweb.New(ts.URL, pxweb.Options{})
	d, err := c.Describe(context.Background(), "SYN01")
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range d.Variables {
		fmt.Printf("%s: %d values, time %v, elimination %v, %d codelists, first %s unit %q\n",
			v.Code, len(v.Values), v.Time, v.Elimination, len(v.Codelists), v.Values[0].Code, v.Values[0].Unit)
	}
	// Output:
	// Region: 12 values, time false, elimination true, 2 codelists, first 5001 unit ""
	// Kjonn: 3 values, time false, elimination true, 0 codelists, first 0 unit ""
	// ContentsCode: 2 values, time false, elimination false, 0 codelists, first Personer unit "personer"
	// Tid: 10 values, time true, elimination false, 0 codelists, first 2015 unit ""
}
