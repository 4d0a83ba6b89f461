//go:build race

package charts

// raceEnabled is true in a test binary built with -race, where the
// largest renders are about ten times slower.
const raceEnabled = true
