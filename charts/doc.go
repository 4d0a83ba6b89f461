// Package charts will draw indicator charts with gonum/plot, the HTML
// indicator book and the exports for planners.
//
// Nothing is drawn yet: charts are the subject of their own issue. Until
// then the package holds only this documentation, so that the layout of the
// module matches the design (cmd → pipelines → {sources, indicators, charts}).
package charts
