//go:build race

package steps

// raceEnabled is true in a test binary built with -race: the slowest
// end-to-end demo tests skip there (they run in the plain pass).
const raceEnabled = true
