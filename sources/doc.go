// Package sources holds everything that speaks a foreign protocol or format.
//
// Each source is its own sub-package: pxweb (Statistics Norway's StatBank and
// any PxWebApi installation), jsonstat (the JSON-stat decoder every PxWeb
// response goes through), and klass (SSB's classification API). A source
// never imports pipelines, indicators or charts; it returns tidy tables
// (Arrow records of code and label per dimension, value and status) and
// reports every HTTP exchange so the pipeline can keep a raw snapshot of it.
package sources
