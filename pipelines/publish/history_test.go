package publish

import (
	"context"
	"slices"
	"testing"

	"github.com/grunnlag/grunnlag/charts/book"
	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
)

// TestValidityAndHistory: on the demo's region model (KLASS 104/131
// answers), 40 Telemark is valid from 2024, 38 Vestfold og Telemark
// 2020–2023, and 40's page takes over the history of 38 and 08 (Telemark
// until 2019), as published under those codes; 50 Trøndelag takes over
// none of them.
func TestValidityAndHistory(t *testing.T) {
	cfg, err := config.Load("../../testdata/demo/grunnlag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	model, _, err := pipelines.LoadRegions(context.Background(), cfg.Regions)
	if err != nil {
		t.Fatal(err)
	}
	var rows []book.Row
	for _, c := range []string{"40", "38", "08", "50", "5001"} {
		rows = append(rows, book.Row{Region: c})
	}
	v := Validity(model, rows)
	if v["40"] != (book.Validity{From: 2024}) || v["38"] != (book.Validity{From: 2020, To: 2023}) {
		t.Errorf("validity 40 = %+v, 38 = %+v; want from 2024, 2020–2023", v["40"], v["38"])
	}
	if v["08"].To != 2019 {
		t.Errorf("validity 08 = %+v, want until 2019", v["08"])
	}
	h := History(model, rows)
	if !slices.Equal(h["40"], []string{"08", "38"}) || len(h["50"]) != 0 {
		t.Errorf("history 40 = %v, 50 = %v; want [08 38], []", h["40"], h["50"])
	}
}
