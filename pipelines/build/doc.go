// Package build is the `build` step: it reads the current version of every
// dataset the indicator catalog needs from the knowledge base, puts the
// counts on today's municipalities (pipelines/regions), sums them to
// counties, groupings and the nation, computes every indicator whose inputs
// exist, adds comparators (nation, rest of country, county, region group),
// gaps, rank and z-score, and publishes ONE long Parquet table,
// <kb>/indicators/version=<UTC stamp>/indicators.parquet, atomically
// (store.PublishIndicators).
//
// # Reading a dataset
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
//   - County and nation rows are dropped: every total is computed from
//     municipalities (regions.Aggregate), valid only when every member is.
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
//	ci_high, n_units, flags, sources
//
// comparator is national | rest_of_country | county | region_group, or
// null for a value with no comparator (the nation itself);
// comparator_region is the comparator unit's code ("0", the county, the
// grouping ID; null for the rest of the country). gap_abs = value
// - comparator_value (percentage points for shares), gap_index = value /
// comparator_value * 100. rank (1 = highest), n_ranked and z_score
// (sample standard deviation) are among units of the same level, period
// and category (regions.Compare). ci_low/ci_high only for survey-based
// indicators. flags is a comma-separated sorted list (suppressed,
// apportioned, provisional, missing_input, series_break:<id>, significant,
// not_significant); sources lists "<dataset>@<version>". Missing numbers
// are null, never 0 or NaN. Rows are sorted by indicator (catalog order),
// period, level (land, fylke, gruppe, kommune), region, category and
// comparator, so equal inputs give byte-equal files.
package build
