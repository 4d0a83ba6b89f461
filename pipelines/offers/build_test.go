package offers

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/needs"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// publishNeeds publishes a SYNTHETIC needs_vs_supply with three cells of
// behov_personer_vektet: Namsos ikt 10, Namdal ikt suppressed, Telemark
// helse_oppvekst 20; plus a zero cell and a no-respondents cell that are
// no needs.
func publishNeeds(t *testing.T, st *store.Store) {
	t.Helper()
	b := newBuilder(memoryAlloc(), "periode", "region", "region_label", "region_level", "kompetanseomrade", "kompetanseomrade_label", "maal")
	b.add(10, true, "", "2024", "5007", "Namsos", "kommune", "ikt", "IKT", "behov_personer_vektet")
	b.add(0, false, ":", "2024", "namdal", "Namdal regionråd", "gruppe", "ikt", "IKT", "behov_personer_vektet")
	b.add(20, true, "", "2024", "40", "Telemark", "fylke", "helse_oppvekst", "Helse", "behov_personer_vektet")
	b.add(0, true, "", "2024", "40", "Telemark", "fylke", "ikt", "IKT", "behov_personer_vektet")
	b.add(0, false, "..", "2024", "4010", "Siljan", "kommune", "ikt", "IKT", "behov_personer_vektet")
	b.add(0.5, true, "", "2024", "40", "Telemark", "fylke", "ikt", "IKT", "behov_andel_virksomheter")
	rec := b.record()
	defer rec.Release()
	if _, err := st.Publish(context.Background(), needs.DatasetSupply, rec, store.DatasetMeta{Source: "survey", Title: "test (syntetisk)", Synthetic: true,
		Keys: []string{"periode", "region", "kompetanseomrade", "maal"}}); err != nil {
		t.Fatal(err)
	}
}

const catalogCSV = "tilbyder;orgnr;tittel;type;niva;kompetanseomrade;styrk;nus;kommunenr;form;kapasitet\n" +
	"Demo (syntetisk);999000851;Sky på nett;uh;hoyere;ikt;;;;nett;40\n" +
	"Demo (syntetisk);999001963;IT-drift Flatanger;amo;vgs;;2512;;5049;stedbasert;5\n" +
	"Demo (syntetisk);999000118;IKT Skien;uh;hoyere;ikt;;;4003;stedbasert;30\n"

func TestBuild(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "tilbud.csv")
	if err := os.WriteFile(file, []byte(catalogCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	opt := Options{File: file, ErrorBudget: -1, Synthetic: true, Crosswalk: crosswalk(t),
		Groups: []regions.Group{{ID: "namdal", Members: geo.Groups["namdal"]}}}
	// Without needs: tilbud only.
	res, err := Build(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !res.NeedsMissing || res.Offers == nil || res.Matches != nil {
		t.Fatalf("Build without needs = %+v, want tilbud only", res)
	}
	publishNeeds(t, st)
	res, err = Build(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	// Needs: Namsos ikt, Namdal ikt (suppressed), Telemark health; the zero
	// and ".." cells are none. Telemark health has no offer; IKT Skien is
	// within reach of Telemark but matches no published need > 0 there
	// (Telemark ikt is 0), so it is idle.
	if res.Needs != 3 || res.Suppressed != 1 || res.Unmet != 1 || res.Idle != 1 || res.Accepted != 3 {
		t.Errorf("Build = needs %d, suppressed %d, unmet %d, idle %d, accepted %d; want 3, 1, 1, 1, 3", res.Needs, res.Suppressed, res.Unmet, res.Idle, res.Accepted)
	}
	cat, err := st.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{DatasetOffers, DatasetMatches} {
		v := cat.Datasets[id].CurrentVersion()
		if v == nil || !v.Synthetic {
			t.Errorf("%s version = %+v, want a synthetic version", id, v)
		}
	}
	rec, err := st.ReadVersion(DatasetOffers, cat.Datasets[DatasetOffers].Current)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	// 3 offers × 4 measures.
	if rec.NumRows() != 12 {
		t.Errorf("tilbud rows = %d, want 12", rec.NumRows())
	}
	// The catalog file is kept as a raw snapshot, byte for byte.
	v := cat.Datasets[DatasetOffers].CurrentVersion()
	if len(v.Snapshots) != 1 {
		t.Fatalf("tilbud snapshots = %v, want one", v.Snapshots)
	}
	body, _, err := st.Raw("offers", v.Snapshots[0])
	if err != nil || string(body) != catalogCSV {
		t.Errorf("Raw(offers, %s) = %q, %v; want the catalog file", v.Snapshots[0], body, err)
	}
}

// A catalog with more rejected rows than the budget publishes nothing.
func TestBuildErrorBudget(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "tilbud.csv")
	bad := catalogCSV + "Demo (syntetisk);999000119;Feil orgnr;uh;hoyere;ikt;;;;nett;x\n"
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		budget  int
		publish bool
	}{{-1, false}, {0, false}, {1, true}} {
		opt := Options{File: file, ErrorBudget: tt.budget, Crosswalk: crosswalk(t)}
		res, err := Build(context.Background(), st, opt)
		if tt.publish != (err == nil) || (err != nil && !errors.Is(err, ErrProblems)) {
			t.Fatalf("Build(budget %d) = %v, want publish %v", tt.budget, err, tt.publish)
		}
		// Row 5: the check digit and the capacity.
		if len(res.Problems) != 2 || res.Rejected != 1 {
			t.Errorf("Build(budget %d) problems = %v", tt.budget, res.Problems)
		}
		cat, _ := st.Catalog()
		if got := cat.Datasets[DatasetOffers].CurrentVersion() != nil; got != tt.publish {
			t.Errorf("Build(budget %d): tilbud published = %v, want %v", tt.budget, got, tt.publish)
		}
	}
}
