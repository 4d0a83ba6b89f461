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
//     (Wilson interval on the Kish effective sample size of the domain,
//     n_eff = (Σw)² / Σw², so the design effect of unequal weights widens
//     it), people needed and the weighted total with a percentile
//     bootstrap interval (firms resampled with replacement within strata,
//     PCG seeded by Options.Seed: reproducible).
//  6. Disclosure control (Table.Suppress): primary suppression of cells
//     with 1-2 firms (Rule.MinFirms) or where one firm holds more than
//     Rule.Dominance (default 0.5) of the people needed, and every cell of
//     a region with 1-2 respondents (its zeros would tell what those firms
//     answered); secondary
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
//     ("needs_vs_supply") through the store like every dataset, then
//     retire their superseded versions (RetireSuperseded): two public
//     versions would give, by differencing, whatever changed between them
//     (one firm's whole answer when its response was added or removed), so
//     only the current version of a firm-derived dataset (FirmDerived)
//     stays under <kb>/datasets; older ones move to <kb>/secure/versions.
//     AuditVersions / AuditStore check the public versions together: no
//     cell, and no difference of two versions' cells, is determined exactly
//     and about 1 to MinFirms-1 firms. Build runs that audit on the new
//     table before publishing it and refuses with *DisclosureError when it
//     finds anything.
//
// # Intervals
//
// The share's Wilson interval uses the Kish effective sample size n_eff =
// (Σw)² / Σw² of the cell's domain (Kish, WilsonEff), not the number of
// respondents. One-firm strata: resampling a stratum of one firm always
// draws that firm and would give it no variance at all. CollapseStrata
// pools them for the bootstrap: the one-firm strata of a region together
// when there are two or more; a region's only one joins the region's
// smallest other stratum; one alone in its region joins the sample's
// smallest stratum with two or more firms. Pooling treats their firms as
// exchangeable, a conservative (wider) variance. The weights are not
// changed.
//
// FromConfig builds Options from the config's needs section
// (pipelines/config.Needs); `grunnlag survey build` runs Build with them
// under the knowledge base's lock.
//
// # The secure zone
//
// Firm-level rows are written only under <kb>/secure/needs/<period>/
// (firms.csv, rejected.csv, unmapped.csv, strata.csv) and
// <kb>/secure/needs/suppression.json. Superseded versions of the
// firm-derived datasets are kept under
// <kb>/secure/versions/<dataset>/version=<stamp>/ with their catalog
// entries in versions.json there. Nothing charts or exports them, and
// nothing here logs survey contents: logs carry counts only.
//
// # Municipalities and groupings
//
// kompetansebehov also has a row for every municipality of the surveyed
// counties, for the total and the kompetanseomrade breakdown. They are not
// in the disclosure table: protectMunicipalities publishes a municipality
// row whole or withholds it whole (a row passes when it has at least
// MinFirms respondents and every cell passes the primary rule), keeps the
// withheld remainder of each county (county minus published
// municipalities) at two or more municipalities passing the primary rule,
// and never lets published municipalities narrow a suppressed county
// cell's feasible range (their sum stays at or below its minimum).
// In municipalities without respondents the counts (respondenter,
// virksomheter_med_behov, personer, respondenter_vektet) are 0 and the
// estimates are missing with status ".." (NoRespondentsStatus): no firm
// there answered, so there is no estimate, not an estimate of zero. The
// measures
// respondenter_vektet and virksomheter_med_behov_vektet add up, so the
// build (pipelines/build) sums published municipalities to groupings; it
// does so only when every member is published, so a grouping is a sum of
// published numbers and differencing two overlapping groupings, or a
// grouping and its county, recovers nothing that is not published. The
// demo survey is too small for any surveyed municipality to pass.
//
// Groupings (Options.Groups) have rows of their own in kompetansebehov
// (the total and kompetanseomrade, region = the grouping's ID), counted
// from the firms of their member municipalities, so every grouping has a
// row, published or with a status. protectGroups publishes a grouping row
// only when every member municipality's row is published and no cell of
// it fails the primary rule; otherwise the row is withheld whole (":",
// reason "gruppe"). A grouping with a member outside the surveyed counties
// has no estimate: every measure is ".." for it. Build's exact audit
// (AuditVersions) includes the groupings: every grouping is the sum of its
// members in every column, beside the county and municipality lines, so a
// suppressed cell that overlapping groupings, a grouping and its county, or
// any set of published cells together would pin stops the build.
//
// # needs_vs_supply
//
// Regions: every municipality of the surveyed counties, the counties,
// their total ("_T") and each grouping (Options.Groups, e.g.
// testdata/regions/grupper-trondelag.yaml) whose members all lie in
// surveyed counties; areas: every competence area and the total
// ("_T"). Measures:
//
//   - behov_personer_vektet and behov_andel_virksomheter from the
//     disclosure-controlled estimates (suppressed stays suppressed). A
//     grouping is the sum of its municipalities (share = sum of weighted
//     firms with a need / sum of weighted respondents) and is published
//     only when none of them is withheld; where no firm answered (in a
//     municipality, or in any member of a grouping) the value is missing
//     with status "..".
//   - sysselsatte_i_matchende_naeringer: dataset sysselsatte_naering (SSB
//     13470), latest year, employed persons in the 13470 industry groups
//     that overlap the area's SN2007 divisions in the crosswalk ("00-99" is
//     the area total).
//   - helt_ledige: dataset arbeidsledige (SSB/NAV 10540), latest month,
//     area total only.
//   - elever_vgs: Udir udir_elever_program (VGO_Elev_FylkSkol, pupils in
//     upper secondary by county with one column per programme, dimension
//     Utdprogram), latest school year, to the areas whose crosswalk
//     utdanningsprogram holds the programme; "-10" (all programmes) is the
//     area total. Udir writes two programmes with their LK06 names, so
//     indicators.LK20Programme aliases HS -> HO and TP -> TIF (project-defined, not
//     official). Programmes in no area (ST and the other
//     study-preparation programmes) count in the total only.
//   - laerekontrakter: Udir apprenticeship contracts (FOY_LK_FylkUtdprogAar),
//     latest year: by programme from udir_laerekontrakter_program (mapped
//     as elever_vgs) when the knowledge base holds it; otherwise the
//     all-programme udir_laerekontrakter, area total only. Never both: one
//     measure, and kilde names the dataset used.
//   - fagskolestudenter: DBH dbh_fagskolestudenter by fagområde, mapped to
//     areas by fagskoleFields (HELSE -> helse_oppvekst; TEKN ->
//     teknologi_industri, elektro, bygg_anlegg; OKADM -> okonomi_admin,
//     ledelse; project-defined, not official); no area total.
//   - studenter_hoyere_utdanning: DBH dbh_studenter, higher-education
//     students by county of study and NUS fagfelt (column Fagfelt: "6"
//     helse-, sosial- og idrettsfag), latest year, to the areas whose
//     crosswalk nus_felt holds the fagfelt; the area total is the sum over
//     fields (fagfelt 1-3 and 9 are in no area), left out for a region with
//     a missing field cell. DBH leaves out empty groups, and a field without
//     a row gives its areas no value, not zero.
//   - ledige_stillinger_nav: NAV nav_stillinger by STYRK-08 occupation,
//     latest month, to the areas of the most specific STYRK-08 code the
//     crosswalk lists for it (2512, else 251, 25, 2: OccupationAreas); the
//     area total is the sum over occupations,
//     left out for a region with a missing occupation cell.
//   - arbeidssokere_nav and utlyste_stillinger_nav: NAV nav_yrkespraksis
//     (jobseekers, advertised vacancies), latest month, by NAV's 15
//     occupation groups mapped to areas by navGroups (project-defined;
//     "Akademiske yrker" and "uoppgitt" in no area); the area total is the
//     sum over the groups.
//
// Occupation-, industry- and field-based measures count a category for
// every area it maps to, so they do not add up over areas. A source cell
// with a status and no value (Udir "*", SSB "..") leaves every area it maps
// to missing in its region, never a sum of the other categories. Every supply value is put
// on the target vintage from the dataset's harmonised layer (package
// pipelines/harmonise: municipality cells on the target vintage; a
// published county row where its code is a county on the period's date and
// today; any other county is the sum of its municipalities when all of
// them have a value); the total and groupings
// are sums only when every part has a value. A dataset is joined when the
// knowledge base holds it (by dataset ID, or else its source table: SSB's
// table number, the Udir report code) with the category column the
// measure needs; the columns kilde and kilde_periode name the dataset and period, and the
// Parquet metadata key grunnlag.joined lists what was joined and
// grunnlag.crosswalk says which mappings are the project's own.
//
// # The green tag
//
// The crosswalk's columns gronn and gronn_grunnlag tag a competence area
// green (the theme «Grønn omstilling»), a project-defined judgement argued
// against the green-industry definition indicators/gronn.csv. Both
// datasets carry it in a column gronn (ja or nei on the rows of an area,
// "" elsewhere), declared an attribute in the metadata key
// grunnlag.attributes so that the build does not take it for a dimension.
package needs

// CodeVersion identifies the needs step's code in the pipeline's DAG: a
// change re-runs the step (and what depends on it) even when no input
// changed.
const CodeVersion = "grunnlag-needs/8"
