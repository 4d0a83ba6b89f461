// Package build is the `build` step: it reads the current version of every
// dataset the indicator catalog needs from the knowledge base, puts the
// counts on today's municipalities (pipelines/regions), sums them to
// counties, groupings and the nation, computes every indicator whose inputs
// exist, adds comparators (nation, rest of country, county, region group),
// gaps, rank and z-score, and publishes ONE long Parquet table,
// <kb>/indicators/version=<UTC stamp>/indicators.parquet, atomically
// (store.PublishIndicators), then retires every older version to the
// secure zone (see Versions).
//
// # Reading a dataset
//
// The build reads each dataset's harmonised layer (package
// pipelines/harmonise, which reads the source version as described here and
// rolls municipal codes forward; a missing or stale layer is harmonised
// first) and sums it to every unit, official figures first.
//
// A dataset version is a tidy record (CONTRACTS.md): a code and a label
// column per dimension, value (float64, null = missing) and status. The
// region and time dimensions are found by the schema metadata
// jsonstat.role.geo / jsonstat.role.time, else by the names Region and Tid.
// A cell is missing when its value is null or its status is a missing
// status (jsonstat.MissingStatus); every indicator value computed from it
// is missing too.
//
//   - Rates are never harmonised. For every ContentsCode X published
//     together with a rate XProsent, the implied denominator X_nevner =
//     X * 100 / XProsent is derived per published cell (missing where the
//     rate is 0 or missing); then every ContentsCode ending in "Prosent" is
//     dropped.
//   - Codes "K-<code>" (SSB's summed codelist agg_KommSummer) are published
//     on today's boundaries: the prefix is dropped and the codes are
//     resolved on the target vintage.
//   - Official figures first. A county or nation row the source publishes
//     is the value of that unit, whenever its code is the same region on
//     the period's date and on the target vintage (for a county whose
//     municipalities are published too: also the same territory, so
//     Trøndelag 2018, without Rindal, is not taken for today's Trøndelag).
//     A masked published total stays missing. Only units the source does
//     not publish are summed from municipalities (regions.Aggregate):
//     groupings, counties on another territory, the nation of a
//     municipal table without a national row; such a sum is valid only
//     when every member is valid (a masked member makes the sum missing,
//     never a smaller sum), and its values carry computed = true. A
//     county-level dataset without a national row gets the nation as the
//     sum of today's counties, valid only when all of them are, also
//     computed.
//   - A count written as 0 beside a positive rate of the same cell (NAV
//     masks small municipal counts so) is masked: missing with status
//     ":", and so is its derived denominator.
//   - A dataset without any municipality row (county-level) keeps a
//     county that is no longer valid on the target vintage under its own
//     code (Vestfold og Telemark 38 in NAV's Bedriftsundersøkelsen 2021,
//     Telemark 08 as a 2019 cohort's county in Udir's completion): it
//     becomes an extra county-level unit, with the target municipalities
//     it covers as indicators.Region.Members, so that an indicator can sum
//     municipal counts over it (stramhet_naering's employed).
//   - A period is "YYYY", "YYYYMmm" or another form of
//     regions.DefaultPeriodDate, among them a span "YYYY-YYYY" (a cohort),
//     dated on 1 January of its first year.
//   - Other municipality codes are put on the target vintage with
//     regions.HarmoniseCells on the period's reference date (merges summed,
//     splits apportioned by population from the "befolkning" dataset in the
//     year of the split, flagged "apportioned"). A code with a number that
//     the model does not know on the period's date but knows on the target
//     vintage is taken as published on the target boundaries (the demo
//     bundle models municipalities outside Telemark that way); an empty
//     cell of an unknown code is skipped.
//
// # Output
//
// One row per (indicator, region, period, category, comparator), columns
// in this order:
//
//	indicator, region, region_label, region_level, period, category,
//	category_label, value, unit, numerator, denominator, comparator,
//	comparator_region, comparator_value, gap_abs, gap_index, rank, n_ranked, z_score, ci_low,
//	ci_high, n_units, flags, sources, synthetic, computed
//
// comparator is national | rest_of_country | county | region_group, or
// null for a value with no comparator (the nation itself);
// comparator_region is the comparator unit's code ("0", the county, the
// grouping ID; null for the rest of the country). gap_abs = value
// - comparator_value (percentage points for shares), gap_index = value /
// comparator_value * 100. rank, n_ranked and z_score (sample standard
// deviation) are among units of the same level, period and category
// (regions.Compare); rank 1 is the best by the indicator's direction (the
// lowest value of a lower-is-better indicator, the highest otherwise,
// neutral ones included). ci_low/ci_high only for survey-based
// indicators. flags is a comma-separated sorted list (suppressed,
// apportioned, provisional, missing_input, series_break:<id>, significant,
// not_significant); a series_break flag is set once per series, at its
// first period in the break's year, for the regions the break touches
// (indicators.Break). sources lists "<dataset>@<version>". synthetic is
// true when an input dataset is synthetic (the catalog's mark); computed
// is true for a county, nation or grouping value that grunnlag summed
// because the source does not publish it. Missing numbers
// are null, never 0 or NaN. Rows are sorted by indicator (catalog order),
// period, level (land, fylke, gruppe, kommune), region, category and
// comparator, so equal inputs give byte-equal files.
//
// # Versions
//
// Only the current version of the indicator table is public. After every
// publish, needs.RetireIndicators moves the older versions from
// <kb>/indicators/ to <kb>/secure/versions/indicators/ (their catalog
// entries to versions.json there) and drops them from the catalog;
// Result.Retired lists them. The reason is the survey-derived indicators
// (needs.FirmDerivedIndicators: bedrifter_behov_andel,
// behov_personer_per_100_sysselsatte, behov_mot_tilbud_gap): two public
// versions, one with a firm's response and one without, give that firm's
// answer by differencing (n_units 85 → 84 and 157.5 → 115 weighted persons
// in okonomi_admin for county 40 on the demo), whatever each version
// suppresses. Retiring whole versions was chosen over a separate table for
// those indicators because every reader (book, charts, exports, status,
// serve, the DAG's freshness check, the store's integrity check and
// repair) keeps reading one table. The price: older versions of the
// register indicators are not public either. Their history over time is
// still in the current version's periods, and the book's "what changed"
// reads the previous version back from the secure zone, for register
// indicators only (pipelines/publish).
//
// # Incremental builds
//
// Each indicator is a node keyed by the hash of its declaration, its input
// datasets' versions and content hashes, the units, groupings, series
// breaks, split weights, target and the code identity ([CodeIdentity]: the
// executable's sha256); see nodes.go for the recipe. A build keeps the
// previous table's rows (or empty or unsuitable verdict) of every
// indicator whose key is unchanged and computes the others, on several
// goroutines; Result.Recomputed and Result.Reused name them. The keys are
// kept in <kb>/state/build-nodes.json beside the stamp and sha256 of the
// table they describe: a manifest for another table, a damaged table or
// an unknown executable means a full build, as Builder.Full does. The
// table of an incremental build equals a cold build's of the same inputs
// (TestBuildIncremental).
package build
