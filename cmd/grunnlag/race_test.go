//go:build race

package main

// raceEnabled is true in a test binary built with -race: the slowest
// end-to-end tests skip there (they run in the plain pass and in the
// reliability suite).
const raceEnabled = true
