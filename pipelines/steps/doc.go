// Package steps is grunnlag's pipeline: the list of its steps (List) and
// the small functions that adapt each stage to a [dag.Step]. Package dag
// runs any graph of steps and knows none of them; the stages themselves
// (pipelines.Refresher, build, needs, publish) know nothing of the graph.
//
// The list, in order:
//
//	fetch/<dataset>  one source step per configured dataset (Fetch), all due
//	                 ones refreshed together by one Refresher.Refresh call
//	harmonise        every dataset on today's regions: the harmonised layer
//	                 (pipelines/harmonise), with regions
//	survey           the survey files' hash (a source step), with needs
//	needs            the company-needs datasets, from the survey and the
//	                 harmonised layer
//	build            the indicator catalog, from the harmonised layer
//	charts           the national chart set in <kb>/charts, after build;
//	                 drawn again when the indicator table it was drawn from
//	                 is no longer the current one
//	book, exports    the indicator book and the CSV/XLSX exports
//
// Adding a step is one function here and one line in List.
package steps
