package publish

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/offers"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// TestGreenLists: from a behov_tilbud built by pipelines/offers on
// SYNTHETIC needs and offers, the book lists Telemark's green need
// (elektro, 12 persons; not its ikt need) and the green offer matched to
// it, a suppressed green need in Skien without a number, and under
// Notodden (4005) a green offer there that matches no need; the lists go
// under the theme «Grønn omstilling».
func TestGreenLists(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	str := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	names := []string{"periode", "region", "region_label", "region_level", "kompetanseomrade", "kompetanseomrade_label", "maal", needs.ColumnGreen}
	var fields []arrow.Field
	for _, n := range names {
		fields = append(fields, arrow.Field{Name: n, Type: str})
	}
	fields = append(fields, arrow.Field{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true}, arrow.Field{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true})
	b := array.NewRecordBuilder(memory.NewGoAllocator(), arrow.NewSchema(fields, nil))
	defer b.Release()
	for _, r := range []struct {
		cols   []string
		v      float64
		status string
	}{
		{[]string{"2024", "40", "Telemark", "fylke", "elektro", "Elektro og datateknologi", "behov_personer_vektet", "ja"}, 12, ""},
		{[]string{"2024", "40", "Telemark", "fylke", "ikt", "IKT og medieproduksjon", "behov_personer_vektet", "nei"}, 9, ""},
		{[]string{"2024", "4003", "Skien", "kommune", "elektro", "Elektro og datateknologi", "behov_personer_vektet", "ja"}, math.NaN(), ":"},
	} {
		for i, c := range r.cols {
			_ = b.Field(i).(*array.BinaryDictionaryBuilder).AppendString(c)
		}
		if math.IsNaN(r.v) {
			b.Field(len(names)).AppendNull()
		} else {
			b.Field(len(names)).(*array.Float64Builder).Append(r.v)
		}
		if r.status == "" {
			b.Field(len(names) + 1).AppendNull()
		} else {
			b.Field(len(names) + 1).(*array.StringBuilder).Append(r.status)
		}
	}
	rec := b.NewRecord()
	defer rec.Release()
	if _, err := st.Publish(ctx, needs.DatasetSupply, rec, store.DatasetMeta{Source: "survey", Title: "test (syntetisk)", Synthetic: true,
		Keys: []string{"periode", "region", "kompetanseomrade", "maal"}, Extra: map[string]string{needs.AttributesKey: needs.ColumnGreen}}); err != nil {
		t.Fatal(err)
	}
	catalog := "tilbyder;orgnr;tittel;type;niva;kompetanseomrade;naering;kommunenr;form;kapasitet\n" +
		"Demo (syntetisk);999000118;Elektro Skien;fagskole;fagskole;elektro;;4003;stedbasert;20\n" +
		"Demo (syntetisk);999000851;Vannrensing Notodden;amo;kurs;;36;4005;stedbasert;\n" +
		"Demo (syntetisk);999000487;IKT Skien;uh;hoyere;ikt;;4003;stedbasert;30\n"
	file := filepath.Join(t.TempDir(), "tilbud.csv")
	if err := os.WriteFile(file, []byte(catalog), 0o644); err != nil {
		t.Fatal(err)
	}
	cw, err := needs.DefaultCrosswalk()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := offers.Build(ctx, st, offers.Options{File: file, ErrorBudget: -1, Synthetic: true, Crosswalk: cw}); err != nil {
		t.Fatal(err)
	}
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	lists, synth, err := (&Publisher{Store: st}).greenLists(cat)
	if err != nil || lists == nil || !synth || lists.Theme != indicators.ThemeGreen {
		t.Fatalf("greenLists = %+v, synthetic %v, %v; want lists under %s, synthetic", lists, synth, err, indicators.ThemeGreen)
	}
	if n := lists.Needs["40"]; len(n) != 1 || n[0].Area != "Elektro og datateknologi" || n[0].Persons != 12 || n[0].Period != "2024" {
		t.Errorf("Telemark's green needs = %+v, want elektro 12 (2024) only", n)
	}
	if n := lists.Needs["4003"]; len(n) != 1 || !n[0].Suppressed || !math.IsNaN(n[0].Persons) {
		t.Errorf("Skien's green needs = %+v, want the suppressed elektro need without persons", n)
	}
	if o := lists.Offers["40"]; len(o) != 1 || o[0].Title != "Elektro Skien" || o[0].Capacity != 20 || o[0].Place != "4003" {
		t.Errorf("Telemark's green offers = %+v, want Elektro Skien (4003), 20 places", o)
	}
	if o := lists.Offers["4005"]; len(o) != 1 || o[0].Title != "Vannrensing Notodden" || o[0].Capacity != -1 {
		t.Errorf("Notodden's green offers = %+v, want Vannrensing Notodden (SN2007 36, derived green), capacity unknown", o)
	}
}
