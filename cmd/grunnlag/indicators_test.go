package main

import (
	"bytes"
	"context"
	"github.com/grunnlag/grunnlag/indicators"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestIndicatorsCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"list", []string{"indicators", "list"}, exitOK, []string{"id\ttitle\tunit\tlevels\tdatasets\ttheme\n", "\nutdanning_hoyere_andel\tHøyere utdanning (universitet og høgskole)\tprosent\t", "\nbedrifter_behov_andel\t",
			// The theme «Grønn omstilling» (issue «Needs meet offers») and its indicator.
			"\tsysselsatte_naering\tGrønn omstilling\n", "\nsysselsatte_gronn_andel\tSysselsatte i grønne næringer"}},
		{"list en", []string{"indicators", "list", "--lang", "en"}, exitOK, []string{"\nutdanning_hoyere_andel\tHigher education (university and college)\t"}},
		{"show", []string{"indicators", "show", "utdanning_hoyere_andel", "--config", "../../testdata/demo/grunnlag.yaml"}, exitOK,
			[]string{"Formel:", "sum{personer 16+ med nivå 03a+04a}", "utdanningsniva", "Nivaa=03a+04a, Kjonn=0, ContentsCode=Personer", "Status:          beregnes med",
				"Desimaler:       1\n", "Tema:            Utdanning\n"}},
		// The demo config has every input but the company-needs survey's
		// (published from its needs section, not a dataset).
		{"show skipped", []string{"indicators", "show", "bedrifter_behov_andel", "--config", "../../testdata/demo/grunnlag.yaml"}, exitOK,
			[]string{"hoppes over med ../../testdata/demo/grunnlag.yaml: mangler datasett kompetansebehov"}},
		{"show computed", []string{"indicators", "show", "unge_utenfor_andel", "--config", "../../testdata/demo/grunnlag.yaml"}, exitOK,
			[]string{"HovArbStyrkStatus=NEET, Alder=15-29, ContentsCode=Bosatte", "Status:          beregnes med"}},
		{"show green", []string{"indicators", "show", "sysselsatte_gronn_andel"}, exitOK, []string{"Tema:            Grønn omstilling\n",
			"NACE2007=gruppene der hver SN2007-næring er grønn i gronn.csv (næringer 35 36 37 38 39 02), summert", "Forbehold:       13470 har bare 16 næringsgrupper"}},
		{"show en", []string{"indicators", "show", "stramhet_naering", "--lang", "en"}, exitOK, []string{"Formula:         shortage_ri / employed_ri * 100", "Basis:           survey",
			"Theme:           Labour demand and skills needs\n", "nav_mangel_naering           numerator", "Status:          unknown (no configuration"}},
		{"unknown", []string{"indicators", "show", "finnes_ikke"}, exitFailed, nil},
		{"usage", []string{"indicators"}, exitUsage, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCmd(t, tc.args...)
			if code != tc.code {
				t.Fatalf("grunnlag %v = exit %d, want %d; stderr %s", tc.args, code, tc.code, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("grunnlag %v output lacks %q:\n%s", tc.args, w, out)
				}
			}
		})
	}
	// One indicator a line, ID first, after a header.
	_, out, _ := runCmd(t, "indicators", "list")
	// A header line and one line per indicator of the catalog.
	if n, want := strings.Count(out, "\n"), 1+len(indicators.Catalog()); n != want {
		t.Errorf("indicators list: %d lines, want %d", n, want)
	}
	for _, id := range []string{"sysselsettingsgrad_20_66", "sysselsetting_skiftandel", "laerekontrakter_per_1000",
		"vgs_forsteonske_andel", "behov_personer_per_100_sysselsatte"} {
		if !strings.Contains(out, "\n"+id+"\t") {
			t.Errorf("indicators list lacks a line for %s:\n%s", id, out)
		}
	}
}

func TestBuildCommandUsage(t *testing.T) {
	if code, _, _ := runCmd(t, "build", "extra"); code != exitUsage {
		t.Errorf("build extra = %d, want %d", code, exitUsage)
	}
	if code, _, _ := runCmd(t, "build", "--config", "finnes-ikke.yaml"); code != exitConfig {
		t.Errorf("build --config finnes-ikke.yaml = %d, want %d", code, exitConfig)
	}
}
