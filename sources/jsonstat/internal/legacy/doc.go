// Package legacy is the JSON-stat decoder as it was before the one-pass
// lexer: a json.Decoder token walk whose value and status members are read
// as raw JSON and scanned a second time. It is kept unchanged, and imported
// only by the tests of package jsonstat, as the oracle of their
// differential tests (the new decoder must return the same datasets and
// errors of the same types on the same bytes). Do not use it elsewhere.
package legacy
