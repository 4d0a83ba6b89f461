// Package harmonise writes the harmonised layer of the knowledge base: each
// source dataset's current version on today's regions, stored as
// harmonised/<dataset> (<kb>/harmonised/<dataset>/version=<stamp>/
// part-0.parquet) through the store like every dataset, so it is
// versioned, atomic and in the catalog.
//
// It is the one place municipal codes are harmonised: ReadSource reads a
// source version into cells (derived denominators, masked counts, missing
// statuses), the municipality cells of each (period, other dimensions)
// group are rolled forward to the target vintage (merges summed, splits
// apportioned by population, flagged native, merged or apportioned), and
// the county and national rows are kept as published (flag published) so
// that the build can apply "official figures first" without deriving them
// again. The columns are region, region_label, region_level, region_flag,
// period, the other dimensions (code and _label), value and status; see
// docs/knowledge-base.md.
//
// The harmonise step (Harmoniser.Run) writes every dataset; the build and
// the needs step's supply join read a dataset with Harmoniser.Load, which
// harmonises it again only when the stored version was made from another
// source version, weights, target or code.
package harmonise
