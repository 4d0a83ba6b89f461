package build

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/regions"
)

// BenchmarkCatalog computes the whole catalog (every indicator of
// indicators.Catalog), with comparators, for all 357 municipalities, 15
// counties, 7 groupings and the nation. Inputs are SYNTHETIC, generated
// here (PCG, fixed seed) in the shape the build step gives each indicator
// (datasets, dimensions and codes as the indicators read them):
//
//   - SSB register series (utdanningsniva, utdanningsniva_alder,
//     sysselsatte_naering, sysselsatte_alder_naering, sysselsettingsgrad,
//     befolkning, unge_utenfor): 20 years, a cell for every unit (the
//     counts already summed to every unit, as the build step gives them;
//     the units' values are drawn independently, so they do not add up).
//   - NAV monthly series (arbeidsledige, nav_stillinger by STYRK-08, sparse
//     as NAV's vacancy file is, and nav_yrkespraksis by occupation group):
//     240 months, every unit.
//   - Udir series (udir_laerekontrakter, udir_vgo_soker,
//     vgs_gjennomforing): counties and the nation, 20 years; the
//     completion series has 20 cohorts ("1999-2005" … "2018-2024").
//   - The company-needs survey (kompetansebehov, needs_vs_supply): counties
//     and the nation (region "0"; region_level "total" in needs_vs_supply),
//     20 annual rounds (more than the survey has, so the benchmark errs on
//     the heavy side); cells of 0-2 respondents carry the disclosure status
//     ":".
//   - NAV Bedriftsundersøkelsen by industry (nav_mangel_naering): counties
//     and the nation, one year (2024), as NAV publishes it.
//   - The regional competence indicators' series (utenfor_alder, ufore,
//     evu_deltakelse, vedvarende_lavinntekt with three-year periods): 20
//     years, every unit; vgs_fullforing_program (counts by programme type
//     and outcome): counties and the nation, 20 cohorts; drawn from their
//     own PCG stream.
//
// The benchmark fails when an input dataset of a catalog indicator is
// absent, when the build skips an indicator, or when an indicator gives no
// valid row, so that it cannot silently leave one out.
func BenchmarkCatalog(b *testing.B) {
	m := loadModel(b)
	target := m.Latest()
	groups := []regions.Group{}
	for i := 0; i < 7; i++ {
		groups = append(groups, regions.Group{ID: fmt.Sprintf("gruppe_%d", i), Name: "g", Members: []string{"5001", "5006", "5007"}[:1+i%3]})
	}
	units := Units(m, target, groups)
	in, cells := catalogInputs(b, units)
	reg, err := indicators.NewCatalog(indicators.Catalog()...)
	if err != nil {
		b.Fatal(err)
	}
	list := reg.All()
	for _, x := range list {
		for _, d := range x.Inputs {
			if in.Series[d.Dataset] == nil {
				b.Fatalf("indicator %s: no synthetic input %s: the benchmark would leave it out", x.ID, d.Dataset)
			}
		}
	}
	b.ResetTimer()
	rows := 0
	for i := 0; i < b.N; i++ {
		rs, skips, err := Compute(context.Background(), m, target, groups, list, in, indicators.Breaks())
		if err != nil {
			b.Fatal(err)
		}
		rows = len(rs)
		if i == 0 {
			b.StopTimer()
			if len(skips) > 0 {
				b.Fatalf("Compute skipped %d indicators: %+v", len(skips), skips)
			}
			checkEveryIndicator(b, list, rs)
			b.StartTimer()
		}
	}
	b.ReportMetric(float64(rows), "rows/op")
	b.ReportMetric(float64(cells)*float64(b.N)/b.Elapsed().Seconds(), "cells/s")
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// checkEveryIndicator fails b unless every indicator of list has at least
// one row with a value (a valid value: Value is not NaN).
func checkEveryIndicator(b *testing.B, list []*indicators.Indicator, rs []Row) {
	b.Helper()
	all, valid := map[string]int{}, map[string]int{}
	for i := range rs {
		all[rs[i].Indicator]++
		if !math.IsNaN(rs[i].Value) {
			valid[rs[i].Indicator]++
		}
	}
	for _, x := range list {
		if testing.Verbose() {
			b.Logf("%-36s %8d rows, %8d with a value", x.ID, all[x.ID], valid[x.ID])
		}
		if valid[x.ID] == 0 {
			b.Errorf("indicator %s: %d rows, none with a value", x.ID, all[x.ID])
		}
	}
	if b.Failed() {
		b.FailNow()
	}
}

// catalogInputs returns SYNTHETIC inputs for every dataset the catalog
// reads (see BenchmarkCatalog) and the number of cells in them.
func catalogInputs(b testing.TB, units []indicators.Region) (*indicators.Inputs, int) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	in := &indicators.Inputs{Regions: units, Series: map[string]*indicators.Series{}}
	series := func(dataset string, dims ...string) *indicators.Series {
		s := indicators.NewSeries(dataset, dims...)
		s.Version = "synthetic"
		in.Series[dataset] = s
		return s
	}
	// SSB register series, every unit, yearly.
	edu := series("utdanningsniva", "Nivaa", "Kjonn", "ContentsCode")
	eduAge := series("utdanningsniva_alder", "Nivaa", "Kjonn", "Alder", "ContentsCode")
	ind := series("sysselsatte_naering", "NACE2007", "ContentsCode")
	indAge := series("sysselsatte_alder_naering", "NACE2007", "Alder", "ContentsCode")
	emp := series("sysselsettingsgrad", "Kjonn", "Alder", "ContentsCode")
	pop := series("befolkning", "Kjonn", "Alder", "ContentsCode")
	neet := series("unge_utenfor", "HovArbStyrkStatus", "Alder", "ContentsCode")
	// NAV, every unit, monthly.
	unemp := series("arbeidsledige", "ContentsCode")
	vac := series("nav_stillinger", "Yrke")
	occ := series("nav_yrkespraksis", "Yrke", "ContentsCode")
	// Counties and the nation.
	short := series("nav_mangel_naering", "Naering")
	lk := series("udir_laerekontrakter")
	app := series("udir_vgo_soker", "Utdprogram")
	compl := series("vgs_gjennomforing", "Utdprogram")
	needs := series("kompetansebehov", "inndeling", "kategori", "maal")
	supply := series("needs_vs_supply", "region_level", "kompetanseomrade", "maal", "kilde", "kilde_periode")

	// Codes as SSB publishes them: 09429 levels; the Alder groups of the
	// demo's utdanningsniva_alder (they tile 25-64); 13470/07984 industry
	// groups; 07459 and 07984 age groups.
	levels := []string{"01", "02a", "11", "03a", "04a", "09a"}
	eduAges := []string{"16-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65-66", "67+"}
	nace := []string{"01-03", "05-09", "10-33", "35-39", "41-43", "45-47", "49-53", "55-56", "58-63", "64-66", "68-75", "77-82", "84", "85", "86-88", "90-99"}
	ages := []string{"015-019", "020-024", "025-029", "030-034", "035-039", "040-044", "045-049", "050-054", "055-059", "060-064", "065-069", "070-074"}
	empAges := []string{"15-19", "20-24", "25-39", "40-54", "55-66", "67-74"}
	// A sample of STYRK-08 unit groups (NAV's vacancies carry the 4-digit code).
	styrk := []string{"1120", "1211", "1321", "2141", "2211", "2221", "2223", "2310", "2320", "2330", "2341", "2351", "2411", "2511",
		"2512", "3112", "3113", "3115", "3311", "3411", "4110", "4321", "5120", "5131", "5221", "5223", "5321", "5322", "7112", "7115",
		"7126", "7233", "7411", "7412", "8322", "8332", "9112", "9412", "2431", "3343"}
	// NAV's occupation groups (yrkespraksis).
	navGroups := []string{"Akademiske yrker", "Barne- og ungdomsarbeid", "Butikk- og salgsarbeid", "Bygg og anlegg", "Helse, pleie og omsorg",
		"Industriarbeid", "Ingeniør- og ikt-fag", "Jordbruk, skogbruk og fiske", "Kontorarbeid", "Ledere", "Meglere og konsulenter",
		"Reiseliv og transport", "Serviceyrker og annet arbeid", "Undervisning", "Ingen yrkesbakgrunn eller uoppgitt"}
	// Udir programme columns: the ten LK20 vocational programmes, then the
	// study-preparation ones.
	progs := []string{"BA", "EL", "FBIE", "HDP", "HO", "IM", "NA", "RM", "SR", "TIF", "ST", "ID", "MD", "KDA", "MK"}
	// Competence areas of pipelines/needs' crosswalk; fagskole maps DBH
	// fields to the first six (pipelines/needs fagskoleFields).
	areas := []string{"helse_oppvekst", "teknologi_industri", "elektro", "bygg_anlegg", "okonomi_admin", "ledelse",
		"restaurant_mat", "naturbruk", "salg_service", "ikt", "handverk_design", "frisor_interior"}
	const fagskoleAreas = 6

	cells := 0
	set := func(s *indicators.Series, r, p string, codes []string, c indicators.Cell) {
		if err := s.Set(r, p, codes, c); err != nil {
			b.Fatal(err)
		}
		cells++
	}
	val := func(s *indicators.Series, r, p string, codes []string, v float64) {
		set(s, r, p, codes, indicators.Cell{Value: v, Valid: true})
	}
	for y := 2005; y < 2025; y++ {
		p := fmt.Sprint(y)
		for _, u := range units {
			size := float64(u.Units) * (500 + rng.Float64()*5000)
			for _, lv := range levels {
				val(edu, u.Code, p, []string{lv, "0", "Personer"}, size*rng.Float64())
				for _, a := range eduAges {
					val(eduAge, u.Code, p, []string{lv, "0", a, "Personer"}, size*rng.Float64()/12)
				}
			}
			tot := 0.0
			totAge := make([]float64, len(empAges))
			for _, n := range nace {
				x := size * rng.Float64() / 8
				tot += x
				val(ind, u.Code, p, []string{n, "SysselsatteArb"}, x)
				for i, a := range empAges {
					xa := x * (0.05 + rng.Float64()) / 3
					totAge[i] += xa
					val(indAge, u.Code, p, []string{n, a, "Sysselsatte"}, xa)
				}
			}
			val(ind, u.Code, p, []string{"00-99", "SysselsatteArb"}, tot)
			for i, a := range empAges {
				val(indAge, u.Code, p, []string{"00-99", a, "Sysselsatte"}, totAge[i])
			}
			val(emp, u.Code, p, []string{"0", "15-74", "Sysselsatte"}, size*0.6)
			den2066 := size * 0.75
			val(emp, u.Code, p, []string{"0", "20-66", "Sysselsatte_nevner"}, den2066)
			val(emp, u.Code, p, []string{"0", "20-66", "Sysselsatte"}, den2066*(0.7+0.15*rng.Float64()))
			for _, k := range []string{"1", "2"} {
				for _, a := range ages {
					val(pop, u.Code, p, []string{k, a, "Personer1"}, size/24)
				}
			}
			young := size * 0.2
			val(neet, u.Code, p, []string{"TOT", "15-29", "Bosatte"}, young)
			val(neet, u.Code, p, []string{"NEET", "15-29", "Bosatte"}, young*(0.03+0.07*rng.Float64()))
			// A municipality has vacancies in a tenth of the occupations in
			// a month; larger units in more (every one for a county).
			fill := math.Min(1, 0.1*float64(u.Units))
			for mo := 1; mo <= 12; mo++ {
				pm := fmt.Sprintf("%sM%02d", p, mo)
				val(unemp, u.Code, pm, []string{"HeltLedige"}, size*0.02*rng.Float64())
				val(unemp, u.Code, pm, []string{"HeltLedige_nevner"}, size*0.7)
				for _, o := range styrk {
					if rng.Float64() < fill {
						val(vac, u.Code, pm, []string{o}, float64(1+rng.IntN(1+int(size/2000))))
					}
				}
				for _, g := range navGroups {
					seekers := math.Round(size * 0.03 * rng.Float64() / 15)
					val(occ, u.Code, pm, []string{g, "Sokere"}, seekers)
					val(occ, u.Code, pm, []string{g, "Stillinger"}, math.Round(seekers*(0.2+1.3*rng.Float64())))
				}
			}
			if u.Level != indicators.LevelCounty && u.Level != indicators.LevelNation {
				continue
			}
			// Udir: contracts about 40-90 per 1000 aged 15-24 (the
			// befolkning cells above: size/6); Vg1 applicants about a
			// tenth of them; completion shares 60-90 % per cohort.
			val(lk, u.Code, p, nil, math.Round(size/6*(0.04+0.05*rng.Float64())))
			appTot := 0.0
			for _, pr := range progs {
				x := math.Round(size / 60 / float64(len(progs)) * (0.3 + 1.4*rng.Float64()))
				appTot += x
				val(app, u.Code, p, []string{pr}, x)
			}
			val(app, u.Code, p, []string{"-10"}, appTot)
			cohort := fmt.Sprintf("%d-%d", y-6, y)
			val(compl, u.Code, cohort, []string{"-10"}, math.Round(600+300*rng.Float64())/10)
			for _, pr := range progs {
				val(compl, u.Code, cohort, []string{pr}, math.Round(550+350*rng.Float64())/10)
			}
			if y == 2024 {
				for _, name := range slices.Sorted(maps.Keys(indicators.NAVIndustryGroups)) {
					val(short, u.Code, p, []string{name}, math.Round(size*0.01*rng.Float64()))
				}
			}
			// The survey: firms responding, weighted to the register;
			// people needed with a bootstrap-like interval.
			regionLevel := "fylke"
			if u.Level == indicators.LevelNation {
				regionLevel = "total"
			}
			needCell := func(inndeling, kategori string, resp int) float64 {
				firms := float64(resp) * (5 + 20*rng.Float64())
				persons := firms * 0.3 * rng.Float64()
				c := func(x float64) indicators.Cell { return indicators.Cell{Value: x, Valid: true} }
				if resp < 3 { // primary suppression (pipelines/needs): status ":", no value
					c = func(float64) indicators.Cell { return indicators.Cell{Status: ":"} }
				}
				for _, mv := range []struct {
					maal string
					x    float64
				}{{"respondenter", float64(resp)}, {"respondenter_vektet", firms}, {"virksomheter_med_behov_vektet", firms * rng.Float64()},
					{"personer_vektet", persons}, {"personer_ci_lav", persons * 0.8}, {"personer_ci_hoy", persons * 1.25},
					{"respondenter_effektive", float64(resp) * 0.8}} {
					set(needs, u.Code, p, []string{inndeling, kategori, mv.maal}, c(mv.x))
				}
				if resp < 3 {
					return math.NaN()
				}
				return persons
			}
			needCell("_T", "_T", 20*u.Units+rng.IntN(100))
			for i, a := range areas {
				persons := needCell("kompetanseomrade", a, rng.IntN(2+3*u.Units))
				c := indicators.Cell{Value: persons, Valid: true}
				if math.IsNaN(persons) {
					c = indicators.Cell{Status: ":"}
				}
				set(supply, u.Code, p, []string{regionLevel, a, "behov_personer_vektet", "kompetansebehov", p}, c)
				if i < fagskoleAreas {
					val(supply, u.Code, p, []string{regionLevel, a, "fagskolestudenter", "dbh_fagskolestudenter", p}, math.Round(size*0.002*rng.Float64()))
				}
			}
		}
	}
	// The regional competence indicators' series (13563, 14863, 12944,
	// uføre, adults in formal education), from their own stream so that
	// the series above keep their numbers.
	rk := rand.New(rand.NewPCG(3, 4))
	outside := series("utenfor_alder", "HovArbStyrkStatus", "Alder", "ContentsCode")
	ufore := series("ufore", "Alder", "ContentsCode")
	low := series("vedvarende_lavinntekt", "Alder", "ContentsCode")
	evu := series("evu_deltakelse", "Alder", "ContentsCode")
	prog := series("vgs_fullforing_program", "FullforingVGO", "UtdProgram", "Kjonn", "ContentsCode")
	for y := 2005; y < 2025; y++ {
		p := fmt.Sprint(y)
		for _, u := range units {
			size := float64(u.Units) * (500 + rk.Float64()*5000)
			for _, age := range []string{"15-29", "30-61"} {
				val(outside, u.Code, p, []string{"TOT3", age, "Bosatte"}, size*0.4)
				val(outside, u.Code, p, []string{"NEET2", age, "Bosatte"}, size*0.4*(0.05+0.1*rk.Float64()))
			}
			val(ufore, u.Code, p, []string{"18-66", "Befolkning"}, size*0.6)
			val(ufore, u.Code, p, []string{"18-66", "UforeMottakere"}, size*0.6*(0.05+0.1*rk.Float64()))
			val(evu, u.Code, p, []string{"25-64", "Befolkning"}, size*0.5)
			val(evu, u.Code, p, []string{"25-64", "IUtdanning"}, size*0.5*(0.04+0.08*rk.Float64()))
			span := fmt.Sprintf("%d-%d", y-2, y)
			val(low, u.Code, span, []string{"999A", "VedvarendeLav_nevner"}, size*0.95)
			val(low, u.Code, span, []string{"999A", "VedvarendeLav"}, size*0.95*(0.05+0.08*rk.Float64()))
			if u.Level != indicators.LevelCounty && u.Level != indicators.LevelNation {
				continue
			}
			cohort := fmt.Sprintf("%d-%d", y-6, y)
			for _, pr := range []string{"01", "02"} {
				for _, k := range []string{"1a", "2a", "4b", "3a", "4a", "5a"} {
					val(prog, u.Code, cohort, []string{k, pr, "0", "Personer"}, math.Round(size/60*(0.1+rk.Float64())))
				}
			}
		}
	}
	return in, cells
}

// BenchmarkBuildOneCell is the incremental build after one cell of
// nav_mangel_naering changed (see TestBuildIncremental): each iteration
// republishes that dataset with one value raised and builds, so one
// indicator (stramhet_naering) is computed and the others' rows are
// carried over from the previous table. It reports the table's rows.
func BenchmarkBuildOneCell(b *testing.B) {
	_, st := demoBuildStore(b)
	reg, err := indicators.NewCatalog(indicators.Catalog()...)
	if err != nil {
		b.Fatal(err)
	}
	bl := &Builder{Store: st, Model: loadModel(b), Groups: groupsOf(b), Catalog: reg}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		changeOneCell(b, st, "nav_mangel_naering", 1)
		b.StartTimer()
		res, err := bl.Build(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		res.Release()
		if len(res.Recomputed) != 1 {
			b.Fatalf("recomputed %v, want one indicator", res.Recomputed)
		}
		b.ReportMetric(float64(res.Rows), "rows")
	}
}
