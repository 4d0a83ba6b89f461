// Package demo builds the bundled offline demo data for the SSB source: a
// PxWebApi v2 "bundle" (see replay.Cubes in sources/replay) with ten StatBank
// tables and three synthetic tables that are not SSB's, made from real Telemark
// figures where they exist and from a deterministic synthetic generator
// everywhere else.
//
// # Input
//
// Build reads these files from srcDir (testdata/demo/source in the
// repository; see PROVENANCE.md there):
//
//	kommuner_2024.csv             kommunenummer;kommunenavn   357 municipalities of 2024
//	fylker_2024.csv               fylkesnummer;fylkesnavn     15 counties of 2024
//	kommune_metadata.csv          Vestfold/Telemark crosswalk 2019 -> 2023 -> 2024 (";", UTF-8 BOM,
//	                              2019 numbers without the leading zero: "814" is 0814)
//	utdanningsnivaa.csv           SSB 09429 for Telemark, long format
//	                              Kommune,Utdanningsnivå,Kjønn,Variabel,År,Verdi
//	sysselsetting_i_kommunene.csv employment rate 15-74 (SSB 06445) by Telemark municipality, 2025
//	arbeidsledighet.csv           NAV helt ledige, Begge kjønn, monthly, Fylker / Landet / Telemark kommuner,
//	                              Andel av arbeidsstyrken as a fraction (0.025 = 2.5 %)
//	andel_unge_utenfor_kommuner.csv Kommune,Andel (2024),Label: NEET share 15-29 (per cent),
//	                              17 Telemark municipalities 2024, plus rows Telemark and Hele landet
//
// # Output
//
// Build writes to outDir, the bundle directory:
//
//	config.json                   GET /config (SSB's limits: 800 000 cells, 30 calls per 60 s)
//	tables/<id>/table.json        GET /tables/{id} (TableInfo)
//	tables/<id>/data.json         the whole cube as JSON-stat 2.0
//	codelists/<id>.json           agg_KommSummer, agg_KommFylker, vs_Kommun, vs_Fylker, vs_Landet
//
// Tables: 09429 (utdanningsnivå), 13470 (sysselsatte etter arbeidssted og
// næring), 06445 (sysselsatte i prosent av befolkningen), 10540 (registrerte
// arbeidsledige, monthly), 07459 (befolkning), 13556 (personer 15-29 år
// etter hovedaktivitet: HovArbStyrkStatus TOT and NEET, Alder 15-29,
// ContentsCode Bosatte and BosatteProsent, 2016-2024) and 07984
// (sysselsatte etter bosted, næring og alder: NACE2007 as 13470, Alder
// 15-19, 20-24, 25-39, 40-54, 55-66, 67-74, ContentsCode Sysselsatte,
// 2020-2024), 13563 (personer etter arbeidsstyrkestatus og alder:
// HovArbStyrkStatus TOT3 and NEET2, Alder 15-29 and 30-61, ContentsCode
// Bosatte and BosatteProsent, 2016-2024; its 15-29 cells are 13556's);
// 14863 (gjennomføring i videregående opplæring etter dagens fylker:
// FullforingVGO 1a, 2a, 4b, 3a, 4a, 5a, UtdProgram 00, 01
// studieforberedende and 02 yrkesfag, Kjonn 0, ContentsCode Personer and
// Prosent, cohorts 2014-2020 ... 2018-2024; counties and the nation only);
// 12944 (personer i husholdninger med vedvarende lavinntekt, EU-60, by
// municipality and Alder 999A, 00-17, 18-34, 35-49, 50-66, 067+,
// ContentsCode VedvarendeLav and VedvarendeLavProsent, three-year periods
// 2016-2018 ... 2022-2024); demo-ufore (uføretrygd: Alder 18-66,
// ContentsCode UforeMottakere and Befolkning, 2016-2024) and demo-evu
// (persons 25-64 in formal education: Alder 25-64, ContentsCode IUtdanning
// and Befolkning, 2016-2024), fully synthetic tables with IDs that are not
// SSB table numbers (no StatBank table is verified for them);
// and demo-utdanning-alder, education level by age, a fully
// synthetic table with an ID that is deliberately not an SSB table number
// (Nivaa as 09429, Kjonn 0, Alder 16-19, 20-24, 25-29, ..., 60-64, 65-66,
// 67+, ContentsCode Personer, 2015-2025), whose age groups sum, for every
// region code, year and level, to 09429's Personer. Every table has the same
// Region dimension: "0" Hele landet, the 15 counties of 2024, the 357
// municipalities of 2024, and the older codes of the Telemark municipalities
// (08xx valid to 2019, 38xx valid 2020-2023), labelled with their validity
// years as SSB does ("Bamble (-2019)", "Bamble (2020-2023)", "Bamble").
// Telemark cells live under the code that was valid in the period; a code
// outside its validity has null values. Other municipalities are modelled
// under their 2024 codes for all periods (a demo simplification: the real
// tables use their older codes too).
//
// # The 20-year variant
//
// BuildWith with Options{FirstYear: TwentyYears} writes the same bundle
// with every table that starts after 2006 reaching back to 2006 (each
// keeps its last year; 10540 is unchanged), for the 20-year benchmark of
// cmd/grunnlag, which writes it to a temporary directory: it is not
// committed. The added years are synthetic throughout (see Options), and
// each table says so in a second note and in extension.grunnlag.
//
// # Real and synthetic cells
//
// Real: 09429 for the Telemark codes (all cells of utdanningsnivaa.csv,
// 2015-2025); 06445 Sysselsatte i prosent, 15-74 år, 2025, for the 17
// Telemark municipalities; 10540 helt ledige (count and per cent) for the
// 2024 counties, Hele landet and the Telemark municipalities; 13556
// BosatteProsent for NEET, 2024, for the 17 Telemark municipalities (the
// counts in those cells are the real share × the synthetic population
// 15-29, rounded), and the same cells of 13563. Everything else is synthetic. Every data.json says so in a note starting "DEMO:", in
// extension.grunnlag {"synthetic": "partial"|"full", "real_cells", "generator"},
// and in its label, which ends in " [demo: syntetiske tall]" or
// " [demo: delvis syntetiske tall]".
//
// Synthetic values come from a model of each municipality (size, growth,
// education, age, employment and industry profile) whose parameters are drawn
// from math/rand/v2 PCG streams keyed by a fixed seed and a text key, so the
// output is byte-for-byte reproducible and independent of iteration order.
// County rows are sums over their municipalities (all code vintages) and "0"
// is the sum over all municipalities, except in 10540 where counties and the
// nation are NAV's published figures and synthetic municipalities are
// allocated so that they add up to their county.
//
// Percentages in 09429 follow the rule the real Telemark rows obey:
// PersonerProsent = Personer / denominator * 100, rounded half up to one
// decimal, where the denominator is the sum of the five levels other than
// 09a up to 2024 (09a then has no percentage: null), and the sum of all six
// levels from 2025 on.
package demo
