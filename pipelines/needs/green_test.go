package needs

import (
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/harmonise"
)

// TestCrosswalkGreenTags: the shipped crosswalk tags elektro green (its
// SN2007 35 is a green division of indicators/gronn.csv) and nothing else;
// every area tagged green is argued and touches a division the
// green-industry definition lists; the tag is ja/nei only.
func TestCrosswalkGreenTags(t *testing.T) {
	cw, err := DefaultCrosswalk()
	if err != nil {
		t.Fatal(err)
	}
	def, err := indicators.DefaultGreenDefinition()
	if err != nil {
		t.Fatal(err)
	}
	var green []string
	for _, a := range cw.Areas {
		if !a.Green {
			continue
		}
		green = append(green, a.ID)
		touches := false
		for _, r := range a.SN {
			touches = touches || def.TouchesRange(r[0], r[1])
		}
		if !touches || a.GreenReason == "" {
			t.Errorf("area %s is green with SN2007 %v and reason %q: want a division of %s and a reason", a.ID, a.SN, a.GreenReason, indicators.GreenFile)
		}
	}
	if !slices.Equal(green, []string{"elektro"}) {
		t.Errorf("green areas = %v, want [elektro]", green)
	}
	for id, want := range map[string]string{"elektro": GreenYes, "bygg_anlegg": GreenNo, Unmapped: "", Total: "", "finnes_ikke": ""} {
		if got := cw.GreenTag(id); got != want {
			t.Errorf("GreenTag(%q) = %q, want %q", id, got, want)
		}
	}
	kw := strings.NewReader("nokkelord;omrade\n")
	head := "omrade;navn;nus_felt;utdanningsprogram;styrk08;sn2007;gronn;gronn_grunnlag\n"
	for _, tc := range []struct{ name, body, want string }{
		{"not ja/nei", head + "x;X;5;;7;35;kanskje;\n", `gronn "kanskje"`},
		{"ja without a reason", head + "x;X;5;;7;35;ja;\n", "gronn_grunnlag is empty"},
		{"one column short", head + "x;X;5;;7;35;ja\n", "wrong number of fields"},
	} {
		_, err := LoadCrosswalk(strings.NewReader(tc.body), kw)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LoadCrosswalk(%s) = %v, want an error with %q", tc.name, err, tc.want)
		}
		kw = strings.NewReader("nokkelord;omrade\n")
	}
	// A crosswalk without the columns (an earlier version) still reads,
	// with no area green.
	old, err := LoadCrosswalk(strings.NewReader("omrade;navn;nus_felt;utdanningsprogram;styrk08;sn2007\nx;X;5;;7;35\n"), strings.NewReader("nokkelord;omrade\n"))
	if err != nil || old.GreenTag("x") != GreenNo {
		t.Errorf("LoadCrosswalk(untagged) = %v, GreenTag(x) = %q; want read, nei", err, old.GreenTag("x"))
	}
}

// checkGreenDemo (from TestBuildDemo): in the demo's kompetansebehov and
// needs_vs_supply every row of the area elektro carries gronn=ja and
// every other area's nei; other views and the total carry ""; the demo has
// a published green need (a valid personer_vektet of elektro); and the
// build does not take gronn for a dimension (harmonise.ReadSource).
func checkGreenDemo(t *testing.T, needsRec, supplyRec arrow.Record) {
	t.Helper()
	view, cat, maal, tag := col(t, needsRec, "inndeling"), col(t, needsRec, "kategori"), col(t, needsRec, "maal"), col(t, needsRec, ColumnGreen)
	vals := needsRec.Column(needsRec.Schema().FieldIndices("value")[0]).(*array.Float64)
	greenNeeds := 0
	for i := range view {
		want := ""
		if view[i] == ViewArea {
			want = GreenNo
			if cat[i] == "elektro" {
				want = GreenYes
			}
			if cat[i] == Unmapped {
				want = ""
			}
		}
		if tag[i] != want {
			t.Fatalf("kompetansebehov row %d (%s %s %s): gronn %q, want %q", i, view[i], cat[i], maal[i], tag[i], want)
		}
		if tag[i] == GreenYes && maal[i] == "personer_vektet" && vals.IsValid(i) && vals.Value(i) > 0 {
			greenNeeds++
		}
	}
	if greenNeeds == 0 {
		t.Error("kompetansebehov: no published green need (elektro, personer_vektet > 0) in the demo")
	}
	area, stag := col(t, supplyRec, "kompetanseomrade"), col(t, supplyRec, ColumnGreen)
	for i := range area {
		want := GreenNo
		switch area[i] {
		case "elektro":
			want = GreenYes
		case Total, Unmapped:
			want = ""
		}
		if stag[i] != want {
			t.Fatalf("needs_vs_supply row %d (%s): gronn %q, want %q", i, area[i], stag[i], want)
		}
	}
	for id, rec := range map[string]arrow.Record{DatasetNeeds: needsRec, DatasetSupply: supplyRec} {
		src, err := harmonise.ReadSource(id, rec)
		if err != nil {
			t.Fatalf("harmonise.ReadSource(%s) = %v", id, err)
		}
		if slices.Contains(src.Dims, ColumnGreen) {
			t.Errorf("harmonise.ReadSource(%s).Dims = %v: gronn is an attribute, not a dimension", id, src.Dims)
		}
	}
}
