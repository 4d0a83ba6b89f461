package offers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/offers"
)

func greenDefinition(t *testing.T) *indicators.GreenDefinition {
	t.Helper()
	def, err := indicators.DefaultGreenDefinition()
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// TestOfferGreen: the catalog's own answer is kept; otherwise an SN2007
// division of gronn.csv (35-39, 02), an area tagged green (elektro) or a
// STYRK-08 code of that area (3113 is in elektro's list) makes an offer
// green, and nothing else does (41-43 holds only green groups; NUS 5 spans
// green and other areas).
func TestOfferGreen(t *testing.T) {
	cw, def := crosswalk(t), greenDefinition(t)
	for _, tc := range []struct {
		name string
		o    offers.Offer
		want string
	}{
		{"given ja", offers.Offer{Green: "ja", Areas: []string{"ikt"}}, "ja"},
		{"given nei", offers.Offer{Green: "nei", Industries: [][2]int{{38, 38}}}, "nei"},
		{"waste", offers.Offer{Industries: [][2]int{{38, 38}}}, "ja"},
		{"range with water", offers.Offer{Industries: [][2]int{{30, 36}}}, "ja"},
		{"forestry", offers.Offer{Industries: [][2]int{{2, 2}}}, "ja"},
		{"construction", offers.Offer{Industries: [][2]int{{41, 43}}}, "nei"},
		{"area elektro", offers.Offer{Areas: []string{"elektro"}}, "ja"},
		{"styrk of elektro", offers.Offer{STYRK: []string{"3113"}}, "ja"},
		{"nus only", offers.Offer{NUS: "5"}, "nei"},
		{"area ikt", offers.Offer{Areas: []string{"ikt"}}, "nei"},
	} {
		g := OfferGreen(tc.o, cw, def)
		if g.Tag != tc.want || g.Basis == "" {
			t.Errorf("OfferGreen(%s) = %+v, want %s with a basis", tc.name, g, tc.want)
		}
		if tc.o.Green != "" && g.Basis != "oppgitt i katalogen" {
			t.Errorf("OfferGreen(%s).Basis = %q, want oppgitt i katalogen", tc.name, g.Basis)
		}
	}
}

// TestDemoGreenOffers: in the SYNTHETIC demo catalog
// (testdata/demo/offers/tilbud-syntetisk.csv) "Elektro påbygg for
// fagarbeidere" (area elektro) is green, and so is "Industriell
// automatisering" through its STYRK-08 3113 (elektroteknikere, in
// elektro's list); "Anleggsmaskin og kran" (SN2007 41-43) and
// "Havbruksdrift" (STYRK 6221) are not.
func TestDemoGreenOffers(t *testing.T) {
	cw := crosswalk(t)
	c, err := offers.ReadFile("../../testdata/demo/offers/tilbud-syntetisk.csv", nil, offers.Options{Areas: cw.Known})
	if err != nil || len(c.Problems) != 0 {
		t.Fatalf("ReadFile(demo) = %v, problems %v", err, c.Problems)
	}
	got := map[string]string{}
	for i, g := range OfferGreens(c.Offers, cw, greenDefinition(t)) {
		got[c.Offers[i].Title] = g.Tag
	}
	for title, want := range map[string]string{"Elektro påbygg for fagarbeidere": "ja", "Industriell automatisering": "ja",
		"Anleggsmaskin og kran": "nei", "Havbruksdrift": "nei", "Skytjenester og IT-drift": "nei"} {
		if got[title] != want {
			t.Errorf("demo offer %q: gronn %q, want %q", title, got[title], want)
		}
	}
}

// TestBuildGreenTags: tilbud carries each offer's tag and basis;
// behov_tilbud carries the need's tag from needs_vs_supply (behov_gronn)
// and the offer's (tilbud_gronn). SYNTHETIC: a green need elektro in
// Telemark (40), an ikt need in Namsos, an elektro offer in Skien (derived
// green) and an ikt offer online given as green by its catalog.
func TestBuildGreenTags(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b := newBuilder(memoryAlloc(), "periode", "region", "region_label", "region_level", "kompetanseomrade", "kompetanseomrade_label", "maal", needs.ColumnGreen)
	b.add(12, true, "", "2024", "40", "Telemark", "fylke", "elektro", "Elektro", "behov_personer_vektet", "ja")
	b.add(10, true, "", "2024", "5007", "Namsos", "kommune", "ikt", "IKT", "behov_personer_vektet", "nei")
	rec := b.record()
	defer rec.Release()
	if _, err := st.Publish(ctx, needs.DatasetSupply, rec, store.DatasetMeta{Source: "survey", Title: "test (syntetisk)", Synthetic: true,
		Keys: []string{"periode", "region", "kompetanseomrade", "maal"}, Extra: map[string]string{needs.AttributesKey: needs.ColumnGreen}}); err != nil {
		t.Fatal(err)
	}
	catalog := "tilbyder;orgnr;tittel;type;niva;kompetanseomrade;kommunenr;form;kapasitet;gronn\n" +
		"Demo (syntetisk);999000118;Elektro Skien;fagskole;fagskole;elektro;4003;stedbasert;20;\n" +
		"Demo (syntetisk);999000851;Sky på nett;uh;hoyere;ikt;;nett;40;ja\n"
	file := filepath.Join(t.TempDir(), "tilbud.csv")
	if err := os.WriteFile(file, []byte(catalog), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Build(ctx, st, Options{File: file, ErrorBudget: -1, Synthetic: true, Crosswalk: crosswalk(t)})
	if err != nil || res.Matches == nil {
		t.Fatalf("Build = %+v, %v", res, err)
	}
	cat, _ := st.Catalog()
	read := func(id string) []map[string]string {
		r, err := st.ReadVersion(id, cat.Datasets[id].Current)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Release()
		return recordRows(t, r)
	}
	for _, r := range read(DatasetOffers) {
		want := map[string][2]string{"Elektro Skien": {"ja", "utledet: kompetanseområdet elektro er grønt i krysslisten"}, "Sky på nett": {"ja", "oppgitt i katalogen"}}[r["tittel"]]
		if r["gronn"] != want[0] || r["gronn_grunnlag"] != want[1] {
			t.Errorf("tilbud %s %s: gronn %q (%q), want %q (%q)", r["tittel"], r["maal"], r["gronn"], r["gronn_grunnlag"], want[0], want[1])
		}
	}
	ranked := 0
	for _, r := range read(DatasetMatches) {
		need := map[string]string{"elektro": "ja", "ikt": "nei", needs.Total: ""}[r["kompetanseomrade"]]
		if r[ColumnNeedGreen] != need {
			t.Errorf("behov_tilbud %s %s %s: behov_gronn %q, want %q", r["region"], r["kompetanseomrade"], r["maal"], r[ColumnNeedGreen], need)
		}
		offer := ""
		if r["rang"] != needs.Total {
			offer = "ja" // both offers are green
			ranked++
		}
		if r[ColumnOfferGreen] != offer {
			t.Errorf("behov_tilbud %s %s rang %s %s: tilbud_gronn %q, want %q", r["region"], r["kompetanseomrade"], r["rang"], r["maal"], r[ColumnOfferGreen], offer)
		}
	}
	// Telemark elektro matches Elektro Skien (and nothing else), Namsos ikt
	// the online offer: 2 ranked offers × 5 measures.
	if ranked != 10 {
		t.Errorf("behov_tilbud: %d rows of ranked offers, want 10", ranked)
	}
	if !strings.Contains(cat.Datasets[DatasetMatches].CurrentVersion().Title, "syntetisk") {
		t.Errorf("behov_tilbud title %q, want it marked synthetic", cat.Datasets[DatasetMatches].CurrentVersion().Title)
	}
}
