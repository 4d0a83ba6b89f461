// Package needs turns mapped company competence needs (sources/survey) into
// data that can stand beside the register statistics: enriched from the
// company register (sources/brreg), mapped by an editable crosswalk,
// weighted to register counts, aggregated with uncertainty, and
// disclosure-controlled before anything leaves the secure zone.
//
// # Steps (Build)
//
//  1. Read and validate the survey (survey.ReadFile with RegionChecker over
//     the region model and the crosswalk's areas). Any rejected row stops
//     the build with ErrProblems unless Options.ErrorBudget allows that
//     many; rejected rows are then written to rejected.csv beside the
//     accepted ones.
//  2. Enrich: responses are grouped by firm; the register gives industry
//     (SN2007 section), size band and, for an establishment, its
//     municipality (preferred over the survey's); deleted, bankrupt,
//     liquidating and closed units are flagged, unknown numbers rejected.
//     Municipalities are put on the target vintage (merges followed; a
//     split is resolved by the register's current municipality).
//  3. Crosswalk (crosswalk.csv, keywords.csv, embedded; PROJECT-DEFINED, NOT
//     OFFICIAL): an area given in the survey is kept; free text is mapped
//     by the longest keyword starting a word; the rest is "uoppgitt" and
//     listed, most frequent first, in unmapped.csv.
//  4. Post-stratification (PostStratify): stratum = county (or municipality)
//     × SN2007 section × size band; weight N_h/n_h with N_h the register
//     count of active enterprises, so weighted firm counts equal the
//     register's in every stratum with respondents. Strata with no
//     respondents, and respondent strata missing from the register, are
//     listed in strata.csv.
//  5. Aggregate: counties and their total ("_T") by each view
//     (kompetanseomrade, utdanningsniva, naering, storrelse) and the total:
//     respondents, firms with a need, weighted share of firms with a need
//     (Wilson interval on the number of respondents; it ignores the design
//     effect of the weights), people needed and the weighted total with a
//     percentile bootstrap interval (firms resampled with replacement within
//     strata, PCG seeded by Options.Seed: reproducible).
//  6. Disclosure control (Table.Suppress): primary suppression of cells
//     with 1-2 firms (Rule.MinFirms) or where one firm holds more than
//     Rule.Dominance (default 0.5) of the people needed; secondary
//     suppression until no suppressed cell can be pinned from the
//     published cells and the row, column and grand totals: every line
//     with a single suppressed cell gets a partner (positive cells, cells
//     suppressed in an earlier refresh first, members before totals, fewest
//     people), then Audit solves two linear programs per suppressed cell
//     (gonum simplex) and adds suppressions until every feasible range is at
//     least one unit wide. Suppressed cells keep status ":" and no value.
//     The pattern of every period is kept in secure/needs/suppression.json
//     and preferred in later refreshes.
//  7. Publish DatasetNeeds ("kompetansebehov") and DatasetSupply
//     ("needs_vs_supply") through the store like every dataset.
//
// # The secure zone
//
// Firm-level rows are written only under <kb>/secure/needs/<period>/
// (firms.csv, rejected.csv, unmapped.csv, strata.csv) and
// <kb>/secure/needs/suppression.json. Nothing charts or exports them, and
// nothing here logs survey contents: logs carry counts only.
//
// # needs_vs_supply
//
// Per county (target vintage) and their total × competence area (and the
// total): behov_personer_vektet and behov_andel_virksomheter from the
// disclosure-controlled estimates (suppressed stays suppressed), beside
// sysselsatte_i_matchende_naeringer (SSB 13470, latest year: employed
// persons in the 13470 industry groups that overlap the area's SN2007
// divisions in the crosswalk; groups overlap several areas, so this measure
// does not add up over areas) and helt_ledige (SSB/NAV 10540, latest month,
// area total only). Each is joined when the knowledge base holds a dataset
// of that table; the columns kilde and kilde_periode name the dataset and
// period, and the Parquet metadata key grunnlag.joined lists what was
// joined. Pupils, apprentices and students by field (Udir, DBH) and
// vacancies and jobseekers by occupation (NAV) are not joined yet.
package needs
