// Package indicators is grunnlag's catalog of regional competence
// indicators and the pure computations behind them: shares and rates from
// numerators and denominators, location quotients, specialisation indices,
// gaps, intervals, disclosure rules and the series-break registry. It
// imports only the standard library and gonum; it knows nothing of files,
// the knowledge base or how regions are harmonised.
//
// # The catalog
//
// An indicator is a value: an [Indicator] with a stable snake_case ID,
// titles and descriptions in bokmål and English, unit, theme (one of
// [Themes]: its section of the book and sheet of the workbook), the
// decimals its value is shown with, formula, inputs (dataset IDs and
// filters), numerator and denominator, region levels, comparators,
// direction, basis (register or survey), disclosure rule, sources and
// citation, and a Compute function. [Catalog] lists them, one line each;
// adding an indicator is one file plus one line there, and nothing
// outside this package lists indicators again. [NewCatalog] refuses
// duplicate or malformed IDs, unknown themes and missing fields.
//
// What readers see of an indicator is worded twice, in bokmål (the
// default) and in English, field for field: Title and TitleEN, Formula and
// FormulaEN, Numerator, Denominator, the disclosure rule, Sources,
// Citation, Caveats, and each input's note and varied dimensions.
// [Indicator.ProseIn] and [Input.FilterTextIn] pick one language for the
// book's definition page and the workbook's definitions sheet. Codes,
// table IDs and numbers are the same in both; only a formula of symbols
// alone ("(e_ri / e_r) / (N_i / N)") reads the same in both languages
// (TestCatalogEnglish checks the whole catalog).
//
// An [Input] declares a dataset ID, the [Filter] of codes the indicator
// reads from it, the dimensions Compute chooses from the data (a breakdown,
// the age groups that make up a range) and its role; Compute takes
// datasets and filters from these declarations (ind.Inputs[0], ...), so
// each is written once, and the filter text of `grunnlag indicators show`
// is derived from them ([Input.FilterText]).
//
// These IDs are fixed (planners cite them year after year):
//
//	utdanning_grunnskole_andel  utdanning_vgs_andel      utdanning_fagskole_andel
//	utdanning_hoyere_andel      sysselsettingsgrad_15_74 sysselsatte_naering_lq
//	ledighet_helt_andel         unge_utenfor_andel       vgs_fullfort_andel
//	stramhet_naering            erstatning_55pluss_andel bedrifter_behov_andel
//	erstatningsbehov_10aar      utdanning_grunnskole_andel_25_64
//	utdanning_vgs_andel_25_64   utdanning_fagskole_andel_25_64
//	utdanning_hoyere_andel_25_64
//
// # Inputs
//
// Compute reads [Inputs]: the units to compute for ([Region]: nation,
// counties, groupings, municipalities, with county and grouping membership)
// and one [Series] per dataset ID. A Series holds additive counts already
// put on one boundary vintage and summed to every unit by the caller (the
// build step, with pipelines/regions), keyed by region, period and the
// codes of the dataset's other dimensions:
//
//	series "utdanningsniva", dims [Nivaa Kjonn ContentsCode]
//	("4003", "2025", [03a 0 Personer]) → 11432
//	("4003", "2025", [04a 0 Personer]) →  4033
//
// A county that a county-level source publishes but that no longer exists
// on that vintage (NAV's Vestfold og Telemark 38, Udir's cohort county
// Telemark 08) is a [Region] of its own with Members, the municipalities it
// covers: [Series.GetUnit] sums them where a series has no cell for it.
// [Series.Query] resolves a [Filter] once for many lookups; series are
// filled with Set, then read (the first read lays the cells out in an
// array).
//
// A cell is a [Cell]: value, validity and flags. A cell that the source
// marked with a missing status (".", "..", "...", ":", "-") is not valid,
// and every indicator value computed from it is missing (Valid false,
// flag "missing_input"): a value is never invented, and missing is never 0.
//
// An indicator that sums age groups to an age range (the education shares
// for ages 25-64) sums only codes that cover the range exactly, each year
// once; when a dataset's groups cannot (a group "60-66", a gap, an
// overlap), Compute computes nothing and returns an error wrapping
// [ErrAgeGroups] that names the dataset and the codes, rather than a
// value for a different age range.
//
// # Outputs
//
// Compute returns one [Value] per (region, period, category): the value,
// its numerator and denominator (for shares and rates, so that comparators
// such as the rest of the country are computed from sums, never averaged),
// an interval for survey-based values only (register values have none:
// CILow and CIHigh are NaN), the number of municipalities behind it and
// flags (suppressed, apportioned, provisional, series_break:<id>,
// missing_input). Values are sorted by period, region order of Inputs,
// then category.
//
// # Rules
//
//   - Shares and rates: sum_i {num_i} / sum_i {den_i} * scale over the
//     units behind a region, computed from counts ([Ratio]), never an
//     average of member rates.
//   - Survey values carry an interval; a gap to a comparator is
//     "significant" only where the interval of the difference excludes
//     zero ([DiffInterval], [Significant]).
//   - A value is suppressed ([Disclosure]) when its denominator or its
//     number of responding units is below the indicator's threshold.
//   - [Breaks] lists the series breaks (STYRK 2012, NAV vacancies 2017,
//     AKU 2021, statistikkloven 2021, the 2018, 2020 and 2024 regional
//     reforms). A break is scoped: [Break.Affects] (the datasets),
//     [Break.Touches] (the regions: the 2024 county splits touch the split
//     counties, not Trøndelag or the nation) and [Break.FirstPeriod] (a
//     series breaks once, at its first period in the break's year).
//   - [Cell.Computed] marks a county, nation or grouping cell that grunnlag
//     summed because the source does not publish it; values built from
//     such cells carry [FlagComputed], which pipelines/build turns into the
//     computed column.
//
// Numerical helpers follow gonum style: plain slices in, scalars out, the
// formula in the doc comment, and errors returned before gonum (which
// panics on programmer errors) is called.
package indicators
