package offers

import (
	"context"
	"fmt"
	"math"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/pipelines"
	"github.com/grunnlag/grunnlag/pipelines/config"
	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/dbh"
	"github.com/grunnlag/grunnlag/sources/offers"
)

// knownMunicipalities is a survey.Regions accepting the four Trøndelag
// codes of the demo recording.
type knownMunicipalities map[string]bool

func (k knownMunicipalities) ValidMunicipality(code string, _ time.Time) error {
	if !k[code] {
		return fmt.Errorf("unknown %s", code)
	}
	return nil
}

var trondelag = knownMunicipalities{"5001": true, "5006": true, "5007": true, "5037": true}

func demoProgrammes(t *testing.T) []dbh.Programme {
	t.Helper()
	b, err := os.ReadFile("../../testdata/demo/dbh/studieprogram-trondelag-2024-syntetisk.json")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := dbh.ParseProgrammes(dbh.ProgrammeTable, b)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestRegisterOffersDemo converts the four SYNTHETIC rows of the demo
// recording. Wanted offers written by hand from the JSON file: provider
// Institusjonsnavn, title Studieprogramnavn, level by DBHLevels (FAG
// fagskole NKR 5, B3 høyere NKR 6, M2 høyere NKR 7, LN høyere without NKR),
// NUS the second digit of NUS-kode (554101 -> 5, 655201 -> 5, 741101 -> 4,
// 643101 -> 4), Studieform Samlingsbasert/Nettbasert/Stedbasert, credits
// Studiepoeng, capacity unknown (-1).
func TestRegisterOffersDemo(t *testing.T) {
	got, rej, probs := RegisterOffers("dbh_studieprogram", 347, demoProgrammes(t), trondelag, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(rej) != 0 || len(probs) != 0 {
		t.Fatalf("RegisterOffers(demo) rejected %v: %v", rej, probs)
	}
	link := "https://dbh.hkdir.no/dbh-old/dokumentasjon/tabell.action?tabellId=347"
	fag, hogs := "Demo fagskole Namdal (syntetisk)", "Demo høgskole Trøndelag (syntetisk)"
	want := []offers.Offer{
		{Row: 1, Provider: fag, Title: "IT-drift og informasjonssikkerhet", Kind: "fagskole", Level: "fagskole", NKR: "5", NUS: "5", Municipality: "5007", Mode: "samlingsbasert", Credits: 60, Capacity: -1, Link: link},
		{Row: 2, Provider: hogs, Title: "Bachelor i informatikk, nettbasert", Kind: "uh", Level: "hoyere", NKR: "6", NUS: "5", Municipality: "5006", Mode: "nett", Credits: 180, Capacity: -1, Link: link},
		{Row: 3, Provider: hogs, Title: "Master i økonomi og ledelse", Kind: "uh", Level: "hoyere", NKR: "7", NUS: "4", Municipality: "5001", Mode: "stedbasert", Credits: 120, Capacity: -1, Link: link},
		{Row: 4, Provider: hogs, Title: "Videreutdanning i ledelse", Kind: "uh", Level: "hoyere", NKR: "", NUS: "4", Municipality: "5037", Mode: "stedbasert", Credits: 30, Capacity: -1, Link: link},
	}
	if len(got) != len(want) {
		t.Fatalf("RegisterOffers(demo) = %d offers, want %d", len(got), len(want))
	}
	for i := range want {
		g := got[i]
		if !math.IsNaN(g.Price) {
			t.Errorf("offer %d: price = %v, want NaN (not in the table)", i, g.Price)
		}
		g.Price = 0
		if !reflect.DeepEqual(g, want[i]) {
			t.Errorf("RegisterOffers(demo)[%d] =\n%+v, want\n%+v", i, g, want[i])
		}
	}
}

// A bad level code, an unknown municipality, a bad NUS code and an unknown
// study mode each reject their row, with a problem naming the dataset,
// the row's position in the answer and the column.
func TestRegisterOffersProblems(t *testing.T) {
	body := `[
 {"Institusjonsnavn": "Demo (syntetisk)", "Studieprogramnavn": "A", "Nivåkode": "B3", "NUS-kode": "655201", "Kommunenr": "5001", "Studieform": "Stedbasert"},
 {"Institusjonsnavn": "Demo (syntetisk)", "Studieprogramnavn": "B", "Nivåkode": "XX", "NUS-kode": "655201", "Kommunenr": "5001", "Studieform": "Stedbasert"},
 {"Institusjonsnavn": "Demo (syntetisk)", "Studieprogramnavn": "C", "Nivåkode": "M2", "NUS-kode": "65", "Kommunenr": "1601", "Studieform": "Stedbasert"},
 {"Institusjonsnavn": "Demo (syntetisk)", "Studieprogramnavn": "D", "Nivåkode": "M2", "NUS-kode": "655201", "Kommunenr": "", "Studieform": "Nettbasert"},
 {"Institusjonsnavn": "Demo (syntetisk)", "Studieprogramnavn": "E", "Nivåkode": "M2", "NUS-kode": "655201", "Kommunenr": "5001", "Studieform": "Hybrid"}
]`
	rows, err := dbh.ParseProgrammes(347, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	got, rej, probs := RegisterOffers("dbh_x", 347, rows, trondelag, time.Time{})
	if len(got) != 2 || got[0].Title != "A" || got[1].Title != "D" || got[1].Municipality != "" || got[1].Mode != offers.ModeOnline {
		t.Errorf("RegisterOffers accepted %+v, want rows A and D (online without a place)", got)
	}
	if !reflect.DeepEqual(rej, []int{2, 3, 5}) {
		t.Errorf("RegisterOffers rejected rows %v, want [2 3 5]", rej)
	}
	var lines []string
	for _, p := range probs {
		lines = append(lines, p.String())
	}
	want := []string{
		"dbh_x:2:Nivåkode: XX: ukjent nivåkode (kjente: B3, B4, FAG, HK, HN, LN, M2, M5, ME, PH)",
		"dbh_x:3:NUS-kode: 65: NUS-koden må være seks sifre",
		"dbh_x:3:Kommunenr: 1601: ukjent kommunenummer",
		"dbh_x:5:Studieform: Hybrid: ukjent studieform (kjente: stedbasert, samlingsbasert, nettbasert)",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("RegisterOffers problems =\n%q, want\n%q", lines, want)
	}
}

// TestDemoRegisters runs the demo config's dbh_studieprogram fetch (the
// SYNTHETIC recorded answer, offline bundle) and the offers build: tilbud
// holds the 14 rows of the demo catalog (offers/tilbud-syntetisk.csv, all
// valid) and the 4 DBH rows, each with its kilde, and the (SYNTHETIC)
// Namsos IKT need of publishNeeds is matched with the DBH fagskole
// programme in Namsos.
func TestDemoRegisters(t *testing.T) {
	ctx := context.Background()
	c, err := config.Load("../../testdata/demo/grunnlag.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Offers.Registers, []string{"dbh_studieprogram"}) {
		t.Fatalf("demo offers.registers = %v, want [dbh_studieprogram]", c.Offers.Registers)
	}
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ref := &pipelines.Refresher{Config: c, Store: st}
	run, err := ref.Refresh(ctx, pipelines.RefreshOptions{Only: []string{"dbh_studieprogram"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Datasets) != 1 || run.Datasets[0].Outcome != pipelines.OutcomePublished {
		t.Fatalf("refresh dbh_studieprogram = %+v, want published", run.Datasets)
	}
	publishNeeds(t, st)
	model, groups, err := pipelines.LoadRegions(ctx, c.Regions)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := FromConfig(c, model, groups, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(ctx, st, opt)
	if err != nil {
		t.Fatalf("Build(demo) = %v; problems %v", err, res.Problems)
	}
	if res.Rows != 18 || res.Accepted != 18 || res.Rejected != 0 {
		t.Errorf("Build(demo) rows %d accepted %d rejected %d, want 18 = 14 catalog + 4 DBH, 18, 0", res.Rows, res.Accepted, res.Rejected)
	}
	rec, err := st.ReadVersion(DatasetOffers, res.Offers.Stamp)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	kilde := map[string]int{}
	for _, r := range recordRows(t, rec) {
		if r["maal"] == "kapasitet" {
			kilde[r["kilde"]]++
		}
	}
	if !reflect.DeepEqual(kilde, map[string]int{"katalog": 14, "dbh:347": 4}) {
		t.Errorf("tilbud offers by kilde = %v, want katalog 14, dbh:347 4", kilde)
	}
	mrec, err := st.ReadVersion(DatasetMatches, res.Matches.Stamp)
	if err != nil {
		t.Fatal(err)
	}
	defer mrec.Release()
	// Scores by hand (RuleText): the fagskole programme in Namsos has NUS
	// field 5, one of ikt's (crosswalk.csv), fag 1, and is in the region,
	// sted 3; no levels are published, nivå 0: poeng 4, rang 2. Rang 1 is
	// the catalog's online Skytjenester og IT-drift (ikt area, fag 3 + nett
	// 1 = 4): equal score, higher fag score first (match.go).
	found := false
	for _, r := range recordRows(t, mrec) {
		if r["region"] == "5007" && r["kompetanseomrade"] == "ikt" && r["maal"] == "poeng" && r["tilbud_label"] == "IT-drift og informasjonssikkerhet" {
			found = true
			if r["value"] != "4" || r["rang"] != "2" || r["rekkevidde"] != "i_regionen" || r["tilbyder"] != "Demo fagskole Namdal (syntetisk)" {
				t.Errorf("behov_tilbud Namsos ikt DBH match = %v, want poeng 4, rang 2, i_regionen, from Demo fagskole Namdal", r)
			}
		}
	}
	if !found {
		t.Errorf("behov_tilbud matches no DBH programme with the Namsos ikt need")
	}
}
