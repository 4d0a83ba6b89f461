package jsonstat_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
)

func Example() {
	const doc = `{
		"version": "2.0", "class": "dataset", "label": "Befolkning",
		"id": ["region", "tid"], "size": [2, 2],
		"role": {"geo": ["region"], "time": ["tid"]},
		"dimension": {
			"region": {"category": {"index": ["03", "46"], "label": {"03": "Oslo", "46": "Vestland"}}},
			"tid": {"category": {"index": {"2023": 0, "2024": 1}}}
		},
		"value": [709037, 717710, 651299, null],
		"status": {"3": ".."}
	}`
	d, err := jsonstat.DecodeDataset(strings.NewReader(doc))
	if err != nil {
		log.Fatal(err)
	}
	rec, err := d.Record(memory.NewGoAllocator())
	if err != nil {
		log.Fatal(err)
	}
	defer rec.Release()
	var names []string
	for _, f := range rec.Schema().Fields() {
		names = append(names, f.Name)
	}
	fmt.Println(strings.Join(names, " "))
	fmt.Println(rec.NumRows(), "rows; Vestland 2024 present:", d.Present[d.Index([]int{1, 1})])
	fmt.Println(rec.Column(4))
	// Output:
	// region region_label tid tid_label value status
	// 4 rows; Vestland 2024 present: false
	// [709037 717710 651299 (null)]
}
