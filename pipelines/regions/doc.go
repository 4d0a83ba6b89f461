// Package regions is grunnlag's region model: the nation ("land", code
// "0"), counties ("fylke", KLASS 104), municipalities ("kommune", KLASS 131)
// and custom groupings ("gruppe") read from YAML, with the reforms that
// connect them over time, and the operations that put every regional series
// on one boundary vintage and compare regions.
//
// # Regions are versions
//
// A region is identified by (code, valid from, valid to), never by code
// alone: 5001 Trondheim in 2018–2019 and 5001 Trondheim from 2020 (with
// Klæbu) are two regions. The model is built from KLASS codes (with their
// validity) and changes; a code that keeps its number while gaining or losing
// territory is split into two versions at the change date.
//
// # Where the model comes from
//
// Load reads KLASS 131 (municipalities): the versions of the classification
// (one per boundary vintage, GET /versions/{id}) and its change table. A
// code is valid for the union of the versions that list it; 9999 Uoppgitt
// is not a region. The county level is derived, not read from KLASS 104:
// the first two digits of a municipality code are its county, so a county
// is valid while a municipality with its prefix is, and a municipality
// change across prefixes (0101 → 3001 in 2020) is a change of its county
// (01 → 30; 07 → 30 for Svelvik, which joined Drammen). County names come
// from real lists (the 2024 and 2020 Kartverket county files, SSB's region
// code list before 2020). CountiesDerived reports this.
//
// KLASS versions the source has no answer for (404) that are older than
// every version it answers are derived from the change table instead:
// the bundled KLASS copy answers the versions from 2013 on, and with a
// from before 2013 (back to DeriveFloor, 2005-01-01) Load walks the
// changes backwards from the 2013 version to the sets of 2005-2012.
// DerivedBefore reports the date before which the model is derived.
//
// # Harmonisation
//
// Harmonise and HarmoniseCells move values from the vintage valid at each
// period's reference date to a target vintage (default: the latest the
// model knows); package pipelines/harmonise applies them to every dataset
// and stores the result as the knowledge base's harmonised layer:
//
//   - recodes and chains are followed (0219 → 3024 → 3201; 1601 → 5001);
//   - merges are summed (5001 + 5030 → 5001 in 2020);
//   - splits (Snillfjord 2020, Ålesund/Haram 2024, a county in 2024) are
//     apportioned by caller-supplied weights per split (Weights, keyed by
//     SplitKey; by default population in the year of the split) and flagged;
//   - every output carries region_flag: native (published for this very
//     region), merged (exact sum after following changes, including a pure
//     recode) or apportioned (a split weight was used);
//   - a sum where any contributing cell is missing is missing, keeping the
//     contributor's status; a contributor absent from the input makes the sum
//     missing with status ".." (a partial sum is never shown as a total);
//   - a code the model does not know for the period's date is an
//     *UnknownCodeError naming dataset, code and period; nothing is dropped.
//
// Period → date: a period's date is its reference date and a code is
// resolved on that date (DefaultPeriodDate: the first day of the period;
// see its doc for SSB 09429, counted on 1 October on that year's boundaries).
//
// Only additive values (counts) may be harmonised. Shares and rates are
// recomputed from harmonised numerators and denominators (Ratio, Aggregate
// with Rate), never averaged. Counties that did not exist before 2024 (31,
// 32, 33, 39, 40, 55, 56) are built from harmonised municipalities
// (Aggregate), which is exact for whole municipalities.
//
// # Aggregation
//
// Aggregate sums municipalities to counties, groupings and the nation
// (counts; rates from numerator and denominator). A total published by the
// source is kept as the total (TotalKind "published"); our own sums are
// "computed". The comparators (the nation, the rest of the country, the
// county, rank by the indicator's direction and z-score among units of the
// same level) are computed once, by pipelines/build.
//
// # Groupings file
//
//	groups:
//	  - id: namdal                 # snake_case, unique
//	    name: "Namdal regionråd"
//	    members: ["5007", "5049"]  # municipality codes on the model's latest vintage
//	    source: "namdalregionrad.no"
//
// Unknown keys are errors; every problem is reported at once.
package regions
